"""Filters on surfaces, lines and point clouds: normals, decimation, smoothing, tubes, cleaning, triangulations,
feature edges, point masks and warps, by ParaView's names (its ``paraview.simple`` spellings), defaults and domains.

ParaView's proxy definitions (``filters_filterscore.xml``, ``filters_filtersparallel.xml``,
``filters_filtersgeneral.xml``) are the reference for each entry; a property that needs behaviour no VTK setter
has is left out (named in the entry's comment).
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import ArraySelection, Bool, Double, Enum, Filter, Input, Int, Vec3
from pvcore.domains import ArrayListDomain
from pvcore.schema import Applier

_POLYDATA = Input(data_types=("vtkPolyData",))
_POINT_SET = Input(data_types=("vtkPointSet",))
_WARPABLE = ("vtkPointSet", "vtkImageData", "vtkRectilinearGrid")

DEFINITIONS = (
    Filter(
        "GenerateSurfaceNormals", "vtkPPolyDataNormals", "Point normals of a surface, for smooth shading.",
        _POLYDATA,
        Double("FeatureAngle", 30.0, minimum=0.0, maximum=180.0, doc="Edges sharper than this are split."),
        Bool("Splitting", 1, doc="Duplicate the points along sharp edges, for crisp edges."),
        Bool("Consistency", 1, doc="Reorder polygons so that their normals agree."),
        Bool("FlipNormals", 0),
        Bool("NonManifoldTraversal", 1),
        Bool("ComputeCellNormals", 0, doc="Pass the polygon normals on as a cell array too."),
        Bool("PieceInvariant", 1, doc="The same normals on any number of ranks (asks for ghost cells)."),
    ),
    Filter(
        "Decimate", "vtkDecimatePro", "Reduces the number of triangles of a triangle mesh.",
        _POLYDATA,
        Double("TargetReduction", 0.9, minimum=0.0, maximum=1.0, doc="Fraction of the triangles to remove."),
        Bool("PreserveTopology", 0),
        Double("FeatureAngle", 15.0, minimum=0.0, maximum=180.0),
        Bool("BoundaryVertexDeletion", 1),
    ),
    Filter(
        "Smooth", "vtkSmoothPolyDataFilter", "Laplacian smoothing: moves each point towards its neighbours.",
        _POLYDATA,
        Int("NumberofIterations", 20, minimum=0, setter="SetNumberOfIterations"),
        Double("Convergence", 0.0, minimum=0.0, maximum=1.0, doc="Stop when no point moves more (bounds fraction)."),
    ),
    # ParaView's Radius defaults to 1% of the input's largest extent (a bounds domain this project lacks): 1 here.
    Filter(
        "Tube", "vtkTubeFilter", "Tubes around the lines of a polygonal dataset.",
        _POLYDATA,
        ArraySelection("Scalars", doc="Point array that may vary the radius.", domain=ArrayListDomain()),
        ArraySelection(
            "Vectors", doc="Point vector array that may vary the radius.", apply=Applier("input_array", index=1)
        ),
        Int("NumberofSides", 6, minimum=3, setter="SetNumberOfSides"),
        Bool("Capping", 1),
        # No minimum: ParaView's traces write the value its domain computed from an input not yet run (-0.02 for a
        # line); VTK clamps a negative radius to 0, as it does in ParaView.
        Double("Radius", 1.0, doc="The radius (the smallest one when it varies)."),
        Enum(
            "VaryRadius", "Off", ("Off", "By Scalar", "By Vector", "By Absolute Scalar", "By Vector Norm"),
            apply=Applier("enum_index", "SetVaryRadius"),
        ),
        Double("RadiusFactor", 10.0, doc="With VaryRadius: the largest radius, as a multiple of Radius."),
        Bool("UseDefaultNormal", 0),
        Vec3("DefaultNormal", (0, 0, 1)),
        size=sizes.TUBE,
    ),
    # ParaView's ProjectionPlaneMode (XY Plane = 0, Best-Fitting Plane = 2) is left out: an enum whose VTK values
    # are not its labels' positions needs an applier this project lacks. VTK's default, the XY plane, applies.
    Filter(
        "Delaunay2D", "vtkDelaunay2D", "A 2D Delaunay triangulation of the input's points (in the XY plane).",
        _POINT_SET,
        Double("Alpha", 0.0, minimum=0.0),
        Double("Tolerance", 1e-5, minimum=0.0, maximum=1.0),
        Double("Offset", 1.0, minimum=0.75),
        Bool("BoundingTriangulation", 0),
        size=sizes.DELAUNAY_2D,
    ),
    Filter(
        "Delaunay3D", "vtkDelaunay3D", "A 3D Delaunay tetrahedralization of the input's points.",
        _POINT_SET,
        Double("Alpha", 0.0, minimum=0.0),
        Double("Tolerance", 0.001, minimum=0.0, maximum=1.0),
        Double("Offset", 2.5, minimum=2.5),
        Bool("BoundingTriangulation", 0),
        Bool("AlphaTets", 1),
        Bool("AlphaTris", 1),
        Bool("AlphaLines", 0),
        Bool("AlphaVerts", 0),
        size=sizes.DELAUNAY_3D,
    ),
    Filter(
        "FeatureEdges", "vtkFeatureEdges", "Extracts boundary, feature, non-manifold or manifold edges as lines.",
        _POLYDATA,
        Bool("BoundaryEdges", 1),
        Bool("FeatureEdges", 1),
        Bool("NonManifoldEdges", 1),
        Bool("ManifoldEdges", 0),
        Bool("Coloring", 0),
        Double("FeatureAngle", 30.0, minimum=0.0, maximum=180.0),
    ),
    # ParaView's ProportionalMaximumNumberOfPoints is left out: it shares the maximum across ranks through a VTK
    # controller, which this server does not set. MaximumNumberofPoints is per rank, as in ParaView by default.
    Filter(
        "MaskPoints", "vtkMaskPoints", "Keeps every OnRatio-th point (or a random sample), up to a maximum.",
        Int("OnRatio", 2, minimum=1),
        Int("MaximumNumberofPoints", 5000, minimum=0, setter="SetMaximumNumberOfPoints"),
        Int("Offset", 0, minimum=0),
        Bool("RandomSampling", 0, setter="SetRandomMode"),
        Enum(
            "RandomSamplingMode", "Randomized Id Strides",
            (
                "Randomized Id Strides", "Random Sampling", "Spatially Stratified Random Sampling",
                "Uniform Spatial Distribution (Bounds Based)", "Uniform Spatial Distribution (Surface Sampling)",
                "Uniform Spatial Distribution (Volume Sampling)",
            ),
            apply=Applier("enum_index", "SetRandomModeType"),
        ),
        Bool("GenerateVertices", 0),
        Bool("SingleVertexPerCell", 0),
    ),
    Filter(
        "WarpByScalar", "vtkWarpScalar", "Moves the points along a normal by a point scalar times ScaleFactor.",
        Input(data_types=_WARPABLE),
        ArraySelection("Scalars", doc="The point scalar array to warp by.", domain=ArrayListDomain()),
        Double("ScaleFactor", 1.0),
        Vec3("Normal", (0, 0, 1), doc="The direction, unless the input has point normals and UseNormal is off."),
        Bool("UseNormal", 0, doc="Use Normal even where the input has point normals."),
        Bool("XYPlane", 0, doc="Take the z coordinates as the scalars (a carpet plot)."),
        Bool("GenerateEnclosure", 0, doc="For a surface: a closed volume between it and its warped copy."),
        size=sizes.WARP_BY_SCALAR,
    ),
    # ParaView defaults Vectors to the input's active (else first 3-component) point vectors; this project has no
    # such array domain yet: the empty default makes vtkWarpVector use the active point vectors.
    Filter(
        "WarpByVector", "vtkWarpVector", "Moves the points by a point vector array times ScaleFactor.",
        Input(data_types=_WARPABLE),
        ArraySelection("Vectors", doc="The point vector array (none: the active point vectors)."),
        Double("ScaleFactor", 1.0),
        size=sizes.WARP_BY_VECTOR,
    ),
)  # fmt: skip
