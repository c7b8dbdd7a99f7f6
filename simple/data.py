"""Files and data of paraview.simple: ``OpenDataFile``, ``SaveData``, ``Fetch`` (time steps: simple.animation)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from pvclient.properties import NotSupportedException
from pvclient.proxy import Proxy
from pvcore.errors import PVError
from simple.connections import GetActiveSource, active_connection, state


def OpenDataFile(filename: str | os.PathLike | list, registrationName: str = "", **properties: Any) -> Proxy:
    """Open a data file on the server (path relative to its --data-dir) and make it the active source.

    The reader is picked from the extension (VTK XML and partitioned XML, legacy .vtk, .stl, .ply, .obj, .csv,
    Exodus II, ASCII Tecplot .tec, .png, and .pvd collections, read at their times). A list of files, or one file
    named ``name_0.ext`` with siblings ``name_1.ext``..., is a series: one time step per file
    (``reader.TimestepValues``). ParaView's readers by name (``XMLUnstructuredGridReader(FileName=...)``...)
    read the same way.
    """
    names = [str(f) for f in filename] if isinstance(filename, (list, tuple)) else [str(filename)]
    conn = active_connection()
    proxy = conn.create(
        "sources", "FileReader", {"FileName": names, **properties}, registrationName or Path(names[0]).name
    )
    state.active_sources[conn.id] = proxy
    return proxy


def SaveData(filename: str | os.PathLike, proxy: Proxy | None = None, Overwrite: bool = False, **_ignored: Any) -> None:
    """Write a proxy's data on the server: ``.pvtu .pvtp .pvti`` in parallel (a piece per rank and the summary
    file), ``.vtu .vtp .vti .vtk .stl .ply .csv`` as one file gathered on rank 0.

    An existing file is replaced only if this server wrote it, or with ``Overwrite=True``; in a collaboration only
    the master writes, and every client is told what was written."""
    proxy = proxy or GetActiveSource()
    if proxy is None:
        raise PVError("SaveData: no proxy given and there is no active source.")
    proxy.connection.save_data(proxy, str(filename), bool(Overwrite))


def Fetch(input: Proxy, arg1: Any = None, arg2: Any = None, idx: int = 0, *, max_bytes: int = 0) -> Any:
    """The proxy's data merged over all ranks, as a VTK object (arrays NumPy-accessible through
    ``vtkmodules.numpy_interface.dataset_adapter``); refused with its size when larger than ``max_bytes`` (0:
    the server's limit).

    As ParaView's ``servermanager.Fetch``: with ``arg1`` and ``arg2`` filter proxies (e.g.
    ``servermanager.filters.MinMax()``, made without an input), ``arg1`` is applied to the data on every rank and
    ``arg2`` to what that gives, before it travels: only the reduced result comes to the client. (Where ParaView
    runs ``arg2`` once on the gathered pieces, this server runs it on the ranks' results; a filter whose result
    depends on all the data combines the ranks itself, so the answer is the same.) The helpers' properties are
    copied; the helpers themselves stay as they are. ``arg1`` an integer asks for one rank's piece, which
    ParaView ignores on one rank; ``idx`` is the output port (0).

    The data arrives as a VTK XML file in memory and is read as data: nothing the server sends is executed."""
    from pvclient import fetched  # loads VTK: only scripts that fetch data pay for it

    if not isinstance(input, Proxy):
        raise PVError(f"Fetch needs a source or filter proxy, not {input!r}.")
    if idx != 0:
        raise NotSupportedException(f"Fetch(..., idx={idx!r}): this server sends the data of output port 0 only.")
    if isinstance(arg1, int) and not isinstance(arg1, bool):
        if input.connection.GetNumberOfDataPartitions() > 1:
            raise NotSupportedException(
                f"Fetch(proxy, {arg1}) would bring one rank's piece; this server sends the data merged over its "
                f"{input.connection.GetNumberOfDataPartitions()} ranks: use Fetch(proxy)."
            )
        arg1 = None  # one rank: its piece is all the data, as ParaView answers
    helpers = [h for h in (arg1, arg2) if h is not None]
    for helper in helpers:
        if not isinstance(helper, Proxy) or not helper._spec.inputs:
            raise PVError(
                f"Fetch's reduction helpers must be filter proxies (servermanager.filters.X()), not {helper!r}."
            )
    if not helpers:
        reply = input.connection.fetch(input, int(max_bytes))
        return fetched.from_xml(reply.data_type, reply.data)
    conn = input.connection
    made: list[Proxy] = []
    conn.begin_undo_set("Fetch")  # the helpers' filters come and go as one step of the session's history
    try:
        source = input
        for helper in helpers:
            source = _applied_like(helper, source)
            made.append(source)
        reply = conn.fetch(source, int(max_bytes))
    except BaseException:
        with contextlib.suppress(PVError):  # the first error is the one to see
            _delete_and_close(conn, made)
        raise
    _delete_and_close(conn, made)
    return fetched.from_xml(reply.data_type, reply.data)


def _delete_and_close(conn: Any, made: list[Proxy]) -> None:
    """Delete Fetch's temporary filters (the last first) and close its undo step."""
    try:
        for proxy in reversed(made):
            conn.delete(proxy)
    finally:
        conn.end_undo_set()


def _applied_like(helper: Proxy, source: Proxy) -> Proxy:
    """A new filter of ``helper``'s type, configured as it is, applied to ``source``."""
    conn = source.connection
    spec = helper._spec
    configuration = helper.configuration()
    made = conn.create(spec.group, spec.name, {**configuration, spec.inputs[0].name: source})
    for prop in spec.properties:  # a helper's own helpers (a cutting plane) get its values too
        if prop.kind == "subproxy" and not helper.is_detached and helper._get(prop) is not None:
            theirs, mine = helper._get(prop), made._get(prop)
            if mine is not None:
                conn.update(mine, theirs.configuration())
    return made


__all__ = ["Fetch", "OpenDataFile", "SaveData"]
