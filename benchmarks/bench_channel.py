#!/usr/bin/env python
"""The MPI part of a request alone: pvserver's CommandChannel (send, receive, gather) with empty commands.

No gRPC, no VTK: rank 0 sends a tiny command, every worker answers at once, rank 0 gathers. This is what every
collective request pays on top of the 1-rank round trip, so it isolates the wake-up latency of the workers and
the cost of the gather. It uses :class:`pvserver.parallel.CommandChannel` as it is in this checkout, so it measures
whatever that module implements.

Usage::

    python benchmarks/bench_channel.py [--ranks 4,8] [--count 200] [--gap-ms 1] [--idle-s 3] [--json out.json]

Per size it reports the round trip (median, p90), when each worker got the command (the wake-up latency; ranks
share CLOCK_MONOTONIC on one node), the first round trip after ``--idle-s`` seconds of silence, and the CPU the
workers burnt while idle in that silence.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import ROOT

STOP = "stop"


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "median_ms": 1e3 * statistics.median(ordered),
        "p90_ms": 1e3 * ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
    }


def child(count: int, gap: float, idle: float) -> None:
    """Runs on every rank under mpiexec; rank 0 prints one JSON line."""
    from mpi4py import MPI

    from pvserver.parallel import CommandChannel

    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    channel = CommandChannel(comm)
    if rank == 0:
        trips, wakes, after_idle = [], [], []
        for i in range(count + 10):
            time.sleep(gap)
            t0 = time.perf_counter()
            channel.send(("ping", i))
            replies = channel.gather(t0)
            t1 = time.perf_counter()
            if i >= 10:  # the first ones warm up
                trips.append(t1 - t0)
                wakes.append(max(replies[1:], default=t0) - t0)
        for _ in range(3):
            time.sleep(idle)
            t0 = time.perf_counter()
            channel.send(("ping", -1))
            channel.gather(t0)
            after_idle.append(time.perf_counter() - t0)
        time.sleep(idle)  # the workers' idle CPU is measured over this silence
        channel.send(STOP)
        cpu = comm.gather(0.0, root=0)
        print(
            json.dumps(
                {
                    "ranks": size,
                    "round_trip": _ms(trips),
                    "slowest_worker_wake": _ms(wakes),
                    "round_trip_after_idle": _ms(after_idle),
                    "idle_s": idle,
                    "workers_idle_cpu_percent_of_core": 100 * sum(cpu),
                }
            ),
            flush=True,
        )
    else:
        cpu_start = wall_start = 0.0
        while True:
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            command = channel.receive()
            got = time.perf_counter()
            if command == STOP:
                break
            channel.gather(got)
        # The last wait was the final silence: its CPU over its wall time (the command itself is negligible).
        comm.gather((time.process_time() - cpu_start) / (time.perf_counter() - wall_start), root=0)


def run_group(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[int, str]:
    """Run mpiexec in its own process group, and kill the whole group (ranks included) however it ends."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env, start_new_session=True
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # nothing should be left; make sure
    return proc.returncode, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ranks", default="4,8", help="comma-separated communicator sizes")
    parser.add_argument("--count", type=int, default=200, help="round trips per size")
    parser.add_argument("--gap-ms", type=float, default=1.0, help="pause before each command (client think time)")
    parser.add_argument("--idle-s", type=float, default=2.0, help="silence before the after-idle round trips")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.count, args.gap_ms / 1e3, args.idle_s)
        return 0

    sys.path.insert(0, str(ROOT / "tests"))
    from servers import mpiexec

    figures = []
    print(f"CommandChannel round trips ({args.count} each, {args.gap_ms:g} ms apart), {os.cpu_count()} cores")
    header = f"{'ranks':>5}  {'round trip med / p90':>20}  {'slowest wake med / p90':>22}  "
    header += f"{f'after {args.idle_s:g} s idle med':>20}  {'workers idle CPU':>16}"
    print(header)
    for n in (int(r) for r in args.ranks.split(",")):
        cmd = [mpiexec(), "-n", str(n), sys.executable, str(Path(__file__).resolve()), "--child"]
        cmd += ["--count", str(args.count), "--gap-ms", str(args.gap_ms), "--idle-s", str(args.idle_s)]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        timeout = 120 + args.count * (args.gap_ms / 1e3 + 0.1) + 5 * args.idle_s
        returncode, out = run_group(cmd, env, timeout)
        lines = [line for line in out.splitlines() if line.startswith("{")]
        if returncode != 0 or not lines:
            print(f"{n:>5}  failed (exit {returncode}):\n{out[-3000:]}")
            continue
        f: dict[str, Any] = json.loads(lines[-1])
        figures.append(f)
        rt, wake, after = f["round_trip"], f["slowest_worker_wake"], f["round_trip_after_idle"]
        idle_cpu = f["workers_idle_cpu_percent_of_core"]
        print(
            f"{n:>5}  {rt['median_ms']:>9.2f} / {rt['p90_ms']:<8.2f}"
            f"  {wake['median_ms']:>10.2f} / {wake['p90_ms']:<9.2f}  {after['median_ms']:>20.2f}  {idle_cpu:>15.1f}%"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
