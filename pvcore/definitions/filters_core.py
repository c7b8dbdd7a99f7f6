"""Filters that contour, cut, threshold and compute arrays (ParaView's Common filters)."""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import ArraySelection, Bool, Double, Doubles, Enum, Filter, Int, String, SubProxy, Vec3
from pvcore.definitions.helpers import (
    CLIP_TYPES,
    CUT_FUNCTIONS,
    IMPLICIT_FUNCTIONS,
    POINT_LOCATORS,
    POINT_MERGE_METHODS,
)
from pvcore.domains import ArrayListDomain, ArrayRangeDomain, BoundsDomain
from pvcore.schema import NOT_APPLIED, Applier, Property

#: ``SetNumberOfContours(n)`` then ``SetValue(i, v)``: a list of level-set values.
_LEVELS = Applier("values", "Contour")
_FIRST_POINT_ARRAY = ArrayListDomain()


def _HYPER_TREE_GRID_FUNCTION(name: str) -> Property:  # noqa: N802 - a builder, named like them
    """ParaView's function for hyper tree grid input, which its traces always set ('Plane'): stored only, as this
    project's Clip and Slice cut hyper tree grids with ClipType/SliceType (or not at all)."""
    return String(name, "Plane", doc="Stored only (ParaView's function for hyper tree grids).", apply=NOT_APPLIED)


DEFINITIONS = (
    Filter(
        "Contour", "vtkContourFilter", "Iso-surfaces (3D) or iso-lines (2D) of a point array.",
        ArraySelection("ContourBy", doc="The point array to contour.", domain=_FIRST_POINT_ARRAY),
        Doubles(
            "Isosurfaces", doc="Iso-values to extract.", domain=ArrayRangeDomain("mid", "ContourBy"), apply=_LEVELS
        ),
        Bool("ComputeNormals", 1),
        Bool("ComputeScalars", 1),
        Bool("ComputeGradients", 0),
        SubProxy(
            "PointMergeMethod", POINT_LOCATORS, POINT_MERGE_METHODS, doc="How coincident points are merged.",
            apply=Applier("function", "SetLocator"),
        ),
        size=sizes.CONTOUR,
    ),
    # ClipAdapter (pvserver.pipeline.adapters_filters): vtkTableBasedClipDataSet with a function, or by Scalars at
    # Value for the "Scalar" ClipType. Crinkle clipping by scalars and Exact=1 are refused with a clear error.
    Filter(
        "Clip", "ClipAdapter", "Cuts a dataset with an implicit function (or at a scalar value) and keeps one side.",
        SubProxy(
            "ClipType", IMPLICIT_FUNCTIONS, CLIP_TYPES, doc="The implicit function that cuts, or Scalar.",
            apply=Applier("function", "SetClipFunction"),
        ),
        ArraySelection("Scalars", doc="With the Scalar ClipType: the array to clip by.", domain=_FIRST_POINT_ARRAY),
        Double("Value", 0.0, doc="With the Scalar ClipType: the value.", domain=ArrayRangeDomain("mid", "Scalars")),
        Bool("Invert", 1, doc="Keep the side behind the function, or below Value (ParaView's default)."),
        Bool("Crinkleclip", 0, doc="Keep whole cells instead of cutting them."),
        Bool("Exact", 0),
        Bool("UseValueAsOffset", 0, doc="Move the function's surface by Value along its normal."),
        _HYPER_TREE_GRID_FUNCTION("HyperTreeGridClipper"),
    ),
    Filter(
        "Slice", "vtkCutter", "Cuts a dataset with an implicit function, keeping the surface.",
        SubProxy(
            "SliceType", IMPLICIT_FUNCTIONS, CUT_FUNCTIONS, doc="The implicit function that cuts.",
            apply=Applier("function", "SetCutFunction"),
        ),
        Doubles("SliceOffsetValues", (0.0,), doc="Offsets of the function's level sets.", apply=_LEVELS),
        Bool("Triangulatetheslice", 1, setter="SetGenerateTriangles"),
        _HYPER_TREE_GRID_FUNCTION("HyperTreeGridSlicer"),
        size=sizes.SLICE,
    ),
    Filter(
        "Threshold", "vtkThreshold", "Keeps the cells whose values lie within a range.",
        ArraySelection("Scalars", doc="The array to threshold by.", domain=_FIRST_POINT_ARRAY),
        Double("LowerThreshold", 0.0, domain=ArrayRangeDomain("min", "Scalars")),
        Double("UpperThreshold", 0.0, domain=ArrayRangeDomain("max", "Scalars")),
        Enum(
            "ThresholdMethod", "Between", ("Between", "Below Lower Threshold", "Above Upper Threshold"),
            apply=Applier("enum_index", "SetThresholdFunction"),
        ),
        Bool("AllScalars", 1),
        Bool("UseContinuousCellRange", 0),
        Bool("Invert", 0),
    ),
    Filter(
        "Calculator", "CalculatorAlgorithm", "Computes a new array from an expression of the input's arrays.",
        Enum("AttributeType", "Point Data", ("Point Data", "Cell Data")),
        String("ResultArrayName", "Result"),
        String(
            "Function", doc="Expression over the input's arrays and coordsX/coordsY/coordsZ, e.g. 'RTData*2'.",
            check="calculator_expression",
        ),
        Enum("ResultArrayType", "Double", ("Double", "Float", "Int")),
    ),
    Filter(
        "Elevation", "vtkElevationFilter",
        "Adds the point array Elevation: position projected on the line LowPoint-HighPoint.",
        # The input's corners, as ParaView sets them once the input has run (its GUI, and pvpython after a Fetch
        # or an update: PythonPVSimpleSphere prints the values they give). pvpython on an input that has not run
        # yet reads empty bounds instead and gives (1, 1, 1) and (-1, -1, -1); that is not copied.
        Vec3("LowPoint", doc="At first the input's lowest corner.", domain=BoundsDomain("min")),
        Vec3("HighPoint", (0, 0, 1), doc="At first the input's highest corner.", domain=BoundsDomain("max")),
        Double("ScalarRange", (0.0, 1.0), doc="Values at LowPoint and HighPoint."),
    ),
    Filter(
        "Shrink", "vtkShrinkFilter", "Shrinks every cell towards its centre.",
        Double("ShrinkFactor", 0.5, minimum=0.0, maximum=1.0),
        size=sizes.SHRINK,
    ),
    Filter(
        "ExtractSurface", "vtkDataSetSurfaceFilter", "The outer surface of a dataset as polygons.",
        Bool("PieceInvariant", 1),
        Int("NonlinearSubdivisionLevel", 1, minimum=0, maximum=4),
    ),
)  # fmt: skip
