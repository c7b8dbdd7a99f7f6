"""Runs the corpus (see corpus.py) under real ParaView 5.11 and under this project, and compares what came of it.

Each script runs through harness.py under ParaView's pvpython (on a virtual display) and under this project's
pvpython: on the built-in session and against a real ``mpiexec -n N pvserver`` for each ``--ranks`` count. A run
of this project passes when the script finishes as ParaView's did, printed the same lines and drew the same
pictures (image difference below a threshold). The Markdown table goes to stdout and to OUT/report.md.

    bash scripts/compat.sh                      # everything: built-in, 2 and 4 ranks
    bash scripts/compat.sh --ranks 0 --only PythonPVSimpleSphere
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkIOImage import vtkPNGReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # a sibling module of this script, not an installed package

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).resolve().parent / "harness.py"
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
VENV_BIN = Path(sys.executable).parent
SCRIPT_TIMEOUT = 180.0
#: Two pictures are the same when fewer than this fraction of pixels differ by more than PIXEL_TOLERANCE (of 255)
#: in some channel: ParaView's Mesa and this project's renderer differ in antialiasing and text by a few pixels.
IMAGE_TOLERANCE = 0.03
PIXEL_TOLERANCE = 48
#: What differs between any two runs of one program: where something lies in memory, how long it took, the
#: counters of a printed VTK object, and a printed sys.path (where each program happens to be installed).
_NOISE = re.compile(
    r"0x[0-9a-f]{6,}|\d+(\.\d+)? ?(s|ms|seconds)\b|(Modified Time|Reference Count|UpdateTime|Compute Time): \d+"
    r"|^sys\.path = \[.*\]$"
)
#: ParaView's pvpython on a virtual display now and then fails to open its window on a loaded machine; such a run
#: is tried again, so that it is not counted as ParaView failing.
_DISPLAY_FAILURE = "bad X server connection"
_ATTEMPTS = 3


@dataclass
class Outcome:
    """What came of one run of one script."""

    status: str  # passed, failed, timeout
    error: str = ""
    output: list[str] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)
    log: str = ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "pvcollab-compat")
    parser.add_argument("--out", type=Path, default=ROOT / "compat-out")
    parser.add_argument("--ranks", default="0,2,4", help="comma-separated: 0 is the built-in session")
    parser.add_argument("--only", nargs="*", default=(), help="script names (without .py) to run")
    parser.add_argument("--jobs", type=int, default=2, help="scripts run at once")
    parser.add_argument("--paraview", default="/usr/bin/pvpython", help="ParaView 5.11's pvpython")
    options = parser.parse_args()
    ranks = [int(r) for r in options.ranks.split(",")]

    tree = corpus.fetch(options.cache)
    scripts, left_out = corpus.select(tree)
    if options.only:
        scripts = [s for s in scripts if s.name in options.only]
    if options.out.exists():
        shutil.rmtree(options.out)
    with virtual_display() as display:
        traces = record_traces(options, display)
        with concurrent.futures.ThreadPoolExecutor(options.jobs) as pool:
            rows = list(pool.map(lambda s: run_script(s, options, ranks, display), [*scripts, *traces]))
    report = markdown(rows, ranks, left_out)
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "report.md").write_text(report)
    print(report)
    return 0


@contextlib.contextmanager
def virtual_display() -> Iterator[str]:
    """The X display ParaView's pvpython draws on: $DISPLAY if set, else an Xvfb of our own for the run."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    xvfb = subprocess.Popen(
        ["Xvfb", f":{number}", "-nolisten", "tcp", "-screen", "0", "1280x1024x24"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if xvfb.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Xvfb :{number} did not start")
        time.sleep(0.05)
    try:
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def record_traces(options: argparse.Namespace, display: str) -> list[corpus.Script]:
    """ParaView 5.11's traces of this project's scenarios (scenarios/*.py), recorded now by ParaView itself."""
    folder = options.out / "traces"
    folder.mkdir(parents=True, exist_ok=True)
    traces = []
    for scenario in sorted(SCENARIOS.glob("*.py")):
        trace = folder / f"trace_{scenario.stem}.py"
        if options.only and trace.stem not in options.only:
            continue  # recording takes ParaView a few seconds per scenario
        for _attempt in range(_ATTEMPTS):
            done = subprocess.run(
                [options.paraview, str(HARNESS.with_name("record_trace.py")), str(scenario), str(trace)],
                cwd=folder, env=_paraview_env(display), capture_output=True, text=True, timeout=SCRIPT_TIMEOUT,
            )  # fmt: skip
            if _DISPLAY_FAILURE not in done.stderr:
                break
        if done.returncode != 0 or not trace.exists():
            print(f"{scenario.name}: ParaView could not record it:\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        traces.append(corpus.Script("traces", trace, batch=False))
    return traces


def _paraview_env(display: str) -> dict[str, str]:
    """A clean environment for ParaView's pvpython: none of this project's venv or rendering settings."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "DISPLAY": display}


def run_script(script: corpus.Script, options: argparse.Namespace, ranks: list[int], display: str) -> dict:
    """Every run of one script: ParaView's, then this project's for each rank count."""
    args = ["-T", "."] if re.search(r"smtesting|TempDir", script.path.read_text(errors="replace")) else []
    base = options.out / script.name
    # A pvbatch test runs under pvbatch on both sides: no server; N ranks is mpiexec -n N pvbatch.
    paraview = [str(Path(options.paraview).with_name("pvbatch")) if script.batch else options.paraview]
    for _attempt in range(_ATTEMPTS):
        reference = run(paraview, script, args, base / "paraview", _paraview_env(display))
        if _DISPLAY_FAILURE not in reference.log:
            break
    runs = {"ParaView": reference}
    for count in ranks:
        label = "built-in" if count == 0 else f"{count} ranks"
        out = base / label.replace(" ", "-")
        env = dict(os.environ)
        if script.batch:
            command = (
                [str(VENV_BIN / "pvbatch")] if count == 0 else [_mpiexec(), "-n", str(count), str(VENV_BIN / "pvbatch")]
            )
            runs[label] = run(command, script, args, out, env)
        elif count == 0:
            runs[label] = run([str(VENV_BIN / "pvpython")], script, args, out, env)
        else:
            with server(count, out) as url:
                runs[label] = run([str(VENV_BIN / "pvpython"), "--url", url], script, args, out, env)
    print(f"{script.name}: " + ", ".join(f"{k} {v.status}" for k, v in runs.items()), file=sys.stderr, flush=True)
    return {"script": script, "runs": runs}


def run(command: list[str], script: corpus.Script, args: list[str], out: Path, env: dict[str, str]) -> Outcome:
    """One run of ``script`` through the harness, in its own folder ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            [*command, str(HARNESS), str(out), str(script.path), *args],
            cwd=out, env=env, capture_output=True, text=True, timeout=SCRIPT_TIMEOUT, start_new_session=True,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        return Outcome("timeout", f"no result within {SCRIPT_TIMEOUT:.0f} s", log=str(exc.stderr or ""))
    (out / "stdout.txt").write_text(done.stdout)
    (out / "stderr.txt").write_text(done.stderr)
    result_file = out / "result.json"
    if not result_file.exists():
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return Outcome("failed", f"crashed: {last[:200]}", log=done.stderr)
    result = json.loads(result_file.read_text())
    lines = [line.rstrip() for line in done.stdout.splitlines() if line.strip() and not line.startswith("harness:")]
    return Outcome(
        result["status"], result["error"], [_NOISE.sub("#", line) for line in lines],
        [out / name for name in result["images"]], done.stderr,
    )  # fmt: skip


@contextlib.contextmanager
def server(ranks: int, folder: Path) -> Iterator[str]:
    """A fresh ``mpiexec -n ranks pvserver`` serving ``folder``; its cs:// URL."""
    folder.mkdir(parents=True, exist_ok=True)
    port_file = Path(tempfile.mkdtemp(prefix="compat-")) / "port"
    command = [_mpiexec(), "-n", str(ranks), sys.executable, "-m", "pvserver.cli", "--port", "0"]
    command += ["--port-file", str(port_file), "--data-dir", str(folder)]
    with (folder / "server.log").open("w") as log:
        process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while not port_file.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"pvserver on {ranks} ranks did not start; see {folder / 'server.log'}")
                time.sleep(0.05)
            yield f"cs://{port_file.read_text().strip()}"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
            shutil.rmtree(port_file.parent, ignore_errors=True)


def _mpiexec() -> str:
    """The venv's mpiexec (PyPI's MPICH), else the site's."""
    return str(VENV_BIN / "mpiexec") if (VENV_BIN / "mpiexec").exists() else "mpiexec"


def verdict(reference: Outcome, ours: Outcome) -> tuple[bool, str]:
    """Whether this project's run matches ParaView's, and what differs."""
    if ours.status != "passed":
        return False, f"fails: {ours.error}"
    if ours.output != reference.output:
        first = next((i for i, (a, b) in enumerate(zip(reference.output, ours.output, strict=False)) if a != b), None)
        if first is None:
            first = min(len(reference.output), len(ours.output))
        got = ours.output[first] if first < len(ours.output) else "(nothing)"
        want = reference.output[first] if first < len(reference.output) else "(nothing)"
        return False, f"prints {got!r} where ParaView prints {want!r}"
    if len(ours.images) != len(reference.images):
        return False, f"{len(ours.images)} images where ParaView saves {len(reference.images)}"
    for theirs, mine in zip(reference.images, ours.images, strict=True):
        difference = image_difference(theirs, mine)
        if difference > IMAGE_TOLERANCE:
            return False, f"{mine.name} differs from ParaView's in {difference:.0%} of its pixels"
    return True, ""


def image_difference(first: Path, second: Path) -> float:
    """The fraction of pixels that differ clearly (1.0 when the sizes differ)."""
    a, b = _pixels(first), _pixels(second)
    if a.shape != b.shape:
        return 1.0
    return float(np.mean(np.abs(a.astype(int) - b.astype(int)).max(axis=-1) > PIXEL_TOLERANCE))


def _pixels(path: Path) -> np.ndarray:
    reader = vtkPNGReader()
    reader.SetFileName(str(path))
    reader.Update()
    image = reader.GetOutput()
    width, height, _ = image.GetDimensions()
    values = vtk_to_numpy(image.GetPointData().GetScalars())
    return values.reshape(height, width, -1)[..., :3]


def markdown(rows: list[dict], ranks: list[int], left_out: dict[str, str]) -> str:
    """The report: one row per script, one column per run, and the score of each of this project's columns."""
    labels = ["built-in" if r == 0 else f"{r} ranks" for r in ranks]
    lines = ["| script | ParaView 5.11 | " + " | ".join(labels) + " |", "|---" * (2 + len(labels)) + "|"]
    counted = [row for row in rows if row["runs"]["ParaView"].status == "passed"]
    passed = dict.fromkeys(labels, 0)
    for row in rows:
        reference = row["runs"]["ParaView"]
        cells = ["passes" if reference.status == "passed" else f"fails ({reference.error[:60]})"]
        for label in labels:
            if reference.status != "passed":
                cells.append("-")
                continue
            ok, why = verdict(reference, row["runs"][label])
            passed[label] += ok
            cells.append("same" if ok else why.replace("|", "/")[:140])
        lines.append(f"| {row['script'].name} | " + " | ".join(cells) + " |")
    total = len(counted)
    tests = sum(row["script"].folder != "traces" for row in rows)
    score = ", ".join(f"{label} {passed[label]}/{total} ({passed[label] / max(total, 1):.0%})" for label in labels)
    summary = [
        f"Corpus: {tests} of ParaView 5.11's registered Python tests that read no input data ({len(left_out)} more "
        f"read data and are left out) and {len(rows) - tests} traces that ParaView 5.11 recorded of "
        f"scripts/compat/scenarios; ParaView 5.11 passes {total} of them in this harness.",
        f"This project runs the same as ParaView: {score}.",
        "",
    ]
    return "\n".join(summary + lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
