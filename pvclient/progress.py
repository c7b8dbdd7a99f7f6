"""Progress of server updates for pvpython: a bar on a terminal, silence in batch logs unless asked.

The bars are tqdm's (one per proxy while it updates). Where stderr is not a terminal nothing is shown, so that job
logs stay clean; ``pvpython --progress`` asks for one plain line per tenth instead. After Ctrl-C the bars of the
cancelled update are taken down, and what the cancelled update still reports is not drawn.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, TextIO

from tqdm import tqdm

from pvcore import messages

#: How progress is shown: "auto" (a bar on a terminal, nothing elsewhere), "bar", "lines", or "off".
MODES = ("auto", "bar", "lines", "off")


class ProgressDisplay:
    """Shows the progress events of the connections it is attached to on ``stream``."""

    def __init__(self, mode: str = "auto", stream: TextIO | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"progress mode {mode!r}: one of {', '.join(MODES)}")
        self.stream = stream if stream is not None else sys.stderr
        if mode == "auto":
            mode = "bar" if self.stream.isatty() else "off"
        self.mode = mode
        self._bars: dict[int, tqdm] = {}
        self._cancelled: set[int] = set()  # proxies whose cancelled update may still report
        self._lock = threading.Lock()  # events arrive on the transport's thread

    def attach(self, connection: Any) -> None:
        """Show the progress of ``connection``'s updates (a pvclient Connection)."""
        if self.mode != "off":
            connection.progress_listeners.append(self.show)

    def show(self, progress: messages.Progress) -> None:
        """Draw one progress event."""
        if self.mode == "off":
            return
        with self._lock:
            if progress.proxy_id in self._cancelled:
                if progress.fraction >= 1.0:  # the cancelled update's last word
                    self._cancelled.discard(progress.proxy_id)
                return
            percent = min(100, int(progress.fraction * 100))
            if self.mode == "lines":
                print(f"progress: {progress.proxy_name} {percent}%", file=self.stream, flush=True)
                return
            bar = self._bars.get(progress.proxy_id)
            if bar is None:
                # events come in tenths: draw each one (tqdm's default would skip those within 0.1 s)
                bar = tqdm(total=100, desc=progress.proxy_name, file=self.stream, leave=False, unit="%", mininterval=0)
                self._bars[progress.proxy_id] = bar
            bar.update(percent - bar.n)
            if percent >= 100:
                bar.close()
                del self._bars[progress.proxy_id]

    def cancel(self) -> None:
        """Ctrl-C: take the bars down; what their updates still report is dropped."""
        with self._lock:
            for proxy_id, bar in self._bars.items():
                bar.close()
                self._cancelled.add(proxy_id)
            self._bars.clear()

    def clear(self) -> None:
        """Start afresh (a new command): nothing is cancelled any more."""
        with self._lock:
            self._cancelled.clear()
