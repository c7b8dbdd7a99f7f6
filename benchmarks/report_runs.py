"""Running the benchmarks for benchmarks/report.py: which scripts, with which options, each in a process group of
its own (killed whole on a time-out or Ctrl-C), and the report's entry for each run.

``bench_compositing.py`` has no ``--json`` (yet): :func:`parse_compositing` reads its printed table instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report_series import Figures

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT / "tests"))

from servers import mpiexec  # noqa: E402 - the tests' helper: the virtualenv's mpiexec next to this Python

# ----------------------------------------------------------------------------------------------- the machine


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str | None:
    """The processor's model name (Linux's /proc/cpuinfo, else what platform says), or None."""
    with contextlib.suppress(OSError):
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Model", "Hardware", "cpu model") and value.strip():
                return " ".join(value.split())
    return platform.processor() or None


def machine_meta() -> dict[str, Any]:
    """What the report records of the machine at run time: CPUs and their model, architecture, system, Python."""
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.system(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


# ----------------------------------------------------------------------------------------------- benchmarks


def parse_compositing(output: str) -> dict[str, Any]:
    """The figures bench_compositing.py prints (it has no --json): its table of methods, and the ratio.

    The table is read by its header (``method  median ms  p90 ms ...``): one entry per method with a figure per
    column, so that columns and methods added later come along.
    """
    head = re.search(r"compositing (\d+)x(\d+) on (\d+) ranks \((\d+) cores\), (\d+) repetitions", output)
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"method\s{2,}", line)), None)
    if head is None or start is None:
        raise ValueError("bench_compositing.py's table was not found in its output")
    columns = [re.sub(r"\W+", "_", c.strip()).strip("_") for c in re.split(r"\s{2,}", lines[start].strip())[1:]]
    methods: dict[str, dict[str, float]] = {}
    for line in lines[start + 1 :]:
        row = re.match(r"^(\S.*?)\s{2,}(-?[\d.]+(?:\s+-?[\d.]+)*)\s*$", line)
        if row is None:
            break
        methods[row.group(1)] = dict(zip(columns, (float(v) for v in row.group(2).split()), strict=False))
    ratio = re.search(r"speed-up (.+?) \(median\): ([\d.]+)x", output)
    width, height, ranks, cores, repeat = (int(g) for g in head.groups())
    return {
        "source": "parsed from the printed table (bench_compositing.py has no --json)",
        "width": width,
        "height": height,
        "ranks": ranks,
        "cores": cores,
        "repeat": repeat,
        "methods": methods,
        "speedup": {"of": ratio.group(1), "median": float(ratio.group(2))} if ratio else None,
        "identical": "results identical" in output,
    }


@dataclass
class Bench:
    """How to run one benchmark script."""

    name: str
    script: str
    quick_args: list[str] = field(default_factory=lambda: ["--quick"])
    full_args: list[str] = field(default_factory=list)
    ranks: int = 0  # > 0: run under mpiexec -n ranks
    parse_output: Callable[[str], Figures] | None = None  # for a benchmark without --json


#: The benchmarks the report expects, in the order it runs them; other bench_*.py files with --json run after.
EXPECTED = [
    Bench("foundation", "bench_foundation.py"),
    Bench("render", "bench_render.py"),
    Bench("collaboration", "bench_collaboration.py"),
    Bench("channel", "bench_channel.py", quick_args=["--count", "50", "--idle-s", "0.5"]),
    Bench("compositing", "bench_compositing.py", ["--repeat", "5"], ranks=8, parse_output=parse_compositing),
    Bench("io", "bench_io.py"),
]


def discover() -> list[Bench]:
    """The expected benchmarks, then any other ``bench_*.py`` of the folder."""
    known = {b.script for b in EXPECTED}
    others = [Bench(p.stem.removeprefix("bench_"), p.name) for p in sorted(BENCH_DIR.glob("bench_*.py"))]
    return EXPECTED + [b for b in others if b.script not in known]


def supports(source: str, option: str) -> bool:
    """Whether a benchmark's command line declares ``option`` (read from its source: nothing is imported)."""
    return re.search(rf"add_argument\(\s*[^)]*[\"']{re.escape(option)}[\"']", source) is not None


@contextlib.contextmanager
def process_group(cmd: list[str], log: Path) -> Iterator[subprocess.Popen]:
    """Run ``cmd`` in a process group of its own, output to ``log``; the whole group is killed however it ends."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", VTK_DEFAULT_OPENGL_WINDOW="vtkEGLRenderWindow")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)  # the benchmarks stop their servers on SIGTERM
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # whatever is left: servers' ranks, observers
            proc.wait()


def run_bench(bench: Bench, out: Path, quick: bool, timeout: float) -> dict[str, Any]:
    """Run one benchmark; its entry of the report (status, command, elapsed time, log, figures, note)."""
    path = BENCH_DIR / bench.script
    entry: dict[str, Any] = {"script": f"benchmarks/{bench.script}", "status": "missing", "figures": None}
    if not path.exists():
        entry["note"] = f"benchmarks/{bench.script} does not exist in this checkout"
        return entry
    source = path.read_text(errors="replace")
    has_json = supports(source, "--json")
    if not has_json and bench.parse_output is None:
        entry.update(status="skipped", note="no --json option, and the report does not know its output")
        return entry
    args = list(bench.full_args)
    if quick:
        args += [a for a in bench.quick_args if not a.startswith("--") or supports(source, a)]
    json_path = out / "figures" / f"{bench.name}.json"
    json_path.unlink(missing_ok=True)
    if has_json:
        args += ["--json", str(json_path)]
    cmd = [sys.executable, str(path), *args]
    if bench.ranks:
        cmd = [mpiexec(), "-n", str(bench.ranks), *cmd]
    log = out / "logs" / f"{bench.name}.log"
    entry.update(command=" ".join(cmd).replace(str(ROOT) + "/", ""), log=str(log.relative_to(out)))
    print(f"report: {bench.name}: {entry['command']}", flush=True)
    started = time.perf_counter()
    with process_group(cmd, log) as proc:
        try:
            entry["returncode"] = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            entry["returncode"] = None
    entry["elapsed_s"] = round(time.perf_counter() - started, 1)
    output = log.read_text(errors="replace")
    tail = "\n".join(output.strip().splitlines()[-8:])
    if entry["returncode"] is None:
        entry.update(status="timeout", note=f"stopped after {timeout:g} s; last lines:\n{tail}")
        return entry
    try:
        entry["figures"] = json.loads(json_path.read_text()) if has_json else bench.parse_output(output)
    except (OSError, ValueError) as exc:
        entry.update(status="failed", note=f"exit {entry['returncode']}, no figures ({exc}); last lines:\n{tail}")
        return entry
    entry["status"] = "ok" if entry["returncode"] == 0 else "failed"
    if entry["returncode"] != 0:
        entry["note"] = f"exit {entry['returncode']} (figures kept); last lines:\n{tail}"
    print(f"report: {bench.name}: {entry['status']} in {entry['elapsed_s']:g} s", flush=True)
    return entry
