"""``SaveAnimation()``: the frames of an animation scene (simple.animation) as a numbered image series or an Ogg
Theora video, written by this client as SaveScreenshot writes one picture."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from pvclient.proxy import Proxy
from pvcore.errors import PVError
from simple.animation import AnimationScene, GetAnimationScene
from simple.layouts import SCREENSHOT_OPTIONS, Layout, SaveScreenshot, view_pixels
from simple.rendering import GetActiveViewOrCreate

IMAGE_SERIES = (".png", ".jpg", ".jpeg")
MOVIES = (".ogv",)
#: SaveAnimation's own keywords (ParaView 5.11's: Compression and DisconnectAndSave change nothing here);
#: SaveScreenshot's are accepted too and apply to every frame.
ANIMATION_OPTIONS = ("FrameRate", "FrameWindow", "SuffixFormat", "Compression", "UseSubsampling", "DisconnectAndSave")


def _check_options(params: dict[str, Any]) -> None:
    allowed = (*ANIMATION_OPTIONS, *SCREENSHOT_OPTIONS)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise PVError(f"SaveAnimation has no option {', '.join(map(repr, unknown))}; its options are: "
                      f"{', '.join(allowed)}.")  # fmt: skip


def _frame_window(params: dict[str, Any], count: int) -> tuple[int, int]:
    window = params.get("FrameWindow")
    if window is None:
        return 0, count - 1
    if len(window) != 2 or not all(isinstance(i, (int, np.integer)) for i in window):
        raise PVError(f"FrameWindow must be [first, last] frame indices, not {window!r}.")
    first, last = max(int(window[0]), 0), min(int(window[1]), count - 1)  # clamped, as ParaView does
    if first > last:
        raise PVError(f"FrameWindow {list(window)} holds none of the animation's {count} frames (0 to {count - 1}).")
    return first, last


def SaveAnimation(
    filename: str | os.PathLike, viewOrLayout: Proxy | Layout | None = None, scene: AnimationScene | None = None,
    **params: Any,
) -> bool:  # fmt: skip
    """Save the animation of the active scene: ``movie.png`` (or .jpg) writes ``movie.0000.png``,
    ``movie.0001.png`` ... (frame indices; ``SuffixFormat``, ParaView's '.%04d', changes the suffix), ``movie.ogv``
    an Ogg Theora video (``FrameRate`` frames per second, ``Quality`` 0 to 2). ``FrameWindow=[first, last]`` saves
    those frames only (clamped to the animation's, as ParaView does). SaveScreenshot's options (ImageResolution,
    TransparentBackground ...) apply to every frame. In 'Real Time' mode the animation has
    ``1 + FrameRate * Duration`` frames, as ParaView saves it. Other extensions (.avi: no AVI writer in this VTK)
    and unknown keywords are refused, naming what is supported. The scene is left at its last saved frame."""
    _check_options(params)
    path = Path(filename)
    suffix = path.suffix.lower()
    if suffix not in (*IMAGE_SERIES, *MOVIES):
        raise PVError(f"Cannot save the animation {path.name!r}: the supported extensions are "
                      f"{', '.join((*IMAGE_SERIES, *MOVIES))} (.avi needs a VTK with an AVI writer).")  # fmt: skip
    scene = scene or GetAnimationScene()
    frame_rate = float(params.get("FrameRate", 1))
    if frame_rate <= 0:
        raise PVError(f"FrameRate must be positive, not {frame_rate!r}.")
    target = viewOrLayout if viewOrLayout is not None else GetActiveViewOrCreate()
    times = scene.frame_times(frame_rate)
    first, last = _frame_window(params, len(times))
    shot = {k: v for k, v in params.items() if k in SCREENSHOT_OPTIONS}
    if suffix in MOVIES:
        _save_movie(path, scene, target, times[first : last + 1], frame_rate, shot, params)
        return True
    pattern = str(params.get("SuffixFormat", ".%04d"))

    def save(index: int) -> None:
        SaveScreenshot(path.with_name(f"{path.stem}{pattern % index}{path.suffix}"), target, **shot)

    scene.play_frames(times[first : last + 1], save, first_index=first)
    return True


def _pixels(target: Proxy | Layout, shot: dict[str, Any]) -> np.ndarray:
    if isinstance(target, Layout):
        width, height = shot.get("ImageResolution") or target.GetSize()
        return target.capture(int(width), int(height), False, 1, (0.937, 0.922, 0.906))
    width, height = shot.get("ImageResolution") or target.ViewSize
    return view_pixels(target, int(width), int(height))


def _save_movie(
    path: Path, scene: AnimationScene, target: Proxy | Layout, times: list[float], rate: float, shot: dict, params: dict
) -> None:
    """Encode the frames as an Ogg Theora video with VTK's writer (loaded only by scripts that save one)."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.vtkIOOggTheora import vtkOggTheoraWriter

    writer, image = vtkOggTheoraWriter(), vtkImageData()
    writer.SetFileName(str(path))
    writer.SetRate(max(round(rate), 1))
    writer.SetQuality(int(params.get("Quality", 2)))
    writer.SetSubsampling(int(bool(params.get("UseSubsampling", 0))))
    writer.SetInputData(image)
    started = False

    def encode(_index: int) -> None:
        nonlocal started
        rgb = np.ascontiguousarray(_pixels(target, shot)[::-1, :, :3])  # VTK's rows run bottom up
        height, width = rgb.shape[:2]
        image.SetDimensions(width, height, 1)
        image.GetPointData().SetScalars(numpy_to_vtk(rgb.reshape(-1, 3), deep=True))
        image.Modified()
        if not started:
            writer.Start()
            started = True
        writer.Write()

    try:
        scene.play_frames(times, encode)
    finally:
        if started:
            writer.End()
    if writer.GetError():
        raise PVError(f"Cannot write the video {str(path)!r}: VTK's Ogg Theora writer failed.")


__all__ = ["SaveAnimation"]
