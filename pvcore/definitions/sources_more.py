"""More of ParaView's sources and a data-generating filter, by their ParaView names, defaults and domains.

The names are those ``paraview.simple`` gives them (a proxy's label without spaces: "Outline Source" is
``OutlineSource``); defaults and ranges follow ParaView's proxy definitions (sources_filterssources.xml and
sources_filtersgeneral.xml; the trivial producers from core_sources.xml). Every source that makes its own data has
a size rule (:mod:`pvcore.sizes`) and, where ParaView has one, the maximum on its resolutions.
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import Bool, Double, Filter, Int, Source, String, Vec3

DEFINITIONS = (
    Source(
        "Disk", "vtkDiskSource", "A flat ring (a disk with a hole) in the x-y plane.",
        Double("InnerRadius", 0.5, minimum=0.0, doc="Radius of the hole."),
        Double("OuterRadius", 1.0, minimum=0.0, doc="Outer radius of the disk."),
        Int("RadialResolution", 8, minimum=3, maximum=1024, doc="Number of subdivisions across the ring."),
        Int("CircumferentialResolution", 8, minimum=3, maximum=1024, doc="Number of subdivisions around the ring."),
        size=sizes.DISK,
    ),
    Source(
        "Superquadric", "vtkSuperquadricSource",
        "A superquadric: a sphere, box or torus depending on its roundness and Toroidal.",
        Vec3("Center"),
        Vec3("Scale", (1, 1, 1), doc="Scale in x, y and z."),
        Int("ThetaResolution", 16, minimum=8, maximum=1024, doc="Longitudinal subdivisions (rounded up to 8s)."),
        Int("PhiResolution", 16, minimum=4, maximum=1024, doc="Latitudinal subdivisions (rounded up to 4s)."),
        Double("Thickness", 0.3333, minimum=0.0001, maximum=1.0, doc="Thickness of the ring when Toroidal."),
        Double("ThetaRoundness", 1.0, minimum=0.01, doc="0 square, 1 round, more for higher-order shapes."),
        Double("PhiRoundness", 1.0, minimum=0.01, doc="0 square, 1 round, more for higher-order shapes."),
        Double("Size", 0.5, doc="Isotropic size."),
        Bool("Toroidal", 1, doc="A torus (with a hole) rather than an ellipsoid."),
        size=sizes.SUPERQUADRIC,
    ),
    Source(
        "OutlineSource", "vtkOutlineSource", "The twelve edges of an axis-aligned box.",
        Double("Bounds", (0, 1, 0, 1, 0, 1), doc="xmin, xmax, ymin, ymax, zmin, zmax."),
        size=sizes.OUTLINE,
    ),
    Source(
        "Arrow", "vtkArrowSource", "An arrow of length 1 along +x: a cylinder and a cone.",
        Int("TipResolution", 6, minimum=1, maximum=128, doc="Number of faces of the tip (the cone)."),
        Double("TipRadius", 0.1, minimum=0.0, maximum=10.0),
        Double("TipLength", 0.35, minimum=0.0, maximum=1.0),
        Int("ShaftResolution", 6, minimum=3, maximum=128, doc="Number of faces of the shaft (the cylinder)."),
        Double("ShaftRadius", 0.03, minimum=0.0, maximum=5.0),
        Bool("Invert", 0, doc="Point the arrow along -x."),
        size=sizes.ARROW,
    ),
    Source(
        "Ellipse", "vtkEllipseArcSource", "An elliptical arc (a whole ellipse by default) as one polyline.",
        Vec3("Center"),
        Vec3("Normal", (0, 0, 1), doc="Normal of the ellipse's plane."),
        Int("Resolution", 100, minimum=8, maximum=1024, doc="Number of line segments."),
        Vec3("MajorRadiusVector", (1, 0, 0), doc="Direction and length of the major radius."),
        Double("Ratio", 1.0, minimum=0.001, maximum=1.0, doc="Minor radius over major radius."),
        Double("StartAngle", 0.0, minimum=-360.0, maximum=360.0, doc="Start of the arc, in degrees."),
        Double("SectorAngle", 360.0, minimum=0.0, maximum=360.0, setter="SetSegmentAngle", doc="Arc, in degrees."),
        Bool("Close", 1, doc="Join the last point to the first."),
        size=sizes.ELLIPSE,
    ),
    Source(
        "Axes", "vtkAxes", "Three lines along x, y and z with a scalar per line.",
        Double("ScaleFactor", 1.0, minimum=0.0, doc="Length of each axis."),
        Vec3("Origin"),
        Bool("Symmetric", 0, doc="Extend the axes in both directions."),
        size=sizes.AXES,
    ),
    # The data of a trivial producer is the VTK object a script gives its client-side object (built-in session
    # only: GetClientSideObject().SetOutput(data), then MarkModified(None)); it has no size rule: the script made it.
    Source(
        "TrivialProducer", "vtkTrivialProducer",
        "Produces the data object given to GetClientSideObject().SetOutput(), on the built-in session.",
    ),
    Source(
        "PVTrivialProducer", "vtkTrivialProducer",
        "Produces the data object given to GetClientSideObject().SetOutput(), on the built-in session.",
        Int("WholeExtent", (0, -1, 0, -1, 0, -1), doc="The whole extent of image data (0 -1 ...: its own)."),
    ),
    Filter(
        "GenerateIds", "vtkGenerateIds", "Adds point and cell arrays holding each point's and cell's id.",
        Bool("GeneratePointIds", 1, setter="SetPointIds"),
        String("PointIdsArrayName", "PointIds"),
        Bool("GenerateCellIds", 1, setter="SetCellIds"),
        String("CellIdsArrayName", "CellIds"),
    ),
)  # fmt: skip
