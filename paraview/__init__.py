"""ParaView's package name, so that scripts written for ParaView run unchanged.

``from paraview.simple import *``, ``from paraview import servermanager`` and ``from paraview.collaboration import
*`` give this project's :mod:`simple` and its parts: the very same modules (not copies), so that the sources and
filters a server adds on ``Connect`` are there under either name. Beside them, what ParaView's package itself
holds: ``print_info``/``print_warning``/``print_error``/``print_debug`` (to stderr, as ParaView logs),
``NotSupportedException``, ``options``, ``compatibility``, ``make_name_valid``, ``__version__`` (the ParaView
version this project follows), and the modules ``paraview.vtk`` (VTK's common classes) and ``paraview.smtesting``
(regression testing of images). ``paraview.compatibility`` is accepted as in ParaView
(``paraview.compatibility.major = 5``) and compares as ParaView's does; while it names an older version, the
properties ParaView has removed since then work again through their replacements (pvclient.backcompat).
"""

from __future__ import annotations

import logging
import string
import sys
import time
from typing import Any

import simple
from pvclient import backcompat
from simple import collaboration, servermanager
from simple.servermanager import NotSupportedException

#: The ParaView version whose scripting interface this project follows.
__version__ = "5.11.0"
__version_full__ = "5.11.0"
#: The version scripts may ask to be treated as ParaView's (5.11 is what this project follows).
PARAVIEW_VERSION = (5, 11)
#: True inside a ParaView GUI's Python shell; never here.
fromGUI = False


class _version:
    """A version (major, minor) that compares with a tuple ((5, 10)), an int (5) or a float with one decimal
    (4.1 is (4, 1)), as ParaView's does: an unset one is older than nothing and newer than anything, so that
    scripts that test for old versions take their modern path. ``==`` is refused, as in ParaView."""

    def __init__(self, major: int | None, minor: int | None) -> None:
        if major is None:
            self.version: tuple[int, ...] = ()
        else:
            self.version = (int(major),) if minor is None else (int(major), int(minor))

    @property
    def major(self) -> int | None:
        return self.version[0] if self.version else None

    @property
    def minor(self) -> int | None:
        return self.version[1] if len(self.version) > 1 else None

    def GetVersion(self) -> float | None:
        """The version as a float (5.10 reads as 5.1: ParaView deprecated this for comparisons), None if unset."""
        if not self.version:
            return None
        fraction = float(self.minor or 0)
        while fraction >= 1.0:
            fraction /= 10.0
        return float(self.major) + fraction  # type: ignore[arg-type]

    @staticmethod
    def _tuple(other: object) -> tuple[int, ...]:
        if isinstance(other, _version):
            return other.version
        if isinstance(other, (tuple, list)):
            return tuple(int(v) for v in other[:2]) + ((0,) if len(other) == 1 else ())
        if isinstance(other, bool) or not isinstance(other, (int, float)):
            raise TypeError(f"A version compares with a tuple, an int or a float, not {type(other).__name__}.")
        if isinstance(other, int):
            return (other, 0)
        major = int(other)
        return (major, int(10 * other) - 10 * major)

    def __bool__(self) -> bool:
        return bool(self.version)

    def __lt__(self, other: object) -> bool:
        return bool(self) and self.version < self._tuple(other)

    def __le__(self, other: object) -> bool:
        return bool(self) and self.version <= self._tuple(other)

    def __gt__(self, other: object) -> bool:
        return not self or self.version > self._tuple(other)

    def __ge__(self, other: object) -> bool:
        return not self or self.version >= self._tuple(other)

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("Equal operation not supported.")

    def __ne__(self, other: object) -> bool:
        raise RuntimeError("NotEqual operation not supported.")

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return str(self.version)


class compatibility:
    """The ParaView version a script says it was written for (``major``, ``minor``; None: the newest)."""

    major: int | None = None
    minor: int | None = None

    @classmethod
    def GetVersion(cls) -> _version:
        """The version set, compared as ParaView compares it (an unset one is newer than any)."""
        return _version(cls.major, cls.minor)


backcompat.use_version(lambda: compatibility.GetVersion().version)


class options:
    """ParaView's flags for a plain Python interpreter importing ``paraview``. pvpython and pvbatch leave them
    False, as ParaView 5.11's do; ``print_debug_messages`` shows ``print_debug`` output."""

    batch = False
    symmetric = False
    print_debug_messages = False
    satelite = False


def make_name_valid(name: str) -> str | None:
    """A label as a Python name, as ParaView makes them: "Plot Over Line" -> "PlotOverLine", "3D" -> "a3D"."""
    if not name:
        return None
    valid = "_" + string.ascii_letters + string.digits
    name = "".join(c for c in name if c in valid)
    if name and not name[0].isalpha():
        name = "a" + name
    return name


class _ParaViewFormatter(logging.Formatter):
    """ParaView's log line: ``(   0.573s) [paraview        ]      script.py:3     INFO| message``."""

    LEVELS = {logging.DEBUG: "DEBUG", logging.INFO: "INFO", logging.WARNING: "WARN", logging.ERROR: "ERR"}

    def format(self, record: logging.LogRecord) -> str:
        elapsed = time.monotonic() - _STARTED
        level = self.LEVELS.get(record.levelno, "ERR" if record.levelno > logging.ERROR else "INFO")
        where = f"{record.filename:>23}:{record.lineno:<5}"
        return f"({elapsed:8.3f}s) [paraview        ]{where} {level:>4}| {record.getMessage()}"


class _DebugFilter(logging.Filter):
    """Debug messages only when ``options.print_debug_messages`` is set."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG or options.print_debug_messages


class _StderrHandler(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is when a message comes (a notebook or a test may replace it later)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _create_logger(name: str = "paraview") -> logging.Logger:
    found = logging.getLogger(name)
    if not getattr(found, "_paraview_initialized", False):
        handler = _StderrHandler()
        handler.setFormatter(_ParaViewFormatter())
        handler.addFilter(_DebugFilter())
        found.addHandler(handler)
        found.setLevel(logging.DEBUG)
        found.propagate = False
        found._paraview_initialized = True  # type: ignore[attr-defined]
    return found


_STARTED = time.monotonic()
logger = _create_logger()
print_error = logger.error
print_warning = logger.warning
print_info = logger.info
print_debug = logger.debug
print_debug_info = logger.debug
log = logger.log


def __getattr__(name: str) -> Any:
    """``paraview.vtk`` and ``paraview.smtesting`` load VTK: only scripts that ask for them pay for it."""
    if name in ("vtk", "smtesting"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'paraview' has no attribute {name!r}")


for _name, _module in (("simple", simple), ("servermanager", servermanager), ("collaboration", collaboration)):
    sys.modules[f"{__name__}.{_name}"] = _module
# ParaView's simple exports every name it has, the paraview package among them: traces begin with
# ``from paraview.simple import *`` and then call ``paraview.simple._DisableFirstRenderCameraReset()``.
simple.paraview = sys.modules[__name__]
if "paraview" not in simple.__all__:
    simple.__all__.append("paraview")

__all__ = [
    "PARAVIEW_VERSION",
    "NotSupportedException",
    "collaboration",
    "compatibility",
    "log",
    "logger",
    "make_name_valid",
    "options",
    "print_debug",
    "print_debug_info",
    "print_error",
    "print_info",
    "print_warning",
    "servermanager",
    "simple",
]
