"""Sections 1 and 2 of benchmarks/bench_collaboration.py: event latency from the master's change to 1 observer
process, and to 31 observers (2 with a process each, 29 as threads in 3 processes); one way on the shared
CLOCK_MONOTONIC, and echoed back over the pipes.
"""

from __future__ import annotations

import queue
import time
from typing import Any

from collaboration_figures import CpuMeter, cpu_rows, stat_cells, summary
from collaboration_master_side import Observers
from common import table

# Targets from the project brief (ParaView 5.11 takes ~100 ms from one client's change to another's view).
LATENCY_P50_TARGET_MS = 5.0
LATENCY_P99_TARGET_MS = 20.0
PARAVIEW_LATENCY_MS = 100.0

ECHO_TIMEOUT = 5.0  # a change not seen by every observer within this is counted as missed


# ----------------------------------------------------------------------------------------------- 1, 2. latency


def measure_latency(
    master: Any,
    sphere: Any,
    obs: Observers,
    meter: CpuMeter,
    count: int,
    warmup: int,
    gap: float,
    base: float,
    idle: list[float],
) -> dict[str, Any]:
    """``warmup + count`` Radius changes, each waited for at every observer; then one per ``idle`` pause."""
    gid = sphere.GlobalID
    obs.broadcast({"cmd": "latency", "gid": gid}, "started")
    one_way: dict[int, list[float]] = {c: [] for c in obs.clients}
    echo: dict[int, list[float]] = {c: [] for c in obs.clients}
    last_one_way, requests, after_idle, missed = [], [], [], 0
    total, cpu = warmup + count + len(idle), {}
    for i in range(total):
        if i == warmup:
            meter.start()
        if i == warmup + count:
            cpu = meter.per_event_ms(count)
        if i >= warmup + count:
            time.sleep(idle[i - warmup - count])
        elif gap:
            time.sleep(gap)
        radius = base + i * 1e-3
        t0 = time.monotonic()
        master.update(sphere, {"Radius": radius})
        t1 = time.monotonic()
        pending = set(obs.clients)
        seen_at: dict[int, tuple[float, float]] = {}
        deadline = t1 + ECHO_TIMEOUT
        while pending:
            try:
                arrived, _, msg = obs.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                missed += len(pending)
                print(f"  ! change {i}: {len(pending)} observer(s) did not see it within {ECHO_TIMEOUT:g} s")
                break
            if "eof" in msg:
                raise RuntimeError("an observer process exited during the latency benchmark")
            if msg.get("v") == radius and msg["c"] in pending:
                pending.discard(msg["c"])
                seen_at[msg["c"]] = (msg["t"] - t0, arrived - t0)
        if i < warmup or not seen_at:
            continue
        if i >= warmup + count:
            after_idle.append(max(v[0] for v in seen_at.values()))
            continue
        requests.append(t1 - t0)
        for c, (way, back) in seen_at.items():
            one_way[c].append(way)
            echo[c].append(back)
        if not pending:
            last_one_way.append(max(v[0] for v in seen_at.values()))
    if not cpu:
        cpu = meter.per_event_ms(count)
    obs.broadcast({"cmd": "end"}, "ended")
    return {
        "cpu_ms_per_change": cpu,
        "one_way": one_way,
        "echo": echo,
        "last_one_way": last_one_way,
        "master_request": requests,
        "after_idle": after_idle,
        "missed": missed,
    }


