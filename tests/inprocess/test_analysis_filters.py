"""The Data Analysis filters (pvcore/definitions/filters_analysis.py) through ``simple`` on the built-in session:
ParaView 5.11's names and defaults, and the same output as the VTK algorithm run here on the same input.

The expected defaults are those ParaView 5.11's pvpython prints for the same filters on a Wavelet (its proxy XML:
ProbeLine in parallel_diy_filters.xml; ProbePoint, IntegrateAttributes, ReflectionFilter in
filters_filtersparallel.xml; MinMax, ExtractHistogram in misc_filters.xml; ResampleToImage, ResampleWithDataset in
filters_filterscore.xml; Gradient in general_filters.xml). The 3-rank versions: tests/multiprocess/
test_analysis_parallel.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkFiltersCore import (
    vtkElevationFilter,
    vtkPointDataToCellData,
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

from pvcore.errors import PipelineError, PropertyError, ResourceLimitError

pytestmark = pytest.mark.timeout(60)

_LOCAL = vtkDummyController()  # VTK's parallel filters on this process alone (kept: they hold no reference)

# ParaView 5.11's defaults, as its pvpython prints them.
PLOT_OVER_LINE = {
    "SamplingPattern": "Sample Uniformly", "Resolution": 1000, "PassPartialArrays": 1, "PassCellArrays": 0,
    "PassPointArrays": 0, "PassFieldArrays": 1, "ComputeTolerance": 1, "Tolerance": 2.220446049250313e-16,
}  # fmt: skip
HISTOGRAM = {
    "BinCount": 10, "Component": 0, "CalculateAverages": 0, "Normalize": 0, "UseCustomBinRanges": 0,
    "CenterBinsAroundMinAndMax": 0,
}  # fmt: skip
RESAMPLE_WITH_DATASET = {
    "CategoricalData": 0, "PassCellArrays": 0, "PassPointArrays": 0, "PassFieldArrays": 1, "PassPartialArrays": 0,
    "ComputeTolerance": 1, "MarkBlankPointsAndCells": 0, "SnapToCellWithClosestPoint": 0,
}  # fmt: skip
GRADIENT = {
    "ComputeGradient": 1, "ResultArrayName": "Gradient", "FasterApproximation": 0, "ComputeDivergence": 0,
    "DivergenceArrayName": "Divergence", "ComputeVorticity": 0, "VorticityArrayName": "Vorticity",
    "ComputeQCriterion": 0, "QCriterionArrayName": "Q Criterion", "ContributingCellOption": "Dataset Max",
    "ReplacementValueOption": "NaN",
}  # fmt: skip


def _defaults(proxy: object, expected: dict[str, object]) -> None:
    for name, value in expected.items():
        assert getattr(proxy, name) == (pytest.approx(value) if isinstance(value, (float, list)) else value), name


def _run(algorithm: object, *inputs: object) -> object:
    for port, source in enumerate(inputs):
        algorithm.SetInputConnection(port, source.GetOutputPort())
    algorithm.Update()
    return algorithm.GetOutputDataObject(0)


def _wavelet() -> object:
    return vtkRTAnalyticSource()


def _elevated_sphere(radius: float = 5.0, resolution: int = 16) -> object:
    sphere = vtkSphereSource()
    sphere.SetRadius(radius)
    sphere.SetThetaResolution(resolution)
    sphere.SetPhiResolution(resolution)
    sphere.Update()
    bounds = sphere.GetOutput().GetBounds()
    elevation = vtkElevationFilter()  # ParaView's defaults: the input's corners
    elevation.SetLowPoint(bounds[0], bounds[2], bounds[4])
    elevation.SetHighPoint(bounds[1], bounds[3], bounds[5])
    elevation.SetInputConnection(sphere.GetOutputPort())
    elevation.source = sphere  # a connection alone does not keep the producer alive
    return elevation


def _same(proxy: object, data: object, *arrays: str, cells: tuple[str, ...] = ()) -> None:
    """Counts, bounds and the ranges of some point (and cell) arrays agree with what VTK made."""
    info = proxy.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (data.GetNumberOfPoints(), data.GetNumberOfCells())
    assert list(info.GetBounds()) == pytest.approx(list(data.GetBounds()), abs=1e-9)
    for name in arrays:  # a vector's range is that of its magnitude
        array = data.GetPointData().GetArray(name)
        expected = array.GetRange(-1 if array.GetNumberOfComponents() > 1 else 0)
        known = info.PointData[name]
        assert (known.GetRange(-1) if known.GetNumberOfComponents() > 1 else known.GetRange()) == pytest.approx(
            expected
        ), name
    for name in cells:
        assert info.CellData[name].GetRange() == pytest.approx(data.GetCellData().GetArray(name).GetRange()), name


# -------------------------------------------------------------------------------------------- Plot Over Line


def _probe_line(point1: tuple, point2: tuple, pattern: int = 2, resolution: int = 1000) -> object:
    line = vtkLineSource()
    line.SetPoint1(*point1)
    line.SetPoint2(*point2)
    probe = vtkProbeLineFilter()
    probe.SetController(_LOCAL)
    probe.SetSamplingPattern(pattern)
    probe.SetLineResolution(resolution)
    probe.SetPassPartialArrays(1)  # ParaView's default: NaN where no cell holds the point
    wavelet = _wavelet()
    probe.SetInputConnection(wavelet.GetOutputPort())
    probe.SetSourceConnection(line.GetOutputPort())
    probe.Update()
    return probe.GetOutput()


def test_plot_over_line(simple) -> None:
    plot = simple.PlotOverLine(Input=simple.Wavelet())
    _defaults(plot, PLOT_OVER_LINE)
    assert (plot.Point1, plot.Point2) == ([-10.0] * 3, [10.0] * 3)  # the corners of the input's bounds
    ref = _probe_line((-10, -10, -10), (10, 10, 10))
    _same(plot, ref, "RTData", "arc_length", "vtkValidPointMask")
    assert plot.GetDataInformation().GetNumberOfPoints() == 1001
    plot.SamplingPattern = "Sample At Cell Boundaries"
    _same(plot, _probe_line((-10, -10, -10), (10, 10, 10), pattern=0), "RTData", "arc_length")
    plot.SamplingPattern = "Sample At Segment Centers"
    _same(plot, _probe_line((-10, -10, -10), (10, 10, 10), pattern=1), "RTData", "arc_length")


def test_plot_over_line_partly_outside_the_data(simple) -> None:
    plot = simple.PlotOverLine(Input=simple.Wavelet(), Point1=[-20, 0, 0], Point2=[5, 3, 1], Resolution=50)
    ref = _probe_line((-20, 0, 0), (5, 3, 1), resolution=50)
    _same(plot, ref, "RTData", "vtkValidPointMask")
    mask = simple.Fetch(plot).GetPointData().GetArray("vtkValidPointMask")
    assert np.array_equal(vtk_to_numpy(mask), vtk_to_numpy(ref.GetPointData().GetArray("vtkValidPointMask")))


# --------------------------------------------------------------------------------------------- Probe Location


def _probe_point(centre: tuple) -> object:
    points = vtkPointSource()
    points.SetCenter(*centre)
    points.SetNumberOfPoints(1)
    points.SetRadius(0.0)
    return _run(vtkProbeFilter(), points, _wavelet())


def test_probe_location(simple) -> None:
    probe = simple.ProbeLocation(Input=simple.Wavelet())
    assert probe.ProbeType.GetXMLName() == "FixedRadiusPointSource"
    assert (probe.ProbeType.Center, probe.ProbeType.NumberOfPoints, probe.ProbeType.Radius) == ([0.0] * 3, 1, 0.0)
    assert (probe.PassFieldArrays, probe.ComputeTolerance) == (1, 1)
    probe.ProbeType.Center = [1.3, 2.1, -3.3]
    ref = _probe_point((1.3, 2.1, -3.3))
    _same(probe, ref, "RTData", "vtkValidPointMask")
    assert probe.PointData["RTData"].GetRange()[0] == pytest.approx(236.1439208984375)  # what ParaView 5.11 prints
    probe.ProbeType.Center = [30.0, 0.0, 0.0]  # outside the data: found nowhere
    assert probe.PointData["vtkValidPointMask"].GetRange() == (0.0, 0.0)


# ------------------------------------------------------------------------------------- Integrate Variables


def test_integrate_variables(simple) -> None:
    sphere = simple.Sphere(Radius=5.0, ThetaResolution=16, PhiResolution=16)
    elevation = simple.Elevation(Input=sphere)
    integral = simple.IntegrateVariables(Input=elevation)
    assert integral.DivideCellDataByVolume == 0
    ref = _run(vtkIntegrateAttributes(), _elevated_sphere())
    _same(integral, ref, "Elevation", "Normals", cells=("Area",))
    assert integral.GetDataInformation().GetDataSetTypeAsString() == "vtkUnstructuredGrid"
    volume = simple.IntegrateVariables(Input=simple.Wavelet())
    assert volume.CellData["Volume"].GetRange() == (8000.0, 8000.0)
    assert volume.PointData["RTData"].GetRange()[0] == pytest.approx(1276757.6806497574)  # ParaView 5.11's value


def test_integrate_variables_divides_cell_data_by_the_volume(simple) -> None:
    cells = simple.PointDatatoCellData(Input=simple.Wavelet())
    integral = simple.IntegrateVariables(Input=cells, DivideCellDataByVolume=1)
    wavelet, to_cells = _wavelet(), vtkPointDataToCellData()
    to_cells.SetInputConnection(wavelet.GetOutputPort())
    integrate = vtkIntegrateAttributes()
    integrate.SetDivideAllCellDataByVolume(1)
    ref = _run(integrate, to_cells)
    _same(integral, ref, cells=("RTData", "Volume"))


# ------------------------------------------------------------------------------------------------- MinMax


def test_min_max(simple) -> None:
    wavelet = simple.Wavelet()
    values = vtk_to_numpy(_run(_wavelet()).GetPointData().GetArray("RTData"))
    minmax = simple.MinMax(Input=wavelet)
    assert minmax.Operation == "MIN"
    for operation, expected in (("MIN", values.min()), ("MAX", values.max()), ("SUM", values.sum(dtype=np.float32))):
        minmax.Operation = operation
        info = minmax.GetDataInformation()
        assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (1, 1)
        assert info.PointData["RTData"].GetRange()[0] == pytest.approx(float(expected), rel=1e-6), operation
    with pytest.raises(PropertyError, match="Operation"):
        minmax.Operation = "MEAN"


def test_min_max_as_python_pv_simple_sphere_uses_it(simple) -> None:
    """ParaView's PythonPVSimpleSphere.py: the minimum of an elevated sphere's arrays, fetched."""
    elevation = simple.Elevation(Input=simple.Sphere(PhiResolution=20, ThetaResolution=20))
    data = simple.Fetch(simple.MinMax(Input=elevation, Operation="MIN"))
    assert data.GetPointData().GetNumberOfArrays() == 2  # Normals and Elevation
    array = data.GetPointData().GetArray("Elevation")
    assert array.GetNumberOfTuples() == 1
    assert array.GetTuple1(0) == pytest.approx(
        _run(_elevated_sphere(0.5, 20)).GetPointData().GetArray("Elevation").GetRange()[0]
    )
    assert f"{array.GetNumberOfTuples()} {array.GetTuple1(0):f}" == "1 0.213312"  # what ParaView 5.11 prints


# ---------------------------------------------------------------------------------------------- Histogram


def _histogram(source: object, array: str, **settings: object) -> object:
    histogram = vtkExtractHistogram()
    histogram.SetInputArrayToProcess(0, 0, 0, 0, array)
    for name, value in settings.items():
        getattr(histogram, f"Set{name}")(*(value if isinstance(value, tuple) else (value,)))
    return _run(histogram, source)


def _columns(table: object) -> dict[str, np.ndarray]:
    return {table.GetColumnName(i): vtk_to_numpy(table.GetColumn(i)) for i in range(table.GetNumberOfColumns())}


def _same_table(proxy: object, reference: object, simple) -> None:
    got, expected = _columns(simple.Fetch(proxy)), _columns(reference)
    assert set(got) == set(expected)
    for name, values in expected.items():
        assert got[name] == pytest.approx(values), name


def test_histogram(simple) -> None:
    histogram = simple.Histogram(Input=simple.Wavelet())
    _defaults(histogram, HISTOGRAM)
    assert histogram.SelectInputArray == ["POINTS", "RTData"]
    assert histogram.GetDataInformation().GetDataSetTypeAsString() == "vtkTable"
    _same_table(histogram, _histogram(_wavelet(), "RTData"), simple)
    counts = _columns(simple.Fetch(histogram))["bin_values"]
    assert list(counts) == [72, 404, 1077, 1681, 1938, 1632, 1168, 797, 409, 83]  # ParaView 5.11's counts
    histogram.BinCount = 7
    histogram.CenterBinsAroundMinAndMax = 1
    _same_table(histogram, _histogram(_wavelet(), "RTData", BinCount=7, CenterBinsAroundMinAndMax=1), simple)
    histogram.UseCustomBinRanges = 1
    histogram.CustomBinRanges = [100.0, 200.0]
    histogram.Normalize = 1
    ref = _histogram(
        _wavelet(), "RTData", BinCount=7, CenterBinsAroundMinAndMax=1, UseCustomBinRanges=1,
        CustomBinRanges=(100.0, 200.0), Normalize=1,
    )  # fmt: skip
    _same_table(histogram, ref, simple)
    with pytest.raises(PropertyError, match="BinCount"):
        histogram.BinCount = 300  # ParaView's range is [1, 256]


def test_histogram_of_a_component_and_averages(simple) -> None:
    elevation = simple.Elevation(Input=simple.Sphere(Radius=5.0, ThetaResolution=16, PhiResolution=16))
    histogram = simple.Histogram(Input=elevation, SelectInputArray=["POINTS", "Normals"], Component=2, BinCount=5)
    _same_table(histogram, _histogram(_elevated_sphere(), "Normals", Component=2, BinCount=5), simple)
    gradient = simple.Gradient(Input=simple.Wavelet())
    magnitude = simple.Histogram(Input=gradient, SelectInputArray=["POINTS", "Gradient"], Component=3)  # magnitude
    wavelet, ref = _wavelet(), vtkGradientFilter()
    ref.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    ref.SetResultArrayName("Gradient")
    ref.SetInputConnection(wavelet.GetOutputPort())
    _same_table(magnitude, _histogram(ref, "Gradient", Component=3), simple)
    with pytest.raises(PipelineError, match="Component 3 is none of them"):
        histogram.Component = 3
        histogram.SelectInputArray = ["POINTS", "Elevation"]
        histogram.GetDataInformation()
    histogram.Component = 0
    histogram.CalculateAverages = 1
    ref = _histogram(_elevated_sphere(), "Elevation", BinCount=5, CalculateAverages=1)
    got = _columns(simple.Fetch(histogram))
    for name in ("bin_extents", "bin_values"):
        assert got[name] == pytest.approx(_columns(ref)[name]), name
    for name in ("Normals_total", "Normals_average"):  # the other arrays, per bin
        assert got[name] == pytest.approx(_columns(ref)[name]), name


# ---------------------------------------------------------------------------------------------- resampling


def test_resample_to_image(simple) -> None:
    resample = simple.ResampleToImage(Input=simple.Wavelet())
    assert (resample.UseInputBounds, resample.SamplingDimensions) == (1, [100, 100, 100])
    resample.SamplingDimensions = [6, 7, 8]
    ref = vtkResampleToImage()
    ref.SetSamplingDimensions(6, 7, 8)
    ref.SetController(_LOCAL)
    data = _run(ref, _wavelet())
    _same(resample, data, "RTData", "vtkValidPointMask")
    fetched = simple.Fetch(resample)
    assert fetched.GetOrigin() == pytest.approx(data.GetOrigin()) and fetched.GetSpacing() == pytest.approx(
        data.GetSpacing()
    )
    assert vtk_to_numpy(fetched.GetPointData().GetArray("RTData")) == pytest.approx(
        vtk_to_numpy(data.GetPointData().GetArray("RTData"))
    )
    resample.UseInputBounds = 0
    resample.SamplingBounds = [-5, 15, -5, 5, 0, 0]  # partly outside the data; a plane
    ref.SetUseInputBounds(0)
    ref.SetSamplingBounds(-5, 15, -5, 5, 0, 0)
    _same(resample, _run(ref, _wavelet()), "RTData", "vtkValidPointMask")


def test_resample_with_dataset(simple) -> None:
    wavelet = simple.Wavelet()
    sphere = simple.Sphere(Radius=5.0, ThetaResolution=16, PhiResolution=16)
    resample = simple.ResampleWithDataset(SourceDataArrays=wavelet, DestinationMesh=sphere)
    _defaults(resample, RESAMPLE_WITH_DATASET)
    destination = vtkSphereSource()
    destination.SetRadius(5.0)
    destination.SetThetaResolution(16)
    destination.SetPhiResolution(16)
    ref = vtkResampleWithDataSet()
    ref.SetMarkBlankPointsAndCells(0)
    _same(resample, _run(ref, destination, _wavelet()), "RTData", "vtkValidPointMask")
    resample.PassPointArrays = 1
    ref.SetPassPointArrays(1)
    _same(resample, _run(ref, destination, _wavelet()), "RTData", "Normals")


# ------------------------------------------------------------------------------------- Gradient and Reflect


def test_gradient(simple) -> None:
    gradient = simple.Gradient(Input=simple.Wavelet())
    _defaults(gradient, GRADIENT)
    assert gradient.ScalarArray == ["POINTS", "RTData"]
    ref = vtkGradientFilter()
    ref.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    ref.SetResultArrayName("Gradient")
    _same(gradient, _run(ref, _wavelet()), "Gradient")
    assert gradient.PointData["Gradient"].GetRange(0) == pytest.approx((-15.3538818359375, 34.85784912109375))
    vorticity = simple.Gradient(
        Input=gradient, ScalarArray=["POINTS", "Gradient"], ComputeDivergence=1, ComputeVorticity=1,
        ComputeQCriterion=1, ResultArrayName="Hessian",
    )  # fmt: skip
    second = vtkGradientFilter()
    second.SetInputArrayToProcess(0, 0, 0, 0, "Gradient")
    second.SetResultArrayName("Hessian")
    for name in ("ComputeDivergence", "ComputeVorticity", "ComputeQCriterion"):
        getattr(second, f"Set{name}")(1)
    second.SetDivergenceArrayName("Divergence")
    second.SetVorticityArrayName("Vorticity")
    second.SetQCriterionArrayName("Q Criterion")
    _same(vorticity, _run(second, ref), "Hessian", "Divergence", "Vorticity", "Q Criterion")


def test_reflect(simple) -> None:
    elevation = simple.Elevation(Input=simple.Sphere(Radius=5.0, ThetaResolution=16, PhiResolution=16))
    reflect = simple.Reflect(Input=elevation)
    assert (reflect.Plane, reflect.Center, reflect.CopyInput, reflect.FlipAllInputArrays) == ("X Min", 0.0, 1, 1)
    ref = vtkReflectionFilter()
    _same(reflect, _run(ref, _elevated_sphere()), "Elevation", "Normals")
    reflect.Plane = "Z Max"
    reflect.CopyInput = 0
    ref.SetPlaneToZMax()
    ref.SetCopyInput(0)
    _same(reflect, _run(ref, _elevated_sphere()), "Elevation", "Normals")
    reflect.Plane = "Y"
    reflect.Center = 7.0
    ref.SetPlaneToY()
    ref.SetCenter(7.0)
    _same(reflect, _run(ref, _elevated_sphere()), "Elevation")
    assert reflect.GetDataInformation().GetBounds()[2] == pytest.approx(9.0 + 0.02739, abs=1e-4)


def test_samplings_too_large_for_the_budget_are_refused(simple) -> None:
    wavelet = simple.Wavelet()
    with pytest.raises(ResourceLimitError, match="SamplingDimensions"):
        simple.ResampleToImage(Input=wavelet, SamplingDimensions=[100_000, 100_000, 100_000])
    with pytest.raises(ResourceLimitError, match="Resolution"):
        simple.PlotOverLine(Input=wavelet, Resolution=2_000_000_000)


def test_an_empty_input_gives_vtk_s_empty_results(simple) -> None:
    wavelet = simple.Wavelet()
    nothing = simple.Threshold(Input=wavelet, Scalars=["POINTS", "RTData"], LowerThreshold=1000, UpperThreshold=2000)
    made = {
        "IntegrateVariables": (1, 1), "MinMax": (1, 1), "ProbeLocation": (1, 1), "Histogram": (0, 0),
        "PlotOverLine": (0, 0), "ResampleToImage": (0, 0), "Gradient": (0, 0), "Reflect": (0, 0),
    }  # fmt: skip
    for name, (points, cells) in made.items():
        info = getattr(simple, name)(Input=nothing).GetDataInformation()
        assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (points, cells), name
