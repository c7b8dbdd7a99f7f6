"""The cluster job scripts of scripts/hpc/ and the benchmark report, checked without a cluster.

Every script must parse (``bash -n``) and pass shellcheck when it is installed (``apt-get install shellcheck``);
the sbatch files must ask Slurm for nodes, tasks and time; every variable a script reads must be documented in
its header. The cheap failure paths run for real (no MPI is started). ``benchmarks/report.py --from`` turns
benchmark figures into report.md and plots, with missing and failed benchmarks noted, not fatal.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HPC = ROOT / "scripts" / "hpc"
EXPECTED = ["batch-mpiexec.sh", "batch.sbatch", "client.sh", "pvserver.sbatch", "server-mpiexec.sh"]
SCRIPTS = sorted(p for p in HPC.iterdir() if p.is_file())  # every script there, the expected ones and any other
SBATCH = [p for p in SCRIPTS if p.suffix == ".sbatch"]


def header(path: Path) -> str:
    """The leading comment block of a script (after the shebang)."""
    lines = path.read_text().splitlines()[1:]
    return "\n".join(line for line in lines[: next(i for i, x in enumerate(lines) if not x.startswith("#"))])


def run(args: list[str], timeout: float = 30, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, env={**os.environ, **env}, cwd=ROOT, check=False
    )


def test_every_script_is_there() -> None:
    assert set(EXPECTED) <= {p.name for p in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_bash_syntax(script: Path) -> None:
    result = run(["bash", "-n", str(script)])
    assert result.returncode == 0, result.stderr
    assert script.read_text().startswith("#!/usr/bin/env bash\n")


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed (apt-get install shellcheck)")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shellcheck(script: Path) -> None:
    result = run(["shellcheck", "--shell=bash", "--severity=style", str(script)])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", [p for p in SCRIPTS if p.suffix == ".sh"], ids=lambda p: p.name)
def test_shell_scripts_are_executable(script: Path) -> None:
    assert os.access(script, os.X_OK), f"chmod +x {script.relative_to(ROOT)}"


@pytest.mark.parametrize("script", SBATCH, ids=lambda p: p.name)
def test_sbatch_directives(script: Path) -> None:
    lines = script.read_text().splitlines()
    directives = [line for line in lines if line.startswith("#SBATCH")]
    options = {re.match(r"#SBATCH\s+(--[\w-]+)", d).group(1) for d in directives}
    assert {"--nodes", "--time"} <= options, directives
    assert options & {"--ntasks", "--ntasks-per-node"}, directives
    assert "--job-name" in options and "--output" in options
    # sbatch stops reading #SBATCH lines at the first command: they must all come before it
    first_command = next(i for i, line in enumerate(lines[1:], 1) if line.strip() and not line.startswith("#"))
    assert all(lines.index(d) < first_command for d in directives)
    assert re.search(r"^#SBATCH --time=\d+(-\d+)?:\d\d:\d\d$", "\n".join(directives), re.M)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_variables_are_documented(script: Path) -> None:
    """Every variable a script takes from its environment is explained in its header."""
    source = script.read_text()
    taken = set(re.findall(r'^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)="\$\{\1:?-', source, re.M))
    taken -= {"PATH", "VTK_DEFAULT_OPENGL_WINDOW"}
    assert taken, "no variables found: the pattern no longer matches the scripts"
    documented = set(re.findall(r"^#\s+([A-Z][A-Z0-9_]*)\s", header(script), re.M))
    assert taken <= documented, f"undocumented in the header: {sorted(taken - documented)}"


def test_client_times_out_without_a_server(tmp_path: Path) -> None:
    result = run(["bash", str(HPC / "client.sh"), "script.py"], PORT_FILE=str(tmp_path / "none"), WAIT_TIMEOUT="1")
    assert result.returncode == 3
    assert "no server address" in result.stderr and str(tmp_path / "none") in result.stderr


def test_client_rejects_a_garbled_address(tmp_path: Path) -> None:
    (tmp_path / "port").write_text("not an address\n")
    result = run(["bash", str(HPC / "client.sh")], PORT_FILE=str(tmp_path / "port"), WAIT_TIMEOUT="5")
    assert result.returncode == 3
    assert "does not hold host:port" in result.stderr


def test_client_finds_a_job_address_file(tmp_path: Path) -> None:
    """JOB_ID names pvserver.sbatch's file; the wait ends as soon as it holds an address (here, nobody listens)."""
    (tmp_path / "pvserver-4242.port").write_text("localhost:1\n")
    result = run(
        ["bash", str(HPC / "client.sh"), "none.py"],
        SHARED_DIR=str(tmp_path),
        JOB_ID="4242",
        WAIT_TIMEOUT="5",
        PV_CLIENT_ARGS="--timeout 0.5",
    )
    assert "connecting to cs://localhost:1" in result.stderr
    assert result.returncode != 0  # nothing listens on port 1


