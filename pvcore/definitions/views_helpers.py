"""Colour maps, opacity maps, scalar bars and the helpers that views and representations own.

- PVLookupTable: a colour map, one per array name (simple.GetColorTransferFunction). Drawn: RGBPoints,
  ColorSpace, NanColor, UseLogScale, UseBelowRangeColor/BelowRangeColor, UseAboveRangeColor/AboveRangeColor,
  Discretize/NumberOfTableValues, EnableOpacityMapping with ScalarOpacityFunction (its own PiecewiseFunction,
  what simple.GetOpacityTransferFunction returns). The rest is stored.
- PiecewiseFunction: an opacity (or scale) map, control points (x, value, midpoint, sharpness).
- ScalarBarWidgetRepresentation: the colour legend of a colour map in one view (simple.GetScalarBar). Drawn:
  Visibility, Title, ComponentTitle, TitleColor, LabelColor, TitleFontSize, LabelFontSize, Orientation,
  WindowLocation, Position, ScalarBarLength, DrawTickLabels, AutomaticLabelFormat with LabelFormat (one printf
  number format such as '%-#6.3g'; anything else is drawn with the default). The rest is stored.
- GridAxes3DActor (a view's AxesGrid) and GridAxesRepresentation (a representation's DataAxesGrid): drawn with
  VTK's vtkGridAxesActor3D around the data (a view with none: around [-1, 1]^3) when Visibility /
  GridAxesVisibility is 1, with every property but UseModelTransform, ModelBounds, ModelTransformMatrix and the
  font files (stored only): faces, labelled axes, grid, edges, ticks, face culling, titles, fonts, notation,
  precision, custom labels, CustomBounds, DataScale, DataPosition and DataBoundsScaleFactor.
- PolarAxesRepresentation, TransferFunction2D, MaterialLibrary, the glyph shapes and the slice Plane of a
  representation: stored only.
"""

from __future__ import annotations

from pvcore.definitions.builders import (
    Bool,
    Double,
    Doubles,
    Enum,
    Int,
    Proxy,
    ProxyRef,
    String,
    Strings,
    SubProxy,
    Vec3,
)
from pvcore.definitions.views import LOOKUP_TABLES, PIECEWISE_FUNCTIONS, RENDERING_HELPERS, SCALAR_BARS, VIEWS, Rendered
from pvcore.definitions.views_representation import font
from pvcore.definitions.views_stored import polar_axes_stored
from pvcore.schema import Property

WINDOW_LOCATIONS = (
    "Any Location", "Lower Left Corner", "Lower Right Corner", "Lower Center", "Upper Left Corner",
    "Upper Right Corner", "Upper Center",
)  # fmt: skip
RESCALE_MODES = ("Never", "Grow and update on 'Apply'", "Grow and update every timestep", "Update on 'Apply'",
                 "Clamp and update every timestep")  # fmt: skip
NOTATIONS = ("Mixed", "Scientific", "Fixed")


def _axes_grid(visibility: str) -> tuple[Property, ...]:
    """The properties of ParaView's vtkGridAxes3DActor, for a view's or a representation's axes grid."""
    per_axis = []
    for axis in "XYZ":
        per_axis += [
            String(f"{axis}Title", f"{axis} Axis"),
            Doubles(f"{axis}AxisLabels", ()),
            Enum(f"{axis}AxisNotation", "Mixed", NOTATIONS),
            Int(f"{axis}AxisPrecision", 2, minimum=0),
            Bool(f"{axis}AxisUseCustomLabels", 0),
            *font(f"{axis}Title", (1, 1, 1), 12),
            *font(f"{axis}Label", (1, 1, 1), 12),
        ]
    return (
        Bool(visibility, 0, doc="Draw the axes grid."),
        Bool("ShowGrid", 0, doc="Draw grid lines on the faces."),
        Bool("ShowEdges", 1),
        Bool("ShowTicks", 1),
        Vec3("GridColor", (1, 1, 1)),
        Int("AxesToLabel", 63, minimum=0, maximum=63),
        Int("FacesToRender", 63, minimum=0, maximum=63),
        Bool("CullBackface", 0),
        Bool("CullFrontface", 1),
        Bool("LabelUniqueEdgesOnly", 1),
        Bool("UseCustomBounds", 0),
        Double("CustomBounds", (0, 1, 0, 1, 0, 1), count=6),
        Vec3("DataScale", (1, 1, 1)),
        Vec3("DataPosition"),
        Double("DataBoundsScaleFactor", 1.0008),
        Bool("UseModelTransform", 0),
        Double("ModelBounds", (0, 1, 0, 1, 0, 1), count=6),
        Double("ModelTransformMatrix", (1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1), count=16),
        *per_axis,
    )


