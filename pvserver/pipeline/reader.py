"""Reading a file in parallel: each rank gets its part.

Partitioned files (``.pvtu`` ...) are read piece by piece on the ranks by VTK's parallel XML readers, and a single
structured XML file (``.vti .vts .vtr``) extent by extent: VTK reads the sub-extent a rank asks for. Any other
single file is read once, on rank 0, split into spatially coherent parts (recursive bisection of the cell centres)
and scattered, so that no rank holds more than its share. Ghost layers that filters downstream ask for come with
the parts: VTK reads them from the neighbours' extents of structured data; for unstructured grids they are made
by :mod:`pvserver.pipeline.ghosts`. A file series (``name_0.vtu, name_1.vtu``) is a list of files, one per time
step; a ``.pvd`` file lists its datasets and their times; an Exodus file holds its time steps itself.

``OpenDataFile`` picks the format by each file's extension; ParaView's named readers (``XMLPolyDataReader``...,
:mod:`pvserver.pipeline.adapters_readers`) fix it, and set what :mod:`pvserver.pipeline.reader_formats` applies.

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
from pvcore.xmldocs import parse_xml
from pvserver.pipeline import sandbox
from pvserver.pipeline.fileio import STRUCTURED_TYPES, read_whole, vtk_instance
from pvserver.pipeline.files import COLLECTION, EXODUS, PARTITIONED, STRUCTURED_XML, extension, reader_of
from pvserver.pipeline.ghosts import exchange_ghost_cells
from pvserver.pipeline.reader_formats import LIST_SETTINGS, SETTINGS, collection, select_arrays
from pvserver.pipeline.splitting import split
from pvserver.pipeline.transfer import dumps

# ----------------------------------------------------------------------------------------------- reader


class DistributedReader(VTKPythonAlgorithmBase):
    """Reads a file (or one file of a series, by time) so that each rank gets its part.

    ``kind`` fixes the format (a named reader's: ``XMLPolyDataReader`` reads ``.vtp`` whatever the name); by
    default each file's extension picks it. A ``.pvd`` file is a series of its own: its datasets, at its times.
    """

    collective = True  # its RequestData scatters and trades ghost cells: see RankExecutor.update

    def __init__(self, comm: Any, kind: str = "") -> None:
        super().__init__(nInputPorts=0, nOutputPorts=1, outputType="vtkDataObject")
        self.comm = comm
        self.kind = kind
        self.files: list[str] = []
        self.errors: list[str] = []
        self.settings: dict[str, Any] = {}
        self.point_arrays: tuple[str, ...] = ()
        self.cell_arrays: tuple[str, ...] = ()
        self._cache: tuple[tuple, Any] | None = None
        self._series: tuple[list[str], list[float]] | None = None
        self._steps_in_file = False  # the time steps are in the one file (Exodus), not one file each

    def SetFileName(self, *names: str) -> None:  # noqa: N802 - called through the catalogue's setter
        self.files = list(names)
        self._series = None
        self._changed()

    def SetPointArrayStatus(self, *names: str) -> None:  # noqa: N802
        """Keep only these point arrays (none named: all)."""
        self.point_arrays = tuple(names)
        self.Modified()  # the piece read stays cached: arrays are left out of it, not read again

    def SetCellArrayStatus(self, *names: str) -> None:  # noqa: N802
        """Keep only these cell arrays (none named: all)."""
        self.cell_arrays = tuple(names)
        self.Modified()

    def set_setting(self, name: str, value: Any) -> None:
        """What a named reader sets on VTK's reader (see :mod:`pvserver.pipeline.reader_formats`)."""
        if name not in SETTINGS:
            raise PipelineError(f"A reader has no setting {name!r}; settings are: {', '.join(SETTINGS)}.")
        self.settings[name] = value
        self._changed()

    def _changed(self) -> None:
        self._cache = None
        self.Modified()

    def series(self) -> tuple[list[str], list[float]]:
        """The files of the time steps and their times: those a ``.pvd`` file lists, those one Exodus file holds
        (the file once per step), or the files given (times 0, 1, 2..., none for one file)."""
        if self._series is None:
            self._steps_in_file = False
            if self._is_collection():
                steps = collection(self.files[0])
                self._series = [path for _, path in steps], [time for time, _ in steps]
            elif len(self.files) == 1 and self._kind(self.files[0]) in EXODUS:
                times = _times_in_file(self.files[0], self._kind(self.files[0]))
                self._series, self._steps_in_file = (self.files * max(len(times), 1), times), True
            else:
                times = [float(i) for i in range(len(self.files))] if len(self.files) > 1 else []
                self._series = list(self.files), times
        return self._series

    def _is_collection(self) -> bool:
        return len(self.files) == 1 and (self.kind or extension(self.files[0])) == COLLECTION

    def _kind(self, path: str) -> str:
        """The format of ``path``: the fixed one, else its extension (a collection's datasets: theirs)."""
        return self.kind if self.kind and self.kind != COLLECTION else extension(path)

    def _output_type(self) -> str:
        if not self.files:
            return "vtkPolyData"
        try:
            first = self.series()[0][0]
        except DataAccessError:  # reported, with the file's name, when the data is read
            return "vtkPolyData"
        return reader_of(self._kind(first))[2]

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
        try:
            steps = self.series()[1] if self.files else []
        except DataAccessError:  # reported, with the file's name, when the data is read
            steps = []
        if steps:
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
        first = self.series()[0][0]
        cls, module, _ = reader_of(self._kind(first))
        reader = vtk_instance(cls, module)
        errors_reported_by(reader)  # a broken header is reported when the data is read
        try:
            with _opened(reader, first, kind=self._kind(first)):
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
            output.ShallowCopy(select_arrays(self._piece(info), self.point_arrays, self.cell_arrays))
            times = self.series()[1]
            if times:  # which step this is, for the filters downstream and the views
                output.GetInformation().Set(vtkDataObject.DATA_TIME_STEP(), times[self._step(info)])
            return 1
        except Exception as exc:  # the executor reports it with this rank's number
            self.errors.append(exc)
            return 0

    def _step(self, info: Any) -> int:
        """The file of the time asked for, as ParaView picks it: of a file series the last step at or before it
        (the first before them all), of a ``.pvd`` file the first at or after it (the last after them all), of an
        Exodus file the nearest step."""
        sddp = vtkStreamingDemandDrivenPipeline
        times = self.series()[1]
        if not times or not info.Has(sddp.UPDATE_TIME_STEP()):
            return 0
        at = info.Get(sddp.UPDATE_TIME_STEP())
        slack = 1e-9 * max(1.0, abs(at))
        if self._steps_in_file:  # Exodus: the nearest step, the earlier of two as near
            return int(np.argmin(np.round(np.abs(np.asarray(times) - at), 9)))
        if self._is_collection():
            return min(int(np.searchsorted(np.asarray(times), at - slack, side="left")), len(times) - 1)
        return max(int(np.searchsorted(np.asarray(times), at + slack, side="right")) - 1, 0)

    def _piece(self, info: Any) -> Any:
        step = self._step(info)
        path = self.series()[0][step]
        kind = self._kind(path)
        own_piece = kind in PARTITIONED or kind in STRUCTURED_XML
        # The ghost layers filters downstream ask for (marked in vtkGhostType): VTK reads them from the neighbours'
        # extents of structured data; the ranks make them for unstructured grids (ghosts.py). Polygonal pieces
        # get none.
        data_type = reader_of(kind)[2]
        with_ghosts = data_type in STRUCTURED_TYPES or data_type == "vtkUnstructuredGrid"
        ghosts = (info.Get(vtkStreamingDemandDrivenPipeline.UPDATE_NUMBER_OF_GHOST_LEVELS()) or 0) if with_ghosts else 0
        key = (path, step, ghosts)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]  # re-executions for another extent never repeat the collective read
        rank, size = self.comm.Get_rank(), self.comm.Get_size()
        if not own_piece:
            piece = self._read_and_scatter(path, rank, size, ghosts, step)
        elif ghosts and size > 1 and data_type == "vtkUnstructuredGrid":
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
        kind = self._kind(path)
        cls, module, _ = reader_of(kind)
        reader = vtk_instance(cls, module)
        complaints = errors_reported_by(reader)
        with _opened(reader, path, rank, size, kind):
            reader.UpdatePiece(rank, size, ghosts)
        if reader.GetErrorCode() or complaints:
            why = f" ({complaints[0]})" if complaints else ""
            pieces = " (or one of its pieces)" if kind in PARTITIONED else ""
            raise DataAccessError(f"Cannot read {Path(path).name!r}{pieces}: broken or missing{why}.")
        data = reader.GetOutputDataObject(0)
        if data.IsA("vtkUnstructuredGrid") and _pieces_of_rank(reader.GetNumberOfPieces(), rank, size) > 1:
            data = _merge_coincident_points(data)
        return data

    def _read_and_scatter(self, path: str, rank: int, size: int, ghosts: int, step: int = 0) -> Any:
        """Rank 0 reads the whole file (at time step ``step`` of an Exodus file) and sends each rank its part, one
        at a time, so that rank 0 holds the data, its parts and one serialised part at the most (not every part
        serialised at once)."""
        settings = {**self.settings, "TimeStep": step} if self._steps_in_file else self.settings
        read = {"kind": self._kind(path), "settings": settings}
        if size == 1:
            return read_whole(path, **read)
        from mpi4py import MPI

        from pvserver.parallel import recv_lazily, sync_lazily

        sync_lazily(self.comm)  # rank 0 may read for a while: the others sleep meanwhile
        if rank != 0:
            message = recv_lazily(self.comm, 0, _SCATTER_TAG)[1]
            if message[:1] == b"E":
                raise PeerFailedError(f"rank 0 could not read {Path(path).name!r}: {message[1:].decode()}")
            return pickle.loads(memoryview(message)[1:])  # from rank 0 over MPI (see pvserver.parallel)
        try:
            parts = split(read_whole(path, **read), size, ghosts)
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


