"""Reading and writing data files in parallel, and gathering data to one rank.

Partitioned files (``.pvtu`` ...) are read piece by piece on the ranks by VTK's parallel XML readers, and a single
structured XML file (``.vti .vts .vtr``) extent by extent: VTK reads the sub-extent a rank asks for. Any other
single file is read once, on rank 0, split into spatially coherent parts (recursive bisection of the cell centres)
and scattered, so that no rank holds more than its share. Ghost layers that filters downstream ask for come with
the parts: VTK reads them from the neighbours' extents of structured data, and the scatter adds the neighbouring
cells to an unstructured grid's parts. A file series
(``name_0.vtu, name_1.vtu``) is a list of files, one per time step. Every path lives under the server's data
directory; anything outside it is refused.
"""

from __future__ import annotations

import copyreg
import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np
from vtkmodules.util import pickle_support  # makes VTK data objects picklable
from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonDataModel import vtkDataObject
from vtkmodules.vtkCommonExecutionModel import vtkAlgorithm, vtkStreamingDemandDrivenPipeline

from pvserver.errors import DataAccessError, PeerFailedError, PipelineError, PVError
from pvserver.pipeline.files import PARTITIONED, READERS, STRUCTURED_WRITERS, STRUCTURED_XML, WRITERS, extension
from pvserver.pipeline.ghosts import exchange_ghost_cells, parts_with_ghosts
from pvserver.pipeline.information import DUPLICATE


def dumps(data: Any) -> bytes:
    """A VTK data object as bytes (``pickle.loads`` gives it back).

    VTK's pickle support registers the ``vtk*`` classes only; VTK >= 9.4 hands out Python subclasses of them
    (``vtkmodules.util.data_model.UnstructuredGrid`` ...), which pickle would refuse: register those as well.
    """
    cls = type(data)
    if cls not in copyreg.dispatch_table and data is not None and data.IsA("vtkDataObject"):
        copyreg.pickle(cls, pickle_support.serialize_VTK_data_object)
    return pickle.dumps(data, pickle.HIGHEST_PROTOCOL)


def _vtk(name: str, module: str) -> Any:
    import importlib

    return getattr(importlib.import_module(f"vtkmodules.{module}"), name)()


def read_whole(path: str) -> Any:
    """Read one file completely (on one rank); multiblock data is merged into one unstructured grid."""
    ext = extension(path)
    cls, module, _ = READERS[ext]
    if not os.path.exists(path):
        raise DataAccessError(f"File {path!r} does not exist on this rank's file system.")
    reader = _vtk(cls, module)
    complaints = _complaints_of(reader)
    if ext == ".csv":
        reader.SetHaveHeaders(True)
        reader.SetDetectNumericColumns(True)
        reader.SetFieldDelimiterCharacters(",")
    if ext in (".exo", ".e"):
        reader.SetFileName(path)
        reader.UpdateInformation()
        reader.SetAllArrayStatus(reader.NODAL, 1)
        reader.SetAllArrayStatus(reader.ELEM_BLOCK, 1)
    else:
        reader.SetFileName(path)
    reader.Update()
    data = reader.GetOutputDataObject(0)
    if data is None or complaints or (hasattr(reader, "GetErrorCode") and reader.GetErrorCode()):
        why = f" ({complaints[0]})" if complaints else ""
        raise DataAccessError(f"Cannot read {Path(path).name!r}: the file is broken or not a {ext} file{why}.")
    if data.IsA("vtkMultiBlockDataSet"):
        merge = _merge_blocks()
        merge.SetInputData(data)
        merge.Update()
        data = merge.GetOutput()
    elif ext == ".vtk" and not data.IsA("vtkUnstructuredGrid"):  # legacy files may hold any type
        data = _to_unstructured(data)
    return data


def _complaints_of(reader: Any) -> list[str]:
    """The errors ``reader`` reports from now on (a list that fills up), instead of VTK printing them."""
    import re

    complaints: list[str] = []

    def on_error(_obj: Any, _event: str, text: str) -> None:
        lines = [line for line in text.strip().splitlines() if line and not line.startswith("ERROR: In")]
        complaints.append(re.sub(r"^vtk\w+ \(0x[0-9a-f]+\): ", "", " ".join(lines)).strip())

    on_error.CallDataType = "string0"  # VTK passes the message text
    reader.AddObserver("ErrorEvent", on_error)
    return complaints


