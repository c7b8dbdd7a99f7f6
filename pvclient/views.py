"""Client-side behaviour of views, representations, colour maps and scalar bars, beyond their properties.

These mixins are added to the proxy classes generated from the catalogue (see ``proxy.proxy_class``).
"""

from __future__ import annotations

import math
import sys
from collections.abc import MutableSequence, Sequence
from typing import Any

from pvclient import notebook, picking
from pvclient.charts import CHART_MIXINS
from pvclient.colormaps import LookupTableMethods, PiecewiseFunctionMethods
from pvcore import camera as camera_math
from pvcore import messages
from pvcore.definitions.views import is_camera_property
from pvcore.errors import PipelineError, PropertyError

#: ParaView's camera directions: the direction of view and the view-up of ResetActiveCameraTo<name>().
CAMERA_DIRECTIONS: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "PositiveX": ((1, 0, 0), (0, 0, 1)),
    "NegativeX": ((-1, 0, 0), (0, 0, 1)),
    "PositiveY": ((0, 1, 0), (0, 0, 1)),
    "NegativeY": ((0, -1, 0), (0, 0, 1)),
    "PositiveZ": ((0, 0, 1), (0, 1, 0)),
    "NegativeZ": ((0, 0, -1), (0, 1, 0)),
}


class RepresentationMethods:
    """``SetScalarBarVisibility``, ``SetRepresentationType`` and ``RescaleTransferFunctionToDataRange``."""

    def SetScalarBarVisibility(self, view: Any = None, visible: bool = True) -> None:
        """Show or hide the colour legend of the colour map this representation uses (and, in ``view``, the scalar
        bar proxy of that colour map, as ParaView does)."""
        self.ScalarBarVisibility = int(bool(visible))
        lut = self.LookupTable
        if view is not None and lut is not None:
            bar = scalar_bar(self.connection, lut, view, create=bool(visible))
            if bar is not None:
                bar.Visibility = int(bool(visible))

    def SetRepresentationType(self, kind: str) -> None:
        """Draw as 'Surface', 'Wireframe', 'Points', 'Outline' or 'Surface With Edges'."""
        self.Representation = kind

    def RescaleTransferFunctionToDataRange(self, extend: bool = False, force: bool = True) -> bool:
        """Fit the colour map to the range of the coloured array; ``extend=True`` only grows it."""
        lut = self.LookupTable
        if lut is None or not self.ColorArrayName[1]:
            return False
        lo, hi = array_range(self.Input, self.ColorArrayName)
        if extend:
            lut._include_range(lo, hi)
        else:
            lut.RescaleTransferFunction(lo, hi)
        return True

    def GetRepresentedDataInformation(self) -> Any:
        """The data information of what this representation shows (its input's)."""
        return self.Input.GetDataInformation()


