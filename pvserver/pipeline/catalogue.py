"""The declarative proxy catalogue: every proxy type, its VTK class and its properties.

This one table drives the server's validation, what the client allows, ``help()`` text and the functions that
``simple`` exposes; no proxy is described twice. It imports neither VTK nor MPI.

Property values are always tuples on the wire. :func:`coerce` turns what a user typed into that tuple, or
raises :class:`~pvcore.errors.PropertyError` naming what is allowed.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pvcore.errors import PropertyError, UnknownProxyTypeError
from pvserver.pipeline import sizes
from pvserver.pipeline.expressions import check_expression

# Property kinds. "proxy" holds global ids of input proxies; "subproxy" holds the global id of an owned
# helper proxy (a Clip's plane) and is set by naming one of the types of its domain ("Plane", "Sphere").
KINDS = ("int", "double", "bool", "string", "enum", "array", "proxy", "subproxy")
ASSOCIATIONS = ("POINTS", "CELLS", "FIELD")

# Groups that make up the visible pipeline (what GetSources() lists).
PIPELINE_GROUPS = ("sources", "filters")


@dataclass(frozen=True)
class Property:
    """One property of a proxy type.

    ``count`` is the exact number of elements, or None for a list of any length. ``default_from`` names a
    data-dependent default that the server computes from the input when the user gave no value, as ParaView
    does ("first_point_array", "array_range_mid", "bounds_center", ...).
    """

    name: str
    kind: str
    default: tuple = ()
    count: int | None = 1
    doc: str = ""
    setter: str | None = None
    values: tuple[str, ...] = ()  # enum labels, subproxy types, or the groups a proxy property may reference
    minimum: float | None = None
    maximum: float | None = None
    default_from: str | None = None
    check: Callable[[str], None] | None = None  # a string's own rule (raises ValueError saying what is wrong)

    def domain_text(self) -> str:
        """The domain in words, for help() and error messages."""
        if self.kind == "enum":
            return "one of " + ", ".join(repr(v) for v in self.values)
        if self.kind == "subproxy":
            return "one of the types " + ", ".join(repr(v) for v in self.values)
        if self.kind == "array":
            return "an array selection like ['POINTS', 'name'] (association one of POINTS, CELLS, FIELD)"
        if self.kind == "proxy":
            what = {"sources": "source or filter", "representations": "representation", "lookup_tables": "colour map"}
            noun = what.get(self.values[0], "proxy") if self.values else "proxy"
            return f"a {noun} proxy" if self.count == 1 else f"a list of {noun} proxies"
        noun = {"int": "integer", "double": "finite number", "bool": "boolean", "string": "string"}[self.kind]
        text = f"{self.count} {noun}s" if self.count not in (None, 1) else f"a {noun}"
        if self.count is None:
            text = f"a list of {noun}s"
        if self.minimum is not None and self.maximum is not None:
            text += f" in [{self.minimum:g}, {self.maximum:g}]"
        elif self.minimum is not None:
            text += f" >= {self.minimum:g}"
        return text


@dataclass(frozen=True)
class ProxySpec:
    """One proxy type: its group, name, VTK class and properties."""

    group: str
    name: str
    vtk_class: str
    properties: tuple[Property, ...]
    doc: str = ""
    # data type names the input must be (empty: any vtkDataSet)
    input_types: tuple[str, ...] = ()
    # how big its output is, from its properties (see pvserver.pipeline.budget); None: about its input's size
    size: sizes.SizeRule | None = None
    _by_name: dict[str, Property] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({p.name: p for p in self.properties})

    @property
    def has_input(self) -> bool:
        """True for filters, which take an ``Input`` property."""
        return "Input" in self._by_name

    def property(self, name: str) -> Property:
        """The property called ``name``, or a PropertyError listing the nearest valid names."""
        try:
            return self._by_name[name]
        except KeyError:
            near = difflib.get_close_matches(name, self._by_name, n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(near)}?" if near else ""
            raise PropertyError(
                f"{self.name} has no property {name!r}.{hint} Its properties are: {', '.join(self._by_name)}.",
                property=name,
            ) from None

    def defaults(self) -> dict[str, tuple]:
        """Default value of every property that has a static default."""
        return {p.name: p.default for p in self.properties if p.kind not in ("proxy", "subproxy")}


# ----------------------------------------------------------------------------------------------- helpers


def _p(name: str, kind: str, default: Any = (), **kw: Any) -> Property:
    if not isinstance(default, tuple):
        default = (default,)
    return Property(name, kind, default, **kw)


def _vec3(name: str, default: Sequence[float], setter: str | None = None, doc: str = "") -> Property:
    return Property(
        name, "double", tuple(float(v) for v in default), 3, doc, f"Set{name}" if setter is None else setter
    )


def _input(doc: str = "The data to process.") -> Property:
    return Property("Input", "proxy", (), 1, doc, values=PIPELINE_GROUPS)


def _res(name: str, default: int, minimum: int, setter: str | None = None) -> Property:
    return Property(
        name,
        "int",
        (default,),
        1,
        f"Number of subdivisions ({name}).",
        setter or f"Set{name}",
        minimum=minimum,
    )


_SPECS: dict[tuple[str, str], ProxySpec] = {}


def _register(*specs: ProxySpec) -> None:
    for spec in specs:
        _SPECS[(spec.group, spec.name)] = spec


# ----------------------------------------------------------------------------------------------- sources

_register(
    ProxySpec(
        "sources",
        "Sphere",
        "vtkSphereSource",
        (
            _vec3("Center", (0, 0, 0), doc="Centre of the sphere."),
            _p("Radius", "double", 0.5, setter="SetRadius", minimum=0.0, doc="Radius of the sphere."),
            _res("ThetaResolution", 8, 3),
            _p("StartTheta", "double", 0.0, setter="SetStartTheta", minimum=0, maximum=360),
            _p("EndTheta", "double", 360.0, setter="SetEndTheta", minimum=0, maximum=360),
            _res("PhiResolution", 8, 3),
            _p("StartPhi", "double", 0.0, setter="SetStartPhi", minimum=0, maximum=180),
            _p("EndPhi", "double", 180.0, setter="SetEndPhi", minimum=0, maximum=180),
        ),
        "A polygonal sphere, split by theta across ranks.",
        size=sizes.SPHERE,
    ),
    ProxySpec(
        "sources",
        "Cone",
        "vtkConeSource",
        (
            _res("Resolution", 6, 0),
            _p("Radius", "double", 0.5, setter="SetRadius", minimum=0.0),
            _p("Height", "double", 1.0, setter="SetHeight", minimum=0.0),
            _vec3("Center", (0, 0, 0)),
            _vec3("Direction", (1, 0, 0)),
            _p("Capping", "bool", 1, setter="SetCapping"),
        ),
        "A polygonal cone.",
        size=sizes.CONE,
    ),
    ProxySpec(
        "sources",
        "Cylinder",
        "vtkCylinderSource",
        (
            _res("Resolution", 6, 2),
            _p("Height", "double", 1.0, setter="SetHeight", minimum=0.0),
            _p("Radius", "double", 0.5, setter="SetRadius", minimum=0.0),
            _vec3("Center", (0, 0, 0)),
            _p("Capping", "bool", 1, setter="SetCapping"),
        ),
        "A polygonal cylinder along the y axis.",
        size=sizes.CYLINDER,
    ),
    ProxySpec(
        "sources",
        "Box",
        "vtkCubeSource",
        (
            _p("XLength", "double", 1.0, setter="SetXLength", minimum=0.0),
            _p("YLength", "double", 1.0, setter="SetYLength", minimum=0.0),
            _p("ZLength", "double", 1.0, setter="SetZLength", minimum=0.0),
            _vec3("Center", (0, 0, 0)),
        ),
        "An axis-aligned box.",
        size=sizes.BOX,
    ),
    ProxySpec(
        "sources",
        "Plane",
        "vtkPlaneSource",
        (
            _vec3("Origin", (-0.5, -0.5, 0)),
            _vec3("Point1", (0.5, -0.5, 0)),
            _vec3("Point2", (-0.5, 0.5, 0)),
            _res("XResolution", 1, 1),
            _res("YResolution", 1, 1),
        ),
        "A subdivided parallelogram.",
        size=sizes.PLANE,
    ),
    ProxySpec(
        "sources",
        "Line",
        "vtkLineSource",
        (
            _vec3("Point1", (-0.5, 0, 0)),
            _vec3("Point2", (0.5, 0, 0)),
            _res("Resolution", 1, 1),
        ),
        "A straight line subdivided into segments.",
        size=sizes.LINE,
    ),
    ProxySpec(
        "sources",
        "PointSource",
        "vtkPointSource",
        (
            _vec3("Center", (0, 0, 0)),
            _p("NumberOfPoints", "int", 1, setter="SetNumberOfPoints", minimum=1),
            _p("Radius", "double", 0.0, setter="SetRadius", minimum=0.0),
        ),
        "Random points in a sphere.",
        size=sizes.POINTS,
    ),
    ProxySpec(
        "sources",
        "Wavelet",
        "vtkRTAnalyticSource",
        (
            Property(
                "WholeExtent",
                "int",
                (-10, 10, -10, 10, -10, 10),
                6,
                "Index extent xmin,xmax,ymin,...",
                "SetWholeExtent",
            ),
            _vec3("Center", (0, 0, 0)),
            _p("Maximum", "double", 255.0, setter="SetMaximum"),
            _p("XFreq", "double", 60.0, setter="SetXFreq"),
            _p("YFreq", "double", 30.0, setter="SetYFreq"),
            _p("ZFreq", "double", 40.0, setter="SetZFreq"),
            _p("XMag", "double", 10.0, setter="SetXMag"),
            _p("YMag", "double", 18.0, setter="SetYMag"),
            _p("ZMag", "double", 5.0, setter="SetZMag"),
            _p("StandardDeviation", "double", 0.5, setter="SetStandardDeviation"),
            _p("SubsampleRate", "int", 1, setter="SetSubsampleRate", minimum=1),
        ),
        "A regular grid with the analytic point array RTData, split by extent across ranks.",
        size=sizes.WAVELET,
    ),
)

_register(
    ProxySpec(
        "sources",
        "FileReader",
        "DistributedReader",
        (
            Property(
                "FileName", "string", (), None, "The file, or the files of a series (one per time step).", "SetFileName"
            ),
            Property(
                "TimestepValues",
                "double",
                (),
                None,
                "Times of the series' files (read only).",
                default_from="file_series_times",
            ),
        ),
        "Reads a data file in parallel; made by OpenDataFile(path).",
    ),
)

# ------------------------------------------------------------------------- helper proxies of filters

_PLANE_FN = (
    _vec3("Origin", (0, 0, 0), doc="A point on the plane."),
    _vec3("Normal", (1, 0, 0), doc="The plane's normal."),
    _p("Offset", "double", 0.0, setter="SetOffset", doc="Shift of the plane along its normal."),
)
_register(
    ProxySpec("implicit_functions", "Plane", "vtkPlane", _PLANE_FN, "An infinite plane."),
    ProxySpec(
        "implicit_functions",
        "Sphere",
        "vtkSphere",
        (
            _vec3("Center", (0, 0, 0)),
            _p("Radius", "double", 0.5, setter="SetRadius", minimum=0.0),
        ),
        "A sphere.",
    ),
    ProxySpec(
        "implicit_functions",
        "Box",
        "vtkBox",
        (
            _vec3("Position", (0, 0, 0), setter="", doc="Lower corner of the box."),
            _vec3("Length", (1, 1, 1), setter="", doc="Edge lengths of the box."),
        ),
        "An axis-aligned box.",
    ),
    ProxySpec(
        "glyph_sources",
        "Arrow",
        "vtkArrowSource",
        (
            _res("TipResolution", 6, 1),
            _p("TipRadius", "double", 0.1, setter="SetTipRadius", minimum=0.0),
            _p("TipLength", "double", 0.35, setter="SetTipLength", minimum=0.0),
            _res("ShaftResolution", 6, 0),
            _p("ShaftRadius", "double", 0.03, setter="SetShaftRadius", minimum=0.0),
        ),
        "An arrow along +x.",
        size=sizes.ARROW,
    ),
    ProxySpec(
        "glyph_sources",
        "Cone",
        "vtkConeSource",
        (
            _res("Resolution", 6, 0),
            _p("Radius", "double", 0.5, setter="SetRadius", minimum=0.0),
            _p("Height", "double", 1.0, setter="SetHeight", minimum=0.0),
        ),
        "A cone along +x.",
        size=sizes.CONE,
    ),
    ProxySpec(
        "glyph_sources",
        "Sphere",
        "vtkSphereSource",
        (
            _p("Radius", "double", 0.5, setter="SetRadius", minimum=0.0),
            _res("ThetaResolution", 8, 3),
            _res("PhiResolution", 8, 3),
        ),
        "A sphere.",
        size=sizes.GLYPH_SPHERE,
    ),
    ProxySpec(
        "glyph_sources",
        "Box",
        "vtkCubeSource",
        (
            _p("XLength", "double", 1.0, setter="SetXLength", minimum=0.0),
            _p("YLength", "double", 1.0, setter="SetYLength", minimum=0.0),
            _p("ZLength", "double", 1.0, setter="SetZLength", minimum=0.0),
        ),
        "A box.",
        size=sizes.BOX,
    ),
    ProxySpec(
        "transforms",
        "Transform",
        "vtkTransform",
        (
            _vec3("Translate", (0, 0, 0), setter=""),
            _vec3("Rotate", (0, 0, 0), setter="", doc="Rotation angles in degrees about x, y and z."),
            _vec3("Scale", (1, 1, 1), setter=""),
        ),
        "Scale, then rotate about x, y, z, then translate.",
    ),
)

# ----------------------------------------------------------------------------------------------- filters

_POINT_ARRAY = dict(default=("POINTS", ""), count=2, default_from="first_point_array")

_register(
    ProxySpec(
        "filters",
        "Contour",
        "vtkContourFilter",
        (
            _input(),
            Property("ContourBy", "array", doc="The point array to contour.", **_POINT_ARRAY),
            Property("Isosurfaces", "double", (), None, "Iso-values to extract.", default_from="array_range_mid"),
            _p("ComputeNormals", "bool", 1, setter="SetComputeNormals"),
            _p("ComputeScalars", "bool", 1, setter="SetComputeScalars"),
            _p("ComputeGradients", "bool", 0, setter="SetComputeGradients"),
        ),
        "Iso-surfaces (3D) or iso-lines (2D) of a point array.",
        size=sizes.CONTOUR,
    ),
    ProxySpec(
        "filters",
        "Clip",
        "vtkTableBasedClipDataSet",
        (
            _input(),
            Property(
                "ClipType",
                "subproxy",
                (),
                1,
                "The implicit function that cuts.",
                values=("Plane", "Sphere", "Box"),
            ),
            _p(
                "Invert",
                "bool",
                1,
                setter="SetInsideOut",
                doc="Keep the side behind the function (ParaView's default).",
            ),
        ),
        "Cuts a dataset with an implicit function and keeps one side.",
    ),
    ProxySpec(
        "filters",
        "Slice",
        "vtkCutter",
        (
            _input(),
            Property(
                "SliceType",
                "subproxy",
                (),
                1,
                "The implicit function that cuts.",
                values=("Plane", "Sphere", "Box"),
            ),
            Property("SliceOffsetValues", "double", (0.0,), None, "Offsets of the function's level sets."),
            _p("Triangulatetheslice", "bool", 1, setter="SetGenerateTriangles"),
        ),
        "Cuts a dataset with an implicit function, keeping the surface.",
        size=sizes.SLICE,
    ),
    ProxySpec(
        "filters",
        "Threshold",
        "vtkThreshold",
        (
            _input(),
            Property("Scalars", "array", doc="The array to threshold by.", **_POINT_ARRAY),
            _p("LowerThreshold", "double", 0.0, setter="SetLowerThreshold", default_from="array_range_min"),
            _p("UpperThreshold", "double", 0.0, setter="SetUpperThreshold", default_from="array_range_max"),
            _p(
                "ThresholdMethod",
                "enum",
                "Between",
                values=("Between", "Below Lower Threshold", "Above Upper Threshold"),
            ),
            _p("AllScalars", "bool", 1, setter="SetAllScalars"),
            _p("UseContinuousCellRange", "bool", 0, setter="SetUseContinuousCellRange"),
            _p("Invert", "bool", 0, setter="SetInvert"),
        ),
        "Keeps the cells whose values lie within a range.",
    ),
    ProxySpec(
        "filters",
        "Calculator",
        "vtkArrayCalculator",
        (
            _input(),
            _p("AttributeType", "enum", "Point Data", values=("Point Data", "Cell Data")),
            _p("ResultArrayName", "string", "Result", setter="SetResultArrayName"),
            _p(
                "Function",
                "string",
                "",
                setter="SetFunction",
                doc="Expression over the input's arrays and coordsX/coordsY/coordsZ, e.g. 'RTData*2'.",
                check=check_expression,
            ),
            _p("ResultArrayType", "enum", "Double", values=("Double", "Float", "Int")),
        ),
        "Computes a new array from an expression of the input's arrays.",
    ),
    ProxySpec(
        "filters",
        "Elevation",
        "vtkElevationFilter",
        (
            _input(),
            _vec3("LowPoint", (0, 0, 0)),
            _vec3("HighPoint", (0, 0, 1)),
            Property("ScalarRange", "double", (0.0, 1.0), 2, "Values at LowPoint and HighPoint.", "SetScalarRange"),
        ),
        "Adds the point array Elevation: position projected on the line LowPoint-HighPoint.",
    ),
    ProxySpec(
        "filters",
        "Shrink",
        "vtkShrinkFilter",
        (
            _input(),
            _p("ShrinkFactor", "double", 0.5, setter="SetShrinkFactor", minimum=0.0, maximum=1.0),
        ),
        "Shrinks every cell towards its centre.",
        size=sizes.SHRINK,
    ),
    ProxySpec(
        "filters",
        "ExtractSurface",
        "vtkDataSetSurfaceFilter",
        (
            _input(),
            _p("PieceInvariant", "bool", 1, setter="SetPieceInvariant"),
            _p(
                "NonlinearSubdivisionLevel",
                "int",
                1,
                setter="SetNonlinearSubdivisionLevel",
                minimum=0,
                maximum=4,
            ),
        ),
        "The outer surface of a dataset as polygons.",
    ),
    ProxySpec(
        "filters",
        "Glyph",
        "vtkGlyph3D",
        (
            _input(),
            Property(
                "GlyphType",
                "subproxy",
                (),
                1,
                "The glyph's shape.",
                values=("Arrow", "Cone", "Sphere", "Box"),
            ),
            Property(
                "OrientationArray",
                "array",
                ("POINTS", "No orientation array"),
                2,
                "Vector array that orients the glyphs.",
            ),
            Property("ScaleArray", "array", ("POINTS", "No scale array"), 2, "Array that scales the glyphs."),
            _p("ScaleFactor", "double", 1.0, setter="SetScaleFactor", default_from="bounds_diagonal_tenth"),
            _p("GlyphMode", "enum", "All Points", values=("All Points", "Every Nth Point")),
            _p("Stride", "int", 1, minimum=1, doc="With 'Every Nth Point': place a glyph at every Nth point."),
        ),
        "Places a copy of a shape at the input's points.",
        size=sizes.GLYPH,
    ),
    ProxySpec(
        "filters",
        "CellDatatoPointData",
        "vtkCellDataToPointData",
        (
            _input(),
            _p("PassCellData", "bool", 0, setter="SetPassCellData"),
        ),
        "Averages cell arrays onto points.",
    ),
    ProxySpec(
        "filters",
        "PointDatatoCellData",
        "vtkPointDataToCellData",
        (
            _input(),
            _p("PassPointData", "bool", 0, setter="SetPassPointData"),
        ),
        "Averages point arrays onto cells.",
    ),
    ProxySpec(
        "filters",
        "Triangulate",
        "vtkTriangleFilter",
        (_input(),),
        "Splits polygons and strips into triangles.",
        input_types=("vtkPolyData",),
    ),
    ProxySpec(
        "filters",
        "Tessellate",
        "vtkTessellatorFilter",
        (
            _input(),
            _p("OutputDimension", "int", 3, setter="SetOutputDimension", minimum=1, maximum=3),
            _p("ChordError", "double", 0.001, setter="SetChordError", minimum=0.0),
            _p(
                "MaximumNumberofSubdivisions",
                "int",
                3,
                setter="SetMaximumNumberOfSubdivisions",
                minimum=0,
                maximum=8,
            ),
            _p("MergePoints", "bool", 1, setter="SetMergePoints"),
        ),
        "Splits cells into linear simplices.",
        size=sizes.TESSELLATE,
    ),
    ProxySpec(
        "filters",
        "TableToPoints",
        "vtkTableToPolyData",
        (
            _input(),
            _p("XColumn", "string", "x", setter="SetXColumn"),
            _p("YColumn", "string", "y", setter="SetYColumn"),
            _p("ZColumn", "string", "z", setter="SetZColumn"),
            _p("a2DPoints", "bool", 0, setter="SetCreate2DPoints", doc="Make 2D points (z = 0)."),
        ),
        "Makes points from three columns of a table (e.g. a CSV file).",
        input_types=("vtkTable",),
    ),
    ProxySpec(
        "filters",
        "Transform",
        "vtkTransformFilter",
        (
            _input(),
            Property("Transform", "subproxy", (), 1, "The transform to apply.", values=("Transform",)),
        ),
        "Moves, rotates and scales a dataset.",
    ),
)

# ----------------------------------------------------------------------------------------------- views

#: Largest view accepted: each side, and in total pixels (refused before anything is allocated).
MAX_VIEW_SIDE = 16384
MAX_VIEW_PIXELS = 8192 * 8192

REPRESENTATION_TYPES = ("Surface", "Wireframe", "Points", "Outline", "Surface With Edges")

_register(
    ProxySpec(
        "views",
        "RenderView",
        "vtkRenderer",
        (
            Property("ViewSize", "int", (400, 400), 2, "Width and height in pixels.", minimum=1, maximum=MAX_VIEW_SIDE),
            _vec3("CameraPosition", (0, 0, 6.69), setter=""),
            _vec3("CameraFocalPoint", (0, 0, 0), setter=""),
            _vec3("CameraViewUp", (0, 1, 0), setter=""),
            _p("CameraViewAngle", "double", 30.0, minimum=1.0, maximum=179.0),
            _p("CameraParallelProjection", "bool", 0),
            _p("CameraParallelScale", "double", 1.0, minimum=0.0),
            _vec3("Background", (0.32, 0.34, 0.43), setter=""),
            _p("OrientationAxesVisibility", "bool", 1),
            _p("ViewTime", "double", 0.0, doc="The time shown (for data with time steps)."),
            Property(
                "Representations",
                "proxy",
                (),
                None,
                "The representations shown in this view.",
                values=("representations",),
            ),
            _p("CameraInitialized", "bool", 0, doc="Set once the camera was reset to the data (first render)."),
        ),
        "A 3D view, rendered in parallel on the server and composited by depth.",
    ),
    ProxySpec(
        "representations",
        "GeometryRepresentation",
        "vtkActor",
        (
            _input("The source or filter shown."),
            _p("Visibility", "bool", 1),
            _p("Representation", "enum", "Surface", values=REPRESENTATION_TYPES),
            _p("Opacity", "double", 1.0, minimum=0.0, maximum=1.0),
            _vec3("DiffuseColor", (1, 1, 1), setter=""),
            _vec3("AmbientColor", (1, 1, 1), setter=""),
            _vec3("EdgeColor", (0, 0, 0.5), setter=""),
            _p("PointSize", "double", 2.0, minimum=0.0),
            _p("LineWidth", "double", 1.0, minimum=0.0),
            Property("ColorArrayName", "array", ("POINTS", ""), 2, "Array to colour by; empty name: solid colour."),
            Property("LookupTable", "proxy", (), 1, "Colour map used with ColorArrayName.", values=("lookup_tables",)),
            _p("ScalarBarVisibility", "bool", 0, doc="Show the colour legend of LookupTable."),
        ),
        "How a source is drawn in a view.",
    ),
    ProxySpec(
        "lookup_tables",
        "PVLookupTable",
        "vtkColorTransferFunction",
        (
            _p("ArrayName", "string", "", doc="The array this colour map belongs to."),
            Property(
                "RGBPoints",
                "double",
                (0.0, 0.231, 0.299, 0.754, 1.0, 0.706, 0.016, 0.150),
                None,
                "Control points: value, red, green, blue, ...",
            ),
            _p("ColorSpace", "enum", "Diverging", values=("RGB", "HSV", "Lab", "Diverging")),
            _vec3("NanColor", (1, 1, 0), setter=""),
            _p(
                "AutomaticRescaleRangeMode",
                "enum",
                "Grow and update on 'Apply'",
                values=("Never", "Grow and update on 'Apply'", "Clamp and update every timestep"),
            ),
            _p("ScalarRangeInitialized", "bool", 0),
        ),
        "A colour map (colour transfer function) shared by every representation coloured by its array.",
    ),
)

# Which helper group a subproxy property draws its types from.
SUBPROXY_GROUPS = {
    "ClipType": "implicit_functions",
    "SliceType": "implicit_functions",
    "GlyphType": "glyph_sources",
    "Transform": "transforms",
}
# The type each subproxy property starts with.
SUBPROXY_DEFAULTS = {
    "ClipType": "Plane",
    "SliceType": "Plane",
    "GlyphType": "Arrow",
    "Transform": "Transform",
}


# ----------------------------------------------------------------------------------------------- lookup


def get(group: str, name: str) -> ProxySpec:
    """The spec of ``name`` in ``group``, or UnknownProxyTypeError naming the nearest types."""
    try:
        return _SPECS[(group, name)]
    except KeyError:
        names = [n for g, n in _SPECS if g == group]
        if not names:
            groups = sorted({g for g, _ in _SPECS})
            raise UnknownProxyTypeError(f"Unknown proxy group {group!r}; groups are: {', '.join(groups)}.") from None
        near = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(near)}?" if near else ""
        raise UnknownProxyTypeError(
            f"Unknown {group[:-1]} type {name!r}.{hint} Available: {', '.join(sorted(names))}."
        ) from None


def specs(group: str | None = None) -> list[ProxySpec]:
    """All specs, or those of one group, in registration order."""
    return [s for (g, _), s in _SPECS.items() if group is None or g == group]


def subproxy_spec(prop: Property, type_name: str) -> ProxySpec:
    """The helper proxy type ``type_name`` allowed by the subproxy property ``prop``."""
    if type_name not in prop.values:
        raise PropertyError(f"{prop.name} must be {prop.domain_text()}, not {type_name!r}.", property=prop.name)
    return get(SUBPROXY_GROUPS[prop.name], type_name)


# ----------------------------------------------------------------------------------------------- values


def _as_list(value: Any) -> list:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _check_number(prop: Property, v: Any, integral: bool) -> int | float:
    if (
        isinstance(v, bool)
        or not isinstance(v, (int, float))
        or (integral and isinstance(v, float) and not v.is_integer())
    ):
        raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {v!r}.", property=prop.name)
    if isinstance(v, float) and not math.isfinite(v):
        raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {v!r}.", property=prop.name)
    number = int(v) if integral else float(v)
    if integral and not -(2**31) <= number < 2**31:
        raise PropertyError(
            f"{prop.name} must be {prop.domain_text()} that fits a 32-bit int; got {v!r}.", property=prop.name
        )
    if (prop.minimum is not None and number < prop.minimum) or (prop.maximum is not None and number > prop.maximum):
        raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {v!r}.", property=prop.name)
    return number


def _plainly_in_range(prop: Property, items: list) -> bool:
    """True if every item is a plain finite number of the property's type within its bounds: checked without a
    Python loop over the values (a list of 100,000 iso-values); False sends the caller to the per-value check,
    which says what is wrong."""
    kinds = set(map(type, items))
    if not items or not kinds <= ({int} if prop.kind == "int" else {int, float}):
        return False
    try:
        if not math.isfinite(math.fsum(items)):
            return False
    except OverflowError:
        return False
    low, high = min(items), max(items)
    if prop.kind == "int" and not (-(2**31) <= low and high < 2**31):
        return False
    return (prop.minimum is None or low >= prop.minimum) and (prop.maximum is None or high <= prop.maximum)


#: Longest list a property accepts (e.g. iso-values): bounds the memory and work one request can ask for.
MAX_VALUES = 100_000
#: Characters of one string value, and of all the strings of one property together (a series of file names).
MAX_STRING_LENGTH = 4096
MAX_STRINGS_LENGTH = 1_000_000


def coerce(prop: Property, value: Any) -> tuple:
    """Check ``value`` against ``prop``'s type and domain and return it as the tuple that travels.

    Raises PropertyError naming the property and its domain. Proxy references must already be global ids.
    """
    items = _as_list(value)
    if len(items) > MAX_VALUES:
        raise PropertyError(f"{prop.name} takes at most {MAX_VALUES} values; got {len(items)}.", property=prop.name)
    if prop.kind == "array":
        if len(items) == 1 and isinstance(items[0], str):
            items = ["POINTS", items[0]]  # ParaView accepts a bare array name for point arrays
        if len(items) != 2 or items[0] not in ASSOCIATIONS or not isinstance(items[1], str):
            raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {value!r}.", property=prop.name)
        return (items[0], items[1])
    if prop.count is not None and len(items) != prop.count and prop.kind not in ("proxy", "subproxy"):
        raise PropertyError(
            f"{prop.name} takes {prop.domain_text()}; got {len(items)} value(s): {value!r}.",
            property=prop.name,
        )
    if prop.kind in ("int", "double") and _plainly_in_range(prop, items):
        return tuple(items) if prop.kind == "int" else tuple(map(float, items))
    if prop.kind == "int":
        return tuple(_check_number(prop, v, True) for v in items)
    if prop.kind == "double":
        return tuple(_check_number(prop, v, False) for v in items)
    if prop.kind == "bool":
        if any(v not in (0, 1) or isinstance(v, float) for v in items):
            raise PropertyError(f"{prop.name} must be a boolean; got {value!r}.", property=prop.name)
        return tuple(int(v) for v in items)
    if prop.kind in ("string", "enum"):
        if any(not isinstance(v, str) for v in items):
            raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {value!r}.", property=prop.name)
        longest = max((len(v) for v in items), default=0)
        if longest > MAX_STRING_LENGTH or sum(len(v) for v in items) > MAX_STRINGS_LENGTH:
            raise PropertyError(
                f"{prop.name} takes strings of at most {MAX_STRING_LENGTH} characters ({MAX_STRINGS_LENGTH} in all); "
                f"got {len(items)} of up to {longest}.",
                property=prop.name,
            )
        if prop.check is not None:
            for item in items:
                try:
                    prop.check(item)
                except ValueError as exc:
                    raise PropertyError(f"{prop.name}: {exc}", property=prop.name) from None
        if prop.kind == "enum" and items[0] not in prop.values:
            near = difflib.get_close_matches(items[0], prop.values, n=1, cutoff=0.4)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise PropertyError(
                f"{prop.name} must be {prop.domain_text()}; got {items[0]!r}{hint}.", property=prop.name
            )
        return tuple(items)
    if prop.kind == "subproxy":
        if len(items) == 1 and isinstance(items[0], str):
            subproxy_spec(prop, items[0])  # validates the type name
            return (items[0],)
        if len(items) == 1 and isinstance(items[0], int) and not isinstance(items[0], bool):
            return (items[0],)
        raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {value!r}.", property=prop.name)
    if prop.kind == "proxy":
        if (prop.count == 1 and len(items) != 1) or any(not isinstance(v, int) or isinstance(v, bool) for v in items):
            raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {value!r}.", property=prop.name)
        return tuple(items)
    raise AssertionError(f"unknown property kind {prop.kind}")


def describe(spec: ProxySpec) -> str:
    """Help text for a proxy type: its doc and every property with default and domain."""
    lines = [f"{spec.name} ({spec.group}): {spec.doc}", "", "Properties:"]
    for p in spec.properties:
        default = ", ".join(map(str, p.default)) if p.default else "(computed from the input)"
        if p.kind == "proxy":
            default = "the active source"
        elif p.kind == "subproxy":
            default = SUBPROXY_DEFAULTS[p.name]
        lines.append(f"  {p.name} = {default}")
        lines.append(f"      {p.doc or p.name}; {p.domain_text()}.")
    return "\n".join(lines)