def _merge_blocks() -> Any:
    """vtkMergeBlocks, which VTK releases keep in different modules."""
    import importlib

    for module in ("vtkFiltersCore", "vtkFiltersParallel", "vtkFiltersGeneral"):
        cls = getattr(importlib.import_module(f"vtkmodules.{module}"), "vtkMergeBlocks", None)
        if cls is not None:
            return cls()
    raise PipelineError("This VTK build has no vtkMergeBlocks: cannot read multiblock files.")


def _to_unstructured(data: Any) -> Any:
    from vtkmodules.vtkFiltersCore import vtkAppendFilter

    append = vtkAppendFilter()
    append.AddInputData(data)
    append.Update()
    return append.GetOutput()


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


def extract_extent(data: Any, extent: list[int]) -> Any:
    """The part of an image, structured or rectilinear grid within ``extent`` (point indices), of the same type."""
    if data.IsA("vtkImageData"):
        from vtkmodules.vtkImagingCore import vtkExtractVOI as Extract
    elif data.IsA("vtkStructuredGrid"):
        from vtkmodules.vtkFiltersExtraction import vtkExtractGrid as Extract
    else:
        from vtkmodules.vtkFiltersExtraction import vtkExtractRectilinearGrid as Extract
    extract = Extract()
    extract.SetInputData(data)
    extract.SetVOI(*extent)
    extract.Update()
    return extract.GetOutput()


# ----------------------------------------------------------------------------------------------- reader


STRUCTURED_TYPES = ("vtkImageData", "vtkStructuredGrid", "vtkRectilinearGrid")


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
        if not self.files or self._output_type() not in STRUCTURED_TYPES or not os.path.exists(self.files[0]):
            return None
        cls, module, _ = READERS[extension(self.files[0])]
        reader = _vtk(cls, module)
        _complaints_of(reader)  # a broken header is reported when the data is read
        reader.SetFileName(self.files[0])
        reader.UpdateInformation()
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
        from pvserver.parallel import sync_lazily

        try:
            piece, failure = self._read_own_piece(path, rank, size, 0), None
        except Exception as exc:  # the others must learn of it, or they would wait for this rank forever
            piece, failure = None, exc
        sync_lazily(self.comm)
        if failure is not None:
            self.comm.allgather(False)
            raise failure
        if not all(self.comm.allgather(True)):
            raise PeerFailedError(f"Another rank could not read its pieces of {Path(path).name!r}.")
        piece, complete = exchange_ghost_cells(self.comm, piece)
        if not complete:
            raise PeerFailedError(f"Another rank failed to trade ghost cells of {Path(path).name!r}.")
        return piece

    def _read_own_piece(self, path: str, rank: int, size: int, ghosts: int) -> Any:
        """This rank's piece of a partitioned file, or its extent of a structured one (nothing else is read)."""
        cls, module, _ = READERS[extension(path)]
        if not os.path.exists(path):
            raise DataAccessError(f"File {path!r} does not exist on this rank's file system.")
        reader = _vtk(cls, module)
        complaints = _complaints_of(reader)
        reader.SetFileName(path)
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
            return pickle.loads(memoryview(message)[1:])
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


def _pieces_of_rank(pieces: int, rank: int, size: int) -> int:
    """How many of a partitioned file's pieces VTK's XML readers give this rank: a contiguous share of them, and
    none to the ranks past the number of pieces."""
    used = min(size, pieces)
    return (rank + 1) * pieces // used - rank * pieces // used if rank < used else 0


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


# ----------------------------------------------------------------------------------------------- gather / write


