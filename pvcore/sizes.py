"""How big a proxy's output will be, from its properties alone: the size rules of the catalogue's entries.

A rule estimates the points, cells and bytes of the WHOLE output (all ranks together) before anything runs, so
that the server can refuse a request that would exhaust a rank's memory (see :mod:`pvserver.pipeline.budget`).
The formulas are VTK's own counts for the sources (checked against VTK in ``tests/unit/test_budget.py``) and
upper bounds for the filters that multiply their input. It imports neither VTK nor the catalogue.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

# Bytes of what VTK stores: float coordinates or normals (x, y, z), a cell's offset and each of its point ids.
_XYZ = 12
_ID = 8
# vtkConeSource, vtkCylinderSource and vtkArrowSource clamp their resolutions; the estimate does the same.
_CONE_MAX, _ARROW_MAX = 512, 128


@dataclass(frozen=True)
class Size:
    """Points, cells and bytes of a whole output; ``split`` when the ranks share it (else one rank holds it all)."""

    points: int
    cells: int
    bytes: int
    split: bool = False

    def per_rank(self, ranks: int) -> int:
        """Bytes the busiest rank holds."""
        return math.ceil(self.bytes / max(ranks, 1)) if self.split else self.bytes


@dataclass(frozen=True)
class Inputs:
    """What a filter's rule knows of its inputs: the Input's size and those of its helpers (GlyphType), or None."""

    input: Size | None = None
    helpers: Mapping[str, Size | None] = field(default_factory=dict)


Estimate = Callable[[Mapping[str, tuple], Inputs], "Size | None"]


@dataclass(frozen=True)
class SizeRule:
    """A catalogue entry's size rule: the estimate, and the properties that drive it (named in a refusal)."""

    estimate: Estimate
    properties: tuple[str, ...]


def _poly(points: int, cells: int, ids: int, point_bytes: int = _XYZ, split: bool = False) -> Size:
    """Polygonal data: coordinates and point arrays, a cell array of ``cells`` cells holding ``ids`` point ids."""
    return Size(points, cells, points * point_bytes + (cells + ids) * _ID, split)


def _first(values: Mapping[str, tuple], name: str) -> int:
    return int(values[name][0])


# ----------------------------------------------------------------------------------------------- sources


