"""Selections: the selection sources (ParaView's IDSelectionSource, ThresholdSelectionSource, ...), the append of
several of them (AppendSelections) and the filters that extract what a selection chooses (ExtractSelection).

ParaView's proxy definitions (VTKExtensions/Extraction/Resources/extraction_filters.xml) are the reference. Its
selection sources live in its "sources" group but are never registered, so that they stay out of the pipeline;
here they have a group of their own, :data:`SELECTION_SOURCES`, which keeps them out of ``GetSources()``.

**The active selection of a source.** ParaView keeps it on the source proxy's output port (``SetSelectionInput``).
Here it is part of the shared state: a selection proxy whose ``SelectedSource`` names a source or filter is that
source's active selection (at most one per source; ``simple.selection`` keeps it so), so every client of a session
sees it and undo restores it. A selection proxy with an empty ``SelectedSource`` is a plain selection (the copy an
ExtractSelection takes, as ParaView's does). Deleting the source drops the reference.

**Several ranks.** Element ids of an IDSelectionSource are (process, id) pairs: the id of an element of that rank's
piece (process -1: every rank's), as in ParaView. Global ids, thresholds, locations and queries mean the same on
any number of ranks; a query's ``id`` is, as in ParaView, the element's index in its rank's piece.
"""

from __future__ import annotations

from pvcore.definitions.builders import Bool, Double, Doubles, Enum, Filter, Input, Int, Proxy, String, Strings
from pvcore.schema import PIPELINE_GROUPS, Applier, Property, ProxySpec

#: The group of the selection sources and of AppendSelections.
SELECTION_SOURCES = "selection_sources"
#: FieldType labels; their position is vtkSelectionNode's field type (CELL 0, POINT 1...).
FIELD_TYPES = ("CELL", "POINT", "FIELD", "VERTEX", "EDGE", "ROW")
#: ElementType labels (ParaView's field data domain) and vtkDataObject's attribute type of each.
ELEMENT_TYPES = ("Point Data", "Cell Data", "Field Data", "Vertex Data", "Edge Data", "Row Data")
ELEMENT_TYPE_NUMBERS = (0, 1, 2, 4, 5, 6)
#: ParaView's default frustum (the unit cube's corners, w = 0).
FRUSTUM = (
    0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0,
)  # fmt: skip


def _selected_source() -> Property:
    return Property(
        "SelectedSource",
        "proxy",
        (),
        1,
        "The source or filter whose active selection this is (empty: a plain selection).",
        values=PIPELINE_GROUPS,
    )


def _common(field_type: bool = True) -> tuple[Property, ...]:
    """ParaView's SelectionSourceBase properties, and the back reference to the selected source."""
    field = (
        Enum(
            "FieldType", "CELL", FIELD_TYPES, numbers=tuple(range(len(FIELD_TYPES))),
            apply=Applier("enum_index", "SetFieldType"), doc="The kind of element selected.",
        ),
    ) if field_type else ()  # fmt: skip
    return (
        *field,
        Bool("ContainingCells", 0, doc="For points: select the cells that hold the selected points."),
        Bool("InsideOut", 0, setter="SetInverse", doc="Select what the selection does not choose."),
        Int("NumberOfLayers", 0, minimum=0, doc="Grow the selection by this many layers of connected elements."),
        Bool("RemoveSeed", 0, doc="With NumberOfLayers: leave out the initial selection."),
        Bool("RemoveIntermediateLayers", 0, doc="With NumberOfLayers: keep only the outermost layer."),
        _selected_source(),
    )


def _ids(name: str, per_entry: int, doc: str) -> Property:
    return Int(name, (), count=None, doc=f"{doc} ({per_entry} values per entry).")


def _selection_source(name: str, adapter: str, doc: str, *properties: Property) -> ProxySpec:
    return Proxy(SELECTION_SOURCES, name, adapter, doc, *properties, *_common())


