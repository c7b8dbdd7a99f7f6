#!/usr/bin/env python
"""Reliability benchmarks: what an idle server costs, and what a load leaves behind in its memory.

1. Idle CPU of 4- and 8-rank ``--multi-clients`` servers with one connected client (which built a small pipeline
   and rendered it once, so that every rank holds data and a render window), over 10 s: the CPU time of every
   process of the server (mpiexec, its proxy, the ranks) from /proc/<pid>/stat, as a percentage of one core.
   The issue's target: under 5% of one core in total for 8 ranks.
2. Server memory (resident memory of all ranks together) before and after a 16-client load run against a 4-rank
   server: the master changes properties and renders, everyone renders small images with a camera of their own,
   gathers data information and chats, for 30 s. Measured after the pipeline is built, right after the load
   (clients still connected), and after every client left.

Usage::

    python benchmarks/bench_reliability.py [--quick] [--json figures.json] [--only idle,memory]

Every server is a real ``mpiexec -n N pvserver`` (tests/servers.py) and is stopped even on errors. The machine is
shared and noisy: compare the figures of one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

from common import (
    Servers,
    chosen_sections,
    cpu_seconds,
    exit_on_sigterm,
    finish,
    machine_meta,
    process_children,
    use_checkout,
)

SECTIONS = ("idle", "memory")
IDLE_CPU_TARGET = 5.0  # percent of one core, all processes of an 8-rank server together


# ----------------------------------------------------------------------------------------------- helpers


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Print a plain-text table, every column left-aligned and no rule (unlike common.table)."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    for row in [header, *rows]:
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def processes(root: int) -> dict[int, str]:
    """``root`` and its descendants: pid -> command line."""
    children = process_children()
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError):
            found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            todo.extend(children.get(pid, []))
    return found


def rank_pids(server: Any) -> list[int]:
    return [p for p, cmd in processes(server.process.pid).items() if "pvserver.cli" in cmd and "mpiexec" not in cmd]


def rss_mib(pids: list[int]) -> float:
    """Resident memory of the processes together, in MiB."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
    return total / 2**20


# ----------------------------------------------------------------------------------------------- 1. idle CPU


def bench_idle(servers: Servers, ranks: int, settle: float, window: float) -> dict[str, Any]:
    from collab_client import LOAD_IMAGE, build_load_pipeline  # the load test's pipeline (tests/ is on the path)

    from pvclient.connection import Connection
    from pvcore import messages

    print(f"\n[idle] {ranks}-rank server, one connected client, {window:g} s after {settle:g} s", flush=True)
    with servers.start(ranks, "--multi-clients") as server:
        conn = Connection.remote(server.host, server.port, user="idle", timeout=60)
        try:
            pipeline = build_load_pipeline(conn)
            conn.request(messages.RenderRequest(pipeline["view"].GlobalID, *LOAD_IMAGE))
            time.sleep(settle)
            procs = processes(server.process.pid)
            ranks_only = rank_pids(server)
            before, t0 = cpu_seconds(list(procs)), time.perf_counter()
            time.sleep(window)
            after, wall = cpu_seconds(list(procs)), time.perf_counter() - t0
        finally:
            conn.close()
    used = {p: after[p] - before[p] for p in after if p in before}
    total = 100 * sum(used.values()) / wall
    of_ranks = 100 * sum(v for p, v in used.items() if p in ranks_only) / wall
    busiest = 100 * max(used.values(), default=0.0) / wall
    result = {
        "ranks": ranks,
        "window_s": wall,
        "processes": len(used),
        "total_percent_of_core": total,
        "ranks_percent_of_core": of_ranks,
        "busiest_process_percent": busiest,
        "target_percent": IDLE_CPU_TARGET,
    }
    table(
        f"Idle {ranks}-rank server with one client (target < {IDLE_CPU_TARGET:g}% of one core in total)",
        ["figure", "value"],
        [
            ["processes (mpiexec, proxy, ranks)", len(used)],
            ["total, % of one core", f"{total:.2f}"],
            ["ranks only, % of one core", f"{of_ranks:.2f}"],
            ["busiest process, %", f"{busiest:.2f}"],
        ],
    )
    return result


# ----------------------------------------------------------------------------------------------- 2. memory