def bench_latency_2(server: Any, master: Any, sphere: Any, quick: bool, gap: float) -> dict[str, Any]:
    count, warmup = (100, 10) if quick else (400, 20)
    idle = [1.0] * (2 if quick else 5)
    print(f"\n[1] event latency, master -> 1 observer process ({count} changes, {gap * 1e3:g} ms apart)", flush=True)
    with Observers(server, [1]) as obs:
        pipe = obs.pipe_round_trip(50)
        raw = measure_latency(master, sphere, obs, CpuMeter(server, obs), count, warmup, gap, 1.0, idle)
    c = obs.clients[0]
    result = {
        "clients": 2,
        "changes": count,
        "gap_ms": gap * 1e3,
        "one_way": summary(raw["one_way"][c]),
        "echo": summary(raw["echo"][c]),
        "master_request": summary(raw["master_request"]),
        "after_1s_idle": summary(raw["after_idle"]),
        "pipe_round_trip": pipe,
        "cpu_ms_per_change": raw["cpu_ms_per_change"],
        "missed": raw["missed"],
        "target_p50_ms": LATENCY_P50_TARGET_MS,
        "target_p99_ms": LATENCY_P99_TARGET_MS,
    }
    table(
        f"Event latency, 2 clients (target p50 < {LATENCY_P50_TARGET_MS:g} ms, p99 < {LATENCY_P99_TARGET_MS:g} ms; "
        f"ParaView 5.11 ~{PARAVIEW_LATENCY_MS:g} ms)",
        ["figure", "n", "median ms", "p90 ms", "p99 ms", "max ms"],
        [
            ["change -> observer sees it (one way, shared clock)", *stat_cells(result["one_way"])],
            ["change -> echo back at master (upper bound)", *stat_cells(result["echo"])],
            ["master's own update() round trip", *stat_cells(result["master_request"])],
            ["one way, after 1 s of silence", *stat_cells(result["after_1s_idle"])],
            ["pipe round trip (echo adds half)", *stat_cells(pipe)],
        ],
    )
    table("CPU per change, 2 clients", ["process", "ms of CPU"], cpu_rows(raw["cpu_ms_per_change"]))
    if raw["missed"]:
        print(f"  ! {raw['missed']} change(s) never seen")
    return result


def bench_latency_32(server: Any, master: Any, sphere: Any, quick: bool, gap: float) -> dict[str, Any]:
    count, warmup = (60, 5) if quick else (250, 15)
    layout = [1, 1, 10, 10, 9]  # 2 measured observers with a process each, 29 more as threads in 3 processes
    print(f"\n[2] event latency, master -> 31 observers in {len(layout)} processes ({count} changes)", flush=True)
    with Observers(server, layout) as obs:
        raw = measure_latency(master, sphere, obs, CpuMeter(server, obs), count, warmup, gap, 2.0, [])
    measured = [c for p in obs.procs if p.count == 1 for c in range(p.first, p.first + p.count)]
    all_one_way = [v for c in obs.clients for v in raw["one_way"][c]]
    result = {
        "clients": 1 + len(obs.clients),
        "changes": count,
        "gap_ms": gap * 1e3,
        "measured_one_way": summary([v for c in measured for v in raw["one_way"][c]]),
        "measured_echo": summary([v for c in measured for v in raw["echo"][c]]),
        "all_observers_one_way": summary(all_one_way),
        "last_of_31_one_way": summary(raw["last_one_way"]),
        "master_request": summary(raw["master_request"]),
        "cpu_ms_per_change": raw["cpu_ms_per_change"],
        "missed": raw["missed"],
    }
    table(
        f"Event latency, 32 clients (target p50 < {LATENCY_P50_TARGET_MS:g} ms, p99 < {LATENCY_P99_TARGET_MS:g} ms)",
        ["figure", "n", "median ms", "p90 ms", "p99 ms", "max ms"],
        [
            ["2 observers with a process each, one way", *stat_cells(result["measured_one_way"])],
            ["the same, echo back at master", *stat_cells(result["measured_echo"])],
            ["all 31 observers, one way", *stat_cells(result["all_observers_one_way"])],
            ["last of the 31 per change (everyone has it)", *stat_cells(result["last_of_31_one_way"])],
            ["master's own update() round trip", *stat_cells(result["master_request"])],
        ],
    )
    table("CPU per change, 32 clients", ["process", "ms of CPU"], cpu_rows(raw["cpu_ms_per_change"]))
    if raw["missed"]:
        print(f"  ! {raw['missed']} (change, observer) pairs never seen")
    return result
