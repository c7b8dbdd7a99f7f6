"""Helper proxies that filters own as sub-proxies: implicit functions (a Clip's plane), glyph shapes, transforms.

A cutting function starts centred on its filter's input (``BoundsDomain("center")``), as in ParaView. The Box
function and the Transform are small adapters (pvserver.pipeline.adapters) that take ParaView's properties.
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import Double, Int, Proxy, Vec3
from pvcore.definitions.sources import resolution
from pvcore.domains import BoundsDomain, ScaledExtentDomain

IMPLICIT_FUNCTIONS = "implicit_functions"
GLYPH_SOURCES = "glyph_sources"
TRANSFORMS = "transforms"

#: The implicit functions a cutting filter may use.
CUT_FUNCTIONS = ("Plane", "Sphere", "Box", "Cylinder")
#: The types of a Clip's ClipType: the cutting functions and "Scalar" (cut by an array's value instead).
CLIP_TYPES = (*CUT_FUNCTIONS, "Scalar")
#: The shapes a Glyph may place.
GLYPH_SHAPES = ("Arrow", "Cone", "Sphere", "Box")
#: The point sets a Probe Location may probe at (ParaView's extended_sources group).
PROBE_SOURCES = "extended_sources"
PROBE_TYPES = ("FixedRadiusPointSource",)
#: How a contour merges coincident points (ParaView's incremental_point_locators, by their labels).
POINT_LOCATORS = "incremental_point_locators"
POINT_MERGE_METHODS = ("UniformBinning", "OctreeBinning", "DontMergePoints")

_CENTRED = BoundsDomain("center")

DEFINITIONS = (
    # A sub-proxy type is named by ParaView's label without what an identifier cannot hold: a script's
    # PointMergeMethod = "Uniform Binning" (or "Don't Merge Points") picks it (pvcore.values).
    Proxy(POINT_LOCATORS, "UniformBinning", "vtkMergePoints", "Merges coincident points through a uniform grid."),
    Proxy(POINT_LOCATORS, "OctreeBinning", "vtkIncrementalOctreePointLocator", "Merges points through an octree."),
    Proxy(POINT_LOCATORS, "DontMergePoints", "vtkNonMergingPointLocator", "Keeps every point, even coincident ones."),
    Proxy(
        IMPLICIT_FUNCTIONS, "Plane", "vtkPlane", "An infinite plane.",
        Vec3("Origin", doc="A point on the plane.", domain=_CENTRED),
        Vec3("Normal", (1, 0, 0), doc="The plane's normal."),
        Double("Offset", 0.0, doc="Shift of the plane along its normal."),
    ),
    Proxy(
        IMPLICIT_FUNCTIONS, "Sphere", "vtkSphere", "A sphere.",
        Vec3("Center", domain=_CENTRED),
        Double("Radius", 0.5, minimum=0.0),
    ),
    Proxy(
        IMPLICIT_FUNCTIONS, "Box", "BoxFunction", "An axis-aligned box.",
        Vec3("Position", doc="Lower corner of the box.", domain=_CENTRED),
        Vec3("Length", (1, 1, 1), doc="Edge lengths of the box."),
    ),
    # ParaView's Cylinder: an infinite cylinder about Axis through Center, its radius half the input's longest side.
    Proxy(
        IMPLICIT_FUNCTIONS, "Cylinder", "vtkCylinder", "An infinite cylinder.",
        Vec3("Center", doc="A point on the cylinder's axis.", domain=_CENTRED),
        Vec3("Axis", (0, 1, 0), doc="The direction of the cylinder's axis."),
        Double("Radius", 0.5, minimum=0.0, domain=ScaledExtentDomain("0.5")),
    ),
    # A Clip's "Scalar" ClipType: no function; the Clip (pvserver.pipeline.adapters_filters.ClipAdapter) cuts by
    # its Scalars array at its Value.
    Proxy(IMPLICIT_FUNCTIONS, "Scalar", "ScalarClipType", "Clip by the Clip's Scalars array at its Value."),
    Proxy(
        GLYPH_SOURCES, "Arrow", "vtkArrowSource", "An arrow along +x.",
        resolution("TipResolution", 6, 1),
        Double("TipRadius", 0.1, minimum=0.0),
        Double("TipLength", 0.35, minimum=0.0),
        resolution("ShaftResolution", 6, 0),
        Double("ShaftRadius", 0.03, minimum=0.0),
        size=sizes.ARROW,
    ),
    Proxy(
        GLYPH_SOURCES, "Cone", "vtkConeSource", "A cone along +x.",
        resolution("Resolution", 6, 0),
        Double("Radius", 0.5, minimum=0.0),
        Double("Height", 1.0, minimum=0.0),
        size=sizes.CONE,
    ),
    Proxy(
        GLYPH_SOURCES, "Sphere", "vtkSphereSource", "A sphere.",
        Double("Radius", 0.5, minimum=0.0),
        resolution("ThetaResolution", 8, 3),
        resolution("PhiResolution", 8, 3),
        size=sizes.GLYPH_SPHERE,
    ),
    Proxy(
        GLYPH_SOURCES, "Box", "vtkCubeSource", "A box.",
        Double("XLength", 1.0, minimum=0.0),
        Double("YLength", 1.0, minimum=0.0),
        Double("ZLength", 1.0, minimum=0.0),
        size=sizes.BOX,
    ),
    Proxy(
        TRANSFORMS, "Transform", "TransformAdapter", "Scale, then rotate about x, y, z, then translate.",
        Vec3("Translate"),
        Vec3("Rotate", doc="Rotation angles in degrees about x, y and z."),
        Vec3("Scale", (1, 1, 1)),
    ),
    Proxy(
        PROBE_SOURCES, "FixedRadiusPointSource", "vtkPointSource", "Random points in a ball (one point: the centre).",
        Vec3("Center", domain=_CENTRED),
        Double("Radius", 0.0, minimum=0.0),
        Int("NumberOfPoints", 1, minimum=1),
        size=sizes.POINTS,
    ),
)  # fmt: skip
