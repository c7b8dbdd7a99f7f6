"""ParaView-style accessors over the data information the server gathered from every rank."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from pvcore.messages import ArrayInformation, BlockInformation, DataInformation


class ArrayInfo:
    """One array: ``GetName()``, ``GetNumberOfComponents()``, ``GetRange(component=0)``."""

    def __init__(self, info: ArrayInformation) -> None:
        self._info = info

    @property
    def Name(self) -> str:
        return self._info.name

    def GetName(self) -> str:
        return self._info.name

    def GetNumberOfComponents(self) -> int:
        return self._info.number_of_components

    def GetDataType(self) -> str:
        return self._info.data_type

    def GetIsPartial(self) -> int:
        """1 when composite data has this array in some of its non-empty datasets only (ParaView's partial array,
        shown in italics), else 0."""
        return int(self._info.partial)

    def GetRange(self, component: int = 0) -> tuple[float, float]:
        """Range of one component over all ranks; -1 is the magnitude of a vector array."""
        n = self._info.number_of_components
        if component == -1:
            component = n if n > 1 else 0
        if not 0 <= component <= (n if n > 1 else 0):
            raise IndexError(f"{self.Name} has {n} component(s); ask for 0..{n - 1}, or -1 for the magnitude.")
        ranges = self._info.ranges
        if len(ranges) < 2 * component + 2:
            return (1.0, -1.0)  # VTK's empty range: no values anywhere
        return (ranges[2 * component], ranges[2 * component + 1])

    def __repr__(self) -> str:
        return f"Array: {self.Name} ({self._info.number_of_components} components) range {self.GetRange(0)}"


class ArraysInfo:
    """The point, cell or field arrays of a dataset: a read-only mapping from name to :class:`ArrayInfo`."""

    def __init__(self, arrays: list[ArrayInformation]) -> None:
        self._arrays = {a.name: ArrayInfo(a) for a in arrays}

    def keys(self) -> list[str]:
        return list(self._arrays)

    def values(self) -> list[ArrayInfo]:
        return list(self._arrays.values())

    def items(self) -> list[tuple[str, ArrayInfo]]:
        return list(self._arrays.items())

    def __getitem__(self, name: str | int) -> ArrayInfo:
        if isinstance(name, int):
            return self.values()[name]
        try:
            return self._arrays[name]
        except KeyError:
            raise KeyError(f"No array {name!r}; arrays are: {', '.join(self._arrays) or 'none'}") from None

    def get(self, name: str, default: ArrayInfo | None = None) -> ArrayInfo | None:
        return self._arrays.get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._arrays

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    def GetNumberOfArrays(self) -> int:
        return len(self._arrays)

    def GetArray(self, name: str | int) -> ArrayInfo | None:
        try:
            return self[name]
        except (KeyError, IndexError):
            return None

    def GetArrayInformation(self, name: str | int) -> ArrayInfo | None:
        """The array of that name or index, or None (as ParaView's vtkPVDataSetAttributesInformation)."""
        return self.GetArray(name)

    def __repr__(self) -> str:
        return f"ArraysInfo({self.keys()})"


class DataInformationView:
    """What ``proxy.GetDataInformation()`` returns: totals reduced over all ranks."""

    def __init__(self, info: DataInformation) -> None:
        self.info = info
        self.PointData = ArraysInfo(info.point_arrays)
        self.CellData = ArraysInfo(info.cell_arrays)
        self.FieldData = ArraysInfo(info.field_arrays)
        self.RowData = ArraysInfo(info.row_arrays)

    def GetPointDataInformation(self) -> ArraysInfo:
        """The point arrays (ParaView's vtkPVDataSetAttributesInformation): ``GetArrayInformation(name)``."""
        return self.PointData

    def GetCellDataInformation(self) -> ArraysInfo:
        """The cell arrays."""
        return self.CellData

    def GetFieldDataInformation(self) -> ArraysInfo:
        """The field arrays."""
        return self.FieldData

    def GetRowDataInformation(self) -> ArraysInfo:
        """The columns of a table."""
        return self.RowData

    def GetNumberOfRows(self) -> int:
        """The rows of a table (vtkTable), over all ranks; 0 for other data."""
        return self.info.number_of_rows

    def GetNumberOfPoints(self) -> int:
        return self.info.number_of_points

    def GetNumberOfCells(self) -> int:
        return self.info.number_of_cells

    def GetBounds(self) -> tuple[float, ...]:
        """xmin, xmax, ymin, ymax, zmin, zmax; VTK's empty bounds when there is no data."""
        return tuple(self.info.bounds) if self.info.bounds else (1.0, -1.0, 1.0, -1.0, 1.0, -1.0)

    def GetDataSetTypeAsString(self) -> str:
        return self.info.data_type

    def GetExtent(self) -> tuple[int, ...]:
        return tuple(self.info.extent)

    def GetMemorySize(self) -> int:
        """Memory of the data on all ranks, in KiB (as ParaView reports it)."""
        return self.info.memory_bytes // 1024

    def GetNumberOfPartitions(self) -> int:
        """Ranks that hold a non-empty piece."""
        return self.info.number_of_partitions

    def GetNumberOfDataSets(self) -> int:
        """Non-empty datasets over all ranks (a composite dataset's blocks, a dataset's pieces)."""
        return self.info.number_of_partitions

    # ----------------------------------------------------------------------------------- composite data

    def IsCompositeDataSet(self) -> bool:
        """True for a multiblock or partitioned dataset."""
        return bool(self.info.blocks)

    def GetCompositeDataClassName(self) -> str | None:
        """The composite class (``vtkMultiBlockDataSet``), or None for a dataset."""
        return self.info.data_type if self.info.blocks else None

    def GetDataClassName(self) -> str | None:
        """The dataset class; for composite data the nearest class all its datasets are (``vtkPolyData``,
        ``vtkDataSet``), None when it holds none."""
        return (self.info.leaf_type or None) if self.info.blocks else (self.info.data_type or None)

    def GetBlockName(self, composite_index: int) -> str:
        """The name of the block of that composite (flat) index: 0 is the root, 1 its first block, and so on
        depth first ('' when out of range or unnamed)."""
        blocks = self.info.blocks
        return blocks[composite_index].name if 0 <= composite_index < len(blocks) else ""

    def GetFirstLeafCompositeIndex(self) -> int:
        """The composite index of the first block that holds a dataset (0 when there is none)."""
        parents = {b.parent for b in self.info.blocks}
        return next((i for i, b in enumerate(self.info.blocks) if i and i not in parents and b.data_type), 0)

    def GetCompositeDataInformation(self) -> CompositeDataInformationView:
        """The blocks of composite data, one level at a time (ParaView's vtkPVCompositeDataInformation)."""
        return CompositeDataInformationView(self.info.blocks, 0)

    @property
    def DataInformation(self) -> DataInformationView:
        return self

    def __repr__(self) -> str:
        return (
            f"<{self.info.data_type}: {self.info.number_of_points} points, {self.info.number_of_cells} cells, "
            f"bounds {self.GetBounds()}>"
        )


class CompositeDataInformationView:
    """The children of one block of composite data: ``GetNumberOfChildren()``, ``GetName(i)``, and
    ``GetDataInformation(i)`` (the child's counts, bounds and type, and its own children)."""

    def __init__(self, blocks: list[BlockInformation], index: int) -> None:
        self._blocks = blocks
        self._children = [i for i, b in enumerate(blocks) if b.parent == index] if blocks else []

    def GetDataIsComposite(self) -> bool:
        return bool(self._blocks)

    def GetNumberOfChildren(self) -> int:
        return len(self._children)

    def GetName(self, child: int) -> str:
        return self._blocks[self._child(child)].name

    def GetDataInformation(self, child: int) -> DataInformationView | None:
        """The information of child ``child`` (None for an empty block, as ParaView)."""
        index = self._child(child)
        block = self._blocks[index]
        if not block.data_type:
            return None
        below = _subtree(self._blocks, index)
        return DataInformationView(
            DataInformation(
                data_type=block.data_type,
                number_of_points=block.number_of_points,
                number_of_cells=block.number_of_cells,
                bounds=list(block.bounds),
                number_of_partitions=1 if block.number_of_points or block.number_of_cells else 0,
                blocks=below if len(below) > 1 else [],
            )
        )

    def _child(self, child: int) -> int:
        if not 0 <= child < len(self._children):
            raise IndexError(f"There are {len(self._children)} children; ask for 0..{len(self._children) - 1}.")
        return self._children[child]


def _subtree(blocks: list[BlockInformation], root: int) -> list[BlockInformation]:
    """The blocks below ``root`` (itself first), their parents renumbered within it."""
    renumbered = {root: 0}
    out = [dataclasses.replace(blocks[root], parent=-1)]
    for i in range(root + 1, len(blocks)):
        parent = blocks[i].parent
        if parent not in renumbered:
            continue  # depth first: the subtree is contiguous, but a sibling's blocks are skipped all the same
        renumbered[i] = len(out)
        out.append(dataclasses.replace(blocks[i], parent=renumbered[parent]))
    return out
