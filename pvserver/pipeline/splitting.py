"""Splitting a dataset into spatially coherent parts, one per rank: slabs of structured data, recursive bisection
of the cell centres otherwise (what :mod:`pvserver.pipeline.reader` scatters of a file read on rank 0).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pvserver.pipeline.fileio import STRUCTURED_TYPES, extract_extent
from pvserver.pipeline.ghosts import parts_with_ghosts


def split(data: Any, parts: int, ghost_levels: int = 0) -> list[Any]:
    """Spatially coherent parts: slabs of structured data, recursive bisection of the cell centres otherwise.

    With ``ghost_levels``, an unstructured grid's parts get a layer of their neighbours' cells (see ghosts.py).
    """
    if parts == 1 or data.IsA("vtkTable"):
        return [data] + [data.NewInstance() for _ in range(parts - 1)]
    if data.GetClassName() in STRUCTURED_TYPES:
        return _split_structured(data, parts)
    from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
    from vtkmodules.vtkFiltersCore import vtkCellCenters, vtkThreshold

    centers = vtkCellCenters()
    centers.SetInputData(data)
    centers.VertexCellsOff()
    centers.Update()
    points = vtk_to_numpy(centers.GetOutput().GetPoints().GetData()) if data.GetNumberOfCells() else np.zeros((0, 3))
    label = np.zeros(len(points), dtype=np.int32)
    for part, ids in enumerate(_bisect(np.arange(len(points)), points, parts)):
        label[ids] = part
    if ghost_levels > 0 and data.IsA("vtkUnstructuredGrid"):
        return parts_with_ghosts(data, label, parts)
    labelled = data.NewInstance()
    labelled.ShallowCopy(data)
    array = numpy_to_vtk(label, deep=True)
    array.SetName("_part")
    labelled.GetCellData().AddArray(array)
    pieces = []
    for part in range(parts):  # one pass per part keeps every cell's points and arrays
        threshold = vtkThreshold()
        threshold.SetInputData(labelled)
        threshold.SetInputArrayToProcess(0, 0, 0, 1, "_part")
        threshold.SetLowerThreshold(part - 0.5)
        threshold.SetUpperThreshold(part + 0.5)
        threshold.Update()
        piece = threshold.GetOutput()
        if data.IsA("vtkPolyData"):
            from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter

            geometry = vtkGeometryFilter()
            geometry.SetInputData(piece)
            geometry.Update()
            piece = geometry.GetOutput()
        piece.GetCellData().RemoveArray("_part")
        pieces.append(piece)
    return pieces


def _bisect(ids: np.ndarray, points: np.ndarray, parts: int) -> list[np.ndarray]:
    if parts == 1 or len(ids) == 0:
        return [ids] + [ids[:0]] * (parts - 1)
    left_parts = parts // 2
    coords = points[ids]
    axis = int(np.argmax(coords.max(axis=0) - coords.min(axis=0)))
    order = ids[np.argsort(coords[:, axis], kind="stable")]
    cut = len(order) * left_parts // parts
    return _bisect(order[:cut], points, left_parts) + _bisect(order[cut:], points, parts - left_parts)


def _split_structured(data: Any, parts: int) -> list[Any]:
    ext = list(data.GetExtent())
    axis = int(np.argmax([ext[1] - ext[0], ext[3] - ext[2], ext[5] - ext[4]]))
    lo, hi = ext[2 * axis], ext[2 * axis + 1]
    bounds = [lo + (hi - lo) * i // parts for i in range(parts + 1)]
    pieces = []
    for i in range(parts):
        sub = list(ext)
        sub[2 * axis], sub[2 * axis + 1] = bounds[i], bounds[i + 1]  # neighbours share a plane of points
        pieces.append(extract_extent(data, sub))
    return pieces
