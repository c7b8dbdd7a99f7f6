"""ParaView's ``servermanager`` names that scripts use: ``ActiveConnection``, ``Connections``."""

from __future__ import annotations

from typing import Any

from simple.connections import state
from simple.data import Fetch

__all__ = ["Fetch"]


def __getattr__(name: str) -> Any:
    if name == "ActiveConnection":
        return state.active_connection
    if name == "Connections":
        return list(state.connections)
    raise AttributeError(f"module 'simple.servermanager' has no attribute {name!r}")
