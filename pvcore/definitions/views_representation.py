"""How a source is drawn in a render view: ParaView's GeometryRepresentation and its 5.11 properties.

ParaView names the representation of each data type differently ('UniformGridRepresentation',
'UnstructuredGridRepresentation', ...); here they are all this one type (simple.Show accepts those names).

Drawn (pvserver.rendering.appearance): Visibility, Representation, Opacity, the colours, Ambient/Diffuse/Specular
(SpecularColor, SpecularPower), Interpolation ('Flat', 'Gouraud'; 'PBR' is drawn as Gouraud), PointSize,
LineWidth, RenderPointsAsSpheres, RenderLinesAsTubes, ColorArrayName with LookupTable (and its opacity map),
MapScalars, InterpolateScalarsBeforeMapping, Position/Scale/Orientation/Origin, DataAxesGrid.GridAxesVisibility
(a cube-axes box around this representation's data), ScalarBarVisibility. 'Volume' (image data coloured by an
array: pvserver/rendering/volumes.py) with ScalarOpacityFunction (else the colour map's) and
ScalarOpacityUnitDistance; other data shown as 'Volume' is drawn as its surface. 'Point Gaussian' (every point a
splat: pvserver/rendering/point_gaussian.py) with GaussianRadius, ShaderPreset, CustomShader, CustomTriangleScale,
Emissive, ScaleByArray, SetScaleArray, ScaleArrayComponent, UseScaleFunction, ScaleTransferFunction,
OpacityByArray, OpacityArray, OpacityArrayComponent and OpacityTransferFunction. 'Slice' is drawn as the surface
(exactly ParaView's picture for the flat images it is the default of; a 3D image shows its outer faces, not slice
number Slice). Stored only (accepted so that traces run, with ParaView's defaults): the glyph,
other volume, slice, selection-label, texture, shader and OSPRay properties.

Text sources are shown with a TextSourceRepresentation (views_text.py).

default_representation, default_color_array and default_unit_distance give the first look simple.Show gives.
"""

from __future__ import annotations

from pvcore.definitions.builders import (
    ArraySelection,
    Bool,
    Double,
    Doubles,
    Enum,
    Input,
    Int,
    ProxyRef,
    String,
    Strings,
    SubProxy,
    Vec3,
)
from pvcore.definitions.views import (
    LOOKUP_TABLES,
    PIECEWISE_FUNCTIONS,
    RENDERING_HELPERS,
    REPRESENTATIONS,
    Rendered,
)
from pvcore.definitions.views_stored import representation_stored
from pvcore.domains import ScaledExtentDomain
from pvcore.schema import Property

REPRESENTATION_TYPES = (
    "Surface", "Wireframe", "Points", "Outline", "Surface With Edges", "Slice", "Volume", "Point Gaussian",
)  # fmt: skip
#: The representation type names of ParaView that simple.Show accepts, all drawn as GeometryRepresentation.
PARAVIEW_REPRESENTATIONS = (
    "GeometryRepresentation", "UniformGridRepresentation", "UnstructuredGridRepresentation",
    "StructuredGridRepresentation", "PVRepresentationBase", "UnstructuredGridBaseRepresentation",
    "AMRRepresentation", "HyperTreeGridRepresentation", "ImageSliceRepresentation", "PolyDataRepresentation",
)  # fmt: skip
FONT_FAMILIES = ("Arial", "Courier", "Times", "File")
JUSTIFICATIONS = ("Left", "Center", "Right")
#: ParaView's default CustomShader of 'Point Gaussian' (a gaussian blur), as ParaView 5.11 prints it.
POINT_GAUSSIAN_SHADER = (
    " // This custom shader code define a gaussian blur\n"
    " // Please take a look into vtkSMPointGaussianRepresentation.cxx\n"
    " // for other custom shader examples\n"
    " //VTK::Color::Impl\n"
    "   float dist2 = dot(offsetVCVSOutput.xy,offsetVCVSOutput.xy);\n"
    "   float gaussian = exp(-0.5*dist2);\n"
    "   opacity = opacity*gaussian;\n"
)
#: The glyph shapes a representation may name (ParaView's list less '2D Glyph' and 'Pipeline Connection').
REPRESENTATION_GLYPHS = ("Arrow", "Cone", "Box", "Cylinder", "Line", "Sphere")


