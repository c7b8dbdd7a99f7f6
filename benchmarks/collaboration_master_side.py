"""The observer processes of benchmarks/bench_collaboration.py seen from the master: each one started as
``bench_collaboration.py --observer`` in a process group of its own, commanded over its stdin, its lines read back
onto one inbox; every process is stopped whatever happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from collaboration_figures import summary
from common import ROOT

# ----------------------------------------------------------------------------------------------- master side

#: The script an observer process runs (with its hidden ``--observer`` option).
ENTRY_POINT = Path(__file__).resolve().with_name("bench_collaboration.py")


def child_env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PYTHONPATH=path, PYTHONUNBUFFERED="1")


class ObserverProcess:
    """An observer process seen from the master: commands go to its stdin, its lines come back on a queue."""

    def __init__(self, host: str, port: int, first: int, count: int, inbox: queue.Queue) -> None:
        cmd = [sys.executable, str(ENTRY_POINT), "--observer", host, str(port), str(first), str(count)]
        self.first, self.count = first, count
        self.inbox = inbox
        self.process = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            cwd=ROOT,
            env=child_env(),
            start_new_session=True,  # its own group: stop() kills it and anything it left behind
        )
        self.client_ids: list[int] = []
        self._reader = threading.Thread(target=self._read, daemon=True, name=f"reader-{first}")
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            arrived = time.monotonic()
            try:
                obj = json.loads(line)
            except ValueError:
                print(f"  [observer {self.first}] {line.rstrip()}", flush=True)
                continue
            self.inbox.put((arrived, self, obj))
        self.inbox.put((time.monotonic(), self, {"eof": True}))

    def send(self, obj: dict[str, Any]) -> None:
        self.process.stdin.write(json.dumps(obj) + "\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(Exception):
                self.send({"cmd": "quit"})
                self.process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


class Observers:
    """A group of observer processes with one inbox; every process is stopped by close(), whatever happened."""

    def __init__(self, server: Any, layout: list[int], first: int = 1) -> None:
        self.inbox: queue.Queue = queue.Queue()
        self.procs: list[ObserverProcess] = []
        try:
            for count in layout:
                self.procs.append(ObserverProcess(server.host, server.port, first, count, self.inbox))
                first += count
            for proc, obj in self.collect("ready", len(self.procs), 120):
                proc.client_ids = obj["ready"]
        except BaseException:
            self.close()
            raise
        self.clients = [c for p in self.procs for c in range(p.first, p.first + p.count)]

    def collect(self, key: str, count: int, timeout: float) -> list[tuple[ObserverProcess, dict[str, Any]]]:
        """Wait for ``count`` lines holding ``key``; lines of other kinds are dropped."""
        found, deadline = [], time.monotonic() + timeout
        while len(found) < count:
            try:
                _, proc, obj = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"observers: {len(found)} of {count} {key!r} answers in {timeout:g} s") from None
            if "eof" in obj:
                raise RuntimeError(f"observer process {proc.first} exited (code {proc.process.wait()})")
            if key in obj:
                found.append((proc, obj))
        return found

    def broadcast(self, obj: dict[str, Any], answer: str, timeout: float = 60) -> list[dict[str, Any]]:
        for proc in self.procs:
            proc.send(obj)
        return [obj for _, obj in self.collect(answer, len(self.procs), timeout)]

    def pipe_round_trip(self, count: int) -> dict[str, Any]:
        """Round trips master -> observer process -> master over the pipes (what an echo adds, twice)."""
        proc, samples = self.procs[0], []
        for n in range(count):
            t0 = time.monotonic()
            proc.send({"cmd": "ping", "n": n})
            arrived, _ = self._next("pong")
            samples.append(arrived - t0)
        return summary(samples)

    def _next(self, key: str) -> tuple[float, dict[str, Any]]:
        while True:
            arrived, proc, obj = self.inbox.get(timeout=30)
            if "eof" in obj:
                raise RuntimeError(f"observer process {proc.first} exited")
            if key in obj:
                return arrived, obj

    def close(self) -> None:
        for proc in self.procs:  # stop() is idempotent: the list stays, for the figures
            with contextlib.suppress(Exception):
                proc.stop()

    def __enter__(self) -> Observers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
