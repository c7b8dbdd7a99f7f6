"""Selections as ParaView's scripts make them: ``paraview.selection``'s functions (SelectIDs, SelectThresholds,
SelectLocation, QuerySelect, ClearSelection...), ``paraview.simple``'s SelectCells/SelectPoints, and
ExtractSelection, which by default extracts a copy of its input's active selection, as in ParaView.

The active selection of a source is shared state (pvcore/definitions/selections.py): the selection proxy whose
``SelectedSource`` is that source. Every collaborator sees it after ``processServerEvents()``, and undo brings the
previous one back. Setting a selection replaces the source's active one in one undo step; ``Modifier`` ('ADD',
'SUBTRACT', 'TOGGLE') combines the new selection with it through an AppendSelections, as ParaView does.

On several ranks, ids are ParaView's (process, id) pairs: the id of an element of that rank's piece (-1: of
every rank's). SelectPointsThrough and SelectCellsThrough select what lies behind a rectangle of a view's
pixels: a frustum computed from the camera, which needs no rendering. Selecting only what is visible
(SelectSurfacePoints, SelectSurfaceCells, SelectSurfaceBlocks) needs ParaView's hardware selection, which this
project's views lack: they raise NotSupportedException.
"""

from __future__ import annotations

from typing import Any

from pvclient.connection import Connection
from pvclient.properties import NotSupportedException
from pvclient.proxy import Proxy
from pvcore.definitions.selections import ELEMENT_TYPES, FIELD_TYPES, SELECTION_SOURCES
from pvcore.errors import PropertyError, PVError
from simple.connections import GetActiveSource, active_connection, state
from simple.rendering import GetActiveView, Render
from simple.selection_frustum import box_meets_frustum, frustum_corners

#: The ways a new selection may change the current one; None replaces it.
MODIFIERS = {"ADD": "({old})|{new}", "SUBTRACT": "({old})&!{new}", "TOGGLE": "({old})^{new}"}


def _source(source: Proxy | None, what: str) -> Proxy:
    source = source if source is not None else GetActiveSource()
    if source is None:
        raise PVError(f"{what}: no source given and there is no active source.")
    return source


def _field_type(field_type: str, what: str) -> str:
    label = str(field_type).upper()
    if label not in FIELD_TYPES:
        raise PropertyError(
            f"{what}: FieldType must be one of {', '.join(FIELD_TYPES)}, not {field_type!r}.", property="FieldType"
        )
    return label


def active_selection(source: Proxy) -> Proxy | None:
    """The active selection of ``source`` (a selection proxy), or None: ParaView's
    ``source.SMProxy.GetSelectionInput(0)``."""
    conn = source.connection
    for gid, st in sorted(conn.states.items()):
        if st.group == SELECTION_SOURCES and st.properties.get("SelectedSource") == (source.GlobalID,):
            return conn.proxy(gid)
    return None


def _users(conn: Connection, global_id: int) -> list[int]:
    """The proxies that take ``global_id`` as an input (an ExtractSelection, an AppendSelections)."""
    found = []
    for st in conn.states.values():
        spec = conn.catalogue.get(st.group, st.type)
        if any(p.is_input and global_id in st.properties.get(p.name, ()) for p in spec.properties):
            found.append(st.global_id)
    return found


def _discard(conn: Connection, selection: Proxy, kept: set[int]) -> None:
    """Stop ``selection`` being an active selection: delete it (and the selections only it combined) unless
    something else, or the new selection (``kept``), still uses it."""
    gid = selection.GlobalID
    if gid in kept or _users(conn, gid):
        selection.connection.update(selection, {"SelectedSource": None})
        return
    inputs = conn.state_of(gid).properties.get("Input", ()) if selection.type_name == "AppendSelections" else ()
    conn.delete(selection)
    for ref in inputs:
        if ref not in kept and _users(conn, ref) == [gid] and ref in conn.states:
            _discard_unused(conn, conn.proxy(ref))


def _discard_unused(conn: Connection, selection: Proxy) -> None:
    if conn.state_of(selection.GlobalID).properties.get("SelectedSource"):
        return  # another source's active selection
    conn.delete(selection)


