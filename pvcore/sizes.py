"""How big a proxy's output will be, from its properties alone: the size rules of the catalogue's entries.

A rule estimates the points, cells and bytes of the WHOLE output (all ranks together) before anything runs, so
that the server can refuse a request that would exhaust a rank's memory (see :mod:`pvserver.pipeline.budget`).
The formulas are VTK's own counts for the sources (checked against VTK in ``tests/unit/test_budget.py``) and
upper bounds for the filters that multiply their input. It imports neither VTK nor the catalogue.
"""

from __future__ import annotations

import math
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


# ----------------------------------------------------------------------------------------------- filters


def same_as_input(_values: Mapping[str, tuple], inputs: Inputs) -> Size | None:
    """A filter that keeps about the size of its input (the default for filters without a rule of their own)."""
    return inputs.input


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
GLYPH = SizeRule(glyph, ("Input", "GlyphType", "Stride"))
TESSELLATE = SizeRule(tessellate, ("Input", "OutputDimension", "MergePoints"))
SHRINK = SizeRule(shrink, ("Input",))
SAME_AS_INPUT = SizeRule(same_as_input, ())
CONTOUR = SizeRule(level_sets("Isosurfaces"), ("Input", "Isosurfaces"))
SLICE = SizeRule(level_sets("SliceOffsetValues"), ("Input", "SliceOffsetValues"))
