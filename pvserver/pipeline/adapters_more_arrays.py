"""VTK-side adapters of pvcore/definitions/filters_more_arrays.py that compute arrays: Extract Component (ParaView's
vtkPVExtractComponent, which the pip VTK lacks) and Cell Size, whose sums (ComputeSum) are over all ranks' pieces
as vtkPCellSizeFilter's are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkDataSet
from vtkmodules.vtkFiltersVerdict import vtkCellSizeFilter

from pvserver.pipeline.adapters_analysis_reduce import AnalysisAlgorithm, allgather
from pvserver.pipeline.context import Context


def same_type_as_input(in_info: Any, out_info: Any) -> None:
    """Make the output a new dataset of the input's type (a surface stays a surface), unless it is one already."""
    data = vtkDataObject.GetData(in_info[0])
    out = out_info.GetInformationObject(0)
    current = out.Get(vtkDataObject.DATA_OBJECT())
    if data is not None and (current is None or current.GetClassName() != data.GetClassName()):
        out.Set(vtkDataObject.DATA_OBJECT(), data.NewInstance())


class ExtractComponent(VTKPythonAlgorithmBase):
    """ParaView's Extract Component: component ``Component`` of the input array, as a one-component array called
    OutputArrayName beside the input's arrays (of the points or cells, as the input array)."""

    def __init__(self) -> None:
        super().__init__(nInputPorts=1, inputType="vtkDataSet", nOutputPorts=1, outputType="vtkDataSet")
        self.component, self.output_name = 0, "Result"
        self.errors: list[str] = []  # read and cleared by the executor, which reports them

    def SetComponent(self, component: int) -> None:  # noqa: N802 - the definitions' setter
        self.component = int(component)
        self.Modified()

    def SetOutputArrayName(self, name: str) -> None:  # noqa: N802
        self.output_name = name
        self.Modified()

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        same_type_as_input(in_info, out_info)
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        piece = vtkDataSet.GetData(in_info[0])
        output = vtkDataSet.GetData(out_info)
        output.ShallowCopy(piece)
        array = self._input_array(piece)
        if array is None:
            if piece.GetNumberOfPoints():  # an empty piece has no arrays to take from: it stays empty
                self.errors.append("ExtractComponent: the input has no such array (set InputArray).")
            return 1
        components = array.GetNumberOfComponents()
        if not 0 <= self.component < components:
            self.errors.append(
                f"ExtractComponent: Component {self.component} is not one of the array's components "
                f"(0 to {components - 1})."
            )
            return 1
        if not self.output_name:
            self.errors.append("ExtractComponent: OutputArrayName is empty.")
            return 1
        result = array.NewInstance()
        result.SetName(self.output_name)
        result.SetNumberOfComponents(1)
        result.SetNumberOfTuples(array.GetNumberOfTuples())
        result.CopyComponent(0, array, self.component)
        if array.GetNumberOfTuples() == piece.GetNumberOfPoints():
            output.GetPointData().AddArray(result)
        elif array.GetNumberOfTuples() == piece.GetNumberOfCells():
            output.GetCellData().AddArray(result)
        else:
            output.GetFieldData().AddArray(result)
        return 1

    def _input_array(self, piece: Any) -> Any:
        """The array InputArray names: of the points, the cells or the field data, as its association says."""
        selection = self.GetInputArrayInformation(0)
        name = selection.Get(vtkDataObject.FIELD_NAME()) if selection.Has(vtkDataObject.FIELD_NAME()) else ""
        association = (
            selection.Get(vtkDataObject.FIELD_ASSOCIATION()) if selection.Has(vtkDataObject.FIELD_ASSOCIATION()) else 0
        )
        attributes = {
            vtkDataObject.FIELD_ASSOCIATION_CELLS: piece.GetCellData(),
            vtkDataObject.FIELD_ASSOCIATION_NONE: piece.GetFieldData(),
        }.get(association, piece.GetPointData())
        return attributes.GetArray(name) if name else None


class CellSize(AnalysisAlgorithm):
    """vtkCellSizeFilter on this rank's piece; with ComputeSum its field arrays hold the sums over all ranks."""

    SETTINGS = (
        "ComputeVertexCount", "VertexCountArrayName", "ComputeLength", "LengthArrayName", "ComputeArea",
        "AreaArrayName", "ComputeVolume", "VolumeArrayName", "ComputeSum",
    )  # fmt: skip

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkDataSet")
        self.sizes = vtkCellSizeFilter()
        for name in self.SETTINGS:  # vtkCellSizeFilter's setters, each marking this algorithm modified
            setattr(self, f"Set{name}", self._forward(name))

    def _forward(self, name: str) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            getattr(self.sizes, f"Set{name}")(value)
            self.Modified()

        return setter

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        same_type_as_input(in_info, out_info)
        return 1

    def execute(self, in_info: Any, out_info: Any) -> None:
        piece = vtkDataSet.GetData(in_info[0])
        output = vtkDataSet.GetData(out_info)
        names = [
            self.sizes.GetVertexCountArrayName() if self.sizes.GetComputeVertexCount() else None,
            self.sizes.GetLengthArrayName() if self.sizes.GetComputeLength() else None,
            self.sizes.GetAreaArrayName() if self.sizes.GetComputeArea() else None,
            self.sizes.GetVolumeArrayName() if self.sizes.GetComputeVolume() else None,
        ]
        names = [n for n in names if n]

        def local() -> dict[str, float]:
            copy = piece.NewInstance()
            copy.ShallowCopy(piece)
            self.sizes.SetInputData(copy)
            self.sizes.Update()
            output.ShallowCopy(self.sizes.GetOutputDataObject(0))
            self.sizes.RemoveAllInputConnections(0)  # hold no piece between updates
            fields = output.GetFieldData()
            return {n: fields.GetArray(n).GetValue(0) for n in names if fields.GetArray(n) is not None}

        if not self.sizes.GetComputeSum():
            local()
            return
        totals = allgather(self.comm, local, "Cell Size")  # every rank's sums, also of empty pieces
        fields = output.GetFieldData()
        for name in names:
            if fields.GetArray(name) is not None:
                fields.GetArray(name).SetValue(0, sum(part.get(name, 0.0) for part in totals))


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "ExtractComponentAdapter": lambda _context: ExtractComponent(),
    "CellSizeAdapter": lambda context: CellSize(context.comm),
}
