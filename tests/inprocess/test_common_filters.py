"""The Common filters of pvcore/definitions/filters_common.py and filters_common_flow.py, and the Cylinder cutting
function, through ``simple`` on the built-in session: ParaView 5.11's defaults, and the same output as the plain
VTK algorithm run here with ParaView's settings.

The expected defaults are ParaView's (its proxy XML: general_filters.xml for ExtractGrid "Extract Subset" and
CleanUnstructuredGrid "Clean to Grid"; filters_filterscore.xml for CleanPolyData "Clean" and PVConnectivityFilter
"Connectivity"; filters_filtersgeneral.xml for PassArrays, CellCenters, Curvatures; filters_filtersextraction.xml
for ExtractEdges, ExtractGeometry "Extract Cells By Region"; filters_filtersflowpaths.xml for StreamTracer;
utilities.xml for the Cylinder), as ``pvpython`` 5.11 prints them for a Wavelet input.
"""

from __future__ import annotations

import pytest
from common_filter_references import (
    FIELD,
    clean_reference,
    overlaps_reference,
    same_output,
    streamlines_reference,
    vtk_run,
    wavelet,
)
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonDataModel import vtkCylinder, vtkPlane
from vtkmodules.vtkFiltersCore import (
    vtkCellCenters,
    vtkConnectivityFilter,
    vtkContourFilter,
    vtkCutter,
    vtkExtractEdges,
)
from vtkmodules.vtkFiltersExtraction import vtkExtractGeometry, vtkExtractGrid
from vtkmodules.vtkFiltersGeneral import (
    vtkCleanUnstructuredGrid,
    vtkCurvatures,
    vtkImageDataToPointSet,
    vtkTableBasedClipDataSet,
)
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkImagingCore import vtkExtractVOI

from pvcore.errors import PropertyError, ResourceLimitError
from pvserver.pipeline.adapters_filters import ClipAdapter, ExtractSubsetAdapter, ScalarClipType

pytestmark = pytest.mark.timeout(60)


def _defaults(proxy: object, expected: dict[str, object]) -> None:
    for name, value in expected.items():
        got = getattr(proxy, name)
        assert got == (pytest.approx(value) if isinstance(value, (float, list)) else value), name


# ----------------------------------------------------------------------------------------------- Extract Subset


def test_extract_subset_defaults_to_the_whole_extent_and_matches_vtk(simple) -> None:
    subset = simple.ExtractSubset(Input=simple.Wavelet())
    _defaults(subset, {"VOI": [-10, 10, -10, 10, -10, 10], "SampleRateI": 1, "SampleRateJ": 1, "SampleRateK": 1,
                       "IncludeBoundary": 0})  # fmt: skip
    same_output(subset, vtk_run(vtkExtractVOI(), wavelet(), VOI=(-10, 10, -10, 10, -10, 10)))
    subset.VOI = [-10, 10, -10, 10, -5, 5]
    subset.SampleRateI, subset.SampleRateK = 3, 4
    reference = vtk_run(vtkExtractVOI(), wavelet(), VOI=(-10, 10, -10, 10, -5, 5), SampleRate=(3, 1, 4))
    same_output(subset, reference)
    without = subset.GetDataInformation().GetNumberOfPoints()
    subset.IncludeBoundary = 1  # keeps index 5 along K though 4 does not divide 10: one more layer of points
    reference = vtk_run(
        vtkExtractVOI(), wavelet(), VOI=(-10, 10, -10, 10, -5, 5), SampleRate=(3, 1, 4), IncludeBoundary=1
    )
    same_output(subset, reference)
    assert subset.GetDataInformation().GetNumberOfPoints() == 8 * 21 * 4 > without  # 7 * 21 * 3 without
    with pytest.raises(PropertyError, match="SampleRateI"):
        subset.SampleRateI = 0


def test_extract_subset_needs_structured_input(simple) -> None:
    subset = simple.ExtractSubset(Input=simple.Sphere())
    with pytest.raises(Exception, match="vtkImageData"):
        subset.GetDataInformation().GetNumberOfPoints()


