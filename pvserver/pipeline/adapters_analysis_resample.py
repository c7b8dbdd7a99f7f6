"""Resamplers over all ranks: Resample To Image and Resample With Dataset.

Their output stays split among the ranks (the image by extent, the destination mesh by its pieces): each rank
receives the pieces of the source that overlap what it samples (:func:`sources_for`) and samples them as VTK's own
filter does, so that every sample finds its cell whichever rank holds it.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkDataSet, vtkImageData
from vtkmodules.vtkCommonExecutionModel import vtkAlgorithm, vtkExtentTranslator
from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
from vtkmodules.vtkFiltersCore import vtkCompositeDataProbeFilter, vtkResampleWithDataSet

from pvserver.pipeline import fileio
from pvserver.pipeline.adapters_analysis_points import HIDDEN_CELL, HIDDEN_POINT
from pvserver.pipeline.adapters_analysis_probe import MASK, copy_of
from pvserver.pipeline.adapters_analysis_reduce import (
    LOCAL_CONTROLLER,
    AnalysisAlgorithm,
    allgather,
    alltoall,
    dataset_bounds,
    global_bounds,
)
from pvserver.pipeline.context import Context
from pvserver.pipeline.transfer import dumps


def _overlap(a: list[float] | None, b: list[float] | None, margin: float = 1e-9) -> bool:
    if not a or not b:
        return False
    return all(a[2 * i] <= b[2 * i + 1] + margin and b[2 * i] <= a[2 * i + 1] + margin for i in range(3))


def sources_for(comm: Any, source: Any, targets: Callable[[], list[float] | None], what: str) -> Any:
    """Collective: the source pieces of every rank that overlap this rank's ``targets()`` bounds, merged into one
    dataset (None when no rank holds source data). A rank that overlaps nothing gets the lowest rank's piece, so
    that it still learns the source's arrays."""
    rank_bounds = allgather(comm, lambda: (dataset_bounds(source), targets()), what)
    holders = [r for r, (b, _) in enumerate(rank_bounds) if b]
    if not holders:
        return None
    mine = rank_bounds[comm.Get_rank() if comm is not None else 0][0]

    def sends() -> list[Any]:
        if not mine:
            return [None] * len(rank_bounds)
        piece = dumps(fileio.without_ghosts(source))
        out = []
        for _dest, (_, wanted) in enumerate(rank_bounds):
            senders = [r for r in holders if _overlap(rank_bounds[r][0], wanted)]
            me = comm.Get_rank() if comm is not None else 0
            out.append(piece if me in senders or (not senders and me == holders[0]) else None)
        return out

    if len(rank_bounds) == 1:
        return source
    received = [pickle.loads(p) for p in alltoall(comm, sends, what) if p is not None]
    return fileio.merge(received) if received else None


class ResampleWithDataset(AnalysisAlgorithm):
    """vtkResampleWithDataSet: the DestinationMesh (port 0) keeps its pieces; each rank samples the pieces of the
    SourceDataArrays (port 1) that overlap its own piece of the destination."""

    SETTINGS = (
        "CategoricalData", "PassCellArrays", "PassPointArrays", "PassFieldArrays", "PassPartialArrays",
        "ComputeTolerance", "Tolerance", "MarkBlankPointsAndCells", "SnapToCellWithClosestPoint",
    )  # fmt: skip

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 2, "vtkDataSet", "vtkDataSet")
        self.resample = vtkResampleWithDataSet()  # a vtkPResampleWithDataSet: this rank alone
        self.resample.SetController(LOCAL_CONTROLLER)
        for name in self.SETTINGS:  # the setters of vtkResampleWithDataSet, each marking this algorithm modified
            setattr(self, f"Set{name}", self._forward(name))

    def _forward(self, name: str) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            getattr(self.resample, f"Set{name}")(value)
            self.Modified()

        return setter

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        data = vtkDataSet.GetData(in_info[0])
        out = out_info.GetInformationObject(0)
        current = out.Get(vtkDataObject.DATA_OBJECT())
        if data is not None and (current is None or current.GetClassName() != data.GetClassName()):
            out.Set(vtkDataObject.DATA_OBJECT(), data.NewInstance())
        return 1

    def execute(self, in_info: Any, out_info: Any) -> None:
        destination = vtkDataSet.GetData(in_info[0])
        source = vtkDataSet.GetData(in_info[1])
        output = vtkDataSet.GetData(out_info)
        merged = sources_for(self.comm, source, lambda: dataset_bounds(destination), "ResampleWithDataset")
        if destination is None or destination.GetNumberOfPoints() == 0 or merged is None:
            if destination is not None:
                output.CopyStructure(destination)
            return
        self.resample.SetInputData(copy_of(destination))
        self.resample.SetSourceData(merged)
        self.resample.Update()
        output.ShallowCopy(self.resample.GetOutputDataObject(0))
        self.resample.RemoveAllInputConnections(0)
        self.resample.RemoveAllInputConnections(1)