def bench_memory(servers: Servers, ranks: int, clients: int, seconds: float) -> dict[str, Any]:
    from collab_client import LOAD_IMAGE, build_load_pipeline  # the load test's pipeline (tests/ is on the path)

    from pvclient.connection import Connection
    from pvcore import messages

    print(f"\n[memory] {ranks}-rank server, {clients} clients for {seconds:g} s", flush=True)
    with servers.start(ranks, "--multi-clients") as server:
        pids = rank_pids(server)
        at_start = rss_mib(pids)
        master = Connection.remote(server.host, server.port, user="master", timeout=60)
        pipeline = build_load_pipeline(master)
        view_id = pipeline["view"].GlobalID
        master.request(messages.RenderRequest(view_id, *LOAD_IMAGE))
        others = [
            Connection.remote(server.host, server.port, user=f"user{i:02d}", timeout=60) for i in range(1, clients)
        ]
        before = rss_mib(pids)
        stop = threading.Event()
        counts = {"renders": 0, "changes": 0, "chats": 0, "errors": 0}
        lock = threading.Lock()

        def count(what: str) -> None:
            with lock:
                counts[what] += 1

        def run(conn: Any, seed: int) -> None:
            rng, step = random.Random(seed), 0
            try:
                while not stop.is_set():
                    step += 1
                    if conn is master:
                        proxy, values = rng.choice(
                            [
                                (pipeline["contour"], {"Isosurfaces": [rng.uniform(100, 200)]}),
                                (pipeline["sphere"], {"Radius": rng.uniform(0.5, 3.0)}),
                                (pipeline["wavelet"], {"Maximum": rng.uniform(200, 300)}),
                            ]
                        )
                        conn.update(proxy, values)
                        count("changes")
                    elif step % 3 == 0:
                        view = conn.proxy(view_id)
                        conn.update(view, {"CameraPosition": [rng.uniform(-60, 60), rng.uniform(-60, 60), 60.0]})
                    conn.request(messages.RenderRequest(view_id, *LOAD_IMAGE))
                    count("renders")
                    if step % 5 == 0:
                        conn.information(conn.proxy(pipeline["contour"].GlobalID))
                    if step % 7 == 0:
                        conn.request(messages.ChatRequest(f"step {step}"))
                        count("chats")
                    conn.process_events()
            except Exception as exc:  # counted and printed: a benchmark reports, it does not assert
                count("errors")
                print(f"  a client failed: {type(exc).__name__}: {exc}", flush=True)

        everyone = [master, *others]
        threads = [threading.Thread(target=run, args=(c, i), daemon=True) for i, c in enumerate(everyone)]
        t0 = time.perf_counter()
        for thread in threads:
            thread.start()
        peak = before
        while time.perf_counter() - t0 < seconds:
            time.sleep(0.5)
            peak = max(peak, rss_mib(pids))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.perf_counter() - t0
        after_load = rss_mib(pids)
        for conn in everyone:
            conn.close()
        time.sleep(1.0)
        after_leaving = rss_mib(pids)
    result = {
        "ranks": ranks,
        "clients": clients,
        "seconds": elapsed,
        "rss_mib_at_start": at_start,
        "rss_mib_before_load": before,
        "rss_mib_peak_during_load": peak,
        "rss_mib_after_load": after_load,
        "rss_mib_after_clients_left": after_leaving,
        "growth_mib": after_load - before,
        "renders": counts["renders"],
        "renders_per_s": counts["renders"] / elapsed,
        "changes": counts["changes"],
        "chats": counts["chats"],
        "client_errors": counts["errors"],
    }
    table(
        f"Server memory (RSS of {ranks} ranks) around a {clients}-client load of {elapsed:.0f} s",
        ["figure", "MiB"],
        [
            ["server started, no client", f"{at_start:.0f}"],
            ["pipeline built, all clients connected", f"{before:.0f}"],
            ["peak during the load", f"{peak:.0f}"],
            ["right after the load", f"{after_load:.0f}"],
            ["after every client left", f"{after_leaving:.0f}"],
        ],
    )
    print(
        f"  load: {counts['renders']} renders ({counts['renders'] / elapsed:.0f}/s), {counts['changes']} changes, "
        f"{counts['chats']} chats, {counts['errors']} client errors"
    )
    return result


# ----------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter windows and load (about half a minute)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}")
    args = parser.parse_args(argv)
    only = chosen_sections(parser, args.only, SECTIONS)
    if not Path("/proc/self/stat").exists():
        print("skipped: no /proc on this system")
        return 0

    use_checkout()
    quick = args.quick
    servers = Servers(announce=False)
    exit_on_sigterm()
    started = time.perf_counter()
    figures: dict[str, Any] = {"meta": {"quick": quick, **machine_meta()}}
    try:
        if "idle" in only:
            figures["idle_cpu"] = [
                bench_idle(servers, n, 1.0 if quick else 3.0, 3.0 if quick else 10.0) for n in (4, 8)
            ]
        if "memory" in only:
            figures["load_memory"] = bench_memory(servers, 4, 16, 5.0 if quick else 30.0)
    finally:
        servers.stop_all()
    finish(figures, started, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