_GLYPHS = (
    Proxy(RENDERING_HELPERS, "Arrow", "vtkArrowSource", "An arrow glyph (stored only).",
          Int("TipResolution", 6), Double("TipRadius", 0.1), Double("TipLength", 0.35), Int("ShaftResolution", 6),
          Double("ShaftRadius", 0.03), Bool("Invert", 0)),
    Proxy(RENDERING_HELPERS, "Cone", "vtkConeSource", "A cone glyph (stored only).",
          Int("Resolution", 6), Double("Radius", 0.5), Double("Height", 1.0), Vec3("Center"),
          Vec3("Direction", (1, 0, 0)), Bool("Capping", 1)),
    Proxy(RENDERING_HELPERS, "Box", "vtkCubeSource", "A box glyph (stored only).",
          Double("XLength", 1.0), Double("YLength", 1.0), Double("ZLength", 1.0), Vec3("Center")),
    Proxy(RENDERING_HELPERS, "Cylinder", "vtkCylinderSource", "A cylinder glyph (stored only).",
          Int("Resolution", 6), Double("Height", 1.0), Double("Radius", 0.5), Vec3("Center"), Bool("Capping", 1)),
    Proxy(RENDERING_HELPERS, "Line", "vtkLineSource", "A line glyph (stored only).",
          Vec3("Point1", (-0.5, 0, 0)), Vec3("Point2", (0.5, 0, 0)), Int("Resolution", 1)),
    Proxy(RENDERING_HELPERS, "Sphere", "vtkSphereSource", "A sphere glyph (stored only).",
          Vec3("Center"), Double("Radius", 0.5), Int("ThetaResolution", 8), Int("PhiResolution", 8)),
)  # fmt: skip

