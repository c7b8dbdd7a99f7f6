"""pvpython's progress display: bars on a terminal, nothing in logs, nothing drawn for a cancelled update."""

from __future__ import annotations

import io

from pvclient.progress import ProgressDisplay
from pvcore.messages import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_shown_where_stderr_is_not_a_terminal() -> None:
    log = io.StringIO()
    display = ProgressDisplay(stream=log)
    assert display.mode == "off"
    display.show(Progress(1, "Wavelet1", 0.5))
    assert log.getvalue() == ""


def test_lines_when_asked() -> None:
    log = io.StringIO()
    display = ProgressDisplay("lines", stream=log)
    display.show(Progress(1, "Wavelet1", 0.5))
    assert log.getvalue() == "progress: Wavelet1 50%\n"


def test_a_bar_on_a_terminal_is_taken_down_when_complete() -> None:
    screen = Terminal()
    display = ProgressDisplay(stream=screen)
    assert display.mode == "bar"
    display.show(Progress(1, "Wavelet1", 0.3))
    assert "Wavelet1" in screen.getvalue() and "30%" in screen.getvalue()
    display.show(Progress(1, "Wavelet1", 1.0))
    assert display._bars == {}


def test_a_cancelled_update_is_not_drawn_at_100_percent() -> None:
    screen = Terminal()
    display = ProgressDisplay(stream=screen)
    display.show(Progress(1, "Wavelet1", 0.4))
    display.cancel()
    drawn = screen.getvalue()
    display.show(Progress(1, "Wavelet1", 1.0))  # the aborted algorithm's last report
    assert screen.getvalue() == drawn and "100%" not in drawn
    display.show(Progress(1, "Wavelet1", 0.2))  # the next update is drawn again
    assert "20%" in screen.getvalue()
