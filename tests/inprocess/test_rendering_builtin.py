"""Rendering on the built-in session: views, representations, colour maps, cameras, screenshots, bad input.

Every check looks at pixels (decoded with ``pvserver.rendering.imaging.decode_image``) or at numbers computed by
VTK called directly, so that it fails when the feature breaks, not only when an exception is raised.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

from pvcore.errors import PropertyError, PVError, RenderError
from pvserver.pipeline.executor import RankExecutor
from pvserver.rendering.annotations import AXES_FRACTION
from pvserver.rendering.imaging import decode_image

pytestmark = pytest.mark.timeout(60)

BLACK = (0.0, 0.0, 0.0)


# ------------------------------------------------------------------------------------------ helpers


@pytest.fixture
def simple(simple_state):
    """``simple`` on a fresh built-in session."""
    simple_state.Connect()
    return simple_state


def resident_bytes() -> int:
    """This process's resident memory now."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


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
    """A render view with a black background and no orientation axes (unless asked), camera on the data."""
    props = {"ViewSize": [width, height], "Background": list(BLACK), "OrientationAxesVisibility": 0, **props}
    return simple.CreateRenderView(**props)


def sphere_scene(simple, **rep_props):
    """A sphere shown in a fresh view; returns (sphere, view, representation)."""
    sphere = simple.Sphere(ThetaResolution=48, PhiResolution=48)
    view = make_view(simple)
    rep = simple.Show(sphere, view, **rep_props)
    simple.Render(view)
    return sphere, view, rep


def vtk_camera(state: dict):
    from vtkmodules.vtkRenderingCore import vtkCamera

    cam = vtkCamera()
    cam.SetPosition(*state["CameraPosition"])
    cam.SetFocalPoint(*state["CameraFocalPoint"])
    cam.SetViewUp(*state["CameraViewUp"])
    cam.SetViewAngle(state["CameraViewAngle"])
    return cam


def camera_of(view) -> dict:
    return {
        "CameraPosition": tuple(view.CameraPosition),
        "CameraFocalPoint": tuple(view.CameraFocalPoint),
        "CameraViewUp": tuple(view.CameraViewUp),
        "CameraViewAngle": float(view.CameraViewAngle),
    }


def effective_view_up(state: dict) -> tuple:
    """The view-up a render really uses: the stored one orthogonalised against the view direction."""
    cam = vtk_camera(state)
    cam.OrthogonalizeViewUp()
    return cam.GetViewUp()


# ------------------------------------------------------------------------------------------ views and cameras


def test_show_returns_the_representation_of_the_view(simple) -> None:
    sphere = simple.Sphere()
    view = make_view(simple)
    assert simple.GetActiveView() is view
    rep = simple.Show(sphere, view)
    assert rep in view.Representations
    assert rep.Input == sphere
    assert simple.GetDisplayProperties(sphere, view) == rep
    assert simple.Show(sphere, view) == rep  # showing again reuses the representation
    assert len(view.Representations) == 1


def test_first_render_resets_the_camera_to_the_data(simple) -> None:
    sphere = simple.Sphere(Center=[3.0, -2.0, 1.0], Radius=2.0)
    view = make_view(simple)
    simple.Show(sphere, view)
    assert not view.CameraInitialized
    before = camera_of(view)
    simple.Render(view)
    assert view.CameraInitialized
    bounds = sphere.GetDataInformation().GetBounds()
    center = np.array([(bounds[2 * i] + bounds[2 * i + 1]) / 2 for i in range(3)])
    assert view.CameraFocalPoint == pytest.approx(center, abs=1e-9)
    # vtkRenderer::ResetCamera: the same direction, at the distance that fits the bounding sphere in the angle
    radius = np.linalg.norm([bounds[1] - bounds[0], bounds[3] - bounds[2], bounds[5] - bounds[4]]) / 2
    direction = np.subtract(before["CameraPosition"], before["CameraFocalPoint"])
    direction /= np.linalg.norm(direction)
    expected = center + direction * radius / math.sin(math.radians(before["CameraViewAngle"]) / 2)
    assert view.CameraPosition == pytest.approx(expected, abs=1e-6)
    image = pixels(view)
    assert 0.1 < foreground(image, BLACK).mean() < 0.9
    # later renders keep the camera the user set
    view.CameraPosition = [3.0, -2.0, 40.0]
    simple.Render(view)
    assert view.CameraPosition == pytest.approx([3.0, -2.0, 40.0])


