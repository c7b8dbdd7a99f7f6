"""``paraview.modules.vtkRemotingCore``: ParaView's data information classes, for VTK objects in this process.

``vtkPVDataInformation().CopyFromObject(obj)`` gathers what ParaView's does from a data object (or the output of
an algorithm or an algorithm output): counts of points, cells, rows, bounds, extent, memory, the data set and
composite types, and for each attribute (point, cell, field, row...) a vtkPVDataSetAttributesInformation of
vtkPVArrayInformation (name, type, components, tuples, component ranges, and ``GetIsPartial()``).

An array is partial, as in ParaView 5.11, when some of the datasets that were gathered have elements of its kind
but not that array: for composite data, the leaves with elements (empty blocks do not count) and, for field data,
also the root and every non-leaf block. ``AddInformation(other)`` merges two informations the same way (as ParaView
merges those of several ranks). The information of a proxy's output on the server is
``proxy.GetDataInformation()``; this class is for local VTK objects.

Other vtkRemotingCore classes (vtkProcessModule, vtkPVSession...) raise a NotSupportedException saying what to use.
"""

# ruff: noqa: N999 - the module is named as ParaView's C++ module, which scripts import by that name
from __future__ import annotations

from typing import Any

from vtkmodules.vtkCommonDataModel import vtkCompositeDataSet, vtkDataObject, vtkDataObjectTree, vtkDataObjectTypes

from paraview.modules.attributes_information import (
    CELL,
    EDGE,
    FIELD,
    NUMBER_OF_ATTRIBUTE_TYPES,
    POINT,
    POINT_THEN_CELL,
    ROW,
    VERTEX,
    vtkPVArrayInformation,
    vtkPVDataSetAttributesInformation,
)
from simple.servermanager import UNSUPPORTED, Unsupported


def _composite_nodes(data: vtkCompositeDataSet, leaves_only: bool) -> list[tuple[int, vtkDataObject | None]]:
    """(flat index, data object) of a composite dataset's leaves, empty ones included (or of every node below its
    root, with ``leaves_only`` False)."""
    iterator = data.NewIterator()
    iterator.SkipEmptyNodesOff()
    if not leaves_only:
        iterator.VisitOnlyLeavesOff()
        iterator.TraverseSubTreeOn()
    found = []
    iterator.InitTraversal()
    while not iterator.IsDoneWithTraversal():
        found.append((iterator.GetCurrentFlatIndex(), iterator.GetCurrentDataObject()))
        iterator.GoToNextItem()
    return found


