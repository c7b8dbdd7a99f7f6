"""The filters of pvcore/definitions/filters_surface.py through ``simple`` on the built-in session: ParaView's
defaults, and the same output as the plain VTK algorithm run here with ParaView's settings.

The expected defaults are ParaView's, from its proxy definitions in Kitware/ParaView,
Remoting/Application/Resources: filters_filtersparallel.xml (SurfaceNormals, labelled "Generate Surface Normals"
before 6.0, whose properties it keeps; MaskPoints), filters_filterscore.xml (DecimatePro "Decimate",
SmoothPolyDataFilter "Smooth", TubeFilter "Tube", Delaunay2D, Delaunay3D, FeatureEdges) and
filters_filtersgeneral.xml (WarpScalar "Warp By Scalar", WarpVector "Warp By Vector").
``paraview.simple`` names a property by its label without spaces (Number of Iterations: NumberofIterations).
"""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersCore import (
    vtkDecimatePro,
    vtkDelaunay2D,
    vtkDelaunay3D,
    vtkElevationFilter,
    vtkFeatureEdges,
    vtkMaskPoints,
    vtkSmoothPolyDataFilter,
    vtkTubeFilter,
)
from vtkmodules.vtkFiltersGeneral import vtkWarpScalar, vtkWarpVector
from vtkmodules.vtkFiltersParallel import vtkPPolyDataNormals
from vtkmodules.vtkFiltersSources import (
    vtkConeSource,
    vtkLineSource,
    vtkPlaneSource,
    vtkSphereSource,
)
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

from pvcore.errors import PropertyError, ResourceLimitError
from pvcore.messages import ProxyState
from pvserver.pipeline import budget, catalogue

pytestmark = pytest.mark.timeout(60)


def _vtk(algorithm: object, source: object | None = None, **values: object) -> object:
    """Run a VTK algorithm on ``source``'s output with ``Set<Name>(value)`` for each of ``values``; the algorithm."""
    if source is not None:
        algorithm.SetInputConnection(source.GetOutputPort())
    for name, value in values.items():
        getattr(algorithm, f"Set{name}")(*(value if isinstance(value, (tuple, list)) else (value,)))
    algorithm.Update()
    return algorithm


def _sphere(theta: int = 8, phi: int = 8) -> object:
    return _vtk(vtkSphereSource(), ThetaResolution=theta, PhiResolution=phi)


def _same_output(proxy: object, algorithm: object) -> None:
    data = algorithm.GetOutputDataObject(0)
    info = proxy.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (data.GetNumberOfPoints(), data.GetNumberOfCells())
    if data.GetNumberOfPoints():
        assert list(info.GetBounds()) == pytest.approx(list(data.GetBounds()), abs=1e-6)


def _defaults(proxy: object, expected: dict[str, object]) -> None:
    for name, value in expected.items():
        got = getattr(proxy, name)
        assert got == (pytest.approx(value) if isinstance(value, (float, list)) else value), name


# ParaView's defaults, property by property (the XML's default_values, enum labels for enumerations).
NORMALS = {
    "FeatureAngle": 30.0, "Splitting": 1, "Consistency": 1, "FlipNormals": 0, "NonManifoldTraversal": 1,
    "ComputeCellNormals": 0, "PieceInvariant": 1,
}  # fmt: skip
DECIMATE = {"TargetReduction": 0.9, "PreserveTopology": 0, "FeatureAngle": 15.0, "BoundaryVertexDeletion": 1}
SMOOTH = {"NumberofIterations": 20, "Convergence": 0.0}
TUBE = {
    "NumberofSides": 6, "Capping": 1, "VaryRadius": "Off", "RadiusFactor": 10.0, "UseDefaultNormal": 0,
    "DefaultNormal": [0.0, 0.0, 1.0],
}  # fmt: skip
DELAUNAY_2D = {"Alpha": 0.0, "Tolerance": 1e-5, "Offset": 1.0, "BoundingTriangulation": 0}
DELAUNAY_3D = {
    "Alpha": 0.0, "Tolerance": 0.001, "Offset": 2.5, "BoundingTriangulation": 0, "AlphaTets": 1, "AlphaTris": 1,
    "AlphaLines": 0, "AlphaVerts": 0,
}  # fmt: skip
FEATURE_EDGES = {
    "BoundaryEdges": 1, "FeatureEdges": 1, "NonManifoldEdges": 1, "ManifoldEdges": 0, "Coloring": 0,
    "FeatureAngle": 30.0,
}  # fmt: skip
WARP_BY_SCALAR = {"ScaleFactor": 1.0, "Normal": [0.0, 0.0, 1.0], "UseNormal": 0, "XYPlane": 0, "GenerateEnclosure": 0}
MASK_POINTS = {
    "OnRatio": 2, "MaximumNumberofPoints": 5000, "Offset": 0, "RandomSampling": 0,
    "RandomSamplingMode": "Randomized Id Strides", "GenerateVertices": 0, "SingleVertexPerCell": 0,
}  # fmt: skip


