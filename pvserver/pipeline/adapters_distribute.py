"""VTK-side adapters of the filters that move data between ranks (pvcore/definitions/filters_common.py):
RedistributeDataSet and its older name D3, and AnnotateAttributeData.

ParaView's vtkRedistributeDataSetFilter and vtkDistributedDataFilter exchange cells through a VTK controller, which
this VTK build lacks. Here the ranks' pieces are gathered on rank 0, split there into spatially coherent parts
(the recursive bisection the readers use, :func:`pvserver.pipeline.reader.split`) and sent one to each rank: rank 0
holds the whole input for the time of the update. Each cell goes to exactly one part (ParaView's "Assign to one
region" / "Assign cells uniquely"); the modes that duplicate or divide cells are refused.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonCore import vtkStringArray
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkTable, vtkUnstructuredGrid
from vtkmodules.vtkFiltersCore import vtkAppendFilter

from pvcore.errors import PeerFailedError, PipelineError
from pvserver.parallel import raise_unless_all_succeeded, sync_lazily
from pvserver.pipeline.context import Context
from pvserver.pipeline.fileio import to_unstructured
from pvserver.pipeline.gathering import gather_on_rank_0
from pvserver.pipeline.ghosts import exchange_ghost_cells
from pvserver.pipeline.reader import split
from pvserver.pipeline.transfer import dumps

#: The boundary modes each filter takes; only the first (every cell to one part) is carried out.
REDISTRIBUTE_MODES = ("Assign to one region", "Assign to all regions", "Split cells")
D3_MODES = ("Assign cells uniquely", "Duplicate cells", "Divide cells")


class RedistributeAdapter(VTKPythonAlgorithmBase):
    """Spatially balanced pieces of any dataset, as unstructured grids: one part per rank (or NumberOfPartitions
    parts dealt out to the ranks in turn), optionally with the cells' original ids and layers of ghost cells."""

    collective = True  # its RequestData takes part in collectives: see RankExecutor.update

    def __init__(self, comm: Any, modes: tuple[str, ...]) -> None:
        super().__init__(nInputPorts=1, inputType="vtkDataSet", nOutputPorts=1, outputType="vtkUnstructuredGrid")
        self.comm = comm
        self.modes = modes
        self.mode = modes[0]
        self.partitions = -1
        self.global_ids = False
        self.ghost_levels = 0
        self.errors: list[Exception] = []

    def SetBoundaryMode(self, mode: str) -> None:  # noqa: N802 - the definitions' setters
        self.mode = mode
        self.Modified()

    def SetNumberOfPartitions(self, count: int) -> None:  # noqa: N802
        self.partitions = int(count)
        self.Modified()

    def SetGenerateGlobalCellIds(self, on: int) -> None:  # noqa: N802
        self.global_ids = bool(on)
        self.Modified()

    def SetMinimumNumberOfGhostLevels(self, levels: int) -> None:  # noqa: N802 - D3's
        self.ghost_levels = int(levels)
        self.Modified()

    def SetIgnored(self, *_values: Any) -> None:  # noqa: N802
        """ParaView's options that change nothing here (load balancing across blocks, debugging, memory)."""

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        piece = vtkDataObject.GetData(in_info[0])
        output = vtkUnstructuredGrid.GetData(out_info)
        try:
            if self.mode != self.modes[0]:
                raise PipelineError(
                    f"BoundaryMode {self.mode!r} is not supported on this server; use {self.modes[0]!r}."
                )
            output.ShallowCopy(self._redistributed(piece))
            return 1
        except Exception as exc:  # the executor reports it with this rank's number
            self.errors.append(exc)
            return 0

    def _redistributed(self, piece: Any) -> Any:
        size = 1 if self.comm is None else self.comm.Get_size()
        if size == 1:
            whole = to_unstructured(piece) if not piece.IsA("vtkUnstructuredGrid") else piece
            return self._with_ids(whole) if self.global_ids else whole
        outgoing: list[bytes] = [b""] * size
        failure: Exception | None = None
        try:  # the gather fails alike on every rank; rank 0's merge and cut only there: the agreement below tells
            whole = gather_on_rank_0(self.comm, piece, "redistribute")
            if whole is not None:  # rank 0: cut the whole into parts and deal them out
                outgoing = self._parts(whole, size)
        except Exception as exc:
            failure = exc
        raise_unless_all_succeeded(self.comm, failure, "Rank 0 could not divide the data among the ranks.")
        sync_lazily(self.comm)
        mine = self.comm.scatter(outgoing, root=0)
        # This rank's part, from rank 0 of this job over MPI (see pvserver.parallel), never from a network peer.
        part = pickle.loads(mine)
        if self.ghost_levels > 0:
            part = exchange_ghost_cells(self.comm, part)
        return part

    def _parts(self, whole: Any, ranks: int) -> list[bytes]:
        grid = to_unstructured(whole) if not whole.IsA("vtkUnstructuredGrid") else whole
        if self.global_ids:
            grid = self._with_ids(grid)
        count = ranks if self.partitions <= 0 else self.partitions
        parts = split(grid, count) if grid.GetNumberOfCells() else [grid] * count
        per_rank: list[list[Any]] = [[] for _ in range(ranks)]
        for i, part in enumerate(parts):
            per_rank[i % ranks].append(part)
        return [dumps(_appended(mine) if mine else vtkUnstructuredGrid()) for mine in per_rank]

    @staticmethod
    def _with_ids(grid: Any) -> Any:
        out = grid.NewInstance()
        out.ShallowCopy(grid)
        ids = numpy_to_vtk(np.arange(grid.GetNumberOfCells(), dtype=np.int64), deep=True)
        ids.SetName("vtkGlobalCellIds")
        out.GetCellData().AddArray(ids)
        return out


