"""The Common filters on a 3-rank server: the same cells, bounds and array ranges as the plain VTK algorithm on the
whole data in the test process (and, where the output exists once, on rank 0, the same points).

Points that two ranks' pieces share count once per piece (as ParaView counts them), so point counts are compared
only where the output is on one rank (Clean, StreamTracer) or fetched merged.
"""

from __future__ import annotations

import numpy as np
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
from vtkmodules.vtkFiltersCore import vtkCellCenters
from vtkmodules.vtkFiltersExtraction import vtkExtractGeometry
from vtkmodules.vtkFiltersGeneral import vtkCleanUnstructuredGrid, vtkCurvatures, vtkTableBasedClipDataSet
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkImagingCore import vtkExtractVOI, vtkRTAnalyticSource

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(90)]


@pytest.fixture
def simple(simple_state, server3):
    """``simple`` connected to the 3-rank server."""
    simple_state.Connect(server3.url)
    assert simple_state.GetActiveConnection().GetNumberOfDataPartitions() == 3
    return simple_state


def test_extract_subset_pieces_merge_into_the_whole_subset(simple) -> None:
    subset = simple.ExtractSubset(Input=simple.Wavelet())
    assert subset.VOI == [-10, 10, -10, 10, -10, 10]
    subset.VOI = [-10, 10, -10, 10, -5, 5]
    subset.SampleRateI, subset.SampleRateJ = 3, 2
    reference = vtk_run(vtkExtractVOI(), wavelet(), VOI=(-10, 10, -10, 10, -5, 5), SampleRate=(3, 2, 1))
    same_output(subset, reference, arrays=("RTData",), points=False)
    merged = simple.Fetch(subset)  # the ranks' pieces laid together by their extents
    whole = reference.GetOutput()
    assert merged.GetExtent() == whole.GetExtent()
    assert merged.GetOrigin() == pytest.approx(whole.GetOrigin())
    got = vtk_to_numpy(merged.GetPointData().GetArray("RTData"))
    assert np.allclose(got, vtk_to_numpy(whole.GetPointData().GetArray("RTData")))


def test_streamlines_cross_the_ranks_pieces(simple) -> None:
    field = simple.Calculator(Input=simple.Wavelet(), Function=FIELD, ResultArrayName="V")
    tracer = simple.StreamTracer(Input=field)
    assert tracer.SeedType.Point1 == [-10.0] * 3 and tracer.MaximumStreamlineLength == pytest.approx(20.0)
    tracer.SeedType.Resolution = 25
    same_output(tracer, streamlines_reference("Line", Resolution=25), arrays=("V", "IntegrationTime"))
    cloud = simple.StreamTracer(Input=field, SeedType="PointCloud")
    cloud.SeedType.NumberOfPoints, cloud.SeedType.Radius = 30, 4.0
    same_output(cloud, streamlines_reference("PointCloud", NumberOfPoints=30, Radius=4.0), arrays=("V",))


def test_clean_is_piece_invariant(simple) -> None:
    cylinder = simple.Clean(Input=simple.Cylinder())  # a source that is not split: once, not once per rank
    same_output(cylinder, clean_reference("cylinder"))
    whole = clean_reference("sphere").GetOutput()
    sphere = simple.Clean(Input=simple.Sphere())  # split among the ranks, gathered and cleaned on rank 0
    same_output(sphere, clean_reference("sphere"), points=False)
    gathered = sphere.GetDataInformation().GetNumberOfPoints()
    # vtkSphereSource computes each piece's seam points on its own, a rounding apart: a tolerance merges them
    sphere.Tolerance = 1e-6
    same_output(sphere, clean_reference("sphere", Tolerance=1e-6))
    assert sphere.GetDataInformation().GetNumberOfPoints() == whole.GetNumberOfPoints()
    sphere.Tolerance, sphere.PieceInvariant = 0.0, 0  # piece by piece: the same cells, each piece's poles its own
    info = sphere.GetDataInformation()
    assert info.GetNumberOfCells() == whole.GetNumberOfCells()
    assert info.GetNumberOfPoints() > gathered >= whole.GetNumberOfPoints()


def test_piecewise_filters_match_vtk_on_the_whole(simple) -> None:
    source = simple.Wavelet()
    same_output(simple.CleantoGrid(Input=source), vtk_run(vtkCleanUnstructuredGrid(), wavelet()),
                arrays=("RTData",), points=False)  # fmt: skip
    same_output(simple.CellCenters(Input=source), vtk_run(vtkCellCenters(), wavelet()), points=False)
    plane = vtkPlane()
    plane.SetNormal(1, 0, 0)
    same_output(simple.ExtractCellsByRegion(Input=source), vtk_run(vtkExtractGeometry(), wavelet(),
                ImplicitFunction=plane), arrays=("RTData",), points=False)  # fmt: skip
    clip = simple.Clip(Input=source, ClipType="Cylinder")
    clip.ClipType.Radius = 6.0
    cylinder = vtkCylinder()
    cylinder.SetRadius(6.0)
    same_output(clip, vtk_run(vtkTableBasedClipDataSet(), wavelet(), ClipFunction=cylinder, InsideOut=1),
                arrays=("RTData",), points=False)  # fmt: skip
    passed = simple.PassArrays(Input=simple.Calculator(Input=source, Function=FIELD, ResultArrayName="V"))
    assert passed.PointDataArrays == ["RTData", "V"]
    passed.PointDataArrays = ["V"]
    assert passed.PointData.keys() == ["V"] and passed.GetDataInformation().GetNumberOfCells() == 8000
    edges = simple.ExtractEdges(Input=source)  # the edges of the seams' faces come from both pieces beside them
    assert edges.GetDataInformation().GetBounds() == pytest.approx([-10, 10, -10, 10, -10, 10])
    sphere = vtk_run(vtkSphereSource(), ThetaResolution=16, PhiResolution=16)
    curvature = simple.Curvature(Input=simple.Sphere(ThetaResolution=16, PhiResolution=16))
    same_output(curvature, vtk_run(vtkCurvatures(), sphere), points=False)


