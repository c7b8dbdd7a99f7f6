"""Layouts (ParaView's arrangement of views in a window) and screenshots of a view or of a whole layout.

A layout is this client's own arrangement (not shared with the other clients of a collaboration): a binary tree of
cells numbered as ParaView numbers them (cell 0 is the whole layout; splitting cell i makes cells 2i+1 and 2i+2),
each leaf empty or showing one view. A screenshot of a layout renders each view at the size of its cell and joins
the pictures, with separators between the cells.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from pvclient.proxy import Proxy
from pvcore.definitions.views import check_view_size
from pvcore.errors import PVError
from pvserver.rendering.imaging import decode_image, encode_image, encode_png
from simple.connections import active_connection, state
from simple.rendering import GetActiveView, GetActiveViewOrCreate, prepare_first_render

IMAGE_FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
#: ParaView's defaults of the screenshot options that change the picture.
SEPARATOR_WIDTH = 1
SEPARATOR_COLOR = (0.937, 0.922, 0.906)
#: Every keyword SaveScreenshot takes (ParaView 5.11's), and those that are accepted and change nothing here.
SCREENSHOT_OPTIONS = (
    "ImageResolution", "TransparentBackground", "CompressionLevel", "Quality", "ImageQuality", "SaveAllViews",
    "SeparatorWidth", "SeparatorColor", "OverrideColorPalette", "FontScaling", "StereoMode", "Progressive",
    "MetaData", "saveInBackground", "location",
)  # fmt: skip
MAX_SPLIT_DEPTH = 10


class Layout:
    """A layout of views (see the module's help); ``SplitHorizontal``, ``SplitVertical``, ``AssignView``,
    ``SetSize``, as ParaView's layout proxy."""

    def __init__(self, connection: Any, name: str) -> None:
        self.connection = connection
        self.name = name
        self.size: tuple[int, int] = (0, 0)
        self.PreviewMode = [0, 0]
        self._splits: dict[int, tuple[str, float]] = {}  # cell -> ("horizontal" or "vertical", fraction)
        self._views: dict[int, Proxy] = {}  # leaf cell -> view

    def __repr__(self) -> str:
        return f"<Layout {self.name!r} with {len(self._views)} view(s)>"

    def GetRegistrationName(self) -> str:
        return self.name

    def _check_leaf(self, location: int, what: str) -> None:
        if not isinstance(location, int) or location < 0 or location in self._splits or not self._exists(location):
            leaves = ", ".join(str(c) for c in self._leaves())
            raise PVError(f"{what}: {location!r} is not an unsplit cell of {self.name}; its cells are {leaves}.")

    def _exists(self, location: int) -> bool:
        return location == 0 or ((location - 1) // 2 in self._splits and location > 0)

    def _leaves(self) -> list[int]:
        found, pending = [], [0]
        while pending:
            cell = pending.pop(0)
            if cell in self._splits:
                pending += [2 * cell + 1, 2 * cell + 2]
            else:
                found.append(cell)
        return found

    def _split(self, location: int, fraction: float, direction: str) -> int:
        self._check_leaf(location, f"Split{direction.title()}")
        if not 0.0 < float(fraction) < 1.0:
            raise PVError(f"Split{direction.title()}: the fraction must be between 0 and 1, not {fraction!r}.")
        if location >= 2**MAX_SPLIT_DEPTH - 1:
            raise PVError(f"Split{direction.title()}: a layout is split at most {MAX_SPLIT_DEPTH} levels deep.")
        self._splits[location] = (direction, float(fraction))
        view = self._views.pop(location, None)
        if view is not None:  # the view stays in the first half, as in ParaView
            self._views[2 * location + 1] = view
        return 2 * location + 1

    def SplitHorizontal(self, location: int, fraction: float = 0.5) -> int:
        """Split a cell into a left and a right one (``fraction``: the left one's share); returns the left one."""
        return self._split(location, fraction, "horizontal")

    def SplitVertical(self, location: int, fraction: float = 0.5) -> int:
        """Split a cell into a top and a bottom one (``fraction``: the top one's share); returns the top one."""
        return self._split(location, fraction, "vertical")

    def AssignView(self, location: int, view: Proxy) -> bool:
        """Show ``view`` in an unsplit cell (it leaves the cell it was in)."""
        self._check_leaf(location, "AssignView")
        self.RemoveView(view)
        self._views[location] = view
        return True

    def RemoveView(self, view: Proxy) -> bool:
        """Take a view out of this layout; False if it was not in it."""
        location = self.GetViewLocation(view)
        if location < 0:
            return False
        del self._views[location]
        return True

    def GetViewLocation(self, view: Proxy) -> int:
        """The cell showing ``view``, or -1."""
        return next((cell for cell, v in self._views.items() if v == view), -1)

    def GetView(self, location: int) -> Proxy | None:
        """The view in a cell, or None."""
        return self._views.get(location)

    def GetViews(self) -> list[Proxy]:
        """The views of this layout, by cell."""
        return [self._views[c] for c in sorted(self._views)]

    def SetSize(self, width: int, height: int) -> None:
        """The size in pixels of the whole layout (what a screenshot of it is by default); each view takes the
        size of its cell, as in ParaView (a split gives its first part the larger half, less the separator)."""
        check_view_size(int(width), int(height))
        self.size = (int(width), int(height))
        self._resize(0, self.size, SEPARATOR_WIDTH)

    def _resize(self, cell: int, size: tuple[int, int], separator: int) -> None:
        if cell not in self._splits:
            view = self._views.get(cell)
            if view is not None and min(size) > 0:
                view.ViewSize = list(size)
            return
        direction, fraction = self._splits[cell]
        along = 0 if direction == "horizontal" else 1
        first_share = math.ceil(size[along] * fraction)
        first, second = list(size), list(size)
        first[along] = first_share - separator // 2
        second[along] = size[along] - first_share - (separator - separator // 2)
        self._resize(2 * cell + 1, (first[0], first[1]), separator)
        self._resize(2 * cell + 2, (second[0], second[1]), separator)

    def GetSize(self) -> tuple[int, int]:
        return self.size if self.size != (0, 0) else self._natural_size(0, SEPARATOR_WIDTH)

    def assign_anywhere(self, view: Proxy, hint: int = 0) -> bool:
        """Put ``view`` in cell ``hint`` if it is empty, else in the first empty cell, else split the cell of the
        last view in two (across its longer side) and put it in the new half."""
        leaves = self._leaves()
        empty = [c for c in leaves if c not in self._views]
        if hint in empty:
            return self.AssignView(hint, view)
        if empty:
            return self.AssignView(empty[0], view)
        last = max(self._views)
        width, height = self._natural_size(last, SEPARATOR_WIDTH)
        first = (self.SplitHorizontal if width >= height else self.SplitVertical)(last, 0.5)
        return self.AssignView(first + 1, view)

    # ----------------------------------------------------------------------------------- pictures

    def _natural_size(self, cell: int, separator: int) -> tuple[int, int]:
        if cell not in self._splits:
            view = self._views.get(cell)
            return tuple(view.ViewSize) if view is not None else (400, 400)
        direction = self._splits[cell][0]
        (w1, h1), (w2, h2) = (self._natural_size(c, separator) for c in (2 * cell + 1, 2 * cell + 2))
        if direction == "horizontal":
            return (w1 + w2 + separator, max(h1, h2))
        return (max(w1, w2), h1 + h2 + separator)

    def capture(self, width: int, height: int, transparent: bool, separator: int, color: tuple) -> np.ndarray:
        """The (height, width, 4) RGBA picture of the layout, each view rendered at the size of its cell."""
        canvas = np.empty((height, width, 4), np.uint8)
        canvas[..., :3] = np.round(np.asarray(color) * 255).astype(np.uint8)
        canvas[..., 3] = 255
        self._paint(canvas, 0, 0, 0, width, height, transparent, separator)
        return canvas

    def _paint(self, canvas: np.ndarray, cell: int, x: int, y: int, w: int, h: int, transparent: bool, sep: int):
        if cell not in self._splits:
            view = self._views.get(cell)
            if view is not None and w > 0 and h > 0:
                canvas[y : y + h, x : x + w] = view_pixels(view, w, h, transparent)
            return
        direction, fraction = self._splits[cell]
        along = w if direction == "horizontal" else h
        first = max(0, round((along - sep) * fraction))
        second = max(0, along - sep - first)
        if direction == "horizontal":
            self._paint(canvas, 2 * cell + 1, x, y, first, h, transparent, sep)
            self._paint(canvas, 2 * cell + 2, x + first + sep, y, second, h, transparent, sep)
        else:
            self._paint(canvas, 2 * cell + 1, x, y, w, first, transparent, sep)
            self._paint(canvas, 2 * cell + 2, x, y + first + sep, w, second, transparent, sep)


def view_pixels(view: Proxy, width: int, height: int, transparent: bool = False) -> np.ndarray:
    """A view rendered now at width x height, as (height, width, 4) RGBA; with ``transparent``, the pixels of the
    view's background colour are transparent (the picture is drawn without multisampling, so that background and
    geometry pixels are told apart exactly; only geometry of exactly the background colour would be lost)."""
    prepare_first_render(view)
    rgb = decode_image(view.CaptureImage(width, height, "png").data)
    alpha = np.full(rgb.shape[:2], 255, np.uint8)
    if transparent:
        colour = getattr(view, "Background", (1, 1, 1))  # a chart has none: white
        background = np.round(np.asarray(colour) * 255).astype(np.int16)
        alpha[np.abs(rgb.astype(np.int16) - background).max(axis=2) <= 1] = 0
    return np.dstack([rgb, alpha])


# --------------------------------------------------------------------------------------------- functions


def _layouts() -> list[Layout]:
    return state.layouts.setdefault(active_connection().id, [])


def CreateLayout(name: str | None = None) -> Layout:
    """A new, empty layout on the active connection (named 'Layout #<n>' unless ``name`` is given)."""
    layouts = _layouts()
    taken = {layout.name for layout in layouts}
    if not name:
        n = len(layouts) + 1
        while f"Layout #{n}" in taken:
            n += 1
        name = f"Layout #{n}"
    layout = Layout(active_connection(), name)
    layouts.append(layout)
    return layout


def GetLayouts() -> dict[tuple[str, str], Layout]:
    """The layouts of the active connection, keyed by (name, id) as in ParaView."""
    return {(layout.name, str(i + 1)): layout for i, layout in enumerate(_layouts())}


def GetLayout(view: Proxy | None = None) -> Layout:
    """The layout that shows ``view`` (default: the active view). ParaView puts every view it creates in a layout;
    here a view joins one when it is first asked for (the first layout, made if there is none)."""
    view = view if view is not None else GetActiveView()
    if view is None:
        raise PVError("GetLayout: no view given and there is no active view.")
    layout = _layout_of(view)
    if layout is None:
        AssignViewToLayout(view)
        layout = _layout_of(view)
    return layout


def _layout_of(view: Proxy) -> Layout | None:
    return next((layout for layout in _layouts() if layout.GetViewLocation(view) >= 0), None)


def GetLayoutByName(name: str) -> Layout | None:
    """The first layout called ``name``, or None."""
    return next((layout for layout in _layouts() if layout.name == name), None)


def GetViewsInLayout(layout: Layout | None = None) -> list[Proxy]:
    """The views of a layout (default: the active view's)."""
    layout = layout or GetLayout()
    return layout.GetViews()


def AssignViewToLayout(view: Proxy | None = None, layout: Layout | None = None, hint: int = 0) -> bool:
    """Show a view (default: the active one) in a layout (default: the first, made if there is none), in cell
    ``hint`` if it is free. A view is in one layout at most."""
    view = view if view is not None else GetActiveViewOrCreate()
    layout = layout or (_layouts()[0] if _layouts() else CreateLayout())
    other = _layout_of(view)
    if other is not None and other is not layout:
        raise PVError(f"{view.GetRegistrationName()} is in {other.name} already; a view is in one layout at most.")
    return layout.assign_anywhere(view, hint)


def RemoveLayout(layout: Layout | None = None) -> None:
    """Remove a layout (default: the active view's); its views remain. Removing the last one leaves a new, empty
    layout of the same name, as in ParaView."""
    layout = layout or GetLayout()
    layouts = _layouts()
    layouts.remove(layout)
    if not layouts:
        CreateLayout(layout.name)


def RemoveViewsAndLayouts() -> None:
    """Delete every view of the active connection and forget its layouts."""
    conn = active_connection()
    for view in conn.proxies(("views",)):
        conn.delete(view)
    state.layouts[conn.id] = []
    state.active_views[conn.id] = None


def _option_error(params: dict[str, Any]) -> None:
    unknown = sorted(set(params) - set(SCREENSHOT_OPTIONS))
    if unknown:
        raise PVError(f"SaveScreenshot has no option {', '.join(map(repr, unknown))}; its options are: "
                      f"{', '.join(SCREENSHOT_OPTIONS)}.")  # fmt: skip


def SaveScreenshot(filename: str | os.PathLike, viewOrLayout: Proxy | Layout | None = None, **params: Any) -> bool:
    """Render a view or a whole layout (default: the active view) and write a PNG (lossless) or JPEG file.

    Options (ParaView's): ImageResolution=[width, height] (default: the view's ViewSize, the layout's size),
    TransparentBackground=1 (PNG: the background is transparent), CompressionLevel (PNG, 0..9), Quality or
    ImageQuality (JPEG, 0..100), MetaData=['key', 'value', ...] (PNG text), SaveAllViews=1 (a view: its whole
    layout), SeparatorWidth and SeparatorColor (between a layout's views). OverrideColorPalette, FontScaling,
    StereoMode, Progressive, saveInBackground and location are accepted and change nothing. Any other keyword is
    an error that lists these."""
    _option_error(params)
    path = Path(filename)
    # A name that is only an extension ('.png', as a script with an empty base name writes) is of that format too.
    fmt = IMAGE_FORMATS.get((path.suffix or path.name).lower())
    if fmt is None:
        raise ValueError(f"Cannot save {path.name!r}: use one of the extensions {', '.join(IMAGE_FORMATS)}.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise OSError(
            f"Cannot write the screenshot {str(path)!r}: folder {str(folder)!r} does not exist or is not writable."
        )
    resolution = params.get("ImageResolution")
    if resolution is not None:
        if len(resolution) != 2:
            raise ValueError(f"ImageResolution must be [width, height], not {resolution!r}.")
        check_view_size(int(resolution[0]), int(resolution[1]))
    quality = int(params.get("Quality", params.get("ImageQuality", 95)))
    level = params.get("CompressionLevel")  # ParaView's traces write it as a string: '5'
    level = int(level) if level is not None else None
    text = _metadata(params.get("MetaData", ()))
    transparent = bool(params.get("TransparentBackground", 0)) and fmt == "png"
    target = viewOrLayout if viewOrLayout is not None else GetActiveViewOrCreate()
    if isinstance(target, Proxy) and params.get("SaveAllViews"):
        target = GetLayout(target)
    if isinstance(target, Layout):
        width, height = resolution or target.GetSize()
        separator = int(params.get("SeparatorWidth", SEPARATOR_WIDTH))
        color = tuple(params.get("SeparatorColor", SEPARATOR_COLOR))
        picture = target.capture(int(width), int(height), transparent, separator, color)
        data = _encode(picture, fmt, quality, level, text)
    else:
        width, height = resolution or target.ViewSize
        if transparent or level is not None or text:
            data = _encode(view_pixels(target, int(width), int(height), transparent), fmt, quality, level, text)
        else:  # the server's encoding as it is
            prepare_first_render(target)
            data = target.CaptureImage(int(width), int(height), fmt, quality).data
    if (state.symmetric_rank or 0) > 0:
        return True  # pvbatch --symmetric: every rank rendered it, rank 0 writes it (as ParaView's)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OSError(f"Cannot write the screenshot {str(path)!r}: {exc.strerror}.") from None
    return True


def _metadata(values: Any) -> tuple[tuple[str, str], ...]:
    """ParaView's MetaData option: a flat list of keyword, value, keyword, value, ... (PNG text)."""
    values = list(values)
    if len(values) % 2 or not all(isinstance(v, str) for v in values):
        raise ValueError(f"MetaData must be a list of keyword and value strings, in pairs; got {values!r}.")
    return tuple(zip(values[0::2], values[1::2], strict=True))


def _encode(rgba: np.ndarray, fmt: str, quality: int, level: int | None, text: tuple = ()) -> bytes:
    if fmt == "jpeg":
        return encode_image(np.ascontiguousarray(rgba[..., :3]), "jpeg", quality)
    opaque = bool((rgba[..., 3] == 255).all())
    return encode_png(rgba[..., :3] if opaque else rgba, level, text)


def WriteImage(filename: str | os.PathLike, view: Proxy | None = None, **params: Any) -> bool:
    """Deprecated since ParaView 4.2: SaveScreenshot (``Magnification`` scales the view's size)."""
    view = view if view is not None else GetActiveViewOrCreate()
    magnification = int(params.pop("Magnification", 1))
    params.pop("Writer", None)
    width, height = view.ViewSize
    return SaveScreenshot(filename, view, ImageResolution=[width * magnification, height * magnification], **params)


__all__ = [
    "AssignViewToLayout",
    "CreateLayout",
    "GetLayout",
    "GetLayoutByName",
    "GetLayouts",
    "GetViewsInLayout",
    "RemoveLayout",
    "RemoveViewsAndLayouts",
    "SaveScreenshot",
    "WriteImage",
]
