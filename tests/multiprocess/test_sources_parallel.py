"""The Sources menu on 3 ranks: a source that splits its output (the images by extent, UnstructuredCellTypes by
piece) gives the same totals as the VTK algorithm on one process, and one that cannot (or that VTK would make
whole on every rank: DataObjectGenerator, TimeSource, the text tables) is made once, on rank 0.

Point counts of split data count the points on partition boundaries once per rank that holds them (as ParaView's
do), so cells, bounds and array ranges are compared, and the points of unsplit data.
"""

from __future__ import annotations

import pytest
from servers import ServerProcess
from vtkmodules.vtkFiltersCore import vtkDataObjectGenerator
from vtkmodules.vtkFiltersGeneral import vtkTimeSourceExample
from vtkmodules.vtkFiltersSources import vtkCellTypeSource, vtkPartitionedDataSetCollectionSource
from vtkmodules.vtkImagingSources import vtkImageMandelbrotSource
from vtkmodules.vtkRenderingFreeType import vtkVectorText

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]


@pytest.fixture
def simple(simple_state, server3: ServerProcess):
    """``simple`` connected to the module's server; what a test made is deleted after it (the session outlives
    its clients)."""
    simple_state.Connect(server3.url)
    yield simple_state
    for proxy in reversed(list(simple_state.GetSources().values())):  # consumers before their inputs
        simple_state.Delete(proxy)


def _run(algorithm: object, **values: object) -> object:
    for name, value in values.items():
        getattr(algorithm, f"Set{name}")(*(value if isinstance(value, (tuple, list)) else (value,)))
    algorithm.Update()
    return algorithm.GetOutputDataObject(0)


def _totals(proxy: object, data: object, arrays: tuple[str, ...] = (), points: bool = False) -> object:
    """The proxy's data information, checked against the one-process VTK output ``data``."""
    info = proxy.GetDataInformation()
    assert info.GetNumberOfCells() == data.GetNumberOfCells()
    if points:
        assert info.GetNumberOfPoints() == data.GetNumberOfPoints()
    assert list(info.GetBounds()) == pytest.approx(list(data.GetBounds()), abs=1e-6)
    for name in arrays:
        expected = data.GetPointData().GetArray(name)
        component = -1 if expected.GetNumberOfComponents() > 1 else 0
        assert proxy.PointData[name].GetRange(component) == pytest.approx(expected.GetRange(component), rel=1e-6)
    return info


def test_split_sources_give_the_totals_of_one_process(simple) -> None:
    grid = simple.FastUniformGrid(WholeExtent=[-6, 6, -5, 5, -4, 4])
    info = grid.GetDataInformation()
    assert info.GetNumberOfPartitions() == 3  # split by extent
    assert info.GetNumberOfCells() == 12 * 10 * 8
    assert list(info.GetBounds()) == [-6.0, 6.0, -5.0, 5.0, -4.0, 4.0]
    assert grid.PointData["X"].GetRange() == (-6.0, 6.0)
    assert grid.PointData["DistanceSquared"].GetRange() == (0.0, 36.0 + 25.0 + 16.0)
    merged = simple.Fetch(grid)
    assert (merged.GetNumberOfPoints(), merged.GetExtent()) == (13 * 11 * 9, (-6, 6, -5, 5, -4, 4))

    cells = simple.UnstructuredCellTypes(BlocksDimensions=[4, 5, 6], CellType="Tet")
    reference = _run(vtkCellTypeSource(), BlocksDimensions=(4, 5, 6), CellType=10)
    assert _totals(cells, reference, ("DistanceToCenter", "Polynomial")).GetNumberOfPartitions() == 3


def test_unsplit_sources_are_made_once(simple) -> None:
    mandelbrot = simple.Mandelbrot(WholeExtent=[0, 80, 0, 60, 0, 0])
    _totals(mandelbrot, _run(vtkImageMandelbrotSource(), WholeExtent=(0, 80, 0, 60, 0, 0)), ("Iterations",), True)
    text = simple.a3DText(Text="pvcollab")
    _totals(text, _run(vtkVectorText(), Text="pvcollab"), points=True)
    generator = simple.DataObjectGenerator(Program="UG4")
    info = _totals(generator, _run(vtkDataObjectGenerator(), Program="UG4"), points=True)
    assert info.GetNumberOfPartitions() == 1  # VTK would make it on every rank: it is on rank 0 alone
    line = simple.PolyLineSource(Points=[0, 0, 0, 1, 1, 1, 2, 0, 2])
    assert (line.GetDataInformation().GetNumberOfPoints(), line.GetDataInformation().GetNumberOfCells()) == (3, 1)


def test_time_source_and_text_tables_on_three_ranks(simple) -> None:
    source = simple.TimeSource(Growing=1)
    for time in (0.0, 1.0):
        source.UpdatePipeline(time)
        reference = vtkTimeSourceExample()
        reference.SetGrowing(1)
        reference.UpdateTimeStep(time)
        _totals(source, reference.GetOutputDataObject(0), ("Point Value",), points=True)
    text = simple.Fetch(simple.Text(Text="one string"))
    assert text.GetNumberOfRows() == 1 and text.GetColumnByName("Text").GetValue(0) == "one string"
    annotate = simple.AnnotateTime(Format="at {time:.1f}")
    annotate.UpdatePipeline(3.0)
    table = simple.Fetch(annotate)
    assert table.GetNumberOfRows() == 1 and table.GetColumnByName("Text").GetValue(0) == "at 3.0"


def test_random_filters_on_split_data(simple) -> None:
    wavelet = simple.Wavelet()
    vectors = simple.RandomVectors(Input=wavelet, MinimumSpeed=0.5, MaximumSpeed=2.0)
    info = vectors.GetDataInformation()
    assert (info.GetNumberOfCells(), info.GetNumberOfPartitions()) == (8000, 3)
    low, high = vectors.PointData["BrownianVectors"].GetRange(-1)
    assert 0.5 - 1e-6 <= low < high <= 2.0 + 1e-6
    random = simple.RandomAttributes(Input=wavelet, GenerateCellScalars=1, ComponentRange=[10, 20])
    low, high = random.CellData["RandomCellScalars"].GetRange()
    assert 10 <= low < high <= 20
    assert random.GetDataInformation().GetNumberOfCells() == 8000


def test_partitioned_collection_makes_more_parts_on_later_ranks(simple) -> None:
    """VTK's test source of partitioned data: rank r of 3 makes r + 1 parts of each shape (as in ParaView), so the
    counts and bounds are those of its three pieces together (the bounds nearly those of one process: the parts
    sample the surfaces more finely)."""
    shapes = simple.PartitionedDataSetCollectionSource(NumberOfShapes=2)
    pieces = []
    for rank in range(3):
        source = vtkPartitionedDataSetCollectionSource()
        source.SetNumberOfShapes(2)
        source.UpdatePiece(rank, 3, 0)
        pieces.append(source.GetOutputDataObject(0))
    info = shapes.GetDataInformation()
    assert info.GetNumberOfCells() == sum(p.GetNumberOfCells() for p in pieces) == 6 * 2 * 4802
    piece_bounds = []
    for piece in pieces:
        bounds = [0.0] * 6
        piece.GetBounds(bounds)
        piece_bounds.append(bounds)
    merged = [min(b[i] for b in piece_bounds) if i % 2 == 0 else max(b[i] for b in piece_bounds) for i in range(6)]
    assert list(info.GetBounds()) == pytest.approx(merged)
    assert shapes.PointData["PartitionId"].GetRange() == (0.0, 5.0)
