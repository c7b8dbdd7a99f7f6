"""The filters of pvcore/definitions/filters_more.py and filters_more_arrays.py through ``simple`` on the built-in
session: ParaView 5.11's defaults, and the same output as the plain VTK algorithm run here on the same input
(tests/more_filter_references.py holds the cases).

The expected defaults are what ParaView 5.11's ``paraview.simple`` reports for a new proxy (its XML's
default_values, enum labels for enumerations); a default that ParaView computes from the input's bounds (Ribbon's
Width, Texture Map to Cylinder's points) is the XML's here.
"""

from __future__ import annotations

import pytest
from more_filter_references import CASES, build, reference
from vtkmodules.util.numpy_support import vtk_to_numpy

from pvcore import sizes
from pvcore.errors import PVError
from pvserver.pipeline import catalogue

pytestmark = pytest.mark.timeout(60)


def same_output(proxy: object, algorithm: object, arrays: tuple[str, ...] = (), points: bool = True) -> None:
    """The proxy's cell count, bounds and array ranges (point arrays, else cell arrays) are the algorithm's, and
    its point count unless ``points`` is false."""
    data = algorithm.GetOutputDataObject(0)
    info = proxy.GetDataInformation()
    assert info.GetNumberOfCells() == data.GetNumberOfCells()
    if points:
        assert info.GetNumberOfPoints() == data.GetNumberOfPoints()
    assert data.GetNumberOfPoints() > 0  # a case that compares nothing proves nothing
    assert list(info.GetBounds()) == pytest.approx(list(data.GetBounds()), abs=1e-6)
    for name in arrays:
        array = data.GetPointData().GetArray(name)
        got = proxy.PointData[name] if array is not None else proxy.CellData[name]
        array = array if array is not None else data.GetCellData().GetArray(name)
        component = -1 if array.GetNumberOfComponents() > 1 else 0
        assert got.GetRange(component) == pytest.approx(array.GetRange(component), rel=1e-6, abs=1e-9), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_vtk_on_the_same_input(simple, name: str) -> None:
    case = CASES[name]
    same_output(build(simple, name), reference(case), case.arrays)


