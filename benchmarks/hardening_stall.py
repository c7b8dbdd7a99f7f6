"""Section 4 of benchmarks/bench_hardening.py: a worker rank stopped with SIGSTOP on a ``--request-timeout 3``
server while the master updates a pipeline: the time until another client receives the ServerStalled notice, how
long a chat takes meanwhile, and, after SIGCONT, the time until ServerResumed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from common import Servers, fmt_ms, table
from hardening_attacks import connect, short


def wait_for_notice(conn: Any, kind: str, timeout: float, since: int = 0) -> float | None:
    """Process events until a notice of ``kind`` (past the first ``since`` notices) arrived; returns when
    (perf_counter), None after ``timeout`` seconds."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if any(n.kind == kind for n in conn.notices[since:]):
            return time.perf_counter()
        conn.process_events(timeout=0.02)
    return None


# ----------------------------------------------------------------------------------------------- 4. stall


@contextlib.contextmanager
def stopped(pid: int) -> Iterator[Callable[[], float]]:
    """SIGSTOP ``pid``; yields a function that continues it (returning when, perf_counter); always continued."""
    continued: list[float] = []

    def resume() -> float:
        if not continued:
            os.kill(pid, signal.SIGCONT)
            continued.append(time.perf_counter())
        return continued[0]

    os.kill(pid, signal.SIGSTOP)
    try:
        yield resume
    finally:
        resume()


def bench_stall(servers: Servers, timeout: float) -> dict[str, Any]:
    from pvcore import messages

    print(f"\n[stall] 2-rank server with --request-timeout {timeout:g}, rank 1 stopped", flush=True)
    with servers.start(2, "--multi-clients", "--request-timeout", f"{timeout:g}") as server:
        pids = server.rank_pids()
        worker = next(pid for rank, pid in sorted(pids.items()) if rank > 0)
        master, other = connect(server, "master"), connect(server, "other")
        outcome: dict[str, Any] = {}
        try:
            sphere = master.create("sources", "Sphere", {"ThetaResolution": 64, "PhiResolution": 64})
            other.process_events(timeout=0.5)
            seen = len(other.notices)
            with stopped(worker) as resume:
                t_stop = time.perf_counter()

                def update() -> None:
                    t0 = time.perf_counter()
                    try:
                        master.invoke(sphere, "UpdatePipeline")
                        outcome["update"] = "succeeded"
                    except Exception as exc:
                        outcome["update"] = f"{type(exc).__name__}: {exc}"
                    outcome["update_s"] = time.perf_counter() - t0

                updater = threading.Thread(target=update, daemon=True)
                updater.start()
                t_stalled = wait_for_notice(other, "ServerStalled", 6 * timeout + 10, seen)
                t0 = time.perf_counter()
                try:
                    other.request(messages.ChatRequest("anyone there?"))
                    outcome["chat"] = "answered"
                except Exception as exc:
                    outcome["chat"] = f"{type(exc).__name__}: {exc}"
                chat = time.perf_counter() - t0
                try:
                    other.request(messages.GatherInformation(sphere.GlobalID))
                    outcome["heavy"] = "answered"
                except Exception as exc:
                    outcome["heavy"] = f"{type(exc).__name__}: {short(str(exc), 80)}"
                seen = len(other.notices)
                t_cont = resume()
                t_resumed = wait_for_notice(other, "ServerResumed", 30, seen)
            updater.join(timeout=60)
            t0 = time.perf_counter()
            master.invoke(master.create("sources", "Cone"), "UpdatePipeline")
            after = time.perf_counter() - t0
        finally:
            master.close()
            other.close()
    result = {
        "request_timeout_s": timeout,
        "stop_to_stalled_notice_s": None if t_stalled is None else t_stalled - t_stop,
        "chat_during_stall_ms": 1e3 * chat,
        "chat_outcome": outcome.get("chat"),
        "information_during_stall": outcome.get("heavy"),
        "continue_to_resumed_notice_s": None if t_resumed is None else t_resumed - t_cont,
        "master_update": outcome.get("update"),
        "master_update_s": outcome.get("update_s"),
        "update_after_resume_ms": 1e3 * after,
    }

    def s(value: float | None) -> str:
        return "never" if value is None else f"{value:.2f}"

    table(
        f"A stalled worker rank (SIGSTOP), --request-timeout {timeout:g}",
        ["figure", "value"],
        [
            ["SIGSTOP -> ServerStalled at the other client, s", s(result["stop_to_stalled_notice_s"])],
            ["a chat during the stall, ms", f"{fmt_ms(result['chat_during_stall_ms'])} ({outcome.get('chat')})"],
            ["GatherInformation during the stall", short(str(outcome.get("heavy")), 70)],
            ["SIGCONT -> ServerResumed, s", s(result["continue_to_resumed_notice_s"])],
            ["the master's UpdatePipeline", short(f"{outcome.get('update')}", 70)],
            ["... which took, s", s(outcome.get("update_s"))],
            ["an update after the resume, ms", fmt_ms(result["update_after_resume_ms"])],
        ],
        left=2,
    )
    return result