def font(prefix: str, color: tuple[float, float, float], size: int) -> tuple[Property, ...]:
    """The eight text properties ParaView gives every label or title called ``prefix`` (stored only here)."""
    return (
        Bool(f"{prefix}Bold", 0),
        Vec3(f"{prefix}Color", color),
        Enum(f"{prefix}FontFamily", "Arial", FONT_FAMILIES),
        String(f"{prefix}FontFile", ""),
        Int(f"{prefix}FontSize", size, minimum=0),
        Bool(f"{prefix}Italic", 0),
        Double(f"{prefix}Opacity", 1.0, minimum=0.0, maximum=1.0),
        Bool(f"{prefix}Shadow", 0),
    )


def _selection_labels(kind: str, color: tuple[float, float, float]) -> tuple[Property, ...]:
    return (
        Bool(f"Selection{kind}LabelVisibility", 0),
        *font(f"Selection{kind}Label", color, 18),
        String(f"Selection{kind}LabelFormat", ""),
        Enum(f"Selection{kind}LabelJustification", "Left", JUSTIFICATIONS),
        Strings(
            f"Selection{kind}FieldDataArrayName",
            ("vtkOriginalPointIds",) if kind == "Point" else ("vtkOriginalCellIds",),
        ),
    )


def _piecewise(name: str, doc: str) -> Property:
    return SubProxy(name, PIECEWISE_FUNCTIONS, ("PiecewiseFunction",), doc=doc)


_DRAWN = (
    Input(doc="The source or filter shown."),
    Bool("Visibility", 1),
    Enum("Representation", "Surface", REPRESENTATION_TYPES),
    Double("Opacity", 1.0, minimum=0.0, maximum=1.0),
    Vec3("DiffuseColor", (1, 1, 1)),
    Vec3("AmbientColor", (1, 1, 1)),
    Vec3("EdgeColor", (0, 0, 0.5)),
    Double("Ambient", 0.0, minimum=0.0, maximum=1.0),
    Double("Diffuse", 1.0, minimum=0.0, maximum=1.0),
    Double("Specular", 0.0, minimum=0.0, maximum=1.0),
    Vec3("SpecularColor", (1, 1, 1)),
    Double("SpecularPower", 100.0, minimum=0.0, maximum=100.0),
    Enum("Interpolation", "Gouraud", ("Flat", "Gouraud", "PBR")),
    Double("PointSize", 2.0, minimum=0.0),
    Double("LineWidth", 1.0, minimum=0.0),
    Bool("RenderPointsAsSpheres", 0),
    Bool("RenderLinesAsTubes", 0),
    ArraySelection("ColorArrayName", doc="Array to colour by; empty name: solid colour."),
    ProxyRef("LookupTable", LOOKUP_TABLES, doc="Colour map used with ColorArrayName."),
    Bool("MapScalars", 1, doc="0: an unsigned-char array of 3 components is drawn as colours directly."),
    Bool("InterpolateScalarsBeforeMapping", 1),
    Bool("ScalarBarVisibility", 0, doc="Show the colour legend of LookupTable."),
    Vec3("Position", doc="Translation of the drawn data."),
    Vec3("Scale", (1, 1, 1)),
    Vec3("Orientation", doc="Rotation angles in degrees about x, y and z."),
    Vec3("Origin", doc="The point Scale and Orientation are about."),
    SubProxy(
        "DataAxesGrid", RENDERING_HELPERS, ("GridAxesRepresentation",),
        doc="Axes around this representation's data: set DataAxesGrid.GridAxesVisibility = 1 to draw them.",
    ),
)  # fmt: skip

