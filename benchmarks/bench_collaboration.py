#!/usr/bin/env python
"""Collaboration benchmarks: how fast one client's change reaches the others, against a real 4-rank server.

1. Event latency, 2 clients: the master (this process) sets a Sphere's Radius; an observer client in another
   process (so that no GIL hides anything) polls ``Connection.process_events(timeout=...)`` and, as soon as the
   new value is in its mirror, takes ``time.monotonic()`` and echoes the value back over a pipe. Latency is
   measured two ways, from ``t0`` taken just before the master's ``update()`` call:

   - one way: the observer's ``time.monotonic()`` minus ``t0``. On Linux ``time.monotonic()`` is
     CLOCK_MONOTONIC, one clock for every process of the machine, so no clock offset enters;
   - echo: the moment the master's process reads the echo minus ``t0``, an upper bound that adds the pipe hop
     (the pipe's own round trip is measured and printed; half of it is what the echo adds).

   Both figures are reported; they must agree to within the pipe hop. Echoing through the server instead (and
   halving) would mix two different paths: an observer may not change the pipeline, and a chat message does not
   go through the MPI ranks as a property change does. The master waits until the change was seen, then pauses
   ``--gap-ms`` (a user's think time; the server's ranks go back to sleep lazily meanwhile) before the next one.
   A few changes after 1 s of silence show the price of the ranks' idle sleep.
2. The same with 32 clients: the master and 31 observers, all of which poll and echo. Two observers have a
   process of their own (the "measured" figure), the other 29 are threads in 3 processes, each with its own
   Connection, i.e. its own gRPC channel and stream. Reported: the measured observers, all 31, and the last of the
   31 per change (when everyone has it).
3. Events per second one master pushes to 8 observer clients (in 4 processes) with none lost: the master makes N
   property changes (Radius) or sends N chat messages as fast as it can, from 1 thread (one request in flight)
   or 4 threads on the same connection (several in flight). Every observer records every event it applies
   (sequence number, payload); the benchmark checks that each one got all N, with contiguous increasing
   sequence numbers, each sender thread's payloads in its own order (in exactly the master's order with 1
   thread), the same mirror (state_dump) in every observer, and with 1 thread the master's mirror too.
   Rate = N / (time from the first send until the last observer applied the last event); the master's own
   request rate is printed beside it.

Each section also prints the CPU time per change of the server's rank 0, of its workers, of the observer
processes and of this process (from /proc): rank 0's share grows with the number of clients it fans out to.

Usage::

    python benchmarks/bench_collaboration.py [--quick] [--json figures.json] [--gap-ms 10]
                                             [--only latency2,latency32,throughput]

One ``mpiexec -n 4 pvserver --multi-clients`` (tests/servers.py) serves every section. Every process this
benchmark starts (server ranks, observer processes) is stopped even on errors, Ctrl-C and SIGTERM; observers also
exit when their stdin closes, and the server gets ``--timeout`` as a last resort. The machine is shared and noisy:
compare the medians, p99 and ratios of one run, not figures across runs.

The parts live beside this script: ``collaboration_latency.py`` (sections 1 and 2), ``collaboration_throughput.py``
(section 3), ``collaboration_observer_side.py`` (the observer processes), ``collaboration_master_side.py`` (the
master's handle on them) and ``collaboration_figures.py`` (summaries and CPU meters).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path
from typing import Any

from collaboration_latency import bench_latency_2, bench_latency_32
from collaboration_observer_side import observer_main
from collaboration_throughput import bench_throughput
from common import ROOT, Servers, exit_on_sigterm, finish, machine_meta

RANKS = 4
SERVER_TIMEOUT_MIN = 10  # pvserver --timeout: the server stops by itself even if this process is killed -9


# ----------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (under a minute)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--gap-ms", type=float, default=10.0, help="pause between latency changes (think time)")
    parser.add_argument("--only", default="latency2,latency32,throughput", help="comma-separated sections")
    parser.add_argument("--observer", nargs=4, metavar=("HOST", "PORT", "FIRST", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.observer:
        host, port, first, count = args.observer
        return observer_main(host, int(port), int(first), int(count))

    from pvclient.connection import Connection

    only = {s.strip() for s in args.only.split(",")}
    quick, gap = args.quick, args.gap_ms / 1e3
    servers = Servers()
    exit_on_sigterm()
    started = time.perf_counter()
    figures: dict[str, Any] = {
        "meta": {
            "quick": quick,
            "ranks": RANKS,
            **machine_meta(),
            "method": "one way = observer's time.monotonic() (CLOCK_MONOTONIC, shared by all processes) minus the "
            "master's just before update(); echo = arrival of the observer's pipe echo at the master minus the same",
        }
    }
    try:
        with servers.start(RANKS, "--multi-clients", "--timeout", str(SERVER_TIMEOUT_MIN)) as server:
            master = Connection.remote(server.host, server.port, user="master", timeout=60)
            try:  # the master stays connected (and master) through every section
                sphere = master.create("sources", "Sphere", {"Radius": 0.5})
                for i in range(5):  # warm-up: first requests, first ApplyDelta on every rank
                    master.update(sphere, {"Radius": 0.5 + i * 1e-3})
                if "latency2" in only:
                    figures["latency_2_clients"] = bench_latency_2(server, master, sphere, quick, gap)
                if "latency32" in only:
                    figures["latency_32_clients"] = bench_latency_32(server, master, sphere, quick, gap)
                if "throughput" in only:
                    figures["throughput_8_observers"] = bench_throughput(server, master, sphere, quick)
            except Exception:
                print(f"\nthe server's log (last lines):\n{server.log()[-3000:]}", file=sys.stderr)
                raise
            finally:
                with contextlib.suppress(Exception):
                    master.close()
    finally:
        servers.stop_all()
    finish(figures, started, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
