"""The sources of pvcore/definitions/sources_menu.py (the rest of ParaView's Sources menu) and the Random Attributes
and Random Vectors filters, through ``simple`` on the built-in session: ParaView 5.11's names and defaults, and the
same output as the VTK algorithm run here with the same settings.

The defaults are those real ParaView 5.11 prints for a new proxy of each kind (its XML: sources_filterssources.xml,
sources_imagingsources.xml, sources_renderingfreetype.xml, general_sources.xml, filters_filtersgeneral.xml).
"""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.numpy_interface import dataset_adapter as dsa
from vtkmodules.vtkCommonComputationalGeometry import vtkParametricSpline
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkFiltersCore import vtkDataObjectGenerator
from vtkmodules.vtkFiltersGeneral import vtkTimeSourceExample
from vtkmodules.vtkFiltersSources import (
    vtkCellTypeSource,
    vtkGlyphSource2D,
    vtkHyperTreeGridSource,
    vtkParametricFunctionSource,
    vtkPartitionedDataSetCollectionSource,
    vtkRandomHyperTreeGridSource,
)
from vtkmodules.vtkImagingSources import vtkImageMandelbrotSource
from vtkmodules.vtkRenderingFreeType import vtkVectorText

from pvcore.definitions.sources_menu import CELL_TYPES
from pvcore.errors import PropertyError, PVError, ResourceLimitError
from pvcore.messages import ProxyState
from pvserver.pipeline import budget, catalogue
from pvserver.pipeline.adapters_sources import CELL_TYPE_IDS
from pvserver.pipeline.executor import RankExecutor

pytestmark = pytest.mark.timeout(60)


def _vtk(algorithm: object, **values: object) -> object:
    """Run a VTK algorithm with ``Set<Name>(value)`` for each of ``values``; its output."""
    for name, value in values.items():
        getattr(algorithm, f"Set{name}")(*(value if isinstance(value, (tuple, list)) else (value,)))
    algorithm.Update()
    return algorithm.GetOutputDataObject(0)


def _same_output(proxy: object, data: object, arrays: tuple[str, ...] = ()) -> None:
    """Same counts, bounds and (for ``arrays``, point arrays) ranges as the VTK output ``data``."""
    info = proxy.GetDataInformation()
    assert info.GetNumberOfPoints() == data.GetNumberOfPoints()
    assert info.GetNumberOfCells() == data.GetNumberOfCells()
    assert list(info.GetBounds()) == pytest.approx(list(data.GetBounds()), abs=1e-6)
    for name in arrays:
        expected = data.GetPointData().GetArray(name)
        component = -1 if expected.GetNumberOfComponents() > 1 else 0
        assert proxy.PointData[name].GetRange(component) == pytest.approx(expected.GetRange(component), rel=1e-6)


def _text(simple, proxy: object) -> list[str]:
    """The strings of the Text column of a source's table."""
    table = simple.Fetch(proxy)
    assert table.IsA("vtkTable")
    column = table.GetColumnByName("Text")
    return [column.GetValue(i) for i in range(column.GetNumberOfValues())]


# ------------------------------------------------------------------------------------------ annotation


def test_3d_text(simple) -> None:
    text = simple.a3DText()
    assert text.Text == "3D Text"
    _same_output(text, _vtk(vtkVectorText(), Text="3D Text"))
    _same_output(simple.a3DText(Text="ParaView 5.11"), _vtk(vtkVectorText(), Text="ParaView 5.11"))


def test_text_is_a_table_of_one_string(simple) -> None:
    text = simple.Text()
    assert text.Text == "Text"
    assert text.GetDataInformation().GetDataSetTypeAsString() == "vtkTable"
    assert _text(simple, text) == ["Text"]
    text.Text = "two\nlines | and a pipe"
    assert _text(simple, text) == ["two\nlines | and a pipe"]  # one string, as vtkPVTextSource makes it


def test_annotate_time_formats_the_time_of_the_update(simple, monkeypatch) -> None:
    annotate = simple.AnnotateTime(registrationName="clock")
    assert annotate.Format == "Time: {time:f}"
    assert _text(simple, annotate) == ["?"]  # no time yet, as ParaView without one
    outputs = _captured_outputs(monkeypatch)

    def text_at(time: float) -> str:
        annotate.UpdatePipeline(time)
        on_server = outputs["clock"].GetColumnByName("Text").GetValue(0)
        # A table stamped with a time travels without its stamp (VTK's XML table writer would drop its rows).
        assert _text(simple, annotate) == [on_server]
        return on_server

    assert text_at(0.5) == "Time: 0.500000"
    annotate.Format = "t = {time:.2f} s, step {time:g}"
    assert text_at(2.25) == "t = 2.25 s, step 2.25"
    annotate.Format = "legacy %f"  # ParaView rewrites %f as {time:f}
    assert text_at(3.0) == "legacy 3.000000"