@pytest.mark.parametrize("size", [(320, 200), (200, 320)], ids=["wide", "tall"])
def test_reset_camera_fits_the_bounds(simple, size) -> None:
    box = simple.Box(XLength=2.0, YLength=1.0, ZLength=1.0, Center=[10.0, 0.0, 0.0])
    view = make_view(simple, *size)
    simple.Show(box, view)
    view.CameraPosition = [50.0, 30.0, 80.0]
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraInitialized = 1
    direction = np.array([50.0, 30.0, 80.0]) / np.linalg.norm([50.0, 30.0, 80.0])
    simple.ResetCamera(view)
    assert view.CameraFocalPoint == pytest.approx([10.0, 0.0, 0.0])
    new_direction = np.subtract(view.CameraPosition, view.CameraFocalPoint)
    assert new_direction / np.linalg.norm(new_direction) == pytest.approx(direction)  # the direction is kept
    mask = foreground(pixels(view), BLACK)
    assert mask.mean() > 0.05, "the box is not in the picture"
    border = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]])
    assert not border.any(), f"the box touches the border of a {size[0]} x {size[1]} view: it is cut off"


def test_camera_calls_change_the_view_as_vtk_camera_does(simple) -> None:
    _, view, _ = sphere_scene(simple)
    view.CameraPosition = [1.0, 2.0, 5.0]
    view.CameraFocalPoint = [0.2, -0.3, 0.1]
    view.CameraViewUp = [0.0, 1.0, 0.0]  # not orthogonal to the direction, as after a user's SetViewUp
    cam = simple.GetActiveCamera()
    reference = vtk_camera(camera_of(view))
    first = pixels(view)
    for method, arg in [("Azimuth", 30.0), ("Elevation", 20.0), ("Roll", 15.0), ("Zoom", 1.5), ("Dolly", 1.3)]:
        getattr(cam, method)(arg)
        getattr(reference, method)(arg)
        state = camera_of(view)
        assert state["CameraPosition"] == pytest.approx(reference.GetPosition(), abs=1e-9), method
        assert state["CameraFocalPoint"] == pytest.approx(reference.GetFocalPoint(), abs=1e-9), method
        assert effective_view_up(state) == pytest.approx(effective_view_up(camera_of_vtk(reference)), abs=1e-9), method
        assert state["CameraViewAngle"] == pytest.approx(reference.GetViewAngle()), method
    assert changed(first, pixels(view)).mean() > 0.02  # and the picture follows the camera


def camera_of_vtk(cam) -> dict:
    return {
        "CameraPosition": cam.GetPosition(),
        "CameraFocalPoint": cam.GetFocalPoint(),
        "CameraViewUp": cam.GetViewUp(),
        "CameraViewAngle": cam.GetViewAngle(),
    }


def test_elevation_moves_the_camera_towards_the_view_up(simple) -> None:
    _, view, _ = sphere_scene(simple)
    view.CameraPosition = [0.0, 0.0, 5.0]
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    simple.GetActiveCamera().Elevation(30.0)
    assert view.CameraPosition[1] > 0, "Elevation(+30) must look at the data from above, as vtkCamera does"
    assert view.CameraPosition == pytest.approx(
        [0.0, 5.0 * math.sin(math.radians(30)), 5.0 * math.cos(math.radians(30))]
    )


# ------------------------------------------------------------------------------------------ representations


