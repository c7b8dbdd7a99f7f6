#!/usr/bin/env python
"""Foundation benchmarks of the client/server framework, measured in one run on this machine.

1. Connect time: ``Connection.remote()`` + ``close()`` to a running 4-rank server (median, p90).
2. Request round trip beyond the VTK work: ``sphere.Radius = r; sphere.UpdatePipeline()`` on a tiny source,
   plus empty round trips (Invoke UpdatePipeline on an up-to-date source, GatherInformation), on the built-in
   session, a 1-rank and a 4-rank server; the differences separate the gRPC cost from the MPI cost.
   It also times a change + update after 1.5 s of silence (the price of the workers' sleep when idle).
3. Wavelet [-63,64]^3 -> Contour(RTData, [157]) execution through 1, 2 and 4-rank servers, beside the same VTK
   filters called directly: the whole data set in this process, each piece of an N-way split alone, and the N
   pieces computed at once by N plain processes (what N ranks can honestly gain on this machine's cores).
4. Idle CPU of an 8-rank server with no client (the workers must not spin).

Usage::

    python benchmarks/bench_foundation.py [--quick] [--json figures.json] [--only connect,roundtrip,contour,idle]

Every server is a real ``mpiexec -n N pvserver`` (tests/servers.py) and is stopped even on errors. The machine is
shared and noisy: compare the medians and ratios of one run, not figures across runs.

Sections 1 and 2 live in ``foundation_requests.py``, section 3 in ``foundation_contour.py``; this script runs them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from common import (
    Servers,
    chosen_sections,
    cpu_seconds,
    descendants,
    exit_on_sigterm,
    finish,
    machine_meta,
    table,
    use_checkout,
)
from foundation_contour import bench_contour
from foundation_requests import bench_connect, bench_roundtrip

SECTIONS = ("connect", "roundtrip", "contour", "idle")

IDLE_CPU_TARGET = 5.0  # percent of one core, all ranks together (from the project brief)


# ----------------------------------------------------------------------------------------------- 4. idle CPU


def bench_idle(servers: Servers, ranks: int, settle: float, window: float) -> dict[str, Any]:
    print(f"\n[4] idle CPU of a {ranks}-rank server with no client ({window:g} s after {settle:g} s)", flush=True)
    if not Path("/proc/self/stat").exists():
        print("  skipped: no /proc")
        return {}
    with servers.start(ranks) as server:
        time.sleep(settle)
        pids = descendants(server.process.pid)
        before, t0 = cpu_seconds(pids), time.perf_counter()
        time.sleep(window)
        after, wall = cpu_seconds(pids), time.perf_counter() - t0
    used = {p: after[p] - before[p] for p in after if p in before}
    total = 100 * sum(used.values()) / wall
    busiest = 100 * max(used.values(), default=0.0) / wall
    result = {
        "ranks": ranks,
        "processes": len(used),
        "total_percent_of_core": total,
        "busiest_process_percent": busiest,
        "target_percent": IDLE_CPU_TARGET,
    }
    table(
        f"Idle server CPU (target < {IDLE_CPU_TARGET:g}% of one core in total)",
        ["figure", "value"],
        [
            ["processes (mpiexec, proxy, ranks)", len(used)],
            ["total, % of one core", f"{total:.1f}"],
            ["busiest process, %", f"{busiest:.1f}"],
        ],
    )
    return result


# ----------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (under a minute)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}")
    parser.add_argument("--ranks", default="1,2,4", help="server sizes for the contour benchmark")
    args = parser.parse_args(argv)
    only = chosen_sections(parser, args.only, SECTIONS)

    use_checkout()
    quick = args.quick
    servers = Servers()
    exit_on_sigterm()
    started = time.perf_counter()
    figures: dict[str, Any] = {"meta": {"quick": quick, **machine_meta()}}
    try:
        if "connect" in only:
            figures["connect"] = bench_connect(servers, 8 if quick else 20)
        if "roundtrip" in only:
            figures["roundtrip"] = bench_roundtrip(
                servers, 30 if quick else 100, 5 if quick else 10, 4, 3 if quick else 8
            )
        if "contour" in only:
            ranks = [int(r) for r in args.ranks.split(",")]
            figures["contour"] = bench_contour(servers, ranks, 2 if quick else 7)
        if "idle" in only:
            figures["idle_cpu"] = bench_idle(servers, 8, 1.5 if quick else 3.0, 2.0 if quick else 4.0)
    finally:
        servers.stop_all()
    finish(figures, started, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
