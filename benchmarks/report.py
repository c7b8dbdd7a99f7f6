#!/usr/bin/env python
"""One benchmark report: run every benchmark of this folder, collect their figures, summarise and plot them.

Usage::

    python benchmarks/report.py [--quick] [--out DIR] [--only foundation,render,...] [--timeout S]
    python benchmarks/report.py --from DIR/report.json [--out DIR]   # redo report.md and the plots only

Every ``bench_*.py`` here that writes its figures with ``--json`` runs once (with ``--quick`` when asked and
supported; ``bench_channel.py`` with fewer round trips instead). ``bench_compositing.py`` runs under
``mpiexec -n 8``; it has no ``--json`` (yet), so its printed table is parsed. Each run is a process group of its
own, killed whole on a time-out or Ctrl-C, and its output goes to ``DIR/logs/<name>.log``. A benchmark that is
missing, fails, times out or writes nothing is recorded as such in the report, never fatal.

Written to DIR (default ``out/benchmarks``):

- ``report.json``: per benchmark its status, command, time, log and figures (the benchmark's own JSON);
- ``report.md``: the key figures in Markdown tables, and the notes;
- ``fps_vs_ranks.png`` (frames per second against ranks, from ``bench_render.py``),
  ``sync_latency_vs_clients.png`` (collaboration event latency against clients) and ``contour_vs_ranks.png``
  (Wavelet -> Contour through the server against ranks), each only when its figures exist.

Figures of one run are comparable with each other; the machine is shared and noisy, so figures of separate
runs are not.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
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

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT / "tests"))

from servers import mpiexec  # noqa: E402 - the tests' helper: the virtualenv's mpiexec next to this Python

Figures = Any  # a benchmark's JSON: dicts, lists and numbers


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


# ----------------------------------------------------------------------------------------------- series


def num(value: Any) -> float | None:
    """A finite number, or None."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def ms(summary: Any, key: str = "median_ms") -> float | None:
    """One figure (median by default) of a timing summary, or None."""
    return num(summary.get(key)) if isinstance(summary, dict) else None


def walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (path, node) of a JSON tree, depth first."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, (*path, f"[{i}]"))


FPS_KEY = re.compile(r"(^|_)(fps|frames_per_s|frames_per_second)($|_)")
RANKS_KEY = re.compile(r"^(?:ranks?_?)?(\d+)(?:_?ranks?)?$")


def fps_series(figures: Figures) -> dict[str, list[tuple[int, float]]]:
    """Frames per second against ranks, found wherever the figures hold them.

    A record is a dict with a frames-per-second key (``fps``, ``*_fps``, ``frames_per_s``...; a number, or a
    summary whose ``median`` is taken) and a rank count: its own ``ranks`` key, or the key it is stored under
    (``"4"``, ``"4_ranks"``, ``"ranks_4"``). Records whose paths differ only in the rank count form one series.
    """
    series: dict[str, list[tuple[int, float]]] = {}
    for path, node in walk(figures):
        if not isinstance(node, dict):
            continue
        ranks, label_path = num(node.get("ranks")), list(path)
        if ranks is None:
            for i in range(len(path) - 1, -1, -1):
                match = RANKS_KEY.match(path[i])
                if match:
                    ranks, label_path = float(match.group(1)), [*path[:i], *path[i + 1 :]]
                    break
        if ranks is None:
            continue
        label_path = [p for p in label_path if not p.startswith("[")]
        for key, value in node.items():
            if not FPS_KEY.search(str(key)):
                continue
            fps = num(value)
            if fps is None and isinstance(value, dict):
                fps = num(value.get("median", value.get("median_fps")))
            if fps is not None:
                label = "/".join([*label_path, str(key)])
                series.setdefault(label, []).append((int(ranks), fps))
    return {label: sorted(set(points)) for label, points in series.items()}


