"""The view vocabulary of paraview.simple: views, Show/Hide, Render, cameras, colouring.

Screenshots and layouts are in simple.layouts, colour maps, scalar bars and palettes in simple.colormaps.
"""

from __future__ import annotations

import platform
from typing import Any

from pvclient import backcompat
from pvclient.colormaps import colour_map_values, range_changes
from pvclient.proxy import Proxy
from pvclient.views import Camera, array_range
from pvcore.definitions.views import OTHER_VIEW_TYPES, PALETTES
from pvcore.definitions.views_charts import CHART_REPRESENTATIONS, NON_RENDER_VIEWS, PREFERRED_VIEWS
from pvcore.definitions.views_representation import (
    PARAVIEW_REPRESENTATIONS,
    default_color_array,
    default_representation,
    default_unit_distance,
)
from pvcore.definitions.views_text import TEXT_SOURCES
from pvcore.errors import PropertyError, PVError
from simple.connections import GetActiveSource, active_connection, state


def _DisableFirstRenderCameraReset() -> None:
    """Keep the camera a script sets before its first render (ParaView's traces call this first); by default the
    first ``Render()`` of the session fits the camera to the data."""
    state.first_render_resets_camera = False


def CreateView(view_type: str = "RenderView", **properties: Any) -> Proxy:
    """Create a view of ``view_type`` ('RenderView', 'XYChartView', 'XYBarChartView', 'XYHistogramChartView' or
    'SpreadSheetView') and make it the active view."""
    known = ("RenderView", *NON_RENDER_VIEWS)
    if view_type not in known:
        other = " (it is not drawn here)" if view_type in OTHER_VIEW_TYPES else ""
        raise PVError(f"Cannot create a {view_type!r} view{other}: the view types are {', '.join(known)}.")
    conn = active_connection()
    properties = {**backcompat.old_defaults(view_type), **properties}  # a script for an older ParaView: its defaults
    if state.palette and view_type == "RenderView":
        properties = {"Background": list(PALETTES[state.palette][0]), **properties}
    view = conn.create("views", view_type, properties)
    state.active_views[conn.id] = view
    return view


def CreateRenderView(**properties: Any) -> Proxy:
    """Create a 3D render view on the active connection and make it the active view."""
    return CreateView("RenderView", **properties)


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
    """Make ``view`` the active view of its connection (None: no active view)."""
    conn = view.connection if view is not None else active_connection()
    state.active_views[conn.id] = view


def GetViews(viewtype: str | None = None) -> list[Proxy]:
    """All views of the active connection (of one type, if ``viewtype`` is given), in creation order."""
    views = active_connection().proxies(("views",))
    return [v for v in views if viewtype is None or v.type_name == viewtype]


def GetRenderViews() -> list[Proxy]:
    """All render views of the active connection."""
    return GetViews("RenderView")


def GetRenderView() -> Proxy:
    """The active view; else the first render view there is; else a new one."""
    view = GetActiveView()
    if view is None:
        views = GetRenderViews()
        view = views[0] if views else CreateRenderView()
    return view


def GetActiveViewOrCreate(view_type: str | None = None) -> Proxy:
    """The active view if it is a ``view_type`` (None: of any type), else a new view of ``view_type`` (None: a
    render view)."""
    view = GetActiveView()
    if view is not None and view_type in (None, view.type_name):
        return view
    return CreateView(view_type or "RenderView")


def _view(view: Proxy | None) -> Proxy:
    return view if view is not None else GetActiveViewOrCreate()


def _source(proxy: Proxy | None, what: str) -> Proxy:
    proxy = proxy or GetActiveSource()
    if proxy is None:
        raise PVError(f"{what}: no proxy given and there is no active source.")
    return proxy


def _shown_in(proxy: Proxy, view: Proxy) -> Proxy | None:
    for rep in view.Representations:
        if rep.Input == proxy:
            return rep
    return None


def GetDisplayProperties(proxy: Proxy | None = None, view: Proxy | None = None) -> Proxy:
    """The representation of ``proxy`` (default: the active source) in ``view`` (default: the active view); one
    that was never shown gets a hidden representation, as in ParaView, which Show() then makes visible."""
    proxy, view = _source(proxy, "GetDisplayProperties"), _view(view)
    return _shown_in(proxy, view) or _add_representation(proxy, view, {"Visibility": 0})


GetRepresentation = GetDisplayProperties