DEFINITIONS: tuple[ProxySpec, ...] = (
    _selection_source(
        "IDSelectionSource", "IDSelectionSourceAdapter",
        "Selects elements by id, given as (process, id) pairs: the id within that rank's piece (-1: every rank).",
        _ids("IDs", 2, "(process, id) pairs"),
    ),
    _selection_source(
        "GlobalIDSelectionSource", "GlobalIDSelectionSourceAdapter",
        "Selects elements by their global ids (the input's global id array).",
        _ids("GlobalIDs", 1, "Global ids"),
    ),
    _selection_source(
        "CompositeDataIDSelectionSource", "CompositeIDSelectionSourceAdapter",
        "Selects elements of a composite dataset by (flat block index, process, id) triples.",
        _ids("IDs", 3, "(flat block index, process, id) triples"),
    ),
    _selection_source(
        "ThresholdSelectionSource", "ThresholdSelectionSourceAdapter",
        "Selects elements whose value of ArrayName lies in one of the [low, high] ranges of Thresholds.",
        Doubles("Thresholds", doc="(low, high) pairs, inclusive."),
        String("ArrayName", "none", doc="The array whose values are compared."),
    ),
    _selection_source(
        "LocationSelectionSource", "LocationSelectionSourceAdapter",
        "Selects the points at, or the cells that contain, the given locations.",
        Doubles("Locations", doc="(x, y, z) triples."),
    ),
    _selection_source(
        "FrustumSelectionSource", "FrustumSelectionSourceAdapter",
        "Selects the elements inside a frustum: its 8 corners as (x, y, z, w) (near and far, for the rectangle's "
        "corners (x0, y0), (x0, y1), (x1, y0), (x1, y1)), what SelectPointsThrough/SelectCellsThrough compute.",
        Double("Frustum", FRUSTUM, count=32),
    ),
    Proxy(
        SELECTION_SOURCES, "SelectionQuerySource", "QuerySelectionSourceAdapter",
        "Selects the elements for which a NumPy-like expression of the input's arrays is true ('Temp > 300', "
        "'(id >= 2) & (id < 5)', 'inrange(RTData, 100, 150)'); the expression is parsed, never run as Python.",
        Enum(
            "ElementType", "Cell Data", ELEMENT_TYPES, numbers=ELEMENT_TYPE_NUMBERS,
            doc="The kind of element selected.",
        ),
        String("QueryString", "", doc="The expression; its names are the arrays of the elements, and id."),
        *_common(field_type=False),
    ),
    Proxy(
        SELECTION_SOURCES, "AppendSelections", "AppendSelectionsAdapter",
        "Combines selections: their union, or the boolean Expression of their names (s0|s1, s0&!s1, s0^s1).",
        Property(
            "Input", "proxy", (), None, "The selections combined, in order.", values=(SELECTION_SOURCES,),
            apply=Applier("input_port", index=0),
        ),
        Bool("AppendByUnion", 0, doc="Take the union of the selections (else Expression decides)."),
        String("Expression", "", doc="A boolean expression of SelectionNames (empty: every input, or-ed)."),
        Bool("InsideOut", 0, setter="SetInverse", doc="Select what the expression does not choose."),
        Strings("SelectionNames", doc="The name of each input in Expression (default s0, s1, ...)."),
        _selected_source(),
    ),
    Filter(
        "ExtractSelection", "ExtractSelectionAdapter",
        "Extracts the points or cells that a selection chooses (by default the input's active selection).",
        Input(data_types=("vtkDataSet", "vtkTable", "vtkCompositeDataSet")),
        Property(
            "Selection", "proxy", (), 1, "The selection whose elements are extracted.", values=(SELECTION_SOURCES,),
            apply=Applier("input_port", index=1),
        ),
        Bool("PreserveTopology", 0, doc="Keep the input's structure and mark the selected elements instead."),
    ),
)  # fmt: skip
