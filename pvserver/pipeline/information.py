"""Data information: what each rank holds, and its reduction over all ranks.

Counts are summed over ranks, leaving out ghost cells and points that a rank holds as copies of a
neighbour's (so points on partition boundaries count once per rank holding them, as in ParaView); bounds and
array ranges are merged over the ranks that hold data. An array is partial (ParaView's IsPartial) when a block or
rank piece that holds elements of its kind lacks it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pvcore.messages import ArrayInformation, BlockInformation, DataInformation
from pvserver.pipeline.composite import common_type, is_composite, leaves, nodes, partitions

# vtkDataSetAttributes::DUPLICATEPOINT and DUPLICATECELL share this bit.
DUPLICATE = 1
#: Blocks of a composite dataset listed one by one (its totals count them all): bounds a reply's size.
MAX_BLOCKS = 10_000
POINT_SETS = {"vtkPolyData", "vtkUnstructuredGrid", "vtkStructuredGrid", "vtkPointSet"}


def _arrays(attributes: Any) -> list[ArrayInformation]:
    found = []
    if attributes is None:
        return found
    for i in range(attributes.GetNumberOfArrays()):
        array = attributes.GetAbstractArray(i)
        if array is None or not array.GetName() or array.GetName() == "vtkGhostType":
            continue
        ncomp = array.GetNumberOfComponents()
        ranges: list[float] = []
        if array.IsNumeric() and array.GetNumberOfTuples() > 0:
            for c in range(ncomp):
                ranges.extend(array.GetRange(c))
            if ncomp > 1:
                ranges.extend(array.GetRange(-1))
        found.append(ArrayInformation(array.GetName(), ncomp, ranges, array.GetDataTypeAsString()))
    return found


def _owned(attributes: Any, count: int) -> int:
    """Elements not marked as duplicates of another rank's (ghosts), as ParaView counts them."""
    ghosts = attributes.GetArray("vtkGhostType") if attributes is not None else None
    if ghosts is None or count == 0:
        return count
    from vtkmodules.util.numpy_support import vtk_to_numpy

    return int(count - np.count_nonzero(vtk_to_numpy(ghosts) & DUPLICATE))


def local_information(data: Any, whole_extent: list[int] | None = None) -> DataInformation:
    """Information about the piece of data this rank holds (of every block, for composite data)."""
    if data is None:
        return DataInformation()
    if is_composite(data):
        return _composite_information(data)
    info = DataInformation(data_type=data.GetClassName(), extent=list(whole_extent or []))
    if hasattr(data, "GetNumberOfPoints"):
        info.number_of_points = _owned(data.GetPointData(), data.GetNumberOfPoints())
        info.number_of_cells = _owned(data.GetCellData(), data.GetNumberOfCells())
        if info.number_of_points:
            info.bounds = list(data.GetBounds())
        info.point_arrays = _arrays(data.GetPointData())
        info.cell_arrays = _arrays(data.GetCellData())
    elif data.IsA("vtkHyperTreeGrid"):  # cells (the trees' leaves and nodes) and cell data, no points
        info.number_of_cells = data.GetNumberOfCells()
        if info.number_of_cells:
            info.bounds = list(data.GetBounds())
        info.cell_arrays = _arrays(data.GetCellData())
    elif data.IsA("vtkTable"):  # rows and columns (ParaView's GetNumberOfRows and RowData)
        info.number_of_rows = data.GetNumberOfRows()
        info.row_arrays = _arrays(data.GetRowData())
    info.field_arrays = _arrays(data.GetFieldData())
    info.memory_bytes = data.GetActualMemorySize() * 1024
    info.number_of_partitions = 1 if info.number_of_points or info.number_of_cells or info.number_of_rows else 0
    return info


def _composite_information(data: Any) -> DataInformation:
    """The totals of every dataset of a composite dataset (arrays: those of any block), and each block's own
    counts and bounds by flat index (the first :data:`MAX_BLOCKS`)."""
    datasets = [local_information(leaf) for leaf in leaves(data)]
    total = merge_information(datasets)
    total.data_type, total.leaf_type, total.extent = data.GetClassName(), common_type(data), []
    total.field_arrays = _arrays(data.GetFieldData()) or total.field_arrays
    total.memory_bytes = data.GetActualMemorySize() * 1024
    for node in nodes(data)[:MAX_BLOCKS]:
        block = merge_information([local_information(d) for d in partitions(node.data)])
        kind = node.data.GetClassName() if node.data is not None else ""
        total.blocks.append(
            BlockInformation(
                node.name, kind, node.parent, block.number_of_points, block.number_of_cells, list(block.bounds)
            )
        )
    return total


