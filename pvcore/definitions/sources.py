"""Sources: proxies that make data from their properties alone (the geometric sources and the wavelet)."""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import Bool, Double, Int, Source, Vec3
from pvcore.schema import Property


def resolution(name: str, default: int, minimum: int) -> Property:
    """A number of subdivisions."""
    return Int(name, default, minimum=minimum, doc=f"Number of subdivisions ({name}).")


DEFINITIONS = (
    Source(
        "Sphere", "vtkSphereSource", "A polygonal sphere, split by theta across ranks.",
        Vec3("Center", doc="Centre of the sphere."),
        Double("Radius", 0.5, minimum=0.0, doc="Radius of the sphere."),
        resolution("ThetaResolution", 8, 3),
        Double("StartTheta", 0.0, minimum=0, maximum=360),
        Double("EndTheta", 360.0, minimum=0, maximum=360),
        resolution("PhiResolution", 8, 3),
        Double("StartPhi", 0.0, minimum=0, maximum=180),
        Double("EndPhi", 180.0, minimum=0, maximum=180),
        size=sizes.SPHERE,
    ),
    Source(
        "Cone", "vtkConeSource", "A polygonal cone.",
        resolution("Resolution", 6, 0),
        Double("Radius", 0.5, minimum=0.0),
        Double("Height", 1.0, minimum=0.0),
        Vec3("Center"),
        Vec3("Direction", (1, 0, 0)),
        Bool("Capping", 1),
        size=sizes.CONE,
    ),
    Source(
        "Cylinder", "vtkCylinderSource", "A polygonal cylinder along the y axis.",
        resolution("Resolution", 6, 2),
        Double("Height", 1.0, minimum=0.0),
        Double("Radius", 0.5, minimum=0.0),
        Vec3("Center"),
        Bool("Capping", 1),
        size=sizes.CYLINDER,
    ),
    Source(
        "Box", "vtkCubeSource", "An axis-aligned box.",
        Double("XLength", 1.0, minimum=0.0),
        Double("YLength", 1.0, minimum=0.0),
        Double("ZLength", 1.0, minimum=0.0),
        Vec3("Center"),
        size=sizes.BOX,
    ),
    Source(
        "Plane", "vtkPlaneSource", "A subdivided parallelogram.",
        Vec3("Origin", (-0.5, -0.5, 0)),
        Vec3("Point1", (0.5, -0.5, 0)),
        Vec3("Point2", (-0.5, 0.5, 0)),
        resolution("XResolution", 1, 1),
        resolution("YResolution", 1, 1),
        size=sizes.PLANE,
    ),
    Source(
        "Line", "vtkLineSource", "A straight line subdivided into segments.",
        Vec3("Point1", (-0.5, 0, 0)),
        Vec3("Point2", (0.5, 0, 0)),
        resolution("Resolution", 1, 1),
        size=sizes.LINE,
    ),
    Source(
        "PointSource", "vtkPointSource", "Random points in a sphere.",
        Vec3("Center"),
        Int("NumberOfPoints", 1, minimum=1),
        Double("Radius", 0.0, minimum=0.0),
        size=sizes.POINTS,
    ),
    Source(
        "Wavelet", "vtkRTAnalyticSource",
        "A regular grid with the analytic point array RTData, split by extent across ranks.",
        Int("WholeExtent", (-10, 10, -10, 10, -10, 10), doc="Index extent xmin,xmax,ymin,..."),
        Vec3("Center"),
        Double("Maximum", 255.0),
        Double("XFreq", 60.0),
        Double("YFreq", 30.0),
        Double("ZFreq", 40.0),
        Double("XMag", 10.0),
        Double("YMag", 18.0),
        Double("ZMag", 5.0),
        Double("StandardDeviation", 0.5),
        Int("SubsampleRate", 1, minimum=1),
        size=sizes.WAVELET,
    ),
)  # fmt: skip
