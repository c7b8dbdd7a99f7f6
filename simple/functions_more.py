"""More of paraview.simple's vocabulary: showing and hiding everything, finding and renaming views, layouts and
proxies, ``FetchData``, the version, reloading readers, and the clear refusals of what a client cannot do here
(``LoadPlugin``, ``WriteAnimation``). Writers are in simple.writers, settings in simple.settings.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

from pvclient.properties import NotSupportedException
from pvclient.proxy import Proxy
from pvcore.errors import PVError
from simple.connections import GetActiveSource, state
from simple.data import Fetch
from simple.layouts import AssignViewToLayout, GetLayout, Layout
from simple.rendering import CreateView, GetActiveView, Show
from simple.servermanager_registry import ProxyManager

#: The ParaView release whose scripting this project follows.
PARAVIEW_RELEASE = (5, 11, 0)


class ParaViewVersion(tuple):
    """A (major, minor) version, as ParaView's ``GetParaViewVersion()`` returns: it compares with a tuple
    (``>= (5, 10)``), an int (5) or a float with one decimal (5.9 is (5, 9))."""

    @property
    def major(self) -> int:
        return self[0]

    @property
    def minor(self) -> int:
        return self[1]

    @property
    def version(self) -> tuple[int, int]:
        return (self[0], self[1])

    def GetVersion(self) -> float:
        """The version as a float (5.11 reads as 5.11; ParaView deprecated this for comparisons)."""
        return float(f"{self[0]}.{self[1]}")

    @staticmethod
    def _other(other: Any) -> tuple[int, ...]:
        if isinstance(other, (tuple, list)):
            return tuple(int(v) for v in other[:2]) + ((0,) if len(other) == 1 else ())
        if isinstance(other, bool) or not isinstance(other, (int, float)):
            raise TypeError(f"A version compares with a tuple, an int or a float, not {type(other).__name__}.")
        if isinstance(other, int):
            return (other, 0)
        return (int(other), round(10 * other) - 10 * int(other))

    def __lt__(self, other: Any) -> bool:
        return tuple(self) < self._other(other)

    def __le__(self, other: Any) -> bool:
        return tuple(self) <= self._other(other)

    def __gt__(self, other: Any) -> bool:
        return tuple(self) > self._other(other)

    def __ge__(self, other: Any) -> bool:
        return tuple(self) >= self._other(other)

    def __eq__(self, other: Any) -> bool:
        try:
            return tuple(self) == self._other(other)
        except TypeError:
            return False

    def __ne__(self, other: Any) -> bool:
        return not self == other

    __hash__ = tuple.__hash__


def GetParaViewVersion() -> ParaViewVersion:
    """The ParaView version this project's scripting follows: (5, 11), comparable with tuples and numbers."""
    return ParaViewVersion(PARAVIEW_RELEASE[:2])


def GetParaViewSourceVersion() -> str:
    """ParaView's source version string: 'paraview version 5.11.0'."""
    return "paraview version " + ".".join(map(str, PARAVIEW_RELEASE))


# ------------------------------------------------------------------------------------------ views and proxies


def ShowAll(view: Proxy | None = None) -> None:
    """Show every source and filter in ``view`` (default: the active view; with none, nothing is shown, as in
    ParaView). Each new representation gets ParaView's first look, as Show gives."""
    view = view if view is not None else GetActiveView()
    if view is None:
        return
    for source in view.connection.proxies():
        if not source.state.parent_id:
            Show(source, view)


def HideAll(view: Proxy | None = None) -> None:
    """Hide everything shown in ``view`` (default: the active view; with none, nothing changes, as in ParaView)."""
    view = view if view is not None else GetActiveView()
    if view is None:
        return
    shown = [rep for rep in view.Representations if getattr(rep, "Visibility", 0)]
    if shown:
        with view.connection.batch("HideAll"):
            for rep in shown:
                view.connection.update(rep, {"Visibility": 0})


def FindView(name: str) -> Proxy | None:
    """The view registered as ``name`` (a view's registration name: 'RenderView1' ...), or None."""
    return ProxyManager().GetProxy("views", name)


def FindViewOrCreate(name: str, viewtype: str) -> Proxy:
    """The view called ``name`` if it is a ``viewtype``; else a new ``viewtype`` view, put in a layout."""
    view = FindView(name)
    if view is None or view.type_name != viewtype:
        view = CreateView(viewtype)
        AssignViewToLayout(view)
    return view


def GetRepresentations() -> dict[tuple[str, str], Proxy]:
    """Every representation (display properties) of the active connection, keyed by (name, id) as in ParaView."""
    return ProxyManager().GetProxiesInGroup("representations")


def GetViewProperties(view: Proxy | None = None) -> Proxy | None:
    """The view itself, whose properties are the view's (default: the active view), as ParaView's pairing of
    GetDisplayProperties."""
    return view if view is not None else GetActiveView()


