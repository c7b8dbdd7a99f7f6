"""pvbatch and the cluster job scripts, run for real with mpiexec on this machine.

- scripts/hpc/server-mpiexec.sh + client.sh: the server publishes its address, the client waits for it and runs a
  script; the single-client server and the script leave when the client is done, logs are written per rank.
- ``mpiexec -n 1, 2, 4 pvbatch script.py out.png`` (and batch-mpiexec.sh, and batch.sbatch with a stand-in srun)
  write the same screenshot as the same script run by ``pvpython --url`` against a 2-rank server.
- pvbatch refuses server connections and collaboration calls, exits with the script's status when it fails, and
  every rank exits with it (a hang would fail the time-out).
- ``--help`` of pvserver, pvpython and pvbatch names every option of their parsers.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from servers import ROOT, ServerProcess, mpiexec

from pvserver.rendering.imaging import decode_image

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

HPC = ROOT / "scripts" / "hpc"
BIN = Path(sys.executable).parent
SIZE = (320, 240)
BACKGROUND = (0.32, 0.34, 0.43)
# As in test_rendering.py: partition boundaries move a few edge pixels, a missing partition far more.
MAX_MEAN_ABS_DIFF = 1.0
BAD_PIXEL = 40
MAX_BAD_FRACTION = 0.02
MIN_COVERAGE = 0.02

RENDER_SCRIPT = f"""
import sys
from simple import *

wavelet = Wavelet()
contour = Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[157])
view = CreateRenderView(ViewSize={list(SIZE)}, Background={list(BACKGROUND)}, OrientationAxesVisibility=0)
view.CameraPosition = [32.0, 24.0, 56.0]
view.CameraFocalPoint = [0.0, 0.0, 0.0]
view.CameraViewUp = [0.0, 1.0, 0.0]
view.CameraInitialized = 1
ColorBy(Show(Slice(Input=wavelet), view), ("POINTS", "RTData"))  # first: the colour map takes its range
ColorBy(Show(contour, view), ("POINTS", "RTData"))
Render(view)
SaveScreenshot(sys.argv[1], view)
print("cells", contour.GetDataInformation().GetNumberOfCells(), "partitions",
      GetActiveConnection().GetNumberOfDataPartitions(), flush=True)
"""


def run(cmd: list[str], timeout: float = 90, **env: str) -> subprocess.CompletedProcess:
    """Run ``cmd`` in a process group of its own; on a time-out the whole group (every rank) is killed."""
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=full_env, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"{' '.join(cmd)} did not finish within {timeout} s (a rank hung?)\n{out}\n{err}")
    assert not group_alive(proc.pid), f"processes of {cmd} outlived it"
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def group_alive(pgid: int) -> bool:
    """Whether any process of the group is left, given a few seconds to go."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    return True


def pvbatch(ranks: int, script: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    return run([mpiexec(), "-n", str(ranks), str(BIN / "pvbatch"), str(script), *args], timeout)


def write_script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body))
    return path


def load(path: Path) -> np.ndarray:
    return decode_image(path.read_bytes()).astype(np.int32)


def assert_same_picture(reference: np.ndarray, image: np.ndarray) -> None:
    assert image.shape == reference.shape
    bg = np.round(np.asarray(BACKGROUND) * 255).astype(np.int32)
    geometry = (np.abs(reference - bg).max(axis=2) > 3) | (np.abs(image - bg).max(axis=2) > 3)
    diff = np.abs(image - reference)
    bad = float((diff.max(axis=2) > BAD_PIXEL).sum() / max(1, geometry.sum()))
    assert diff.mean() <= MAX_MEAN_ABS_DIFF and bad <= MAX_BAD_FRACTION, (float(diff.mean()), bad)


# ------------------------------------------------------------------------------------------ the same picture


@pytest.fixture(scope="module")
def render_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_script(tmp_path_factory.mktemp("batch"), "render.py", RENDER_SCRIPT)


@pytest.fixture(scope="module")
def reference(render_script: Path) -> tuple[np.ndarray, str]:
    """The picture and the printed line of the script run by pvpython against a real 2-rank server."""
    out = render_script.parent / "pvpython.png"
    with ServerProcess(2) as server:
        result = run([str(BIN / "pvpython"), "--url", server.url, str(render_script), str(out)])
        assert result.returncode == 0, result.stderr
        assert server.wait(timeout=30) == 0  # single-client: leaves with its client
    image = load(out)
    bg = np.round(np.asarray(BACKGROUND) * 255).astype(np.int32)
    assert (np.abs(image - bg).max(axis=2) > 3).mean() > MIN_COVERAGE  # not two empty pictures
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("cells ") and line.endswith("partitions 2")
    return image, line.rsplit(" partitions", 1)[0]


