"""ParaView's ``paraview.smstate``: the whole state of the active connection as a ``paraview.simple`` script."""

from __future__ import annotations

from typing import Any

from pvclient.trace_state import state_script
from simple.connections import active_connection


def get_state(**_options: Any) -> str:
    """A script that rebuilds every source, filter, view and display of the active connection, as ParaView's
    Python state files do (ParaView's options, such as ``propertiesToTraceOnCreate``, are accepted and change
    nothing: every property that differs from its default is written)."""
    return state_script(active_connection())