def latency_series(figures: Figures) -> dict[str, list[tuple[int, float]]]:
    """Collaboration event latency (one way) against the number of clients: median and p99.

    "every observer": over all observers' samples; "last observer": per change, when the last one had it (with
    one observer, the two are the same).
    """
    series: dict[str, list[tuple[int, float]]] = {}
    for _, node in walk(figures):
        if not isinstance(node, dict) or num(node.get("clients")) is None:
            continue
        clients = int(node["clients"])
        every = next((node[k] for k in ("all_observers_one_way", "one_way") if isinstance(node.get(k), dict)), None)
        last = next((v for k, v in node.items() if k.startswith("last_of_") and isinstance(v, dict)), every)
        for name, summary in (("every observer", every), ("last observer", last)):
            for stat in ("median", "p99"):
                value = ms(summary, f"{stat}_ms")
                if value is not None:
                    series.setdefault(f"{name}, {stat}", []).append((clients, value))
    return {label: sorted(points) for label, points in series.items()}


def contour_series(figures: Figures) -> dict[str, list[tuple[int, float]]]:
    """bench_foundation's Wavelet -> Contour: the server's median against ranks, beside what N processes gain."""
    served = figures.get("contour", {}).get("server", {}) if isinstance(figures, dict) else {}
    series: dict[str, list[tuple[int, float]]] = {}
    for ranks, entry in served.items():
        for label, value in (
            ("through the server", ms(entry.get("full"))),
            ("N plain processes at once", num(entry.get("direct_pieces_at_once_ms"))),
            ("ideal on this machine", num(entry.get("ideal_on_this_machine_ms"))),
        ):
            if value is not None:
                series.setdefault(label, []).append((int(ranks), value))
    return {label: sorted(points) for label, points in series.items()}


# ----------------------------------------------------------------------------------------------- plots


def plot(path: Path, title: str, xlabel: str, ylabel: str, series: dict[str, list[tuple[int, float]]]) -> bool:
    """A line plot of several series against an integer axis; False when there is nothing to plot."""
    if not any(series.values()):
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=100)
    try:
        xs: set[int] = set()
        for label, points in series.items():
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=label)
                xs.update(p[0] for p in points)
        ax.set_xticks(sorted(xs))
        if len(xs) > 2 and max(xs) / max(1, min(xs)) >= 8:
            ax.set_xscale("log", base=2)
            ax.set_xticks(sorted(xs), [str(x) for x in sorted(xs)])
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)
    return True


def make_plots(report: dict[str, Any], out: Path) -> tuple[list[str], list[str]]:
    """Draw every plot whose figures exist: the files drawn, and notes on those that could not be."""
    figures = {name: entry.get("figures") for name, entry in report["benchmarks"].items()}
    fps: dict[str, list[tuple[int, float]]] = {}
    for name, data in figures.items():
        fps.update({f"{name}: {label}": pts for label, pts in fps_series(data).items()})
    jobs = [
        ("fps_vs_ranks.png", "Frames per second against ranks", "ranks", "frames per second", fps),
        (
            "sync_latency_vs_clients.png",
            "Collaboration: one client's change seen by the others",
            "clients",
            "latency, ms",
            latency_series(figures.get("collaboration")),
        ),
        (
            "contour_vs_ranks.png",
            "Wavelet 128^3 -> Contour, median",
            "ranks",
            "ms",
            contour_series(figures.get("foundation")),
        ),
    ]
    made, notes = [], []
    for name, title, xlabel, ylabel, series in jobs:
        try:
            if plot(out / name, title, xlabel, ylabel, series):
                made.append(name)
            else:
                notes.append(f"{name}: no such figures in this run")
        except Exception as exc:  # a plot must not cost the report
            notes.append(f"{name} not drawn: {type(exc).__name__}: {exc}")
    return made, notes


# ----------------------------------------------------------------------------------------------- markdown


def fmt(value: Any, digits: int = 2, unit: str = "") -> str:
    """A number for a table: 3 significant-ish digits; '-' when absent."""
    x = num(value)
    if x is None:
        return "-"
    text = f"{x:.0f}" if abs(x) >= 100 else f"{x:.1f}" if abs(x) >= 10 else f"{x:.{digits}f}"
    return text + unit


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def pct(value: Any, scale: float = 1.0, sign: str = "") -> str:
    """A percentage with whole numbers (``scale`` 100 for a fraction); '-' when absent."""
    x = num(value)
    return "-" if x is None else f"{scale * x:{sign}.0f}%"