DEFINITIONS = (
    Rendered(
        LOOKUP_TABLES, "PVLookupTable", "vtkDiscretizableColorTransferFunction",
        "A colour map (colour transfer function) shared by every representation coloured by its array.",
        String("ArrayName", doc="The array this colour map belongs to."),
        Doubles(
            "RGBPoints", (0.0, 0.231373, 0.298039, 0.752941, 0.5, 0.865003, 0.865003, 0.865003,
                          1.0, 0.705882, 0.0156863, 0.14902),
            doc="Control points: value, red, green, blue, ...",
        ),
        Enum("ColorSpace", "Diverging", ("RGB", "HSV", "Lab", "Diverging", "Lab/CIEDE2000", "Step")),
        Vec3("NanColor", (1, 1, 0)),
        Double("NanOpacity", 1.0, minimum=0.0, maximum=1.0),
        Bool("UseBelowRangeColor", 0),
        Vec3("BelowRangeColor", (0, 0, 0)),
        Bool("UseAboveRangeColor", 0),
        Vec3("AboveRangeColor", (0.5, 0.5, 0.5)),
        Bool("Discretize", 1, doc="Draw NumberOfTableValues bands of colour."),
        Int("NumberOfTableValues", 256, minimum=1, maximum=65536),
        Bool("UseLogScale", 0),
        Bool("EnableOpacityMapping", 0, doc="Make surfaces translucent by ScalarOpacityFunction."),
        SubProxy("ScalarOpacityFunction", PIECEWISE_FUNCTIONS, ("PiecewiseFunction",),
                 doc="The opacity map of this array (simple.GetOpacityTransferFunction)."),
        SubProxy("TransferFunction2D", RENDERING_HELPERS, ("TransferFunction2D",),
                 doc="Stored only: the 2D transfer function of volume rendering (simple.GetTransferFunction2D)."),
        Enum("VectorMode", "Magnitude", ("Magnitude", "Component")),
        Int("VectorComponent", 0, minimum=0),
        Bool("RescaleOnVisibilityChange", 0),
        # ParaView's numbers, vtkSMTransferFunctionManager's: NEVER is -1, GROW_ON_APPLY 0...
        Enum("AutomaticRescaleRangeMode", "Grow and update on 'Apply'", RESCALE_MODES, numbers=(-1, 0, 1, 2, 3)),
        Double("ScalarRangeInitialized", 0.0, minimum=0.0, maximum=1.0, doc="1 once fitted."),
        Bool("HSVWrap", 0),
        Bool("AllowDuplicateScalars", 1),
        Bool("ShowCategoricalColorsinDataRangeOnly", 0),
        Strings("Annotations", ()),
        Doubles("IndexedColors", ()),
        Doubles("IndexedOpacities", ()),
        Bool("InterpretValuesAsCategories", 0),
        Bool("AnnotationsInitialized", 0),
        Strings("ActiveAnnotatedValues", ()),
        Bool("UseOpacityControlPointsFreehandDrawing", 0),
    ),
    Rendered(
        PIECEWISE_FUNCTIONS, "PiecewiseFunction", "vtkPiecewiseFunction",
        "An opacity (or scale) map: control points x, value, midpoint, sharpness, ...",
        Doubles("Points", (0.0, 0.0, 0.5, 0.0, 1.0, 1.0, 0.5, 0.0)),
        Bool("AllowDuplicateScalars", 1),
        Bool("UseLogScale", 0),
        Bool("ScalarRangeInitialized", 0),
    ),
    Rendered(
        SCALAR_BARS, "ScalarBarWidgetRepresentation", "vtkScalarBarActor",
        "The colour legend of a colour map in one view (simple.GetScalarBar).",
        ProxyRef("LookupTable", LOOKUP_TABLES, doc="The colour map shown."),
        ProxyRef("View", VIEWS, doc="The view it is drawn in."),
        Bool("Visibility", 0),
        String("Title", "Name"),
        String("ComponentTitle", "Component"),
        *font("Title", (1, 1, 1), 16),
        *font("Label", (1, 1, 1), 16),
        Enum("TitleJustification", "Centered", ("Left", "Centered", "Right")),
        Bool("HorizontalTitle", 0),
        Enum("Orientation", "Vertical", ("Horizontal", "Vertical")),
        Enum("WindowLocation", "Lower Right Corner", WINDOW_LOCATIONS),
        Double("Position", (0.89, 0.02), count=2, doc="Lower left corner (with WindowLocation 'Any Location')."),
        Double("ScalarBarLength", 0.33, minimum=0.0, maximum=1.0, doc="Length, as a fraction of the view."),
        Int("ScalarBarThickness", 16, minimum=0, doc="Thickness in pixels."),
        Bool("DrawTickLabels", 1),
        Bool("DrawTickMarks", 1),
        Bool("AddRangeLabels", 1),
        String("RangeLabelFormat", "%-#6.1e"),
        Bool("AutomaticLabelFormat", 1),
        String("LabelFormat", "%-#6.3g"),
        Bool("ReverseLegend", 0),
        Bool("DrawAnnotations", 1),
        Bool("AddRangeAnnotations", 0),
        Bool("AutomaticAnnotations", 0),
        Bool("DrawNanAnnotation", 0),
        String("NanAnnotation", "NaN"),
        Bool("DrawBackground", 0),
        Double("BackgroundColor", (1, 1, 1, 0.5), count=4),
        Double("BackgroundPadding", 2.0),
        Bool("DrawScalarBarOutline", 0),
        Vec3("ScalarBarOutlineColor", (1, 1, 1)),
        Int("ScalarBarOutlineThickness", 1),
        Bool("DrawDataRange", 0),
        String("DataRangeLabelFormat", "%-#6.1e"),
        Bool("UseCustomLabels", 0),
        Doubles("CustomLabels", ()),
        Enum("TextPosition", "Ticks right/top, annotations left/bottom",
             ("Ticks right/top, annotations left/bottom", "Ticks left/bottom, annotations right/top")),
        Bool("AutoOrient", 1),
        Bool("Selectable", 0),
        Bool("Repositionable", 1),
        Bool("Resizable", 1),
        Bool("LockPosition", 0),
        Bool("Enabled", 1),
        Bool("UseNonCompositedRenderer", 1),
    ),
    Rendered(RENDERING_HELPERS, "GridAxes3DActor", "vtkGridAxesActor3D", "The axes grid of a view.",
             *_axes_grid("Visibility")),
    Rendered(RENDERING_HELPERS, "GridAxesRepresentation", "vtkGridAxesActor3D", "The axes grid of a representation.",
             *_axes_grid("GridAxesVisibility"), Vec3("Position"), Vec3("Scale", (1, 1, 1))),
    Rendered(RENDERING_HELPERS, "PolarAxesRepresentation", "vtkPolarAxesActor", "Polar axes (stored only).",
             Bool("Visibility", 0), Int("NumberOfRadialAxes", 0), Int("NumberOfPolarAxis", 5),
             Double("MinimumAngle", 0.0), Double("MaximumAngle", 90.0), Double("Ratio", 1.0),
             Vec3("PolarAxisColor", (1, 1, 1)), Vec3("PolarArcsColor", (1, 1, 1)),
             String("PolarAxisTitle", "Radial Distance"), *polar_axes_stored()),
    Rendered(RENDERING_HELPERS, "TransferFunction2D", "vtkPVTransferFunction2D",
             "A 2D transfer function of volume rendering (stored only).",
             Double("Range", (0, 1, 0, 1), count=4), Bool("ScalarRangeInitialized", 0), Doubles("Boxes", ()),
             Int("OutputDimensions", (10, 10))),
    Rendered(RENDERING_HELPERS, "MaterialLibrary", "vtkOSPRayMaterialLibrary",
             "The ray-tracing materials of a session (stored only: simple.GetMaterialLibrary).",
             String("LoadMaterials", "")),
    Rendered(RENDERING_HELPERS, "Plane", "vtkPlane", "The slice plane of a representation (stored only).",
             Vec3("Origin"), Vec3("Normal", (1, 0, 0)), Double("Offset", 0.0)),
    *(Rendered(g.group, g.name, g.vtk_class, g.doc, *g.properties) for g in _GLYPHS),
)  # fmt: skip