@pytest.mark.parametrize("script", ["batch-mpiexec.sh", "batch.sbatch"])
def test_batch_scripts_need_a_script(script: str) -> None:
    result = run(["bash", str(HPC / script)])
    assert result.returncode == 2 and "usage" in result.stderr


@pytest.mark.parametrize("script", ["batch-mpiexec.sh", "server-mpiexec.sh"])
def test_unknown_launcher_is_refused(script: str, tmp_path: Path) -> None:
    result = run(["bash", str(HPC / script), "x.py"], LAUNCHER="qsub", SHARED_DIR=str(tmp_path))
    assert result.returncode == 2 and "LAUNCHER must be mpiexec or srun" in result.stderr


# ----------------------------------------------------------------------------------------------- report


def summary(median: float) -> dict[str, float]:
    return {"n": 10, "median_ms": median, "p90_ms": 1.5 * median, "p99_ms": 2 * median, "min_ms": 0.5 * median}


def test_report_from_figures(tmp_path: Path) -> None:
    """report.py --from: tables for every benchmark that has figures, notes for the others, and the plots."""
    report = {
        "meta": {"quick": True, "started": "2026-01-01T00:00:00", "python": "3.11", "machine": "x86_64"}
        | {"cpu_count": 2, "load_average": [1.0, 1.0, 1.0]},
        "benchmarks": {
            "foundation": {
                "script": "benchmarks/bench_foundation.py",
                "status": "ok",
                "elapsed_s": 50.0,
                "figures": {
                    "connect": {"connect": summary(3.0), "close": summary(1.0), "target_ms": 100.0},
                    "contour": {
                        "direct": {"full": summary(400.0)},
                        "server": {
                            "1": {"full": summary(420.0), "direct_pieces_at_once_ms": 400.0},
                            "2": {"full": summary(230.0), "direct_pieces_at_once_ms": 210.0},
                        },
                    },
                },
            },
            "render": {
                "script": "benchmarks/bench_render.py",
                "status": "ok",
                "figures": {"still": [{"ranks": 1, "fps": 20.0}, {"ranks": 2, "fps": 35.0}, {"ranks": 4, "fps": 50}]},
            },
            "collaboration": {
                "script": "benchmarks/bench_collaboration.py",
                "status": "ok",
                "figures": {
                    "latency_2_clients": {"clients": 2, "one_way": summary(0.8), "master_request": summary(1.0)},
                    "latency_32_clients": {
                        "clients": 32,
                        "all_observers_one_way": summary(2.0),
                        "last_of_31_one_way": summary(4.0),
                    },
                },
            },
            "channel": {"script": "benchmarks/bench_channel.py", "status": "missing", "figures": None}
            | {"note": "benchmarks/bench_channel.py does not exist in this checkout"},
            "compositing": {"script": "benchmarks/bench_compositing.py", "status": "failed", "figures": None}
            | {"note": "exit 1, no figures; last lines:\nTraceback ...", "elapsed_s": 3.0},
        },
        "notes": [],
    }
    source = tmp_path / "in.json"
    source.write_text(json.dumps(report))
    out = tmp_path / "out"
    result = run([sys.executable, str(ROOT / "benchmarks" / "report.py"), "--from", str(source), "--out", str(out)])
    assert result.returncode == 0, result.stdout + result.stderr
    md = (out / "report.md").read_text()
    assert "| 2 | 230 | 210 |" in md  # the contour table
    assert "32 clients, last observer per change | 4.00" in md
    assert "**missing**: benchmarks/bench_channel.py does not exist" in md
    assert "**failed**: exit 1" in md and "Traceback ..." in md
    assert "render: still/fps" in md or "still/fps" in md
    written = json.loads((out / "report.json").read_text())
    assert written["plots"] == ["fps_vs_ranks.png", "sync_latency_vs_clients.png", "contour_vs_ranks.png"]
    for name in written["plots"]:
        assert (out / name).read_bytes().startswith(b"\x89PNG"), name
        assert f"]({name})" in md
