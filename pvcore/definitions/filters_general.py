"""Filters that place glyphs, move arrays between points and cells, change cell types, and transform."""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import ArraySelection, Bool, Double, Enum, Filter, Input, Int, String, SubProxy
from pvcore.definitions.helpers import GLYPH_SHAPES, GLYPH_SOURCES, TRANSFORMS
from pvcore.domains import BoundsDomain
from pvcore.schema import NOT_APPLIED, Applier

DEFINITIONS = (
    Filter(
        "Glyph", "GlyphFilter", "Places a copy of a shape at the input's points.",
        SubProxy(  # the shape is input port 1 of vtkGlyph3D
            "GlyphType", GLYPH_SOURCES, GLYPH_SHAPES, doc="The glyph's shape.", apply=Applier("input_port", index=1)
        ),
        ArraySelection(
            "OrientationArray", ("POINTS", "No orientation array"), doc="Vector array that orients the glyphs.",
            none_label="No orientation array", setter="SetOrientationArray",
        ),
        ArraySelection(
            "ScaleArray", ("POINTS", "No scale array"), doc="Array that scales the glyphs.",
            none_label="No scale array", setter="SetScaleArray",
        ),
        Double("ScaleFactor", 1.0, domain=BoundsDomain("diagonal")),
        Enum("GlyphMode", "All Points", ("All Points", "Every Nth Point")),
        Int("Stride", 1, minimum=1, doc="With 'Every Nth Point': place a glyph at every Nth point."),
        # ParaView's transform of the shape, which its traces always set ('Transform2'): stored only.
        String("GlyphTransform", "Transform2", doc="Stored only (ParaView's transform of the glyph's shape).",
               apply=NOT_APPLIED),
        size=sizes.GLYPH,
    ),
    Filter(
        "CellDatatoPointData", "vtkCellDataToPointData", "Averages cell arrays onto points.",
        Bool("PassCellData", 0),
    ),
    Filter(
        "PointDatatoCellData", "vtkPointDataToCellData", "Averages point arrays onto cells.",
        Bool("PassPointData", 0),
    ),
    Filter(
        "Triangulate", "vtkTriangleFilter", "Splits polygons and strips into triangles.",
        Input(data_types=("vtkPolyData",)),
    ),
    Filter(
        "Tessellate", "vtkTessellatorFilter", "Splits cells into linear simplices.",
        Int("OutputDimension", 3, minimum=1, maximum=3),
        Double("ChordError", 0.001, minimum=0.0),
        Int("MaximumNumberofSubdivisions", 3, minimum=0, maximum=8, setter="SetMaximumNumberOfSubdivisions"),
        Bool("MergePoints", 1),
        size=sizes.TESSELLATE,
    ),
    Filter(
        "TableToPoints", "vtkTableToPolyData", "Makes points from three columns of a table (e.g. a CSV file).",
        Input(data_types=("vtkTable",)),
        String("XColumn", "x"),
        String("YColumn", "y"),
        String("ZColumn", "z"),
        Bool("a2DPoints", 0, setter="SetCreate2DPoints", doc="Make 2D points (z = 0)."),
    ),
    Filter(
        "Transform", "vtkTransformFilter", "Moves, rotates and scales a dataset.",
        SubProxy("Transform", TRANSFORMS, ("Transform",), doc="The transform to apply."),
    ),
)  # fmt: skip