def test_generate_surface_normals(simple) -> None:
    cone = simple.Cone(Resolution=12)  # sharp edges at the base: Splitting duplicates points there
    normals = simple.GenerateSurfaceNormals(Input=cone)
    _defaults(normals, NORMALS)
    ref = _vtk(vtkPPolyDataNormals(), _vtk(vtkConeSource(), Resolution=12), **NORMALS)
    _same_output(normals, ref)
    assert normals.GetDataInformation().GetNumberOfPoints() > cone.GetDataInformation().GetNumberOfPoints()
    got = normals.PointData["Normals"].GetRange(-1)
    assert got == pytest.approx(ref.GetOutput().GetPointData().GetArray("Normals").GetRange(-1))
    assert "Normals" not in normals.CellData
    normals.Splitting = 0
    normals.ComputeCellNormals = 1
    ref = _vtk(vtkPPolyDataNormals(), _vtk(vtkConeSource(), Resolution=12), **{**NORMALS, "Splitting": 0})
    _same_output(normals, ref)
    assert "Normals" in normals.CellData


def test_generate_surface_normals_needs_polygonal_input(simple) -> None:
    normals = simple.GenerateSurfaceNormals(Input=simple.Wavelet())
    with pytest.raises(Exception, match="vtkPolyData"):
        normals.GetDataInformation().GetNumberOfPoints()


def test_decimate(simple) -> None:
    decimate = simple.Decimate(Input=simple.Sphere(ThetaResolution=32, PhiResolution=32))
    _defaults(decimate, DECIMATE)
    _same_output(decimate, _vtk(vtkDecimatePro(), _sphere(32, 32), **DECIMATE))
    decimate.TargetReduction = 0.5
    decimate.PreserveTopology = 1
    _same_output(decimate, _vtk(vtkDecimatePro(), _sphere(32, 32), **{**DECIMATE, "TargetReduction": 0.5,
                                                                       "PreserveTopology": 1}))  # fmt: skip
    with pytest.raises(PropertyError, match="TargetReduction"):
        decimate.TargetReduction = 1.5  # ParaView's range is [0, 1]


def test_smooth(simple) -> None:
    smooth = simple.Smooth(Input=simple.Cone(Resolution=16))
    _defaults(smooth, SMOOTH)
    _same_output(smooth, _vtk(vtkSmoothPolyDataFilter(), _vtk(vtkConeSource(), Resolution=16),
                              NumberOfIterations=20, Convergence=0.0))  # fmt: skip
    smooth.NumberofIterations = 200
    _same_output(smooth, _vtk(vtkSmoothPolyDataFilter(), _vtk(vtkConeSource(), Resolution=16),
                              NumberOfIterations=200, Convergence=0.0))  # fmt: skip


def _tube_reference(source: object, **changed: object) -> object:
    settings = {
        "NumberOfSides": 6, "Capping": 1, "Radius": 1.0, "VaryRadius": 0, "RadiusFactor": 10.0, "UseDefaultNormal": 0,
        "DefaultNormal": (0.0, 0.0, 1.0), **changed,
    }  # fmt: skip
    return _vtk(vtkTubeFilter(), source, **settings)


def test_tube(simple) -> None:
    line = simple.Line(Resolution=10)
    tube = simple.Tube(Input=line)
    _defaults(tube, TUBE)
    assert tube.Radius == 1.0  # ParaView's fixed default (its bounds domain would make it 1% of the extent)
    _same_output(tube, _tube_reference(_vtk(vtkLineSource(), Resolution=10)))
    tube.NumberofSides = 20
    tube.Capping = 0
    tube.Radius = 0.05
    _same_output(tube, _tube_reference(_vtk(vtkLineSource(), Resolution=10), NumberOfSides=20, Capping=0, Radius=0.05))
    with pytest.raises(PropertyError, match="NumberofSides"):
        tube.NumberofSides = 2  # ParaView's range starts at 3


