"""Annotations drawn by rank 0 over the composited image: scalar bars, texts (rendering/text.py) and the
orientation axes.

They are rendered in a separate offscreen window over a transparent background and blended onto the
composite, so that no rank's geometry can hide them and compositing never sees them.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from pvcore.messages import ProxyState
from pvserver.rendering.appearance import build_lookup_table
from pvserver.rendering.text import text_actor, visible_texts

#: A printf format of one floating-point number, the only label format handed to VTK.
NUMBER_FORMAT = re.compile(r"[^%]{0,32}%[-+ #0]{0,5}[0-9]{0,2}(\.[0-9]{1,2})?[eEfgG][^%]{0,32}")
AXES_FRACTION = 0.25  # the orientation axes' viewport, as ParaView's vtkPVRenderView sets it
#: The most of the image's width (height, for a horizontal bar) a scalar bar with its labels takes.
MAX_BAR_FRACTION = 0.18  # side of the orientation axes' square, as a fraction of the smaller image side


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
        self.texts: list[Any] = []

    def draw(self, image: np.ndarray, states: dict[int, ProxyState], view: ProxyState, camera: dict) -> None:
        """Blend the view's annotations into ``image`` (H, W, 3 uint8, top row first) in place."""
        bars = _scalar_bars(states, view)
        texts = visible_texts(states, view)
        show_axes = bool(view.properties.get("OrientationAxesVisibility", (1,))[0])
        if not bars and not texts and not show_axes:
            return
        if self.window is None:
            self._setup()
        height, width = image.shape[:2]
        self.window.SetSize(width, height)
        self._place_bars(bars, states, (width, height))
        for actor in self.texts:
            self.bars_renderer.RemoveViewProp(actor)
        self.texts = [text_actor(rep, text, (width, height)) for rep, text in texts]
        for actor in self.texts:
            self.bars_renderer.AddViewProp(actor)
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

    def _place_bars(
        self, bars: list[tuple[ProxyState, ProxyState | None]], states: dict[int, ProxyState], size: tuple[int, int]
    ) -> None:
        from vtkmodules.vtkRenderingAnnotation import vtkScalarBarActor

        for bar in self.bars:
            self.bars_renderer.RemoveViewProp(bar)
        self.bars = []
        for i, (lut_state, bar_state) in enumerate(bars):
            bar = vtkScalarBarActor()
            bar.SetLookupTable(build_lookup_table(lut_state, states))
            bar.SetNumberOfLabels(5)
            place_bar(bar, i, lut_state, bar_state, size)
            self.bars_renderer.AddViewProp(bar)
            self.bars.append(bar)

    def _orient_axes(self, camera: dict) -> None:
        eye = np.subtract(camera["CameraPosition"], camera["CameraFocalPoint"])
        norm = np.linalg.norm(eye) or 1.0
        cam = self.axes_renderer.GetActiveCamera()
        cam.SetFocalPoint(0, 0, 0)
        cam.SetPosition(*(eye / norm * 5.0))
        cam.SetViewUp(*camera["CameraViewUp"])
        # as ParaView's vtkPVAxesWidget: the camera fitted to the axes' box made symmetric about the origin
        reach = max(abs(v) for v in self.axes.GetBounds())
        self.axes_renderer.ResetCamera(-reach, reach, -reach, reach, -reach, reach)


def _scalar_bars(states: dict[int, ProxyState], view: ProxyState) -> list[tuple[ProxyState, ProxyState | None]]:
    """The colour maps whose legends the view shows, each once, with its scalar bar proxy (None if it has none).

    A colour map used by a visible, coloured representation has its legend drawn when its scalar bar proxy in
    this view is visible (simple.GetScalarBar), or, with no such proxy, when a representation asks for it
    (ScalarBarVisibility)."""
    bar_of = {
        int(st.properties["LookupTable"][0]): st
        for st in states.values()
        if st.group == "scalar_bars"
        and st.properties.get("View", ()) == (view.global_id,)
        and st.properties.get("LookupTable", ())
    }
    found: dict[int, tuple[ProxyState, ProxyState | None]] = {}
    for rep_id in view.properties.get("Representations", ()):
        rep = states.get(rep_id)
        if rep is None or not rep.properties.get("Visibility", (1,))[0]:
            continue
        refs = rep.properties.get("LookupTable", ())
        colored = len(rep.properties.get("ColorArrayName", ())) == 2 and rep.properties["ColorArrayName"][1]
        if not (colored and refs and refs[0] in states):
            continue
        bar = bar_of.get(refs[0])
        wanted = (
            bar.properties["Visibility"][0] if bar is not None else rep.properties.get("ScalarBarVisibility", (0,))[0]
        )
        if wanted:
            found[refs[0]] = (states[refs[0]], bar)
    return list(found.values())