def test_extract_subset_pieces_fit_together_by_extent() -> None:
    """Each rank's piece of a subsampled grid has its extent within the whole output (VTK numbers it from 0)."""
    source = wavelet()
    grid = vtkImageDataToPointSet()
    grid.SetInputConnection(source.GetOutputPort())
    whole = vtk_run(vtkExtractGrid(), grid, VOI=(-10, 10, -10, 10, -5, 5), SampleRate=(3, 1, 1)).GetOutput()
    w = whole.GetExtent()
    nx, ny = w[1] - w[0] + 1, w[3] - w[2] + 1
    covered, cells = set(), 0
    for rank in range(3):
        subset = ExtractSubsetAdapter()
        subset.SetInputConnection(grid.GetOutputPort())
        subset.SetVOI(-10, 10, -10, 10, -5, 5)
        subset.SetSampleRateI(3)
        subset.UpdatePiece(rank, 3, 0)
        piece = subset.GetOutputDataObject(0)
        e = piece.GetExtent()
        n = 0
        for k in range(e[4], e[5] + 1):
            for j in range(e[2], e[3] + 1):
                for i in range(e[0], e[1] + 1):  # x fastest, as VTK stores points: the same index, the same point
                    index = (i - w[0]) + (j - w[2]) * nx + (k - w[4]) * nx * ny
                    assert piece.GetPoint(n) == pytest.approx(whole.GetPoint(index)), (rank, i, j, k)
                    covered.add((i, j, k))
                    n += 1
        cells += piece.GetNumberOfCells()
    assert cells == whole.GetNumberOfCells()
    assert len(covered) == whole.GetNumberOfPoints()


# ----------------------------------------------------------------------------------------------- Stream Tracer


STREAM_TRACER = {
    "IntegrationDirection": "BOTH", "IntegratorType": "Runge-Kutta 4-5", "IntegrationStepUnit": "Cell Length",
    "InterpolatorType": "Interpolator with Point Locator", "InitialStepLength": 0.2, "MinimumStepLength": 0.01,
    "MaximumStepLength": 0.5, "MaximumSteps": 2000, "TerminalSpeed": 1e-12, "MaximumError": 1e-6,
    "ComputeVorticity": 1,
}  # fmt: skip


def _field(simple) -> object:
    return simple.Calculator(Input=simple.Wavelet(), Function=FIELD, ResultArrayName="V")


def test_stream_tracer_line_seeds(simple) -> None:
    tracer = simple.StreamTracer(Input=_field(simple))
    _defaults(tracer, {**STREAM_TRACER, "Vectors": ["POINTS", "V"], "MaximumStreamlineLength": 20.0})
    assert tracer.SeedType.GetXMLName() == "Line"
    _defaults(tracer.SeedType, {"Point1": [-10.0] * 3, "Point2": [10.0] * 3, "Resolution": 1000})
    tracer.SeedType.Resolution = 25
    same_output(tracer, streamlines_reference("Line", Resolution=25), arrays=("V", "IntegrationTime"))
    tracer.IntegrationDirection = "FORWARD"
    tracer.IntegratorType = "Runge-Kutta 4"
    tracer.IntegrationStepUnit = "Length"
    tracer.MaximumStreamlineLength = 5.0
    reference = streamlines_reference(
        "Line", Resolution=25, IntegrationDirection=0, IntegratorType=1, IntegrationStepUnit=1, MaximumPropagation=5.0
    )
    same_output(tracer, reference, arrays=("V", "IntegrationTime"))


def test_stream_tracer_point_cloud_seeds(simple) -> None:
    tracer = simple.StreamTracer(Input=_field(simple), SeedType="PointCloud")
    _defaults(tracer.SeedType, {"Center": [0.0, 0.0, 0.0], "Radius": 2.0, "NumberOfPoints": 100})
    tracer.SeedType.NumberOfPoints = 30
    tracer.SeedType.Radius = 4.0
    reference = streamlines_reference("PointCloud", NumberOfPoints=30, Radius=4.0)
    same_output(tracer, reference, arrays=("V", "Vorticity"))
    before = tracer.GetDataInformation().GetBounds()
    tracer.SeedType.Center = [0.0, 0.0, 0.0]  # an update again: the same random points
    tracer.MaximumSteps = 2000
    assert tracer.GetDataInformation().GetBounds() == pytest.approx(before)
    with pytest.raises(PropertyError, match="SeedType"):
        tracer.SeedType = "Sphere"


def test_stream_tracer_too_large_for_the_budget_is_refused(simple) -> None:
    tracer = simple.StreamTracer(Input=_field(simple))
    with pytest.raises(ResourceLimitError, match="SeedType Line"):
        tracer.SeedType.Resolution = 10**6  # a million seeds, 2,000 steps each way
    tracer.SeedType.Resolution = 100
    with pytest.raises(ResourceLimitError, match="MaximumSteps"):
        tracer.MaximumSteps = 10**8


# ----------------------------------------------------------------------------------------------- cleaning