def _appended(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return to_unstructured(parts[0]) if not parts[0].IsA("vtkUnstructuredGrid") else parts[0]
    append = vtkAppendFilter()
    append.MergePointsOn()
    for part in parts:
        append.AddInputData(part)
    append.Update()
    return append.GetOutput()


# ----------------------------------------------------------------------------------------------- annotation


class AnnotateAttributeAdapter(VTKPythonAlgorithmBase):
    """ParaView's Annotate Attribute Data: a one-row table (column "Text") on rank 0 holding Prefix followed by
    element ElementId of the chosen array, as rank ProcessId holds it (-1: each rank its own)."""

    collective = True  # its RequestData takes part in collectives: see RankExecutor.update

    def __init__(self, comm: Any) -> None:
        super().__init__(nInputPorts=1, inputType="vtkDataObject", nOutputPorts=1, outputType="vtkTable")
        self.comm = comm
        self.array = ("POINTS", "")
        self.element = 0
        self.process = 0
        self.prefix = "Value is: "
        self.errors: list[Exception] = []

    def SetSelectInputArray(self, association: str, name: str) -> None:  # noqa: N802
        self.array = (association, name)
        self.Modified()

    def SetElementId(self, element: int) -> None:  # noqa: N802
        self.element = int(element)
        self.Modified()

    def SetProcessId(self, process: int) -> None:  # noqa: N802
        self.process = int(process)
        self.Modified()

    def SetPrefix(self, prefix: str) -> None:  # noqa: N802
        self.prefix = prefix
        self.Modified()

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        data = vtkDataObject.GetData(in_info[0])
        output = vtkTable.GetData(out_info)
        rank, size = (0, 1) if self.comm is None else (self.comm.Get_rank(), self.comm.Get_size())
        try:
            if not -1 <= self.process < size:
                raise PipelineError(f"ProcessId {self.process} names no rank; the server has ranks 0 to {size - 1}.")
            source = rank if self.process == -1 else self.process
            answer = self._answer(data) if rank == source else ("", "")
            if size > 1 and self.process != -1:  # rank ProcessId tells the others
                sync_lazily(self.comm)
                answer = self.comm.bcast(answer, root=source)
            text, error = answer
            if error and (self.process != -1 or rank == 0):  # with -1, only rank 0's own answer is shown
                raise PipelineError(error) if rank == source else PeerFailedError(f"Rank {source}: {error}")
            output.Initialize()
            if rank == 0:
                column = vtkStringArray()
                column.SetName("Text")
                column.InsertNextValue(text)
                output.AddColumn(column)
            return 1
        except Exception as exc:
            self.errors.append(exc)
            return 0

    def GetComputedAnnotationValue(self) -> str:  # noqa: N802 - ParaView's vtkPVAnnotateAttributeData
        """The annotation of the last update ('' on ranks other than 0, or before any update)."""
        output = self.GetOutputDataObject(0)
        column = output.GetColumnByName("Text") if output is not None else None
        return column.GetValue(0) if column is not None and column.GetNumberOfValues() else ""

    def _answer(self, data: Any) -> tuple[str, str]:
        """(the annotation, "") or ("", what is wrong): never raises, so that the rank that answers always
        reaches the broadcast the others wait in."""
        try:
            return self._text(data)
        except Exception as exc:
            return "", f"{type(exc).__name__}: {exc}"

    def _text(self, data: Any) -> tuple[str, str]:
        """(the annotation, "") or ("", what is wrong)."""
        association, name = self.array
        getters = {"POINTS": "GetPointData", "CELLS": "GetCellData", "FIELD": "GetFieldData", "ROWS": "GetRowData"}
        attributes = getattr(data, getters[association])() if hasattr(data, getters[association]) else None
        array = attributes.GetAbstractArray(name) if attributes is not None and name else None
        if array is None:
            return "", f"SelectInputArray names {association} array {name!r}, which the input does not have."
        if not 0 <= self.element < array.GetNumberOfTuples():
            return "", f"ElementId {self.element} is beyond the {array.GetNumberOfTuples()} values of {name!r}."
        if array.IsA("vtkStringArray"):
            return f"{self.prefix}{array.GetValue(self.element)}", ""
        return f"{self.prefix}{vtk_to_numpy(array)[self.element]!s}", ""  # str(): numpy's shortest, as ParaView's


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "RedistributeAdapter": lambda context: RedistributeAdapter(context.comm, REDISTRIBUTE_MODES),
    "D3Adapter": lambda context: RedistributeAdapter(context.comm, D3_MODES),
    "AnnotateAttributeAdapter": lambda context: AnnotateAttributeAdapter(context.comm),
}
