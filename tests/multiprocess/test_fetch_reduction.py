"""``servermanager.Fetch(input, arg1, arg2)`` on a 3-rank server: the helpers run where the data is, only their
result travels, and it is what VTK computes on the whole dataset in this process."""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.numpy_interface import dataset_adapter as dsa
from vtkmodules.vtkFiltersCore import vtkElevationFilter
from vtkmodules.vtkFiltersGeneral import vtkShrinkFilter
from vtkmodules.vtkFiltersSources import vtkSphereSource

from pvclient.properties import NotSupportedException

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(90)]

LOW, HIGH = (0.0, 0.0, -0.5), (0.0, 0.0, 0.5)


@pytest.fixture
def remote(simple_state, server3):
    simple_state.Connect(server3.url)
    assert simple_state.GetActiveConnection().GetNumberOfDataPartitions() == 3
    return simple_state


def elevated_sphere(theta: int, shrink: bool) -> object:
    """Elevation (and Shrink) of the whole sphere, by VTK here."""
    source = vtkSphereSource()
    source.SetThetaResolution(theta)
    elevation = vtkElevationFilter()
    elevation.SetInputConnection(source.GetOutputPort())
    elevation.SetLowPoint(*LOW)
    elevation.SetHighPoint(*HIGH)
    last = elevation
    if shrink:
        last = vtkShrinkFilter()
        last.SetInputConnection(elevation.GetOutputPort())
    last.Update()
    return last.GetOutput()


def test_local_helpers_on_three_ranks(remote) -> None:
    servermanager = remote.servermanager
    sphere = remote.Sphere(ThetaResolution=24)
    before = len(remote.GetSources())
    data = servermanager.Fetch(
        sphere, servermanager.filters.Elevation(LowPoint=LOW, HighPoint=HIGH), servermanager.filters.Shrink()
    )
    reference = elevated_sphere(24, shrink=True)
    assert data.GetNumberOfCells() == reference.GetNumberOfCells()
    assert data.GetBounds() == pytest.approx(reference.GetBounds())
    mine = np.asarray(dsa.WrapDataObject(data).PointData["Elevation"])
    theirs = np.asarray(dsa.WrapDataObject(reference).PointData["Elevation"])
    assert (mine.min(), mine.max()) == pytest.approx((theirs.min(), theirs.max()))
    assert len(remote.GetSources()) == before  # the temporary filters are gone


@pytest.mark.parametrize(("operation", "reduce"), [("MIN", np.min), ("MAX", np.max), ("SUM", np.sum)])
def test_min_max_reduction_over_all_ranks(remote, operation: str, reduce) -> None:
    """PythonPVSimpleSphere's and ProgrammableFilter's use: one row, the reduction over every rank's points."""
    servermanager = remote.servermanager
    if "MinMax" not in dir(servermanager.filters):
        pytest.skip("this server offers no MinMax filter")
    sphere = remote.Sphere(ThetaResolution=24)
    elevation = remote.Elevation(Input=sphere, LowPoint=LOW, HighPoint=HIGH)
    helper = servermanager.filters.MinMax(Operation=operation)
    data = servermanager.Fetch(elevation, helper, helper)
    values = np.asarray(dsa.WrapDataObject(elevated_sphere(24, shrink=False)).PointData["Elevation"])
    assert data.GetPointData().GetArray("Elevation").GetNumberOfTuples() == 1
    result = data.GetPointData().GetArray("Elevation").GetTuple1(0)
    assert result == pytest.approx(float(reduce(values)), rel=1e-6, abs=1e-9)


def test_one_ranks_piece_is_refused_with_what_to_use(remote) -> None:
    sphere = remote.Sphere()
    with pytest.raises(NotSupportedException, match="merged over its 3 ranks"):
        remote.servermanager.Fetch(sphere, 1)