def _merge_arrays(into: dict[str, ArrayInformation], arrays: list[ArrayInformation]) -> None:
    for a in arrays:
        known = into.get(a.name)
        if known is None:
            into[a.name] = ArrayInformation(a.name, a.number_of_components, list(a.ranges), a.data_type, a.partial)
        elif a.ranges:
            if not known.ranges:
                known.ranges = list(a.ranges)
            else:
                known.ranges = [
                    min(x, y) if i % 2 == 0 else max(x, y)
                    for i, (x, y) in enumerate(zip(known.ranges, a.ranges, strict=False))
                ]


def merge_information(pieces: list[DataInformation]) -> DataInformation:
    """Reduce the per-rank information into totals over the whole dataset."""
    total = DataInformation()
    point_arrays: dict[str, ArrayInformation] = {}
    cell_arrays: dict[str, ArrayInformation] = {}
    field_arrays: dict[str, ArrayInformation] = {}
    row_arrays: dict[str, ArrayInformation] = {}
    for piece in pieces:
        if not total.data_type or (piece.number_of_partitions and total.number_of_partitions == 0):
            total.data_type = piece.data_type or total.data_type
        total.extent = total.extent or piece.extent
        total.number_of_points += piece.number_of_points
        total.number_of_cells += piece.number_of_cells
        total.memory_bytes += piece.memory_bytes
        total.number_of_partitions += piece.number_of_partitions
        total.bounds = _union(total.bounds, piece.bounds)
        _merge_arrays(point_arrays, piece.point_arrays)
        _merge_arrays(cell_arrays, piece.cell_arrays)
        _merge_arrays(field_arrays, piece.field_arrays)
        total.number_of_rows += piece.number_of_rows
        _merge_arrays(row_arrays, piece.row_arrays)
    _mark_partial(point_arrays, [p.point_arrays for p in pieces if p.number_of_points])
    _mark_partial(cell_arrays, [p.cell_arrays for p in pieces if p.number_of_cells])
    _mark_partial(row_arrays, [p.row_arrays for p in pieces if p.number_of_rows])
    _mark_partial(field_arrays, [p.field_arrays for p in pieces if p.field_arrays])
    total.row_arrays = list(row_arrays.values())
    total.point_arrays = list(point_arrays.values())
    total.cell_arrays = list(cell_arrays.values())
    total.field_arrays = list(field_arrays.values())
    total.leaf_type = _common_leaf_type([p.leaf_type for p in pieces if p.number_of_partitions])
    total.blocks = _merge_blocks([p.blocks for p in pieces])
    total.time_steps = next((list(p.time_steps) for p in pieces if p.time_steps), [])  # alike on every rank
    return total


def _mark_partial(merged: dict[str, ArrayInformation], populated: list[list[ArrayInformation]]) -> None:
    """ParaView's IsPartial: an array is partial when some piece that has elements of its kind (points for point
    arrays...) lacks it, or it is partial within a piece already. Pieces without such elements (an empty block, a
    rank's empty piece) say nothing about it."""
    for arrays in populated:
        names = {a.name for a in arrays}
        for name, info in merged.items():
            if name not in names:
                info.partial = True
        for a in arrays:
            if a.partial:
                merged[a.name].partial = True


def _common_leaf_type(types: list[str]) -> str:
    """The ranks' data set types of one composite dataset as one: equal, or the nearest common class."""
    known = {t for t in types if t}
    if len(known) <= 1:
        return known.pop() if known else ""
    return "vtkPointSet" if known <= POINT_SETS else "vtkDataSet" if "vtkDataObject" not in known else "vtkDataObject"


def _merge_blocks(trees: list[list[BlockInformation]]) -> list[BlockInformation]:
    """The ranks' blocks summed block by block; a block that only some ranks hold (another rank's piece of it
    empty) counts where it is held. Blocks are matched by their place in the tree, so ranks may differ."""
    merged: dict[tuple[int, ...], BlockInformation] = {}
    index_of: dict[tuple[int, ...], int] = {}
    for tree in trees:
        paths: list[tuple[int, ...]] = []
        seen_children: dict[int, int] = {}
        for block in tree:
            if block.parent < 0:
                path: tuple[int, ...] = ()
            else:
                position = seen_children.get(block.parent, 0)
                seen_children[block.parent] = position + 1
                path = (*paths[block.parent], position)
            paths.append(path)
            known = merged.get(path)
            if known is None:
                parent = index_of[paths[block.parent]] if block.parent >= 0 else -1
                index_of[path] = len(merged)
                merged[path] = BlockInformation(
                    block.name, block.data_type, parent, block.number_of_points, block.number_of_cells,
                    list(block.bounds),
                )  # fmt: skip
                continue
            known.name = known.name or block.name
            known.data_type = known.data_type or block.data_type
            known.number_of_points += block.number_of_points
            known.number_of_cells += block.number_of_cells
            known.bounds = _union(known.bounds, block.bounds)
    return list(merged.values())


def _union(a: list[float], b: list[float]) -> list[float]:
    if not a or not b:
        return list(a or b)
    return [min(x, y) if i % 2 == 0 else max(x, y) for i, (x, y) in enumerate(zip(a, b, strict=True))]
