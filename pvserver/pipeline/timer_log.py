"""Each rank's log of its pipeline executions, as ParaView's vtkTimerLog keeps them for paraview.benchmark.

An entry is made when an algorithm really executes (VTK's StartEvent to EndEvent: an update that finds it up to
date makes none), named as ParaView names it: ``Execute <proxy name> id: <global id>``. The log keeps the
latest ``MAX_ENTRIES``, so that a long session holds a bounded amount of it.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

#: Entries kept per rank (ParaView's TimerLog keeps a fixed number too; paraview.benchmark asks for many).
MAX_ENTRIES = 20_000


class TimerLog:
    """The executions of this rank's algorithms: (what, seconds), oldest first."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.entries: deque[tuple[str, float]] = deque(maxlen=max_entries)

    def record(self, event: str, seconds: float) -> None:
        """Add one entry."""
        self.entries.append((event, float(seconds)))

    @contextlib.contextmanager
    def timing(self, algorithm: Any, name: str, global_id: int) -> Iterator[None]:
        """While inside, each execution of ``algorithm`` is recorded as ``Execute <name> id: <global_id>``."""
        started: list[float] = []

        def on_start(_alg: Any, _event: str) -> None:
            started.append(time.perf_counter())

        def on_end(_alg: Any, _event: str) -> None:
            if started:
                self.record(f"Execute {name} id: {global_id}", time.perf_counter() - started.pop())

        tags = [algorithm.AddObserver("StartEvent", on_start), algorithm.AddObserver("EndEvent", on_end)]
        try:
            yield
        finally:
            for tag in tags:
                algorithm.RemoveObserver(tag)

    def text(self, threshold: float = 0.0, max_bytes: int | None = None) -> str:
        """The log as ParaView's timer information gives it: a line per entry of at least ``threshold`` seconds
        (``Execute Wavelet1 id: 5,  0.001218 seconds``), each ended by a newline; with ``max_bytes``, only the
        newest lines that fit in that many bytes."""
        lines, size = [], 0
        for event, seconds in reversed(self.entries):
            if seconds < threshold:
                continue
            line = f"{event},  {seconds:.6f} seconds\n"
            size += len(line.encode())
            if max_bytes is not None and size > max_bytes:
                break
            lines.append(line)
        return "".join(reversed(lines))