def test_hide_and_visibility_remove_the_data_from_the_image(simple) -> None:
    sphere, view, rep = sphere_scene(simple)
    assert foreground(pixels(view), BLACK).mean() > 0.1
    simple.Hide(sphere, view)
    assert rep.Visibility == 0
    assert not foreground(pixels(view), BLACK).any()
    simple.Show(sphere, view)
    assert rep.Visibility == 1
    assert foreground(pixels(view), BLACK).mean() > 0.1
    rep.Visibility = 0
    assert not foreground(pixels(view), BLACK).any()


@pytest.mark.parametrize("kind", ["Surface", "Wireframe", "Points", "Outline", "Surface With Edges"])
def test_hiding_any_representation_type_leaves_an_empty_image(simple, kind: str) -> None:
    sphere, view, _rep = sphere_scene(simple, Representation=kind)
    assert foreground(pixels(view), BLACK).any()
    simple.Hide(sphere, view)
    assert not foreground(pixels(view), BLACK).any(), f"a hidden {kind} representation is still drawn"


def test_representation_types_change_the_image(simple) -> None:
    _, view, rep = sphere_scene(simple)
    surface = pixels(view)
    covered = foreground(surface, BLACK).mean()
    images = {}
    for kind in ("Wireframe", "Points", "Outline", "Surface With Edges"):
        rep.Representation = kind
        images[kind] = pixels(view)
        assert changed(surface, images[kind]).mean() > 0.01, kind
    assert foreground(images["Outline"], BLACK).mean() < 0.3 * covered  # twelve lines, no surface
    assert foreground(images["Points"], BLACK).mean() < 0.8 * covered
    assert foreground(images["Wireframe"], BLACK).mean() < covered
    assert changed(images["Wireframe"], images["Points"]).mean() > 0.01
    rep.Representation = "Surface With Edges"
    rep.EdgeColor = [1.0, 0.0, 0.0]  # red edges on a white surface
    image = pixels(view)
    reddish = (image[..., 0] > 100) & (image[..., 0] > image[..., 1] + 60)
    assert reddish.mean() > 0.01
    rep.Representation = "Surface"
    assert not changed(surface, pixels(view)).any()  # back to the first picture exactly
    with pytest.raises(PropertyError, match="Wireframe"):
        rep.Representation = "Volume"


def test_diffuse_color_shows_in_the_pixels(simple) -> None:
    _, view, rep = sphere_scene(simple, DiffuseColor=[1.0, 0.0, 0.0])
    image = pixels(view)
    mask = foreground(image, BLACK)
    red = image[mask]
    assert red[:, 0].mean() > 100
    assert red[:, 1].max() <= 3
    assert red[:, 2].max() <= 3
    rep.DiffuseColor = [0.0, 0.0, 1.0]
    blue = pixels(view)[mask]
    assert blue[:, 2].mean() > 100
    assert blue[:, 0].max() <= 3


def test_opacity_blends_with_the_background(simple) -> None:
    _, view, rep = sphere_scene(simple, DiffuseColor=[1.0, 0.0, 0.0])
    view.Background = [0.0, 0.0, 1.0]
    h, w = view.ViewSize[1] // 2, view.ViewSize[0] // 2
    opaque = pixels(view)[h, w]
    assert opaque[0] > 200 and opaque[2] < 10
    rep.Opacity = 0.4
    blended = pixels(view)[h, w]
    assert 40 < blended[0] < opaque[0] - 40  # less of the red sphere
    assert blended[2] > 40  # some of the blue background shows through
    rep.Opacity = 0.0
    assert not foreground(pixels(view), [0.0, 0.0, 1.0]).any()


def test_background_colour_appears_in_the_corners(simple) -> None:
    _, view, _ = sphere_scene(simple)
    for colour in ([0.0, 1.0, 0.0], [0.2, 0.4, 0.6]):
        view.Background = colour
        image = pixels(view)
        expected = np.round(np.asarray(colour) * 255)
        for corner in (image[0, 0], image[0, -1], image[-1, 0], image[-1, -1]):
            assert corner == pytest.approx(expected, abs=1)


