"""The rest of ParaView's Sources menu, and the two filters that make random data (Random Attributes, Random
Vectors).

By ParaView 5.11's names (what ``paraview.simple`` calls them: "3D Text" is ``a3DText``, the "Text" source is
``Text``), defaults and domains: its proxy XML is the reference for each entry (sources_filterssources.xml,
sources_imagingsources.xml, sources_renderingfreetype.xml, sources_filterscore.xml, sources_filtersgeneral.xml,
VTKExtensions/FiltersGeneral/Resources/general_sources.xml, proxies_computationalgeometry.xml for the Spline and
filters_filtersgeneral.xml for the filters). Sources that cannot split their output make it on rank 0; the image
sources that can are split by extent, UnstructuredCellTypes and HyperTreeGridRandom by piece.

PartitionedDataSetCollectionSource is VTK's test source of partitioned data: on n ranks, rank r makes r + 1 parts of
each shape (as in ParaView), so its counts grow with the ranks while its bounds stay.

Left out: Logo and Ruler (a picture and a widget, no data), HierarchicalFractal and AMR Gaussian Pulse (AMR
data), the programmable sources (their own family).
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import (
    Bool,
    Double,
    Doubles,
    Enum,
    Filter,
    Input,
    Int,
    Proxy,
    Source,
    String,
    SubProxy,
    Vec3,
)
from pvcore.schema import Applier

PARAMETRIC_FUNCTIONS = "parametric_functions"

#: UnstructuredCellTypes' cell types, as ParaView labels them (the VTK ids are the adapter's).
CELL_TYPES = (
    "Line", "Quadratic Line", "Cubic Line", "Triangle", "Quad", "Quadratic Triangle", "Quadratic Quad", "Tet", "Hex",
    "Wedge", "Pyramid", "Quadratic Tet", "Quadratic Hex", "Quadratic Wedge", "Quadratic Pyramid",
    "Tri-Quadratic Pyramid", "Lagrange Curve", "Lagrange Triangle", "Lagrange Quadrilateral", "Lagrange Tetrahedron",
    "Lagrange Hexahedron", "Lagrange Wedge", "Bezier Curve", "Bezier Triangle", "Bezier Quadrilateral",
    "Bezier Tetrahedron", "Bezier Hexahedron", "Bezier Wedge",
)  # fmt: skip
GLYPH_2D_TYPES = (
    "Vertex", "Dash", "Cross", "ThickCross", "Triangle", "Square", "Circle", "Diamond", "Arrow", "ThickArrow",
    "HookedArrow", "EdgeArrow",
)  # fmt: skip
DATA_TYPES = (
    "Bit", "Char", "UnsignedChar", "Short", "UnsignedShort", "Int", "UnsignedInt", "Long", "UnsignedLong", "Float",
    "Double", "vtkIdType",
)  # fmt: skip
#: vtkTimeSourceExample's ten time steps, 0 to 1.
TIME_SOURCE_STEPS = tuple(i / 9 for i in range(10))

_POINTS_DOC = "The points, x, y, z after one another."

ANNOTATION = (
    Source(
        "a3DText", "vtkVectorText", "The text as polygons (ParaView's 3D Text), one unit high, in the x-y plane.",
        String("Text", "3D Text", doc="The text."),
        size=sizes.VECTOR_TEXT,
    ),
    Source(
        "AnnotateTime", "TimeToTextSource",
        "A table of one string: Format with {time} replaced by the time of the update ('?' without one).",
        String("Format", "Time: {time:f}", doc="The text, with {time} or {time:SPEC} (a number format) for the time."),
    ),
    Source(
        "Text", "TextSource", "A table of one column 'Text' holding one string (ParaView's Text source).",
        String("Text", "Text", doc="The text."),
    ),
)  # fmt: skip

DATA_OBJECTS = (
    Source(
        "DataObjectGenerator", "DataObjectGenerator",
        "Small datasets described by a program: ID1 (an image of one cell), UG4, PD2, MB{ID1 PD1} ...",
        String("Program", "ID1", doc="What to make: ID1 ID2 UF1 RG1 SG1 PD1 PD2 UG1 UG2 UG3 UG4, MB{...}, HB[...]."),
        size=sizes.DATA_OBJECT_GENERATOR,
    ),
    Source(
        "FastUniformGrid", "FastUniformGrid",
        "An image of unit spacing with the point arrays X, DistanceSquared and Swirl; split by extent.",
        Int("WholeExtent", (-10, 10, -10, 10, -10, 10), doc="Index extent xmin, xmax, ymin, ymax, zmin, zmax."),
        Bool("GenerateDistanceSquaredScalars", 1, setter="SetEnableDistanceSquaredData"),
        Bool("GenerateSwirlVectors", 1, setter="SetEnableSwirlData"),
        Bool("EnableSMP", 0, doc="Threads within a rank (no effect here)."),
        Int("DesiredBytesPerPiece", 65536, doc="Size of a thread's piece with EnableSMP (no effect here)."),
        size=sizes.FAST_UNIFORM_GRID,
    ),
    Source(
        "HyperTreeGrid", "vtkHyperTreeGridSource", "A hyper tree grid refined as its Descriptor says.",
        Int("Dimensions", (2, 2, 2), minimum=1, doc="Points of the root grid along x, y and z."),
        Vec3("GridScale", (1, 1, 1), minimum=0.0, doc="Size of a root cell along x, y and z."),
        Int("BranchFactor", 2, minimum=2, maximum=3, doc="Binary (2) or ternary (3) subdivision."),
        Int("MaxDepth", 1, minimum=1, doc="Number of levels."),
        String("Descriptor", ".", doc="The refinement, level by level: R refined, . a leaf, | between levels."),
        size=sizes.HYPER_TREE_GRID,
    ),
    Source(
        "Mandelbrot", "vtkImageMandelbrotSource",
        "An image of the iterations of the Mandelbrot (and Julia) set, over a plane of a 4D space.",
        Int("WholeExtent", (0, 250, 0, 250, 0, 0), doc="Index extent xmin, xmax, ymin, ymax, zmin, zmax."),
        Int("ProjectionAxes", (0, 1, 2), minimum=0, maximum=3,
            doc="Which of (cReal, cImaginary, xReal, xImaginary) the axes show (VTK crashes on others)."),
        Double("OriginCX", (-1.75, -1.25, 0.0, 0.0), count=4, doc="The image's origin in the 4D space."),
        Double("SizeCX", (2.5, 2.5, 2.0, 1.5), count=4, doc="The image's size in the 4D space."),
        Int("MaximumNumberofIterations", 100, minimum=1, maximum=5000, setter="SetMaximumNumberOfIterations"),
        Int("SubsampleRate", 1, minimum=1, doc="Take every n-th point of the extent."),
        size=sizes.MANDELBROT,
    ),
    Source(
        "HyperTreeGridRandom", "vtkRandomHyperTreeGridSource",
        "A hyper tree grid refined at random (the same for the same Seed); split by piece.",
        Int("Dimensions", (6, 6, 3), minimum=1, doc="Points of the root grid along x, y and z."),
        Double("OutputBounds", (-10, 10, -10, 10, -10, 10), doc="xmin, xmax, ymin, ymax, zmin, zmax."),
        Int("Seed", 0, doc="Seed of the random refinement."),
        Int("MaxDepth", 5, minimum=1, doc="Deepest level a tree may reach."),
        Double("SplitFraction", 0.5, minimum=0.0, maximum=1.0, doc="Chance that a node is refined."),
        size=sizes.HYPER_TREE_GRID_RANDOM,
    ),
    Source(
        "UnstructuredCellTypes", "CellTypeSource",
        "An unstructured grid of one cell type filling BlocksDimensions blocks, with the point arrays "
        "DistanceToCenter and Polynomial; split by piece.",
        Int("BlocksDimensions", (10, 10, 10), minimum=1, doc="Blocks along x, y and z."),
        Enum("CellType", "Hex", CELL_TYPES, setter="SetCellTypeName"),
        Int("CellOrder", 3, minimum=1, maximum=10, doc="Order of the Lagrange and Bezier cells."),
        Bool("Addnodestocompletepolynomialbasis", 0, setter="SetCompleteQuadraticSimplicialElements",
             doc="Add the nodes that complete the quadratic simplices' basis."),
        Int("PolynomialFieldOrder", 1, minimum=0, maximum=10,
            doc="Order of the Polynomial point array (at most 10 here: its cost per point grows with the cube)."),
        Enum("OutputPrecision", "Single", ("Single", "Double"), apply=Applier("enum_index", "SetOutputPrecision")),
        size=sizes.CELL_TYPES,
    ),
    Source(
        "PartitionedDataSetCollectionSource", "vtkPartitionedDataSetCollectionSource",
        "A partitioned dataset collection of parametric surfaces (Boy, Cross Cap, ...), one per shape, in parts "
        "spread over the ranks.",
        Int("NumberOfShapes", 1, minimum=0, maximum=12, doc="How many of the twelve surfaces to make."),
        size=sizes.PARTITIONED_SHAPES,
    ),
)  # fmt: skip

GEOMETRIC_SHAPES = (
    Source(
        "PolyLineSource", "PolyLineSource", "One polyline through the listed points.",
        Doubles("Points", (0, 0, 0, 1, 0, 0), setter="SetPointList", doc=_POINTS_DOC),
        Bool("Closed", 0, doc="Join the last point to the first."),
        size=sizes.POINT_LIST,
    ),
    Source(
        "PolyPointSource", "PolyPointSource", "The listed points, as one poly-vertex.",
        Doubles("Points", (0, 0, 0), setter="SetPointList", doc=_POINTS_DOC),
        size=sizes.POINT_LIST,
    ),
    Source(
        "SplineSource", "vtkParametricFunctionSource", "A spline through the points of its ParametricFunction.",
        SubProxy("ParametricFunction", PARAMETRIC_FUNCTIONS, ("Spline",)),
        Int("Resolution", 50, minimum=2, setter="SetUResolution", doc="Number of segments."),
        size=sizes.SPLINE,
    ),
    Source(
        "a2DGlyph", "GlyphSource2D", "A 2D glyph in the x-y plane (ParaView's 2D Glyph).",
        Enum("GlyphType", "Arrow", GLYPH_2D_TYPES, setter="SetGlyphTypeName"),
        Bool("Filled", 0, doc="Fill closed glyphs."),
        Vec3("Center"),
        size=sizes.GLYPH_2D,
    ),
    Source(
        "TimeSource", "TimeSource",
        "A hexahedron (a growing row of them with Growing) whose values move over ten time steps, 0 to 1.",
        Bool("Analytic", 0, doc="Values of a closed formula rather than sampled ones."),
        Bool("Growing", 0, doc="Add a cell at each time step."),
        Double("XAmplitude", 0.0, doc="How far the cells move along x over time."),
        Double("YAmplitude", 0.0, doc="How far the cells move along y over time."),
        Doubles("TimestepValues", TIME_SOURCE_STEPS, read_only=True, doc="The ten time steps (read only)."),
        size=sizes.TIME_SOURCE,
    ),
)  # fmt: skip

HELPERS = (
    Proxy(
        PARAMETRIC_FUNCTIONS, "Spline", "SplineFunction", "A parametric spline through a list of points.",
        Doubles("Points", (0, 0, 0, 1, 0, 0), setter="SetPointList", doc=_POINTS_DOC),
        Bool("Closed", 0, doc="Join the last point to the first."),
    ),
)  # fmt: skip

RANDOM_FILTERS = (
    Filter(
        "RandomAttributes", "RandomAttributeGenerator",
        "Adds arrays of random values: cell vectors by default, point or cell scalars and vectors on request.",
        Input(data_types=("vtkDataSet",)),
        Enum("DataType", "UnsignedChar", DATA_TYPES, setter="SetDataTypeName", doc="Type of the generated arrays."),
        Double("ComponentRange", (0.0, 255.0), doc="Least and greatest value of each component."),
        Bool("AttributesConstantPerBlock", 0, doc="One value per block of a composite dataset."),
        Bool("GeneratePointScalars", 0),
        Bool("GeneratePointVectors", 0),
        Bool("GenerateCellScalars", 0),
        Bool("GenerateCellVectors", 1),
    ),
    Filter(
        "RandomVectors", "vtkBrownianPoints",
        "Adds a point array BrownianVectors of random vectors whose lengths lie between the two speeds.",
        Input(data_types=("vtkDataSet",)),
        Double("MinimumSpeed", 0.0, minimum=0.0, doc="Shortest vector."),
        Double("MaximumSpeed", 1.0, minimum=0.0, doc="Longest vector."),
    ),
)  # fmt: skip

DEFINITIONS = ANNOTATION + DATA_OBJECTS + GEOMETRIC_SHAPES + HELPERS + RANDOM_FILTERS
