"""The VTK side of pvcore/definitions/selections.py: selection sources that produce a vtkSelection for the piece
of the rank they run on, AppendSelections, and ExtractSelection (vtkExtractSelection, with queries).

A selection source makes its selection when the pipeline asks it for a piece (the executor updates every rank's
piece, and vtkExtractSelection passes the request to its selection port): an IDSelectionSource keeps the ids of
the pairs whose process is that piece's rank, or -1, which is ParaView's meaning of (process, id). Everything else
(global ids, thresholds, locations, queries) is the same selection on every rank, so that extracting gives on any
number of ranks what one rank gives.

ExtractSelection itself (with its queries) is :mod:`pvserver.pipeline.selection_extract`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonCore import vtkDoubleArray, vtkIdTypeArray
from vtkmodules.vtkCommonDataModel import (
    vtkSelection,
    vtkSelectionNode,
)
from vtkmodules.vtkCommonExecutionModel import vtkAlgorithm
from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
from vtkmodules.vtkFiltersCore import vtkAppendSelection

from pvcore.definitions.selections import ELEMENT_TYPE_NUMBERS, ELEMENT_TYPES
from pvcore.errors import PipelineError
from pvserver.pipeline import selection_query
from pvserver.pipeline.context import Context
from pvserver.pipeline.selection_extract import ExtractSelectionAdapter


class SelectionSourceAlgorithm(VTKPythonAlgorithmBase):
    """A source of one vtkSelection with ParaView's SelectionSourceBase properties; a subclass fills the nodes."""

    content = vtkSelectionNode.INDICES

    def __init__(self) -> None:
        super().__init__(nInputPorts=0, nOutputPorts=1, outputType="vtkSelection")
        self.field_type, self.containing_cells, self.inverse = 0, 0, 0
        self.layers, self.remove_seed, self.remove_intermediate = 0, 0, 0

    def SetFieldType(self, field_type: int) -> None:  # noqa: N802 - the definitions' setters
        self.field_type = int(field_type)
        self.Modified()

    def SetContainingCells(self, on: int) -> None:  # noqa: N802
        self.containing_cells = int(on)
        self.Modified()

    def SetInverse(self, on: int) -> None:  # noqa: N802
        self.inverse = int(on)
        self.Modified()

    def SetNumberOfLayers(self, layers: int) -> None:  # noqa: N802
        self.layers = int(layers)
        self.Modified()

    def SetRemoveSeed(self, on: int) -> None:  # noqa: N802
        self.remove_seed = int(on)
        self.Modified()

    def SetRemoveIntermediateLayers(self, on: int) -> None:  # noqa: N802
        self.remove_intermediate = int(on)
        self.Modified()

    def RequestInformation(self, _request: Any, _inputs: Any, output_vector: Any) -> int:  # noqa: N802
        # Without this a source runs for piece 0 only, and the other ranks get an empty selection.
        output_vector.GetInformationObject(0).Set(vtkAlgorithm.CAN_HANDLE_PIECE_REQUEST(), 1)
        return 1

    def RequestData(self, _request: Any, _inputs: Any, output_vector: Any) -> int:  # noqa: N802 - VTK's name
        info = output_vector.GetInformationObject(0)
        piece = info.Get(Sddp.UPDATE_PIECE_NUMBER()) if info.Has(Sddp.UPDATE_PIECE_NUMBER()) else 0
        output = vtkSelection.GetData(output_vector)
        output.Initialize()
        for node in self.nodes(piece):
            output.AddNode(node)
        return 1

    def nodes(self, piece: int) -> list[vtkSelectionNode]:
        """The selection's nodes for the rank's piece ``piece``."""
        raise NotImplementedError

    def node(self, selection_list: Any, field_type: int | None = None) -> vtkSelectionNode:
        """A node of this source's content with the common properties."""
        node = vtkSelectionNode()
        node.SetContentType(self.content)
        node.SetFieldType(self.field_type if field_type is None else field_type)
        if selection_list is not None:
            node.SetSelectionList(selection_list)
        properties = node.GetProperties()
        properties.Set(vtkSelectionNode.CONTAINING_CELLS(), self.containing_cells)
        properties.Set(vtkSelectionNode.INVERSE(), self.inverse)
        if self.layers:
            properties.Set(vtkSelectionNode.CONNECTED_LAYERS(), self.layers)
            properties.Set(vtkSelectionNode.CONNECTED_LAYERS_REMOVE_SEED(), self.remove_seed)
            properties.Set(vtkSelectionNode.CONNECTED_LAYERS_REMOVE_INTERMEDIATE_LAYERS(), self.remove_intermediate)
        return node


def _grouped(values: tuple, size: int, what: str) -> list[tuple]:
    if len(values) % size:
        raise PipelineError(f"{what} takes {size} values per entry; {len(values)} values were given.")
    return [tuple(values[i : i + size]) for i in range(0, len(values), size)]


def _id_list(ids: list[int]) -> vtkIdTypeArray:
    array = vtkIdTypeArray()
    for value in ids:
        array.InsertNextValue(int(value))
    return array


def _double_list(values: list[tuple], components: int, name: str = "") -> vtkDoubleArray:
    array = vtkDoubleArray()
    array.SetNumberOfComponents(components)
    if name:
        array.SetName(name)
    for entry in values:
        array.InsertNextTuple(entry)
    return array


