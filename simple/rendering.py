"""The view vocabulary of paraview.simple: views, Show/Hide, Render, cameras, colouring, screenshots."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pvclient.proxy import Proxy
from pvclient.views import Camera, array_range, colour_map_values, range_changes
from pvcore.definitions.views import check_view_size
from pvcore.errors import PropertyError, PVError
from simple.connections import GetActiveSource, active_connection, state

IMAGE_FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


def CreateRenderView(**properties: Any) -> Proxy:
    """Create a 3D render view on the active connection and make it the active view."""
    conn = active_connection()
    view = conn.create("views", "RenderView", properties)
    state.active_views[conn.id] = view
    return view


def GetActiveView() -> Proxy | None:
    """The active view of the active connection, or None."""
    conn = state.active_connection
    if conn is None:
        return None
    view = state.active_views.get(conn.id)
    if view is not None and view.GlobalID not in conn.states and not conn.is_pending(view):
        state.active_views[conn.id] = view = None
    return view


def SetActiveView(view: Proxy | None) -> None:
    """Make ``view`` the active view of its connection."""
    conn = view.connection if view is not None else active_connection()
    state.active_views[conn.id] = view


def GetActiveViewOrCreate(view_type: str = "RenderView") -> Proxy:
    """The active view, creating a render view if there is none."""
    if view_type != "RenderView":
        raise PVError(f"Only 'RenderView' views exist here, not {view_type!r}.")
    return GetActiveView() or CreateRenderView()


def _view(view: Proxy | None) -> Proxy:
    return view if view is not None else GetActiveViewOrCreate()


def _source(proxy: Proxy | None, what: str) -> Proxy:
    proxy = proxy or GetActiveSource()
    if proxy is None:
        raise PVError(f"{what}: no proxy given and there is no active source.")
    return proxy


def GetDisplayProperties(proxy: Proxy | None = None, view: Proxy | None = None) -> Proxy | None:
    """The representation of ``proxy`` in ``view``, or None if it was never shown there."""
    proxy, view = _source(proxy, "GetDisplayProperties"), _view(view)
    for rep in view.Representations:
        if rep.Input == proxy:
            return rep
    return None


GetRepresentation = GetDisplayProperties


def Show(proxy: Proxy | None = None, view: Proxy | None = None, **properties: Any) -> Proxy:
    """Show a source in a view (default: the active source in the active view); returns its representation.

    One request and one undo step (the representation and the view's new list, as one batch); a first Show
    creates the view before, as its own step."""
    proxy, view = _source(proxy, "Show"), _view(view)
    view.connection.check_owns(proxy, "Show")
    rep = GetDisplayProperties(proxy, view)
    if rep is None:
        conn = view.connection
        with conn.batch(f"Show {proxy.GetRegistrationName()}"):
            rep = conn.create("representations", "GeometryRepresentation", {"Input": proxy, **properties})
            conn.update(view, {"Representations": [*view.Representations, rep]})
    else:
        view.connection.update(rep, {"Visibility": 1, **properties})
    return rep


def Hide(proxy: Proxy | None = None, view: Proxy | None = None) -> None:
    """Hide a source in a view."""
    rep = GetDisplayProperties(proxy, view)
    if rep is not None:
        rep.Visibility = 0


def Render(view: Proxy | None = None) -> Proxy:
    """Render a view on the server (the first render resets the camera); returns the view."""
    view = _view(view)
    view.Render()
    return view


def ResetCamera(view: Proxy | None = None) -> None:
    """Fit the camera of a view to the visible data."""
    _view(view).ResetCamera()


def GetActiveCamera() -> Camera:
    """The camera of the active view."""
    return GetActiveViewOrCreate().GetActiveCamera()


def SaveScreenshot(
    filename: str | os.PathLike,
    view: Proxy | None = None,
    ImageResolution: list[int] | None = None,
    Quality: int = 95,
    **_ignored: Any,
) -> bool:
    """Render ``view`` (default: active) at ``ImageResolution`` and write a PNG (lossless) or JPEG file."""
    path = Path(filename)
    fmt = IMAGE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"Cannot save {path.name!r}: use one of the extensions {', '.join(IMAGE_FORMATS)}.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise OSError(
            f"Cannot write the screenshot {str(path)!r}: folder {str(folder)!r} does not exist or is not writable."
        )
    if ImageResolution is not None:
        if len(ImageResolution) != 2:
            raise ValueError(f"ImageResolution must be [width, height], not {ImageResolution!r}.")
        check_view_size(int(ImageResolution[0]), int(ImageResolution[1]))
    view = _view(view)
    width, height = ImageResolution or view.ViewSize
    image = view.CaptureImage(width, height, fmt, Quality)
    try:
        path.write_bytes(image.data)
    except OSError as exc:
        raise OSError(f"Cannot write the screenshot {str(path)!r}: {exc.strerror}.") from None
    return True


def GetColorTransferFunction(arrayname: str, representation: Proxy | None = None, **properties: Any) -> Proxy:
    """The colour map of an array (one per array name and connection), created on first use."""
    conn = representation.connection if representation is not None else active_connection()
    for lut in conn.proxies(("lookup_tables",)):
        if lut.ArrayName == arrayname:
            return lut
    return conn.create(
        "lookup_tables", "PVLookupTable", {"ArrayName": arrayname, **properties}, name=f"{arrayname}_LUT"
    )


GetLookupTableForArray = GetColorTransferFunction


def ColorBy(rep: Proxy | None = None, value: Any = None, separate: bool = False) -> None:
    """Colour a representation by an array, e.g. ``ColorBy(rep, ('POINTS', 'RTData'))``; None for solid colour.

    Two requests: the array's range, then one batch (one undo step) that creates the array's colour map if it
    has none yet (one per array name, fitted to the data) or widens the one there is to cover this data, and
    sets the representation's array and colour map."""
    if rep is None:
        rep = GetDisplayProperties()
    if rep is None:
        raise PVError("ColorBy: no representation given and the active source is not shown in the active view.")
    if value is None or (isinstance(value, (tuple, list)) and (len(value) < 2 or value[1] in (None, ""))):
        rep.ColorArrayName = ["POINTS", ""]
        return
    if isinstance(value, str):
        value = ("POINTS", value)
    assoc, name = value[0], value[1]
    if assoc not in ("POINTS", "CELLS", "FIELD"):
        raise PropertyError(f"ColorBy: association must be 'POINTS', 'CELLS' or 'FIELD', not {assoc!r}.")
    low, high = array_range(rep.Input, (assoc, name))  # raises, naming the arrays that exist
    conn = rep.connection
    with conn.batch(f"Color by {name}"):
        lut = GetColorTransferFunction(name, rep)
        changes = range_changes(*colour_map_values(lut), low, high)  # a shared colour map widens to cover this too
        if changes:
            conn.update(lut, changes)
        conn.update(rep, {"ColorArrayName": [assoc, name], "LookupTable": lut})


__all__ = [
    "ColorBy",
    "CreateRenderView",
    "GetActiveCamera",
    "GetActiveView",
    "GetActiveViewOrCreate",
    "GetColorTransferFunction",
    "GetDisplayProperties",
    "GetLookupTableForArray",
    "GetRepresentation",
    "Hide",
    "Render",
    "ResetCamera",
    "SaveScreenshot",
    "SetActiveView",
    "Show",
]
