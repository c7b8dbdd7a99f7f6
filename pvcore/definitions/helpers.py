"""Helper proxies that filters own as sub-proxies: implicit functions (a Clip's plane), glyph shapes, transforms.

A cutting function starts centred on its filter's input (``BoundsDomain("center")``), as in ParaView. The Box
function and the Transform are small adapters (pvserver.pipeline.adapters) that take ParaView's properties.
"""

from __future__ import annotations

from pvcore import sizes
from pvcore.definitions.builders import Double, Proxy, Vec3
from pvcore.definitions.sources import resolution
from pvcore.domains import BoundsDomain

IMPLICIT_FUNCTIONS = "implicit_functions"
GLYPH_SOURCES = "glyph_sources"
TRANSFORMS = "transforms"

#: The implicit functions a cutting filter may use.
CUT_FUNCTIONS = ("Plane", "Sphere", "Box")
#: The shapes a Glyph may place.
GLYPH_SHAPES = ("Arrow", "Cone", "Sphere", "Box")

_CENTRED = BoundsDomain("center")

DEFINITIONS = (
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
)  # fmt: skip