CLEAN = {
    "PieceInvariant": 1, "Tolerance": 0.0, "AbsoluteTolerance": 1.0, "ToleranceIsAbsolute": 0,
    "ConvertLinesToPoints": 1, "ConvertPolysToLines": 1, "ConvertStripsToPolys": 1, "PointMerging": 1,
}  # fmt: skip


def test_clean(simple) -> None:
    clean = simple.Clean(Input=simple.Cylinder())
    _defaults(clean, CLEAN)
    same_output(clean, clean_reference("cylinder"))
    assert clean.GetDataInformation().GetNumberOfPoints() == 12  # the cylinder's 24 points, merged in pairs
    clean.PointMerging = 0
    same_output(clean, clean_reference("cylinder", PointMerging=0))
    clean.PointMerging, clean.Tolerance = 1, 0.5
    same_output(clean, clean_reference("cylinder", Tolerance=0.5))


def test_clean_to_grid(simple) -> None:
    clean = simple.CleantoGrid(Input=simple.Wavelet())
    _defaults(clean, {"Tolerance": 0.0, "AbsoluteTolerance": 1.0, "ToleranceIsAbsolute": 0})
    same_output(clean, vtk_run(vtkCleanUnstructuredGrid(), wavelet()), arrays=("RTData",))
    assert clean.GetDataInformation().GetDataClassName() == "vtkUnstructuredGrid"
    clean.ToleranceIsAbsolute, clean.AbsoluteTolerance = 1, 1.5  # neighbours 1 apart merge
    same_output(clean, vtk_run(vtkCleanUnstructuredGrid(), wavelet(), ToleranceIsAbsolute=1, AbsoluteTolerance=1.5))


# ----------------------------------------------------------------------------------------------- arrays, cells


def test_pass_arrays(simple) -> None:
    field = _field(simple)
    passed = simple.PassArrays(Input=field)
    assert passed.PointDataArrays == ["RTData", "V"]  # all of them, as in ParaView
    assert passed.CellDataArrays == [] and passed.FieldDataArrays == []
    assert sorted(passed.PointData.keys()) == ["RTData", "V"]
    passed.PointDataArrays = ["V"]
    assert passed.PointData.keys() == ["V"]
    passed.PointDataArrays = []
    assert passed.PointData.keys() == []
    assert passed.GetDataInformation().GetNumberOfCells() == 8000


def test_extract_edges_and_cell_centers(simple) -> None:
    edges = simple.ExtractEdges(Input=simple.Wavelet())
    same_output(edges, vtk_run(vtkExtractEdges(), wavelet()), arrays=("RTData",))
    centers = simple.CellCenters(Input=simple.Wavelet())
    _defaults(centers, {"VertexCells": 0})
    same_output(centers, vtk_run(vtkCellCenters(), wavelet()))
    centers.VertexCells = 1
    same_output(centers, vtk_run(vtkCellCenters(), wavelet(), VertexCells=1))
    assert centers.GetDataInformation().GetNumberOfCells() == 8000


def _contour(simple) -> object:
    return simple.Contour(Input=simple.Wavelet(), ContourBy=["POINTS", "RTData"], Isosurfaces=[200.0])


def _vtk_contour() -> object:
    contour, source = vtkContourFilter(), wavelet()
    contour.SetInputConnection(source.GetOutputPort())
    contour.SetValue(0, 200.0)
    contour.ComputeNormalsOn()
    contour.ComputeScalarsOn()
    contour.Update()
    return contour


def test_connectivity(simple) -> None:
    connectivity = simple.Connectivity(Input=_contour(simple))
    _defaults(connectivity, {"ExtractionMode": "Extract All Regions", "ColorRegions": 1,
                             "RegionIdAssignmentMode": "Unspecified", "ClosestPoint": [0.0, 0.0, 0.0]})  # fmt: skip
    reference = vtk_run(vtkConnectivityFilter(), _vtk_contour(), ExtractionMode=5, ColorRegions=1)
    same_output(connectivity, reference, arrays=("RegionId",))
    assert connectivity.PointData["RegionId"].GetRange()[1] > 0  # several regions
    connectivity.ExtractionMode = "Extract Largest Region"
    same_output(connectivity, vtk_run(vtkConnectivityFilter(), _vtk_contour(), ExtractionMode=4, ColorRegions=1))
    connectivity.ExtractionMode = "Extract Closest Point Region"
    connectivity.ClosestPoint = [8.0, 8.0, 8.0]
    same_output(connectivity, vtk_run(vtkConnectivityFilter(), _vtk_contour(), ExtractionMode=6, ColorRegions=1,
                                      ClosestPoint=(8.0, 8.0, 8.0)))  # fmt: skip


