"""Reading a file in parallel: each rank gets its part.

Partitioned files (``.pvtu`` ...) are read piece by piece on the ranks by VTK's parallel XML readers, and a single
structured XML file (``.vti .vts .vtr``) extent by extent: VTK reads the sub-extent a rank asks for. Any other
single file is read once, on rank 0, split into spatially coherent parts (recursive bisection of the cell centres)
and scattered, so that no rank holds more than its share. Ghost layers that filters downstream ask for come with
the parts: VTK reads them from the neighbours' extents of structured data; for unstructured grids they are made
by :mod:`pvserver.pipeline.ghosts`. A file series (``name_0.vtu, name_1.vtu``) is a list of files, one per time
step.

Every file, summary and piece is opened through :mod:`pvserver.pipeline.sandbox` on the rank that reads it, and VTK
reads what was opened (``/proc/self/fd/N``), never a name it resolves by itself.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonDataModel import vtkDataObject
from vtkmodules.vtkCommonExecutionModel import vtkAlgorithm, vtkStreamingDemandDrivenPipeline

from pvcore.errors import DataAccessError, PeerFailedError, PipelineError, PVError
from pvcore.vtkerrors import errors_reported_by
from pvserver.pipeline import sandbox
from pvserver.pipeline.fileio import (
    STRUCTURED_TYPES,
    extract_extent,
    read_whole,
    vtk_instance,
)
from pvserver.pipeline.files import PARTITIONED, READERS, STRUCTURED_XML, extension
from pvserver.pipeline.ghosts import exchange_ghost_cells, parts_with_ghosts
from pvserver.pipeline.transfer import dumps

# ----------------------------------------------------------------------------------------------- splitting


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


# ----------------------------------------------------------------------------------------------- reader


class DistributedReader(VTKPythonAlgorithmBase):
    """Reads a file (or one file of a series, by time) so that each rank gets its part."""

    def __init__(self, comm: Any) -> None:
        super().__init__(nInputPorts=0, nOutputPorts=1, outputType="vtkDataObject")
        self.comm = comm
        self.files: list[str] = []
        self.errors: list[str] = []
        self._cache: tuple[tuple, Any] | None = None

    def SetFileName(self, *names: str) -> None:  # noqa: N802 - called through the catalogue's setter
        self.files = list(names)
        self._cache = None
        self.Modified()

    def _output_type(self) -> str:
        return READERS[extension(self.files[0])][2] if self.files else "vtkPolyData"

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        from vtkmodules import vtkCommonDataModel

        info = out_info.GetInformationObject(0)
        wanted = self._output_type()
        current = info.Get(vtkDataObject.DATA_OBJECT())
        if current is None or current.GetClassName() != wanted:
            info.Set(vtkDataObject.DATA_OBJECT(), getattr(vtkCommonDataModel, wanted)())
        return 1

    def RequestInformation(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        info = out_info.GetInformationObject(0)
        sddp = vtkStreamingDemandDrivenPipeline
        info.Set(vtkAlgorithm.CAN_HANDLE_PIECE_REQUEST(), 1)
        if len(self.files) > 1:
            steps = [float(i) for i in range(len(self.files))]
            info.Set(sddp.TIME_STEPS(), steps, len(steps))
            info.Set(sddp.TIME_RANGE(), [steps[0], steps[-1]], 2)
        whole = self._whole_extent()
        if whole is not None:  # without it, the executive asks structured output for an empty extent
            info.Set(sddp.WHOLE_EXTENT(), whole, 6)
        return 1

    def _whole_extent(self) -> list[int] | None:
        """The extent of all the structured data of the first file, from its header (nothing else is read)."""
        if not self.files or self._output_type() not in STRUCTURED_TYPES:
            return None
        cls, module, _ = READERS[extension(self.files[0])]
        reader = vtk_instance(cls, module)
        errors_reported_by(reader)  # a broken header is reported when the data is read
        try:
            with _opened(reader, self.files[0]):
                reader.UpdateInformation()
        except DataAccessError:  # reported, with the file's name, when the data is read
            return None
        out = reader.GetOutputInformation(0)
        sddp = vtkStreamingDemandDrivenPipeline
        return list(out.Get(sddp.WHOLE_EXTENT())) if out.Has(sddp.WHOLE_EXTENT()) else None

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        try:
            output = vtkDataObject.GetData(out_info)
            info = out_info.GetInformationObject(0)
            output.ShallowCopy(self._piece(info))
            if len(self.files) > 1:  # which step this is, for the filters downstream and the views
                output.GetInformation().Set(vtkDataObject.DATA_TIME_STEP(), float(self._step(info)))
            return 1
        except Exception as exc:  # the executor reports it with this rank's number
            self.errors.append(exc)
            return 0

    def _step(self, info: Any) -> int:
        """The file of the time asked for: the last step at or before it (time steps are 0, 1, 2...)."""
        sddp = vtkStreamingDemandDrivenPipeline
        if len(self.files) < 2 or not info.Has(sddp.UPDATE_TIME_STEP()):
            return 0
        return min(max(int(np.floor(info.Get(sddp.UPDATE_TIME_STEP()) + 1e-9)), 0), len(self.files) - 1)

    def _piece(self, info: Any) -> Any:
        step = self._step(info)
        path = self.files[step]
        own_piece = extension(path) in PARTITIONED or extension(path) in STRUCTURED_XML
        # The ghost layers filters downstream ask for (marked in vtkGhostType): VTK reads them from the neighbours'
        # extents of structured data; the ranks make them for unstructured grids (ghosts.py). Polygonal pieces
        # get none.
        kind = self._output_type()
        with_ghosts = kind in STRUCTURED_TYPES or kind == "vtkUnstructuredGrid"
        ghosts = (info.Get(vtkStreamingDemandDrivenPipeline.UPDATE_NUMBER_OF_GHOST_LEVELS()) or 0) if with_ghosts else 0
        key = (path, step, ghosts)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]  # re-executions for another extent never repeat the collective read
        rank, size = self.comm.Get_rank(), self.comm.Get_size()
        if not own_piece:
            piece = self._read_and_scatter(path, rank, size, ghosts)
        elif ghosts and size > 1 and kind == "vtkUnstructuredGrid":
            piece = self._read_own_piece_and_exchange_ghosts(path, rank, size)
        else:
            piece = self._read_own_piece(path, rank, size, ghosts)
        self._cache = (key, piece)
        return piece

    def _read_own_piece_and_exchange_ghosts(self, path: str, rank: int, size: int) -> Any:
        """Read this rank's pieces, then trade the cells around them with the other ranks. Collective: a rank
        that cannot read its pieces still takes part, so that none waits, and then every rank fails."""
        from pvserver.parallel import raise_unless_all_succeeded

        try:
            piece, failure = self._read_own_piece(path, rank, size, 0), None
        except Exception as exc:  # the others must learn of it, or they would wait for this rank forever
            piece, failure = None, exc
        peer_message = f"Another rank could not read its pieces of {Path(path).name!r}."
        raise_unless_all_succeeded(self.comm, failure, peer_message)
        return exchange_ghost_cells(self.comm, piece)

    def _read_own_piece(self, path: str, rank: int, size: int, ghosts: int) -> Any:
        """This rank's piece of a partitioned file, or its extent of a structured one (nothing else is read)."""
        cls, module, _ = READERS[extension(path)]
        reader = vtk_instance(cls, module)
        complaints = errors_reported_by(reader)
        with _opened(reader, path, rank, size):
            reader.UpdatePiece(rank, size, ghosts)
        if reader.GetErrorCode() or complaints:
            why = f" ({complaints[0]})" if complaints else ""
            pieces = " (or one of its pieces)" if extension(path) in PARTITIONED else ""
            raise DataAccessError(f"Cannot read {Path(path).name!r}{pieces}: broken or missing{why}.")
        data = reader.GetOutputDataObject(0)
        if data.IsA("vtkUnstructuredGrid") and _pieces_of_rank(reader.GetNumberOfPieces(), rank, size) > 1:
            data = _merge_coincident_points(data)
        return data

    def _read_and_scatter(self, path: str, rank: int, size: int, ghosts: int) -> Any:
        """Rank 0 reads the whole file and sends each rank its part, one at a time, so that rank 0 holds the
        data, its parts and one serialised part at the most (not every part serialised at once)."""
        if size == 1:
            return read_whole(path)
        from mpi4py import MPI

        from pvserver.parallel import recv_lazily, sync_lazily

        sync_lazily(self.comm)  # rank 0 may read for a while: the others sleep meanwhile
        if rank != 0:
            message = recv_lazily(self.comm, 0, _SCATTER_TAG)[1]
            if message[:1] == b"E":
                raise PeerFailedError(f"rank 0 could not read {Path(path).name!r}: {message[1:].decode()}")
            return pickle.loads(memoryview(message)[1:])  # from rank 0 over MPI (see pvserver.parallel)
        try:
            parts = split(read_whole(path), size, ghosts)
        except Exception as exc:  # every rank must learn of it, or they would wait forever
            error = exc.message if isinstance(exc, PVError) else f"{type(exc).__name__}: {exc}"
            for other in range(1, size):
                self.comm.Send([b"E" + error.encode(), MPI.BYTE], dest=other, tag=_SCATTER_TAG)
            raise PipelineError(error) from None
        for other in range(1, size):
            payload, parts[other] = b"D" + dumps(parts[other]), None
            self.comm.Send([payload, MPI.BYTE], dest=other, tag=_SCATTER_TAG)
            del payload
        return parts[0]