@pytest.mark.parametrize("ranks", [1, 2, 4])
def test_pvbatch_draws_what_pvpython_draws(ranks: int, render_script: Path, reference: tuple, tmp_path: Path) -> None:
    image, cells = reference
    result = pvbatch(ranks, render_script, str(tmp_path / "out.png"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"{cells} partitions {ranks}"
    assert_same_picture(image, load(tmp_path / "out.png"))


def test_batch_script(render_script: Path, reference: tuple, tmp_path: Path) -> None:
    log = tmp_path / "logs" / "batch.log"
    cmd = ["bash", str(HPC / "batch-mpiexec.sh"), str(render_script), str(tmp_path / "out.png")]
    result = run(cmd, NRANKS="3", PV_VERBOSE="-v", LOG_FILE=str(log))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("partitions 3")
    assert_same_picture(reference[0], load(tmp_path / "out.png"))
    assert "[rank 0]" in log.read_text()
    assert {p.name for p in log.parent.iterdir()} == {"batch.log", "batch.log.1", "batch.log.2"}


def test_sbatch_script_with_a_stand_in_srun(render_script: Path, reference: tuple, tmp_path: Path) -> None:
    """batch.sbatch as Slurm would run it (SLURM_* set, srun on PATH), srun played by mpiexec."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "srun").write_text(f'#!/usr/bin/env bash\nexec {mpiexec()} -n "$SLURM_NTASKS" "$@"\n')
    (fake / "srun").chmod(0o755)
    # no SLURM_JOB_ID / SLURM_NODELIST: Hydra's mpiexec behind the stand-in would take them for a real allocation
    env = {
        "PATH": f"{fake}:{os.environ['PATH']}",
        "SLURM_NTASKS": "2",
        "SLURM_SUBMIT_DIR": str(ROOT),
        "LAUNCHER": "srun",
    }
    result = run(["bash", str(HPC / "batch.sbatch"), str(render_script), str(tmp_path / "out.png")], **env)
    assert result.returncode == 0, result.stderr
    assert (
        "pvbatch job" in result.stdout and "2 ranks" in result.stdout and result.stdout.strip().endswith("partitions 2")
    )
    assert_same_picture(reference[0], load(tmp_path / "out.png"))


# ------------------------------------------------------------------------------------------ refusals, failures


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ('Connect("cs://localhost:11111")', "pvbatch runs its script on its own MPI ranks, without a server"),
        ('Connect("localhost", 11111)', "Connect(host) is for pvpython"),
        ("GetUsers()", "collaboration calls are for pvpython"),
        ('SendChatMessage("hello")', "pvbatch has no server and no other clients"),
    ],
)
def test_pvbatch_refuses_servers_and_collaboration(call: str, message: str, tmp_path: Path) -> None:
    script = write_script(tmp_path, "refused.py", f"from simple import *\nSphere().UpdatePipeline()\n{call}\n")
    result = pvbatch(2, script)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "PVError" in result.stderr


@pytest.mark.parametrize("ranks", [2, 4])
@pytest.mark.parametrize("where", ["before any pipeline", "after a render"])
def test_failing_script_exits_every_rank(ranks: int, where: str, tmp_path: Path) -> None:
    work = "" if where == "before any pipeline" else "Show(Wavelet())\nRender()\n"
    script = write_script(tmp_path, "fails.py", f"from simple import *\n{work}raise ValueError('bad input')\n")
    result = pvbatch(ranks, script)
    assert result.returncode == 1
    assert "ValueError: bad input" in result.stderr


def test_script_exit_status_is_kept(tmp_path: Path) -> None:
    script = write_script(
        tmp_path, "exits.py", "import sys\nfrom simple import *\nSphere().UpdatePipeline()\nsys.exit(3)\n"
    )
    assert pvbatch(2, script).returncode == 3


# ------------------------------------------------------------------------------------------ server + client scripts


@contextlib.contextmanager
def server_script(tmp_path: Path, **env: str) -> Iterator[tuple[subprocess.Popen, Path]]:
    """scripts/hpc/server-mpiexec.sh in the background; every process it started is killed afterwards."""
    port_file = tmp_path / "shared" / "pvserver.port"
    full_env = {**os.environ, "SHARED_DIR": str(tmp_path / "shared"), "PORT_FILE": str(port_file), **env}
    log = open(tmp_path / "server.out", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        ["bash", str(HPC / "server-mpiexec.sh")],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=full_env,
        start_new_session=True,
    )
    try:
        yield proc, port_file
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        log.close()


CLIENT_SCRIPT = """
import sys
from simple import *

sphere = Sphere(ThetaResolution=16, PhiResolution=12)
info = sphere.GetDataInformation()
print("client", sys.argv[1:], info.GetNumberOfCells(), GetActiveConnection().GetNumberOfDataPartitions())
"""


def sphere_cells(theta: int, phi: int) -> int:
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    source = vtkSphereSource()
    source.SetThetaResolution(theta)
    source.SetPhiResolution(phi)
    source.Update()
    return source.GetOutput().GetNumberOfCells()


def wait_for(path: Path, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert server.poll() is None and time.monotonic() < deadline, f"no {path.name} (server exit {server.poll()})"
        time.sleep(0.05)


def test_server_and_client_scripts(tmp_path: Path) -> None:
    script = write_script(tmp_path, "client.py", CLIENT_SCRIPT)
    token_file = tmp_path / "shared" / "pvserver.token"
    with server_script(tmp_path, NRANKS="2") as (server, port_file):
        wait_for(port_file, server)
        assert token_file.stat().st_mode & 0o077 == 0, "the token must be readable by its owner only"
        result = run(["bash", str(HPC / "client.sh"), str(script), "a", "b c"], PORT_FILE=str(port_file))
        assert result.returncode == 0, result.stderr + (tmp_path / "server.out").read_text()
        assert result.stdout.strip() == f"client ['a', 'b c'] {sphere_cells(16, 12)} 2"
        assert "connecting to cs://localhost:" in result.stderr
        assert server.wait(timeout=30) == 0  # without --multi-clients the server leaves with its client
    assert not port_file.exists() and not token_file.exists()  # nothing stale for the next run
    out = (tmp_path / "server.out").read_text()
    assert "Accepting connection(s): localhost:" in out and "exited with status 0" in out
    logs = tmp_path / "shared" / "logs"
    assert {p.name for p in logs.iterdir()} == {"pvserver.log", "pvserver.log.1"}
    assert "[rank 0] INFO pvserver.service: client 1 (User 1) connected" in (logs / "pvserver.log").read_text()


def test_server_script_on_every_interface_stops_on_sigterm(tmp_path: Path) -> None:
    """PV_HOST=0.0.0.0 publishes a reachable name instead; a shared server runs until SIGTERM, which stops it all."""
    script = write_script(tmp_path, "client.py", CLIENT_SCRIPT)
    env = {"NRANKS": "2", "PV_HOST": "0.0.0.0", "PV_PUBLISH_HOST": "127.0.0.1", "PV_ARGS": "--multi-clients"}
    with server_script(tmp_path, **env) as (server, port_file):
        for user in ("alice", "bob"):
            result = run(["bash", str(HPC / "client.sh"), str(script)], PORT_FILE=str(port_file), PV_USER=user)
            assert result.returncode == 0, result.stderr + (tmp_path / "server.out").read_text()
            assert "connecting to cs://127.0.0.1:" in result.stderr
        assert server.poll() is None and port_file.read_text().startswith("127.0.0.1:")
        wrong = tmp_path / "wrong.token"
        wrong.write_text("not-the-token-" * 4 + "\n")
        wrong.chmod(0o600)
        stranger = run(["bash", str(HPC / "client.sh"), str(script)], PORT_FILE=str(port_file), TOKEN_FILE=str(wrong))
        assert stranger.returncode == 1 and "token" in stranger.stderr.splitlines()[-1], stranger.stderr
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert not group_alive(server.pid), "a rank outlived the server script"
    assert not port_file.exists() and not port_file.with_name("pvserver.port.listen").exists()
    assert "bob" in (tmp_path / "shared" / "logs" / "pvserver.log").read_text()


# ------------------------------------------------------------------------------------------ --help


def parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    from pvclient.batch import build_parser as batch_parser
    from pvclient.cli import build_parser as client_parser
    from pvserver.cli import build_parser as server_parser

    return [("pvserver", server_parser()), ("pvpython", client_parser()), ("pvbatch", batch_parser())]


@pytest.mark.parametrize(("program", "parser"), parsers(), ids=["pvserver", "pvpython", "pvbatch"])
def test_help_documents_every_option(program: str, parser: argparse.ArgumentParser) -> None:
    result = run([str(BIN / program), "--help"], timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {program}")
    squeezed = re.sub(r"\s+", "", result.stdout)  # argparse wraps lines, at spaces and after hyphens
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        for option in action.option_strings:
            assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", result.stdout), f"{program}: {option}"
        if not action.option_strings:
            assert (action.metavar or action.dest) in result.stdout, f"{program}: {action.dest}"
        assert action.help, f"{program}: {action.dest} has no help"
        expanded = action.help % {**vars(action), "prog": program}  # as argparse expands %(default)s
        assert re.sub(r"\s+", "", expanded) in squeezed, f"{program}: help of {action.dest}"
