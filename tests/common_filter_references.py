"""What plain VTK computes in the test process for the Common filters (tests/inprocess/test_common_filters.py and
tests/multiprocess/test_common_parallel.py), and how a proxy's output is compared with it."""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersCore import vtkAppendPolyData, vtkArrayCalculator, vtkCleanPolyData
from vtkmodules.vtkFiltersFlowPaths import vtkStreamTracer
from vtkmodules.vtkFiltersParallelDIY2 import vtkOverlappingCellsDetector
from vtkmodules.vtkFiltersSources import vtkCylinderSource, vtkLineSource, vtkSphereSource
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

from pvserver.pipeline.adapters_streamlines import PointCloudSeeds

#: The vector field of the stream tracer tests: a swirl about z with a drift along it, so that streamlines cross
#: the whole Wavelet (and, on several ranks, the ranks' pieces).
FIELD = "coordsY*iHat - coordsX*jHat + 0.1*kHat"


def vtk_run(algorithm: object, source: object | None = None, **values: object) -> object:
    """Run ``algorithm`` on ``source``'s output with ``Set<Name>(value)`` for each of ``values``; the algorithm."""
    if source is not None:
        algorithm.SetInputConnection(source.GetOutputPort())
    for name, value in values.items():
        getattr(algorithm, f"Set{name}")(*(value if isinstance(value, (tuple, list)) else (value,)))
    algorithm.Update()
    return algorithm


def wavelet() -> object:
    """ParaView's default Wavelet (extent -10..10 on each axis)."""
    return vtk_run(vtkRTAnalyticSource())


def vector_field() -> object:
    """The Wavelet with the point vectors V = FIELD, as the project's Calculator makes them."""
    source = wavelet()  # held: an output port dies with its algorithm
    calculator = vtkArrayCalculator()
    calculator.SetInputConnection(source.GetOutputPort())
    for axis, name in enumerate(("coordsX", "coordsY", "coordsZ")):
        calculator.AddCoordinateScalarVariable(name, axis)
    calculator.SetFunction(FIELD)
    calculator.SetResultArrayName("V")
    calculator.Update()
    return calculator


def streamlines_reference(seed_type: str, **settings: object) -> object:
    """vtkStreamTracer with ParaView's defaults on the vector field, seeded as the tracer's ``seed_type`` (Line
    from the lowest corner to the highest, or PointCloud about the centre), with ``settings`` of the seeds
    (NumberOfPoints, Radius, Resolution) and of the tracer (VTK's setter names)."""
    seed_names = {"NumberOfPoints", "Radius", "Resolution"}
    if seed_type == "Line":
        seed_settings = {"Point1": (-10.0,) * 3, "Point2": (10.0,) * 3}
        seeds = vtkLineSource()
    else:
        seed_settings = {"Center": (0.0, 0.0, 0.0), "Radius": 2.0}
        seeds = PointCloudSeeds()
    seed_settings.update({k: v for k, v in settings.items() if k in seed_names})
    vtk_run(seeds, **seed_settings)
    tracer, field = vtkStreamTracer(), vector_field()
    tracer.SetInputConnection(field.GetOutputPort())
    tracer.SetSourceConnection(seeds.GetOutputPort())
    tracer.SetInputArrayToProcess(0, 0, 0, 0, "V")
    defaults = {
        "IntegrationDirection": 2, "IntegratorType": 2, "IntegrationStepUnit": 2, "InitialIntegrationStep": 0.2,
        "MinimumIntegrationStep": 0.01, "MaximumIntegrationStep": 0.5, "MaximumNumberOfSteps": 2000,
        "MaximumPropagation": 20.0, "TerminalSpeed": 1e-12, "MaximumError": 1e-6, "ComputeVorticity": 1,
    }  # fmt: skip
    defaults.update({k: v for k, v in settings.items() if k not in seed_names})
    return vtk_run(tracer, **defaults)


def clean_reference(source: str, **settings: object) -> object:
    """vtkCleanPolyData (ParaView's defaults, changed by ``settings``) on a default Cylinder or Sphere."""
    shape = vtkCylinderSource() if source == "cylinder" else vtkSphereSource()
    return vtk_run(vtkCleanPolyData(), vtk_run(shape), **settings)


def same_output(proxy: object, algorithm: object, arrays: tuple[str, ...] = (), points: bool = True) -> None:
    """The proxy's data information has the algorithm's output's cell count, bounds and the ranges of ``arrays``
    (point arrays, else cell arrays), and its point count unless ``points`` is false (on several ranks, where the
    points the ranks' pieces share count once per piece)."""
    data = algorithm.GetOutputDataObject(0)
    info = proxy.GetDataInformation()
    assert info.GetNumberOfCells() == data.GetNumberOfCells()
    if points:
        assert info.GetNumberOfPoints() == data.GetNumberOfPoints()
    if data.GetNumberOfPoints():
        assert list(info.GetBounds()) == pytest.approx(list(data.GetBounds()), abs=1e-6)
    for name in arrays:
        array = data.GetPointData().GetArray(name)
        got = proxy.PointData[name] if array is not None else proxy.CellData[name]
        array = array if array is not None else data.GetCellData().GetArray(name)
        assert got.GetRange(-1 if array.GetNumberOfComponents() > 1 else 0) == pytest.approx(
            array.GetRange(-1 if array.GetNumberOfComponents() > 1 else 0), rel=1e-6, abs=1e-9
        ), name


def overlaps_reference() -> object:
    """Two overlapping spheres in one surface, with each cell's count of the cells it overlaps (plain VTK)."""
    append = vtkAppendPolyData()
    append.spheres = [vtk_run(vtkSphereSource(), Center=c) for c in ((0.0, 0.0, 0.0), (0.3, 0.0, 0.0))]  # kept alive
    for sphere in append.spheres:
        append.AddInputConnection(sphere.GetOutputPort())
    detector = vtk_run(vtkOverlappingCellsDetector(), append)
    detector.append = append
    return detector
