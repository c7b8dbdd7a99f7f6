"""Gradient and Reflect over all ranks: outputs that keep their pieces, but whose pieces need more than their own.

Gradient differentiates across piece boundaries: vtkGradientFilter asks its input for one more ghost layer than
its consumer wants, and the layer it computed with one-sided differences is cut off again here, so that no rank
reports values at points it only borrowed. Reflect's X Min ... Z Max planes lie at the bounds of all the data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkDataSet, vtkUnstructuredGrid
from vtkmodules.vtkCommonExecutionModel import vtkExtentTranslator
from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
from vtkmodules.vtkFiltersGeneral import vtkGradientFilter, vtkReflectionFilter
from vtkmodules.vtkFiltersParallel import vtkRemoveGhosts

from pvserver.pipeline.adapters_analysis_reduce import AnalysisAlgorithm, dataset_bounds, global_bounds
from pvserver.pipeline.context import Context

_STRUCTURED = ("vtkImageData", "vtkRectilinearGrid", "vtkStructuredGrid")


class GradientFilter(AnalysisAlgorithm):
    """ParaView's Gradient (its unstructured path, "Non-Smoothed" boundaries): vtkGradientFilter on this rank's
    piece with one ghost layer more than asked, cut back to what the consumer asked for."""

    SETTINGS = (
        "ComputeGradient", "ResultArrayName", "FasterApproximation", "ComputeDivergence", "DivergenceArrayName",
        "ComputeVorticity", "VorticityArrayName", "ComputeQCriterion", "QCriterionArrayName",
        "ContributingCellOption", "ReplacementValueOption",
    )  # fmt: skip

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkDataSet")
        self.gradient = vtkGradientFilter()
        self.gradient.SetResultArrayName("Gradient")
        for name in self.SETTINGS:  # vtkGradientFilter's setters, each marking this algorithm modified
            setattr(self, f"Set{name}", self._forward(name))

    def _forward(self, name: str) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            getattr(self.gradient, f"Set{name}")(value)
            self.Modified()

        return setter

    def SetInputArrayToProcess(self, *selection: Any) -> None:  # noqa: N802 - the ScalarArray, for the gradient
        self.gradient.SetInputArrayToProcess(*selection)
        self.Modified()

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        data = vtkDataSet.GetData(in_info[0])
        out = out_info.GetInformationObject(0)
        current = out.Get(vtkDataObject.DATA_OBJECT())
        if data is not None and (current is None or current.GetClassName() != data.GetClassName()):
            out.Set(vtkDataObject.DATA_OBJECT(), data.NewInstance())
        return 1

    def RequestUpdateExtent(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        wanted = out_info.GetInformationObject(0).Get(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS()) or 0
        source = in_info[0].GetInformationObject(0)
        source.Set(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS(), wanted + (1 if self.size > 1 else 0))
        return 1

    def execute(self, in_info: Any, out_info: Any) -> None:
        data = vtkDataSet.GetData(in_info[0])
        output = vtkDataSet.GetData(out_info)
        if data is None or data.GetNumberOfPoints() == 0:
            return
        copy = data.NewInstance()
        copy.ShallowCopy(data)
        self.gradient.SetInputData(copy)
        self.gradient.Update()
        result = self.gradient.GetOutputDataObject(0)
        self.gradient.RemoveAllInputConnections(0)  # hold no piece between updates
        out = out_info.GetInformationObject(0)
        wanted = out.Get(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS()) or 0
        source = in_info[0].GetInformationObject(0)
        if self.size > 1 and result.GetClassName() in _STRUCTURED and source.Has(Sddp.WHOLE_EXTENT()):
            pieces = vtkExtentTranslator()  # this rank's piece with the ghost layers asked for, as VTK splits it
            pieces.SetWholeExtent(source.Get(Sddp.WHOLE_EXTENT()))
            pieces.SetPiece(self.rank)
            pieces.SetNumberOfPieces(self.size)
            pieces.SetGhostLevel(wanted)
            pieces.PieceToExtent()
            output.ShallowCopy(result)
            output.Crop(pieces.GetExtent())
        elif self.size > 1 and wanted == 0 and result.GetCellData().GetArray("vtkGhostType") is not None:
            remove = vtkRemoveGhosts()
            remove.SetInputData(result)
            remove.Update()
            output.ShallowCopy(remove.GetOutputDataObject(0))
        else:
            output.ShallowCopy(result)


#: ParaView's Plane labels, in the order of vtkReflectionFilter's plane ids.
REFLECTION_PLANES = ("X Min", "Y Min", "Z Min", "X Max", "Y Max", "Z Max", "X", "Y", "Z")


class ReflectionFilter(AnalysisAlgorithm):
    """vtkReflectionFilter whose X Min ... Z Max planes lie at the bounds of all ranks' pieces together (VTK alone
    would take each piece's own bounds)."""

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkDataObject")
        self.reflection = vtkReflectionFilter()
        self.plane = 0

    def SetPlane(self, plane: int) -> None:  # noqa: N802 - the label's position (an enum_index applier)
        self._setter("plane", int(plane))

    def SetCenter(self, center: float) -> None:  # noqa: N802
        self.reflection.SetCenter(center)
        self.Modified()

    def SetCopyInput(self, copy: int) -> None:  # noqa: N802
        self.reflection.SetCopyInput(copy)
        self.Modified()

    def SetFlipAllInputArrays(self, flip: int) -> None:  # noqa: N802
        self.reflection.SetFlipAllInputArrays(flip)
        self.Modified()

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        # vtkReflectionFilter makes an unstructured grid of any dataset (a composite input is not taken here).
        out = out_info.GetInformationObject(0)
        if not isinstance(out.Get(vtkDataObject.DATA_OBJECT()), vtkUnstructuredGrid):
            out.Set(vtkDataObject.DATA_OBJECT(), vtkUnstructuredGrid())
        return 1

    def execute(self, in_info: Any, out_info: Any) -> None:
        data = vtkDataSet.GetData(in_info[0])
        output = vtkUnstructuredGrid.GetData(out_info)
        bounds = global_bounds(self.comm, lambda: dataset_bounds(data), "Reflect")
        if data is None or data.GetNumberOfPoints() == 0:
            return
        reflection = self.reflection
        if self.plane < 6:  # at a bound: an explicit plane through that bound of all the pieces
            axis, upper = self.plane % 3, self.plane >= 3
            reflection.SetPlane(6 + axis)
            centre = reflection.GetCenter()
            reflection.SetCenter(bounds[2 * axis + int(upper)] if bounds else 0.0)
        else:
            reflection.SetPlane(self.plane)
            centre = None
        copy = data.NewInstance()
        copy.ShallowCopy(data)
        reflection.SetInputData(copy)
        reflection.Update()
        output.ShallowCopy(reflection.GetOutputDataObject(0))
        reflection.RemoveAllInputConnections(0)
        if centre is not None:
            reflection.SetCenter(centre)


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "GradientFilter": lambda context: GradientFilter(context.comm),
    "ReflectionFilter": lambda context: ReflectionFilter(context.comm),
}