_STORED = (
    Enum("BackfaceRepresentation", "Follow Frontface", (
        "Follow Frontface", "Cull Backface", "Cull Frontface", "Points", "Wireframe", "Surface", "Surface With Edges",
    )),
    Double("Luminosity", 0.0),
    Double("Roughness", 0.3, minimum=0.0, maximum=1.0),
    Double("Metallic", 0.0, minimum=0.0, maximum=1.0),
    Double("BaseIOR", 1.5),
    Bool("Pickable", 1),
    Bool("Triangulate", 0),
    Int("NonlinearSubdivisionLevel", 1, minimum=0, maximum=4),
    Bool("UseSeparateColorMap", 0),
    Vec3("SelectionColor", (1, 0, 1)),
    Double("SelectionOpacity", 1.0, minimum=0.0, maximum=1.0),
    *_selection_labels("Point", (1, 1, 0)),
    *_selection_labels("Cell", (0, 1, 0)),
    String("SelectTCoordArray", "None"),
    String("SelectNormalArray", "None"),
    String("SelectTangentArray", "None"),
    String("OSPRayScaleArray", "", doc="Stored only (OSPRay)."),
    _piecewise("OSPRayScaleFunction", "Stored only (OSPRay)."),
    String("OSPRayMaterial", "None"),
    String("SelectOrientationVectors", "None"),
    Double("ScaleFactor", 1.0, doc="Stored only (glyphs): ParaView sets a tenth of the data's largest side."),
    String("SelectScaleArray", "None"),
    SubProxy("GlyphType", RENDERING_HELPERS, REPRESENTATION_GLYPHS, doc="Stored only (3D glyphs)."),
    String("GlyphTableIndexArray", "None"),
    Bool("UseGlyphTable", 0),
    Bool("UseCompositeGlyphTable", 0),
    Bool("UseGlyphCullingAndLOD", 0),
    Enum("ScaleMode", "No Data Scaling Off", ("No Data Scaling Off", "Magnitude", "Vector Components")),
    Double(
        "GaussianRadius", 0.05, minimum=0.0, domain=ScaledExtentDomain("0.005"),
        doc="'Point Gaussian': the splats' radius (scale factor); first 0.005 of the data's longest side.",
    ),
    Enum("ShaderPreset", "Sphere", ("Gaussian Blur", "Sphere", "Black-edged circle", "Plain circle", "Triangle",
                                    "Square Outline", "Custom")),
    String("CustomShader", POINT_GAUSSIAN_SHADER, doc="'Point Gaussian' with ShaderPreset 'Custom': its code."),
    Int("CustomTriangleScale", 3),
    Bool("Emissive", 0),
    Bool("ScaleByArray", 0),
    ArraySelection("SetScaleArray", doc="'Point Gaussian' with ScaleByArray: the array the splats are sized by."),
    _piecewise("ScaleTransferFunction", "'Point Gaussian' with UseScaleFunction: maps SetScaleArray to sizes."),
    Bool("UseScaleFunction", 1),
    Bool("OpacityByArray", 0),
    ArraySelection("OpacityArray", doc="'Point Gaussian' with OpacityByArray: the array giving the opacity."),
    _piecewise("OpacityTransferFunction", "'Point Gaussian' with OpacityByArray: maps OpacityArray to opacity."),
    String("OpacityArrayComponent", "X", doc="A component of OpacityArray ('' for a scalar array)."),
    SubProxy("PolarAxes", RENDERING_HELPERS, ("PolarAxesRepresentation",), doc="Stored only."),
    Double(
        "ScalarOpacityUnitDistance", 1.0, minimum=0.0,
        doc="'Volume': the distance over which an opacity map's opacity is reached (Show sets ParaView's default).",
    ),
    ProxyRef("ScalarOpacityFunction", PIECEWISE_FUNCTIONS, doc="'Volume': the opacity map (else the colour map's)."),
    ProxyRef("TransferFunction2D", RENDERING_HELPERS, doc="Stored only (volume rendering)."),
    ArraySelection("OpacityArrayName", doc="Stored only (volume rendering)."),
    ArraySelection("ColorArray2Name", doc="Stored only (volume rendering)."),
    Bool("UseSeparateOpacityArray", 0),
    Doubles("IsosurfaceValues", (), doc="Stored only (volume rendering)."),
    SubProxy("SliceFunction", RENDERING_HELPERS, ("Plane",), doc="Stored only (volume rendering)."),
    Int("Slice", 0, minimum=0, doc="Stored only (slice representation)."),
    Enum("SliceMode", "XY Plane", ("XY Plane", "YZ Plane", "XZ Plane")),
    ArraySelection("SelectInputVectors", doc="Stored only (Surface LIC)."),
    String("WriteLog", ""),
    Int("NumberOfSteps", 40),
    Double("StepSize", 0.25),
    Bool("NormalizeVectors", 1),
    Enum("CoordinateShiftScaleMethod", "Always Auto Shift Scale", (
        "Disable", "Auto Shift Scale", "Always Auto Shift Scale", "Auto Shift Only", "Near Focal Plane Shift Scale",
        "Focal Point Shift Scale",
    )),
    Bool("UseShaderReplacements", 0),
    String("ShaderReplacements", ""),
    Bool("RepeatTextures", 1),
    Bool("InterpolateTextures", 0),
    Bool("SeamlessU", 0),
    Bool("SeamlessV", 0),
    Bool("FlipTextures", 0),
    Bool("ShowTexturesOnBackface", 1),
    Strings("BlockSelectors", ("/",)),
    Bool("Masking", 0),
)  # fmt: skip

