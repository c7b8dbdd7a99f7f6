"""The Data Analysis filters on a 3-rank server give the 1-rank results: what VTK computes in this process on the
whole dataset (integrals, min/max/sum, histogram counts, probed values, resampled images), although each rank
holds only a piece and a probe point may lie in another rank's piece.

Point counts on several ranks include the points that neighbouring pieces share, so outputs split among the ranks
are compared by cells, bounds and ranges, and fetched (merged) where the values matter point by point.
"""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkCommonExecutionModel import vtkTrivialProducer
from vtkmodules.vtkFiltersCore import (
    vtkElevationFilter,
    vtkProbeFilter,
    vtkResampleToImage,
    vtkResampleWithDataSet,
)
from vtkmodules.vtkFiltersGeneral import vtkGradientFilter, vtkReflectionFilter
from vtkmodules.vtkFiltersParallel import vtkIntegrateAttributes
from vtkmodules.vtkFiltersParallelDIY2 import vtkProbeLineFilter
from vtkmodules.vtkFiltersSources import vtkLineSource, vtkPointSource, vtkSphereSource
from vtkmodules.vtkFiltersStatistics import vtkExtractHistogram
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkParallelCore import vtkDummyController

from pvcore.errors import PVError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

_LOCAL = vtkDummyController()  # VTK's parallel filters on this process alone (kept: they hold no reference)


@pytest.fixture
def simple(simple_state, server3):
    simple_state.Connect(server3.url)
    return simple_state


# ------------------------------------------------------------------------------------------ 1-rank references


class Whole:
    """The test's datasets, whole, made by VTK in this process (each keeps its producers alive)."""

    def __init__(self) -> None:
        self.wavelet = vtkRTAnalyticSource()
        self.sphere = vtkSphereSource()
        self.sphere.SetRadius(5.0)
        self.sphere.SetThetaResolution(16)
        self.sphere.SetPhiResolution(16)
        self.sphere.Update()
        bounds = self.sphere.GetOutput().GetBounds()
        self.elevation = vtkElevationFilter()  # ParaView's defaults: the input's corners
        self.elevation.SetLowPoint(bounds[0], bounds[2], bounds[4])
        self.elevation.SetHighPoint(bounds[1], bounds[3], bounds[5])
        self.elevation.SetInputConnection(self.sphere.GetOutputPort())
        self.kept: list[object] = []

    def run(self, algorithm: object, *inputs: object) -> object:
        self.kept.append(algorithm)
        for port, source in enumerate(inputs):
            algorithm.SetInputConnection(port, source.GetOutputPort())
        algorithm.Update()
        return algorithm.GetOutputDataObject(0)


def _sphere_pipeline(simple) -> object:
    return simple.Elevation(Input=simple.Sphere(Radius=5.0, ThetaResolution=16, PhiResolution=16))


def _values(data: object, name: str) -> np.ndarray:
    return vtk_to_numpy(data.GetPointData().GetArray(name))


def _range(info: object, name: str, cells: bool = False) -> tuple[float, float]:
    array = (info.CellData if cells else info.PointData)[name]
    return array.GetRange(-1) if array.GetNumberOfComponents() > 1 else array.GetRange()


def _vtk_range(data: object, name: str, cells: bool = False) -> tuple[float, float]:
    array = (data.GetCellData() if cells else data.GetPointData()).GetArray(name)
    return array.GetRange(-1 if array.GetNumberOfComponents() > 1 else 0)


# -------------------------------------------------------------------------------------------- probes


def test_plot_over_line_crosses_every_rank(simple) -> None:
    whole = Whole()
    plot = simple.PlotOverLine(Input=simple.Wavelet(), Point1=[-10, -9, -8], Point2=[10, 9, 7], Resolution=200)
    for index, pattern in enumerate(("Sample At Cell Boundaries", "Sample At Segment Centers", "Sample Uniformly")):
        plot.SamplingPattern = pattern
        line = vtkLineSource()
        line.SetPoint1(-10, -9, -8)
        line.SetPoint2(10, 9, 7)
        probe = vtkProbeLineFilter()
        probe.SetController(_LOCAL)
        probe.SetSamplingPattern(index)
        probe.SetLineResolution(200)
        probe.SetPassPartialArrays(1)
        probe.SetSourceConnection(line.GetOutputPort())
        ref = whole.run(probe, whole.wavelet)
        info = plot.GetDataInformation()
        assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (ref.GetNumberOfPoints(), 1), pattern
        assert info.GetNumberOfPartitions() == 1  # the one result, on rank 0
        fetched = simple.Fetch(plot)
        for name in ("RTData", "arc_length", "vtkValidPointMask"):
            assert _values(fetched, name) == pytest.approx(_values(ref, name), nan_ok=True), (pattern, name)
        assert vtk_to_numpy(fetched.GetPoints().GetData()) == pytest.approx(vtk_to_numpy(ref.GetPoints().GetData()))


