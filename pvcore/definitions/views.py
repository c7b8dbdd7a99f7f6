"""The render view: the proxy the renderer (pvserver.rendering) draws a picture from.

Views, representations, colour maps and their helpers are read by the renderer as a whole when it draws, never
applied one by one to a VTK object (``NOT_APPLIED``); their VTK classes say what the renderer makes of them. The
representation, colour map and helper types are in views_representation.py and views_helpers.py.

Every property that a ParaView 5.11 trace or Python state file writes on a render view is accepted here with
ParaView's default. Drawn: ViewSize, the camera, Background (simple.LoadPalette sets it on the views that have
UseColorPaletteForBackground=1), OrientationAxesVisibility, ViewTime, AxesGrid.Visibility (a cube-axes box around
the visible data), Representations. Stored only (accepted so that traces run, no effect on the picture): the stereo,
lighting, OSPRay, LOD, interaction and other background modes, CenterAxesVisibility.
"""

from __future__ import annotations

import dataclasses

from pvcore.definitions.builders import Bool, Double, Enum, Int, Proxy, ProxyRef, String, SubProxy, Vec3
from pvcore.definitions.views_stored import view_stored
from pvcore.errors import RenderError
from pvcore.schema import NOT_APPLIED, Property, ProxySpec

#: Largest view accepted: each side, and in total pixels (refused before anything is allocated).
MAX_VIEW_SIDE = 16384
MAX_VIEW_PIXELS = 8192 * 8192

#: The groups of proxies that only the renderer turns into VTK objects (the ranks keep their states for it).
VIEWS = "views"
REPRESENTATIONS = "representations"
LOOKUP_TABLES = "lookup_tables"
PIECEWISE_FUNCTIONS = "piecewise_functions"
SCALAR_BARS = "scalar_bars"
#: Helpers owned by a view or a representation (axes grids, glyph shapes of a representation, slice planes).
RENDERING_HELPERS = "rendering_helpers"
RENDERING_GROUPS = (VIEWS, REPRESENTATIONS, LOOKUP_TABLES, PIECEWISE_FUNCTIONS, SCALAR_BARS, RENDERING_HELPERS)

#: The view types ParaView's traces create that this project does not draw, and what to use instead.
OTHER_VIEW_TYPES = (
    "XYChartView", "XYBarChartView", "XYHistogramChartView", "BoxChartView", "ParallelCoordinatesChartView",
    "PlotMatrixView", "QuartileChartView", "XYFunctionalBagChartView", "SpreadSheetView", "PythonView",
    "ComparativeRenderView", "RenderViewWithEnSight", "OrthographicSliceView", "MultiSlice", "LightView",
)  # fmt: skip

#: ParaView 5.11's colour palettes (simple.LoadPalette): background and text colour of each.
PALETTES: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "BlueGrayBackground": ((0.32, 0.34, 0.43), (1.0, 1.0, 1.0)),
    "WhiteBackground": ((1.0, 1.0, 1.0), (0.0, 0.0, 0.0)),
    "BlackBackground": ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)),
    "WarmGrayBackground": ((0.29, 0.27, 0.26), (1.0, 1.0, 1.0)),
    "NeutralGrayBackground": ((0.42, 0.42, 0.42), (1.0, 1.0, 1.0)),
    "LightGrayBackground": ((0.46, 0.44, 0.42), (1.0, 1.0, 1.0)),
    "GradientBackground": ((0.32, 0.34, 0.43), (1.0, 1.0, 1.0)),
}
#: Older palette names that ParaView still accepts.
PALETTE_ALIASES = {"DefaultBackground": "BlueGrayBackground", "GrayBackground": "BlueGrayBackground",
                   "PrintBackground": "WhiteBackground"}  # fmt: skip

BACKGROUND_MODES = ("Single Color", "Gradient", "Texture", "Skybox", "Stereo Skybox")


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


_CAMERA = (
    Vec3("CameraPosition", (0, 0, 6.69)),
    Vec3("CameraFocalPoint"),
    Vec3("CameraViewUp", (0, 1, 0)),
    Double("CameraViewAngle", 30.0, minimum=1.0, maximum=179.0),
    Bool("CameraParallelProjection", 0),
    Double("CameraParallelScale", 1.0, minimum=0.0),
    Double("CameraFocalDisk", 1.0, minimum=0.0, doc="Stored only (depth of field)."),
    Double("CameraFocalDistance", 0.0, minimum=0.0, doc="Stored only (depth of field)."),
    Bool("CameraInitialized", 0, doc="Set once the camera was reset to the data (first render)."),
)

