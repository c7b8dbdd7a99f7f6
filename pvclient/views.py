"""Client-side behaviour of views, representations and colour maps, beyond their properties.

These mixins are added to the proxy classes generated from the catalogue (see ``proxy.proxy_class``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pvcore import camera as camera_math
from pvcore import messages
from pvcore.definitions.views import is_camera_property
from pvcore.errors import PropertyError

# Control points (x in [0, 1], r, g, b) of a few common ParaView presets.
PRESETS: dict[str, list[float]] = {
    "Cool to Warm": [0, 0.231, 0.299, 0.754, 0.5, 0.865, 0.865, 0.865, 1, 0.706, 0.016, 0.150],
    "Viridis (matplotlib)": [
        0,
        0.267,
        0.005,
        0.329,
        0.25,
        0.229,
        0.322,
        0.546,
        0.5,
        0.128,
        0.567,
        0.551,
        0.75,
        0.369,
        0.789,
        0.383,
        1,
        0.993,
        0.906,
        0.144,
    ],
    "Rainbow Uniform": [
        0,
        0.020,
        0.381,
        0.998,
        0.2,
        0.020,
        0.859,
        0.864,
        0.4,
        0.163,
        0.998,
        0.305,
        0.6,
        0.833,
        0.978,
        0.080,
        0.8,
        0.998,
        0.599,
        0.008,
        1,
        0.900,
        0.050,
        0.050,
    ],
    "Grayscale": [0, 0, 0, 0, 1, 1, 1, 1],
    "Jet": [0, 0, 0, 0.5625, 0.111, 0, 0, 1, 0.365, 0, 1, 1, 0.619, 1, 1, 0, 0.873, 1, 0, 0, 1, 0.5, 0, 0],
    "Inferno (matplotlib)": [
        0,
        0.001,
        0,
        0.014,
        0.25,
        0.341,
        0.062,
        0.429,
        0.5,
        0.735,
        0.216,
        0.330,
        0.75,
        0.978,
        0.557,
        0.035,
        1,
        0.988,
        0.998,
        0.645,
    ],
}
PRESET_ALIASES = {"Viridis": "Viridis (matplotlib)", "Inferno": "Inferno (matplotlib)", "Rainbow": "Rainbow Uniform"}
PRESET_SPACES = {"Cool to Warm": "Diverging"}


def points_range(points: Sequence[float]) -> tuple[float, float]:
    """The range of a colour map's control points (x, r, g, b, ...)."""
    return (points[0], points[-4]) if points else (0.0, 1.0)


def stretched(points: Sequence[float], minimum: float, maximum: float) -> list[float]:
    """Control points stretched to [minimum, maximum]."""
    if not minimum <= maximum:
        raise PropertyError(f"RescaleTransferFunction needs minimum <= maximum, got {minimum}, {maximum}.")
    points = list(points)
    lo, hi = points_range(points)
    span = (hi - lo) or 1.0
    for i in range(0, len(points), 4):
        points[i] = minimum + (points[i] - lo) / span * (maximum - minimum)
    return points


def range_changes(points: Sequence[float], initialized: bool, minimum: float, maximum: float) -> dict[str, Any]:
    """The property changes that fit a new colour map to [minimum, maximum], or widen one already fitted to cover
    it too (ParaView's "grow and update"); empty when it already covers it."""
    if not initialized:
        return {"RGBPoints": stretched(points, minimum, maximum), "ScalarRangeInitialized": 1}
    low, high = points_range(points)
    if minimum < low or maximum > high:
        return {"RGBPoints": stretched(points, min(minimum, low), max(maximum, high))}
    return {}


def colour_map_values(lut: Any) -> tuple[list[float], bool]:
    """A colour map's control points and whether its range was fitted; a colour map that a batch still has to
    create has its defaults (pvclient.pending)."""
    if lut.GlobalID < 0:
        spec = lut._spec
        return list(spec.property("RGBPoints").default), bool(spec.property("ScalarRangeInitialized").default[0])
    return list(lut.RGBPoints), bool(lut.ScalarRangeInitialized)


class LookupTableMethods:
    """``ApplyPreset`` and ``RescaleTransferFunction`` of a colour map."""

    def _range(self) -> tuple[float, float]:
        return points_range(self.RGBPoints)

    def RescaleTransferFunction(self, minimum: float, maximum: float) -> None:
        """Stretch the control points to [minimum, maximum] (one request)."""
        changes: dict[str, Any] = {"RGBPoints": stretched(self.RGBPoints, minimum, maximum)}
        if not self.ScalarRangeInitialized:
            changes["ScalarRangeInitialized"] = 1
        self.connection.update(self, changes)

    def _include_range(self, minimum: float, maximum: float) -> None:
        """Fit a new colour map to [minimum, maximum]; widen one already fitted to cover it too."""
        points, initialized = colour_map_values(self)
        changes = range_changes(points, initialized, minimum, maximum)
        if changes:
            self.connection.update(self, changes)

    def ApplyPreset(self, name: str, rescale: bool = True) -> bool:
        """Use one of the presets (e.g. 'Cool to Warm', 'Viridis (matplotlib)', 'Rainbow Uniform', 'Grayscale')."""
        preset = PRESETS.get(PRESET_ALIASES.get(name, name))
        if preset is None:
            raise PropertyError(f"Unknown preset {name!r}; available: {', '.join(PRESETS)}.")
        lo, hi = self._range()
        points = [lo + v * (hi - lo) if i % 4 == 0 else v for i, v in enumerate(preset)] if rescale else preset
        self.connection.update(self, {"RGBPoints": points, "ColorSpace": PRESET_SPACES.get(name, "RGB")})
        return True