def RenameProxy(proxy: Proxy | Layout, group: str, newName: str) -> None:
    """Give ``proxy`` the registration name ``newName`` if it is registered in ``group`` ('sources', 'views',
    'representations', 'lookup_tables', 'layouts' ...); a proxy of another group is left as it is, as in
    ParaView."""
    if not newName:
        raise PVError("A registration name cannot be empty.")
    if isinstance(proxy, Layout):
        if group == "layouts":
            proxy.name = newName
        return
    manager = ProxyManager(proxy.connection)
    old = manager.GetProxyName(group, proxy)
    if old and old != newName:
        manager.RegisterProxy(group, newName, proxy)
        manager.UnRegisterProxy(group, old, proxy)


def RenameView(newName: str, proxy: Proxy | None = None) -> None:
    """Rename a view (default: the active view)."""
    proxy = proxy if proxy is not None else GetActiveView()
    if proxy is None:
        raise PVError("RenameView: no view given and there is no active view.")
    RenameProxy(proxy, "views", newName)


def RenameLayout(newName: str, proxy: Layout | None = None) -> None:
    """Rename a layout (default: the active view's layout)."""
    RenameProxy(proxy if proxy is not None else GetLayout(), "layouts", newName)


def HideUnusedScalarBars(view: Proxy | None = None) -> bool:
    """Hide the scalar bars of ``view`` (default: the active view) whose colour map nothing visible there is
    coloured by; True if any was hidden."""
    view = view if view is not None else GetActiveView()
    if view is None:
        raise PVError("HideUnusedScalarBars: no view given and there is no active view.")
    used = {
        rep.LookupTable.GlobalID
        for rep in view.Representations
        if getattr(rep, "Visibility", 0) and rep.ColorArrayName[1] and rep.LookupTable is not None
    }
    unused = [
        bar
        for bar in view.connection.proxies(("scalar_bars",))
        if bar.View == view and bar.Visibility and (bar.LookupTable is None or bar.LookupTable.GlobalID not in used)
    ]
    for bar in unused:
        bar.Visibility = 0
    return bool(unused)


# ---------------------------------------------------------------------------------------------- data and files


def FetchData(proxy: Proxy | None = None, **kwargs: Any) -> dict[int, Any]:
    """The data of ``proxy`` (default: the active source) as ``{rank: dataset}``, as ParaView's FetchData.

    ``SourceRanks`` names the ranks to fetch from (default: all; ranks the server does not have are left out, as
    in ParaView). Under ``pvbatch --symmetric`` the map is on rank 0 only (empty on the others) unless
    ``GatherOnAllRanks``, as in ParaView. On one rank the map is ParaView's. On several, the server sends its
    ranks' pieces merged into one dataset (it sends no single rank's piece), so the map has one entry, rank 0,
    holding all the data (totals over the values are ParaView's); a choice of some of the ranks only is refused.
    """
    proxy = proxy if proxy is not None else GetActiveSource()
    if proxy is None:
        raise PVError("FetchData: no proxy given and there is no active source.")
    unknown = sorted(set(kwargs) - {"GatherOnAllRanks", "SourceRanks"})
    if unknown:
        raise PVError(f"FetchData has no option {', '.join(unknown)}; its options are GatherOnAllRanks, SourceRanks.")
    ranks = proxy.connection.GetNumberOfDataPartitions()
    wanted = kwargs.get("SourceRanks")
    chosen = sorted({int(r) for r in wanted if 0 <= int(r) < ranks}) if wanted is not None else list(range(ranks))
    if not chosen:
        return {}
    if chosen != list(range(ranks)):
        raise NotSupportedException(
            f"FetchData(SourceRanks={list(wanted)}): this server sends the data merged over all its {ranks} "
            "ranks, not one rank's piece; leave SourceRanks out."
        )
    fetched = {0: Fetch(proxy)}  # every symmetric rank makes the call: each answers rank 0's calls in turn
    return {} if (state.symmetric_rank or 0) > 0 and not kwargs.get("GatherOnAllRanks") else fetched


def _file_property(proxy: Proxy) -> str:
    names = [p.name for p in proxy._spec.properties if p.file_path]
    if not names:
        raise PVError(f"{proxy.type_name} reads no files: it has no file name property.")
    return names[0]


def ReloadFiles(proxy: Proxy | None = None) -> bool:
    """Read the files of a reader (default: the active source) again, as they are now on the server's disk; its
    consumers update when next rendered or updated. One undo step. False if ``proxy`` reads no files."""
    proxy = proxy if proxy is not None else GetActiveSource()
    if proxy is None:
        raise PVError("ReloadFiles: no proxy given and there is no active source.")
    if not any(p.file_path for p in proxy._spec.properties):
        return False
    prop = _file_property(proxy)
    files = list(getattr(proxy, prop))
    conn = proxy.connection
    conn.begin_undo_set("ReloadFiles")
    try:  # the server drops an unchanged value: another value, then the files again, makes the reader re-read
        conn.update(proxy, {prop: files + files[:1]})
        conn.update(proxy, {prop: files})
    finally:
        conn.end_undo_set()
    return True


