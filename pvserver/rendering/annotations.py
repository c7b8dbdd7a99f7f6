"""Annotations drawn by rank 0 over the composited image: scalar bars and the orientation axes.

They are rendered in a separate offscreen window over a transparent background and blended onto the
composite, so that no rank's geometry can hide them and compositing never sees them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pvcore.messages import ProxyState
from pvserver.rendering.appearance import build_lookup_table

AXES_FRACTION = 0.18  # side of the orientation axes' square, as a fraction of the smaller image side


class Overlay:
    """Rank 0's annotation window (created on first use)."""

    def __init__(self) -> None:
        self.window: Any = None

    def _setup(self) -> None:
        import vtkmodules.vtkRenderingFreeType
        import vtkmodules.vtkRenderingOpenGL2  # noqa: F401
        from vtkmodules.vtkRenderingAnnotation import vtkAxesActor
        from vtkmodules.vtkRenderingCore import vtkRenderer, vtkRenderWindow

        self.window = vtkRenderWindow()
        self.window.SetOffScreenRendering(1)
        self.window.SetAlphaBitPlanes(1)
        self.window.SetMultiSamples(0)
        self.bars_renderer = vtkRenderer()
        self.axes_renderer = vtkRenderer()
        for renderer in (self.bars_renderer, self.axes_renderer):
            renderer.SetBackgroundAlpha(0.0)
            self.window.AddRenderer(renderer)
        self.axes = vtkAxesActor()
        self.axes_renderer.AddActor(self.axes)
        self.bars: list[Any] = []

    def draw(self, image: np.ndarray, states: dict[int, ProxyState], view: ProxyState, camera: dict) -> None:
        """Blend the view's annotations into ``image`` (H, W, 3 uint8, top row first) in place."""
        luts = _scalar_bar_tables(states, view)
        show_axes = bool(view.properties.get("OrientationAxesVisibility", (1,))[0])
        if not luts and not show_axes:
            return
        if self.window is None:
            self._setup()
        height, width = image.shape[:2]
        self.window.SetSize(width, height)
        self._place_bars(luts)
        self.axes.SetVisibility(show_axes)
        side = AXES_FRACTION * min(width, height)
        self.axes_renderer.SetViewport(0, 0, side / width, side / height)
        self._orient_axes(camera)
        self.window.Render()
        from vtkmodules.util.numpy_support import vtk_to_numpy
        from vtkmodules.vtkCommonCore import vtkUnsignedCharArray

        pixels = vtkUnsignedCharArray()
        self.window.GetRGBACharPixelData(0, 0, width - 1, height - 1, 0, pixels)
        overlay = vtk_to_numpy(pixels).reshape(height, width, 4)[::-1]
        rows, cols = np.nonzero(overlay[..., 3])
        if rows.size == 0:
            return
        r0, r1, c0, c1 = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
        over = overlay[r0:r1, c0:c1].astype(np.float32)
        alpha = over[..., 3:4] / 255.0
        under = image[r0:r1, c0:c1].astype(np.float32)
        image[r0:r1, c0:c1] = np.clip(over[..., :3] + (1.0 - alpha) * under + 0.5, 0, 255).astype(np.uint8)

    def _place_bars(self, luts: list[ProxyState]) -> None:
        from vtkmodules.vtkRenderingAnnotation import vtkScalarBarActor

        for bar in self.bars:
            self.bars_renderer.RemoveViewProp(bar)
        self.bars = []
        for i, lut_state in enumerate(luts):
            bar = vtkScalarBarActor()
            bar.SetLookupTable(build_lookup_table(lut_state))
            bar.SetTitle(lut_state.properties.get("ArrayName", ("",))[0])
            bar.SetNumberOfLabels(5)
            bar.SetPosition(0.89 - 0.1 * i, 0.1)
            bar.SetWidth(0.09)
            bar.SetHeight(0.8)
            self.bars_renderer.AddViewProp(bar)
            self.bars.append(bar)

    def _orient_axes(self, camera: dict) -> None:
        eye = np.subtract(camera["CameraPosition"], camera["CameraFocalPoint"])
        norm = np.linalg.norm(eye) or 1.0
        cam = self.axes_renderer.GetActiveCamera()
        cam.SetFocalPoint(0, 0, 0)
        cam.SetPosition(*(eye / norm * 5.0))
        cam.SetViewUp(*camera["CameraViewUp"])
        self.axes_renderer.ResetCameraClippingRange()


def _scalar_bar_tables(states: dict[int, ProxyState], view: ProxyState) -> list[ProxyState]:
    """Colour maps of the view's visible representations that show their scalar bar (each once)."""
    found: dict[int, ProxyState] = {}
    for rep_id in view.properties.get("Representations", ()):
        rep = states.get(rep_id)
        if rep is None or not rep.properties.get("Visibility", (1,))[0]:
            continue
        refs = rep.properties.get("LookupTable", ())
        colored = len(rep.properties.get("ColorArrayName", ())) == 2 and rep.properties["ColorArrayName"][1]
        if rep.properties.get("ScalarBarVisibility", (0,))[0] and colored and refs and refs[0] in states:
            found[refs[0]] = states[refs[0]]
    return list(found.values())