#: Stored only: ParaView's settings that change nothing in this project's picture.
_STORED = (
    Vec3("CenterOfRotation", doc="Stored only: the point interaction rotates about."),
    Double("RotationFactor", 1.0),
    Bool("CenterAxesVisibility", 0, doc="Stored only."),
    Bool("OrientationAxesInteractivity", 0),
    Vec3("OrientationAxesLabelColor", (1, 1, 1)),
    Vec3("OrientationAxesOutlineColor", (1, 1, 1)),
    Bool("UseColorPaletteForBackground", 1, doc="Accepted: Background is drawn either way."),
    Enum("BackgroundColorMode", "Single Color", BACKGROUND_MODES, doc="Stored only: a single colour is drawn."),
    Vec3("Background2", (0, 0, 0.165), doc="Stored only: the second colour of a gradient."),
    Vec3("EnvironmentalBG", (0.329, 0.349, 0.427)),
    Bool("UseEnvironmentLighting", 0),
    Int("StereoType", 0, minimum=0, maximum=9, doc="Stored only (0: ParaView's default, no stereo)."),
    Bool("StereoRender", 0),
    Double("EyeAngle", 2.0),
    Bool("UseLight", 1, doc="ParaView's light kit: a warm key light with fill, back and head lights."),
    Bool("LightSwitch", 0, doc="A white headlight (ParaView's 'Light Kit' off and this on: VTK's own lighting)."),
    Double("LightIntensity", 1.0, minimum=0.0, doc="The headlight's intensity."),
    Double("KeyLightWarmth", 0.6),
    Double("KeyLightIntensity", 0.75),
    Bool("EnableRenderOnInteraction", 1),
    Bool("UseFXAA", 1),
    Bool("UseToneMapping", 0),
    Int("ToneMappingType", 3),
    Double("Exposure", 1.0),
    Bool("EnableOSPRay", 0),
    Bool("Shadows", 0),
    Int("SamplesPerPixel", 1, minimum=1),
    Int("AmbientSamples", 0, minimum=0),
    String("BackEnd", "scivis"),
    Bool("Denoise", 1),
    Double("LODThreshold", 20.0),
    Double("LODResolution", 0.5),
    Double("RemoteRenderThreshold", 20.0),
    Bool("UseInteractiveRenderingForScreenshots", 0),
    String("CompressorConfig", "vtkLZ4Compressor 0 3"),
    Enum("InteractionMode", "3D", ("3D", "2D", "Selection")),
    Bool("ShowAnnotation", 0),
    Bool("HiddenLineRemoval", 0),
    Bool("DepthPeeling", 1),
    Bool("DepthPeelingForVolumes", 1),
    Int("MaximumNumberOfPeels", 4, minimum=0),
    Bool("UseOutlineForLODRendering", 0),
    Double("NonInteractiveRenderDelay", 0.0),
    Double("WindowResizeNonInteractiveRenderDelay", 0.3),
    Bool("UseCache", 0),
    Double("CacheKey", 0.0),
    Int("PPI", 72, minimum=1),
    Double("MaxClipBounds", (0, -1, 0, -1, 0, -1), count=6),
)

DEFINITIONS = (
    Rendered(
        VIEWS, "RenderView", "vtkRenderer", "A 3D view, rendered in parallel on the server and composited by depth.",
        Int("ViewSize", (400, 400), doc="Width and height in pixels.", minimum=1, maximum=MAX_VIEW_SIDE),
        *_CAMERA,
        Vec3("Background", (0.32, 0.34, 0.43)),
        Bool("OrientationAxesVisibility", 1),
        Double("ViewTime", 0.0, doc="The time shown (for data with time steps)."),
        ProxyRef("Representations", REPRESENTATIONS, None, doc="The representations shown in this view."),
        SubProxy(
            "AxesGrid", RENDERING_HELPERS, ("GridAxes3DActor",),
            doc="The axes grid around all visible data: set AxesGrid.Visibility = 1 to draw it.",
        ),
        *_STORED,
        *view_stored(RENDERING_HELPERS),
    ),
)  # fmt: skip