#: ParaView's default cell count above which any data is first shown as an outline (OutlineThreshold, 250 million).
OUTLINE_THRESHOLD_CELLS = 250_000_000
#: Arrays that are never a data set's active scalars, whatever their number of components.
_NOT_SCALARS = (
    "Normals",
    "TCoords",
    "Texture Coordinates",
    "vtkOriginalPointIds",
    "vtkOriginalCellIds",
    "vtkGhostType",
)


def default_representation(data_type: str, extent: tuple[int, ...] | list[int], cells: int, composite: bool) -> str:
    """The Representation ParaView 5.11 shows data in first (its RepresentationTypeDomain): 'Outline' above
    OUTLINE_THRESHOLD_CELLS cells; image data: 'Slice' when flat (one extent axis of one sample), else 'Outline';
    other structured data: 'Surface' when flat, else 'Outline'; everything else 'Surface'."""
    if cells >= OUTLINE_THRESHOLD_CELLS:
        return "Outline"
    flat = len(extent) == 6 and any(extent[2 * i] == extent[2 * i + 1] for i in range(3))
    if data_type in ("vtkImageData", "vtkUniformGrid", "vtkStructuredPoints"):
        return "Slice" if flat and not composite else "Outline"
    if data_type in ("vtkRectilinearGrid", "vtkStructuredGrid", "vtkExplicitStructuredGrid"):
        return "Surface" if flat else "Outline"
    return "Surface"


def default_unit_distance(bounds: tuple[float, ...] | list[float], cells: int) -> float:
    """ParaView's first ScalarOpacityUnitDistance of data (its 'approximate_cell_length'): the diagonal of the
    bounds over the cube root of the cell count (1 without bounds)."""
    if len(bounds) != 6 or bounds[0] > bounds[1]:
        return 1.0
    diameter = sum((bounds[2 * i + 1] - bounds[2 * i]) ** 2 for i in range(3)) ** 0.5
    linear = cells ** (1.0 / 3.0) if cells > 0 else 0.0
    return diameter / linear if linear else diameter or 1.0


def default_color_array(point_arrays: list[tuple[str, int]], cell_arrays: list[tuple[str, int]]) -> tuple[str, str]:
    """The (association, name) a new representation is coloured by, from the (name, components) of the data's
    arrays: ParaView colours by the active scalars, point data first. The active-scalars flag does not reach the
    client here, so the first one-component array that is not a known non-scalar stands for it ('' for none)."""
    for association, arrays in (("POINTS", point_arrays), ("CELLS", cell_arrays)):
        for name, components in arrays:
            if components == 1 and name not in _NOT_SCALARS:
                return association, name
    return "POINTS", ""


DEFINITIONS = (
    Rendered(
        REPRESENTATIONS,
        "GeometryRepresentation",
        "vtkActor",
        "How a source is drawn in a view.",
        *_DRAWN,
        *_STORED,
        *representation_stored(RENDERING_HELPERS),
    ),
)