def _select(source: Proxy, type_name: str, properties: dict[str, Any], modifier: str | None = None) -> Proxy:
    """Make a new selection of ``type_name`` the active selection of ``source`` (combined by ``modifier``), in
    one undo step; the replaced selection is deleted unless something still uses it."""
    conn = source.connection
    if modifier is not None and modifier not in MODIFIERS:
        raise PropertyError(f"Modifier must be one of {', '.join(MODIFIERS)} or None, not {modifier!r}.")
    old = active_selection(source)
    reused: set[int] = set()  # the parts of the old selection that the new one combines
    with conn.batch(f"Select on {source.GetRegistrationName()}"):
        if old is not None and modifier is not None:
            parts = _parts(conn, old)
            reused = {part.GlobalID for part in parts}
            new = _combined(conn, source, parts, conn.create(SELECTION_SOURCES, type_name, properties), modifier)
        elif modifier == "SUBTRACT":  # nothing to subtract from: no selection
            new = None
        else:
            new = conn.create(SELECTION_SOURCES, type_name, {**properties, "SelectedSource": source})
        if old is not None:
            _discard(conn, old, reused)
    return new


def _parts(conn: Connection, selection: Proxy) -> list[Proxy]:
    """The selections an AppendSelections combines, or the selection itself."""
    if selection.type_name != "AppendSelections":
        return [selection]
    return [conn.proxy(ref) for ref in conn.state_of(selection.GlobalID).properties.get("Input", ())]


def _combined(conn: Connection, source: Proxy, parts: list[Proxy], new: Proxy, modifier: str) -> Proxy:
    """An AppendSelections of ``parts`` (named s0, s1...: the old selection) and ``new``, combined by ParaView's
    expression for ``modifier``."""
    old = active_selection(source)
    expression = "s0"
    if old is not None and old.type_name == "AppendSelections":
        expression = conn.state_of(old.GlobalID).properties.get("Expression", ("",))[0]
        expression = expression or "|".join(f"s{i}" for i in range(len(parts)))
    return conn.create(
        SELECTION_SOURCES,
        "AppendSelections",
        {
            "Input": [*parts, new],
            "SelectionNames": [f"s{i}" for i in range(len(parts) + 1)],
            "Expression": MODIFIERS[modifier].format(old=expression, new=f"s{len(parts)}"),
            "SelectedSource": source,
        },
    )


# ----------------------------------------------------------------------------------------------- by id, value...


def SelectIDs(
    IDs: list[int] = (), FieldType: str = "POINT", ContainingCells: bool = False, Source: Proxy | None = None,
    Modifier: str | None = None,
) -> None:  # fmt: skip
    """Select elements by id: ``IDs`` are (process, id) pairs, the id of an element of that rank's piece (-1: of
    every rank's piece). ``FieldType`` 'POINT' or 'CELL'; ``ContainingCells``: for points, the cells holding them."""
    source = _source(Source, "SelectIDs")
    _select(source, "IDSelectionSource", _ids_properties(IDs, FieldType, ContainingCells, "SelectIDs"), Modifier)


def SelectGlobalIDs(
    IDs: list[int] = (), FieldType: str = "POINT", ContainingCells: bool = False, Source: Proxy | None = None,
    Modifier: str | None = None,
) -> None:  # fmt: skip
    """Select elements by global id (the input's global id array; the same elements on any number of ranks)."""
    source = _source(Source, "SelectGlobalIDs")
    properties = _ids_properties(IDs, FieldType, ContainingCells, "SelectGlobalIDs")
    properties["GlobalIDs"] = properties.pop("IDs")
    _select(source, "GlobalIDSelectionSource", properties, Modifier)


def SelectCompositeDataIDs(
    IDs: list[int] = (), FieldType: str = "POINT", ContainingCells: bool = False, Source: Proxy | None = None,
    Modifier: str | None = None,
) -> None:  # fmt: skip
    """Select elements of a composite dataset: ``IDs`` are (flat block index, process, id) triples."""
    source = _source(Source, "SelectCompositeDataIDs")
    properties = _ids_properties(IDs, FieldType, ContainingCells, "SelectCompositeDataIDs", per_entry=3)
    _select(source, "CompositeDataIDSelectionSource", properties, Modifier)


def _ids_properties(ids: Any, field_type: str, containing: bool, what: str, per_entry: int = 2) -> dict[str, Any]:
    ids = [int(i) for i in ids]
    if what != "SelectGlobalIDs" and len(ids) % per_entry:
        raise PropertyError(f"{what}: IDs takes {per_entry} values per entry; {len(ids)} were given.", property="IDs")
    return {"IDs": ids, "FieldType": _field_type(field_type, what), "ContainingCells": int(bool(containing))}


