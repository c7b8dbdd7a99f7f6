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

from pvclient import pvsm, statefile
from pvclient.pvsm_xml import looks_like_pvsm
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


def LoadState(
    filename: str | os.PathLike,
    data_directory: str | None = None,
    *,
    skip_missing: bool = False,
    allow_python: bool = False,
) -> pvsm.LoadReport | None:
    """Recreate a state file on the active connection (any server, any number of ranks), as one undo step.

    Reads this project's JSON state files (SaveState) and ParaView 5.x ``.pvsm`` files (XML: told apart by
    their content, or a .pvsm name). A broken file, or one from a newer format version, is refused before anything
    changes.

    For a ParaView state (see pvclient.pvsm): a proxy type this project lacks refuses the load, naming every one;
    ``skip_missing=True`` loads the rest (a StateSkippedWarning names what was left out). Property values this
    project lacks are skipped, named in that warning and in the returned report. ``data_directory`` (where the
    state's data files are now, on the server) replaces the files' common folder, as in ParaView. A state that
    holds Python to run on the server (a ProgrammableFilter) is refused unless ``allow_python=True``.
    """
    conn = active_connection()
    if looks_like_pvsm(filename):
        report = pvsm.load_pvsm(conn, filename, skip_missing, data_directory, allow_python)
        if report.active_view is not None:
            state.active_views[conn.id] = report.active_view
        return report
    new_ids = statefile.load_state(conn, filename, allow_python)
    views = [conn.proxy(gid) for gid in new_ids.values() if conn.states[gid].group == "views"]
    if views:
        state.active_views[conn.id] = views[0]
    return None


__all__ = ["Batch", "BeginUndoSet", "CanRedo", "CanUndo", "EndUndoSet", "LoadState", "Redo", "SaveState", "Undo"]
