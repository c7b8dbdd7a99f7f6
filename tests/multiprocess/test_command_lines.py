"""ParaView's command lines of pvpython, pvbatch and pvserver, run for real.

- Reverse connection: ``pvpython --url csrc://127.0.0.1:P script.py`` listens and waits; ``mpiexec -n 2 pvserver
  -rc --client-host 127.0.0.1 -sp P`` dials it; the script runs on the server's 2 ranks and prints what it
  computed, while port P stays held; both exit. Listening beyond loopback without TLS is refused. A server
  holding another token is refused by the waiting client, which sends it nothing.
- ``mpiexec -n 2 pvbatch -s script.py``: both ranks run the script and print the same answers, which are those of
  the same VTK pipeline here; when rank 0's script fails, the other rank's next call fails too, and all leave.
- pvpython's ``-c``, ``-m`` and ``-i``; ``-V`` of all three; ``--disable-further-connections``; an abbreviated
  long option is refused by all three; ParaView's verbosity names and numbers and ``--log=FILE,LEVEL``; the relay
  that carries a reverse connection's bytes.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from servers import ROOT, ServerProcess, mpiexec

import simple
from pvclient import reverse
from pvclient.batch import main as pvbatch_main
from pvclient.cli import main as pvpython_main
from pvcore import VERSION_TEXT, tokens
from pvcore.errors import ServerBusyError
from pvcore.relay import Relay
from pvserver.cli import main as pvserver_main
from pvserver.cli_options import bare_verbosity_as_info, logging_level, parse_log_target, parse_verbosity

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

BIN = Path(sys.executable).parent
PROGRAM_SECONDS = 60


def program(name: str) -> list[str]:
    """The command of pvpython, pvbatch or pvserver from this virtualenv."""
    module = {"pvpython": "pvclient.cli", "pvbatch": "pvclient.batch", "pvserver": "pvserver.cli"}[name]
    return [sys.executable, "-m", module]


@pytest.fixture
def private_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose token files live in a folder of this test (mode 0700)."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    return dict(os.environ, PVCOLLAB_RUNTIME_DIR=str(runtime), PYTHONUNBUFFERED="1")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


def wait_for_text(path: Path, text: str, process: subprocess.Popen, seconds: float = 30) -> None:
    """Wait until ``path`` (a process's output) contains ``text``."""
    deadline = time.monotonic() + seconds
    while text not in path.read_text(errors="replace"):
        assert process.poll() is None, f"exited with {process.returncode}:\n{path.read_text()}"
        assert time.monotonic() < deadline, f"no {text!r} within {seconds} s:\n{path.read_text()}"
        time.sleep(0.05)


def sphere_cells() -> int:
    """Cells of Sphere(ThetaResolution=32, PhiResolution=16), by VTK in this process."""
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    sphere = vtkSphereSource()
    sphere.SetThetaResolution(32)
    sphere.SetPhiResolution(16)
    sphere.Update()
    return sphere.GetOutput().GetNumberOfCells()


def sphere_elevation_reference() -> tuple[int, float, float]:
    """Cells and elevation range of Sphere(32, 16) + Elevation(0,0,-0.5 to 0,0,0.5) by VTK in this process."""
    from vtkmodules.vtkFiltersCore import vtkElevationFilter
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    sphere = vtkSphereSource()
    sphere.SetThetaResolution(32)
    sphere.SetPhiResolution(16)
    elevation = vtkElevationFilter()
    elevation.SetInputConnection(sphere.GetOutputPort())
    elevation.SetLowPoint(0, 0, -0.5)
    elevation.SetHighPoint(0, 0, 0.5)
    elevation.Update()
    low, high = elevation.GetOutput().GetPointData().GetArray("Elevation").GetRange()
    return elevation.GetOutput().GetNumberOfCells(), low, high


SERVER_SCRIPT = """
import socket
import sys
from simple import *
connection = GetActiveConnection()
sphere = Sphere(ThetaResolution=32, PhiResolution=16)
print("uri", connection.GetURI(), "ranks", connection.GetNumberOfDataPartitions(), flush=True)
print("cells", sphere.GetDataInformation().GetNumberOfCells(), "args", sys.argv[1:], flush=True)
port = int(connection.GetURI().rsplit(":", 1)[1])
try:  # while the session runs, nothing else may take the port (and catch a server's retried dial)
    socket.create_server(("localhost", port)).close()
    print("port free", flush=True)
except OSError:
    print("port held", flush=True)
late = socket.create_connection(("localhost", port), timeout=5)
late.settimeout(5)
print("late connection closed", late.recv(10) == b"", flush=True)
"""


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and its key."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subj = ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", *subj]
    subprocess.run([*openssl, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def test_reverse_connection_runs_the_script_on_the_dialling_server(tmp_path: Path, private_env: dict) -> None:
    """Over TLS, as a forward connection can be: the relays carry the encrypted bytes. The URL names an address,
    so the certificate is checked for 'localhost' (the default server name), not for the client's own address."""
    cert, key = self_signed_certificate(tmp_path)
    script = tmp_path / "script.py"
    script.write_text(SERVER_SCRIPT)
    port = free_port()
    client_out, server_out, log = tmp_path / "client.txt", tmp_path / "server.txt", tmp_path / "server.log"
    with open(client_out, "w") as out:
        client = subprocess.Popen(
            [*program("pvpython"), "--url", f"csrc://127.0.0.1:{port}", "--tls-ca", str(cert), str(script), "1", "-2"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=private_env,
        )
    try:
        wait_for_text(client_out, f"reverse connection on 127.0.0.1:{port}", client)
        time.sleep(0.5)  # the client still waits: nothing dialled it yet
        assert client.poll() is None
        server_cmd = [mpiexec(), "-n", "2", *program("pvserver"), "-rc", "--client-host", "127.0.0.1"]
        server = subprocess.run(
            [*server_cmd, "-sp", str(port), f"--log={log},INFO", "--tls-cert", str(cert), "--tls-key", str(key)],
            capture_output=True,
            text=True,
            env=private_env,
            cwd=ROOT,
            timeout=PROGRAM_SECONDS,
        )
        server_out.write_text(server.stdout + server.stderr)
        assert client.wait(timeout=PROGRAM_SECONDS) == 0, client_out.read_text()
    finally:
        client.kill()
    assert server.returncode == 0, server_out.read_text()  # the single-client server left with its client
    assert f"Connection URL: csrc://127.0.0.1:{port}" in server.stdout
    assert "Client connected." in server.stdout
    printed = client_out.read_text()
    assert f"uri csrc://127.0.0.1:{port} ranks 2" in printed
    assert f"cells {sphere_cells()} args ['1', '-2']" in printed
    assert "port held" in printed
    assert "late connection closed True" in printed
    assert "reverse connection to the client at 127.0.0.1" in log.read_text()  # --log at INFO, rank 0's file


def test_a_server_without_the_token_is_refused_by_the_waiting_client(tmp_path: Path, private_env: dict) -> None:
    mine, other = tmp_path / "mine.token", tmp_path / "other.token"
    tokens.write(mine, tokens.generate())
    tokens.write(other, tokens.generate())
    script = tmp_path / "script.py"
    script.write_text("print('the script ran')\n")
    port = free_port()
    client_out = tmp_path / "client.txt"
    with open(client_out, "w") as out:
        client = subprocess.Popen(
            [*program("pvpython"), "--url", f"csrc://localhost:{port}", "--token-file", str(mine), str(script)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=private_env,
        )
    try:
        wait_for_text(client_out, "reverse connection on", client)
        server = subprocess.Popen(
            [*program("pvserver"), "-rc", "-sp", str(port), "--token-file", str(other)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=private_env,
            cwd=ROOT,
        )
        try:
            assert client.wait(timeout=PROGRAM_SECONDS) == 1
        finally:
            server.kill()
            server.wait(timeout=10)
    finally:
        client.kill()
    printed = client_out.read_text()
    assert "could not prove that it knows the token" in printed
    assert "the script ran" not in printed


def test_a_reverse_connection_beyond_loopback_needs_tls(capsys: pytest.CaptureFixture) -> None:
    port = free_port()
    assert pvpython_main(["--url", f"csrc://0.0.0.0:{port}", "--timeout", "1", "-c", "print('ran')"]) == 1
    printed = capsys.readouterr()
    assert "would listen beyond this machine (0.0.0.0) without TLS" in printed.err
    assert "--tls-ca" in printed.err
    assert "ran" not in printed.out
    socket.create_server(("0.0.0.0", port)).close()  # refused before anything was left listening
    assert reverse.default_tls_server_name("login01") == "login01"
    assert reverse.default_tls_server_name("0.0.0.0") == "localhost"


SYMMETRIC_SCRIPT = """
import sys
from mpi4py import MPI
from simple import *
rank = MPI.COMM_WORLD.Get_rank()
sphere = Sphere(ThetaResolution=32, PhiResolution=16)
elevation = Elevation(Input=sphere, LowPoint=[0, 0, -0.5], HighPoint=[0, 0, 0.5])
low, high = elevation.PointData["Elevation"].GetRange()
cells = elevation.GetDataInformation().GetNumberOfCells()
print(f"rank {rank} of {MPI.COMM_WORLD.allreduce(1)}: cells {cells} range {low:.6f} {high:.6f} {sys.argv[1:]}")
"""


def test_pvbatch_symmetric_runs_the_script_on_every_rank(tmp_path: Path) -> None:
    script = tmp_path / "symmetric.py"
    script.write_text(SYMMETRIC_SCRIPT)
    cmd = [mpiexec(), "-n", "2", *program("pvbatch"), "--symmetric", str(script), "x"]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=PROGRAM_SECONDS)
    assert result.returncode == 0, result.stdout + result.stderr
    cells, low, high = sphere_elevation_reference()
    # the ranks write at the same time: their lines may run into each other in mpiexec's output
    lines = sorted(re.findall(r"rank \d of 2: cells \d+ range \S+ \S+ \['x'\]", result.stdout))
    assert lines == [f"rank {rank} of 2: cells {cells} range {low:.6f} {high:.6f} ['x']" for rank in (0, 1)]


def test_pvbatch_symmetric_ends_every_rank_when_one_fails(tmp_path: Path) -> None:
    script = tmp_path / "failing.py"
    script.write_text(
        textwrap.dedent("""
        from mpi4py import MPI
        from simple import *
        if MPI.COMM_WORLD.Get_rank() == 0:
            raise RuntimeError("rank 0 fails")
        Sphere()
    """)
    )
    cmd = [mpiexec(), "-n", "2", *program("pvbatch"), "-s", str(script)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=PROGRAM_SECONDS)
    assert result.returncode != 0
    assert "RuntimeError: rank 0 fails" in result.stderr
    assert "rank 0's script ended (or failed) before this rank's script made its CreateProxy call" in result.stderr


def run_pvpython(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(cwd or ROOT))
    return subprocess.run(
        [*program("pvpython"), *args], input=stdin, capture_output=True, text=True, env=env, cwd=cwd,
        timeout=PROGRAM_SECONDS,
    )  # fmt: skip


def test_pvpython_runs_code_modules_and_a_prompt_after_them(tmp_path: Path) -> None:
    code = "import sys; from simple import *; print(sys.argv, Sphere().GetDataInformation().GetNumberOfPoints())"
    result = run_pvpython("-c", code, "a", "--url")  # what follows -c is the code's, options included
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['-c', 'a', '--url'] 50"
    (tmp_path / "tool.py").write_text("import sys\nanswer = 21\nprint('tool', __name__, sys.argv[1:])\n")
    result = run_pvpython("-i", "-m", "tool", "-x", cwd=tmp_path, stdin="print('twice', answer * 2, Sphere)\n")
    assert result.returncode == 0, result.stderr
    assert "tool __main__ ['-x']" in result.stdout
    assert "twice 42 <function Sphere" in result.stdout  # at the prompt: the module's names, and simple's


@pytest.mark.parametrize(
    ("main", "abbreviated"),
    [(pvpython_main, "--multi-server"), (pvbatch_main, "--symm"), (pvserver_main, "--reverse")],
    ids=["pvpython", "pvbatch", "pvserver"],
)
def test_version_and_abbreviations_as_paraview(main: Any, abbreviated: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["-V"])
    assert (exited.value.code, capsys.readouterr().out.strip()) == (0, VERSION_TEXT)
    with pytest.raises(SystemExit) as exited:
        main([abbreviated, "x.py"])
    assert exited.value.code == 2
    assert f"unrecognized arguments: {abbreviated}" in capsys.readouterr().err


def test_disable_further_connections_refuses_the_second_client() -> None:
    with ServerProcess(1, "--multi-clients", "--disable-further-connections") as server:
        first = simple.Connect(server.url)
        try:
            with pytest.raises(ServerBusyError, match="--disable-further-connections"):
                simple.Connection.remote(server.host, server.port, timeout=20)
        finally:
            simple.Disconnect(first)


def test_verbosity_has_paraviews_names_and_numbers() -> None:
    assert [parse_verbosity(t) for t in ("OFF", "error", "WARNING", "INFO", "3", "-9", "=2", "v")] == [
        -9, -2, -1, 0, 3, -9, 2, 1,
    ]  # fmt: skip
    for wrong in ("10", "LOUD", ""):
        with pytest.raises(argparse.ArgumentTypeError, match="integer in"):
            parse_verbosity(wrong)
    assert parse_log_target("run.log") == (Path("run.log"), 0)
    assert parse_log_target("run.log,ERROR") == (Path("run.log"), -2)
    assert [logging_level(v) for v in (-9, -2, -1, 0, 5)] == [51, 40, 30, 20, 10]
    assert bare_verbosity_as_info(["-v", "run.py", "-v"]) == ["-v0", "run.py", "-v"]
    assert bare_verbosity_as_info(["-v", "ERROR", "run.py"]) == ["-v", "ERROR", "run.py"]


def test_pvserver_spells_paraviews_options() -> None:
    from pvserver.cli import build_parser

    strings = {s for action in build_parser()._actions for s in action.option_strings}
    wanted = {"-r", "--rc", "-rc", "--reverse-connection", "--client-host", "-sp", "--sp", "--server-port", "-p"}
    wanted |= {"--hostname", "--disable-further-connections", "-V", "--version", "-v", "--verbosity", "-l", "--log"}
    wanted |= {"--displays", "--enable-bt", "--force-offscreen-rendering"}
    assert not wanted - strings


def test_the_relay_carries_both_ways_and_closes_both_sides() -> None:
    client, client_end = socket.socketpair()
    server, server_end = socket.socketpair()
    relay = Relay(client_end, server_end).start()
    client.sendall(b"hello" * 50_000)  # more than one chunk
    received = b""
    while len(received) < 250_000:
        received += server.recv(65536)
    assert received == b"hello" * 50_000
    server.sendall(b"answer")
    assert client.recv(100) == b"answer"
    client.close()  # one side leaves: the other sees its connection end
    assert relay.done.wait(5)
    assert server.recv(100) == b""
    relay.join(5)
    server.close()


CONTROLLER_SCRIPT = """
from vtkmodules.vtkCommonCore import vtkIntArray
from vtkmodules.vtkParallelCore import vtkCommunicator, vtkMultiProcessController
from simple import *
from pvcore.errors import PVError

controller = vtkMultiProcessController.GetGlobalController()
rank, size = controller.GetLocalProcessId(), controller.GetNumberOfProcesses()
controller.Barrier()
mine, total = vtkIntArray(), vtkIntArray()
mine.InsertNextValue(rank + 1)
controller.AllReduce(mine, total, vtkCommunicator.SUM_OP)
sphere = Sphere()
try:
    sphere.GetClientSideObject()
    objects = "object"
except PVError as exc:
    objects = type(exc).__name__ + (" naming --symmetric" if "--symmetric" in str(exc) else "")
Disconnect()
try:
    Connect()
    again = "connected"
except PVError as exc:
    again = "refused" if "Disconnect()" in str(exc) else str(exc)
print(f"<rank {rank} of {size}: sum {total.GetValue(0)}, client-side {objects}, reconnect {again}>", flush=True)
"""


def test_pvbatch_symmetric_controller_has_each_rank_and_a_second_connect_is_refused(tmp_path: Path) -> None:
    script = tmp_path / "controller.py"
    script.write_text(CONTROLLER_SCRIPT)
    cmd = [mpiexec(), "-n", "2", *program("pvbatch"), "-s", str(script)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=PROGRAM_SECONDS)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = sorted(re.findall(r"<rank [^>]*>", result.stdout))
    assert lines == [
        "<rank 0 of 2: sum 3, client-side object, reconnect refused>",
        "<rank 1 of 2: sum 3, client-side NotSupportedException naming --symmetric, reconnect refused>",
    ], result.stdout + result.stderr


def test_pvbatch_refuses_a_connect_after_disconnect_instead_of_waiting(tmp_path: Path) -> None:
    script = tmp_path / "reconnect.py"
    script.write_text("from simple import *\nDisconnect()\nConnect()\n")
    cmd = [mpiexec(), "-n", "2", *program("pvbatch"), str(script)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=PROGRAM_SECONDS)
    assert result.returncode == 1 and "pvbatch: the session was closed (Disconnect())" in result.stderr


def test_pvbatch_symmetric_needs_mpi_thread_multiple() -> None:
    from mpi4py import MPI

    from pvclient.batch import thread_level_problem

    assert thread_level_problem(MPI) == ""  # the virtualenv's MPICH, which mpi4py starts at MPI_THREAD_MULTIPLE
    serialized = argparse.Namespace(**{name: getattr(MPI, name) for name in dir(MPI) if name.startswith("THREAD_")})
    serialized.Query_thread = lambda: MPI.THREAD_SERIALIZED
    serialized.Get_library_version = lambda: "Some MPI 1.0\nbuilt today"
    problem = thread_level_problem(serialized)
    assert "needs MPI_THREAD_MULTIPLE" in problem and "(Some MPI 1.0) gave MPI_THREAD_SERIALIZED" in problem