@pytest.mark.parametrize(
    "bad", ["{time.__class__}", "{time!r}", "{0}", "{other}", "{time:{width}}", "{time:999999999f}", "{time"]
)
def test_annotate_time_refuses_what_is_not_a_number_format(simple, bad: str) -> None:
    annotate = simple.AnnotateTime()
    with pytest.raises(PVError, match="Format"):
        annotate.Format = bad
    assert annotate.Format == "Time: {time:f}"


# ------------------------------------------------------------------------------------------ data objects


@pytest.mark.parametrize("program", ["ID1", "PD2", "UG4", "SG1"])
def test_data_object_generator(simple, program: str) -> None:
    generator = simple.DataObjectGenerator(Program=program)
    reference = _vtk(vtkDataObjectGenerator(), Program=program)
    assert generator.GetDataInformation().GetDataSetTypeAsString() == reference.GetClassName()
    _same_output(generator, reference)
    assert simple.DataObjectGenerator().Program == "ID1"


def test_data_object_generator_reports_a_bad_program(simple) -> None:
    generator = simple.DataObjectGenerator(Program="XX9")
    with pytest.raises(PVError, match=r"(?i)program"):
        generator.UpdatePipeline()


def test_fast_uniform_grid(simple) -> None:
    grid = simple.FastUniformGrid()
    assert grid.WholeExtent == [-10, 10, -10, 10, -10, 10]
    assert (grid.GenerateDistanceSquaredScalars, grid.GenerateSwirlVectors) == (1, 1)
    assert (grid.EnableSMP, grid.DesiredBytesPerPiece) == (0, 65536)
    info = grid.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (21**3, 20**3)
    assert list(info.GetBounds()) == [-10.0, 10.0, -10.0, 10.0, -10.0, 10.0]
    # What ParaView 5.11 prints for the same source:
    assert grid.PointData["X"].GetRange() == (-10.0, 10.0)
    assert grid.PointData["DistanceSquared"].GetRange() == (0.0, 300.0)
    assert grid.PointData["Swirl"].GetRange(-1) == pytest.approx((0.0, 300**0.5))
    image = simple.Fetch(simple.FastUniformGrid(WholeExtent=[0, 3, 1, 2, -1, 0]))
    data = dsa.WrapDataObject(image)
    x, y, z = np.array([image.GetPoint(i) for i in range(image.GetNumberOfPoints())]).T
    assert np.array_equal(np.asarray(data.PointData["X"]), x)
    assert np.array_equal(np.asarray(data.PointData["Swirl"]), np.column_stack((y, z, x)))
    assert np.array_equal(np.asarray(data.PointData["DistanceSquared"]), x * x + y * y + z * z)
    plain = simple.FastUniformGrid(GenerateDistanceSquaredScalars=0, GenerateSwirlVectors=0)
    assert list(plain.PointData.keys()) == ["X"]


def test_mandelbrot(simple) -> None:
    mandelbrot = simple.Mandelbrot()
    assert mandelbrot.WholeExtent == [0, 250, 0, 250, 0, 0]
    assert mandelbrot.OriginCX == [-1.75, -1.25, 0.0, 0.0] and mandelbrot.SizeCX == [2.5, 2.5, 2.0, 1.5]
    assert (mandelbrot.MaximumNumberofIterations, mandelbrot.ProjectionAxes, mandelbrot.SubsampleRate) == (
        100, [0, 1, 2], 1,
    )  # fmt: skip
    _same_output(mandelbrot, _vtk(vtkImageMandelbrotSource()), ("Iterations",))
    changed = {"WholeExtent": (0, 60, 0, 40, 0, 5), "MaximumNumberOfIterations": 40, "SubsampleRate": 2}
    proxy = simple.Mandelbrot(WholeExtent=[0, 60, 0, 40, 0, 5], MaximumNumberofIterations=40, SubsampleRate=2)
    _same_output(proxy, _vtk(vtkImageMandelbrotSource(), **changed), ("Iterations",))
    with pytest.raises(PropertyError, match="MaximumNumberofIterations"):
        simple.Mandelbrot(MaximumNumberofIterations=5001)
    with pytest.raises(PropertyError, match="ProjectionAxes"):
        simple.Mandelbrot(ProjectionAxes=[0, 1, 7])  # VTK writes out of bounds on such an axis


