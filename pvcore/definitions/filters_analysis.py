"""ParaView's Data Analysis filters: probes, integrals, min/max, histograms, resampling, gradients, reflections.

By ParaView's names (its ``paraview.simple`` spellings), defaults and domains; its proxy definitions are the
reference for each entry (ProbeLine in parallel_diy_filters.xml, ProbePoint, IntegrateAttributes and
ReflectionFilter in filters_filtersparallel.xml, MinMax and ExtractHistogram in misc_filters.xml, ResampleToImage
and ResampleWithDataset in filters_filterscore.xml, Gradient in general_filters.xml, GradientLegacy in
filters_imaginggeneral.xml: what Gradient() makes for a script that asks for ParaView 5.9 or older). Each filter
whose answer depends on all the data is an adapter (pvserver/pipeline/adapters_analysis*.py) that combines the
ranks' pieces, so that its result is the same on any number of ranks; one-answer results (an integral, a probe, a
histogram) are on rank 0 alone.

Plot Over Line's line runs from one corner of the input's bounds to the other, as in ParaView. Where ParaView takes
a default from all the bounds or an array's whole range (SamplingBounds, CustomBinRanges), this project has no
such domain yet: the XML's fixed default applies.
Left out: DescriptiveStatistics (a multiblock of model tables whose parallel aggregation is VTK's MPI code) and
OverlappingCellsDetector (DIY-based, composite input only); Gradient's image-only BoundaryMethod "Smoothed" and
Dimensionality (vtkImageGradient), ResampleWithDataset's CellLocator.
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import (
    ArraySelection,
    Bool,
    Double,
    Enum,
    Filter,
    Input,
    Int,
    String,
    SubProxy,
    Vec3,
)
from pvcore.definitions.helpers import PROBE_SOURCES, PROBE_TYPES
from pvcore.domains import ArrayListDomain, BoundsDomain
from pvcore.schema import Applier

#: vtkDataSet::FindCell's tolerance: VTK's double epsilon, ParaView's default and least value.
_EPSILON = 2.2204460492503131e-16
_DATASET = Input(data_types=("vtkDataSet",))


def _tolerance() -> tuple:
    return (
        Bool("ComputeTolerance", 1, doc="Compute the FindCell tolerance from the data (else use Tolerance)."),
        Double("Tolerance", _EPSILON, minimum=_EPSILON, doc="The FindCell tolerance, when not computed."),
    )


def _line() -> tuple:
    """The probed line of Plot Over Line, across the input's bounds by default."""
    return (
        Vec3("Point1", doc="The line's first end point.", domain=BoundsDomain("min")),
        Vec3("Point2", doc="The line's second end point.", domain=BoundsDomain("max")),
    )


def _passed_arrays() -> tuple:
    """Which of the input's arrays a probe passes on, and its FindCell tolerance."""
    return (
        Bool("PassPartialArrays", 1),
        Bool("PassCellArrays", 0),
        Bool("PassPointArrays", 0),
        Bool("PassFieldArrays", 1),
        *_tolerance(),
    )