def test_curvature(simple) -> None:
    curvature = simple.Curvature(Input=simple.Sphere(ThetaResolution=16, PhiResolution=16))
    _defaults(curvature, {"CurvatureType": "Gaussian", "InvertMeanCurvature": 0})
    sphere = vtk_run(vtkSphereSource(), ThetaResolution=16, PhiResolution=16)
    same_output(curvature, vtk_run(vtkCurvatures(), sphere), arrays=("Gauss_Curvature",))
    curvature.CurvatureType = "Mean"
    curvature.InvertMeanCurvature = 1
    same_output(curvature, vtk_run(vtkCurvatures(), sphere, CurvatureType=1, InvertMeanCurvature=1),
                arrays=("Mean_Curvature",))  # fmt: skip
    with pytest.raises(Exception, match="vtkPolyData"):
        simple.Curvature(Input=simple.Wavelet()).GetDataInformation().GetNumberOfPoints()


def test_extract_cells_by_region(simple) -> None:
    region = simple.ExtractCellsByRegion(Input=simple.Wavelet())
    _defaults(region, {"ExtractionSide": "inside", "Extractintersected": 0, "Extractonlyintersected": 0})
    assert region.IntersectWith.GetXMLName() == "Plane"
    plane = vtkPlane()
    plane.SetOrigin(0, 0, 0)
    plane.SetNormal(1, 0, 0)
    same_output(region, vtk_run(vtkExtractGeometry(), wavelet(), ImplicitFunction=plane), arrays=("RTData",))
    region.ExtractionSide = "outside"
    region.Extractintersected = 1
    same_output(region, vtk_run(vtkExtractGeometry(), wavelet(), ImplicitFunction=plane, ExtractInside=0,
                                ExtractBoundaryCells=1))  # fmt: skip


# ----------------------------------------------------------------------------------------------- Cylinder, ghosts


def test_clip_and_slice_with_a_cylinder(simple) -> None:
    clip = simple.Clip(Input=simple.Wavelet(), ClipType="Cylinder")
    _defaults(clip.ClipType, {"Center": [0.0, 0.0, 0.0], "Axis": [0.0, 1.0, 0.0], "Radius": 10.0})
    clip.ClipType.Radius = 6.0
    cylinder = vtkCylinder()
    cylinder.SetRadius(6.0)
    same_output(clip, vtk_run(vtkTableBasedClipDataSet(), wavelet(), ClipFunction=cylinder, InsideOut=1))
    cut = simple.Slice(Input=simple.Wavelet(), SliceType="Cylinder")
    cut.SliceType.Radius, cut.SliceType.Axis = 6.0, [0.0, 0.0, 1.0]
    cylinder.SetAxis(0, 0, 1)
    same_output(cut, vtk_run(vtkCutter(), wavelet(), CutFunction=cylinder, GenerateTriangles=1))


def _clip_adapter(source: object, function: object, **settings: object) -> object:
    clip = ClipAdapter()
    clip.SetInputConnection(source.GetOutputPort())
    clip.SetClipFunction(function)
    return vtk_run(clip, **settings)


def _counts(algorithm: object) -> tuple[int, int, tuple]:
    data = algorithm.GetOutputDataObject(0)
    return data.GetNumberOfPoints(), data.GetNumberOfCells(), tuple(round(b, 6) for b in data.GetBounds())


def test_clip_adapter_clips_by_scalars_and_crinkles() -> None:
    """ParaView's Clip (ClipType Scalar, Value, UseValueAsOffset, Crinkleclip) as the adapter carries it out; the
    Clip definition (pvcore/definitions/filters_core.py) names vtkTableBasedClipDataSet until it is switched over."""
    source = wavelet()
    by_scalar = _clip_adapter(source, ScalarClipType(), Scalars=("POINTS", "RTData"), Value=157.09)
    reference = vtkTableBasedClipDataSet()
    reference.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    assert _counts(by_scalar) == _counts(vtk_run(reference, source, Value=157.09, InsideOut=1))
    plane = vtkPlane()
    plane.SetNormal(1, 0, 0)
    ignored = _clip_adapter(source, plane, Value=3.0)  # with a function, Value counts only as an offset
    assert _counts(ignored) == _counts(vtk_run(vtkTableBasedClipDataSet(), source, ClipFunction=plane, InsideOut=1))
    offset = _clip_adapter(source, plane, Value=3.0, UseValueAsOffset=1, Invert=0)
    expected = vtk_run(vtkTableBasedClipDataSet(), source, ClipFunction=plane, Value=3.0, InsideOut=0)
    assert _counts(offset) == _counts(expected)
    crinkled = _clip_adapter(source, plane, Crinkleclip=1)
    expected = vtk_run(vtkExtractGeometry(), source, ImplicitFunction=plane, ExtractBoundaryCells=1)
    assert _counts(crinkled) == _counts(expected)
    refused = _clip_adapter(source, ScalarClipType(), Crinkleclip=1)
    assert "Crinkleclip with the Scalar ClipType is not supported" in str(refused.errors[0])


