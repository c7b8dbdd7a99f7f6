"""Rendering on the built-in session: bad sizes, resolutions and screenshot paths are refused before rendering,
and deleted data is no longer drawn.

Every check looks at pixels (decoded with ``pvserver.rendering.imaging.decode_image``) or at numbers computed by
VTK called directly, so that it fails when the feature breaks, not only when an exception is raised.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rendering_checks import changed, make_view, pixels, sphere_scene

from pvcore.errors import PropertyError, RenderError
from pvserver.pipeline.executor import RankExecutor

pytestmark = pytest.mark.timeout(60)


# ------------------------------------------------------------------------------------------ bad input


@pytest.fixture
def render_calls(monkeypatch) -> list:
    """Every render the ranks start (the built-in session runs them in this process)."""
    calls: list = []
    original = RankExecutor.render

    def spy(self, command):
        calls.append(command)
        return original(self, command)

    monkeypatch.setattr(RankExecutor, "render", spy)
    return calls


@pytest.mark.parametrize("size", [[0, 0], [0, 100], [-5, 100], [100, -1], [100000, 100000]])
def test_bad_view_size_is_refused(simple, render_calls, size) -> None:
    _, view, _ = sphere_scene(simple)
    before = pixels(view)
    render_calls.clear()
    with pytest.raises(PropertyError, match="ViewSize"):
        view.ViewSize = size
    assert view.ViewSize == [200, 160]
    assert not render_calls
    assert not changed(before, pixels(view), threshold=0).any()  # still renders, as before


@pytest.mark.parametrize("size", [[0, 0], [0, 100], [-5, 100], [100, -1], [100000, 100000], [16000, 16000]])
def test_bad_image_resolution_is_refused_before_rendering(simple, render_calls, tmp_path, size) -> None:
    _, view, _ = sphere_scene(simple)
    render_calls.clear()
    path = tmp_path / "shot.png"
    with pytest.raises((RenderError, PropertyError), match=r"(?i)size|resolution"):
        simple.SaveScreenshot(path, view, ImageResolution=size)
    assert not render_calls, f"ImageResolution {size} reached the renderer"
    assert not path.exists()
    if size != [0, 0]:  # CaptureImage(0, 0) means "at the view size"
        with pytest.raises((RenderError, PropertyError), match=r"(?i)size"):
            view.CaptureImage(*size)
        assert not render_calls
    assert pixels(view).shape == (160, 200, 3)  # and the session still renders


def test_view_size_limit_in_pixels_is_checked_at_render(simple, render_calls) -> None:
    _, view, _ = sphere_scene(simple)
    view.ViewSize = [16000, 16000]  # each side is allowed; the total is not
    render_calls.clear()
    with pytest.raises(RenderError, match="pixels"):
        view.CaptureImage()
    assert not render_calls
    view.ViewSize = [120, 90]
    assert pixels(view).shape == (90, 120, 3)


def test_save_screenshot_to_a_bad_place_or_extension(simple, tmp_path) -> None:
    _, view, _ = sphere_scene(simple)
    with pytest.raises(ValueError, match=r"\.png"):
        simple.SaveScreenshot(tmp_path / "shot.bmp", view)
    with pytest.raises(ValueError, match=r"\.png"):
        simple.SaveScreenshot(tmp_path / "shot", view)
    missing = tmp_path / "no" / "such" / "folder" / "shot.png"
    with pytest.raises(OSError, match="folder"):
        simple.SaveScreenshot(missing, view)
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    with pytest.raises(OSError, match=r"shot\.png"):
        simple.SaveScreenshot(not_a_folder / "shot.png", view)
    if os.geteuid() == 0:  # root may write in any folder; the kernel still refuses files in /proc
        unwritable = Path("/proc/pvcollab-test-shot.png")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        unwritable = locked / "shot.png"
    with pytest.raises(OSError, match=r"shot\.png"):
        simple.SaveScreenshot(unwritable, view)
    assert not unwritable.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"] + (["locked"] if os.geteuid() else [])
    assert pixels(view).shape == (160, 200, 3)


def test_render_after_deleting_a_shown_source_and_its_filter(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=32, PhiResolution=32)
    view = make_view(simple)
    simple.Show(sphere, view)
    view.CameraPosition = [0.0, 0.0, 12.0]
    view.CameraInitialized = 1
    alone = pixels(view)
    wavelet = simple.Wavelet(WholeExtent=[-5, 5, -5, 5, -5, 5])
    contour = simple.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[150.0])
    shown = [simple.Show(wavelet, view, Representation="Outline"), simple.Show(contour, view)]
    for rep in shown:
        rep.DiffuseColor = [0.0, 1.0, 0.0]
    both = pixels(view)
    assert changed(alone, both).mean() > 0.01
    simple.Delete(wavelet)  # its outline goes; the contour still uses it, as ParaView's
    assert shown[0].GlobalID not in [r.GlobalID for r in view.Representations]
    simple.Delete(contour)  # the wavelet goes with it
    assert all(rep.GlobalID not in [r.GlobalID for r in view.Representations] for rep in shown)
    assert len(view.Representations) == 1
    after = pixels(view)
    assert not changed(alone, after, threshold=2).any(), "deleted data is still drawn"
