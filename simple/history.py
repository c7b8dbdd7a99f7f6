"""Undo/redo and state files of paraview.simple: ``Undo()``, ``Redo()``, ``SaveState()``, ``LoadState()``.

The server keeps one undo stack per session (shared by every client of a collaboration; only the master
undoes). Camera moves are not undo steps.
"""

from __future__ import annotations

import os

from pvclient import statefile
from pvcore import messages


def _request(action: str, label: str = "") -> object:
    import simple

    return simple._connection().request(messages.UndoRequest(action, label))


def Undo() -> None:
    """Undo the last change (or undo set) of the session."""
    _request("undo")


def Redo() -> None:
    """Redo the last undone change."""
    _request("redo")


def CanUndo() -> bool:
    """True if there is a change to undo."""
    return bool(_request("status").undo_labels)


def CanRedo() -> bool:
    """True if there is an undone change to redo."""
    return bool(_request("status").redo_labels)


def BeginUndoSet(label: str = "") -> None:
    """Group the following changes into one undo step, until EndUndoSet()."""
    _request("begin", label)


def EndUndoSet() -> None:
    """Close the undo set opened by BeginUndoSet()."""
    _request("end")


def SaveState(filename: str | os.PathLike) -> None:
    """Write the whole state of the active connection (proxies, links, views, cameras, colour maps) as JSON."""
    import simple

    statefile.save_state(simple._connection(), filename)


def LoadState(filename: str | os.PathLike) -> None:
    """Recreate a state file on the active connection (any server, any number of ranks).

    A broken file, or one from a newer format version, is refused before anything changes.
    """
    import simple

    conn = simple._connection()
    new_ids = statefile.load_state(conn, filename)
    views = [conn.proxy(gid) for gid in new_ids.values() if conn.states[gid].group == "views"]
    if views:
        simple.state.active_views[conn.id] = views[0]


__all__ = ["BeginUndoSet", "CanRedo", "CanUndo", "EndUndoSet", "LoadState", "Redo", "SaveState", "Undo"]
