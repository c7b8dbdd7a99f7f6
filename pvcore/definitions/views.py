"""Views, representations and colour maps: the proxies the renderer draws from (pvserver.rendering).

Their properties are read by the renderer as a whole when it draws, never applied one by one to a VTK object
(``NOT_APPLIED``); their VTK classes say what the renderer makes of them.
"""

from __future__ import annotations

import dataclasses

from pvcore.definitions.builders import (
    ArraySelection,
    Bool,
    Double,
    Doubles,
    Enum,
    Input,
    Int,
    Proxy,
    ProxyRef,
    String,
    Vec3,
)
from pvcore.errors import RenderError
from pvcore.schema import NOT_APPLIED, Property, ProxySpec

#: Largest view accepted: each side, and in total pixels (refused before anything is allocated).
MAX_VIEW_SIDE = 16384
MAX_VIEW_PIXELS = 8192 * 8192

REPRESENTATION_TYPES = ("Surface", "Wireframe", "Points", "Outline", "Surface With Edges")


def is_camera_property(name: str) -> bool:
    """Whether a view's property is part of its camera, which is each client's own rather than shared state."""
    return name.startswith("Camera")


def check_view_size(width: int, height: int) -> None:
    """Refuse a view size that is zero, negative or absurd, with the allowed range in the message (the server
    checks before it allocates anything; a client, to fail early)."""
    side = MAX_VIEW_SIDE
    if not (1 <= width <= side and 1 <= height <= side):
        raise RenderError(f"View size {width} x {height} is not allowed: each side must be 1..{side} pixels.")
    if width * height > MAX_VIEW_PIXELS:
        raise RenderError(
            f"View size {width} x {height} has {width * height} pixels; at most {MAX_VIEW_PIXELS} are allowed."
        )


def Rendered(group: str, name: str, vtk_class: str, doc: str, *properties: Property) -> ProxySpec:  # noqa: N802
    """A proxy type whose properties the renderer reads (none is applied to a VTK object by itself; an input
    stays an input port, which the renderer connects)."""
    kept = (p if p.is_input else dataclasses.replace(p, apply=NOT_APPLIED) for p in properties)
    return Proxy(group, name, vtk_class, doc, *kept)


DEFINITIONS = (
    Rendered(
        "views", "RenderView", "vtkRenderer", "A 3D view, rendered in parallel on the server and composited by depth.",
        Int("ViewSize", (400, 400), doc="Width and height in pixels.", minimum=1, maximum=MAX_VIEW_SIDE),
        Vec3("CameraPosition", (0, 0, 6.69)),
        Vec3("CameraFocalPoint"),
        Vec3("CameraViewUp", (0, 1, 0)),
        Double("CameraViewAngle", 30.0, minimum=1.0, maximum=179.0),
        Bool("CameraParallelProjection", 0),
        Double("CameraParallelScale", 1.0, minimum=0.0),
        Vec3("Background", (0.32, 0.34, 0.43)),
        Bool("OrientationAxesVisibility", 1),
        Double("ViewTime", 0.0, doc="The time shown (for data with time steps)."),
        ProxyRef("Representations", "representations", None, doc="The representations shown in this view."),
        Bool("CameraInitialized", 0, doc="Set once the camera was reset to the data (first render)."),
    ),
    Rendered(
        "representations", "GeometryRepresentation", "vtkActor", "How a source is drawn in a view.",
        Input(doc="The source or filter shown."),
        Bool("Visibility", 1),
        Enum("Representation", "Surface", REPRESENTATION_TYPES),
        Double("Opacity", 1.0, minimum=0.0, maximum=1.0),
        Vec3("DiffuseColor", (1, 1, 1)),
        Vec3("AmbientColor", (1, 1, 1)),
        Vec3("EdgeColor", (0, 0, 0.5)),
        Double("PointSize", 2.0, minimum=0.0),
        Double("LineWidth", 1.0, minimum=0.0),
        ArraySelection("ColorArrayName", doc="Array to colour by; empty name: solid colour."),
        ProxyRef("LookupTable", "lookup_tables", doc="Colour map used with ColorArrayName."),
        Bool("ScalarBarVisibility", 0, doc="Show the colour legend of LookupTable."),
    ),
    Rendered(
        "lookup_tables", "PVLookupTable", "vtkColorTransferFunction",
        "A colour map (colour transfer function) shared by every representation coloured by its array.",
        String("ArrayName", doc="The array this colour map belongs to."),
        Doubles(
            "RGBPoints", (0.0, 0.231, 0.299, 0.754, 1.0, 0.706, 0.016, 0.150),
            doc="Control points: value, red, green, blue, ...",
        ),
        Enum("ColorSpace", "Diverging", ("RGB", "HSV", "Lab", "Diverging")),
        Vec3("NanColor", (1, 1, 0)),
        Enum(
            "AutomaticRescaleRangeMode", "Grow and update on 'Apply'",
            ("Never", "Grow and update on 'Apply'", "Clamp and update every timestep"),
        ),
        Bool("ScalarRangeInitialized", 0),
    ),
)  # fmt: skip