def without_ghosts(data: Any) -> Any:
    """The cells a rank owns, without those it holds as copies of a neighbour's (written files have none)."""
    if data is None or data.IsA("vtkTable"):
        return data
    if data.GetCellData().GetArray("vtkGhostType") is None and data.GetPointData().GetArray("vtkGhostType") is None:
        return data
    if data.GetClassName() in STRUCTURED_TYPES:
        return _structured_without_ghosts(data)
    from vtkmodules.vtkFiltersParallel import vtkRemoveGhosts

    remove = vtkRemoveGhosts()
    remove.SetInputData(data)
    remove.Update()
    out = remove.GetOutputDataObject(0)
    for attributes in (out.GetCellData(), out.GetPointData()):
        attributes.RemoveArray("vtkGhostType")
    return out


def _structured_without_ghosts(data: Any) -> Any:
    """The extent of the cells a rank owns (ghost layers lie at the sides of a structured piece)."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    extent = list(data.GetExtent())
    ghosts = data.GetCellData().GetArray("vtkGhostType")
    if ghosts is not None and data.GetNumberOfCells():
        shape = [max(extent[2 * a + 1] - extent[2 * a], 1) for a in (2, 1, 0)]  # cells, z slowest
        owned = (vtk_to_numpy(ghosts).reshape(shape) & DUPLICATE) == 0
        if not owned.any():
            return data.NewInstance()
        for axis in range(3):  # x, y, z: the index box of the owned cells, as point indices
            along = np.nonzero(owned.any(axis=tuple(a for a in range(3) if a != 2 - axis)))[0]
            flat = extent[2 * axis + 1] == extent[2 * axis]  # a 2D grid has no cells across this axis
            extent[2 * axis + 1] = extent[2 * axis] + int(along[-1]) + (0 if flat else 1)
            extent[2 * axis] += int(along[0])
        out = extract_extent(data, extent)
    else:
        out = data.NewInstance()
        out.ShallowCopy(data)
    for attributes in (out.GetCellData(), out.GetPointData()):
        attributes.RemoveArray("vtkGhostType")
    return out


def gather_merged(comm: Any, data: Any) -> Any | None:
    """Every rank's piece (ghost cells left out) merged into one dataset on rank 0 (None elsewhere)."""
    from pvserver.parallel import sync_lazily

    data = without_ghosts(data)
    if comm.Get_size() > 1:
        sync_lazily(comm)
        pieces = comm.gather(dumps(data), root=0)
        if comm.Get_rank() != 0:
            return None
        pieces = [pickle.loads(p) for p in pieces]
    else:
        pieces = [data]
    return merge(pieces)


def merge(pieces: list[Any]) -> Any:
    """Append pieces of one dataset (images by extent, polygonal data as polygonal data)."""
    non_empty = [p for p in pieces if p is not None and _size(p) > 0] or pieces[:1]
    if len(non_empty) == 1:
        return non_empty[0]
    first = non_empty[0]
    if first.GetClassName() in STRUCTURED_TYPES:
        return _merge_structured(non_empty)
    if first.IsA("vtkPolyData"):
        from vtkmodules.vtkFiltersCore import vtkAppendPolyData

        append = vtkAppendPolyData()
    elif first.IsA("vtkTable"):
        return first
    else:
        from vtkmodules.vtkFiltersCore import vtkAppendFilter

        append = vtkAppendFilter()
        append.MergePointsOn()
    for p in non_empty:
        append.AddInputData(p)
    append.Update()
    return append.GetOutputDataObject(0)