def _add_representation(proxy: Proxy, view: Proxy, properties: dict[str, Any], defaults: bool = False) -> Proxy:
    """A new representation of ``proxy`` in ``view``: one request and one undo step (the representation and the
    view's new list, as one batch). ``defaults``: as Show, ParaView's first look (see _first_look)."""
    view.connection.check_owns(proxy, "Show")
    conn = view.connection
    kind = "TextSourceRepresentation" if proxy.type_name in TEXT_SOURCES else "GeometryRepresentation"
    kind = NON_RENDER_VIEWS.get(view.type_name, kind)  # a chart's or spreadsheet's own representation
    colour: tuple[str, str, float, float] | None = None
    if defaults and kind == "GeometryRepresentation":
        first, colour = _first_look(proxy, properties)
        properties = {**first, **properties}
    with conn.batch(f"Show {proxy.GetRegistrationName()}"):
        if colour is not None:  # the array's colour map, made or widened to cover this data (as ColorBy)
            assoc, name, low, high = colour
            lut = GetColorTransferFunction(name, proxy)
            changes = range_changes(*colour_map_values(lut), low, high)
            if changes:
                conn.update(lut, changes)
            properties = {"ColorArrayName": [assoc, name], "LookupTable": lut, **properties}
        rep = conn.create("representations", kind, {"Input": proxy, **properties})
        conn.update(view, {"Representations": [*view.Representations, rep]})
    return rep


def _first_look(proxy: Proxy, properties: dict[str, Any]) -> tuple[dict[str, Any], tuple | None]:
    """ParaView 5.11's first look of data (what ``properties`` does not set): its Representation
    (pvcore.definitions.views_representation.default_representation) and, unless drawn as an outline, the array
    it is coloured by with that array's range (None: a solid colour)."""
    if proxy.GlobalID < 0:  # made in a batch not yet sent: it has no data to look at
        return {}, None
    try:
        info = proxy.GetDataInformation()
    except PVError:  # the pipeline failed: drawn as it was asked, and rendering reports the error
        return {}, None
    composite = info.IsCompositeDataSet()
    first: dict[str, Any] = {}
    kind = properties.get("Representation")
    if kind is None:
        kind = default_representation(
            info.GetDataSetTypeAsString(), tuple(info.GetExtent()), info.GetNumberOfCells(), composite
        )
        first["Representation"] = kind
    first["ScalarOpacityUnitDistance"] = default_unit_distance(info.GetBounds(), info.GetNumberOfCells())
    if kind == "Outline" or "ColorArrayName" in properties:
        return first, None
    points, cells = info.PointData, info.CellData
    assoc, name = default_color_array(
        [(n, a.GetNumberOfComponents()) for n, a in points.items()],
        [(n, a.GetNumberOfComponents()) for n, a in cells.items()],
    )
    if not name:
        return first, None
    low, high = (points if assoc == "POINTS" else cells)[name].GetRange(-1)
    return first, (assoc, name, *((low, high) if low <= high else (0.0, 1.0)))


def Show(
    proxy: Proxy | None = None, view: Proxy | None = None, representationType: str | None = None, **properties: Any
) -> Proxy:
    """Show a source in a view (default: the active source in the active view); returns its representation.

    ``representationType`` takes ParaView's names ('GeometryRepresentation', 'UniformGridRepresentation',
    'UnstructuredGridRepresentation', ...): all are drawn as this project's GeometryRepresentation. In a chart or
    spreadsheet view the representation is the view's own ('XYChartRepresentation', 'XYBarChartRepresentation',
    'SpreadSheetRepresentation'), whatever ``representationType`` names; a text source's output (Text,
    AnnotateTime, PythonAnnotation) gets a TextSourceRepresentation. A new representation in a render view first
    looks as in ParaView 5.11 where ``properties`` leaves it unset: its Representation by data type ('Outline' for
    3D image data, 'Slice' for a flat image, ...), its ScalarOpacityUnitDistance, and colouring by the data's
    scalars with that array's colour map, made or grown to cover them."""
    allowed = (*PARAVIEW_REPRESENTATIONS, *CHART_REPRESENTATIONS, "TextSourceRepresentation")
    if representationType is not None and representationType not in allowed:
        raise PVError(f"Unknown representation type {representationType!r}; use one of {', '.join(allowed)}.")
    proxy = _source(proxy, "Show")
    preferred = PREFERRED_VIEWS.get(proxy.type_name)
    if view is None and preferred is not None and GetActiveView() is None:  # ParaView's preferred view of the type
        view = CreateView(preferred)
    view = _view(view)
    rep = _shown_in(proxy, view)
    if rep is None:
        return _add_representation(proxy, view, properties, defaults=True)
    view.connection.update(rep, {"Visibility": 1, **properties})
    return rep


def Hide(proxy: Proxy | None = None, view: Proxy | None = None) -> None:
    """Hide a source in a view."""
    proxy, view = _source(proxy, "Hide"), _view(view)
    rep = _shown_in(proxy, view)
    if rep is not None:
        rep.Visibility = 0


def prepare_first_render(view: Proxy) -> None:
    """ParaView's rule for the camera: only the first ``Render()`` of the session fits it to the data; any other
    render (SaveScreenshot before a Render, a second view) keeps the camera the view has."""
    if not getattr(view, "CameraInitialized", 1):  # a chart has no camera
        view.CameraInitialized = 1


