"""VTK-side adapters of the Stream Tracer (pvcore/definitions/filters_common_flow.py): the tracer, which traces
through the whole vector field on rank 0, and the Point Cloud seeds, the same random points at every update.

ParaView traces across ranks with vtkPStreamTracer and a VTK controller, which this VTK build lacks; gathering
the field's pieces on rank 0 gives the streamlines one rank computes, at the cost of rank 0 holding the whole
input while it traces.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonCore import vtkMinimalStandardRandomSequence
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkDataSet, vtkDataSetAttributes, vtkPolyData
from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
from vtkmodules.vtkFiltersFlowPaths import vtkStreamTracer
from vtkmodules.vtkFiltersSources import vtkPointSource

from pvserver.pipeline.context import ASSOCIATION_IDS, Context
from pvserver.pipeline.gathering import gather_on_rank_0

#: ParaView's labels of IntegrationStepUnit -> vtkStreamTracer's units (LENGTH_UNIT, CELL_LENGTH_UNIT).
STEP_UNITS = {"Length": 1, "Cell Length": 2}
#: The seed of the Point Cloud's random points.
POINT_CLOUD_SEED = 1


class PointCloudSeeds(vtkPointSource):
    """ParaView's Point Cloud seeds (vtkPointSource), whose random points are the same at every update and on every
    rank: its random sequence starts again from one seed whenever it runs."""

    def __init__(self) -> None:
        super().__init__()
        sequence = vtkMinimalStandardRandomSequence()
        self.SetRandomSequence(sequence)
        self.AddObserver("StartEvent", lambda _obj, _event: sequence.SetSeed(POINT_CLOUD_SEED))


class StreamTracerAdapter(VTKPythonAlgorithmBase):
    """vtkStreamTracer with ParaView's properties: the field on port 0, the seeds (its SeedType) on port 1.

    On several ranks the field's pieces are gathered on rank 0, which traces every seed through the whole field;
    the other ranks' output is empty. Every rank asks for all the seeds (only rank 0 uses them)."""

    collective = True  # its RequestData takes part in collectives: see RankExecutor.update

    def __init__(self, comm: Any) -> None:
        super().__init__(nInputPorts=2, inputType="vtkDataSet", nOutputPorts=1, outputType="vtkPolyData")
        self.comm = comm
        self.tracer = vtkStreamTracer()
        self.tracer.SetIntegrationStepUnit(STEP_UNITS["Cell Length"])
        self.vectors = ""
        self.errors: list[Exception] = []

    def SetVectors(self, association: str, name: str) -> None:  # noqa: N802 - the definitions' setters
        self.vectors = name
        if name:
            self.tracer.SetInputArrayToProcess(0, 0, 0, ASSOCIATION_IDS[association], name)
        else:  # the input's active point vectors
            self.tracer.SetInputArrayToProcess(0, 0, 0, 0, vtkDataSetAttributes.VECTORS)
        self.Modified()

    def SetInterpolatorType(self, index: int) -> None:  # noqa: N802
        """0: interpolate with a point locator, 1: with a cell locator (ParaView's labels' order)."""
        with warnings.catch_warnings():  # VTK 9.7 deprecates the choice by number; its meaning is unchanged
            warnings.simplefilter("ignore", DeprecationWarning)
            self.tracer.SetInterpolatorType(index)
        self.Modified()

    def SetIntegrationStepUnit(self, label: str) -> None:  # noqa: N802
        self.tracer.SetIntegrationStepUnit(STEP_UNITS[label])
        self.Modified()

    def RequestUpdateExtent(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        seeds = in_info[1].GetInformationObject(0)
        if seeds is not None:
            seeds.Set(Sddp.UPDATE_PIECE_NUMBER(), 0)
            seeds.Set(Sddp.UPDATE_NUMBER_OF_PIECES(), 1)
            seeds.Set(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS(), 0)
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        field = vtkDataSet.GetData(in_info[0])
        seeds = vtkDataObject.GetData(in_info[1])
        output = vtkPolyData.GetData(out_info)
        try:
            if self.comm is not None and self.comm.Get_size() > 1:
                active = field.GetPointData().GetVectors() if field is not None else None
                field = gather_on_rank_0(self.comm, field, "trace streamlines")
                if field is None:  # not rank 0: the streamlines are there
                    output.Initialize()
                    return 1
                if active is not None and field.GetPointData().GetVectors() is None:  # merging drops it
                    field.GetPointData().SetActiveVectors(active.GetName())
            if seeds is None or field is None or field.GetNumberOfPoints() == 0:
                output.Initialize()
                return 1
            self.tracer.SetInputData(field)
            self.tracer.SetSourceData(seeds)
            self.tracer.Update()
            output.ShallowCopy(self.tracer.GetOutput())
            return 1
        except Exception as exc:  # the executor reports it with this rank's number
            self.errors.append(exc)
            return 0


def _forwarded(name: str) -> Callable[..., None]:
    def setter(self: StreamTracerAdapter, *values: Any) -> None:
        getattr(self.tracer, name)(*values)
        self.Modified()

    setter.__name__ = name
    return setter


for _name in (
    "SetIntegrationDirection",
    "SetIntegratorType",
    "SetInitialIntegrationStep",
    "SetMinimumIntegrationStep",
    "SetMaximumIntegrationStep",
    "SetMaximumNumberOfSteps",
    "SetMaximumPropagation",
    "SetTerminalSpeed",
    "SetMaximumError",
    "SetComputeVorticity",
):
    setattr(StreamTracerAdapter, _name, _forwarded(_name))


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "StreamTracerAdapter": lambda context: StreamTracerAdapter(context.comm),
    "PointCloudSeeds": lambda _context: PointCloudSeeds(),
}
