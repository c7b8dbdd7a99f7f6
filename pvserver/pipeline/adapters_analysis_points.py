"""Which points of a rank's piece count once over all ranks, for sums over point data (histograms, MinMax SUM).

Neighbouring pieces share the points on their common boundary: an image's pieces share a plane of points, a
sphere's pieces a meridian. A point counts on the lowest rank that holds it: structured pieces compare extents,
others the exact coordinates; points VTK marks as duplicates (``vtkGhostType``) never count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy

from pvserver.pipeline.adapters_analysis_reduce import allgather, rank_and_size
from pvserver.pipeline.information import DUPLICATE

HIDDEN_POINT, HIDDEN_CELL = 2, 32  # vtkDataSetAttributes::HIDDENPOINT, HIDDENCELL
_STRUCTURED = ("vtkImageData", "vtkRectilinearGrid", "vtkStructuredGrid")
#: Points closer than this fraction of the data's largest coordinate are the same point.
_RELATIVE_TOLERANCE = 1e-9


def not_duplicated(attributes: Any, count: int) -> np.ndarray:
    """True for the elements (points or cells) that ``vtkGhostType`` does not mark as another rank's copies."""
    ghosts = attributes.GetArray("vtkGhostType") if attributes is not None else None
    if ghosts is None or count == 0:
        return np.ones(count, dtype=bool)
    return (vtk_to_numpy(ghosts) & DUPLICATE) == 0


def not_hidden(attributes: Any, count: int) -> np.ndarray:
    """True for the elements that ``vtkGhostType`` does not mark hidden (blanked: outside a resampled input)."""
    ghosts = attributes.GetArray("vtkGhostType") if attributes is not None else None
    if ghosts is None or count == 0:
        return np.ones(count, dtype=bool)
    return (vtk_to_numpy(ghosts) & (HIDDEN_POINT | HIDDEN_CELL)) == 0


def owned_points(comm: Any, data: Any, what: str) -> np.ndarray:
    """Collective: the mask of ``data``'s points that this rank counts (see the module's docstring)."""
    count = data.GetNumberOfPoints() if data is not None and hasattr(data, "GetNumberOfPoints") else 0
    mask = not_duplicated(data.GetPointData(), count) if count else np.ones(0, dtype=bool)
    rank, size = rank_and_size(comm)
    if size == 1:
        return mask
    structured = data is not None and any(data.IsA(t) for t in _STRUCTURED)
    kinds = allgather(comm, lambda: structured or count == 0, what)
    if all(kinds):  # every piece structured (or empty): by extent
        extents = allgather(comm, lambda: list(data.GetExtent()) if count else None, what)
        if count:
            mask &= ~_inside_lower_extents(data.GetExtent(), extents[:rank])
        return mask
    coords = _coordinates(data) if count else np.zeros((0, 3))
    scale = max(allgather(comm, lambda: float(np.abs(coords).max()) if count else 0.0, what)) or 1.0
    keys = _coordinate_keys(coords, scale * _RELATIVE_TOLERANCE)
    lower = allgather(comm, lambda: keys, what)[:rank]
    if count and lower:
        mask &= ~np.isin(keys, np.concatenate(lower))
    return mask


def _inside_lower_extents(extent: tuple, lower: list[list[int] | None]) -> np.ndarray:
    """For each point of ``extent`` (x fastest), whether one of the ``lower`` extents holds it too."""
    axes = [np.arange(extent[2 * a], extent[2 * a + 1] + 1) for a in range(3)]
    k, j, i = np.meshgrid(axes[2], axes[1], axes[0], indexing="ij")
    inside = np.zeros(k.shape, dtype=bool)
    for other in (e for e in lower if e):
        inside |= (
            (i >= other[0]) & (i <= other[1]) & (j >= other[2]) & (j <= other[3]) & (k >= other[4]) & (k <= other[5])
        )
    return inside.ravel()


def _coordinates(data: Any) -> np.ndarray:
    return np.asarray(vtk_to_numpy(data.GetPoints().GetData()), dtype=np.float64)


def _coordinate_keys(coords: np.ndarray, tolerance: float) -> np.ndarray:
    """Each point's coordinates, rounded to ``tolerance``, as one comparable value (a sphere's seam at 0 and 2 pi
    differs in the last bits)."""
    return np.ascontiguousarray(np.round(coords / tolerance).astype(np.int64)).view("V24").ravel()