def test_orientation_axes_are_drawn_in_the_bottom_left_corner(simple) -> None:
    _, view, _ = sphere_scene(simple)
    without = pixels(view)
    view.OrientationAxesVisibility = 1
    with_axes = pixels(view)
    height, width = with_axes.shape[:2]
    side = math.ceil(AXES_FRACTION * min(width, height))
    diff = changed(without, with_axes, threshold=8)
    assert diff[height - side :, :side].mean() > 0.05
    diff[height - side :, :side] = False
    assert not diff.any(), "the orientation axes changed pixels outside their corner"
    view.OrientationAxesVisibility = 0
    assert not changed(without, pixels(view), threshold=0).any()


def elevation_scene(simple, width: int = 240, height: int = 180):
    sphere = simple.Sphere(ThetaResolution=48, PhiResolution=48)
    elevation = simple.Elevation(Input=sphere, LowPoint=[0.0, -0.5, 0.0], HighPoint=[0.0, 0.5, 0.0])
    view = make_view(simple, width, height)
    rep = simple.Show(elevation, view, DiffuseColor=[1.0, 0.0, 0.0])
    simple.Render(view)
    return elevation, view, rep


def test_scalar_bar_visibility_changes_the_right_side(simple) -> None:
    _, view, rep = elevation_scene(simple)
    simple.ColorBy(rep, ("POINTS", "Elevation"))
    without = pixels(view)
    rep.SetScalarBarVisibility(view, True)
    assert rep.ScalarBarVisibility == 1
    with_bar = pixels(view)
    width = with_bar.shape[1]
    diff = changed(without, with_bar)
    assert diff[:, int(0.85 * width) :].mean() > 0.05
    assert not diff[:, : int(0.8 * width)].any()
    rep.SetScalarBarVisibility(view, False)
    assert not changed(without, pixels(view), threshold=0).any()
    # a solid-colour representation shows no bar even if asked to
    simple.ColorBy(rep, None)
    plain = pixels(view)
    rep.ScalarBarVisibility = 1
    assert not changed(plain, pixels(view), threshold=0).any()


def is_gray(image: np.ndarray, mask: np.ndarray) -> float:
    """Fraction of the masked pixels whose three channels are equal (within 2)."""
    px = image[mask]
    return float((px.max(axis=1) - px.min(axis=1) <= 2).mean())