def _times_in_file(path: str, kind: str) -> list[float]:
    """The times of the steps an Exodus file holds, from its header."""
    cls, module, _ = reader_of(kind)
    reader = vtk_instance(cls, module)
    errors_reported_by(reader)  # a broken file is reported when the data is read
    with sandbox.reading(path) as name:
        reader.SetFileName(name)
        reader.UpdateInformation()
    info, steps = reader.GetOutputInformation(0), vtkStreamingDemandDrivenPipeline.TIME_STEPS()
    return [float(t) for t in info.Get(steps)] if info.Has(steps) else []


def _setter(name: str, is_list: bool) -> Any:
    def setter(self: DistributedReader, *values: Any) -> None:
        self.set_setting(name, tuple(values) if is_list else values[0])

    setter.__name__ = f"Set{name}"
    setter.__doc__ = f"The named readers' {name} (see pvserver.pipeline.reader_formats)."
    return setter


for _name in SETTINGS:  # one VTK-style setter per setting, as the catalogue applies properties
    setattr(DistributedReader, f"Set{_name}", _setter(_name, _name in LIST_SETTINGS))


@contextlib.contextmanager
def _opened(reader: Any, path: str, rank: int = 0, size: int = 1, kind: str = "") -> Iterator[None]:
    """Give ``reader`` the file ``path``, opened safely, for as long as the block runs.

    The pieces of a partitioned file are opened too, each relative to the summary file's folder, and the reader
    gets the summary with their ``Source`` rewritten to the opened files (VTK takes an absolute Source as it is;
    given the summary's own /proc/self/fd name it would look for the pieces in /proc/self/fd). A rank opens the
    pieces VTK gives it of unstructured data, and every piece of structured data, of which VTK reads whichever
    its extent and ghost layers overlap. ``kind`` is the format (default: the extension of ``path``).
    """
    kind = kind or extension(path)
    with contextlib.ExitStack() as stack:
        name = stack.enter_context(sandbox.reading(path))
        reader.SetFileName(name)
        if kind in PARTITIONED:
            try:
                tree = parse_xml(sandbox.read_opened(name, path), str(name))
            except ElementTree.ParseError as exc:
                raise DataAccessError(f"Cannot read {Path(path).name!r}: not a summary file ({exc}).") from None
            pieces = list(tree.iter("Piece"))
            mine = range(len(pieces))
            if reader_of(kind)[2] not in STRUCTURED_TYPES:
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
