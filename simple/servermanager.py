"""ParaView's ``servermanager`` names that scripts use: ``ActiveConnection``, ``Connections``."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    import simple

    if name == "ActiveConnection":
        return simple.state.active_connection
    if name == "Fetch":
        return simple.Fetch
    if name == "Connections":
        return list(simple.state.connections)
    raise AttributeError(f"module 'simple.servermanager' has no attribute {name!r}")
