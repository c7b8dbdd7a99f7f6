"""VTK-side adapters of the composite family (see :mod:`pvserver.pipeline.adapters` for what an adapter is).

Each is its VTK filter with setters for ParaView's properties that VTK spells otherwise (a list of block names or
selectors set in one call, an enumeration given by its label), or, for AppendAttributes, ParaView's behaviour
around VTK's filter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.util.vtkConstants import VTK_POLY_DATA, VTK_UNSTRUCTURED_GRID
from vtkmodules.vtkCommonDataModel import vtkDataObject
from vtkmodules.vtkCommonExecutionModel import vtkAlgorithm
from vtkmodules.vtkFiltersCore import vtkAppendDataSets
from vtkmodules.vtkFiltersExtraction import vtkExtractBlockUsingDataAssembly
from vtkmodules.vtkFiltersGeneral import vtkGroupDataSetsFilter, vtkMergeArrays
from vtkmodules.vtkFiltersParallel import vtkMergeBlocks

from pvcore.errors import PipelineError
from pvserver.pipeline.context import Context

#: ParaView's labels of OutputDataSetType -> VTK's data type ids.
OUTPUT_DATASET_TYPES = {"Polygonal Mesh": VTK_POLY_DATA, "Unstructured Grid": VTK_UNSTRUCTURED_GRID}
#: GroupDatasets' OutputType labels -> VTK's data type ids.
GROUP_OUTPUT_TYPES = {"vtkMultiBlockDataSet": 13, "vtkPartitionedDataSet": 37, "vtkPartitionedDataSetCollection": 38}


def _id_of(table: dict[str, int], label: str, what: str) -> int:
    try:
        return table[label]
    except KeyError:  # the session checks enums: this is a definition and an adapter out of step
        raise PipelineError(f"{what} must be one of {', '.join(table)}, not {label!r}.") from None


class GroupDatasetsFilter(vtkGroupDataSetsFilter):
    """vtkGroupDataSetsFilter with ParaView's BlockNames (one name per input, in order) and OutputType."""

    def __init__(self) -> None:
        super().__init__()
        self.SetOutputType(GROUP_OUTPUT_TYPES["vtkMultiBlockDataSet"])  # VTK's default is a partitioned collection

    def SetBlockNames(self, *names: str) -> None:  # noqa: N802 - a VTK setter
        self.ClearInputNames()
        for index, name in enumerate(names):
            self.SetInputName(index, name)

    def SetOutputTypeName(self, label: str) -> None:  # noqa: N802
        self.SetOutputType(_id_of(GROUP_OUTPUT_TYPES, label, "OutputType"))


class MergeBlocksFilter(vtkMergeBlocks):
    """vtkMergeBlocks with ParaView's OutputDataSetType by label."""

    def SetOutputDataSetTypeName(self, label: str) -> None:  # noqa: N802
        self.SetOutputDataSetType(_id_of(OUTPUT_DATASET_TYPES, label, "OutputDataSetType"))


class AppendDatasetsFilter(vtkAppendDataSets):
    """vtkAppendDataSets with ParaView's OutputDataSetType by label."""

    def SetOutputDataSetTypeName(self, label: str) -> None:  # noqa: N802
        self.SetOutputDataSetType(_id_of(OUTPUT_DATASET_TYPES, label, "OutputDataSetType"))


class ExtractBlockFilter(vtkExtractBlockUsingDataAssembly):
    """vtkExtractBlockUsingDataAssembly with ParaView's Selectors: every selector path in one call."""

    def SetSelectors(self, *selectors: str) -> None:  # noqa: N802
        self.ClearSelectors()
        for selector in selectors:
            self.AddSelector(selector)


class AppendAttributesFilter(VTKPythonAlgorithmBase):
    """vtkMergeArrays over every input of port 0, and ParaView's pass-through of a single input (VTK's filter
    wants two or more)."""

    def __init__(self) -> None:
        super().__init__(nInputPorts=1, nOutputPorts=1, outputType="vtkDataObject")

    def FillInputPortInformation(self, port: int, info: Any) -> int:  # noqa: N802 - VTK's override
        info.Set(vtkAlgorithm.INPUT_REQUIRED_DATA_TYPE(), "vtkDataObject")
        info.Set(vtkAlgorithm.INPUT_IS_REPEATABLE(), 1)
        return 1

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        first = vtkDataObject.GetData(in_info[0], 0)
        output = vtkDataObject.GetData(out_info, 0)
        if first is not None and (output is None or output.GetClassName() != first.GetClassName()):
            out_info.GetInformationObject(0).Set(vtkDataObject.DATA_OBJECT(), first.NewInstance())
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        inputs = [vtkDataObject.GetData(in_info[0], i) for i in range(in_info[0].GetNumberOfInformationObjects())]
        output = vtkDataObject.GetData(out_info, 0)
        if len(inputs) == 1:
            output.ShallowCopy(inputs[0])
            return 1
        merge = vtkMergeArrays()
        for data in inputs:
            merge.AddInputData(data)
        merge.Update()
        output.ShallowCopy(merge.GetOutputDataObject(0))
        return 1


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "GroupDatasetsFilter": lambda _context: GroupDatasetsFilter(),
    "MergeBlocksFilter": lambda _context: MergeBlocksFilter(),
    "AppendDatasetsFilter": lambda _context: AppendDatasetsFilter(),
    "ExtractBlockFilter": lambda _context: ExtractBlockFilter(),
    "AppendAttributesFilter": lambda _context: AppendAttributesFilter(),
}
