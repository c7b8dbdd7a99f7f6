"""The filters of pvcore/definitions/filters_more*.py, each as a proxy built through ``simple`` and as the plain VTK
algorithm on the same input in the test process (tests/inprocess/test_more_filters.py and
tests/multiprocess/test_more_filters_parallel.py compare the two).

A case names its input ("sphere", "elevation", "wavelet", "line"), the proxy's settings, the VTK algorithm with
its settings (VTK's setter names; a callable for anything else) and the arrays whose ranges are compared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vtkmodules.vtkCommonDataModel import vtkPerlinNoise
from vtkmodules.vtkFiltersCore import (
    vtkAppendArcLength,
    vtkArrayRename,
    vtkDecimatePolylineFilter,
    vtkElevationFilter,
    vtkPassThrough,
    vtkPolyDataTangents,
    vtkQuadricClustering,
    vtkReverseSense,
    vtkStripper,
)
from vtkmodules.vtkFiltersExtraction import vtkExtractCellsByType
from vtkmodules.vtkFiltersGeneral import (
    vtkCountFaces,
    vtkCountVertices,
    vtkDataSetTriangleFilter,
    vtkDeflectNormals,
    vtkImageDataToPointSet,
    vtkMergeVectorComponents,
    vtkSampleImplicitFunctionFilter,
)
from vtkmodules.vtkFiltersModeling import (
    vtkLinearExtrusionFilter,
    vtkLinearSubdivisionFilter,
    vtkLoopSubdivisionFilter,
    vtkOutlineFilter,
    vtkRibbonFilter,
    vtkRotationalExtrusionFilter,
)
from vtkmodules.vtkFiltersParallel import vtkRemoveGhosts
from vtkmodules.vtkFiltersPoints import vtkConvertToPointCloud
from vtkmodules.vtkFiltersSources import vtkLineSource, vtkOutlineCornerFilter, vtkSphereSource
from vtkmodules.vtkFiltersTexture import vtkTextureMapToCylinder, vtkTextureMapToPlane, vtkTextureMapToSphere
from vtkmodules.vtkFiltersVerdict import vtkCellSizeFilter, vtkMeshQuality
from vtkmodules.vtkImagingCore import vtkImageShrink3D, vtkRTAnalyticSource
from vtkmodules.vtkImagingGeneral import vtkImageMedian3D

#: The Line of the cases that need lines: ParaView's Line with these settings, and vtkLineSource with them.
LINE = {"Point1": (0.0, 0.0, 0.0), "Point2": (1.0, 1.0, 0.0), "Resolution": 20}
#: The Elevation of the cases on a sphere with arrays (its Normals and Elevation).
ELEVATION = {"LowPoint": (0.0, 0.0, -0.5), "HighPoint": (0.0, 0.0, 0.5)}


@dataclass(frozen=True)
class Case:
    """One filter: its input, the proxy's settings, the VTK algorithm and its settings, the arrays compared."""

    source: str
    settings: dict[str, Any]
    algorithm: Callable[[], Any]
    vtk_settings: dict[str, Any] = field(default_factory=dict)
    arrays: tuple[str, ...] = ()
    prepare: Callable[[Any], None] | None = None  # anything the VTK algorithm needs besides Set<Name> calls
    between: str = ""  # a filter of the project between the input and the case's filter (and its VTK twin)


def vtk_run(algorithm: Any, source: Any | None = None, **values: Any) -> Any:
    """Run ``algorithm`` on ``source``'s output with ``Set<Name>(value)`` for each of ``values``; the algorithm."""
    if source is not None:
        algorithm.SetInputConnection(source.GetOutputPort())
        algorithm.upstream = source  # keeps the input's algorithm alive with it
    for name, value in values.items():
        getattr(algorithm, f"Set{name}")(*(value if isinstance(value, (tuple, list)) else (value,)))
    algorithm.Update()
    return algorithm


