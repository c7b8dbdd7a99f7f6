"""VTK-side adapters of the Common filters (pvcore/definitions/filters_common.py; see
:mod:`pvserver.pipeline.adapters` for what an adapter is): ParaView's property names on VTK filters, a subset
filter for every structured type, a piece-invariant Clean, and ghost layers as a filter.

The stream tracer's adapters are in :mod:`pvserver.pipeline.adapters_streamlines`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonCore import vtkCollection
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkPolyData
from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
from vtkmodules.vtkFiltersCore import vtkCleanPolyData, vtkConnectivityFilter
from vtkmodules.vtkFiltersExtraction import vtkExtractGeometry, vtkExtractGrid, vtkExtractRectilinearGrid
from vtkmodules.vtkFiltersGeneral import vtkPassSelectedArrays, vtkTableBasedClipDataSet
from vtkmodules.vtkImagingCore import vtkExtractVOI

from pvcore.errors import PipelineError
from pvserver.parallel import everyone
from pvserver.pipeline import adapters_distribute, adapters_overlaps, adapters_streamlines
from pvserver.pipeline.context import ASSOCIATION_IDS, Context
from pvserver.pipeline.gathering import gather_on_rank_0
from pvserver.pipeline.ghosts import exchange_ghost_cells
from pvserver.pipeline.information import DUPLICATE


def _same_type_output(in_info: Any, out_info: Any) -> int:
    """REQUEST_DATA_OBJECT for a filter whose output has its input's type."""
    data = in_info[0].GetInformationObject(0).Get(vtkDataObject.DATA_OBJECT())
    if data is not None:
        out = out_info.GetInformationObject(0)
        current = out.Get(vtkDataObject.DATA_OBJECT())
        if current is None or current.GetClassName() != data.GetClassName():
            out.Set(vtkDataObject.DATA_OBJECT(), data.NewInstance())
    return 1


# ----------------------------------------------------------------------------------------------- Extract Subset