class RepresentationMethods:
    """``SetScalarBarVisibility`` and ``RescaleTransferFunctionToDataRange`` of a representation."""

    def SetScalarBarVisibility(self, view: Any = None, visible: bool = True) -> None:
        """Show or hide the colour legend of the colour map this representation uses."""
        self.ScalarBarVisibility = int(bool(visible))

    def RescaleTransferFunctionToDataRange(self, extend: bool = False, force: bool = True) -> None:
        """Fit the colour map to the range of the coloured array; ``extend=True`` only grows it."""
        lut = self.LookupTable
        if lut is not None and self.ColorArrayName[1]:
            lo, hi = array_range(self.Input, self.ColorArrayName)
            if extend:
                lut._include_range(lo, hi)
            else:
                lut.RescaleTransferFunction(lo, hi)


def array_range(source: Any, selection: Sequence[str]) -> tuple[float, float]:
    """The range of an array of a source over all ranks; KeyError naming the arrays that exist."""
    assoc, name = selection
    info = source.GetDataInformation()
    arrays = {"POINTS": info.PointData, "CELLS": info.CellData, "FIELD": info.FieldData}[assoc]
    if name not in arrays:
        raise PropertyError(
            f"{source.GetRegistrationName()} has no {assoc} array {name!r}; point arrays: "
            f"{', '.join(info.PointData.keys()) or 'none'}; cell arrays: {', '.join(info.CellData.keys()) or 'none'}.",
            property="ColorArrayName",
        )
    lo, hi = arrays[name].GetRange(-1)
    return (lo, hi) if lo <= hi else (0.0, 1.0)


class ViewMethods:
    """Rendering and camera control of a view."""

    def _camera_state(self) -> dict[str, tuple]:
        props = self.state.properties
        return {k: tuple(v) for k, v in props.items() if is_camera_property(k)}

    def _set_camera(self, changes: dict[str, Any]) -> None:
        self.connection.update(self, changes)

    def ResetCamera(self) -> None:
        """Fit the camera to the global bounds of the visible data, keeping its direction."""
        self.connection.reset_camera(self)

    def Render(self) -> messages.Image:
        """Render on the server (the first render resets the camera) and return the image."""
        return self.CaptureImage()

    def CaptureImage(
        self,
        width: int = 0,
        height: int = 0,
        fmt: str = "png",
        quality: int = 90,
        interactive: bool = False,
    ) -> messages.Image:
        """Render at a given size (default: ViewSize) and return the encoded image."""
        if not self.CameraInitialized:
            self.ResetCamera()
        image = self.connection.render(self, width, height, fmt, quality, interactive)
        self._last_image = image
        return image

    def GetActiveCamera(self) -> Camera:
        """A camera object whose calls (Azimuth, Elevation, Zoom...) change this view's camera."""
        return Camera(self)

    def _repr_png_(self) -> bytes:
        """In a notebook, a view displays itself as its rendered image."""
        return self.CaptureImage(fmt="png").data


class Camera:
    """ParaView-style camera of a view (vtkCamera's calls), stored in the view's properties."""

    def __init__(self, view: Any) -> None:
        self._view = view

    def _apply(self, fn: Any, *args: float) -> None:
        self._view._set_camera(fn(self._view._camera_state(), *args))

    def Azimuth(self, degrees: float) -> None:
        self._apply(camera_math.azimuth, degrees)

    def Elevation(self, degrees: float) -> None:
        self._apply(camera_math.elevation, degrees)

    def Roll(self, degrees: float) -> None:
        self._apply(camera_math.roll, degrees)

    def OrthogonalizeViewUp(self) -> None:
        self._apply(camera_math.orthogonalize_view_up)

    def Zoom(self, factor: float) -> None:
        self._apply(camera_math.zoom, factor)

    def Dolly(self, factor: float) -> None:
        self._apply(camera_math.dolly, factor)

    def GetPosition(self) -> tuple:
        return tuple(self._view.CameraPosition)

    def SetPosition(self, *xyz: float) -> None:
        self._view.CameraPosition = list(xyz[0] if len(xyz) == 1 else xyz)

    def GetFocalPoint(self) -> tuple:
        return tuple(self._view.CameraFocalPoint)

    def SetFocalPoint(self, *xyz: float) -> None:
        self._view.CameraFocalPoint = list(xyz[0] if len(xyz) == 1 else xyz)

    def GetViewUp(self) -> tuple:
        return tuple(self._view.CameraViewUp)

    def SetViewUp(self, *xyz: float) -> None:
        self._view.CameraViewUp = list(xyz[0] if len(xyz) == 1 else xyz)

    def GetViewAngle(self) -> float:
        return self._view.CameraViewAngle

    def SetViewAngle(self, degrees: float) -> None:
        self._view.CameraViewAngle = degrees

    def SetParallelProjection(self, on: bool) -> None:
        self._view.CameraParallelProjection = int(bool(on))


#: Extra methods of generated proxy classes, by (group, type).
MIXINS: dict[tuple[str, str], type] = {
    ("lookup_tables", "PVLookupTable"): LookupTableMethods,
    ("representations", "GeometryRepresentation"): RepresentationMethods,
    ("views", "RenderView"): ViewMethods,
}