def test_color_by_point_array(simple) -> None:
    elevation, view, rep = elevation_scene(simple)
    solid = pixels(view)
    mask = foreground(solid, BLACK)
    assert is_gray(solid, mask) < 0.05  # red
    simple.ColorBy(rep, ("POINTS", "Elevation"))
    assert list(rep.ColorArrayName) == ["POINTS", "Elevation"]
    lut = simple.GetColorTransferFunction("Elevation")
    tables = rep.LookupTable if isinstance(rep.LookupTable, list) else [rep.LookupTable]
    assert [t.GlobalID for t in tables] == [lut.GlobalID]
    lo, hi = elevation.PointData["Elevation"].GetRange()
    assert (lut.RGBPoints[0], lut.RGBPoints[-4]) == pytest.approx((lo, hi))
    lut.ApplyPreset("Grayscale")
    image = pixels(view)
    assert is_gray(image, mask) > 0.95
    # the array runs from the bottom (dark) to the top (light) of the sphere
    column = image[:, image.shape[1] // 2, 0][mask[:, image.shape[1] // 2]]
    assert column[: len(column) // 4].mean() > column[-len(column) // 4 :].mean() + 60
    simple.ColorBy(rep, None)
    assert not changed(solid, pixels(view), threshold=0).any()


def test_color_by_cell_array(simple) -> None:
    elevation, view, rep = elevation_scene(simple)
    cells = simple.PointDatatoCellData(Input=elevation)
    assert "Elevation" in cells.CellData
    simple.Hide(elevation, view)
    cell_rep = simple.Show(cells, view, DiffuseColor=[1.0, 0.0, 0.0])
    solid = pixels(view)
    mask = foreground(solid, BLACK)
    simple.ColorBy(cell_rep, ("CELLS", "Elevation"))
    assert list(cell_rep.ColorArrayName) == ["CELLS", "Elevation"]
    simple.GetColorTransferFunction("Elevation").ApplyPreset("Grayscale")
    by_cells = pixels(view)
    assert is_gray(by_cells, mask) > 0.95
    # cell colours are constant per cell: the same picture as colouring by the point array, but not identical
    simple.Hide(cells, view)
    simple.Show(elevation, view)
    simple.ColorBy(rep, ("POINTS", "Elevation"))
    by_points = pixels(view)
    assert changed(by_cells, by_points, threshold=2).mean() > 0.01
    assert np.abs(by_cells - by_points)[mask].mean() < 20


def test_apply_preset_and_rescale_change_the_colours(simple) -> None:
    _, view, rep = elevation_scene(simple)
    simple.ColorBy(rep, ("POINTS", "Elevation"))
    lut = simple.GetColorTransferFunction("Elevation")
    lo, hi = lut.RGBPoints[0], lut.RGBPoints[-4]
    cool_warm = pixels(view)
    mask = foreground(cool_warm, BLACK)
    assert lut.ApplyPreset("Viridis (matplotlib)")
    assert lut.RGBPoints[0] == pytest.approx(lo) and lut.RGBPoints[-4] == pytest.approx(hi)  # range kept
    viridis = pixels(view)
    assert changed(cool_warm, viridis)[mask].mean() > 0.5
    lut.ApplyPreset("Grayscale")
    gray = pixels(view)
    # stretching the map to twice the data range makes the top of the sphere darker
    lut.RescaleTransferFunction(lo, lo + 2 * (hi - lo))
    assert lut.RGBPoints[0] == pytest.approx(lo) and lut.RGBPoints[-4] == pytest.approx(lo + 2 * (hi - lo))
    darker = pixels(view)
    assert darker[mask].mean() < gray[mask].mean() - 20
    assert is_gray(darker, mask) > 0.95
    rep.RescaleTransferFunctionToDataRange(False, True)  # back to the data range
    assert (lut.RGBPoints[0], lut.RGBPoints[-4]) == pytest.approx((lo, hi))
    assert not changed(gray, pixels(view), threshold=1).any()
    with pytest.raises(PropertyError, match="Grayscale"):
        lut.ApplyPreset("No Such Preset")
    with pytest.raises(PropertyError):
        lut.RescaleTransferFunction(1.0, 0.0)


def test_color_by_an_unknown_array_names_the_arrays_that_exist(simple) -> None:
    _, view, rep = elevation_scene(simple)
    before = pixels(view)
    with pytest.raises(PropertyError) as info:
        simple.ColorBy(rep, ("POINTS", "Pressure"))
    message = str(info.value)
    assert "Pressure" in message and "Elevation" in message and "Normals" in message
    with pytest.raises(PropertyError, match="Elevation"):
        simple.ColorBy(rep, ("CELLS", "Elevation"))  # a point array, not a cell array
    with pytest.raises(PropertyError, match="POINTS"):
        simple.ColorBy(rep, ("VERTICES", "Elevation"))
    assert list(rep.ColorArrayName) == ["POINTS", ""]
    assert not changed(before, pixels(view), threshold=0).any()


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
    with pytest.raises(PVError, match="Contour"):
        simple.Delete(wavelet)  # the contour still uses it
    simple.Delete(contour)
    simple.Delete(wavelet)
    assert all(rep.GlobalID not in [r.GlobalID for r in view.Representations] for rep in shown)
    assert len(view.Representations) == 1
    after = pixels(view)
    assert not changed(alone, after, threshold=2).any(), "deleted data is still drawn"