DEFAULTS = {
    "OutlineCorners": {"CornerFactor": 0.2},
    "ProcessIdScalars": {"RandomMode": 0, "CellScalars": 0},
    "LinearExtrusion": {"ScaleFactor": 1.0, "Vector": [0.0, 0.0, 1.0], "Capping": 1},
    "RotationalExtrusion": {
        "Resolution": 12, "Capping": 1, "Angle": 360.0, "Translation": 0.0, "DeltaRadius": 0.0,
        "RotationAxis": [0.0, 0.0, 1.0],
    },
    "Ribbon": {"Angle": 0.0, "UseDefaultNormal": 0, "DefaultNormal": [0.0, 0.0, 1.0], "VaryWidth": 0},
    "TriangleStrips": {"MaximumLength": 1000},
    "LoopSubdivision": {"NumberofSubdivisions": 1},
    "Subdivide": {"NumberofSubdivisions": 1},
    "QuadricClustering": {
        "NumberofDimensions": [50, 50, 50], "UseInputPoints": 1, "UseFeatureEdges": 0, "UseFeaturePoints": 0,
        "CopyCellData": 1, "UseInternalTriangles": 0,
    },
    "TextureMaptoPlane": {"Automatic": 1, "Origin": [0.0, 0.0, 0.0]},
    "TextureMaptoSphere": {"PreventSeam": 1},
    "TextureMaptoCylinder": {"PreventSeam": 1, "GenerateCylinderAutomatically": 1},
    "ExtractComponent": {"Component": 0, "OutputArrayName": "Result"},
    "RenameArrays": {"PointArrays": [], "CellArrays": []},
    "MeshQuality": {
        "TriangleQualityMeasure": "Radius Ratio", "QuadQualityMeasure": "Edge Ratio",
        "TetQualityMeasure": "Radius Ratio", "PyramidQualityMeasure": "Shape", "WedgeQualityMeasure": "Edge Ratio",
        "HexQualityMeasure": "Maximum Aspect Frobenius", "LinearApproximation": 0,
    },
    "CellSize": {
        "ComputeVertexCount": 1, "VertexCountArrayName": "VertexCount", "ComputeLength": 1, "LengthArrayName": "Length",
        "ComputeArea": 1, "AreaArrayName": "Area", "ComputeVolume": 1, "VolumeArrayName": "Volume", "ComputeSum": 0,
    },
    "ReverseSense": {"ReverseCells": 1, "ReverseNormals": 0},
    "ImageShrink": {"ShrinkFactors": [1, 1, 1], "Averaging": 1},
    "Median": {"KernelSize": [1, 1, 1]},
    "ExtractCellsByType": {"CellTypes": []},
    "ConvertToPointCloud": {"CellGenerationMode": "Polyvertex cell"},
    "CountCellFaces": {"FacesArrayName": "Face Count"},
    "CountCellVertices": {"VerticesArrayName": "Vertex Count"},
    "DecimatePolyline": {"TargetReduction": 0.9, "MaximumError": 1.79769e308},
    "DeflectNormals": {"ScaleFactor": 1.0, "UseUserNormal": 0, "UserNormal": [0.0, 0.0, 1.0]},
    "GenerateSurfaceTangents": {"ComputeCellTangents": 0},
    "MergeVectorComponents": {"AttributeType": "Point Data", "OutputVectorName": "Vector", "XArray": ""},
    "PerlinNoise": {"ScalarArrayName": "PerlinNoise"},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_paraview_defaults(simple, name: str) -> None:
    source = simple.Wavelet() if name in ("ImageShrink", "Median") else simple.Sphere()
    proxy = getattr(simple, name)(Input=source)
    for prop, value in DEFAULTS[name].items():
        got = getattr(proxy, prop)
        assert got == (pytest.approx(value) if isinstance(value, (float, list)) else value), prop


def test_perlin_noise_function_defaults_and_settings(simple) -> None:
    noise = simple.PerlinNoise(Input=simple.Sphere())
    function = noise.ImplicitFunction
    assert function.GetXMLName() == "PerlinNoise"
    assert (function.Frequency, function.Phase, function.Amplitude) == ([1.0] * 3, [0.0] * 3, 1.0)
    function.Amplitude = 0.0  # no noise at all
    assert noise.PointData["PerlinNoise"].GetRange() == (0.0, 0.0)


def test_process_id_scalars_on_one_rank(simple) -> None:
    ids = simple.ProcessIdScalars(Input=simple.Sphere())
    assert ids.PointData["ProcessId"].GetRange() == (0.0, 0.0)
    ids.CellScalars = 1
    assert ids.CellData["ProcessId"].GetRange() == (0.0, 0.0)
    ids.RandomMode = 1
    low, high = ids.CellData["ProcessId"].GetRange()
    assert low == high and 0.0 <= low < 1.0


def test_extract_component_takes_one_component(simple) -> None:
    source = simple.Sphere()
    extract = simple.ExtractComponent(Input=source, InputArray=["POINTS", "Normals"], Component=2)
    whole = simple.Fetch(source)
    normals = vtk_to_numpy(whole.GetPointData().GetArray("Normals"))
    assert extract.PointData["Result"].GetRange() == pytest.approx((normals[:, 2].min(), normals[:, 2].max()))
    assert extract.PointData["Result"].GetNumberOfComponents() == 1
    extract.Component = 3
    with pytest.raises(PVError, match="Component 3"):
        extract.UpdatePipeline()


def test_mesh_quality_measures_by_label(simple) -> None:
    quality = simple.MeshQuality(Input=simple.Sphere(), TriangleQualityMeasure="Area")
    area = simple.CellSize(Input=simple.Sphere())
    assert quality.CellData["Quality"].GetRange() == pytest.approx(area.CellData["Area"].GetRange())


def test_bad_cell_type_and_rename_pairs_are_refused(simple) -> None:
    with pytest.raises(PVError, match="Triangel"):
        simple.ExtractCellsByType(Input=simple.Sphere(), CellTypes=["Triangel"])
    with pytest.raises(PVError, match="pairs"):
        simple.RenameArrays(Input=simple.Sphere(), PointArrays=["Normals"])


def test_cell_size_sums(simple) -> None:
    sizes = simple.CellSize(Input=simple.Sphere(), ComputeSum=1)
    reference_sizes = reference(CASES["CellSize"])
    reference_sizes.SetComputeSum(1)
    reference_sizes.Update()
    total = reference_sizes.GetOutput().GetFieldData().GetArray("Area").GetValue(0)
    assert sizes.FieldData["Area"].GetRange() == pytest.approx((total, total))


@pytest.mark.parametrize(
    "name", ["Tetrahedralize", "LinearExtrusion", "RotationalExtrusion", "Ribbon", "LoopSubdivision", "Subdivide"]
)
def test_size_rules_bound_the_output(name: str) -> None:
    case, spec = CASES[name], catalogue.get("filters", name)
    values = {p.name: p.default for p in spec.properties}
    values.update({k: tuple(v) if isinstance(v, list) else (v,) for k, v in case.settings.items()})
    source = reference(case).upstream.GetOutputDataObject(0)
    given = sizes.Size(source.GetNumberOfPoints(), source.GetNumberOfCells(), source.GetActualMemorySize() * 1024)
    estimate = spec.size.estimate(values, sizes.Inputs(given))
    made = reference(case).GetOutputDataObject(0)
    assert estimate.points >= made.GetNumberOfPoints() and estimate.cells >= made.GetNumberOfCells()
