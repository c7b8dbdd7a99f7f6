"""Files and data of paraview.simple: ``OpenDataFile``, ``SaveData``, ``Fetch``, and stepping through time."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pvclient.proxy import Proxy
from pvcore.errors import PVError
from simple.connections import GetActiveSource, active_connection, state


def OpenDataFile(filename: str | os.PathLike | list, registrationName: str = "", **properties: Any) -> Proxy:
    """Open a data file on the server (path relative to its --data-dir) and make it the active source.

    The reader is picked from the extension (VTK XML and partitioned XML, legacy .vtk, .stl, .ply, .obj, .csv,
    Exodus II). A list of files, or one file named ``name_0.ext`` with siblings ``name_1.ext``..., is a series:
    one time step per file (``reader.TimestepValues``).
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


def Fetch(proxy: Proxy, max_bytes: int = 0) -> Any:
    """The proxy's data merged over all ranks, as a VTK object (arrays NumPy-accessible through
    ``vtkmodules.numpy_interface.dataset_adapter``); refused with its size when larger than the limit.

    The data arrives as a VTK XML file in memory and is read as data: nothing the server sends is executed."""
    from pvclient import fetched  # loads VTK: only scripts that fetch data pay for it

    reply = proxy.connection.fetch(proxy, int(max_bytes))
    return fetched.from_xml(reply.data_type, reply.data)


class TimeKeeper:
    """The times of every reader of the active connection, and the time the views show."""

    @property
    def TimestepValues(self) -> list[float]:
        conn = active_connection()
        times = sorted({t for p in conn.proxies() if p.GetXMLName() == "FileReader" for t in p.TimestepValues})
        return times

    @property
    def Time(self) -> float:
        conn = active_connection()
        views = conn.proxies(("views",))
        return views[0].ViewTime if views else getattr(conn, "animation_time", 0.0)

    @Time.setter
    def Time(self, value: float) -> None:
        """Show this time in every view, and bring the readers to it, as ParaView's animation ticks do: data
        information and updates without a time then follow it too."""
        conn = active_connection()
        conn.animation_time = float(value)
        for view in conn.proxies(("views",)):
            view.ViewTime = float(value)
        for reader in conn.proxies():
            if reader.GetXMLName() == "FileReader" and reader.TimestepValues:
                reader.UpdatePipeline(float(value))


class AnimationScene:
    """Steps every view of the active connection through the data's time steps."""

    def __init__(self) -> None:
        self.TimeKeeper = TimeKeeper()
        self.PlayMode = "Snap To TimeSteps"

    def UpdateAnimationUsingDataTimeSteps(self) -> None:
        """Use the readers' time steps (nothing to compute here: they are read when stepping)."""
        self.PlayMode = "Snap To TimeSteps"

    @property
    def AnimationTime(self) -> float:
        return self.TimeKeeper.Time

    @AnimationTime.setter
    def AnimationTime(self, value: float) -> None:
        self.TimeKeeper.Time = value

    def _go(self, index: int) -> None:
        times = self.TimeKeeper.TimestepValues
        if times:
            self.AnimationTime = times[max(0, min(index, len(times) - 1))]

    def GoToFirst(self) -> None:
        self._go(0)

    def GoToLast(self) -> None:
        self._go(len(self.TimeKeeper.TimestepValues) - 1)

    def GoToNext(self) -> None:
        times = self.TimeKeeper.TimestepValues
        later = [t for t in times if t > self.AnimationTime]
        if later:
            self.AnimationTime = later[0]

    def GoToPrevious(self) -> None:
        earlier = [t for t in self.TimeKeeper.TimestepValues if t < self.AnimationTime]
        if earlier:
            self.AnimationTime = earlier[-1]

    def Play(self) -> None:
        """Render every time step in turn."""
        for t in self.TimeKeeper.TimestepValues:
            self.AnimationTime = t
            for view in active_connection().proxies(("views",)):
                view.Render()


def GetAnimationScene() -> AnimationScene:
    """The animation scene of the active connection."""
    return AnimationScene()


def GetTimeKeeper() -> TimeKeeper:
    """The time keeper of the active connection."""
    return TimeKeeper()


__all__ = ["Fetch", "GetAnimationScene", "GetTimeKeeper", "OpenDataFile", "SaveData"]