def test_tube_varies_its_radius_by_a_scalar(simple) -> None:
    elevation = simple.Elevation(Input=simple.Line(Resolution=10), LowPoint=[-0.5, 0, 0], HighPoint=[0.5, 0, 0])
    tube = simple.Tube(Input=elevation, Radius=0.1, VaryRadius="By Scalar")
    assert tube.Scalars == ["POINTS", "Elevation"]  # ParaView's array domain: the first point scalar array
    elevated = _vtk(vtkElevationFilter(), _vtk(vtkLineSource(), Resolution=10), LowPoint=(-0.5, 0, 0),
                    HighPoint=(0.5, 0, 0))  # fmt: skip
    _same_output(tube, _tube_reference(elevated, Radius=0.1, VaryRadius=1))  # the active scalars: Elevation
    plain = _tube_reference(elevated, Radius=0.1).GetOutput().GetBounds()
    assert tube.GetDataInformation().GetBounds()[3] > plain[3] + 0.1  # the far end is fatter


def test_a_tube_too_large_for_the_budget_is_refused(simple) -> None:
    line = simple.Line(Resolution=100_000)
    with pytest.raises(ResourceLimitError, match="NumberofSides"):
        simple.Tube(Input=line, NumberofSides=10**8)


def test_delaunay_2d(simple) -> None:
    delaunay = simple.Delaunay2D(Input=simple.Plane(XResolution=10, YResolution=7))
    _defaults(delaunay, DELAUNAY_2D)
    ref = _vtk(vtkDelaunay2D(), _vtk(vtkPlaneSource(), XResolution=10, YResolution=7), **DELAUNAY_2D)
    _same_output(delaunay, ref)
    assert delaunay.GetDataInformation().GetNumberOfCells() == 2 * 10 * 7
    with pytest.raises(PropertyError, match="Offset"):
        delaunay.Offset = 0.5  # ParaView's range starts at 0.75


def test_delaunay_3d(simple) -> None:
    delaunay = simple.Delaunay3D(Input=simple.Sphere(ThetaResolution=16, PhiResolution=16))
    _defaults(delaunay, DELAUNAY_3D)
    ref = _vtk(vtkDelaunay3D(), _sphere(16, 16), **DELAUNAY_3D)
    _same_output(delaunay, ref)
    assert delaunay.GetDataInformation().GetDataSetTypeAsString() == "vtkUnstructuredGrid"
    delaunay.Alpha = 0.2
    _same_output(delaunay, _vtk(vtkDelaunay3D(), _sphere(16, 16), **{**DELAUNAY_3D, "Alpha": 0.2}))


def test_feature_edges(simple) -> None:
    edges = simple.FeatureEdges(Input=simple.Cone(Resolution=12))
    _defaults(edges, FEATURE_EDGES)
    _same_output(edges, _vtk(vtkFeatureEdges(), _vtk(vtkConeSource(), Resolution=12), **FEATURE_EDGES))
    assert "Edge Types" not in edges.CellData  # Coloring is off in ParaView (on in VTK)
    edges.ManifoldEdges = 1
    edges.Coloring = 1
    changed = {**FEATURE_EDGES, "ManifoldEdges": 1, "Coloring": 1}
    _same_output(edges, _vtk(vtkFeatureEdges(), _vtk(vtkConeSource(), Resolution=12), **changed))
    assert "Edge Types" in edges.CellData


def _mask_reference(theta: int, phi: int, **changed: object) -> object:
    settings = {"OnRatio": 2, "MaximumNumberOfPoints": 5000, "Offset": 0, "RandomMode": 0, "RandomModeType": 0,
                "GenerateVertices": 0, "SingleVertexPerCell": 0, **changed}  # fmt: skip
    return _vtk(vtkMaskPoints(), _sphere(theta, phi), **settings)


def test_mask_points(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=32, PhiResolution=32)
    mask = simple.MaskPoints(Input=sphere)
    _defaults(mask, MASK_POINTS)
    _same_output(mask, _mask_reference(32, 32))
    assert mask.GetDataInformation().GetNumberOfCells() == 0  # no vertices unless GenerateVertices
    mask.GenerateVertices = 1
    mask.OnRatio = 5
    mask.MaximumNumberofPoints = 50
    _same_output(mask, _mask_reference(32, 32, GenerateVertices=1, OnRatio=5, MaximumNumberOfPoints=50))
    info = mask.GetDataInformation()
    assert info.GetNumberOfPoints() <= 51 and info.GetNumberOfCells() == 1  # VTK's count; one poly-vertex


def _warp_scalar_reference(source: object, array: str, **changed: object) -> object:
    warp = vtkWarpScalar()
    warp.SetInputArrayToProcess(0, 0, 0, 0, array)
    settings = {"ScaleFactor": 1.0, "Normal": (0.0, 0.0, 1.0), "UseNormal": 0, "XYPlane": 0, "GenerateEnclosure": 0}
    return _vtk(warp, source, **{**settings, **changed})


