"""The filters of pvcore/definitions/filters_more*.py on a 3-rank server: the same cells, bounds and array ranges
as the plain VTK algorithm on the whole input in the test process (tests/more_filter_references.py holds the
cases), and the results that depend on all the data (Outline's box, Texture Map to Sphere's centre, Cell Size's
sums, Median's neighbourhoods across the pieces' borders) as on one rank.

Points that two ranks' pieces share count once per piece (as ParaView counts them), so point counts are compared
only where the output is on one rank (the outlines). Filters whose result ParaView computes piece by piece too
(Quadric Clustering's bins, Triangle Strips, the automatic texture planes, the extrusions of the pieces' borders)
are left out of the comparison with the whole.
"""

from __future__ import annotations

import numpy as np
import pytest
from more_filter_references import CASES, build, reference, vtk_input
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkFiltersTexture import vtkTextureMapToSphere

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

#: The cases whose cells, bounds and array ranges on 3 ranks are those of the whole.
PIECE_INVARIANT = (
    "PassThrough", "Tetrahedralize", "Subdivide", "MeshQuality", "CellSize", "CountCellFaces", "CountCellVertices",
    "ExtractCellsByType", "MergeVectorComponents", "PerlinNoise", "ImageDatatoPointSet", "RemoveGhostInformation",
    "ReverseSense", "DeflectNormals", "RenameArrays", "RotationalExtrusion", "ImageShrink", "Median",
)  # fmt: skip


@pytest.fixture
def simple(simple_state, server3):
    """``simple`` connected to the 3-rank server."""
    simple_state.Connect(server3.url)
    assert simple_state.GetActiveConnection().GetNumberOfDataPartitions() == 3
    return simple_state


def same_output(proxy: object, algorithm: object, arrays: tuple[str, ...] = (), points: bool = False) -> None:
    """The proxy's cell count, bounds and array ranges are the algorithm's (and its point count, with
    ``points``)."""
    data = algorithm.GetOutputDataObject(0)
    info = proxy.GetDataInformation()
    assert info.GetNumberOfCells() == data.GetNumberOfCells()
    if points:
        assert info.GetNumberOfPoints() == data.GetNumberOfPoints()
    assert data.GetNumberOfPoints() > 0
    assert list(info.GetBounds()) == pytest.approx(list(data.GetBounds()), abs=1e-6)
    for name in arrays:
        array = data.GetPointData().GetArray(name)
        got = proxy.PointData[name] if array is not None else proxy.CellData[name]
        array = array if array is not None else data.GetCellData().GetArray(name)
        component = -1 if array.GetNumberOfComponents() > 1 else 0
        assert got.GetRange(component) == pytest.approx(array.GetRange(component), rel=1e-6, abs=1e-9), name


def test_piece_invariant_filters_match_vtk_on_the_whole(simple) -> None:
    for name in PIECE_INVARIANT:
        case = CASES[name]
        same_output(build(simple, name), reference(case), case.arrays)


def test_outlines_bound_all_ranks_once(simple) -> None:
    for name in ("Outline", "OutlineCorners"):
        proxy = build(simple, name)
        same_output(proxy, reference(CASES[name]), points=True)
        whole = simple.Fetch(proxy)
        assert whole.GetNumberOfCells() == reference(CASES[name]).GetOutput().GetNumberOfCells()


def test_image_filters_give_the_whole_image_by_pieces(simple) -> None:
    for name, array in (("Median", "RTData"), ("ImageShrink", "ImageScalars")):
        merged = simple.Fetch(build(simple, name))  # the ranks' pieces laid together by their extents
        whole = reference(CASES[name]).GetOutput()
        assert merged.GetExtent() == whole.GetExtent(), name
        got = vtk_to_numpy(merged.GetPointData().GetArray(array))
        assert np.allclose(got, vtk_to_numpy(whole.GetPointData().GetArray(array))), name


def test_texture_map_to_sphere_centres_on_all_points(simple) -> None:
    proxy = build(simple, "TextureMaptoSphere")
    # ParaView's centre is the mean of every rank's points, those that pieces share counted once per piece
    points = []
    for piece in range(3):
        source = vtk_input("sphere")  # a vtkSphereSource with ParaView's defaults
        source.UpdatePiece(piece, 3, 0)
        points.append(vtk_to_numpy(source.GetOutput().GetPoints().GetData()).copy())
    centre = np.concatenate(points).mean(axis=0)
    mapper = vtkTextureMapToSphere()
    mapper.AutomaticSphereGenerationOff()
    mapper.SetCenter(*centre)
    same_output(proxy, reference_with(mapper), ("Texture Coordinates",))


def reference_with(algorithm: object) -> object:
    """``algorithm`` run on the whole default Sphere (the pieces' points at the same places)."""
    source = vtk_input("sphere")
    algorithm.SetInputConnection(source.GetOutputPort())
    algorithm.upstream = source
    algorithm.Update()
    return algorithm


def test_process_ids_and_cell_size_sums(simple) -> None:
    ids = simple.ProcessIdScalars(Input=simple.Sphere())
    assert ids.PointData["ProcessId"].GetRange() == (0.0, 2.0)
    ids.CellScalars = 1
    assert ids.CellData["ProcessId"].GetRange() == (0.0, 2.0)
    sizes = simple.CellSize(Input=simple.Sphere(), ComputeSum=1)
    single = reference(CASES["CellSize"])
    single.SetComputeSum(1)
    single.Update()
    total = single.GetOutput().GetFieldData().GetArray("Area").GetValue(0)
    assert sizes.FieldData["Area"].GetRange() == pytest.approx((total, total))
