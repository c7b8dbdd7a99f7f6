#!/usr/bin/env python
"""Hardening benchmarks: which attacks a real server holds, what non-reading clients cost rank 0's memory, how long
the master's edit waits behind another client's big render, and how quickly a stalled rank is reported.

1. attacks: each attack tried against fake servers on a port (tests/fake_server.py) or a real 2-rank
   ``--multi-clients --max-memory-per-rank 2G --data-dir DIR`` server, with the outcome expected and the outcome
   seen: a forged server proof, a pickle answering Fetch, wrong and empty tokens, sources that would exhaust memory,
   a Calculator loop, reading beside --data-dir (a .pvtu piece, a linked series file), a non-master SaveData,
   chains re-linked past the depth limit, a 1 MiB user name, a deeply nested state file.
2. memory: rank 0's resident memory while three hand-made streams join and then never read, each asking for
   4096x4096 renders, and the master chats 9 KB messages pushed to everyone: before, peak during, after, whether
   the non-readers were dropped and whether the master is still served (the queues of all clients share
   pvserver.outbox.MAX_QUEUED_BYTES_TOTAL).
3. latency: the master's edit round trip (a Sphere's Radius) alone, and while another client renders 4096x4096
   back to back; the median of one such render for reference.
4. stall: a worker rank stopped with SIGSTOP on a ``--request-timeout 3`` server while the master updates a
   pipeline: the time until another client receives the ServerStalled notice, how long a chat takes meanwhile,
   and, after SIGCONT, the time until ServerResumed.

Usage::

    python benchmarks/bench_hardening.py [--quick] [--json figures.json] [--only attacks,memory,latency,stall]

Every server is a real ``mpiexec -n N pvserver`` (tests/servers.py), stopped even on errors; a stopped rank is

Section 1 lives in ``hardening_attacks.py``, 2 in ``hardening_memory.py``, 3 in ``hardening_latency.py`` and 4 in
``hardening_stall.py``; this script runs them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from common import Servers, chosen_sections, exit_on_sigterm, finish, machine_meta, use_checkout
from hardening_attacks import bench_attacks
from hardening_latency import bench_latency
from hardening_memory import bench_memory
from hardening_stall import bench_stall

SECTIONS = ("attacks", "memory", "latency", "stall")


# ----------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer edits and renders (under a minute)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}")
    args = parser.parse_args(argv)
    only = chosen_sections(parser, args.only, SECTIONS)
    if not Path("/proc/self/status").exists():
        print("skipped: no /proc on this system")
        return 0

    use_checkout()
    quick = args.quick
    servers = Servers()
    exit_on_sigterm()
    started = time.perf_counter()
    figures: dict[str, Any] = {"meta": {"quick": quick, **machine_meta()}}
    try:
        if "attacks" in only:
            figures["attacks"] = bench_attacks(servers)
        if "memory" in only:
            figures["memory"] = bench_memory(servers, 1 if quick else 4, 20.0 if quick else 40.0)
        if "latency" in only:
            figures["latency"] = bench_latency(servers, 6 if quick else 20)
        if "stall" in only:
            figures["stall"] = bench_stall(servers, 3.0)
    finally:
        servers.stop_all()
    finish(figures, started, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