def _probe_reference(whole: Whole, points: object) -> object:
    return whole.run(vtkProbeFilter(), points, whole.wavelet)


def test_probe_location_finds_points_in_any_rank_s_piece(simple) -> None:
    whole = Whole()
    probe = simple.ProbeLocation(Input=simple.Wavelet())
    for centre in ([1.3, 2.1, -3.3], [-9.5, -9.5, -9.5], [9.2, 9.9, 9.7], [0.0, -7.25, 8.5]):
        probe.ProbeType.Center = centre
        point = vtkPointSource()
        point.SetCenter(*centre)
        point.SetNumberOfPoints(1)
        point.SetRadius(0.0)
        expected = _values(_probe_reference(whole, point), "RTData")[0]
        info = probe.GetDataInformation()
        assert (info.GetNumberOfPoints(), info.GetNumberOfPartitions()) == (1, 1), centre
        assert info.PointData["RTData"].GetRange()[0] == pytest.approx(float(expected)), centre
        assert info.PointData["vtkValidPointMask"].GetRange() == (1.0, 1.0), centre
    probe.ProbeType.Center = [30.0, 0.0, 0.0]
    assert probe.PointData["vtkValidPointMask"].GetRange() == (0.0, 0.0)


def test_probe_location_of_a_point_cloud(simple) -> None:
    whole = Whole()
    probe = simple.ProbeLocation(Input=simple.Wavelet(), ProbeType="FixedRadiusPointSource")
    probe.ProbeType.NumberOfPoints = 40
    probe.ProbeType.Radius = 9.0
    fetched = simple.Fetch(probe)
    assert fetched.GetNumberOfPoints() == 40  # rank 0's cloud, probed in every rank's piece
    ref = _probe_reference(whole, _points_of(fetched))
    assert _values(fetched, "RTData") == pytest.approx(_values(ref, "RTData"))
    assert list(_values(fetched, "vtkValidPointMask")) == list(_values(ref, "vtkValidPointMask"))


def _points_of(data: object) -> object:
    """A trivial producer of ``data``'s points, as the probe's input."""
    points, cloud, producer = vtkPoints(), vtkPolyData(), vtkTrivialProducer()
    points.DeepCopy(data.GetPoints())
    cloud.SetPoints(points)
    producer.SetOutput(cloud)
    return producer


# ------------------------------------------------------------------------------------------ reductions


def test_integrals_are_those_of_the_whole(simple) -> None:
    whole = Whole()
    volume = simple.IntegrateVariables(Input=simple.Wavelet())
    ref = whole.run(vtkIntegrateAttributes(), whole.wavelet)
    info = volume.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells(), info.GetNumberOfPartitions()) == (1, 1, 1)
    assert _range(info, "Volume", cells=True) == pytest.approx(_vtk_range(ref, "Volume", cells=True))
    assert _range(info, "RTData") == pytest.approx(_vtk_range(ref, "RTData"))
    area = simple.IntegrateVariables(Input=_sphere_pipeline(simple))
    ref = whole.run(vtkIntegrateAttributes(), whole.elevation)
    assert _range(area.GetDataInformation(), "Area", cells=True) == pytest.approx(_vtk_range(ref, "Area", cells=True))
    assert _range(area.GetDataInformation(), "Elevation") == pytest.approx(_vtk_range(ref, "Elevation"))
    assert list(area.GetDataInformation().GetBounds()) == pytest.approx(list(ref.GetBounds()), abs=1e-6)
    length = simple.IntegrateVariables(Input=simple.Line(Resolution=10))  # rank 0 alone holds a piece
    assert length.CellData["Length"].GetRange() == pytest.approx((1.0, 1.0))
    assert length.GetDataInformation().GetBounds() == pytest.approx((0.0, 0.0, 0.0, 0.0, 0.0, 0.0))


def test_min_max_and_sum_over_all_ranks(simple) -> None:
    whole = Whole()
    values = _values(whole.run(vtkElevationFilter(), whole.wavelet), "RTData")
    minmax = simple.MinMax(Input=simple.Wavelet())
    for operation, expected in (("MIN", values.min()), ("MAX", values.max()), ("SUM", values.sum(dtype=np.float64))):
        minmax.Operation = operation
        data = simple.Fetch(minmax)
        assert data.GetNumberOfPoints() == 1, operation
        assert _values(data, "RTData")[0] == pytest.approx(float(expected), rel=1e-6), operation


def _counts(table: object) -> list[float]:
    return list(vtk_to_numpy(table.GetColumn(1)))


