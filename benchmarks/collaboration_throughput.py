"""Section 3 of benchmarks/bench_collaboration.py: events per second one master pushes to 8 observer clients (in 4
processes) with none lost, from 1 sender thread or 4; every observer's record is checked for completeness and order.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from collaboration_figures import CpuMeter, dump_digest
from collaboration_master_side import Observers
from collaboration_observer_side import is_pushed
from common import fmt_ms, table

# ----------------------------------------------------------------------------------------------- 3. throughput


def push(master: Any, sphere: Any, kind: str, threads: int, per_thread: int, base: float) -> tuple[float, float, list]:
    """The master's N requests from ``threads`` threads; returns (start, end, the payloads each thread sent)."""
    from pvcore import messages

    payloads = [
        [base + (t * per_thread + k) * 1e-6 if kind == "property" else f"m{t}.{k}" for k in range(per_thread)]
        for t in range(threads)
    ]
    errors: list[BaseException] = []
    gate = threading.Barrier(threads + 1)

    def send(mine: list[Any]) -> None:
        gate.wait()
        try:
            for value in mine:
                if kind == "property":
                    master.update(sphere, {"Radius": value})
                else:
                    master.request(messages.ChatRequest(value))
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=send, args=(p,), daemon=True) for p in payloads]
    for w in workers:
        w.start()
    gate.wait()
    t0 = time.monotonic()
    for w in workers:
        w.join()
    t1 = time.monotonic()
    if errors:
        raise errors[0]
    return t0, t1, payloads


def check_log(log: list, payloads: list[list[Any]], kind: str) -> list[str]:
    """Problems with one observer's record of a push (empty: everything arrived, in order, nothing lost)."""
    ours = [(s, p) for s, p in log if is_pushed(p)]
    problems = []
    total = sum(len(p) for p in payloads)
    if len(ours) != total:
        problems.append(f"{len(ours)} of {total} events")
    seqs = [s for s, _ in ours]
    gaps = sum(1 for a, b in itertools.pairwise(seqs) if b != a + 1)
    if gaps:
        problems.append(f"{gaps} gap(s) or reordering(s) in sequence numbers")
    got = [p for _, p in ours]
    if len(payloads) == 1:
        if got != payloads[0]:
            problems.append("payloads not in the master's order")
    else:
        where = {p: (t, k) for t, ps in enumerate(payloads) for k, p in enumerate(ps)}
        if set(got) != set(where):
            problems.append("payloads missing or unknown")
        else:
            per_thread: dict[int, list[int]] = {}
            for p in got:
                per_thread.setdefault(where[p][0], []).append(where[p][1])
            if any(ks != sorted(ks) for ks in per_thread.values()):
                problems.append("a sender thread's payloads out of order")
    return problems


def bench_throughput(server: Any, master: Any, sphere: Any, quick: bool) -> dict[str, Any]:
    n = 300 if quick else 1500
    layout = [2, 2, 2, 2]
    variants = [("property", 1), ("chat", 1), ("property", 4), ("chat", 4)]
    print(f"\n[3] events/s pushed by the master to 8 observers in {len(layout)} processes ({n} each)", flush=True)
    results, rows = [], []
    with Observers(server, layout, first=100) as obs:
        for number, (kind, threads) in enumerate(variants):
            obs.broadcast({"cmd": "record", "gid": sphere.GlobalID, "expect": n}, "started")
            meter = CpuMeter(server, obs)
            meter.start()
            t0, t_master, payloads = push(master, sphere, kind, threads, n // threads, 3.0 + number)
            completes = obs.collect("complete", len(obs.clients), 60 + n * 0.05)
            t_last = max(obj["t"] for _, obj in completes)
            cpu = meter.per_event_ms(n)
            ended = [c for obj in obs.broadcast({"cmd": "end"}, "ended") for c in obj["ended"]]
            master.process_events()  # the master's own chat lines came back to it too
            problems = {c["c"]: check_log(c["log"], payloads, kind) for c in ended}
            digests = {c["digest"] for c in ended}
            if len(digests) > 1:
                for c in ended:
                    problems[c["c"]].append("the observers' mirrors differ")
            # The master's mirror takes each reply's state; with several requests in flight, replies may be
            # applied out of order, so a difference there is reported apart, not as a lost event.
            master_matches = digests == {dump_digest(master)}
            if not master_matches and threads == 1:
                for c in ended:
                    problems[c["c"]].append("mirror differs from the master's")
            bad = {c: p for c, p in problems.items() if p}
            result = {
                "kind": kind,
                "sender_threads": threads,
                "events": n,
                "observers": len(ended),
                "events_per_s_delivered": n / (t_last - t0),
                "master_requests_per_s": n / (t_master - t0),
                "last_delivery_after_master_ms": 1e3 * (t_last - t_master),
                "cpu_ms_per_event": cpu,
                "all_received_in_order": not bad,
                "master_mirror_matches_observers": master_matches,
                "problems": {str(c): p for c, p in bad.items()},
            }
            results.append(result)
            rows.append(
                [
                    f"{'Radius changes' if kind == 'property' else 'chat messages'}, {threads} sender thread(s)",
                    f"{result['events_per_s_delivered']:.0f}",
                    f"{result['master_requests_per_s']:.0f}",
                    fmt_ms(result["last_delivery_after_master_ms"]),
                    f"{cpu.get('rank0', 0.0):.2f}",
                    "yes" if not bad else "NO",
                ]
            )
            for c, p in bad.items():
                print(f"  ! observer {c}: {'; '.join(p)}")
            if not master_matches:
                print(f"  ! {kind} x{threads}: the master's own mirror differs from the observers' after the run")
    table(
        f"Events pushed to 8 observers, {n} per run (tail < 0: the observers had the last event before the master "
        "had its own reply)",
        ["run", "events/s delivered", "master req/s", "tail after master ms", "rank 0 CPU ms/event", "all 8 got all"],
        rows,
    )
    return {"runs": results}
