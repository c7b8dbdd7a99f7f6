"""Section 2 of benchmarks/bench_hardening.py: rank 0's resident memory while three hand-made streams join and then
never read, each asking for 4096x4096 renders, and the master chats 9 KB messages pushed to everyone: before, peak
during, after, whether the non-readers were dropped and whether the master is still served (the queues of all
clients share pvserver.outbox.MAX_QUEUED_BYTES_TOTAL).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from pathlib import Path
from typing import Any

from common import Servers, table
from hardening_attacks import build_scene, connect

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