def vtk_input(source: str) -> Any:
    """The VTK twin of a case's input."""
    if source == "wavelet":
        return vtk_run(vtkRTAnalyticSource())
    if source == "line":
        return vtk_run(vtkLineSource(), **LINE)
    sphere = vtk_run(vtkSphereSource())
    return vtk_run(vtkElevationFilter(), sphere, **ELEVATION) if source == "elevation" else sphere


def simple_input(simple: Any, source: str) -> Any:
    """A case's input built through ``simple``."""
    if source == "wavelet":
        return simple.Wavelet()
    if source == "line":
        return simple.Line(**{k: list(v) if isinstance(v, tuple) else v for k, v in LINE.items()})
    sphere = simple.Sphere()
    if source == "elevation":
        return simple.Elevation(Input=sphere, **{k: list(v) for k, v in ELEVATION.items()})
    return sphere


def reference(case: Case) -> Any:
    """The case's VTK algorithm, run on its input with its settings."""
    upstream = vtk_input(case.source)
    if case.between:
        upstream = vtk_run(vtkTextureMapToSphere(), upstream)
    algorithm = case.algorithm()
    if case.prepare is not None:
        case.prepare(algorithm)
    return vtk_run(algorithm, upstream, **case.vtk_settings)


def _vector_extrusion(algorithm: Any) -> None:
    algorithm.SetExtrusionTypeToVectorExtrusion()


def _perlin(algorithm: Any) -> None:
    algorithm.noise = vtkPerlinNoise()
    algorithm.SetImplicitFunction(algorithm.noise)


def _triangles_only(algorithm: Any) -> None:
    algorithm.AddCellType(5)


def _rename_elevation(algorithm: Any) -> None:
    algorithm.SetPointArrayName("Elevation", "Height")


def _normals_as_vectors(algorithm: Any) -> None:
    algorithm.SetInputArrayToProcess(0, 0, 0, 0, "Normals")


def _merge_elevation(algorithm: Any) -> None:
    for axis in "XYZ":
        getattr(algorithm, f"Set{axis}ArrayName")("Elevation")