def ReplaceReaderFileName(readerProxy: Proxy, files: list[str] | str, propName: str) -> None:
    """Make a reader read other files (``propName``: its file property, 'FileName' here; ParaView's 'FileNames' is
    accepted), keeping its name, its consumers and how it is shown. ParaView makes a new reader with the old
    one's settings in its place; here the reader reads the new files itself, which leaves the same pipeline.
    The same files as now change nothing."""
    files = [str(files)] if isinstance(files, (str, os.PathLike)) else [str(f) for f in files]
    if not files:
        raise PVError("ReplaceReaderFileName needs at least one file.")
    prop = _file_property(readerProxy)
    if propName not in (prop, prop + "s"):
        raise PVError(f"{readerProxy.type_name} has no file property {propName!r}; it is {prop!r}.")
    if sorted(files) != sorted(getattr(readerProxy, prop)):
        readerProxy.connection.update(readerProxy, {prop: files})


# ------------------------------------------------------------------------------------------------- refusals


def _is_definitions_module(path: Path) -> bool:
    """Whether ``path`` is a Python file assigning DEFINITIONS at its top level (parsed, never run)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return False
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "DEFINITIONS" for t in targets):
            return True
    return False


def LoadPlugin(filename: str | os.PathLike, remote: bool = True, ns: Any = None) -> None:
    """Refused: a client cannot load code into a server. A server gets new proxy types from a definitions module
    (README "Adding a filter") that its operator passes with ``pvserver --plugin FILE``; once connected, its
    types are ``simple.<Name>()``. ParaView's own plugins (.so, .dll, .xml, Python plugins) do not load here."""
    path = Path(filename)
    where = "this client" if not remote else "the server"
    if path.suffix == ".py" and _is_definitions_module(path):
        raise NotSupportedException(
            f"LoadPlugin({str(filename)!r}): a client cannot load code into {where}. {path.name} is a definitions "
            f"module: the server's operator must start the server with `pvserver --plugin {path.name}`; once "
            "connected, its types are simple.<Name>()."
        )
    raise NotSupportedException(
        f"LoadPlugin({str(filename)!r}): ParaView plugins are not loaded here, and a client cannot load code into "
        f"{where}. New types come from a definitions module (a .py file with a tuple DEFINITIONS, see the README, "
        "'Adding a filter') that the server's operator passes with `pvserver --plugin FILE`."
    )


def LoadDistributedPlugin(pluginname: str, remote: bool = True, ns: Any = None) -> None:
    """ParaView's plugins shipped with it by name ("Moments"...): none is here, so this raises RuntimeError, as
    ParaView's does for a plugin it lacks. A server's extra proxy types come from ``pvserver --plugin FILE``."""
    raise RuntimeError(
        f"Plugin '{pluginname}' not found: ParaView's distributed plugins are not part of this project; a server "
        "gets extra proxy types from a definitions module (pvserver --plugin FILE)."
    )


def LoadPlugins(*filenames: str | os.PathLike, remote: bool = True, ns: Any = None) -> None:
    """Refused, as LoadPlugin (which says why, for the first file)."""
    for filename in filenames:
        LoadPlugin(filename, remote, ns)


def WriteAnimation(filename: str | os.PathLike, **params: Any) -> None:
    """Refused: ParaView deprecated it in 5.3; use SaveAnimation(filename, view, ...)."""
    raise NotSupportedException(
        f"WriteAnimation({str(filename)!r}) is ParaView's deprecated name: use SaveAnimation(filename, view, "
        "FrameWindow=[first, last], ImageResolution=[w, h]) to save the frames."
    )


def WriteAnimationGeometry(filename: str | os.PathLike, view: Proxy | None = None) -> None:
    """Refused: the geometry of each frame is not written here. SaveAnimation saves the frames as images; SaveData
    at each time (GetAnimationScene().AnimationTime = t) writes the data."""
    raise NotSupportedException(
        f"WriteAnimationGeometry({str(filename)!r}) is not offered here: use SaveAnimation for the frames as "
        "images, or SaveData at each time step (GetAnimationScene().AnimationTime = t) for the data."
    )


__all__ = [
    "FetchData",
    "FindView",
    "FindViewOrCreate",
    "GetParaViewSourceVersion",
    "GetParaViewVersion",
    "GetRepresentations",
    "GetViewProperties",
    "HideAll",
    "HideUnusedScalarBars",
    "LoadDistributedPlugin",
    "LoadPlugin",
    "LoadPlugins",
    "ReloadFiles",
    "RenameLayout",
    "RenameProxy",
    "RenameView",
    "ReplaceReaderFileName",
    "ShowAll",
    "WriteAnimation",
    "WriteAnimationGeometry",
]