def test_unstructured_cell_types(simple) -> None:
    assert set(CELL_TYPE_IDS) == set(CELL_TYPES)
    cells = simple.UnstructuredCellTypes()
    assert (cells.BlocksDimensions, cells.CellType, cells.CellOrder) == ([10, 10, 10], "Hex", 3)
    assert (cells.Addnodestocompletepolynomialbasis, cells.PolynomialFieldOrder, cells.OutputPrecision) == (
        0, 1, "Single",
    )  # fmt: skip
    arrays = ("DistanceToCenter", "Polynomial")
    _same_output(cells, _vtk(vtkCellTypeSource(), BlocksDimensions=(10, 10, 10), CellType=12, CellOrder=3), arrays)
    for label in ("Tet", "Quadratic Wedge", "Lagrange Hexahedron", "Triangle"):
        proxy = simple.UnstructuredCellTypes(CellType=label, BlocksDimensions=[3, 2, 4], CellOrder=2)
        reference = _vtk(vtkCellTypeSource(), BlocksDimensions=(3, 2, 4), CellType=CELL_TYPE_IDS[label], CellOrder=2)
        _same_output(proxy, reference, arrays)
    with pytest.raises(PropertyError, match="PolynomialFieldOrder"):
        simple.UnstructuredCellTypes(PolynomialFieldOrder=1000)  # minutes per point in VTK


def test_partitioned_dataset_collection_source(simple) -> None:
    assert simple.PartitionedDataSetCollectionSource().NumberOfShapes == 1
    shapes = simple.PartitionedDataSetCollectionSource(NumberOfShapes=4)
    reference = _vtk(vtkPartitionedDataSetCollectionSource(), NumberOfShapes=4)
    info = shapes.GetDataInformation()
    assert info.GetDataSetTypeAsString() == "vtkPartitionedDataSetCollection"
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (reference.GetNumberOfPoints(), 4 * 4802)
    bounds = [0.0] * 6
    reference.GetBounds(bounds)
    assert list(info.GetBounds()) == pytest.approx(bounds)
    assert {"PartitionId", "ObjectId"} <= set(shapes.PointData.keys())
    assert shapes.PointData["ObjectId"].GetRange() == (0.0, 3.0)
    with pytest.raises(PropertyError, match="NumberOfShapes"):
        simple.PartitionedDataSetCollectionSource(NumberOfShapes=13)


def _captured_outputs(monkeypatch) -> dict[str, object]:
    """The data each update returns, by proxy name (for data that data information does not describe)."""
    outputs: dict[str, object] = {}
    original = RankExecutor.update

    def spy(self, global_id, *args, **kwargs):
        data = original(self, global_id, *args, **kwargs)
        outputs[self.object(global_id).name] = data
        return data

    monkeypatch.setattr(RankExecutor, "update", spy)
    return outputs


def test_hyper_tree_grids(simple, monkeypatch) -> None:
    outputs = _captured_outputs(monkeypatch)
    grid = simple.HyperTreeGrid(registrationName="fixed")
    assert (grid.Dimensions, grid.GridScale, grid.BranchFactor, grid.MaxDepth, grid.Descriptor) == (
        [2, 2, 2], [1.0, 1.0, 1.0], 2, 1, ".",
    )  # fmt: skip
    descriptor = "RRR.|" + "." * 24  # three refined roots of four, eight children each
    refined = simple.HyperTreeGrid(Dimensions=[3, 3, 2], MaxDepth=3, Descriptor=descriptor, registrationName="r")
    random = simple.HyperTreeGridRandom(registrationName="random")
    assert (random.Dimensions, random.MaxDepth, random.Seed, random.SplitFraction) == ([6, 6, 3], 5, 0, 0.5)
    assert random.OutputBounds == [-10.0, 10.0, -10.0, 10.0, -10.0, 10.0]
    for proxy in (grid, refined, random):
        proxy.UpdatePipeline()
        assert proxy.GetDataInformation().GetDataSetTypeAsString() == "vtkHyperTreeGrid"
    references = {
        "fixed": _vtk(vtkHyperTreeGridSource(), Dimensions=(2, 2, 2), MaxDepth=1, Descriptor="."),
        "r": _vtk(vtkHyperTreeGridSource(), Dimensions=(3, 3, 2), MaxDepth=3, Descriptor=descriptor),
        "random": _vtk(vtkRandomHyperTreeGridSource(), Dimensions=(6, 6, 3), MaxDepth=5, Seed=0, SplitFraction=0.5,
                       OutputBounds=(-10, 10, -10, 10, -10, 10)),
    }  # fmt: skip
    for name, reference in references.items():
        data = outputs[name]
        assert data.GetNumberOfCells() == reference.GetNumberOfCells(), name
        assert data.GetBounds() == pytest.approx(reference.GetBounds()), name
    assert outputs["random"].GetNumberOfCells() == 65354  # what ParaView 5.11 reports