def test_ghost_cells_generator_on_one_rank_passes_the_data_on(simple) -> None:
    ghosts = simple.GhostCellsGenerator(Input=simple.CleantoGrid(Input=simple.Wavelet()))
    _defaults(ghosts, {"MinimumNumberOfGhosts": 1, "BuildIfRequired": 0})
    same_output(ghosts, vtk_run(vtkCleanUnstructuredGrid(), wavelet()), arrays=("RTData",))
    with pytest.raises(PropertyError, match="MinimumNumberOfGhosts"):
        ghosts.MinimumNumberOfGhosts = 101


# ----------------------------------------------------------------------------------------------- moving data


def test_redistribute_on_one_rank_makes_an_unstructured_grid(simple) -> None:
    redistributed = simple.RedistributeDataSet(Input=simple.Wavelet())
    _defaults(redistributed, {"BoundaryMode": "Assign to one region", "NumberOfPartitions": -1})
    _defaults(redistributed, {"GenerateGlobalCellIds": 0, "LoadBalanceAcrossAllBlocks": 1, "EnableDebugging": 0})
    same_output(redistributed, vtk_run(vtkCleanUnstructuredGrid(), wavelet()), arrays=("RTData",))
    assert redistributed.GetDataInformation().GetDataClassName() == "vtkUnstructuredGrid"
    redistributed.GenerateGlobalCellIds = 1
    assert redistributed.CellData["vtkGlobalCellIds"].GetRange() == (0.0, 7999.0)
    redistributed.BoundaryMode = "Split cells"
    with pytest.raises(Exception, match="BoundaryMode 'Split cells' is not supported"):
        redistributed.GetDataInformation().GetNumberOfCells()
    d3 = simple.D3(Input=simple.Wavelet())
    _defaults(d3, {"BoundaryMode": "Assign cells uniquely", "MinimumNumberOfGhostLevels": 0, "MinimalMemory": 0})
    same_output(d3, vtk_run(vtkCleanUnstructuredGrid(), wavelet()), arrays=("RTData",))


def test_annotate_attribute_data(simple) -> None:
    annotation = simple.AnnotateAttributeData(Input=simple.Wavelet(), ElementId=5)
    _defaults(annotation, {"SelectInputArray": ["POINTS", "RTData"], "ElementId": 5, "ProcessId": 0,
                           "Prefix": "Value is: "})  # fmt: skip
    value = vtk_to_numpy(wavelet().GetOutput().GetPointData().GetArray("RTData"))[5]
    table = simple.Fetch(annotation)
    assert table.GetNumberOfRows() == 1
    assert table.GetColumnByName("Text").GetValue(0) == f"Value is: {value!s}"  # NumPy's str(), as ParaView's
    annotation.Prefix, annotation.ElementId = "RT = ", 9260
    value = vtk_to_numpy(wavelet().GetOutput().GetPointData().GetArray("RTData"))[9260]
    assert simple.Fetch(annotation).GetColumnByName("Text").GetValue(0) == f"RT = {value!s}"
    annotation.ElementId = 9261
    with pytest.raises(Exception, match="ElementId 9261 is beyond the 9261 values"):
        simple.Fetch(annotation)
    annotation.ElementId, annotation.ProcessId = 0, 1
    with pytest.raises(Exception, match="ProcessId 1 names no rank"):
        simple.Fetch(annotation)


def test_overlapping_cells_detector_counts_as_vtk_does(simple) -> None:
    spheres = [simple.Sphere(Center=center) for center in ([0, 0, 0], [0.3, 0, 0])]
    detector = simple.OverlappingCellsDetector(Input=simple.AppendDatasets(Input=spheres))
    assert detector.Tolerance == 0.0
    counts = vtk_to_numpy(simple.Fetch(detector).GetCellData().GetArray("NumberOfOverlapsPerCell"))
    reference = vtk_to_numpy(overlaps_reference().GetOutput().GetCellData().GetArray("NumberOfOverlapsPerCell"))
    assert list(counts) == list(reference)
    assert counts.max() > counts.min()  # the spheres' overlap counts more than elsewhere