CASES: dict[str, Case] = {
    "Outline": Case("sphere", {}, vtkOutlineFilter),
    "OutlineCorners": Case("sphere", {"CornerFactor": 0.3}, vtkOutlineCornerFilter, {"CornerFactor": 0.3}),
    "PassThrough": Case("elevation", {}, vtkPassThrough, arrays=("Elevation",)),
    "Tetrahedralize": Case("wavelet", {}, vtkDataSetTriangleFilter, arrays=("RTData",)),
    "LinearExtrusion": Case(
        "sphere", {"ScaleFactor": 2.0, "Vector": [1.0, 0.0, 0.0]}, vtkLinearExtrusionFilter,
        {"ScaleFactor": 2.0, "Vector": (1.0, 0.0, 0.0)}, prepare=_vector_extrusion,
    ),
    "RotationalExtrusion": Case(
        "line", {"Resolution": 8, "Angle": 270.0, "Translation": 0.5}, vtkRotationalExtrusionFilter,
        {"Resolution": 8, "Angle": 270.0, "Translation": 0.5},
    ),
    "Ribbon": Case("line", {"Width": 0.1, "Angle": 30.0}, vtkRibbonFilter, {"Width": 0.1, "Angle": 30.0}),
    "TriangleStrips": Case("elevation", {"MaximumLength": 10}, vtkStripper, {"MaximumLength": 10}),
    "LoopSubdivision": Case("sphere", {"NumberofSubdivisions": 2}, vtkLoopSubdivisionFilter,
                            {"NumberOfSubdivisions": 2}),
    "Subdivide": Case("elevation", {}, vtkLinearSubdivisionFilter, arrays=("Elevation",)),
    "QuadricClustering": Case(
        "sphere", {"NumberofDimensions": [5, 5, 5]}, vtkQuadricClustering, {"NumberOfDivisions": (5, 5, 5)}
    ),
    "TextureMaptoPlane": Case("sphere", {}, vtkTextureMapToPlane, arrays=("Texture Coordinates",)),
    "TextureMaptoSphere": Case("sphere", {}, vtkTextureMapToSphere, arrays=("Texture Coordinates",)),
    "TextureMaptoCylinder": Case("sphere", {"PreventSeam": 0}, vtkTextureMapToCylinder, {"PreventSeam": 0},
                                 arrays=("Texture Coordinates",)),
    "ReverseSense": Case("elevation", {"ReverseNormals": 1}, vtkReverseSense, {"ReverseNormals": 1},
                         arrays=("Normals",)),
    "DecimatePolyline": Case("line", {"TargetReduction": 0.5}, vtkDecimatePolylineFilter, {"TargetReduction": 0.5}),
    "GenerateSurfaceTangents": Case("sphere", {}, vtkPolyDataTangents, arrays=("Tangents",), between="Sphere"),
    "DeflectNormals": Case(
        "elevation", {"Vectors": ["POINTS", "Normals"], "ScaleFactor": 0.5, "UseUserNormal": 1},
        vtkDeflectNormals, {"ScaleFactor": 0.5, "UseUserNormal": 1}, arrays=("DeflectedNormals",),
        prepare=_normals_as_vectors,
    ),
    "AppendArcLength": Case("line", {}, vtkAppendArcLength, arrays=("arc_length",)),
    "ConvertToPointCloud": Case("elevation", {"CellGenerationMode": "Vertex cells"}, vtkConvertToPointCloud,
                                {"CellGenerationMode": 2}, arrays=("Elevation",)),
    "RenameArrays": Case("elevation", {"PointArrays": ["Elevation", "Height"]}, vtkArrayRename, arrays=("Height",),
                         prepare=_rename_elevation),
    "MeshQuality": Case("sphere", {"TriangleQualityMeasure": "Aspect Ratio"}, vtkMeshQuality,
                        {"TriangleQualityMeasure": 1}, arrays=("Quality",)),
    "CellSize": Case("sphere", {}, vtkCellSizeFilter, arrays=("Area", "VertexCount")),
    "CountCellFaces": Case("wavelet", {}, vtkCountFaces, arrays=("Face Count",)),
    "CountCellVertices": Case("sphere", {"VerticesArrayName": "N"}, vtkCountVertices, {"OutputArrayName": "N"},
                              arrays=("N",)),
    "ExtractCellsByType": Case("sphere", {"CellTypes": ["Triangle"]}, vtkExtractCellsByType,
                               prepare=_triangles_only),
    "MergeVectorComponents": Case(
        "elevation", {"XArray": "Elevation", "YArray": "Elevation", "ZArray": "Elevation"}, vtkMergeVectorComponents,
        {"OutputVectorName": "Vector"}, arrays=("Vector",), prepare=_merge_elevation,
    ),
    "PerlinNoise": Case("elevation", {}, vtkSampleImplicitFunctionFilter, {"ScalarArrayName": "PerlinNoise"},
                        arrays=("PerlinNoise",), prepare=_perlin),
    "ImageShrink": Case("wavelet", {"ShrinkFactors": [2, 3, 2]}, vtkImageShrink3D, {"ShrinkFactors": (2, 3, 2)},
                        arrays=("ImageScalars",)),
    "Median": Case("wavelet", {"KernelSize": [3, 3, 3]}, vtkImageMedian3D, {"KernelSize": (3, 3, 3)},
                   arrays=("RTData",)),
    "ImageDatatoPointSet": Case("wavelet", {}, vtkImageDataToPointSet, arrays=("RTData",)),
    "RemoveGhostInformation": Case("elevation", {}, vtkRemoveGhosts, arrays=("Elevation",)),
}  # fmt: skip


def build(simple: Any, name: str) -> Any:
    """The case's proxy, built through ``simple`` on its input."""
    case = CASES[name]
    upstream = simple_input(simple, case.source)
    if case.between:
        upstream = simple.TextureMaptoSphere(Input=upstream)
    return getattr(simple, name)(Input=upstream, **case.settings)