DEFINITIONS = (
    Filter(
        "PlotOverLine", "ProbeLine",
        "Samples the input's arrays along the line Point1-Point2 (a polyline with vtkValidPointMask and "
        "arc_length), wherever on the server's ranks the line runs.",
        _DATASET,
        *_line(),
        Enum(
            "SamplingPattern", "Sample Uniformly",
            ("Sample At Cell Boundaries", "Sample At Segment Centers", "Sample Uniformly"),
            apply=Applier("enum_index", "SetSamplingPattern"),
        ),
        Int("Resolution", 1000, minimum=1, setter="SetLineResolution", doc="Segments of a uniform sampling."),
        *_passed_arrays(),
        size=sizes.PROBE_LINE,
    ),
    Filter(
        "PlotOverLineLegacy", "ProbeLine",
        "ParaView 5.9's Plot Over Line (what PlotOverLine() makes for a script asking for paraview.compatibility "
        "5.9 or older): the input's arrays sampled at Resolution + 1 evenly spaced points of Point1-Point2.",
        _DATASET,
        *_line(),
        Int("Resolution", 1000, minimum=1, setter="SetLineResolution", doc="Segments of the line."),
        *_passed_arrays(),
        size=sizes.PROBE_LINE,
    ),
    Filter(
        "ProbeLocation", "ProbePoint",
        "Samples the input's arrays at the points of ProbeType (one point by default), wherever they lie on the "
        "server's ranks; vtkValidPointMask says which points were found.",
        _DATASET,
        SubProxy(
            "ProbeType", PROBE_SOURCES, PROBE_TYPES, doc="The points to probe (Center, NumberOfPoints, Radius).",
            apply=Applier("input_port", index=1),
        ),
        Bool("PassFieldArrays", 1),
        *_tolerance(),
    ),
    Filter(
        "IntegrateVariables", "IntegrateAttributes",
        "Integrates the point and cell arrays over lines, surfaces or volumes: one point holding the integrals, "
        "with the total Length, Area or Volume as a cell array.",
        _DATASET,
        Bool("DivideCellDataByVolume", 0, doc="Divide the cell arrays' integrals by the total length/area/volume."),
    ),
    Filter(
        "MinMax", "MinMax",
        "One point whose arrays hold the minimum, maximum or sum of each of the input's arrays (per component).",
        _DATASET,
        Enum("Operation", "MIN", ("MIN", "MAX", "SUM")),
    ),
    Filter(
        "Histogram", "ExtractHistogram",
        "Counts the values of an array component in BinCount bins: a table of bin_extents (bin centres) and "
        "bin_values.",
        _DATASET,
        ArraySelection("SelectInputArray", doc="The array to count.", domain=ArrayListDomain()),
        Int("BinCount", 10, minimum=1, maximum=256),
        Int("Component", 0, minimum=0, doc="The component; the number of components means the magnitude."),
        Bool("CalculateAverages", 0, doc="Add each bin's total and average of the other one-component arrays."),
        Bool("Normalize", 0, doc="Divide each count by the total count."),
        Bool("UseCustomBinRanges", 0),
        Bool("CenterBinsAroundMinAndMax", 0),
        Double("CustomBinRanges", (0.0, 100.0), doc="The range of the bins, with UseCustomBinRanges."),
    ),
    Filter(
        "ResampleToImage", "ResampleToImage",
        "Samples the input's arrays on an image of SamplingDimensions points spanning the bounds of all the data "
        "(or SamplingBounds); vtkValidPointMask marks the points inside the input.",
        _DATASET,
        Bool("UseInputBounds", 1),
        Int("SamplingDimensions", (100, 100, 100), minimum=1),
        Double("SamplingBounds", (0.0, 1.0, 0.0, 1.0, 0.0, 1.0), doc="xmin, xmax, ymin, ymax, zmin, zmax."),
        size=sizes.RESAMPLE_TO_IMAGE,
    ),
    Filter(
        "ResampleWithDataset", "ResampleWithDataset",
        "Samples the arrays of SourceDataArrays at the points of DestinationMesh; the output has the "
        "destination's structure.",
        Input("SourceDataArrays", 1, "The dataset whose arrays are sampled.", ("vtkDataSet",)),
        Input("DestinationMesh", 0, "The dataset whose points are sampled at.", ("vtkDataSet",)),
        Bool("CategoricalData", 0, doc="Nearest-neighbour values instead of interpolation."),
        Bool("PassCellArrays", 0),
        Bool("PassPointArrays", 0),
        Bool("PassFieldArrays", 1),
        Bool("PassPartialArrays", 0),
        *_tolerance(),
        Bool("MarkBlankPointsAndCells", 0),
        Bool("SnapToCellWithClosestPoint", 0),
    ),
    Filter(
        "Gradient", "GradientFilter",
        "The gradient of a point or cell array (and, on request, its divergence, vorticity and Q criterion).",
        _DATASET,
        ArraySelection("ScalarArray", doc="The array to differentiate.", domain=ArrayListDomain()),
        Bool("ComputeGradient", 1),
        String("ResultArrayName", "Gradient"),
        Bool("FasterApproximation", 0),
        Bool("ComputeDivergence", 0),
        String("DivergenceArrayName", "Divergence"),
        Bool("ComputeVorticity", 0),
        String("VorticityArrayName", "Vorticity"),
        Bool("ComputeQCriterion", 0),
        String("QCriterionArrayName", "Q Criterion"),
        Enum(
            "ContributingCellOption", "Dataset Max", ("All", "Patch", "Dataset Max"),
            apply=Applier("enum_index", "SetContributingCellOption"),
        ),
        Enum(
            "ReplacementValueOption", "NaN", ("Zero", "NaN", "Data Type Min", "Data Type Max"),
            apply=Applier("enum_index", "SetReplacementValueOption"),
        ),
        size=sizes.SAME_AS_INPUT,
    ),
    Filter(
        "GradientLegacy", "vtkImageGradient",
        "ParaView's Gradient before 5.10: central differences of an image's point scalars (<name>Gradient); "
        "Gradient() makes it for scripts that ask for ParaView 5.9 or older (paraview.compatibility).",
        Input(data_types=("vtkImageData",)),
        ArraySelection("SelectInputScalars", doc="The point array to differentiate.", domain=ArrayListDomain()),
        Int("Dimensionality", 3, minimum=2, maximum=3, doc="3: the gradient in X, Y and Z; 2: in X and Y only."),
        size=sizes.SAME_AS_INPUT,
    ),
    Filter(
        "Reflect", "ReflectionFilter",
        "Mirrors the data in a plane; X Min ... Z Max lie at the bounds of all the data, X, Y, Z at Center.",
        _DATASET,
        Enum(
            "Plane", "X Min", ("X Min", "Y Min", "Z Min", "X Max", "Y Max", "Z Max", "X", "Y", "Z"),
            apply=Applier("enum_index", "SetPlane"),
        ),
        Double("Center", 0.0, doc="The plane's position along its axis, for the planes X, Y and Z."),
        Bool("CopyInput", 1, doc="Keep the input beside its mirror image."),
        Bool("FlipAllInputArrays", 1, doc="Mirror every vector and tensor array, not only the active ones."),
        size=sizes.REFLECT,
    ),
)  # fmt: skip