class ExtractSubsetAdapter(VTKPythonAlgorithmBase):
    """ParaView's Extract Subset (vtkPVExtractVOI): hands every pipeline request to vtkExtractVOI,
    vtkExtractRectilinearGrid or vtkExtractGrid, whichever takes the input's type, as ParaView's class does, so
    that each rank extracts from its own extent."""

    def __init__(self) -> None:
        super().__init__(nInputPorts=1, inputType="vtkDataSet", nOutputPorts=1, outputType="vtkDataSet")
        self._by_type = {
            "vtkImageData": vtkExtractVOI(),
            "vtkRectilinearGrid": vtkExtractRectilinearGrid(),
            "vtkStructuredGrid": vtkExtractGrid(),
        }
        self._rate = [1, 1, 1]
        self._voi = [0, 0, 0, 0, 0, 0]

    def SetVOI(self, *voi: int) -> None:  # noqa: N802 - the definitions' setters
        self._voi = [int(v) for v in voi]
        for extract in self._by_type.values():
            extract.SetVOI(*voi)
        self.Modified()

    def _set_rate(self, axis: int, rate: int) -> None:
        self._rate[axis] = int(rate)
        for extract in self._by_type.values():
            extract.SetSampleRate(*self._rate)
        self.Modified()

    def SetSampleRateI(self, rate: int) -> None:  # noqa: N802
        self._set_rate(0, rate)

    def SetSampleRateJ(self, rate: int) -> None:  # noqa: N802
        self._set_rate(1, rate)

    def SetSampleRateK(self, rate: int) -> None:  # noqa: N802
        self._set_rate(2, rate)

    def SetIncludeBoundary(self, include: int) -> None:  # noqa: N802
        for extract in self._by_type.values():
            extract.SetIncludeBoundary(include)
        self.Modified()

    def ProcessRequest(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        if request.Has(Sddp.REQUEST_DATA_OBJECT()):
            return _same_type_output(in_info, out_info)
        data = in_info[0].GetInformationObject(0).Get(vtkDataObject.DATA_OBJECT())
        extract = next((e for t, e in self._by_type.items() if data is not None and data.IsA(t)), None)
        if extract is None:
            return super().ProcessRequest(request, in_info, out_info)
        inputs = vtkCollection()  # the wrapped ProcessRequest takes the input vectors as a collection
        for vector in in_info:
            inputs.AddItem(vector)
        done = extract.ProcessRequest(request, inputs, out_info)
        if done and request.Has(Sddp.REQUEST_DATA()):
            _renumber_piece(in_info[0].GetInformationObject(0), out_info.GetInformationObject(0), self._voi, self._rate)
        return done


def _renumber_piece(in_info: Any, out_info: Any, voi: list[int], rate: list[int]) -> None:
    """Give a piece its extent within the whole output. vtkExtractVOI and its siblings number a piece of a
    subsampled grid from 0 (moving an image's origin to match), so that the ranks' pieces would not fit together
    by extent: output index ``W0 + k`` along an axis is input index ``v0 + k * rate`` (``W0`` the output's whole
    extent start, ``v0`` the VOI's start within the input), so the piece starts at the first sampled index of the
    input extent it read."""
    output, piece = vtkDataObject.GetData(out_info), vtkDataObject.GetData(in_info)
    if output is None or output.GetNumberOfPoints() == 0 or piece is None:
        return
    read, whole_in = piece.GetExtent(), in_info.Get(Sddp.WHOLE_EXTENT())
    whole_out, got = out_info.Get(Sddp.WHOLE_EXTENT()), list(output.GetExtent())
    shift = []
    for a in range(3):
        v0 = max(voi[2 * a], whole_in[2 * a])
        first = whole_out[2 * a] + -(-max(read[2 * a] - v0, 0) // rate[a])  # ceil division
        shift.append(first - got[2 * a])
    if not any(shift):
        return
    if output.IsA("vtkImageData"):
        origin, spacing = output.GetOrigin(), output.GetSpacing()
        output.SetOrigin(*(origin[a] - shift[a] * spacing[a] for a in range(3)))
    output.SetExtent(*(got[i] + shift[i // 2] for i in range(6)))


# ----------------------------------------------------------------------------------------------- Clean


class CleanAdapter(VTKPythonAlgorithmBase):
    """ParaView's Clean (vtkCleanPolyData). With PieceInvariant, the ranks' pieces are gathered on rank 0 and
    cleaned there as one (the output is on rank 0 only), instead of VTK's way (asking the input for the whole data
    on piece 0 and nothing elsewhere), which makes a source that is not split come out once per rank and would make
    the ranks read a file out of step."""

    collective = True  # its RequestData takes part in collectives: see RankExecutor.update

    def __init__(self, comm: Any) -> None:
        super().__init__(nInputPorts=1, inputType="vtkPolyData", nOutputPorts=1, outputType="vtkPolyData")
        self.comm = comm
        self.clean = vtkCleanPolyData()
        self.clean.PieceInvariantOff()  # it cleans what it is given: the piece, or the gathered whole
        self.piece_invariant = True
        self.errors: list[Exception] = []

    def SetPieceInvariant(self, on: int) -> None:  # noqa: N802
        self.piece_invariant = bool(on)
        self.Modified()

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        piece = vtkPolyData.GetData(in_info[0])
        output = vtkPolyData.GetData(out_info)
        try:
            if self.piece_invariant and self.comm is not None and self.comm.Get_size() > 1:
                piece = gather_on_rank_0(self.comm, piece, "clean")
                if piece is None:  # not rank 0: the cleaned whole is there
                    output.Initialize()
                    return 1
            self.clean.SetInputData(piece)
            self.clean.Update()
            output.ShallowCopy(self.clean.GetOutput())
            return 1
        except Exception as exc:  # the executor reports it with this rank's number
            self.errors.append(exc)
            return 0


def _forwarded(name: str) -> Callable[..., None]:
    def setter(self: CleanAdapter, *values: Any) -> None:
        getattr(self.clean, name)(*values)
        self.Modified()

    setter.__name__ = name
    return setter


for _name in (
    "SetTolerance",
    "SetAbsoluteTolerance",
    "SetToleranceIsAbsolute",
    "SetConvertLinesToPoints",
    "SetConvertPolysToLines",
    "SetConvertStripsToPolys",
    "SetPointMerging",
):
    setattr(CleanAdapter, _name, _forwarded(_name))


# ----------------------------------------------------------------------------------------------- arrays, regions


class PassArraysAdapter(vtkPassSelectedArrays):
    """ParaView's Pass Arrays: the names of the arrays to keep, per association, as lists."""

    def _select(self, selection: Any, names: tuple[str, ...]) -> None:
        selection.RemoveAllArrays()
        for name in names:
            selection.EnableArray(name)
        self.Modified()

    def SetPointDataArrays(self, *names: str) -> None:  # noqa: N802
        self._select(self.GetPointDataArraySelection(), names)

    def SetCellDataArrays(self, *names: str) -> None:  # noqa: N802
        self._select(self.GetCellDataArraySelection(), names)

    def SetFieldDataArrays(self, *names: str) -> None:  # noqa: N802
        self._select(self.GetFieldDataArraySelection(), names)


#: ParaView's labels of Connectivity's ExtractionMode -> vtkConnectivityFilter's modes.
EXTRACTION_MODES = {"Extract Largest Region": 4, "Extract All Regions": 5, "Extract Closest Point Region": 6}


class ConnectivityAdapter(vtkConnectivityFilter):
    """vtkConnectivityFilter with ParaView's ExtractionMode labels (VTK's modes are not their positions)."""

    def __init__(self) -> None:
        super().__init__()
        super().SetExtractionMode(EXTRACTION_MODES["Extract All Regions"])
        self.ColorRegionsOn()

    def SetExtractionMode(self, label: str) -> None:  # noqa: N802
        super().SetExtractionMode(EXTRACTION_MODES[label])


# ----------------------------------------------------------------------------------------------- Clip


class ScalarClipType:
    """The "Scalar" ClipType: no function; the Clip cuts by its Scalars array at Value instead."""


class ClipAdapter(VTKPythonAlgorithmBase):
    """ParaView 5.11's Clip (vtkPVMetaClipDataSet): vtkTableBasedClipDataSet by an implicit function or, with the
    Scalar ClipType, by a point array at Value; Crinkleclip keeps the cut cells whole (vtkExtractGeometry). With a
    function, Value shifts the cut only with UseValueAsOffset. Crinkle clipping by scalars and Exact box
    clipping are refused."""

    def __init__(self) -> None:
        super().__init__(nInputPorts=1, inputType="vtkDataSet", nOutputPorts=1, outputType="vtkUnstructuredGrid")
        self.clip = vtkTableBasedClipDataSet()
        self.clip.InsideOutOn()
        self.crinkle = vtkExtractGeometry()
        self.crinkle.ExtractBoundaryCellsOn()
        self.function: Any = None
        self.value, self.offset, self.crinkled, self.exact = 0.0, False, False, False
        self.errors: list[Exception] = []

    def SetClipFunction(self, function: Any) -> None:  # noqa: N802 - the definitions' setters
        self.function = function
        scalar = isinstance(function, ScalarClipType)
        self.clip.SetClipFunction(None if scalar else function)
        self.crinkle.SetImplicitFunction(None if scalar else function)
        self._apply_value()

    def SetScalars(self, association: str, name: str) -> None:  # noqa: N802
        if name:
            self.clip.SetInputArrayToProcess(0, 0, 0, ASSOCIATION_IDS[association], name)
        self.Modified()

    def SetValue(self, value: float) -> None:  # noqa: N802
        self.value = float(value)
        self._apply_value()

    def SetUseValueAsOffset(self, on: int) -> None:  # noqa: N802
        self.offset = bool(on)
        self._apply_value()

    def SetInvert(self, on: int) -> None:  # noqa: N802
        self.clip.SetInsideOut(on)
        self.crinkle.SetExtractInside(on)
        self.Modified()

    SetInsideOut = SetInvert  # the name vtkTableBasedClipDataSet gives it

    def SetCrinkleclip(self, on: int) -> None:  # noqa: N802
        self.crinkled = bool(on)
        self.Modified()

    def SetExact(self, on: int) -> None:  # noqa: N802
        self.exact = bool(on)
        self.Modified()

    def _apply_value(self) -> None:
        scalar = isinstance(self.function, ScalarClipType)
        self.clip.SetValue(self.value if scalar or self.offset else 0.0)
        self.Modified()

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        piece = vtkDataObject.GetData(in_info[0])
        output = vtkDataObject.GetData(out_info)
        scalar = isinstance(self.function, ScalarClipType)
        try:
            if self.crinkled and scalar:
                raise PipelineError("Crinkleclip with the Scalar ClipType is not supported; use Threshold.")
            if self.exact:
                raise PipelineError("Exact box clipping is not supported on this server; set Exact to 0.")
            algorithm = self.crinkle if self.crinkled else self.clip
            algorithm.SetInputData(piece)
            algorithm.Update()
            output.ShallowCopy(algorithm.GetOutputDataObject(0))
            return 1
        except Exception as exc:  # the executor reports it with this rank's number
            self.errors.append(exc)
            return 0


# ----------------------------------------------------------------------------------------------- ghost cells


class GhostCellsAdapter(VTKPythonAlgorithmBase):
    """ParaView's Ghost Cells Generator: asks its input for the ghost layers (VTK's sources and this project's
    readers make them, marked in vtkGhostType), and for an unstructured grid that arrives without any, trades a
    layer of cells with the neighbouring ranks (pvserver.pipeline.ghosts)."""

    collective = True  # its RequestData takes part in collectives: see RankExecutor.update

    def __init__(self, comm: Any) -> None:
        super().__init__(nInputPorts=1, inputType="vtkDataSet", nOutputPorts=1, outputType="vtkDataSet")
        self.comm = comm
        self.layers = 1
        self.only_if_required = False
        self.errors: list[Exception] = []

    def SetMinimumNumberOfGhosts(self, layers: int) -> None:  # noqa: N802
        self.layers = int(layers)
        self.Modified()

    def SetBuildIfRequired(self, on: int) -> None:  # noqa: N802
        self.only_if_required = bool(on)
        self.Modified()

    def _levels(self, out_info: Any) -> int:
        asked = out_info.Get(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS()) or 0
        return asked if self.only_if_required else max(asked, self.layers)

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        return _same_type_output(in_info, out_info)

    def RequestUpdateExtent(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        in_info[0].GetInformationObject(0).Set(
            Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS(), self._levels(out_info.GetInformationObject(0))
        )
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        piece = vtkDataObject.GetData(in_info[0])
        output = vtkDataObject.GetData(out_info)
        levels = self._levels(out_info.GetInformationObject(0))
        try:
            trade = self.comm is not None and self.comm.Get_size() > 1 and levels > 0
            # Collective: every rank learns whether any piece came with ghost cells before trading them.
            if trade and piece.IsA("vtkUnstructuredGrid") and everyone(self.comm, not _has_ghost_cells(piece)):
                piece = exchange_ghost_cells(self.comm, piece)
            output.ShallowCopy(piece)
            return 1
        except Exception as exc:
            self.errors.append(exc)
            return 0


def _has_ghost_cells(data: Any) -> bool:
    ghosts = data.GetCellData().GetArray("vtkGhostType")
    return ghosts is not None and bool(np.any(vtk_to_numpy(ghosts) & DUPLICATE))


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "ExtractSubsetAdapter": lambda _context: ExtractSubsetAdapter(),
    "CleanAdapter": lambda context: CleanAdapter(context.comm),
    "PassArraysAdapter": lambda _context: PassArraysAdapter(),
    "ConnectivityAdapter": lambda _context: ConnectivityAdapter(),
    "ExtractGeometryAdapter": lambda _context: vtkExtractGeometry(),  # a module the registry does not search
    "GhostCellsAdapter": lambda context: GhostCellsAdapter(context.comm),
    "ClipAdapter": lambda _context: ClipAdapter(),
    "ScalarClipType": lambda _context: ScalarClipType(),
    **adapters_streamlines.ADAPTERS,
    **adapters_overlaps.ADAPTERS,
    **adapters_distribute.ADAPTERS,
}