class ResampleToImage(AnalysisAlgorithm):
    """vtkResampleToImage over the bounds of all ranks' pieces together (or SamplingBounds); the image is split
    among the ranks by extent, each rank sampling the source pieces that overlap its part."""

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkImageData")
        self.use_input_bounds, self.dimensions, self.bounds = True, (100, 100, 100), (0.0, 1.0, 0.0, 1.0, 0.0, 1.0)

    def SetUseInputBounds(self, on: int) -> None:  # noqa: N802
        self._setter("use_input_bounds", bool(on))

    def SetSamplingDimensions(self, x: int, y: int, z: int) -> None:  # noqa: N802
        self._setter("dimensions", (max(int(x), 1), max(int(y), 1), max(int(z), 1)))

    def SetSamplingBounds(self, *bounds: float) -> None:  # noqa: N802
        self._setter("bounds", tuple(float(b) for b in bounds))

    def RequestInformation(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        out = out_info.GetInformationObject(0)
        out.Set(Sddp.WHOLE_EXTENT(), 0, self.dimensions[0] - 1, 0, self.dimensions[1] - 1, 0, self.dimensions[2] - 1)
        out.Set(vtkAlgorithm.CAN_PRODUCE_SUB_EXTENT(), 1)
        return 1

    def RequestUpdateExtent(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        source = in_info[0].GetInformationObject(0)  # this rank's piece of the input, whatever the image's extent
        source.Set(Sddp.UPDATE_PIECE_NUMBER(), self.rank)
        source.Set(Sddp.UPDATE_NUMBER_OF_PIECES(), self.size)
        source.Set(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS(), 0)
        source.Remove(Sddp.UPDATE_EXTENT())
        if source.Has(Sddp.WHOLE_EXTENT()):  # structured input: the piece's extent, as VTK splits by piece
            pieces = vtkExtentTranslator()
            pieces.SetWholeExtent(source.Get(Sddp.WHOLE_EXTENT()))
            pieces.SetPiece(self.rank)
            pieces.SetNumberOfPieces(self.size)
            pieces.SetGhostLevel(0)
            pieces.PieceToExtent()
            source.Set(Sddp.UPDATE_EXTENT(), pieces.GetExtent(), 6)
            source.Set(Sddp.UPDATE_PIECE_NUMBER(), 0)  # VTK would split that extent again by the piece number
            source.Set(Sddp.UPDATE_NUMBER_OF_PIECES(), 1)
        return 1

    def execute(self, in_info: Any, out_info: Any) -> None:
        data = vtkDataSet.GetData(in_info[0])
        output = vtkImageData.GetData(out_info)
        extent = list(out_info.GetInformationObject(0).Get(Sddp.UPDATE_EXTENT()))
        if self.use_input_bounds:  # as vtkResampleToImage: the bounds of all the data, nudged inwards by 1e-6
            whole = global_bounds(self.comm, lambda: dataset_bounds(data), "ResampleToImage")
            bounds = [0.0] * 6 if whole is None else _scaled_about_centre(whole, 1.0 - 1.0e-6)
        else:
            bounds = list(self.bounds)
        origin = [bounds[2 * i] for i in range(3)]
        spacing = [
            0.0 if n == 1 else (bounds[2 * i + 1] - bounds[2 * i]) / (n - 1) for i, n in enumerate(self.dimensions)
        ]
        empty = any(extent[2 * i] > extent[2 * i + 1] for i in range(3))

        def wanted() -> list[float] | None:
            return None if empty else [origin[i // 2] + extent[i] * spacing[i // 2] for i in range(6)]

        merged = sources_for(self.comm, data, wanted, "ResampleToImage")
        if merged is None or empty:
            return
        structure = vtkImageData()
        structure.SetOrigin(origin)
        structure.SetSpacing(spacing)
        structure.SetExtent(extent)
        probe = vtkCompositeDataProbeFilter()
        probe.SetInputData(structure)
        probe.SetSourceData(merged if self.size > 1 else copy_of(merged))
        probe.Update()
        output.ShallowCopy(probe.GetOutput())
        output.GetFieldData().PassData(merged.GetFieldData())
        _blank(output)


def _scaled_about_centre(bounds: list[float], factor: float) -> list[float]:
    """vtkBoundingBox::ScaleAboutCenter."""
    out = []
    for axis in range(3):
        centre = 0.5 * (bounds[2 * axis] + bounds[2 * axis + 1])
        out += [centre + (bounds[2 * axis] - centre) * factor, centre + (bounds[2 * axis + 1] - centre) * factor]
    return out


def _blank(image: Any) -> None:
    """vtkResampleToImage's blanking: points outside the input are hidden, and the cells that touch them."""
    mask = vtk_to_numpy(image.GetPointData().GetArray(MASK)) != 0
    points = np.where(mask, 0, HIDDEN_POINT).astype(np.uint8)
    dims = [e1 - e0 + 1 for e0, e1 in zip(image.GetExtent()[::2], image.GetExtent()[1::2], strict=True)]
    valid = mask.reshape(dims[2], dims[1], dims[0])
    for axis in range(3):  # a cell is valid when its corners along every axis with cells are
        if valid.shape[axis] > 1:
            low = tuple(slice(0, -1) if a == axis else slice(None) for a in range(3))
            high = tuple(slice(1, None) if a == axis else slice(None) for a in range(3))
            valid = valid[low] & valid[high]
    cells = np.where(valid.ravel(), 0, HIDDEN_CELL).astype(np.uint8)
    for attributes, flags in ((image.GetPointData(), points), (image.GetCellData(), cells)):
        ghosts = numpy_to_vtk(flags, deep=True)
        ghosts.SetName("vtkGhostType")
        attributes.AddArray(ghosts)


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "ResampleWithDataset": lambda context: ResampleWithDataset(context.comm),
    "ResampleToImage": lambda context: ResampleToImage(context.comm),
}