def _merge_structured(pieces: list[Any]) -> Any:
    """One image, structured or rectilinear grid covering every piece's extent; where pieces overlap (the plane of
    points neighbours share, ghost layers) they hold the same values."""
    from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
    from vtkmodules.vtkCommonCore import vtkPoints

    extents = np.array([p.GetExtent() for p in pieces])
    whole = [int(extents[:, i].min()) if i % 2 == 0 else int(extents[:, i].max()) for i in range(6)]
    first = pieces[0]
    merged = first.NewInstance()
    merged.SetExtent(*whole)

    def paste(arrays: list[Any], cells: bool) -> np.ndarray:
        """The pieces' arrays of points (or cells) laid into one array of the whole extent, x fastest."""
        offset = 0 if cells else 1  # cells span one index less than points
        shape = [whole[2 * a + 1] - whole[2 * a] + offset for a in (2, 1, 0)]
        sample = next(a for a in arrays if a is not None)
        values = np.zeros((*shape, sample.GetNumberOfComponents()), dtype=vtk_to_numpy(sample).dtype)
        for piece, array in zip(pieces, arrays, strict=True):
            e = piece.GetExtent()
            dims = [e[2 * a + 1] - e[2 * a] + offset for a in (2, 1, 0)]
            if array is None or min(dims) <= 0:
                continue
            z, y, x = (e[2 * a] - whole[2 * a] for a in (2, 1, 0))
            values[z : z + dims[0], y : y + dims[1], x : x + dims[2]] = vtk_to_numpy(array).reshape(*dims, -1)
        return values.reshape(-1, values.shape[-1])

    if first.IsA("vtkImageData"):
        merged.SetOrigin(first.GetOrigin())
        merged.SetSpacing(first.GetSpacing())
        merged.SetDirectionMatrix(first.GetDirectionMatrix())
    elif first.IsA("vtkStructuredGrid"):
        points = vtkPoints()
        points.SetData(numpy_to_vtk(paste([p.GetPoints().GetData() for p in pieces], cells=False), deep=True))
        merged.SetPoints(points)
    else:  # rectilinear: one coordinate array per axis
        for axis, name in enumerate("XYZ"):
            coords = np.zeros(whole[2 * axis + 1] - whole[2 * axis] + 1)
            for piece in pieces:
                lo = piece.GetExtent()[2 * axis] - whole[2 * axis]
                piece_coords = vtk_to_numpy(getattr(piece, f"Get{name}Coordinates")())
                coords[lo : lo + len(piece_coords)] = piece_coords
            getattr(merged, f"Set{name}Coordinates")(numpy_to_vtk(coords, deep=True))
    for kind, cells in (("GetPointData", False), ("GetCellData", True)):
        attributes = getattr(first, kind)()
        for i in range(attributes.GetNumberOfArrays()):
            name = attributes.GetArrayName(i)
            if not name or name == "vtkGhostType" or attributes.GetArray(i) is None:
                continue
            values = paste([getattr(p, kind)().GetArray(name) for p in pieces], cells)
            array = numpy_to_vtk(values if values.shape[1] > 1 else values.ravel(), deep=True)
            array.SetName(name)
            getattr(merged, kind)().AddArray(array)
        scalars = attributes.GetScalars()
        if scalars is not None and scalars.GetName():
            getattr(merged, kind)().SetActiveScalars(scalars.GetName())
    return merged


def _size(data: Any) -> int:
    if data.IsA("vtkTable"):
        return data.GetNumberOfRows()
    return data.GetNumberOfPoints() + data.GetNumberOfCells() if hasattr(data, "GetNumberOfCells") else 0


def write_single(path: str, data: Any) -> None:
    """Write one dataset to one file, the format chosen by the extension."""
    ext = extension(path)
    if ext == ".csv":
        _write_csv(path, data)
        return
    data = _in_format_of(ext, data)
    writer = _vtk(WRITERS[ext], "vtkIOXML" if ext.startswith(".vt") and ext != ".vtk" else _writer_module(ext))
    writer.SetFileName(path)
    writer.SetInputData(data)
    if not writer.Write():
        raise DataAccessError(f"Cannot write {path!r}.")


def _writer_module(ext: str) -> str:
    return {".vtk": "vtkIOLegacy", ".stl": "vtkIOGeometry", ".ply": "vtkIOPLY"}[ext]


def _in_format_of(ext: str, data: Any) -> Any:
    """``data`` as the type the format of ``ext`` holds: surfaces and unstructured grids are converted to; a
    structured format takes its own type only."""
    if ext in (".vtp", ".pvtp", ".stl", ".ply") and not data.IsA("vtkPolyData"):
        from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter

        geometry = vtkGeometryFilter()
        geometry.SetInputData(data)
        geometry.Update()
        return geometry.GetOutput()
    if ext in (".vtu", ".pvtu") and not data.IsA("vtkUnstructuredGrid"):
        return _to_unstructured(data)
    wanted = STRUCTURED_WRITERS.get(ext)
    if wanted is not None and not data.IsA(wanted):
        instead = ".pvtu" if ext in PARTITIONED else ".vtu or .vtk"
        raise DataAccessError(f"Cannot write {data.GetClassName()} as {ext} ({wanted} only); use {instead}.")
    return data