# ------------------------------------------------------------------------------------------ geometric shapes


def test_poly_line_and_poly_point_sources(simple) -> None:
    line = simple.PolyLineSource()
    assert (line.Points, line.Closed) == ([0.0, 0.0, 0.0, 1.0, 0.0, 0.0], 0)
    info = line.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells(), list(info.GetBounds())) == (2, 1, [0, 1, 0, 0, 0, 0])
    line.Points = [0, 0, 0, 1, 2, 0, 3, -1, 4, 5, 5, 5]
    line.Closed = 1
    data = simple.Fetch(line)
    assert (data.GetNumberOfPoints(), data.GetNumberOfCells(), data.GetBounds()) == (4, 1, (0, 5, -1, 5, 0, 5))
    assert data.GetCell(0).GetNumberOfPoints() == 5  # closed: back to the first point
    points = simple.PolyPointSource()
    assert points.Points == [0.0, 0.0, 0.0]
    points.Points = [1, 1, 1, 2, 2, 2, 3, 3, 3]
    info = points.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells(), list(info.GetBounds())) == (3, 1, [1, 3, 1, 3, 1, 3])
    with pytest.raises(PVError, match="x, y, z per point"):
        points.Points = [1, 2, 3, 4]
    assert points.Points == [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0]


def test_spline_source(simple) -> None:
    spline = simple.SplineSource()
    assert spline.Resolution == 50
    assert spline.ParametricFunction.GetXMLName() == "Spline"
    assert (spline.ParametricFunction.Points, spline.ParametricFunction.Closed) == ([0.0, 0.0, 0.0, 1.0, 0.0, 0.0], 0)
    info = spline.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells(), list(info.GetBounds())) == (51, 1, [0, 1, 0, 0, 0, 0])
    coordinates = [0, 0, 0, 1, 1, 0, 2, 0, 1, 3, 1, 1]
    spline.ParametricFunction.Points = coordinates
    spline.ParametricFunction.Closed = 1
    spline.Resolution = 30
    reference_points = vtkPoints()
    for i in range(0, len(coordinates), 3):
        reference_points.InsertNextPoint(coordinates[i : i + 3])
    function = vtkParametricSpline()
    function.SetPoints(reference_points)
    function.SetClosed(1)
    source = vtkParametricFunctionSource()
    source.SetParametricFunction(function)
    _same_output(spline, _vtk(source, UResolution=30))


def test_2d_glyph(simple) -> None:
    glyph = simple.a2DGlyph()
    assert (glyph.GlyphType, glyph.Filled, glyph.Center) == ("Arrow", 0, [0.0, 0.0, 0.0])
    _same_output(glyph, _vtk(vtkGlyphSource2D(), GlyphType=9, Filled=0))  # VTK's own defaults: a filled vertex
    square = simple.a2DGlyph(GlyphType="Square", Filled=1, Center=[1, 2, 0])
    _same_output(square, _vtk(vtkGlyphSource2D(), GlyphType=6, Filled=1, Center=(1, 2, 0)))
    with pytest.raises(PropertyError, match="GlyphType"):
        simple.a2DGlyph(GlyphType="Star")


def test_time_source_follows_the_time_of_the_update(simple) -> None:
    source = simple.TimeSource(Growing=1, XAmplitude=2.0)
    assert (source.Analytic, source.YAmplitude) == (0, 0.0)
    assert source.TimestepValues == pytest.approx([i / 9 for i in range(10)])
    with pytest.raises(PropertyError, match="read-only"):
        source.TimestepValues = [1.0]
    for time in (0.0, 4 / 9, 1.0):
        source.UpdatePipeline(time)
        reference = vtkTimeSourceExample()
        reference.SetGrowing(1)
        reference.SetXAmplitude(2.0)
        reference.UpdateTimeStep(time)
        _same_output(source, reference.GetOutputDataObject(0), ("Point Value", "Point X"))


# ------------------------------------------------------------------------------------------ random data