def stat_row(label: str, summary: Any, last: str = "p99_ms") -> list[str]:
    """Median, p90 and ``last`` (p99 by default) of a timing summary."""
    return [label, fmt(ms(summary)), fmt(ms(summary, "p90_ms")), fmt(ms(summary, last))]


def md_foundation(f: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if "connect" in f:
        c = f["connect"]
        lines += [f"Connect to a 4-rank server (target < {fmt(c.get('target_ms'))} ms; ParaView 5.11 ~650 ms):", ""]
        rows = [stat_row(k, c.get(k), "min_ms") for k in ("connect", "close")]
        lines += table(["phase", "median ms", "p90 ms", "min ms"], rows)
    sessions = f.get("roundtrip", {}).get("sessions", {})
    if sessions:
        rows = [
            [
                name,
                *(fmt(ms(s.get(k))) for k in ("change_and_update", "empty_invoke_update")),
                *(fmt(ms(s.get(k))) for k in ("empty_gather_information", "change_and_update_after_idle")),
            ]
            for name, s in sessions.items()
        ]
        lines += ["Request round trips on a tiny Sphere, median ms:", ""]
        header = ["session", "Radius + UpdatePipeline", "empty update", "GatherInformation", "after idle"]
        lines += table(header, rows)
    served = f.get("contour", {}).get("server", {})
    if served:
        direct = ms(f["contour"].get("direct", {}).get("full"))
        rows = [
            [
                ranks,
                fmt(ms(s.get("full"))),
                fmt(s.get("direct_pieces_at_once_ms")),
                pct(s.get("overhead_vs_pieces_at_once"), 100, "+"),
                fmt(s.get("speedup_vs_direct_full")),
            ]
            for ranks, s in served.items()
        ]
        lines += [f"Wavelet 128^3 -> Contour (plain VTK in one process: {fmt(direct)} ms):", ""]
        lines += table(["ranks", "server ms", "N processes at once ms", "overhead", "speed-up vs VTK"], rows)
    idle = f.get("idle_cpu") or {}
    if idle:
        lines += [
            f"Idle {idle.get('ranks')}-rank server: {fmt(idle.get('total_percent_of_core'), 1)}% of one core in "
            f"total (target < {fmt(idle.get('target_percent'), 1)}%).",
            "",
        ]
    return lines


def md_collaboration(f: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    rows = []
    for key, label in (("latency_2_clients", "2 clients"), ("latency_32_clients", "32 clients")):
        s = f.get(key)
        if not isinstance(s, dict):
            continue
        rows.append(stat_row(f"{label}, one way", s.get("one_way", s.get("all_observers_one_way"))))
        last = next((v for k, v in s.items() if k.startswith("last_of_")), None)
        if last is not None:
            rows.append(stat_row(f"{label}, last observer per change", last))
        if ms(s.get("master_request")) is not None:
            rows.append(stat_row(f"{label}, master's own request", s.get("master_request")))
        if s.get("missed"):
            rows.append([f"{label}: {s['missed']} missed", "", "", ""])
    if rows:
        lines += ["Event latency from one client's change to the others (target p50 < 5 ms, p99 < 20 ms):", ""]
        lines += table(["figure", "median ms", "p90 ms", "p99 ms"], rows)
    runs = f.get("throughput_8_observers", {}).get("runs", [])
    if runs:
        rows = [
            [
                r.get("kind"),
                r.get("sender_threads"),
                fmt(r.get("events_per_s_delivered")),
                fmt(r.get("master_requests_per_s")),
                "yes" if r.get("all_received_in_order") else "NO",
            ]
            for r in runs
        ]
        lines += ["Events pushed to 8 observers:", ""]
        lines += table(["kind", "sender threads", "events/s delivered", "master req/s", "all in order"], rows)
    return lines


def md_channel(f: list[dict[str, Any]]) -> list[str]:
    rows = [
        [
            c.get("ranks"),
            fmt(ms(c.get("round_trip"))),
            fmt(ms(c.get("round_trip"), "p90_ms")),
            fmt(ms(c.get("slowest_worker_wake"))),
            fmt(ms(c.get("round_trip_after_idle"))),
            pct(c.get("workers_idle_cpu_percent_of_core")),
        ]
        for c in f
    ]
    header = ["ranks", "round trip ms", "p90 ms", "slowest wake ms", "after idle ms", "workers idle CPU"]
    return ["MPI command channel alone (send, wake, gather):", "", *table(header, rows)]


def md_compositing(f: dict[str, Any]) -> list[str]:
    columns = list(dict.fromkeys(c for m in f["methods"].values() for c in m))
    rows = [[name, *(fmt(m.get(c)) for c in columns)] for name, m in f["methods"].items()]
    lines = [
        f"Depth compositing {f['width']}x{f['height']} on {f['ranks']} ranks ({f['cores']} cores), "
        f"{f['repeat']} repetitions:",
        "",
        *table(["method", *(c.replace("_", " ") for c in columns)], rows),
    ]
    if f.get("speedup"):
        lines += [f"Speed-up {f['speedup']['of']} (median): {fmt(f['speedup']['median'])}x."]
    lines += [f"Results of the methods {'identical' if f.get('identical') else 'DIFFER'}.", ""]
    return lines


def md_generic(f: Figures) -> list[str]:
    """For a benchmark the report has no table for: frames per second if any, and its headline figures."""
    lines: list[str] = []
    fps = fps_series(f)
    for label, points in fps.items():
        lines += [f"{label}, frames per second:", ""]
        lines += table(["ranks", "fps"], [[r, fmt(v)] for r, v in points])
    wanted = re.compile(r"(median_ms|per_s|speedup|percent)" if fps else r"(median_ms|fps|per_s|speedup|percent)")
    rows = [["/".join(p), fmt(v)] for p, v in walk(f) if p and num(v) is not None and wanted.search(p[-1])]
    if rows:
        lines += table(["figure", "value"], rows[:40])
        if len(rows) > 40:
            lines += [f"({len(rows) - 40} more figures in report.json)", ""]
    return lines


def md_io(f: dict[str, Any]) -> list[str]:
    """bench_io.py: per file and rank count, read, balance, contour and memory against one copy of the data."""
    lines: list[str] = []
    for fmt_name, result in f.get("formats", {}).items():
        ref = result.get("direct", {})
        one_copy = num(ref.get("bytes")) or 0.0
        lines += [
            f"`.{fmt_name}` of {ref.get('cells', 0):,} cells (one copy {fmt(one_copy / 2**20)} MiB in memory; plain "
            f"VTK reads it in {fmt(ref.get('read_s'))} s in one process):",
            "",
        ]
        rows = [
            [
                c.get("ranks"),
                fmt(c.get("read_s")),
                f"{c.get('balance_min')} / {c.get('balance_max')}",
                fmt(c.get("imbalance_max_over_mean")),
                fmt(c.get("contour_first_s")),
                fmt(c.get("contour_again_s")),
                fmt(c.get("write_pvtu_s")),
                fmt(c.get("peak_growth_mib")),
                fmt(c.get("peak_growth_copies")),
            ]
            for c in result.get("ranks", {}).values()
        ]
        header = ["ranks", "read s", "cells/rank min / max", "max/mean", "contour s", "again s", "write .pvtu s"]
        lines += table([*header, "peak growth MiB", "copies of the data"], rows)
    return lines


SUMMARISERS: dict[str, Callable[[Any], list[str]]] = {
    "foundation": md_foundation,
    "collaboration": md_collaboration,
    "channel": md_channel,
    "compositing": md_compositing,
    "io": md_io,
}


def markdown(report: dict[str, Any]) -> str:
    meta = report["meta"]
    lines = [
        "# Benchmark report",
        "",
        f"{meta['started']}, {'quick run (--quick)' if meta['quick'] else 'full run'}, "
        f"{meta['cpu_count']} cores ({meta['machine']}), Python {meta['python']}, load average at start "
        f"{', '.join(fmt(x) for x in meta.get('load_average') or [])}. Figures of one run compare with each other; "
        "the machine is shared and noisy, so figures of separate runs do not.",
        "",
    ]
    rows = [
        [name, e["status"], f"{e['elapsed_s']:.0f} s" if num(e.get("elapsed_s")) is not None else "-", e["script"]]
        for name, e in report["benchmarks"].items()
    ]
    lines += table(["benchmark", "status", "time", "script"], rows)
    for name, entry in report["benchmarks"].items():
        lines += [f"## {name}", ""]
        if entry.get("command"):
            lines += [f"`{entry['command']}` (log: `{entry.get('log')}`)", ""]
        if entry.get("note"):
            note = entry["note"].split("\n", 1)
            lines += [f"**{entry['status']}**: {note[0]}", ""]
            if len(note) > 1:
                lines += ["```", note[1], "```", ""]
        if entry.get("figures") is None:
            continue
        try:
            lines += SUMMARISERS.get(name, md_generic)(entry["figures"])
        except Exception as exc:  # figures of another shape than expected: say so, keep the rest
            lines += [f"(figures not summarised: {type(exc).__name__}: {exc}; see report.json)", ""]
    if report.get("plots"):
        lines += ["## Plots", ""]
        for p in report["plots"]:
            lines += [f"![{Path(p).stem}]({p})", ""]
    notes = report.get("notes", []) + report.get("plot_notes", [])
    if notes:
        lines += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    return "\n".join(lines)


def write_outputs(report: dict[str, Any], out: Path) -> None:
    """report.json, the plots and report.md."""
    report["plots"], report["plot_notes"] = make_plots(report, out)
    (out / "report.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    (out / "report.md").write_text(markdown(report))


# ----------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="each benchmark's quick mode (a few minutes in all)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "benchmarks", help="output folder")
    parser.add_argument("--only", help="comma-separated benchmark names (foundation, render, collaboration, ...)")
    parser.add_argument("--timeout", type=float, help="seconds per benchmark (default: 900 quick, 3600 full)")
    parser.add_argument("--from", dest="source", type=Path, help="redo report.md and plots from this report.json")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    (out / "logs").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(exist_ok=True)
    if args.source:
        report = json.loads(args.source.read_text())
        write_outputs(report, out)
        print(f"report: {out / 'report.md'} rewritten from {args.source}")
        return 0

    benches = discover()
    if args.only:
        names = {n.strip() for n in args.only.split(",") if n.strip()}
        unknown = names - {b.name for b in benches}
        if unknown:
            parser.error(f"unknown benchmarks {sorted(unknown)}; choose from {[b.name for b in benches]}")
        benches = [b for b in benches if b.name in names]
    timeout = args.timeout or (900.0 if args.quick else 3600.0)

    def on_signal(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds through process_group(), which kills the running benchmark

    signal.signal(signal.SIGTERM, on_signal)
    report: dict[str, Any] = {
        "meta": {
            "quick": args.quick,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpu_count": os.cpu_count(),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        },
        "benchmarks": {},
        "notes": [],
    }
    started = time.perf_counter()
    for bench in benches:
        try:
            report["benchmarks"][bench.name] = run_bench(bench, out, args.quick, timeout)
        except OSError as exc:  # cannot even start it (mpiexec missing, ...)
            report["benchmarks"][bench.name] = {
                "script": f"benchmarks/{bench.script}",
                "status": "failed",
                "figures": None,
                "note": f"could not run: {exc}",
            }
    report["meta"]["elapsed_s"] = round(time.perf_counter() - started, 1)
    write_outputs(report, out)
    statuses = ", ".join(f"{name} {e['status']}" for name, e in report["benchmarks"].items())
    print(f"report: {statuses}; {out / 'report.md'} in {report['meta']['elapsed_s']:g} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