def scalar_bar(connection: Any, lut: Any, view: Any, create: bool = True) -> Any:
    """The scalar bar of colour map ``lut`` in ``view``; a new one (hidden, titled by the array) if it has none and
    ``create``, else None."""
    for bar in connection.proxies(("scalar_bars",)):
        if bar.LookupTable == lut and bar.View == view:
            return bar
    if not create:
        return None
    title = lut.ArrayName if lut.GlobalID >= 0 else ""
    properties = {"LookupTable": lut, "View": view, "Title": title, "ComponentTitle": ""}
    return connection.create("scalar_bars", "ScalarBarWidgetRepresentation", properties)


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

    def ResetCamera(self, closest: bool = False) -> None:
        """Fit the camera to the global bounds of the visible data, keeping its direction (``closest`` is
        accepted for ParaView's traces: the fit is always to the bounding sphere)."""
        self.connection.reset_camera(self)

    def ResetActiveCameraToDirection(
        self, look_x: float, look_y: float, look_z: float, up_x: float, up_y: float, up_z: float
    ) -> None:
        """Look along (look_x, look_y, look_z) with that view-up, then fit the camera to the data."""
        if math.hypot(look_x, look_y, look_z) == 0:
            raise PropertyError("ResetActiveCameraToDirection needs a non-zero direction of view.")
        self._set_camera(
            {
                "CameraFocalPoint": [0.0, 0.0, 0.0],
                "CameraPosition": [-look_x, -look_y, -look_z],
                "CameraViewUp": [up_x, up_y, up_z],
            }
        )
        self.ResetCamera()

    def _look(self, name: str) -> None:
        look, up = CAMERA_DIRECTIONS[name]
        self.ResetActiveCameraToDirection(*look, *up)

    def ResetActiveCameraToPositiveX(self) -> None:
        self._look("PositiveX")

    def ResetActiveCameraToNegativeX(self) -> None:
        self._look("NegativeX")

    def ResetActiveCameraToPositiveY(self) -> None:
        self._look("PositiveY")

    def ResetActiveCameraToNegativeY(self) -> None:
        self._look("NegativeY")

    def ResetActiveCameraToPositiveZ(self) -> None:
        self._look("PositiveZ")

    def ResetActiveCameraToNegativeZ(self) -> None:
        self._look("NegativeZ")

    def Update(self) -> None:
        """Bring every visible representation's input up to date on the server (as ParaView's view.Update())."""
        for rep in self.Representations:
            if rep.Visibility and rep.Input is not None:
                rep.Input.UpdatePipeline(self.ViewTime)

    def Render(self) -> messages.Image:
        """Render on the server (the first render resets the camera) and return the image."""
        return self.CaptureImage()

    def StillRender(self) -> messages.Image | None:
        """ParaView's vtkSMViewProxy.StillRender: render with the camera the view has (only simple.Render's first
        render fits it to the data); a pipeline that fails is reported as ParaView's C++ view reports it, on stderr,
        instead of raised (the script goes on; the next render tries the pipeline again). Render() raises it."""
        if not self.CameraInitialized:
            self.CameraInitialized = 1
        try:
            return self.Render()
        except PipelineError as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return None

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
        self._last_image_key = (self.connection.changes, width, height, fmt, interactive)
        return image

    def current_image(self) -> messages.Image:
        """The view's PNG at its size: the last render's when nothing changed since, else a new render (a
        notebook cell ending in ``Render()`` renders once, not once more to display)."""
        if getattr(self, "_last_image_key", None) == (self.connection.changes, 0, 0, "png", False):
            return self._last_image
        return self.CaptureImage(fmt="png")

    def GetActiveCamera(self) -> Camera:
        """A camera object whose calls (Azimuth, Elevation, Zoom...) change this view's camera."""
        return Camera(self)

    def ConvertDisplayToPointOnSurface(
        self,
        display_position: Sequence[int],
        world_position: MutableSequence[float] | None = None,
        world_normal: MutableSequence[float] | None = None,
        snapOnMeshPoint: bool = False,  # noqa: N803 - ParaView's argument name
    ) -> bool:
        """Fill ``world_position`` and ``world_normal`` (lists, changed in place) with the point and normal of the
        surface drawn at ``display_position`` (pixels from the bottom left); True if one is drawn there, else the
        point on the focal plane and the view plane normal, and False (see pvclient.picking)."""
        return picking.convert_display_to_point_on_surface(
            self, display_position, world_position, world_normal, snapOnMeshPoint
        )

    def _repr_png_(self) -> bytes:
        """The view's picture as PNG (what a notebook shows where no widget can run)."""
        return self.current_image().data

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """In a notebook, a view displays itself as an interactive widget, with its PNG as the static fallback."""
        return notebook.mimebundle(self)


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

    def GetParallelProjection(self) -> int:
        return self._view.CameraParallelProjection

    def SetParallelProjection(self, on: bool) -> None:
        self._view.CameraParallelProjection = int(bool(on))

    def GetParallelScale(self) -> float:
        return self._view.CameraParallelScale

    def SetParallelScale(self, scale: float) -> None:
        self._view.CameraParallelScale = scale

    def GetDistance(self) -> float:
        """The distance from the position to the focal point."""
        return math.dist(self.GetPosition(), self.GetFocalPoint())

    def GetDirectionOfProjection(self) -> tuple:
        """The unit vector from the position to the focal point."""
        position, focal = self.GetPosition(), self.GetFocalPoint()
        distance = self.GetDistance() or 1.0
        return tuple((f - p) / distance for p, f in zip(position, focal, strict=True))

    # Every other call of vtkCamera (GetViewPlaneNormal, Pitch, Yaw, SetDistance, ...) runs on a vtkCamera set from
    # the view's camera; what it changes is written back to the view.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        method = getattr(self._vtk_camera(), name, None)
        if method is None or not callable(method):
            raise AttributeError(f"A camera has no method {name!r}; it has vtkCamera's.")

        def call(*args: Any) -> Any:
            camera = self._vtk_camera()
            result = getattr(camera, name)(*args)
            changes = {
                key: value
                for key, value in _camera_properties(camera).items()
                if tuple(value) != tuple(self._view.state.properties.get(key, ()))
            }
            if changes:
                self._view._set_camera(changes)
            return result

        call.__name__ = name
        return call

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *dir(self._vtk_camera())})

    def _vtk_camera(self) -> Any:
        from vtkmodules.vtkRenderingCore import vtkCamera  # only for the calls above: VTK is heavy for a client

        props = self._view.state.properties
        camera = vtkCamera()
        camera.SetPosition(*props["CameraPosition"])
        camera.SetFocalPoint(*props["CameraFocalPoint"])
        camera.SetViewUp(*props["CameraViewUp"])
        camera.SetViewAngle(props["CameraViewAngle"][0])
        camera.SetParallelProjection(bool(props["CameraParallelProjection"][0]))
        camera.SetParallelScale(props["CameraParallelScale"][0])
        return camera


def _camera_properties(camera: Any) -> dict[str, tuple]:
    """A vtkCamera as a view's camera properties."""
    return {
        "CameraPosition": tuple(camera.GetPosition()),
        "CameraFocalPoint": tuple(camera.GetFocalPoint()),
        "CameraViewUp": tuple(camera.GetViewUp()),
        "CameraViewAngle": (camera.GetViewAngle(),),
        "CameraParallelProjection": (int(camera.GetParallelProjection()),),
        "CameraParallelScale": (camera.GetParallelScale(),),
    }


#: Extra methods of generated proxy classes, by (group, type).
MIXINS: dict[tuple[str, str], type] = {
    ("lookup_tables", "PVLookupTable"): LookupTableMethods,
    ("piecewise_functions", "PiecewiseFunction"): PiecewiseFunctionMethods,
    ("representations", "GeometryRepresentation"): RepresentationMethods,
    ("views", "RenderView"): ViewMethods,
    **CHART_MIXINS,
}
