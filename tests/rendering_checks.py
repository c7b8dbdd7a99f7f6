"""Scenes and pixel checks shared by the rendering tests of the built-in session (tests/inprocess/test_rendering_*.py).

Images are decoded with ``pvserver.rendering.imaging.decode_image`` into (H, W, 3) int arrays, top row first.
"""

from __future__ import annotations

import numpy as np

from pvserver.rendering.imaging import decode_image

BLACK = (0.0, 0.0, 0.0)


def pixels(view, **kw) -> np.ndarray:
    """The view rendered now, as an (H, W, 3) int array, top row first."""
    return decode_image(view.CaptureImage(**kw).data).astype(np.int32)


def foreground(image: np.ndarray, background=None) -> np.ndarray:
    """Mask of the pixels that differ from the background colour (by default the top-left pixel)."""
    bg = np.asarray(image[0, 0] if background is None else np.round(np.asarray(background) * 255), np.int32)
    return np.abs(image - bg).max(axis=2) > 3


def changed(a: np.ndarray, b: np.ndarray, threshold: int = 16) -> np.ndarray:
    """Mask of the pixels where two images differ by more than ``threshold`` in some channel."""
    return np.abs(a - b).max(axis=2) > threshold


def make_view(simple, width: int = 200, height: int = 160, **props):
    """A render view with a black background, no orientation axes and a plain white headlight (unless asked: the
    pixel checks compare colours, which ParaView's warm light kit tints) and no FXAA (which blends edges into the
    background), camera on the data."""
    props = {
        "ViewSize": [width, height], "Background": list(BLACK), "OrientationAxesVisibility": 0, "UseLight": 0,
        "LightSwitch": 1, "UseFXAA": 0, **props,
    }  # fmt: skip
    return simple.CreateRenderView(**props)


def sphere_scene(simple, **rep_props):
    """A sphere shown in a fresh view; returns (sphere, view, representation)."""
    sphere = simple.Sphere(ThetaResolution=48, PhiResolution=48)
    view = make_view(simple)
    rep = simple.Show(sphere, view, **rep_props)
    simple.Render(view)
    return sphere, view, rep