def test_random_attributes(simple) -> None:
    wavelet = simple.Wavelet()
    random = simple.RandomAttributes(Input=wavelet)
    assert (random.DataType, random.ComponentRange, random.AttributesConstantPerBlock) == ("UnsignedChar", [0, 255], 0)
    assert (random.GeneratePointScalars, random.GeneratePointVectors) == (0, 0)
    assert (random.GenerateCellScalars, random.GenerateCellVectors) == (0, 1)
    info = random.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (9261, 8000)
    vectors = random.CellData["RandomCellVectors"]
    assert vectors.GetNumberOfComponents() == 3 and vectors.GetDataType() == "unsigned char"
    assert 0 <= vectors.GetRange(0)[0] and vectors.GetRange(0)[1] <= 255
    doubles = simple.RandomAttributes(Input=wavelet, DataType="Double", ComponentRange=[-1, 1], GeneratePointScalars=1)
    scalars = doubles.PointData["RandomPointScalars"]
    assert scalars.GetDataType() == "double" and -1 <= scalars.GetRange()[0] < scalars.GetRange()[1] <= 1


def test_random_vectors_feed_a_warp_as_in_paraviews_reset_property_test(simple) -> None:
    wavelet = simple.Wavelet()
    vectors = simple.RandomVectors(Input=wavelet)
    assert (vectors.MinimumSpeed, vectors.MaximumSpeed) == (0.0, 1.0)
    brownian = vectors.PointData["BrownianVectors"]
    assert brownian.GetNumberOfComponents() == 3
    assert 0.0 <= brownian.GetRange(-1)[0] < brownian.GetRange(-1)[1] <= 1.0
    fast = simple.RandomVectors(Input=wavelet, MinimumSpeed=2.0, MaximumSpeed=3.0)
    low, high = fast.PointData["BrownianVectors"].GetRange(-1)
    assert 2.0 - 1e-6 <= low < high <= 3.0 + 1e-6
    warp = simple.WarpByVector(Input=vectors)
    warp.Vectors = ["POINTS", "BrownianVectors"]
    bounds = warp.GetDataInformation().GetBounds()
    assert bounds[0] < -10.0 + 1e-9 or bounds[1] > 10.0 - 1e-9  # the points moved by up to a unit
    assert all(abs(b) <= 11.0 for b in bounds)


# ------------------------------------------------------------------------------------------ sizes


def _state(type_name: str, group: str = "sources", **values: object) -> ProxyState:
    spec = catalogue.get(group, type_name)
    given = {k: v if isinstance(v, tuple) else (v,) for k, v in values.items()}
    return ProxyState(1, group, type_name, f"{type_name}1", {**spec.defaults(), **given})


def test_size_rules_follow_vtk_and_refuse_what_would_not_fit() -> None:
    size = budget.estimate(_state("FastUniformGrid", WholeExtent=(0, 99, 0, 49, 0, 9)))
    assert (size.points, size.cells, size.split) == (100 * 50 * 10, 99 * 49 * 9, True)
    mandelbrot = _vtk(vtkImageMandelbrotSource(), WholeExtent=(0, 99, 0, 49, 0, 0), SubsampleRate=3)
    size = budget.estimate(_state("Mandelbrot", WholeExtent=(0, 99, 0, 49, 0, 0), SubsampleRate=3))
    assert (size.points, size.cells) == (mandelbrot.GetNumberOfPoints(), mandelbrot.GetNumberOfCells())
    for label in ("Hex", "Tet", "Lagrange Tetrahedron", "Quad"):
        cells = _vtk(vtkCellTypeSource(), BlocksDimensions=(4, 5, 6), CellType=CELL_TYPE_IDS[label], CellOrder=4)
        size = budget.estimate(_state("UnstructuredCellTypes", BlocksDimensions=(4, 5, 6), CellType=label, CellOrder=4))
        assert cells.GetNumberOfPoints() <= size.points and cells.GetNumberOfCells() <= size.cells, label
    random = _vtk(vtkRandomHyperTreeGridSource(), Dimensions=(6, 6, 3), MaxDepth=5, SplitFraction=0.5)
    size = budget.estimate(_state("HyperTreeGridRandom"))
    assert 0.8 <= size.cells / random.GetNumberOfCells() <= 1.25
    assert budget.estimate(_state("a3DText", Text="abc")).points >= 3 * 114  # '@' has 114 points
    limit = budget.Budget(2**30, ranks=3)
    for st, driver in (
        (_state("FastUniformGrid", WholeExtent=(0, 2999) * 3), "WholeExtent"),
        (_state("Mandelbrot", WholeExtent=(0, 99999, 0, 99999, 0, 0)), "WholeExtent"),
        (_state("UnstructuredCellTypes", BlocksDimensions=(1000, 1000, 1000)), "BlocksDimensions"),
        (_state("HyperTreeGridRandom", MaxDepth=40), "MaxDepth"),
        (_state("SplineSource", Resolution=10**9), "Resolution"),
    ):
        with pytest.raises(ResourceLimitError, match=driver):
            limit.check([st], {})
