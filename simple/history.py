"""Undo/redo, batches and state files of paraview.simple: ``Undo()``, ``Redo()``, ``Batch()``, ``SaveState()``,
``LoadState()``.

The server keeps one undo stack per session (shared by every client of a collaboration; only the master
undoes). Camera moves are not undo steps.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from pvclient import statefile
from simple.connections import active_connection, state


def Undo() -> None:
    """Undo the last change (or undo set) of the session."""
    active_connection().undo()


def Redo() -> None:
    """Redo the last undone change."""
    active_connection().redo()


def CanUndo() -> bool:
    """True if there is a change to undo."""
    return bool(active_connection().undo_status().undo_labels)


def CanRedo() -> bool:
    """True if there is an undone change to redo."""
    return bool(active_connection().undo_status().redo_labels)


def BeginUndoSet(label: str = "") -> None:
    """Group the following changes into one undo step, until EndUndoSet()."""
    active_connection().begin_undo_set(label)


def EndUndoSet() -> None:
    """Close the undo set opened by BeginUndoSet()."""
    active_connection().end_undo_set()


@contextlib.contextmanager
def Batch(label: str = "", connection: Any = None) -> Iterator[None]:
    """``with Batch():`` sends the sources, filters, property changes and deletions made inside the block as ONE
    request and ONE undo step, all or nothing (not in ParaView, which has no such call; it is
    ``connection.batch()`` of the active connection, or of ``connection``).

    Proxies created inside are returned at once and can be used by the block's later calls (as an input, or to
    set their properties); their state can be read once the block ended. Reads inside the block see the state
    before it.
    """
    with (connection or active_connection()).batch(label):
        yield


def SaveState(filename: str | os.PathLike) -> None:
    """Write the whole state of the active connection (proxies, links, views, cameras, colour maps) as JSON."""
    statefile.save_state(active_connection(), filename)


def LoadState(filename: str | os.PathLike) -> None:
    """Recreate a state file on the active connection (any server, any number of ranks).

    A broken file, or one from a newer format version, is refused before anything changes.
    """
    conn = active_connection()
    new_ids = statefile.load_state(conn, filename)
    views = [conn.proxy(gid) for gid in new_ids.values() if conn.states[gid].group == "views"]
    if views:
        state.active_views[conn.id] = views[0]


__all__ = ["Batch", "BeginUndoSet", "CanRedo", "CanUndo", "EndUndoSet", "LoadState", "Redo", "SaveState", "Undo"]