def write_piece(comm: Any, path: str, data: Any) -> None:
    """Write this rank's piece of a partitioned file; rank 0 also writes the summary file listing every piece."""
    from pvserver.parallel import sync_lazily

    rank, size = comm.Get_rank(), comm.Get_size()
    ext = extension(path)
    data = _in_format_of(ext, without_ghosts(data))  # every rank holds the same type: all agree, or all refuse
    writer = _vtk(WRITERS[ext], "vtkIOParallelXML")
    writer.SetFileName(path)
    writer.SetInputData(data)
    writer.SetNumberOfPieces(size)
    writer.SetStartPiece(rank)
    writer.SetEndPiece(rank)
    writer.SetWriteSummaryFile(rank == 0)
    ok = bool(writer.Write())
    extent = list(data.GetExtent()) if ext in STRUCTURED_WRITERS else []
    if size > 1:
        sync_lazily(comm)
        reports = comm.gather((ok, extent), root=0)
    else:
        reports = [(ok, extent)]
    if not ok:
        raise DataAccessError(f"Cannot write piece {rank} of {path!r}.")
    if rank == 0:
        if not all(r[0] for r in reports):
            raise DataAccessError(f"Some ranks could not write their piece of {path!r}.")
        _complete_summary(path, reports)


def _complete_summary(path: str, reports: list[tuple[bool, list[int]]]) -> None:
    """List every rank's piece in the summary file (VTK's writer only knows the pieces of its own process)."""
    import re

    text = Path(path).read_text()
    stem, suffix = Path(path).stem, "." + Path(path).suffix[2:]  # .pvtu -> pieces .vtu
    lines = []
    for piece, (_, extent) in enumerate(reports):
        where = f'Extent="{" ".join(map(str, extent))}" ' if extent else ""
        lines.append(f'    <Piece {where}Source="{stem}_{piece}{suffix}"/>')
    text = re.sub(r"\s*<Piece [^>]*/>", "", text)
    closing = text.rindex("</P")
    text = text[:closing] + "\n".join(lines).lstrip() + "\n  " + text[closing:]
    filled = [e for _, e in reports if e and all(e[2 * a] <= e[2 * a + 1] for a in range(3))]  # not empty pieces
    if filled:
        whole = [min(e[i] for e in filled) if i % 2 == 0 else max(e[i] for e in filled) for i in range(6)]
        text = re.sub(r'WholeExtent="[^"]*"', f'WholeExtent="{" ".join(map(str, whole))}"', text, count=1)
    Path(path).write_text(text)


def _write_csv(path: str, data: Any) -> None:
    """Points and point arrays (or a table's columns) as comma-separated values."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    columns: dict[str, np.ndarray] = {}
    if data.IsA("vtkTable"):
        for i in range(data.GetNumberOfColumns()):
            column = data.GetColumn(i)
            columns[column.GetName() or f"Column{i}"] = vtk_to_numpy(column)
    else:
        if data.GetNumberOfPoints():
            points = vtk_to_numpy(data.GetPoints().GetData())
            for axis, name in enumerate(("Points:0", "Points:1", "Points:2")):
                columns[name] = points[:, axis]
        attributes = data.GetPointData()
        for i in range(attributes.GetNumberOfArrays()):
            array = attributes.GetArray(i)
            if array is None or not array.GetName() or array.GetName() == "vtkGhostType":
                continue
            values = vtk_to_numpy(array)
            if values.ndim == 1:
                columns[array.GetName()] = values
            else:
                for c in range(values.shape[1]):
                    columns[f"{array.GetName()}:{c}"] = values[:, c]
    rows = len(next(iter(columns.values()))) if columns else 0
    with open(path, "w") as out:
        out.write(",".join(f'"{name}"' for name in columns) + "\n")
        table = np.column_stack([columns[k] for k in columns]) if columns else np.zeros((0, 0))
        for r in range(rows):
            out.write(",".join(repr(float(v)) for v in table[r]) + "\n")
