"""ParaView's package name, so that scripts written for ParaView run unchanged.

``from paraview.simple import *``, ``from paraview import servermanager`` and ``from paraview.collaboration import
*`` give this project's :mod:`simple` and its parts: the very same modules (not copies), so that the sources and
filters a server adds on ``Connect`` are there under either name. ``paraview.compatibility`` is accepted as in
ParaView (``paraview.compatibility.major = 5``); this project behaves as ParaView 5.11 whatever it says.
"""

from __future__ import annotations

import sys
from typing import Any

import simple
from simple import collaboration, servermanager

#: The version scripts may ask to be treated as ParaView's (5.11 is what this project follows).
PARAVIEW_VERSION = (5, 11)


def _as_number(major: object, minor: object) -> float:
    """5, 11 -> 5.11: the minor version's digits as a fraction, as ParaView compares versions."""
    fraction = float(minor or 0)
    while fraction >= 1.0:
        fraction /= 10.0
    return float(major) + fraction


class _Version:
    """A version to compare with a tuple ((5, 10)) or a number (5.1, read as ParaView reads it); an unset one is
    newer than any, as in ParaView, so that scripts that test for old versions take their modern path."""

    def __init__(self, major: int | None, minor: int | None) -> None:
        self.major, self.minor = major, minor

    def _pair(self, other: object) -> tuple[Any, Any] | None:
        """(this version, the other) as tuples for a tuple, else as ParaView's numbers; None when unset."""
        if self.major is None:
            return None
        if isinstance(other, (tuple, list)):
            return (int(self.major), int(self.minor or 0)), tuple(int(v) for v in other)
        return _as_number(self.major, self.minor), float(other)  # type: ignore[arg-type]

    def __lt__(self, other: object) -> bool:
        pair = self._pair(other)
        return pair is not None and pair[0] < pair[1]

    def __le__(self, other: object) -> bool:
        pair = self._pair(other)
        return pair is not None and pair[0] <= pair[1]

    def __gt__(self, other: object) -> bool:
        pair = self._pair(other)
        return pair is None or pair[0] > pair[1]

    def __ge__(self, other: object) -> bool:
        pair = self._pair(other)
        return pair is None or pair[0] >= pair[1]

    def __bool__(self) -> bool:
        return self.major is not None

    def __repr__(self) -> str:
        return "unset" if self.major is None else f"{self.major}.{self.minor or 0}"


class _Compatibility:
    """``paraview.compatibility``: the ParaView version a script says it was written for (None: the newest)."""

    def __init__(self) -> None:
        self.major: int | None = None
        self.minor: int | None = None

    def GetVersion(self) -> _Version:  # noqa: N802 - ParaView's name
        """The version set, compared as ParaView compares it (an unset one is newer than any)."""
        return _Version(self.major, self.minor)


compatibility = _Compatibility()

for _name, _module in (("simple", simple), ("servermanager", servermanager), ("collaboration", collaboration)):
    sys.modules[f"{__name__}.{_name}"] = _module

__all__ = ["PARAVIEW_VERSION", "collaboration", "compatibility", "servermanager", "simple"]
