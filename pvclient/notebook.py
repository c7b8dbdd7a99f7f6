"""Views and proxies in Jupyter: an interactive view widget, a PNG fallback, short HTML summaries.

A render view that ends a cell shows as :class:`ViewWidget` (anywidget, a well-kept widget base): the server
renders; dragging rotates (left button), pans (middle button, or left with Shift) and zooms (right button, or the
wheel); frames while the mouse moves are JPEG at ``INTERACTIVE_QUALITY``, and a lossless PNG follows when it
stops. The same PNG is the cell's static output (nbconvert, HTML export, a kernel without the widget), so that
displaying a view costs one render, and none when the view was just rendered and nothing changed since.
Without ``anywidget`` installed (``pip install pvcollab[notebook]``) the PNG alone is shown.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path
from typing import Any

from pvcore import camera as camera_math

try:  # the interactive widget is optional: the PNG fallback needs nothing
    import anywidget
    import traitlets
    from IPython import get_ipython
except ImportError:  # pragma: no cover - exercised where the notebook extra is not installed
    anywidget = None

#: JPEG quality of the frames sent while the mouse moves (the still that follows is PNG).
INTERACTIVE_QUALITY = 60
#: Degrees of rotation per pixel dragged, and the zoom factor per wheel notch.
DEGREES_PER_PIXEL = 0.5
WHEEL_ZOOM = 1.1
_SCRIPT = Path(__file__).with_name("notebook_widget.js")


def mimebundle(view: Any) -> dict[str, Any]:
    """What a view shows as a cell's output: the widget where one can run, and its PNG in any case."""
    image = view.current_image()
    bundle: dict[str, Any] = {"image/png": image.data, "text/plain": repr(view)}
    if anywidget is not None and _in_kernel():
        shown = ViewWidget(view, image)._repr_mimebundle_()  # (data, metadata), or the data alone
        bundle.update((shown[0] if isinstance(shown, tuple) else shown) or {})
        bundle["text/plain"] = repr(view)
    return bundle


def _in_kernel() -> bool:
    """Whether a Jupyter kernel runs this (a widget needs one to talk to the page)."""
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


if anywidget is not None:

    class ViewWidget(anywidget.AnyWidget):
        """A render view in a notebook: images rendered on the server for this client's camera."""

        _esm = _SCRIPT
        width = traitlets.Int(0).tag(sync=True)
        height = traitlets.Int(0).tag(sync=True)
        #: The encoded image shown now, its MIME type, and a count of frames (the page redraws on each).
        frame = traitlets.Bytes(b"").tag(sync=True)
        mime = traitlets.Unicode("image/png").tag(sync=True)
        index = traitlets.Int(0).tag(sync=True)

        def __init__(self, view: Any, image: Any) -> None:
            super().__init__(width=image.width, height=image.height)
            self.view = view
            self._lock = threading.Lock()
            self._last: tuple[float, float] | None = None
            self.on_msg(self._on_message)
            self._frame(image)

        def _on_message(self, _widget: Any, content: dict, _buffers: list) -> None:
            """A pointer or wheel event from the page."""
            kind = content.get("kind")
            x, y = float(content.get("x", 0)), float(content.get("y", 0))
            with self._lock:
                if kind == "down":
                    self._last = (x, y)
                elif kind == "move" and self._last is not None:
                    dx, dy = x - self._last[0], y - self._last[1]
                    self._last = (x, y)
                    self._drag(int(content.get("button", 0)), bool(content.get("shift")), dx, dy)
                    self._frame(self.view.CaptureImage(fmt="jpeg", quality=INTERACTIVE_QUALITY, interactive=True))
                elif kind == "up":
                    self._last = None
                    self._frame(self.view.CaptureImage(fmt="png"))
                elif kind == "wheel":
                    factor = WHEEL_ZOOM if float(content.get("delta", 0)) < 0 else 1 / WHEEL_ZOOM
                    self._move_camera(camera_math.dolly, factor)
                    self._frame(self.view.CaptureImage(fmt="png"))

        def _drag(self, button: int, shift: bool, dx: float, dy: float) -> None:
            """Left: rotate; middle or Shift+left: pan; right: zoom (as ParaView's default 3D interaction)."""
            if button == 2:  # dragging up brings the camera closer
                self._move_camera(camera_math.dolly, 2.0 ** (-dy / 100))
            elif button == 1 or shift:
                height = max(1, self.height)
                self._move_camera(camera_math.pan, -dx / height, dy / height)
            else:
                self._move_camera(camera_math.azimuth, -dx * DEGREES_PER_PIXEL)
                self._move_camera(camera_math.elevation, dy * DEGREES_PER_PIXEL)
                self._move_camera(camera_math.orthogonalize_view_up)

        def _move_camera(self, change: Any, *args: float) -> None:
            view = self.view
            view._set_camera(change(view._camera_state(), *args))

        def _frame(self, image: Any) -> None:
            with self.hold_sync():  # one message: the page sees frame, type and index together
                self.frame, self.mime = image.data, f"image/{image.format}"
                self.index += 1

else:  # pragma: no cover

    class ViewWidget:  # type: ignore[no-redef]
        """Stands in where anywidget is not installed; never built (mimebundle checks first)."""


def summary_html(proxy: Any) -> str:
    """A short HTML summary of a source, filter or representation: type, key properties, data information."""
    rows = [("type", f"{proxy.GetXMLLabel()} ({proxy.GetXMLGroup()})")]
    for prop in list(proxy.ListProperties())[:8]:
        try:
            value = proxy.GetPropertyValue(prop)
        except Exception:  # a property whose value needs the server's help: leave it out of a summary
            continue
        rows.append((prop, _short(value)))
    if proxy.GetXMLGroup() in ("sources", "filters"):
        info = proxy.GetDataInformation()
        counts = f"{info.GetNumberOfPoints()} points, {info.GetNumberOfCells()} cells"
        rows.append(("data", f"{info.GetDataSetTypeAsString()}: {counts}"))
        arrays = [*info.PointData.keys(), *info.CellData.keys()]
        rows.append(("arrays", ", ".join(arrays) or "none"))
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    title = html.escape(proxy.GetRegistrationName() or proxy.type_name)
    return f"<div><b>{title}</b><table>{body}</table></div>"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