def SelectThresholds(
    Thresholds: list[float] = (), ArrayName: str = "", FieldType: str = "POINT", Source: Proxy | None = None,
    Modifier: str | None = None,
) -> None:  # fmt: skip
    """Select the elements whose ``ArrayName`` value lies in one of the [low, high] pairs of ``Thresholds``."""
    source = _source(Source, "SelectThresholds")
    if len(Thresholds) % 2:
        raise PropertyError("SelectThresholds: Thresholds takes (low, high) pairs.", property="Thresholds")
    properties = {
        "Thresholds": list(Thresholds),
        "ArrayName": ArrayName,
        "FieldType": _field_type(FieldType, "SelectThresholds"),
    }
    _select(source, "ThresholdSelectionSource", properties, Modifier)


def SelectLocation(Locations: list[float] = (), Source: Proxy | None = None, Modifier: str | None = None) -> None:
    """Select the points at the (x, y, z) ``Locations``."""
    source = _source(Source, "SelectLocation")
    if len(Locations) % 3:
        raise PropertyError("SelectLocation: Locations takes (x, y, z) triples.", property="Locations")
    _select(source, "LocationSelectionSource", {"Locations": list(Locations), "FieldType": "POINT"}, Modifier)


def QuerySelect(
    QueryString: str = "", FieldType: str = "POINT", Source: Proxy | None = None, InsideOut: bool = False
) -> None:
    """Select the elements for which ``QueryString`` (a NumPy-like expression of their arrays, and ``id``) holds;
    ``InsideOut`` selects the others."""
    source = _source(Source, "QuerySelect")
    element = ELEMENT_TYPES[
        ("POINT", "CELL", "FIELD", "VERTEX", "EDGE", "ROW").index(_field_type(FieldType, "QuerySelect"))
    ]
    properties = {"ElementType": element, "QueryString": str(QueryString), "InsideOut": int(bool(InsideOut))}
    _select(source, "SelectionQuerySource", properties)


def SelectCells(query: str | None = None, proxy: Proxy | None = None) -> Proxy:
    """Select the cells for which ``query`` holds (None: every cell); returns the selection."""
    return _query(query, proxy, "Cell Data", "SelectCells")


def SelectPoints(query: str | None = None, proxy: Proxy | None = None) -> Proxy:
    """Select the points for which ``query`` holds (None: every point); returns the selection."""
    return _query(query, proxy, "Point Data", "SelectPoints")


def _query(query: str | None, proxy: Proxy | None, element: str, what: str) -> Proxy:
    source = _source(proxy, what)
    return _select(source, "SelectionQuerySource", {"ElementType": element, "QueryString": str(query or "id >= 0")})


def ClearSelection(Source: Proxy | None = None, proxy: Proxy | None = None) -> None:
    """Clear the active selection of ``Source`` (ParaView's ``proxy=`` spelling too; default: the active source)."""
    source = _source(Source if Source is not None else proxy, "ClearSelection")
    old = active_selection(source)
    if old is not None:
        with source.connection.batch(f"Clear selection of {source.GetRegistrationName()}"):
            _discard(source.connection, old, set())


# ----------------------------------------------------------------------------------------------- extraction


def ExtractSelection(*inputs: Proxy, registrationName: str = "", **properties: Any) -> Proxy:
    """Extract what a selection chooses: ``Selection`` (default: a copy of the input's active selection, as
    ParaView's ExtractSelection takes it, so that a later selection does not change this one; none: nothing is
    extracted). ``Input`` defaults to the active source; ``PreserveTopology`` keeps the input's structure."""
    conn = active_connection()
    source = properties.get("Input") or (inputs[0] if inputs else None) or GetActiveSource()
    if source is None:
        raise PropertyError("ExtractSelection needs an input: pass Input=<source> or create a source first.")
    properties["Input"] = source
    with conn.batch("ExtractSelection"):
        if properties.get("Selection") is None:
            active = active_selection(source)
            if active is not None:
                properties["Selection"] = _copy(conn, active)
        proxy = conn.create("filters", "ExtractSelection", properties, registrationName)
    state.active_sources[conn.id] = proxy
    return proxy


def _copy(conn: Connection, selection: Proxy) -> Proxy:
    """A plain selection with the same type and values as ``selection``."""
    st = conn.state_of(selection.GlobalID)
    values = {key: value for key, value in st.properties.items() if key != "SelectedSource"}
    if "Input" in values:  # an AppendSelections combines the same parts
        values["Input"] = [conn.proxy(ref) for ref in values["Input"]]
    return conn.create(st.group, st.type, values)


