"""pvpython's interactive prompt: Tab completion, a history file, Ctrl-C that stops updates, short errors.

- Tab completes names (``Sph`` -> ``Sphere(``), attributes and proxy properties (``s.Thet`` ->
  ``s.ThetaResolution``) and the keyword arguments of a source or filter (``Sphere(Rad`` -> ``Sphere(Radius=``).
- The history is kept in ``~/.pvpython_history`` (``PVPYTHON_HISTORY`` names another file; empty: none).
- Ctrl-C during an update stops it (on the built-in session as on a server) and takes its progress bar down.
- An error shows the user's own lines and the message, not the frames inside this project; the full traceback
  with ``pvpython --traceback`` or ``PVPYTHON_TRACEBACK=1``.
"""

from __future__ import annotations

import builtins
import code
import contextlib
import os
import re
import rlcompleter
import signal
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from pvclient.progress import ProgressDisplay

try:  # absent on some platforms (Windows without pyreadline): the prompt works, without completion
    import readline
except ImportError:  # pragma: no cover - Linux and macOS have it
    readline = None  # type: ignore[assignment]

#: The packages whose frames an error hides (they are this project's internals, not the user's code).
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]
_INTERNAL_DIRS = tuple(
    str(_PACKAGE_ROOT / name) + os.sep for name in ("pvclient", "pvcore", "pvserver", "pvwire", "simple", "paraview")
)
HISTORY_LENGTH = 10_000
#: The open call before the cursor: ``Sphere(Radius=1, The`` -> ("Sphere", "Radius=1, ").
_OPEN_CALL = re.compile(r"([A-Za-z_][\w.]*)\(([^()]*)$")


def full_tracebacks() -> bool:
    """Whether errors show every frame (``PVPYTHON_TRACEBACK=1``)."""
    return os.environ.get("PVPYTHON_TRACEBACK", "") not in ("", "0")


def format_error(exc: BaseException, full: bool = False) -> str:
    """The traceback of ``exc`` as the user needs it: their frames and the message (all frames when ``full``)."""
    if full:
        return "".join(traceback.format_exception(exc))
    summary = traceback.extract_tb(exc.__traceback__)
    mine = [frame for frame in summary if not _internal(frame.filename)]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(mine)] if mine else []
    return "".join([*lines, *traceback.format_exception_only(exc)])


def _internal(filename: str) -> bool:
    """A frame of this project, or of the runpy that started the user's script."""
    return filename.startswith(_INTERNAL_DIRS) or filename == "<frozen runpy>" or filename.endswith("runpy.py")


class Completer(rlcompleter.Completer):
    """rlcompleter's completion of names and attributes, plus keyword arguments of sources and filters."""

    def complete(self, text: str, state: int) -> str | None:
        if state == 0:
            keywords = self._keyword_matches(text)
            if not text.strip():  # at an argument's start: every keyword; elsewhere rlcompleter indents
                self.matches = keywords
                if not keywords:
                    return super().complete(text, state)
            else:
                try:
                    super().complete(text, 0)  # fills self.matches with names or attributes
                except Exception:  # an attribute lookup that raised: keep the prompt working
                    self.matches = []
                self.matches = [*keywords, *(m for m in self.matches if m not in keywords)]
        return self.matches[state] if state < len(self.matches) else None

    def _keyword_matches(self, text: str) -> list[str]:
        """``Name=`` for the properties of the source or filter whose call is open before the cursor."""
        if readline is None or "." in text:
            return []
        line = readline.get_line_buffer()[: readline.get_begidx()]
        call = _OPEN_CALL.search(line)
        if call is None or not re.search(r"(^|,)\s*$", call.group(2)):
            return []
        names = self._property_names(call.group(1))
        return [f"{name}=" for name in names if name.startswith(text)]

    def _property_names(self, dotted: str) -> list[str]:
        """The property names of what ``dotted`` names in the namespace, looked up without calling anything."""
        obj: Any = self.namespace
        for i, part in enumerate(dotted.split(".")):
            try:
                obj = obj[part] if i == 0 else getattr(obj, part)
            except (KeyError, AttributeError):
                obj = getattr(builtins, part, None) if i == 0 else None
                if obj is None:
                    return []
        names = getattr(obj, "property_names", None)
        if not callable(names):
            return []
        try:
            return list(names())
        except Exception:  # no connection, or its server lacks the type: no keyword completion
            return []


class Console(code.InteractiveConsole):
    """The prompt: short errors, and Ctrl-C that takes progress bars down before it interrupts."""

    def __init__(self, namespace: dict, progress: ProgressDisplay | None, full: bool) -> None:
        super().__init__(namespace)
        self.progress = progress
        self.full = full

    def runcode(self, code_object: Any) -> None:
        if self.progress is not None:
            self.progress.clear()
        super().runcode(code_object)

    def showtraceback(self) -> None:
        _, exc, tb = sys.exc_info()
        assert exc is not None
        exc.__traceback__ = _without_first(tb)  # the first frame is code.py's exec
        self.write(format_error(exc, self.full))


def _without_first(tb: TracebackType | None) -> TracebackType | None:
    return tb.tb_next if tb is not None else None


@contextlib.contextmanager
def _history(path: Path | None) -> Iterator[None]:
    """Read the history file before, write it after (up to HISTORY_LENGTH lines)."""
    if readline is None or path is None:
        yield
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LENGTH)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            # the history may hold a token typed into Connect(): readable by this user only
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
            os.chmod(path, 0o600)
            readline.write_history_file(path)


def history_path() -> Path | None:
    """Where the history is kept: ``PVPYTHON_HISTORY``, else ``~/.pvpython_history``; None when set empty."""
    chosen = os.environ.get("PVPYTHON_HISTORY")
    if chosen is not None:
        return Path(chosen) if chosen else None
    return Path.home() / ".pvpython_history"


def interact(namespace: dict, banner: str, progress: ProgressDisplay | None = None, full: bool = False) -> None:
    """Run the prompt in ``namespace`` until end of input."""
    if readline is not None:
        readline.set_completer(Completer(namespace).complete)
        readline.set_completer_delims(" \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?")
        readline.parse_and_bind("tab: complete")

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        if progress is not None:
            progress.cancel()
        signal.default_int_handler(signum, frame)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        with _history(history_path()):
            Console(namespace, progress, full).interact(banner=banner, exitmsg="")
    finally:
        signal.signal(signal.SIGINT, previous)