def place_bar(bar: Any, index: int, lut: ProxyState, state: ProxyState | None, size: tuple[int, int]) -> None:
    """Title, text and place of a scalar bar actor (the ``index``-th of its view, in an image of ``size``) from its
    proxy's state, text in pixels and the bar ScalarBarThickness pixels thick, as in ParaView; without a proxy, the
    array's name as title, on the right, the text fitted to the bar."""
    props = state.properties if state is not None else {}
    title = props.get("Title", lut.properties.get("ArrayName", ("",)))[0]
    component = props.get("ComponentTitle", ("",))[0]
    bar.SetTitle(f"{title} {component}".strip())
    for text, prefix in ((bar.GetTitleTextProperty(), "Title"), (bar.GetLabelTextProperty(), "Label")):
        text.SetColor(*props.get(f"{prefix}Color", (1.0, 1.0, 1.0)))
        text.SetFontSize(int(props.get(f"{prefix}FontSize", (16,))[0]))
        text.SetBold(bool(props.get(f"{prefix}Bold", (0,))[0]))
        text.SetItalic(bool(props.get(f"{prefix}Italic", (0,))[0]))
    bar.SetDrawTickLabels(bool(props.get("DrawTickLabels", (1,))[0]))
    label_format = props.get("LabelFormat", ("",))[0]
    if not props.get("AutomaticLabelFormat", (1,))[0] and NUMBER_FORMAT.fullmatch(label_format):
        bar.SetLabelFormat(label_format)  # VTK hands it to snprintf: one number conversion and nothing else
    horizontal = props.get("Orientation", ("Vertical",))[0] == "Horizontal"
    bar.SetOrientation(0 if horizontal else 1)
    length = props.get("ScalarBarLength", (0.8,))[0] if state is not None else 0.8
    thickness = 0.09
    if state is not None:  # the bar and its labels across, in pixels, as a fraction of the image
        bar_pixels = int(props.get("ScalarBarThickness", (16,))[0])
        label_pixels = 7 * 0.6 * int(props.get("LabelFontSize", (16,))[0]) if bar.GetDrawTickLabels() else 0
        title_pixels = len(bar.GetTitle()) * 0.6 * int(props.get("TitleFontSize", (16,))[0])
        across = size[1] if horizontal else size[0]
        wanted = (max(bar_pixels + label_pixels, 0 if horizontal else title_pixels) + 4) / max(1, across)
        # text at its size in pixels where it fits in MAX_BAR_FRACTION of the image, else scaled down to fit
        thickness = min(MAX_BAR_FRACTION, wanted)
        shrink = min(1.0, MAX_BAR_FRACTION / wanted)
        bar.SetBarRatio(min(0.6, bar_pixels / (thickness * across)))  # the bar keeps its thickness
        bar.SetUnconstrainedFontSize(True)
        for text in (bar.GetTitleTextProperty(), bar.GetLabelTextProperty()):
            text.SetFontSize(max(8, round(text.GetFontSize() * shrink)))
        along = (size[0] if horizontal else size[1]) * length
        labels = max(2, min(5, int(along / (1.8 * int(props.get("LabelFontSize", (16,))[0])))))
        bar.SetNumberOfLabels(labels)
        range_format = props.get("RangeLabelFormat", ("",))[0]
        automatic = props.get("AutomaticLabelFormat", (1,))[0]
        if labels == 2 and automatic and props.get("AddRangeLabels", (1,))[0] and NUMBER_FORMAT.fullmatch(range_format):
            bar.SetLabelFormat(range_format)  # only the ends are labelled: as ParaView's range labels
    location = props.get("WindowLocation", ("Lower Right Corner",))[0]
    if location == "Any Location":
        x, y = props["Position"]
    elif horizontal:
        x = {
            "Lower Left Corner": 0.02,
            "Upper Left Corner": 0.02,
            "Lower Right Corner": 0.98 - length,
            "Upper Right Corner": 0.98 - length,
        }.get(location, 0.5 - length / 2)
        y = (0.88 if location.startswith("Upper") else 0.02) - 0.1 * index
    else:
        x = (0.02 if "Left" in location else 0.98 - thickness) - (thickness + 0.01) * index
        y = 0.98 - length if location.startswith("Upper") else 0.1 if state is None else 0.02
    bar.SetPosition(x, y)
    bar.SetWidth(length if horizontal else thickness)
    bar.SetHeight(thickness if horizontal else length)