def test_connectivity_labels_regions_per_piece(simple) -> None:
    contour = simple.Contour(Input=simple.Wavelet(), ContourBy=["POINTS", "RTData"], Isosurfaces=[200.0])
    connectivity = simple.Connectivity(Input=contour)
    info = connectivity.GetDataInformation()
    assert info.GetNumberOfCells() == contour.GetDataInformation().GetNumberOfCells()
    assert "RegionId" in connectivity.PointData and "RegionId" in connectivity.CellData


def test_ghost_cells_generator_gives_the_pieces_their_neighbours(simple) -> None:
    grid = simple.CleantoGrid(Input=simple.Wavelet())
    # Without ghost cells (this surface filter asks for none), the faces between pieces count as surface.
    seams = simple.ExtractSurface(Input=grid, PieceInvariant=0).GetDataInformation().GetNumberOfCells()
    ghosts = simple.GhostCellsGenerator(Input=grid)
    assert ghosts.GetDataInformation().GetNumberOfCells() == 8000  # ghost cells are not counted
    surface = simple.ExtractSurface(Input=ghosts, PieceInvariant=0)
    assert surface.GetDataInformation().GetNumberOfCells() == 6 * 20 * 20 < seams  # no faces between pieces
    # Redistributed parts come without ghost cells and their source cannot make them: the ranks trade them.
    parts = simple.RedistributeDataSet(Input=simple.Wavelet())
    seams = simple.ExtractSurface(Input=parts, PieceInvariant=0).GetDataInformation().GetNumberOfCells()
    traded = simple.ExtractSurface(Input=simple.GhostCellsGenerator(Input=parts), PieceInvariant=0)
    assert traded.GetDataInformation().GetNumberOfCells() == 6 * 20 * 20 < seams


def test_redistribute_spreads_the_cells_over_the_ranks(simple) -> None:
    cylinder = simple.Cylinder()  # made on rank 0 alone
    redistributed = simple.RedistributeDataSet(Input=cylinder, GenerateGlobalCellIds=1)
    info = redistributed.GetDataInformation()
    assert (info.GetNumberOfCells(), info.GetNumberOfPartitions()) == (8, 3)
    assert info.GetBounds() == pytest.approx(cylinder.GetDataInformation().GetBounds())
    assert redistributed.CellData["vtkGlobalCellIds"].GetRange() == (0.0, 7.0)
    d3 = simple.D3(Input=simple.Wavelet(), MinimumNumberOfGhostLevels=1)
    same_output(d3, vtk_run(vtkCleanUnstructuredGrid(), wavelet()), arrays=("RTData",), points=False)
    assert d3.GetDataInformation().GetNumberOfPartitions() == 3
    surface = simple.ExtractSurface(Input=d3, PieceInvariant=0)  # the ghost layers hide the faces between parts
    assert surface.GetDataInformation().GetNumberOfCells() == 6 * 20 * 20


def test_annotation_comes_from_the_chosen_rank(simple) -> None:
    annotation = simple.AnnotateAttributeData(Input=simple.Wavelet(), ProcessId=1)
    source = vtkRTAnalyticSource()
    source.UpdatePiece(1, 3, 0)  # rank 1's piece, as the server's Wavelet makes it
    value = vtk_to_numpy(source.GetOutput().GetPointData().GetArray("RTData"))[0]
    table = simple.Fetch(annotation)  # on rank 0 only: one row
    assert table.GetNumberOfRows() == 1
    assert table.GetColumnByName("Text").GetValue(0) == f"Value is: {value!s}"  # NumPy's str(), as ParaView's
    annotation.ProcessId = 3
    with pytest.raises(Exception, match="ProcessId 3 names no rank; the server has ranks 0 to 2"):
        simple.Fetch(annotation)


def test_overlapping_cells_are_counted_across_the_ranks_pieces(simple) -> None:
    # The two spheres are split among the ranks: cells that overlap lie in different ranks' pieces.
    spheres = [simple.Sphere(Center=center) for center in ([0, 0, 0], [0.3, 0, 0])]
    detector = simple.OverlappingCellsDetector(Input=simple.AppendDatasets(Input=spheres))
    counts = vtk_to_numpy(simple.Fetch(detector).GetCellData().GetArray("NumberOfOverlapsPerCell"))
    reference = vtk_to_numpy(overlaps_reference().GetOutput().GetCellData().GetArray("NumberOfOverlapsPerCell"))
    # vtkSphereSource computes a piece's seam points on their own, a rounding apart from the whole sphere's: a cell
    # on a seam may count one neighbour more or less. Without the gathering, cells would miss every overlap that
    # lies in another rank's piece (tens per cell).
    assert len(counts) == len(reference)
    assert np.abs(np.sort(counts) - np.sort(reference)).max() <= 1
    assert abs(int(counts.sum()) - int(reference.sum())) <= 0.01 * reference.sum()