def Render(view: Proxy | None = None, **properties: Any) -> Proxy:
    """Render a view on the server and return it; the first ``Render()`` of the session fits the camera to the
    data first (as ParaView's; ``_DisableFirstRenderCameraReset()`` keeps it)."""
    view = _view(view)
    if properties:
        view.connection.update(view, properties)
    if state.first_render_resets_camera and hasattr(view, "CameraInitialized"):
        state.first_render_resets_camera = False
        view.ResetCamera()
    prepare_first_render(view)
    view.Render()
    return view


def RenderAllViews() -> None:
    """Render every view of the active connection."""
    for view in GetViews():
        Render(view)


def Interact(view: Proxy | None = None) -> None:
    """Interaction needs a window: offscreen, as here, it returns at once (as ParaView does without one)."""


def ResetCamera(view: Proxy | None = None) -> None:
    """Fit the camera of a view to the visible data."""
    _view(view).ResetCamera()


def ResetCameraToDirection(
    position: list[float], direction: list[float], up: list[float] | None = None, view: Proxy | None = None
) -> None:
    """Look along ``direction`` at ``position`` (with view-up ``up``), then fit the camera to the data."""
    view = _view(view)
    changes: dict[str, Any] = {
        "CameraFocalPoint": list(position),
        "CameraPosition": [p - d for p, d in zip(position, direction, strict=True)],
    }
    if up:
        changes["CameraViewUp"] = list(up)
    view.connection.update(view, changes)
    view.ResetCamera()


def GetActiveCamera() -> Camera:
    """The camera of the active view."""
    return GetActiveViewOrCreate().GetActiveCamera()


def GetMaterialLibrary() -> Proxy:
    """The session's ray-tracing material library (ParaView's state files set it on views; nothing is
    ray-traced here, so it is stored only)."""
    conn = active_connection()
    found = [p for p in conn.proxies(("rendering_helpers",)) if p.type_name == "MaterialLibrary"]
    return found[0] if found else conn.create("rendering_helpers", "MaterialLibrary", {}, name="MaterialLibrary")


class OpenGLInformation:
    """What the OpenGL of this process reports (vendor, version, renderer), as ParaView's vtkPVOpenGLInformation."""

    def __init__(self, report: str) -> None:
        fields = dict(line.split(":", 1) for line in report.splitlines() if ":" in line)
        self._fields = {key.strip(): value.strip() for key, value in fields.items()}

    def GetVendor(self) -> str:
        return self._fields.get("OpenGL vendor string", "")

    def GetVersion(self) -> str:
        return self._fields.get("OpenGL version string", "")

    def GetRenderer(self) -> str:
        return self._fields.get("OpenGL renderer string", "")

    def GetCapabilities(self) -> str:
        return "\n".join(f"{key}: {value}" for key, value in self._fields.items())

    def GetWindowBackend(self) -> str:
        return "offscreen"

    def GetLocalDisplay(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<OpenGL {self.GetVersion()} by {self.GetVendor()} ({self.GetRenderer()}) on {platform.node()}>"


def GetOpenGLInformation(location: Any = None) -> OpenGLInformation:
    """The OpenGL of this client process, from an offscreen VTK window (``location`` is accepted; the server's
    ranks draw with the same offscreen OpenGL when they run on this machine)."""
    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 - heavy, and only needed here: the OpenGL implementations
    from vtkmodules.vtkRenderingCore import vtkRenderWindow

    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(1, 1)
    window.Render()
    report = window.ReportCapabilities()
    window.Finalize()
    return OpenGLInformation(report)


def GetColorTransferFunction(arrayname: str, representation: Proxy | None = None, **properties: Any) -> Proxy:
    """The colour map of an array (one per array name and connection), created on first use."""
    conn = representation.connection if representation is not None else active_connection()
    for lut in conn.proxies(("lookup_tables",)):
        if lut.ArrayName == arrayname:
            if properties:
                conn.update(lut, properties)
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
        source, view = GetActiveSource(), GetActiveView()
        rep = _shown_in(source, view) if source is not None and view is not None else None
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
    "CreateView",
    "GetActiveCamera",
    "GetActiveView",
    "GetActiveViewOrCreate",
    "GetColorTransferFunction",
    "GetDisplayProperties",
    "GetLookupTableForArray",
    "GetMaterialLibrary",
    "GetOpenGLInformation",
    "GetRenderView",
    "GetRenderViews",
    "GetRepresentation",
    "GetViews",
    "Hide",
    "Interact",
    "Render",
    "RenderAllViews",
    "ResetCamera",
    "ResetCameraToDirection",
    "SetActiveView",
    "Show",
    "_DisableFirstRenderCameraReset",
]