class IDSelectionSourceAdapter(SelectionSourceAlgorithm):
    """(process, id) pairs: the ids of this rank's piece, and of process -1 on every rank."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple] = []

    def SetIDs(self, *values: int) -> None:  # noqa: N802
        self.pairs = _grouped(values, 2, "IDs")
        self.Modified()

    def nodes(self, piece: int) -> list[vtkSelectionNode]:
        return [self.node(_id_list([i for process, i in self.pairs if process in (piece, -1)]))]


class GlobalIDSelectionSourceAdapter(SelectionSourceAlgorithm):
    """Global ids: the same selection on every rank (each rank finds the ids its piece holds)."""

    content = vtkSelectionNode.GLOBALIDS

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[int] = []

    def SetGlobalIDs(self, *ids: int) -> None:  # noqa: N802
        self.ids = list(ids)
        self.Modified()

    def nodes(self, piece: int) -> list[vtkSelectionNode]:
        return [self.node(_id_list(self.ids))]


class CompositeIDSelectionSourceAdapter(SelectionSourceAlgorithm):
    """(flat block index, process, id) triples: a node per block, with the ids of this rank's piece."""

    def __init__(self) -> None:
        super().__init__()
        self.triples: list[tuple] = []

    def SetIDs(self, *values: int) -> None:  # noqa: N802
        self.triples = _grouped(values, 3, "IDs")
        self.Modified()

    def nodes(self, piece: int) -> list[vtkSelectionNode]:
        by_block: dict[int, list[int]] = {}
        for block, process, i in self.triples:
            if process in (piece, -1):
                by_block.setdefault(int(block), []).append(i)
        nodes = []
        for block, ids in by_block.items():
            node = self.node(_id_list(ids))
            node.GetProperties().Set(vtkSelectionNode.COMPOSITE_INDEX(), block)
            nodes.append(node)
        return nodes or [self.node(_id_list([]))]


class ThresholdSelectionSourceAdapter(SelectionSourceAlgorithm):
    """Elements whose ArrayName value lies in one of the [low, high] ranges."""

    content = vtkSelectionNode.THRESHOLDS

    def __init__(self) -> None:
        super().__init__()
        self.ranges: list[tuple] = []
        self.array_name = "none"

    def SetThresholds(self, *values: float) -> None:  # noqa: N802
        self.ranges = _grouped(values, 2, "Thresholds")
        self.Modified()

    def SetArrayName(self, name: str) -> None:  # noqa: N802
        self.array_name = name
        self.Modified()

    def nodes(self, piece: int) -> list[vtkSelectionNode]:
        return [self.node(_double_list(self.ranges, 2, self.array_name))]


class LocationSelectionSourceAdapter(SelectionSourceAlgorithm):
    """The points at the locations, or the cells that contain them."""

    content = vtkSelectionNode.LOCATIONS

    def __init__(self) -> None:
        super().__init__()
        self.locations: list[tuple] = []

    def SetLocations(self, *values: float) -> None:  # noqa: N802
        self.locations = _grouped(values, 3, "Locations")
        self.Modified()

    def nodes(self, piece: int) -> list[vtkSelectionNode]:
        return [self.node(_double_list(self.locations, 3))]


class FrustumSelectionSourceAdapter(SelectionSourceAlgorithm):
    """The elements inside a frustum given by its 8 corners (x, y, z, w)."""

    content = vtkSelectionNode.FRUSTUM

    def __init__(self) -> None:
        super().__init__()
        self.corners: list[tuple] = []

    def SetFrustum(self, *values: float) -> None:  # noqa: N802
        self.corners = _grouped(values, 4, "Frustum")
        self.Modified()

    def nodes(self, piece: int) -> list[vtkSelectionNode]:
        return [self.node(_double_list(self.corners, 4))]


class QuerySelectionSourceAdapter(SelectionSourceAlgorithm):
    """A query node; ExtractSelectionAdapter evaluates it (the query is checked here already, for a clear error)."""

    content = vtkSelectionNode.QUERY

    def __init__(self) -> None:
        super().__init__()
        self.query = ""
        self.field_type = 0

    def SetElementType(self, label: str) -> None:  # noqa: N802
        # vtkDataObject's attribute type -> vtkSelectionNode's field type (POINT 0 -> 1, CELL 1 -> 0...).
        attribute = ELEMENT_TYPE_NUMBERS[ELEMENT_TYPES.index(label)]
        self.field_type = vtkSelectionNode.ConvertAttributeTypeToSelectionField(attribute)
        self.Modified()

    def SetQueryString(self, query: str) -> None:  # noqa: N802
        try:
            selection_query.parse(query)
        except ValueError as exc:
            raise PipelineError(f"QueryString: {exc}", property="QueryString") from None
        self.query = query
        self.Modified()

    def nodes(self, piece: int) -> list[vtkSelectionNode]:
        node = self.node(None)
        node.SetQueryString(self.query or "True")
        return [node]


class AppendSelectionsAdapter(vtkAppendSelection):
    """vtkAppendSelection with ParaView's SelectionNames property (the names Expression refers to)."""

    def SetSelectionNames(self, *names: str) -> None:  # noqa: N802
        self.RemoveAllInputNames()
        for index, name in enumerate(names):
            self.SetInputName(index, name)


def _factory(cls: type) -> Callable[[Context], Any]:
    return lambda _context: cls()


#: Adapter name (a spec's ``vtk_class``) -> factory, for pvserver.pipeline.adapters.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    cls.__name__: _factory(cls)
    for cls in (
        IDSelectionSourceAdapter,
        GlobalIDSelectionSourceAdapter,
        CompositeIDSelectionSourceAdapter,
        ThresholdSelectionSourceAdapter,
        LocationSelectionSourceAdapter,
        FrustumSelectionSourceAdapter,
        QuerySelectionSourceAdapter,
        AppendSelectionsAdapter,
    )
}
ADAPTERS["ExtractSelectionAdapter"] = lambda context: ExtractSelectionAdapter(context.comm)

__all__ = ["ADAPTERS"]
