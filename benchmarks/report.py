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

- ``report.json``: the machine (CPU count and model, architecture, system), and per benchmark its status, command,
  time, log and figures (the benchmark's own JSON);
- ``report.md``: the key figures in Markdown tables, and the notes;
- ``fps_vs_ranks.png`` (frames per second against ranks, from ``bench_render.py``),
  ``sync_latency_vs_clients.png`` (collaboration event latency against clients) and ``contour_vs_ranks.png``
  (Wavelet -> Contour through the server against ranks), each only when its figures exist.

Figures of one run are comparable with each other; the machine is shared and noisy, so figures of separate
runs are not.

The parts live beside this entry point: ``report_runs.py`` runs the benchmarks, ``report_series.py`` reads their
figures, ``report_plots.py`` draws the plots and ``report_markdown.py`` writes ``report.md``, both with the words of
``report_labels.py`` (legends, titles with the scene, resolution and machine, row and column names with units).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

from report_markdown import markdown
from report_plots import make_plots
from report_runs import ROOT, discover, machine_meta, run_bench


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
            **machine_meta(),
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
