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
always continued before its server is stopped. The machine is shared and noisy: compare figures of one run only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from common import (
    Servers,
    chosen_sections,
    exit_on_sigterm,
    finish,
    fmt_ms,
    machine_meta,
    summary,
    table,
    use_checkout,
)
from hardening_attacks import bench_attacks, build_scene, connect, short

SECTIONS = ("attacks", "memory", "latency", "stall")
BIG = 4096  # side of the big renders, in pixels
METHOD = "/pvcollab.v1.DataServer/Session"


# ----------------------------------------------------------------------------------------------- processes


def status_mib(pid: int, field: str) -> float:
    """A memory figure (VmRSS, VmHWM) of /proc/<pid>/status, in MiB; 0 if the process is gone."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakSampler:
    """Samples one process's VmRSS every ``period`` seconds in a thread; ``peak`` is the largest seen."""

    def __init__(self, pid: int, period: float = 0.05) -> None:
        self.pid, self.period, self.peak = pid, period, status_mib(pid, "VmRSS")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            self.peak = max(self.peak, status_mib(self.pid, "VmRSS"))

    def stop(self) -> float:
        """Stop sampling; returns the peak in MiB."""
        self._stop.set()
        self._thread.join()
        return self.peak


class NonReader:
    """A hand-made Session stream that joins (tests/servers.py raw_join), sends what it is given, and never reads
    another message after the welcome's first part."""

    def __init__(self, address: str, user: str) -> None:
        import grpc
        from servers import raw_join

        from pvwire import pvcollab_pb2 as pb

        self.channel = grpc.insecure_channel(address, options=[("grpc.max_receive_message_length", 2**30)])
        self._out: queue.Queue = queue.Queue()
        self.call = self.channel.stream_stream(METHOD)(iter(self._out.get, None), wait_for_ready=True)
        welcome = raw_join(self._out.put, lambda: pb.ServerMessage.FromString(next(self.call)), address, user)
        self.joined = welcome.WhichOneof("body") == "welcome"
        self._next_id = 3

    def send(self, request: Any) -> None:
        """Send one request, never reading its reply."""
        from pvwire import codec

        self._out.put(codec.encode_request(self._next_id, request))
        self._next_id += 1

    def close(self) -> None:
        self._out.put(None)
        self.call.cancel()
        self.channel.close()


def wait_for_notice(conn: Any, kind: str, timeout: float, since: int = 0) -> float | None:
    """Process events until a notice of ``kind`` (past the first ``since`` notices) arrived; returns when
    (perf_counter), None after ``timeout`` seconds."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if any(n.kind == kind for n in conn.notices[since:]):
            return time.perf_counter()
        conn.process_events(timeout=0.02)
    return None


# ----------------------------------------------------------------------------------------------- 2. memory


def bench_memory(servers: Servers, renders_each: int, chat_seconds: float) -> dict[str, Any]:
    from pvcore import messages
    from pvserver.outbox import MAX_QUEUED_BYTES_TOTAL

    readers = 3
    print(f"\n[memory] 2-rank server, {readers} clients that never read, {renders_each} renders each", flush=True)
    with servers.start(2, "--multi-clients") as server:
        rank0 = server.rank_pids()[0]
        master = connect(server, "master")
        sphere, view = build_scene(master)
        master.request(messages.RenderRequest(view.GlobalID, 400, 400))
        at_start = status_mib(rank0, "VmRSS")
        sampler = PeakSampler(rank0)
        t0 = time.perf_counter()
        image = master.request(messages.RenderRequest(view.GlobalID, BIG, BIG))
        one_render = time.perf_counter() - t0
        master_peak = sampler.stop()
        baseline = status_mib(rank0, "VmRSS")

        sampler = PeakSampler(rank0)
        sleepers = [NonReader(server.address, f"sleeper{i}") for i in range(readers)]
        master.process_events(timeout=1.0)
        joined = sum(s.joined for s in sleepers)
        users_with_sleepers = len(master.users.users)
        for sleeper in sleepers:
            for _ in range(renders_each):
                sleeper.send(messages.RenderRequest(view.GlobalID, BIG, BIG))
        t0, chats = time.perf_counter(), 0
        dropped_after = None
        while time.perf_counter() - t0 < chat_seconds:
            for _ in range(50):  # each chat is pushed to every client: the non-readers' queues fill
                master.request(messages.ChatRequest("x" * 9_000))
                chats += 1
            master.process_events()
            if not any(u.name.startswith("sleeper") for u in master.users.users):
                dropped_after = time.perf_counter() - t0
                break
        left = [u.name for u in master.users.users if u.name.startswith("sleeper")]
        t1 = time.perf_counter()
        master.update(sphere, {"Radius": 0.75})
        edit_after = time.perf_counter() - t1
        t1 = time.perf_counter()
        small = master.request(messages.RenderRequest(view.GlobalID, 400, 400))
        render_after = time.perf_counter() - t1
        peak = sampler.stop()
        for sleeper in sleepers:
            sleeper.close()
        time.sleep(1.0)
        after = status_mib(rank0, "VmRSS")
        hwm = status_mib(rank0, "VmHWM")
        dropping = server.log().count("dropping it")
        master.close()
    result = {
        "non_readers": readers,
        "joined": joined,
        "users_with_non_readers": users_with_sleepers,
        "renders_sent_each": renders_each,
        "image_bytes": len(image.data),
        "one_render_s": one_render,
        "chats_sent": chats,
        "non_readers_dropped": not left,
        "dropped_after_s": dropped_after,
        "drops_logged": dropping,
        "master_edit_after_ms": 1e3 * edit_after,
        "master_render_after_ms": 1e3 * render_after,
        "master_still_works": (small.width, small.height) == (400, 400),
        "queue_budget_mib": MAX_QUEUED_BYTES_TOTAL / 2**20,
        "rss_mib_start": at_start,
        "rss_mib_peak_master_big_render": master_peak,
        "rss_mib_before_attack": baseline,
        "rss_mib_peak_during_attack": peak,
        "rss_mib_after_attack": after,
        "vmhwm_mib_end": hwm,
    }
    table(
        f"Rank 0 memory: {readers} non-reading clients x {renders_each} renders of {BIG}x{BIG} "
        f"({len(image.data) / 2**20:.1f} MiB PNG each), plus {chats} chats of 9 KB",
        ["figure", "MiB"],
        [
            ["pipeline built, one 400x400 render", f"{at_start:.0f}"],
            [f"peak during the master's own {BIG}x{BIG} render", f"{master_peak:.0f}"],
            ["before the attack", f"{baseline:.0f}"],
            ["peak during the attack", f"{peak:.0f}"],
            ["after the attack (non-readers gone)", f"{after:.0f}"],
            ["VmHWM at the end", f"{hwm:.0f}"],
            ["queue budget of all clients (MAX_QUEUED_BYTES_TOTAL)", f"{MAX_QUEUED_BYTES_TOTAL / 2**20:.0f}"],
        ],
    )
    print(
        f"  {joined} of {readers} joined; dropped: {'all' if not left else 'not ' + ', '.join(left)}"
        + (f" after {dropped_after:.1f} s of chats" if dropped_after is not None else "")
        + f" ({dropping} drops logged); the master's edit then took {1e3 * edit_after:.0f} ms, "
        f"a 400x400 render {1e3 * render_after:.0f} ms; one {BIG}x{BIG} render {one_render:.2f} s"
    )
    return result


# ----------------------------------------------------------------------------------------------- 3. latency


def timed_edits(conn: Any, sphere: Any, count: int, pause: Callable[[], float]) -> list[float]:
    """``count`` edits of the Sphere's Radius, each timed, with ``pause()`` seconds between them."""
    samples = []
    for i in range(count):
        t0 = time.perf_counter()
        conn.update(sphere, {"Radius": 0.5 + (i % 10) / 20})
        samples.append(time.perf_counter() - t0)
        time.sleep(pause())
    return samples


