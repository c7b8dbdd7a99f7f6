"""The observer processes of benchmarks/bench_collaboration.py (``bench_collaboration.py --observer HOST PORT FIRST
COUNT``): their connections poll the server, timestamp what they see and record every event, driven by JSON lines on
stdin and answering on stdout.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from typing import Any

from collaboration_figures import dump_digest

POLL_TIMEOUT = 0.05  # observers' process_events(timeout=...): wakes at once when an event is queued


# ----------------------------------------------------------------------------------------------- observer side


def is_pushed(payload: Any) -> bool:
    """Whether a recorded event payload is one the throughput benchmark pushed (a Radius value or "m<t>.<k>")."""
    return isinstance(payload, float) or (isinstance(payload, str) and payload.startswith("m"))


class ObserverClient:
    """One observing Connection and the thread that polls it (in an observer process)."""

    def __init__(self, index: int, host: str, port: int, user: str, emit: Any) -> None:
        from pvclient.connection import Connection

        self.index = index
        self.conn = Connection.remote(host, port, user=user, timeout=60)
        self.emit = emit
        self.log: list[tuple[int, Any]] = []  # (sequence, payload) of every event applied while recording
        self.complete_at = 0.0
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.conn.event_listeners.append(self._on_event)
        self._recording = False
        self._gid = 0
        self._expect = 0
        self._matching = 0

    # every event applied by process_events() passes here (on the polling thread)
    def _on_event(self, event: Any) -> None:
        if not self._recording:
            return
        from pvcore import messages

        body = event.body
        payload: Any = type(body).__name__
        if isinstance(body, messages.ChatMessage):
            payload = body.text
        elif isinstance(body, messages.StateDelta):
            radius = [s.properties.get("Radius", (None,))[0] for s in body.states if s.global_id == self._gid]
            payload = radius[0] if radius else payload
        self.log.append((event.sequence, payload))
        if is_pushed(payload):
            self._matching += 1
            if self._matching == self._expect:
                self.complete_at = time.monotonic()
                self.emit({"complete": self.index, "t": self.complete_at})

    def start_latency(self, gid: int) -> None:
        """Poll; whenever the sphere's Radius changes in the mirror, timestamp it and echo it to the master."""

        def run() -> None:
            conn, stop = self.conn, self._stop
            last = conn.states[gid].properties["Radius"][0]
            while not stop.is_set():
                if conn.process_events(timeout=POLL_TIMEOUT):
                    radius = conn.states[gid].properties["Radius"][0]
                    if radius != last:
                        seen = time.monotonic()
                        last = radius
                        self.emit({"c": self.index, "v": radius, "t": seen})

        self._start(run)

    def start_recording(self, gid: int, expect: int) -> None:
        """Poll, logging every event; say when ``expect`` of the benchmark's events have arrived."""
        self._stop.clear()
        self.conn.process_events()  # what queued up before this phase (users joining, ...) is not recorded
        self.log, self.complete_at, self._matching = [], 0.0, 0
        self._gid, self._expect, self._recording = gid, expect, True

        def run() -> None:
            while not self._stop.is_set():
                self.conn.process_events(timeout=POLL_TIMEOUT)

        self._start(run)

    def _start(self, target: Any) -> None:
        self._stop.clear()
        self.conn.process_events()  # what queued up before this phase (users joining, ...) is not measured
        self._thread = threading.Thread(target=target, daemon=True, name=f"observer-{self.index}")
        self._thread.start()

    def end(self) -> dict[str, Any]:
        """Stop polling; what was recorded, and a digest of the mirror."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.conn.process_events()  # still recorded: an event beyond the expected ones (a duplicate) shows
        self._recording = False
        return {
            "c": self.index,
            "client_id": self.conn.client_id,
            "log": self.log,
            "complete_at": self.complete_at,
            "digest": dump_digest(self.conn),
            "last_sequence": self.conn.last_sequence,
        }


def observer_main(host: str, port: int, first: int, count: int) -> int:
    """An observer process: ``count`` connections, driven by JSON lines on stdin, answering on stdout."""
    out_lock = threading.Lock()
    stdout = sys.stdout

    def emit(obj: dict[str, Any]) -> None:
        line = json.dumps(obj) + "\n"
        with out_lock:
            stdout.write(line)
            stdout.flush()

    clients = [ObserverClient(first + k, host, port, f"observer {first + k}", emit) for k in range(count)]
    emit({"ready": [c.conn.client_id for c in clients]})
    try:
        for line in sys.stdin:  # EOF (the master went away) ends the process
            cmd = json.loads(line)
            op = cmd["cmd"]
            if op == "ping":
                emit({"pong": cmd["n"]})
            elif op == "latency":
                for c in clients:
                    c.start_latency(cmd["gid"])
                emit({"started": True})
            elif op == "record":
                for c in clients:
                    c.start_recording(cmd["gid"], cmd["expect"])
                emit({"started": True})
            elif op == "end":
                emit({"ended": [c.end() for c in clients]})
            elif op == "quit":
                break
    finally:
        for c in clients:
            c._stop.set()
        for c in clients:
            with contextlib.suppress(Exception):
                c.conn.close()
    return 0
