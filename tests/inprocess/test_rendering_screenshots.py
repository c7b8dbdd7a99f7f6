"""Rendering on the built-in session: screenshots at any resolution, interactive captures, notebook images.

Every check looks at pixels (decoded with ``pvserver.rendering.imaging.decode_image``) or at numbers computed by
VTK called directly, so that it fails when the feature breaks, not only when an exception is raised.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from rendering_checks import BLACK, foreground, pixels, sphere_scene

from pvserver.rendering.imaging import decode_image

pytestmark = pytest.mark.timeout(60)


def resident_bytes() -> int:
    """This process's resident memory now."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# ------------------------------------------------------------------------------------------ screenshots


def read_image_file(path: Path) -> tuple[bytes, np.ndarray]:
    data = path.read_bytes()
    return data, decode_image(data)


@pytest.mark.parametrize(
    ("name", "magic"), [("shot.png", b"\x89PNG\r\n\x1a\n"), ("shot.jpg", b"\xff\xd8"), ("shot.JPEG", b"\xff\xd8")]
)
def test_save_screenshot_writes_the_requested_resolution(simple, tmp_path, name: str, magic: bytes) -> None:
    _, view, _ = sphere_scene(simple, DiffuseColor=[1.0, 0.0, 0.0])
    path = tmp_path / name
    assert simple.SaveScreenshot(str(path), view, ImageResolution=[300, 170])
    data, image = read_image_file(path)
    assert data.startswith(magic)
    assert image.shape == (170, 300, 3)
    mask = foreground(image.astype(np.int32), BLACK)
    assert 0.05 < mask.mean() < 0.9
    assert image[mask][:, 0].mean() > 100  # the red sphere, also through JPEG
    # without ImageResolution, the view size
    simple.SaveScreenshot(path, view)
    assert read_image_file(path)[1].shape == (view.ViewSize[1], view.ViewSize[0], 3)


def test_save_screenshot_above_four_megapixels(simple, tmp_path) -> None:
    _, view, _ = sphere_scene(simple)
    path = tmp_path / "big.png"
    simple.SaveScreenshot(path, view, ImageResolution=[2560, 1700])
    _, image = read_image_file(path)
    assert image.shape == (1700, 2560, 3)
    assert 0.05 < foreground(image.astype(np.int32), BLACK).mean() < 0.9
    before = pixels(view)  # the view's own size draws as before, once the large window was given back
    simple.SaveScreenshot(path, view, ImageResolution=[2560, 1700])
    assert np.array_equal(read_image_file(path)[1], image) and np.array_equal(pixels(view), before)


def test_a_large_screenshot_gives_its_window_memory_back(simple, tmp_path) -> None:
    _, view, _ = sphere_scene(simple)
    simple.Render(view)
    small = resident_bytes()
    simple.SaveScreenshot(tmp_path / "big.png", view, ImageResolution=[4096, 4096])
    assert resident_bytes() - small < 200 * 2**20  # kept, the 4096^2 framebuffers held about 450 MiB more


def test_interactive_capture_is_a_half_size_jpeg(simple) -> None:
    _, view, _ = sphere_scene(simple)
    full = view.CaptureImage()
    assert (full.format, full.width, full.height) == ("png", 200, 160)
    fast = view.CaptureImage(interactive=True)
    assert (fast.format, fast.width, fast.height) == ("jpeg", 100, 80)
    assert fast.data.startswith(b"\xff\xd8")
    small = decode_image(fast.data).astype(np.int32)
    assert small.shape == (80, 100, 3)
    # the same picture at half size (up to JPEG and sampling differences)
    reference = decode_image(full.data).astype(np.int32)[::2, ::2]
    assert abs(foreground(small, BLACK).mean() - foreground(reference, BLACK).mean()) < 0.03
    assert set(full.timings_ms) >= {"render", "composite", "encode"}


def test_notebook_repr_png(simple) -> None:
    _, view, _ = sphere_scene(simple)
    data = view._repr_png_()
    assert isinstance(data, bytes)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = decode_image(data)
    assert image.shape == (160, 200, 3)
    assert foreground(image.astype(np.int32), BLACK).mean() > 0.1
