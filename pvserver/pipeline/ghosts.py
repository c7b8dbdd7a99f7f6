"""Ghost cells for unstructured grids: copies of the neighbouring ranks' cells, marked in ``vtkGhostType``.

Filters that need their neighbours (``CellDatatoPointData``, a geometry filter telling inner faces from outer ones)
ask for ghost levels; VTK makes them itself for structured data and its own sources, but an unstructured grid
read from files needs them made here:

- a single file read on rank 0 is split there, and each part gets the cells around it from the whole grid
  (:func:`parts_with_ghosts`);
- the pieces of a partitioned file are read on their ranks, which send each other the cells that touch a point
  of the other's piece (:func:`exchange_ghost_cells`), found by exact coordinates on the pieces' surfaces.

One level is made (the cells sharing a point with the piece); that is what VTK's filters ask for.
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np

from pvserver.pipeline.information import DUPLICATE
from pvserver.pipeline.transfer import cell_arrays, dumps


def parts_with_ghosts(grid: Any, label: np.ndarray, parts: int) -> list[Any]:
    """The cells of each part (``label`` gives each cell's part), and around them a layer of the cells that share
    a point with them, marked as ghosts."""
    if grid.GetNumberOfCells() == 0:
        return [grid] + [grid.NewInstance() for _ in range(parts - 1)]
    return [_with_neighbours(grid, label == part) for part in range(parts)]


def _with_neighbours(grid: Any, owned: np.ndarray) -> Any:
    offsets, connectivity = cell_arrays(grid.GetCells())
    kept = owned | _touching(grid, offsets, connectivity, _points_of(grid, offsets, connectivity, owned))
    ids = np.flatnonzero(kept)
    return _marked(_extract(grid, ids), owned[ids])


def exchange_ghost_cells(comm: Any, piece: Any) -> Any:
    """This rank's unstructured ``piece`` and a layer of the other ranks' cells that share a point with it.

    Collective: every rank of ``comm`` calls it with its piece. A rank that fails takes part in every step all
    the same (so that no rank waits for it) and raises at the end; the others then raise PeerFailedError.
    """
    from pvserver.parallel import raise_unless_all_succeeded, sync_lazily

    rank, size = comm.Get_rank(), comm.Get_size()
    failure: Exception | None = None
    try:
        surface_ids, surface_points = _surface_points(piece)
    except Exception as exc:  # a bug; the other ranks must not wait for this one
        failure, surface_ids, surface_points = exc, np.zeros(0, dtype=np.int64), np.zeros((0, 3))
    sync_lazily(comm)
    everyone = comm.allgather(surface_points)
    outgoing: list[bytes] = [b""] * size
    if failure is None:
        try:
            outgoing = _cells_they_touch(piece, surface_ids, surface_points, everyone, rank)
        except Exception as exc:
            failure = exc
    sync_lazily(comm)
    incoming = comm.alltoall(outgoing)
    with_ghosts = piece
    if failure is None:
        try:
            # The neighbours' cells, from ranks of this job over MPI (see pvserver.parallel).
            with_ghosts = _appended(piece, [pickle.loads(blob) for blob in incoming if blob])
        except Exception as exc:
            failure = exc
    raise_unless_all_succeeded(comm, failure, "Another rank failed to trade ghost cells.")
    return with_ghosts


def _cells_they_touch(
    piece: Any, surface_ids: np.ndarray, surface_points: np.ndarray, everyone: list[np.ndarray], rank: int
) -> list[bytes]:
    """For each rank, this piece's cells that use a point of that rank's surface (serialised; empty if none)."""
    outgoing = []
    mine = _keys(surface_points)
    offsets, connectivity = cell_arrays(piece.GetCells())
    for other, theirs in enumerate(everyone):
        shared = surface_ids[np.isin(mine, _keys(theirs))] if other != rank else surface_ids[:0]
        if not shared.size:
            outgoing.append(b"")
            continue
        mask = np.zeros(piece.GetNumberOfPoints(), dtype=bool)
        mask[shared] = True
        outgoing.append(dumps(_extract(piece, np.flatnonzero(_touching(piece, offsets, connectivity, mask)))))
    return outgoing


def _appended(piece: Any, ghost_pieces: list[Any]) -> Any:
    """``piece`` and the ghost cells, their coincident points merged, and marked."""
    ghost_pieces = [g for g in ghost_pieces if g.GetNumberOfCells()]
    if not ghost_pieces:
        return piece
    from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
    from vtkmodules.vtkFiltersCore import vtkAppendFilter

    append = vtkAppendFilter()
    append.MergePointsOn()  # a ghost cell shares the points it touches with this piece's own cells
    owned = []
    for grid, own in [(piece, True)] + [(g, False) for g in ghost_pieces]:
        unmarked = grid.NewInstance()
        unmarked.ShallowCopy(grid)
        for attributes in (unmarked.GetCellData(), unmarked.GetPointData()):
            attributes.RemoveArray("vtkGhostType")  # VTK does not merge points that carry ghost flags
        append.AddInputData(unmarked)
        owned.append(np.full(grid.GetNumberOfCells(), own))
    append.Update()
    out = append.GetOutput()
    cell_flags = numpy_to_vtk(np.where(np.concatenate(owned), 0, DUPLICATE).astype(np.uint8), deep=True)
    cell_flags.SetName("vtkGhostType")
    out.GetCellData().AddArray(cell_flags)  # the output's cells come in the inputs' order
    return _marked(out, vtk_to_numpy(cell_flags) == 0)


# ----------------------------------------------------------------------------------------------- helpers


def _points_of(grid: Any, offsets: np.ndarray, connectivity: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Mask of the points used by the cells in the mask ``cells``."""
    mask = np.zeros(grid.GetNumberOfPoints(), dtype=bool)
    mask[connectivity[np.repeat(cells, np.diff(offsets))]] = True
    return mask


def _touching(grid: Any, offsets: np.ndarray, connectivity: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Mask of the cells that use a point in the mask ``points``."""
    if grid.GetNumberOfCells() == 0:
        return np.zeros(0, dtype=bool)
    return np.add.reduceat(points[connectivity].astype(np.int32), offsets[:-1]) > 0


def _extract(grid: Any, ids: np.ndarray) -> Any:
    """The cells ``ids`` (sorted) of an unstructured grid, in that order, with the points they use."""
    from vtkmodules.vtkFiltersCore import vtkExtractCells

    ids = np.ascontiguousarray(ids, dtype=np.int64)
    extract = vtkExtractCells()
    extract.SetInputData(grid)
    extract.SetCellIds(ids, len(ids))
    extract.Update()
    return extract.GetOutput()


def _marked(grid: Any, owned: np.ndarray) -> Any:
    """``grid`` with vtkGhostType: cells not ``owned`` are copies, and so are the points only they use."""
    from vtkmodules.util.numpy_support import numpy_to_vtk

    out = grid.NewInstance()
    out.ShallowCopy(grid)
    offsets, connectivity = cell_arrays(out.GetCells())
    own_points = _points_of(out, offsets, connectivity, owned) if len(owned) else np.zeros(0, dtype=bool)
    for attributes, flags in (
        (out.GetCellData(), np.where(owned, 0, DUPLICATE)),
        (out.GetPointData(), np.where(own_points, 0, DUPLICATE)),
    ):
        array = numpy_to_vtk(flags.astype(np.uint8), deep=True)
        array.SetName("vtkGhostType")
        attributes.RemoveArray("vtkGhostType")
        attributes.AddArray(array)
    return out


def _surface_points(piece: Any) -> tuple[np.ndarray, np.ndarray]:
    """Ids and coordinates (float64) of the points on the piece's surface: the only ones it can share."""
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkFiltersGeometry import vtkDataSetSurfaceFilter

    if piece.GetNumberOfCells() == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 3))
    surface = vtkDataSetSurfaceFilter()
    surface.SetInputData(piece)
    surface.PassThroughPointIdsOn()
    surface.Update()
    ids = vtk_to_numpy(surface.GetOutput().GetPointData().GetArray(surface.GetOriginalPointIdsName()))
    ids = np.unique(ids.astype(np.int64))
    return ids, vtk_to_numpy(piece.GetPoints().GetData())[ids].astype(np.float64)


def _keys(points: np.ndarray) -> np.ndarray:
    """One comparable value per point: its three coordinates' bytes."""
    return np.ascontiguousarray(points, dtype=np.float64).view(np.dtype((np.void, 24))).ravel()