# ----------------------------------------------------------------------------------------------- on the screen


def _drawn(what: str, Rectangle: list[int] = (), Polygon: list[int] = ()) -> None:
    if Rectangle and Polygon:
        raise PropertyError(f"{what}: give either Rectangle or Polygon, not both.")
    raise NotSupportedException(
        f"{what} selects what a view shows at some pixels, which needs ParaView's hardware selection; this "
        "project's views have none. Select everything behind some pixels (SelectPointsThrough, "
        "SelectCellsThrough), or by id (SelectIDs), value (SelectThresholds, QuerySelect) or location "
        "(SelectLocation) instead."
    )


def SelectSurfacePoints(
    Rectangle: list[int] = (), Polygon: list[int] = (), View: Any = None, Modifier: Any = None
) -> None:
    """Not offered: needs hardware selection (see the module's doc)."""
    _drawn("SelectSurfacePoints", Rectangle, Polygon)


def SelectSurfaceCells(
    Rectangle: list[int] = (), Polygon: list[int] = (), View: Any = None, Modifier: Any = None
) -> None:
    """Not offered: needs hardware selection (see the module's doc)."""
    _drawn("SelectSurfaceCells", Rectangle, Polygon)


def SelectSurfaceBlocks(Rectangle: list[int] = (), View: Any = None, Modifier: Any = None) -> None:
    """Not offered: needs hardware selection (see the module's doc)."""
    _drawn("SelectSurfaceBlocks", Rectangle)


def SelectPointsThrough(Rectangle: list[int] = (), View: Proxy | None = None, Modifier: str | None = None) -> None:
    """Select every point that the pixel ``Rectangle`` (x0, y0, x1, y1; empty: the whole view) of ``View`` covers,
    seen or hidden, in each source the view shows."""
    _through("SelectPointsThrough", "POINT", Rectangle, View, Modifier)


def SelectCellsThrough(Rectangle: list[int] = (), View: Proxy | None = None, Modifier: str | None = None) -> None:
    """Select every cell that the pixel ``Rectangle`` (x0, y0, x1, y1; empty: the whole view) of ``View`` covers,
    seen or hidden, in each source the view shows."""
    _through("SelectCellsThrough", "CELL", Rectangle, View, Modifier)


def _through(what: str, field_type: str, rectangle: Any, view: Proxy | None, modifier: str | None) -> None:
    """A frustum selection: the camera's frustum through the rectangle (no rendering needed), on every source
    the view shows."""
    view = view if view is not None else GetActiveView()
    if view is None or view.GetProperty("CameraPosition") is None:
        raise PVError(f"{what} needs a render view: pass View=<view> or create one (Show a source).")
    Render(view)  # the camera ParaView selects with: reset for the first render
    rectangle = list(rectangle) or [0, 0, *view.ViewSize]
    if len(rectangle) != 4:
        raise PropertyError(f"{what}: Rectangle is [x0, y0, x1, y1] in pixels, not {rectangle!r}.")
    shown = [rep.Input for rep in view.Representations if rep.Visibility and rep.Input is not None]
    boxes = {s: b for s in dict.fromkeys(shown) if (b := s.GetDataInformation().GetBounds()) and b[0] <= b[1]}
    if not boxes:
        return
    bounds = [(min, max)[i % 2](box[i] for box in boxes.values()) for i in range(6)]
    corners = frustum_corners(
        view.CameraPosition, view.CameraFocalPoint, view.CameraViewUp, view.CameraViewAngle, view.ViewSize,
        rectangle, bounds, view.CameraParallelScale if view.CameraParallelProjection else None,
    )  # fmt: skip
    # As ParaView's: the selection goes to the first source shown whose bounds meet the frustum.
    source = next((s for s, box in boxes.items() if box_meets_frustum(corners, box)), None)
    if source is not None:
        _select(source, "FrustumSelectionSource", {"Frustum": corners, "FieldType": field_type}, modifier)


__all__ = [
    "ClearSelection",
    "ExtractSelection",
    "QuerySelect",
    "SelectCells",
    "SelectCellsThrough",
    "SelectCompositeDataIDs",
    "SelectGlobalIDs",
    "SelectIDs",
    "SelectLocation",
    "SelectPoints",
    "SelectPointsThrough",
    "SelectSurfaceBlocks",
    "SelectSurfaceCells",
    "SelectSurfacePoints",
    "SelectThresholds",
]