def wavelet(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkRTAnalyticSource: an image of the extent (sub-sampled), one float per point (RTData); split by extent."""
    extent, rate = values["WholeExtent"], max(_first(values, "SubsampleRate"), 1)
    sides = [max(extent[2 * i + 1] - extent[2 * i], -1) // rate + 1 for i in range(3)]
    points = math.prod(sides)
    cells = math.prod(s - 1 for s in sides if s > 1) if points > 1 else 0
    return Size(points, cells, points * 4, split=True)


def sphere(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkSphereSource: theta x (phi - 2) points and the poles, two triangles per quad; split by theta."""
    theta, phi = _first(values, "ThetaResolution"), _first(values, "PhiResolution")
    points, cells = theta * (phi - 2) + 2, 2 * theta * (phi - 2)
    return _poly(points, cells, 3 * cells, 2 * _XYZ, split=True)


def glyph_sphere(values: Mapping[str, tuple], inputs: Inputs) -> Size:
    """A Glyph's sphere: every rank builds the whole shape."""
    return replace(sphere(values, inputs), split=False)


def plane(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkPlaneSource: a grid of quads with normals and texture coordinates, all on one rank."""
    nx, ny = _first(values, "XResolution"), _first(values, "YResolution")
    return _poly((nx + 1) * (ny + 1), nx * ny, 4 * nx * ny, 2 * _XYZ + 8)


def line(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkLineSource: one polyline through resolution + 1 points."""
    points = _first(values, "Resolution") + 1
    return _poly(points, 1, points, _XYZ + 4)


def point_source(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkPointSource: the points and one poly-vertex."""
    points = _first(values, "NumberOfPoints")
    return _poly(points, 1, points)


def cone(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkConeSource: the apex, one point per side and the base polygon."""
    res = min(_first(values, "Resolution"), _CONE_MAX)
    return _poly(res + 2, res + 1, 4 * res, 2 * _XYZ)


def cylinder(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkCylinderSource: a quad per side and two cap polygons, with normals and texture coordinates."""
    res = min(_first(values, "Resolution"), _CONE_MAX)
    return _poly(4 * res, res + 2, 6 * res, 2 * _XYZ + 8)


def arrow(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkArrowSource: a cone for the tip and a cylinder for the shaft."""
    tip = min(_first(values, "TipResolution"), _ARROW_MAX)
    shaft = max(min(_first(values, "ShaftResolution"), _ARROW_MAX), 2)
    return _poly(tip + 1 + 4 * shaft, tip + 1 + shaft + 2, 4 * tip + 6 * shaft, 2 * _XYZ)


def box(_values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkCubeSource: six quads with points of their own, normals and texture coordinates."""
    return _poly(24, 6, 24, 2 * _XYZ + 8)


def disk(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkDiskSource: (radial + 1) rings of circumferential points, one quad per pair of them."""
    radial = max(_first(values, "RadialResolution"), 1)
    around = max(_first(values, "CircumferentialResolution"), 3)
    return _poly((radial + 1) * around, radial * around, 4 * radial * around)


def superquadric(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkSuperquadricSource: theta and phi rounded up to multiples of 8 and 4; (phi + 4) x (theta + 8) points with
    normals and texture coordinates, 8 triangle strips per phi step of 2 (theta / 8 + 1) points each."""
    theta = 8 * max(math.ceil(_first(values, "ThetaResolution") / 8), 1)
    phi = 4 * max(math.ceil(_first(values, "PhiResolution") / 4), 1)
    return _poly((phi + 4) * (theta + 8), 8 * phi, phi * (2 * theta + 16), 2 * _XYZ + 8)


def outline(_values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkOutlineSource: the 8 corners of a box and its 12 edges."""
    return _poly(8, 12, 24)


def ellipse(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkEllipseArcSource: one polyline through resolution + 1 points (one more when closed), double coordinates
    and normals."""
    points = _first(values, "Resolution") + 1 + _first(values, "Close")
    return _poly(points, 1, points, 2 * _XYZ + _XYZ)


def axes(_values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkAxes: three lines of two points each, with normals and a scalar."""
    return _poly(6, 3, 6, 2 * _XYZ + 4)


# ----------------------------------------------------------------------------------------------- the Sources menu


def _extent_sides(values: Mapping[str, tuple], rate: int = 1) -> list[int]:
    extent = values["WholeExtent"]
    return [max(extent[2 * i + 1] - extent[2 * i], -1) // max(rate, 1) + 1 for i in range(3)]


def _image(sides: list[int], point_bytes: int, split: bool) -> Size:
    points = math.prod(sides)
    cells = math.prod(s - 1 for s in sides if s > 1) if points > 1 else 0
    return Size(points, cells, points * point_bytes, split)


def fast_uniform_grid(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkImageSimpleSource: an image of the extent with X, DistanceSquared and Swirl (5 floats); split by extent."""
    return _image(_extent_sides(values), 20, split=True)


def mandelbrot(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkImageMandelbrotSource: an image of the extent (sub-sampled), one float per point, all on rank 0."""
    return _image(_extent_sides(values, _first(values, "SubsampleRate")), 4, split=False)


def vector_text(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkVectorText: at most 120 points and 120 triangles per character."""
    chars = len(values.get("Text", ("",))[0])
    return _poly(120 * chars, 120 * chars, 360 * chars)


def point_list(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkPolyLineSource / vtkPolyPointSource: the listed points (x, y, z each) in one cell."""
    points = len(values.get("Points", ())) // 3
    return _poly(points, 1, points + 1, 2 * _XYZ)


def spline(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkParametricFunctionSource of a spline: one polyline through Resolution + 1 points."""
    points = _first(values, "Resolution") + 1
    return _poly(points, 1, points, 2 * _XYZ)


def data_object_generator(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkDataObjectGenerator: at most 27 points and 8 cells for each dataset its Program names (ID1, UG4 ...)."""
    leaves = len(re.findall(r"(?:ID|UF|RG|SG|PD|UG)\d", values.get("Program", ("",))[0]))
    return _poly(27 * leaves, 8 * leaves, 64 * leaves, 2 * _XYZ)


def _cell_type_dimension(label: str) -> int:
    return 1 if label.endswith(("Line", "Curve")) else 2 if label.endswith(("Triangle", "Quad", "Quadrilateral")) else 3


def cell_types(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkCellTypeSource: a block per BlocksDimensions cell, split into at most 12 cells (tetrahedra), with
    (order x blocks + 1) points along each axis, twice for simplices; split by piece."""
    label = values.get("CellType", ("Hex",))[0]
    dimension = _cell_type_dimension(label)
    blocks = [max(int(b), 1) for b in values["BlocksDimensions"][:dimension]]
    order = _first(values, "CellOrder") if label.startswith(("Lagrange", "Bezier")) else 3
    points = 2 * math.prod(order * b + 1 for b in blocks)
    cells = (1, 2, 12)[dimension - 1] * math.prod(blocks)
    return Size(points, cells, points * 80 + cells * 16, split=True)


def _trees(dimensions: tuple) -> tuple[int, int]:
    """Root cells of a hyper tree grid of ``dimensions`` points, and the axes it refines."""
    return math.prod(max(int(d) - 1, 1) for d in dimensions), sum(int(d) > 1 for d in dimensions)


def hyper_tree_grid_random(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkRandomHyperTreeGridSource: each node of levels 0 to MaxDepth - 1 splits with SplitFraction into 2^axes
    children; the expected count of nodes (an estimate, not a bound); split by piece."""
    trees, axes = _trees(values["Dimensions"])
    children = float(values.get("SplitFraction", (0.5,))[0]) * 2**axes
    levels = _first(values, "MaxDepth") + 1
    per_tree = levels if children == 1 else (children**levels - 1) / (children - 1)
    cells = math.ceil(trees * per_tree)
    return Size(0, cells, 16 * cells, split=True)


def hyper_tree_grid(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkHyperTreeGridSource: one node per character of the Descriptor ('R' refined, '.' a leaf)."""
    trees, _axes = _trees(values["Dimensions"])
    descriptor = values.get("Descriptor", (".",))[0]
    cells = max(descriptor.count("R") + descriptor.count("."), trees)
    return Size(0, cells, 16 * cells)


def partitioned_shapes(values: Mapping[str, tuple], _inputs: Inputs) -> Size:
    """vtkPartitionedDataSetCollectionSource: a 50 x 50 parametric surface per shape and part (rank r of n makes
    r + 1 parts of each: this counts one part per shape and rank)."""
    shapes = _first(values, "NumberOfShapes")
    return Size(2500 * shapes, 4802 * shapes, 270 * 1024 * shapes)


def _small(points: int, cells: int) -> Estimate:
    def estimate(_values: Mapping[str, tuple], _inputs: Inputs) -> Size:
        return _poly(points, cells, 8 * cells, 2 * _XYZ)

    return estimate


# ----------------------------------------------------------------------------------------------- filters


def same_as_input(_values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """A filter that keeps about the size of its input (the default for filters without a rule of their own)."""
    return inputs.input


def gathered_on_rank_0(_values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """A filter whose rank 0 gathers its whole input (and holds the whole output): not split among the ranks."""
    return replace(inputs.input, split=False) if inputs.input is not None else None


def glyph(values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkGlyph3D: one copy of the glyph's shape at every (Stride-th) input point."""
    shape, source = inputs.helpers.get("GlyphType"), inputs.input
    if shape is None or source is None:
        return None
    every = _first(values, "Stride") if values.get("GlyphMode", ("",))[0] == "Every Nth Point" else 1
    copies = math.ceil(source.points / max(every, 1))
    return Size(copies * shape.points, copies * shape.cells, copies * shape.bytes, source.split)


def tessellate(values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkTessellatorFilter: every linear cell becomes up to six simplices (more for curved cells, not counted);
    without MergePoints each simplex has points of its own."""
    source = inputs.input
    if source is None:
        return None
    corners = _first(values, "OutputDimension") + 1
    cells = 6 * source.cells
    points = source.points if _first(values, "MergePoints") else cells * corners
    return _poly(max(points, source.points), cells, corners * cells, split=source.split)


def shrink(_values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkShrinkFilter: an unstructured grid whose cells have their own points (up to eight each)."""
    source = inputs.input
    if source is None:
        return None
    points = max(source.points, 8 * source.cells)
    return _poly(points, source.cells, points, split=source.split)


def level_sets(name: str) -> Estimate:
    """vtkContourFilter / vtkCutter with one surface per value of the property ``name``: a surface through a volume
    of C cells has about 4 C^(2/3) triangles (a plane through an n^3 grid has 2 n^2), so the values multiply that.
    An estimate, not a bound (a surface may fold more), but it grows as the work does: 100,000 iso-values are
    refused where 16 pass."""

    def estimate(values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
        source = inputs.input
        if source is None:
            return None
        cells = len(values.get(name, ())) * 4 * math.ceil(source.cells ** (2 / 3))
        points = cells // 2 + 1
        return _poly(points, cells, 3 * cells, _XYZ + 4 + _XYZ, split=source.split)  # coordinates, scalar, normal

    return estimate


def tube(values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkTubeFilter: a ring of NumberofSides points (with normals and the input's point arrays) at every input
    point, one triangle strip per side per line, and with Capping a ring of its own and a polygon at both ends of
    each line: an upper bound."""
    source = inputs.input
    if source is None:
        return None
    sides = max(_first(values, "NumberofSides"), 3)
    caps = 2 if _first(values, "Capping") else 0
    points = sides * (source.points + caps * source.cells)
    cells = (sides + caps) * source.cells
    tubes = _poly(points, cells, 2 * points, 2 * _XYZ, split=source.split)
    return replace(tubes, bytes=tubes.bytes + sides * source.bytes)  # the input's arrays, copied to each ring


def delaunay_2d(_values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkDelaunay2D: a planar triangulation of n points has at most 2n triangles (and 4 bounding points)."""
    source = inputs.input
    if source is None:
        return None
    points = source.points + 4
    return _poly(points, 2 * points, 6 * points, split=source.split)


def delaunay_3d(_values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkDelaunay3D: about 6.5 tetrahedra per point for points spread in a volume (8 bounding points more). An
    estimate, not a bound (a degenerate set may make more), but it grows as the work does."""
    source = inputs.input
    if source is None:
        return None
    points = source.points + 8
    cells = 7 * points
    return Size(points, cells, points * _XYZ + cells * (1 + 1 + 4) * _ID, source.split)  # offset, type, 4 ids


def warp(values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkWarpScalar / vtkWarpVector: the input with coordinates of its own (an image becomes a structured grid of
    double coordinates); GenerateEnclosure adds a second copy of the surface and the walls between (3x, a bound)."""
    source = inputs.input
    if source is None:
        return None
    copies = 3 if values.get("GenerateEnclosure", (0,))[0] else 1
    return Size(copies * source.points, copies * source.cells, copies * (source.bytes + 2 * _XYZ * source.points),
                source.split)  # fmt: skip


def stream_tracer(values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkStreamTracer: up to MaximumSteps points per seed and direction (one polyline each), with its arrays
    (the input's point arrays, interpolated, and the tracer's own: about 64 bytes a point); on rank 0 only."""
    seeds = inputs.helpers.get("SeedType")
    if seeds is None:
        return None
    directions = 2 if values.get("IntegrationDirection", ("BOTH",))[0] == "BOTH" else 1
    lines = seeds.points * directions
    points = lines * (_first(values, "MaximumSteps") + 1)
    return _poly(points, lines, points, _XYZ + 64)


def _bytes_per_point(source: Size | None, fallback: int = 16) -> float:
    """What the input holds per point (coordinates and arrays), for outputs that sample its arrays."""
    return source.bytes / source.points if source is not None and source.points else fallback


def probe_line(values: Mapping[str, tuple], inputs: Inputs) -> Size:
    """Plot Over Line: Resolution + 1 samples (a uniform sampling) of the input's arrays, with coordinates, a mask
    and the arc length, on rank 0."""
    points = _first(values, "Resolution") + 1
    return _poly(points, 1, points, int(_XYZ + 1 + 8 + _bytes_per_point(inputs.input)))


def resample_to_image(values: Mapping[str, tuple], inputs: Inputs) -> Size:
    """Resample To Image: an image of SamplingDimensions points holding the input's arrays, a mask and ghost flags,
    split among the ranks by extent."""
    dims = [max(int(d), 1) for d in values["SamplingDimensions"]]
    points = math.prod(dims)
    cells = math.prod(d - 1 for d in dims if d > 1) if points > 1 else 0
    return Size(points, cells, int(points * (2 + _bytes_per_point(inputs.input)) + cells), split=True)


def reflect(values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """Reflect: an unstructured grid of the mirror image, and of the input too with CopyInput."""
    source = inputs.input
    if source is None:
        return None
    copies = 2 if values.get("CopyInput", (1,))[0] else 1
    return Size(copies * source.points, copies * source.cells, copies * (source.bytes + 9 * _ID * source.cells),
                source.split)  # fmt: skip


#: The rules of the catalogue's entries whose output size their properties set.
WAVELET = SizeRule(wavelet, ("WholeExtent", "SubsampleRate"))
SPHERE = SizeRule(sphere, ("ThetaResolution", "PhiResolution"))
GLYPH_SPHERE = SizeRule(glyph_sphere, ("ThetaResolution", "PhiResolution"))
PLANE = SizeRule(plane, ("XResolution", "YResolution"))
LINE = SizeRule(line, ("Resolution",))
POINTS = SizeRule(point_source, ("NumberOfPoints",))
CONE = SizeRule(cone, ("Resolution",))
CYLINDER = SizeRule(cylinder, ("Resolution",))
BOX = SizeRule(box, ())
ARROW = SizeRule(arrow, ("TipResolution", "ShaftResolution"))
DISK = SizeRule(disk, ("RadialResolution", "CircumferentialResolution"))
SUPERQUADRIC = SizeRule(superquadric, ("ThetaResolution", "PhiResolution"))
OUTLINE = SizeRule(outline, ())
ELLIPSE = SizeRule(ellipse, ("Resolution",))
AXES = SizeRule(axes, ())
GLYPH = SizeRule(glyph, ("Input", "GlyphType", "Stride"))
TESSELLATE = SizeRule(tessellate, ("Input", "OutputDimension", "MergePoints"))
SHRINK = SizeRule(shrink, ("Input",))
SAME_AS_INPUT = SizeRule(same_as_input, ())
GATHERED_ON_RANK_0 = SizeRule(gathered_on_rank_0, ("Input",))
#: Filters of several inputs on one port (GroupDatasets, AppendDatasets): all of them together, which the budget
#: sums (a list of the same big source many times over is as big as that).
ALL_INPUTS = SizeRule(same_as_input, ("Input",))
CONTOUR = SizeRule(level_sets("Isosurfaces"), ("Input", "Isosurfaces"))
SLICE = SizeRule(level_sets("SliceOffsetValues"), ("Input", "SliceOffsetValues"))
TUBE = SizeRule(tube, ("Input", "NumberofSides", "Capping"))
DELAUNAY_2D = SizeRule(delaunay_2d, ("Input",))
DELAUNAY_3D = SizeRule(delaunay_3d, ("Input",))
WARP_BY_SCALAR = SizeRule(warp, ("Input", "GenerateEnclosure"))
WARP_BY_VECTOR = SizeRule(warp, ("Input",))
STREAM_TRACER = SizeRule(stream_tracer, ("SeedType", "MaximumSteps", "IntegrationDirection"))
# The Sources menu (pvcore/definitions/sources_menu.py).
FAST_UNIFORM_GRID = SizeRule(fast_uniform_grid, ("WholeExtent",))
MANDELBROT = SizeRule(mandelbrot, ("WholeExtent", "SubsampleRate"))
VECTOR_TEXT = SizeRule(vector_text, ("Text",))
POINT_LIST = SizeRule(point_list, ("Points",))
SPLINE = SizeRule(spline, ("Resolution",))
DATA_OBJECT_GENERATOR = SizeRule(data_object_generator, ("Program",))
CELL_TYPES = SizeRule(cell_types, ("BlocksDimensions", "CellType", "CellOrder"))
HYPER_TREE_GRID_RANDOM = SizeRule(hyper_tree_grid_random, ("Dimensions", "MaxDepth", "SplitFraction"))
HYPER_TREE_GRID = SizeRule(hyper_tree_grid, ("Dimensions", "Descriptor"))
PARTITIONED_SHAPES = SizeRule(partitioned_shapes, ("NumberOfShapes",))
GLYPH_2D = SizeRule(_small(7, 2), ())
TIME_SOURCE = SizeRule(_small(44, 10), ())
PROBE_LINE = SizeRule(probe_line, ("Resolution",))
RESAMPLE_TO_IMAGE = SizeRule(resample_to_image, ("SamplingDimensions",))
REFLECT = SizeRule(reflect, ("Input", "CopyInput"))


# More filters (pvcore/definitions/filters_more.py): upper bounds of the filters that multiply their input.


def _scaled(source: Size | None, points: float, cells: float) -> Size | None:
    """The input with ``points`` times its points and ``cells`` times its cells (the arrays scale with them)."""
    if source is None:
        return None
    factor = max(points, cells, 1.0)
    return Size(math.ceil(points * source.points), math.ceil(cells * source.cells), math.ceil(factor * source.bytes),
                source.split)  # fmt: skip


def tetrahedralize(_values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkDataSetTriangleFilter: a linear 3D cell becomes at most six tetrahedra (a hexahedron five or six)."""
    return _scaled(inputs.input, 1, 6)


def linear_extrusion(_values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkLinearExtrusionFilter: every point twice; a wall quad per edge (at most four edges per cell counted, a
    bound for triangles and quads) and two caps per cell."""
    return _scaled(inputs.input, 2, 6)


def rotational_extrusion(values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkRotationalExtrusionFilter: Resolution + 1 copies of the points; a strip per edge per step and caps."""
    steps = max(_first(values, "Resolution"), 1)
    return _scaled(inputs.input, steps + 1, 4 * steps + 2)


def ribbon(_values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkRibbonFilter: two points (with normals) per input point, one triangle strip per line."""
    return _scaled(inputs.input, 2, 1)


def subdivision(values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """vtkLoopSubdivisionFilter / vtkLinearSubdivisionFilter: each step splits every triangle into four (and
    adds a point per edge: at most three per triangle)."""
    steps = max(_first(values, "NumberofSubdivisions"), 0)
    return _scaled(inputs.input, 4**steps, 4**steps)


OUTLINE_CORNERS = SizeRule(_small(32, 24), ())
TETRAHEDRALIZE = SizeRule(tetrahedralize, ("Input",))
LINEAR_EXTRUSION = SizeRule(linear_extrusion, ("Input",))
ROTATIONAL_EXTRUSION = SizeRule(rotational_extrusion, ("Input", "Resolution"))
RIBBON = SizeRule(ribbon, ("Input",))
SUBDIVISION = SizeRule(subdivision, ("Input", "NumberofSubdivisions"))