@contextlib.contextmanager
def _opened(reader: Any, path: str, rank: int = 0, size: int = 1) -> Iterator[None]:
    """Give ``reader`` the file ``path``, opened safely, for as long as the block runs.

    The pieces of a partitioned file are opened too, each relative to the summary file's folder, and the reader
    gets the summary with their ``Source`` rewritten to the opened files (VTK takes an absolute Source as it is;
    given the summary's own /proc/self/fd name it would look for the pieces in /proc/self/fd). A rank opens the
    pieces VTK gives it of unstructured data, and every piece of structured data, of which VTK reads whichever
    its extent and ghost layers overlap.
    """
    with contextlib.ExitStack() as stack:
        name = stack.enter_context(sandbox.reading(path))
        reader.SetFileName(name)
        if extension(path) in PARTITIONED:
            try:
                tree = ElementTree.fromstring(sandbox.read_opened(name, path))
            except ElementTree.ParseError as exc:
                raise DataAccessError(f"Cannot read {Path(path).name!r}: not a summary file ({exc}).") from None
            pieces = list(tree.iter("Piece"))
            mine = range(len(pieces))
            if READERS[extension(path)][2] not in STRUCTURED_TYPES:
                mine = _share(len(pieces), rank, size)
            for index, piece in enumerate(pieces):
                source = piece.get("Source")
                if source and index in mine:
                    try:
                        piece.set("Source", stack.enter_context(sandbox.reading(sandbox.beside(path, source))))
                    except DataAccessError as exc:
                        raise DataAccessError(f"Cannot read a piece of {Path(path).name!r}: {exc.message}") from None
                elif source:
                    piece.set("Source", sandbox.fd_path(-1))  # not this rank's: VTK never opens it
            reader.ReadFromInputStringOn()
            reader.SetInputString(ElementTree.tostring(tree, encoding="unicode"))
        yield


def _share(pieces: int, rank: int, size: int) -> range:
    """The pieces of a partitioned file that VTK's XML readers give this rank: a contiguous share of them, and
    none to the ranks past the number of pieces."""
    used = min(size, pieces)
    return range(rank * pieces // used, (rank + 1) * pieces // used) if rank < used else range(0)


def _pieces_of_rank(pieces: int, rank: int, size: int) -> int:
    """How many of a partitioned file's pieces VTK's XML readers give this rank."""
    return len(_share(pieces, rank, size))


def _merge_coincident_points(grid: Any) -> Any:
    """One point where the pieces a rank read meet (each piece has its own copy), so that cells of different
    pieces are neighbours, as they are across ranks: no faces where they meet, no seams in point averages."""
    from vtkmodules.vtkFiltersCore import vtkStaticCleanUnstructuredGrid

    clean = vtkStaticCleanUnstructuredGrid()
    clean.SetInputData(grid)
    clean.SetTolerance(0.0)
    clean.RemoveUnusedPointsOff()
    clean.Update()
    return clean.GetOutput()


_SCATTER_TAG = 71  # point-to-point messages of the single-file scatter, on the executor's communicator
