"""Files of the named readers' tests (tests/*/test_named_readers*.py) that tests/data_io_datasets.py does not
write: an Exodus file with several time steps, and .pvd collections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

#: The times of the Exodus file's steps; at each, the point array T is 10 * time + the point's index.
EXODUS_TIMES = (0.0, 0.5, 1.5)


def write_temporal_exodus(path: Path) -> None:
    """A 2 x 2 x 2 cell grid over EXODUS_TIMES, with the point array T that changes with time."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
    from vtkmodules.vtkCommonDataModel import vtkDataObject
    from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
    from vtkmodules.vtkFiltersCore import vtkAppendFilter
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
    from vtkmodules.vtkIOExodus import vtkExodusIIWriter

    class Temporal(VTKPythonAlgorithmBase):
        def __init__(self) -> None:
            super().__init__(nInputPorts=0, nOutputPorts=1, outputType="vtkUnstructuredGrid")

        def RequestInformation(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
            info = out_info.GetInformationObject(0)
            info.Set(Sddp.TIME_STEPS(), EXODUS_TIMES, len(EXODUS_TIMES))
            info.Set(Sddp.TIME_RANGE(), [EXODUS_TIMES[0], EXODUS_TIMES[-1]], 2)
            return 1

        def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
            info = out_info.GetInformationObject(0)
            time = info.Get(Sddp.UPDATE_TIME_STEP()) if info.Has(Sddp.UPDATE_TIME_STEP()) else 0.0
            source = vtkRTAnalyticSource()
            source.SetWholeExtent(0, 2, 0, 2, 0, 2)
            grid = vtkAppendFilter()
            grid.SetInputConnection(source.GetOutputPort())
            grid.Update()
            out = vtkDataObject.GetData(out_info)
            out.ShallowCopy(grid.GetOutput())
            values = numpy_to_vtk(10.0 * time + np.arange(out.GetNumberOfPoints(), dtype=float), deep=True)
            values.SetName("T")
            out.GetPointData().AddArray(values)
            out.GetInformation().Set(vtkDataObject.DATA_TIME_STEP(), time)
            return 1

    source = Temporal()  # kept while the writer runs
    writer = vtkExodusIIWriter()
    writer.SetInputConnection(source.GetOutputPort())
    writer.WriteAllTimeStepsOn()
    writer.SetFileName(str(path))
    assert writer.Write(), f"VTK could not write {path}"


def exodus_range_at(path: Path, step: int) -> tuple[float, float]:
    """The range of T at time step ``step`` of the file, as VTK's reader reads it here."""
    from vtkmodules.vtkIOExodus import vtkExodusIIReader

    reader = vtkExodusIIReader()
    reader.SetFileName(str(path))
    reader.UpdateInformation()
    reader.SetAllArrayStatus(reader.NODAL, 1)
    reader.SetTimeStep(step)
    reader.Update()
    return reader.GetOutput().GetBlock(0).GetBlock(0).GetPointData().GetArray("T").GetRange()


def write_pvd(path: Path, datasets: list[str], times: list[float] | tuple[float, ...]) -> None:
    """A .pvd file listing ``datasets`` (names relative to its folder) at ``times``."""
    lines = "".join(f'<DataSet timestep="{t}" file="{name}"/>' for name, t in zip(datasets, times, strict=True))
    path.write_text(f'<VTKFile type="Collection" version="0.1"><Collection>{lines}</Collection></VTKFile>')