def test_histogram_counts_every_value_once(simple) -> None:
    whole = Whole()
    histogram = simple.Histogram(Input=simple.Wavelet(), BinCount=12)
    ref = vtkExtractHistogram()
    ref.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    ref.SetBinCount(12)
    expected = whole.run(ref, whole.wavelet)
    table = simple.Fetch(histogram)
    assert _counts(table) == _counts(expected)  # the planes of points that pieces share count once
    assert vtk_to_numpy(table.GetColumn(0)) == pytest.approx(vtk_to_numpy(expected.GetColumn(0)))
    assert histogram.GetDataInformation().GetDataSetTypeAsString() == "vtkTable"
    on_sphere = simple.Histogram(Input=_sphere_pipeline(simple), BinCount=7)  # pieces share a meridian and the poles
    ref = vtkExtractHistogram()
    ref.SetInputArrayToProcess(0, 0, 0, 0, "Elevation")
    ref.SetBinCount(7)
    assert _counts(simple.Fetch(on_sphere)) == _counts(whole.run(ref, whole.elevation))


def test_a_rank_that_fails_stops_the_others_without_a_hang(simple) -> None:
    line = simple.Elevation(Input=simple.Line(Resolution=10))  # rank 0 alone holds the line
    histogram = simple.Histogram(Input=line, Component=5)
    with pytest.raises(PVError, match="Component 5"):
        histogram.GetDataInformation()
    histogram.Component = 0
    assert sum(_counts(simple.Fetch(histogram))) == 11  # the same server goes on


# ------------------------------------------------------------------------------------------ resampling


def test_resample_to_image_spans_all_the_data(simple) -> None:
    whole = Whole()
    resample = simple.ResampleToImage(Input=_sphere_pipeline(simple), SamplingDimensions=[9, 8, 7])
    wavelet_image = simple.ResampleToImage(Input=simple.Wavelet(), SamplingDimensions=[9, 8, 7])
    for proxy, source, name in ((resample, whole.elevation, "Elevation"), (wavelet_image, whole.wavelet, "RTData")):
        ref_filter = vtkResampleToImage()
        ref_filter.SetController(_LOCAL)
        ref_filter.SetSamplingDimensions(9, 8, 7)
        ref = whole.run(ref_filter, source)
        info = proxy.GetDataInformation()
        assert info.GetNumberOfCells() == ref.GetNumberOfCells() and info.GetNumberOfPartitions() > 1
        assert list(info.GetBounds()) == pytest.approx(list(ref.GetBounds()))
        fetched = simple.Fetch(proxy)
        assert fetched.GetExtent() == ref.GetExtent()
        for array in (name, "vtkValidPointMask"):
            assert _values(fetched, array) == pytest.approx(_values(ref, array)), array


def test_resample_with_dataset_finds_the_source_on_other_ranks(simple) -> None:
    whole = Whole()
    resample = simple.ResampleWithDataset(SourceDataArrays=simple.Wavelet(), DestinationMesh=_sphere_pipeline(simple))
    ref_filter = vtkResampleWithDataSet()
    ref_filter.SetMarkBlankPointsAndCells(0)
    ref = whole.run(ref_filter, whole.elevation, whole.wavelet)
    info = resample.GetDataInformation()
    assert info.GetNumberOfCells() == ref.GetNumberOfCells()
    assert _range(info, "RTData") == pytest.approx(_vtk_range(ref, "RTData"))
    assert _range(info, "vtkValidPointMask") == (1.0, 1.0)  # every point of the sphere lies in some rank's piece
    fetched = simple.Fetch(resample)
    assert np.sort(_values(fetched, "RTData"))[[0, -1]] == pytest.approx(np.sort(_values(ref, "RTData"))[[0, -1]])


# ------------------------------------------------------------------------------------- Gradient and Reflect


def test_gradient_has_no_seams(simple) -> None:
    whole = Whole()
    gradient = simple.Gradient(Input=simple.Wavelet())
    ref_filter = vtkGradientFilter()
    ref_filter.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    ref_filter.SetResultArrayName("Gradient")
    ref = whole.run(ref_filter, whole.wavelet)
    info = gradient.GetDataInformation()
    assert info.GetNumberOfCells() == ref.GetNumberOfCells()
    assert _range(info, "Gradient") == pytest.approx(_vtk_range(ref, "Gradient"))
    fetched = simple.Fetch(gradient)  # each rank's piece got a ghost layer: no one-sided differences inside
    assert _values(fetched, "Gradient") == pytest.approx(_values(ref, "Gradient"), abs=1e-4)


def test_reflect_at_the_bounds_of_all_the_data(simple) -> None:
    whole = Whole()
    reflect = simple.Reflect(Input=_sphere_pipeline(simple), Plane="X Min")
    ref = whole.run(vtkReflectionFilter(), whole.elevation)
    info = reflect.GetDataInformation()
    assert info.GetNumberOfCells() == ref.GetNumberOfCells()
    assert list(info.GetBounds()) == pytest.approx(list(ref.GetBounds()), abs=1e-6)  # each piece's own xmin would not
    reflect.Plane = "Y Max"
    mirror = vtkReflectionFilter()
    mirror.SetPlaneToYMax()
    assert list(reflect.GetDataInformation().GetBounds()) == pytest.approx(
        list(whole.run(mirror, whole.elevation).GetBounds()), abs=1e-6
    )