class vtkPVDataInformation:
    """What ParaView knows of a data object: its counts, bounds, types and arrays (see the module's help)."""

    def __init__(self) -> None:
        self.Initialize()

    def Initialize(self) -> None:
        """Forget everything gathered."""
        self._data_set_type = -1
        self._composite_type = -1
        self._first_leaf = 0
        self._datasets = 0
        self._memory = 0
        self._bounds = [1e299, -1e299] * 3
        self._extent = [2147483647, -2147483647] * 3
        self._elements = [0] * NUMBER_OF_ATTRIBUTE_TYPES
        self._attributes = [vtkPVDataSetAttributesInformation(kind) for kind in range(NUMBER_OF_ATTRIBUTE_TYPES)]
        self._points_array = vtkPVArrayInformation()
        self._block_types: set[int] = set()
        self._time: float | None = None

    # ----------------------------------------------------------------------------------- gathering

    def CopyFromObject(self, obj: Any) -> None:
        """Gather the information of a data object, of an algorithm's first output, or of an algorithm output."""
        self.Initialize()
        data = self._data_object(obj)
        if data is None:
            return
        if data.IsA("vtkCompositeDataSet"):
            first_leaf, block_types = 0, set()
            for index, leaf in _composite_nodes(data, leaves_only=True):
                first_leaf = first_leaf or index
                if leaf is not None:
                    block_types.add(self._add_leaf(leaf))
            self._add_field_data_only(data)  # the root's field data (the leaves' own came with them)
            if data.IsA("vtkDataObjectTree"):
                for _, node in _composite_nodes(vtkDataObjectTree.SafeDownCast(data), leaves_only=False):
                    if node is not None and node.IsA("vtkCompositeDataSet"):
                        self._add_field_data_only(node)
            self._composite_type = data.GetDataObjectType()
            self._first_leaf, self._block_types = first_leaf, block_types
        else:
            self._add_leaf(data)
        info = data.GetInformation()
        if info is not None and info.Has(vtkDataObject.DATA_TIME_STEP()):
            self._time = info.Get(vtkDataObject.DATA_TIME_STEP())

    @staticmethod
    def _data_object(obj: Any) -> vtkDataObject | None:
        if obj is None:
            return None
        if obj.IsA("vtkDataObject"):
            return obj
        if obj.IsA("vtkAlgorithmOutput"):
            producer = obj.GetProducer()
            return producer.GetOutputDataObject(obj.GetIndex()) if producer is not None else None
        if obj.IsA("vtkAlgorithm"):
            return obj.GetOutputDataObject(0) if obj.GetNumberOfOutputPorts() else None
        raise TypeError(f"Could not cast object to a known data set: {obj.GetClassName()}.")

    def _add_leaf(self, data: vtkDataObject) -> int:
        """Merge the information of one dataset; returns its VTK type id."""
        single = vtkPVDataInformation()
        single._copy_from_data_object(data)
        self.AddInformation(single)
        return single._data_set_type

    def _add_field_data_only(self, data: vtkDataObject) -> None:
        fields = vtkPVDataSetAttributesInformation(FIELD)
        fields.CopyFromDataObject(data)
        if fields.GetNumberOfArrays() > 0:
            self._attributes[FIELD].AddInformation(fields)

    def _copy_from_data_object(self, data: vtkDataObject) -> None:
        self._data_set_type = data.GetDataObjectType()
        self._memory = data.GetActualMemorySize()
        self._datasets = 1
        for kind in range(NUMBER_OF_ATTRIBUTE_TYPES):
            self._attributes[kind].CopyFromDataObject(data)
            if kind == FIELD:  # the most tuples of its field arrays
                self._elements[kind] = self._attributes[kind].GetMaximumNumberOfTuples()
            else:
                self._elements[kind] = data.GetNumberOfElements(kind)
        if data.IsA("vtkDataSet") or data.IsA("vtkHyperTreeGrid"):
            self._bounds = list(data.GetBounds())
            if hasattr(data, "GetExtent"):
                self._extent = list(data.GetExtent())
        if data.IsA("vtkPointSet") and data.GetPoints() is not None and data.GetPoints().GetData() is not None:
            self._points_array.CopyFromArray(data.GetPoints().GetData())
            self._points_array.SetName("Points")  # whatever VTK calls them, ParaView shows "Points"

    def AddInformation(self, other: vtkPVDataInformation) -> None:
        """Merge the information of another dataset (another block or rank's piece) into this one."""
        if other is None:
            return
        if self._data_set_type == -1 and self._composite_type == -1:
            self.DeepCopy(other)
            return
        self._data_set_type = vtkDataObjectTypes.GetCommonBaseTypeId(self._data_set_type, other._data_set_type)
        self._composite_type = vtkDataObjectTypes.GetCommonBaseTypeId(self._composite_type, other._composite_type)
        self._first_leaf = max(self._first_leaf, other._first_leaf)
        self._datasets += other._datasets
        self._memory += other._memory
        if other._bounds[0] <= other._bounds[1]:
            mine = self._bounds
            self._bounds = (
                [min(mine[i], other._bounds[i]) if i % 2 == 0 else max(mine[i], other._bounds[i]) for i in range(6)]
                if mine[0] <= mine[1]
                else list(other._bounds)
            )
        for axis in range(3):
            low, high = other._extent[2 * axis], other._extent[2 * axis + 1]
            if low <= high:
                if self._extent[2 * axis] <= self._extent[2 * axis + 1]:
                    low, high = min(low, self._extent[2 * axis]), max(high, self._extent[2 * axis + 1])
                self._extent[2 * axis], self._extent[2 * axis + 1] = low, high
        self._time = other._time if other._time is not None else self._time
        self._block_types |= other._block_types
        for kind in range(NUMBER_OF_ATTRIBUTE_TYPES):
            if kind == FIELD:
                self._elements[kind] = max(self._elements[kind], other._elements[kind])
            else:
                self._elements[kind] += other._elements[kind]
            self._attributes[kind].AddInformation(other._attributes[kind])
        self._points_array.AddInformation(other._points_array, POINT)

    def DeepCopy(self, other: vtkPVDataInformation) -> None:
        """Become a copy of ``other``."""
        if other is None or other._data_set_type == -1:
            self.Initialize()
            return
        for key, value in other.__dict__.items():
            if key not in ("_attributes", "_points_array"):
                setattr(
                    self,
                    key,
                    list(value) if isinstance(value, list) else set(value) if isinstance(value, set) else value,
                )
        for mine, theirs in zip(self._attributes, other._attributes, strict=True):
            mine.DeepCopy(theirs)
        self._points_array.DeepCopy(other._points_array)

    # ----------------------------------------------------------------------------------- what was gathered

    def GetNumberOfPoints(self) -> int:
        return self._elements[POINT]

    def GetNumberOfCells(self) -> int:
        return self._elements[CELL]

    def GetNumberOfRows(self) -> int:
        return self._elements[ROW]

    def GetNumberOfVertices(self) -> int:
        return self._elements[VERTEX]

    def GetNumberOfEdges(self) -> int:
        return self._elements[EDGE]

    def GetNumberOfElements(self, element_type: int) -> int:
        """Elements of an attribute type (vtkDataObject.POINT, CELL, FIELD, ROW...)."""
        return self._elements[element_type] if 0 <= element_type < NUMBER_OF_ATTRIBUTE_TYPES else 0

    def GetNumberOfDataSets(self) -> int:
        """Datasets gathered (a composite dataset's non-empty leaves)."""
        return self._datasets

    def GetMemorySize(self) -> int:
        """Memory of the data, in KiB."""
        return self._memory

    def GetBounds(self) -> tuple[float, ...]:
        return tuple(self._bounds)

    def GetExtent(self) -> tuple[int, ...]:
        return tuple(self._extent)

    def GetDataSetType(self) -> int:
        """The VTK type id of the dataset (for composite data: the common type of its leaves); -1 for none."""
        return self._data_set_type

    def GetCompositeDataSetType(self) -> int:
        """The VTK type id of the composite dataset, -1 when the data is not composite."""
        return self._composite_type

    def IsCompositeDataSet(self) -> bool:
        return self._composite_type != -1

    def GetDataSetTypeAsString(self) -> str:
        return vtkDataObjectTypes.GetClassNameFromTypeId(self._data_set_type) if self._data_set_type >= 0 else ""

    def GetDataClassName(self) -> str | None:
        return self.GetDataSetTypeAsString() or None

    def GetCompositeDataClassName(self) -> str | None:
        return vtkDataObjectTypes.GetClassNameFromTypeId(self._composite_type) if self._composite_type >= 0 else None

    def GetFirstLeafCompositeIndex(self) -> int:
        return self._first_leaf

    def GetUniqueBlockTypes(self) -> list[int]:
        """The VTK type ids of the leaves of composite data (empty for a dataset)."""
        return sorted(self._block_types) if self._composite_type != -1 else []

    def GetHasTime(self) -> bool:
        return self._time is not None

    def GetTime(self) -> float:
        return self._time if self._time is not None else 0.0

    def GetAttributeInformation(self, attribute_type: int) -> vtkPVDataSetAttributesInformation | None:
        """The arrays of an attribute type (vtkDataObject.POINT, CELL, FIELD, VERTEX, EDGE, ROW)."""
        if attribute_type == POINT_THEN_CELL or not 0 <= attribute_type < NUMBER_OF_ATTRIBUTE_TYPES:
            return None
        return self._attributes[attribute_type]

    def GetPointDataInformation(self) -> vtkPVDataSetAttributesInformation:
        return self._attributes[POINT]

    def GetCellDataInformation(self) -> vtkPVDataSetAttributesInformation:
        return self._attributes[CELL]

    def GetFieldDataInformation(self) -> vtkPVDataSetAttributesInformation:
        return self._attributes[FIELD]

    def GetVertexDataInformation(self) -> vtkPVDataSetAttributesInformation:
        return self._attributes[VERTEX]

    def GetEdgeDataInformation(self) -> vtkPVDataSetAttributesInformation:
        return self._attributes[EDGE]

    def GetRowDataInformation(self) -> vtkPVDataSetAttributesInformation:
        return self._attributes[ROW]

    def GetPointArrayInformation(self) -> vtkPVArrayInformation:
        """The information of the points' coordinates (named 'Points')."""
        return self._points_array

    def GetArrayInformation(self, name: str, attribute_type: int) -> vtkPVArrayInformation | None:
        """An array by name and attribute type; None when there is none."""
        attributes = self.GetAttributeInformation(attribute_type)
        return attributes.GetArrayInformation(name) if attributes is not None else None

    def __repr__(self) -> str:
        kind = self.GetCompositeDataClassName() or self.GetDataSetTypeAsString() or "nothing"
        return f"<vtkPVDataInformation {kind}: {self.GetNumberOfPoints()} points, {self.GetNumberOfCells()} cells>"


def __getattr__(name: str) -> Any:
    """ParaView's other vtkRemotingCore classes: a use says what to use instead."""
    if name in UNSUPPORTED:
        return Unsupported(name, UNSUPPORTED[name])
    if name.startswith("vtk"):
        return Unsupported(
            name, "paraview.simple and the Python proxies; here vtkRemotingCore offers " + ", ".join(__all__)
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["vtkPVArrayInformation", "vtkPVDataInformation", "vtkPVDataSetAttributesInformation"]
