"""ParaView's ``paraview.selection``: selections made by id, value, location or query, and ClearSelection; the
very functions of :mod:`simple.selection` (its doc says how a source's active selection is shared state)."""

from __future__ import annotations

from simple.selection import *  # noqa: F403
from simple.selection import __all__  # noqa: F401
