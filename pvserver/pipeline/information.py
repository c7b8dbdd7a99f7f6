"""Data information: what each rank holds, and its reduction over all ranks.

Counts are summed over ranks, leaving out ghost cells and points that a rank holds as copies of a
neighbour's (so points on partition boundaries count once per rank holding them, as in ParaView); bounds and
array ranges are merged over the ranks that hold data.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pvcore.messages import ArrayInformation, DataInformation

# vtkDataSetAttributes::DUPLICATEPOINT and DUPLICATECELL share this bit.
DUPLICATE = 1


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
    """Information about the piece of data this rank holds."""
    if data is None:
        return DataInformation()
    info = DataInformation(data_type=data.GetClassName(), extent=list(whole_extent or []))
    if hasattr(data, "GetNumberOfPoints"):
        info.number_of_points = _owned(data.GetPointData(), data.GetNumberOfPoints())
        info.number_of_cells = _owned(data.GetCellData(), data.GetNumberOfCells())
        if info.number_of_points:
            info.bounds = list(data.GetBounds())
        info.point_arrays = _arrays(data.GetPointData())
        info.cell_arrays = _arrays(data.GetCellData())
    info.field_arrays = _arrays(data.GetFieldData())
    info.memory_bytes = data.GetActualMemorySize() * 1024
    info.number_of_partitions = 1 if info.number_of_points or info.number_of_cells else 0
    return info


def _merge_arrays(into: dict[str, ArrayInformation], arrays: list[ArrayInformation]) -> None:
    for a in arrays:
        known = into.get(a.name)
        if known is None:
            into[a.name] = ArrayInformation(a.name, a.number_of_components, list(a.ranges), a.data_type)
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
    for piece in pieces:
        if not total.data_type or (piece.number_of_partitions and total.number_of_partitions == 0):
            total.data_type = piece.data_type or total.data_type
        total.extent = total.extent or piece.extent
        total.number_of_points += piece.number_of_points
        total.number_of_cells += piece.number_of_cells
        total.memory_bytes += piece.memory_bytes
        total.number_of_partitions += piece.number_of_partitions
        if piece.bounds:
            if not total.bounds:
                total.bounds = list(piece.bounds)
            else:
                total.bounds = [
                    min(a, b) if i % 2 == 0 else max(a, b)
                    for i, (a, b) in enumerate(zip(total.bounds, piece.bounds, strict=True))
                ]
        _merge_arrays(point_arrays, piece.point_arrays)
        _merge_arrays(cell_arrays, piece.cell_arrays)
        _merge_arrays(field_arrays, piece.field_arrays)
    total.point_arrays = list(point_arrays.values())
    total.cell_arrays = list(cell_arrays.values())
    total.field_arrays = list(field_arrays.values())
    return total