def test_warp_by_scalar(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=16, PhiResolution=16)
    elevation = simple.Elevation(Input=sphere, LowPoint=[0, 0, -0.5], HighPoint=[0, 0, 0.5])
    warp = simple.WarpByScalar(Input=elevation)
    _defaults(warp, WARP_BY_SCALAR)
    assert warp.Scalars == ["POINTS", "Elevation"]  # ParaView's array domain: the first point scalar array
    elevated = _vtk(vtkElevationFilter(), _sphere(16, 16), LowPoint=(0, 0, -0.5), HighPoint=(0, 0, 0.5))
    _same_output(warp, _warp_scalar_reference(elevated, "Elevation"))  # along the sphere's normals
    warp.UseNormal = 1
    warp.ScaleFactor = 2.0
    _same_output(warp, _warp_scalar_reference(elevated, "Elevation", UseNormal=1, ScaleFactor=2.0))


def test_warp_by_scalar_makes_an_image_a_structured_grid(simple) -> None:
    warp = simple.WarpByScalar(Input=simple.Wavelet(), ScaleFactor=0.01)
    assert warp.Scalars == ["POINTS", "RTData"]
    wavelet = _vtk(vtkRTAnalyticSource(), WholeExtent=(-10, 10, -10, 10, -10, 10))
    _same_output(warp, _warp_scalar_reference(wavelet, "RTData", ScaleFactor=0.01))
    assert warp.GetDataInformation().GetDataSetTypeAsString() == "vtkStructuredGrid"


def test_warp_by_vector(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=16, PhiResolution=16)
    unset = simple.WarpByVector(Input=sphere)
    assert (unset.Vectors, unset.ScaleFactor) == (["POINTS", ""], 1.0)  # the active point vectors: none here
    _same_output(unset, _vtk(vtkWarpVector(), _sphere(16, 16)))
    warp = simple.WarpByVector(Input=sphere, Vectors=["POINTS", "Normals"], ScaleFactor=0.5)
    ref = vtkWarpVector()
    ref.SetInputArrayToProcess(0, 0, 0, 0, "Normals")
    _same_output(warp, _vtk(ref, _sphere(16, 16), ScaleFactor=0.5))
    assert warp.GetDataInformation().GetBounds()[5] == pytest.approx(1.0)  # radius 0.5 + 0.5 along the normals


# ------------------------------------------------------------------------------------------ size rules


def _state(gid: int, type_name: str, group: str = "filters", **values: object) -> ProxyState:
    spec = catalogue.get(group, type_name)
    given = {k: v if isinstance(v, tuple) else (v,) for k, v in values.items()}
    return ProxyState(gid, group, type_name, f"{type_name}{gid}", {**spec.defaults(), **given})


def test_the_size_rules_hold_for_what_vtk_makes() -> None:
    """Tube and Delaunay 2D: upper bounds; Delaunay 3D: an estimate within a small factor; Warp: coordinates."""
    line = _state(1, "Line", "sources", Resolution=1000)
    tube = budget.estimate(_state(2, "Tube", Input=1, NumberofSides=24), {1: line})
    made = _tube_reference(_vtk(vtkLineSource(), Resolution=1000), NumberOfSides=24).GetOutput()
    assert made.GetNumberOfPoints() <= tube.points <= 2 * made.GetNumberOfPoints()
    assert made.GetNumberOfCells() <= tube.cells and made.GetActualMemorySize() * 1024 <= tube.bytes
    plane = _state(1, "Plane", "sources", XResolution=50, YResolution=40)
    flat = budget.estimate(_state(2, "Delaunay2D", Input=1), {1: plane})
    made = _vtk(vtkDelaunay2D(), _vtk(vtkPlaneSource(), XResolution=50, YResolution=40)).GetOutput()
    assert made.GetNumberOfCells() <= flat.cells <= 1.1 * made.GetNumberOfCells()
    sphere = _state(1, "Sphere", "sources", ThetaResolution=64, PhiResolution=64)
    solid = budget.estimate(_state(2, "Delaunay3D", Input=1), {1: sphere})
    made = _vtk(vtkDelaunay3D(), _sphere(64, 64), Tolerance=0.001, Offset=2.5).GetOutput()
    assert 0.2 < made.GetNumberOfCells() / solid.cells < 2.0
    wavelet = _state(1, "Wavelet", "sources")
    warped = budget.estimate(_state(2, "WarpByScalar", Input=1), {1: wavelet})
    made = _warp_scalar_reference(_vtk(vtkRTAnalyticSource(), WholeExtent=(-10, 10, -10, 10, -10, 10)), "RTData")
    assert made.GetOutput().GetActualMemorySize() * 1024 <= 1.2 * warped.bytes