def bench_latency(servers: Servers, edits: int) -> dict[str, Any]:
    from pvcore import messages

    print(f"\n[latency] 2-rank server, {edits} edits alone and while another client renders {BIG}x{BIG}", flush=True)
    with servers.start(2, "--multi-clients") as server:
        master, other = connect(server, "master"), connect(server, "renderer")
        try:
            sphere, view = build_scene(master)
            other.process_events(timeout=1.0)
            alone = timed_edits(master, sphere, edits, lambda: 0.02)
            renders: list[float] = []
            stop = threading.Event()
            failures: list[str] = []

            def render_loop() -> None:
                try:
                    while not stop.is_set():
                        t0 = time.perf_counter()
                        other.request(messages.RenderRequest(view.GlobalID, BIG, BIG))
                        renders.append(time.perf_counter() - t0)
                except Exception as exc:  # reported, not raised: a benchmark reports
                    failures.append(f"{type(exc).__name__}: {exc}")

            thread = threading.Thread(target=render_loop, daemon=True)
            thread.start()
            while len(renders) < 2 and thread.is_alive():  # the first render also builds its buffers
                time.sleep(0.05)
            # Pauses spread over one render: an edit answered just after a render ended would otherwise always
            # arrive at the start of the next one and wait for nearly all of it.
            rng, period = random.Random(1), renders[-1] if renders else 1.0
            busy = timed_edits(master, sphere, edits, lambda: rng.uniform(0.0, period))
            stop.set()
            thread.join(timeout=60)
        finally:
            master.close()
            other.close()
    a, b = summary(alone), summary(busy)
    render = summary(renders[1:] or renders)  # the first render builds its buffers
    a["max_ms"], b["max_ms"], render["max_ms"] = 1e3 * max(alone), 1e3 * max(busy), 1e3 * max(renders[1:] or renders)
    result = {
        "edits": edits,
        "edit_alone": a,
        "edit_while_other_renders": b,
        "ratio_of_medians": b["median_ms"] / a["median_ms"],
        "render_4096": render,
        "renders_done": len(renders),
        "renderer_failures": failures,
    }
    table(
        f"The master's edit round trip (Sphere Radius), {edits} edits each",
        ["case", "median ms", "p90 ms", "min ms", "max ms"],
        [
            [name, *(fmt_ms(x[k]) for k in ("median_ms", "p90_ms", "min_ms", "max_ms"))]
            for name, x in (
                ("alone", a),
                (f"while another client renders {BIG}x{BIG}", b),
                (f"one {BIG}x{BIG} render (reference, the first left out)", render),
            )
        ],
    )
    print(
        f"  ratio of medians {result['ratio_of_medians']:.0f}x; the busy median is "
        f"{b['median_ms'] / render['median_ms']:.2f} and the slowest edit {b['max_ms'] / render['max_ms']:.2f} "
        f"of the slowest render; {len(renders)} renders done"
        + (f"; renderer failed: {failures[0]}" if failures else "")
    )
    return result


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
