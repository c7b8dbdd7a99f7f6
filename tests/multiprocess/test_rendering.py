"""Parallel rendering on real servers: the same picture on 1, 2, 3 and 4 ranks, and rendering across the wire.

Every scene is rendered on the built-in session (one rank, no compositing) and on shared 2-, 3- and 4-rank
servers (``--multi-clients``, one per module) with the same fixed camera, and the decoded images are compared
pixel by pixel: depth compositing of opaque partitions, "over" compositing of translucent ones in visibility
order, and annotations drawn once by rank 0 must not depend on the number of ranks. Each reference image must
show enough geometry that the comparison cannot pass on two empty pictures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from servers import ServerProcess

from pvcore.errors import PropertyError, RenderError
from pvserver.rendering.imaging import decode_image

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

SIZE = (320, 240)
BACKGROUND = (0.32, 0.34, 0.43)

# Tolerances of the cross-rank comparison: rasterisation of triangles cut at partition boundaries and depth ties
# move a few edge pixels; anything structural (a missing partition, a wrong blending order, a duplicated or
# missing line) changes far more.
MAX_MEAN_ABS_DIFF = 1.0  # over all pixels and channels, in 0..255
BAD_PIXEL = 40  # a pixel is "different" when a channel differs by more than this
MAX_BAD_FRACTION = 0.02  # of the pixels that show geometry in either image
MIN_COVERAGE = 0.02  # of the picture, in the reference image


@pytest.fixture(scope="module")
def server2() -> Iterator[ServerProcess]:
    with ServerProcess(2, "--multi-clients") as server:
        yield server


@pytest.fixture(scope="module")
def server3() -> Iterator[ServerProcess]:
    with ServerProcess(3, "--multi-clients") as server:
        yield server


@pytest.fixture(scope="module")
def server4() -> Iterator[ServerProcess]:
    with ServerProcess(4, "--multi-clients") as server:
        yield server


# ------------------------------------------------------------------------------------------ helpers


def pixels(view, **kw) -> np.ndarray:
    return decode_image(view.CaptureImage(**kw).data).astype(np.int32)


def foreground(image: np.ndarray, background=BACKGROUND) -> np.ndarray:
    bg = np.round(np.asarray(background) * 255).astype(np.int32)
    return np.abs(image - bg).max(axis=2) > 3


def difference(reference: np.ndarray, image: np.ndarray) -> tuple[float, float]:
    """Mean absolute difference, and the fraction of geometry pixels that differ by more than BAD_PIXEL."""
    assert image.shape == reference.shape
    diff = np.abs(image - reference)
    geometry = foreground(reference) | foreground(image)
    bad = diff.max(axis=2) > BAD_PIXEL
    return float(diff.mean()), float(bad.sum() / max(1, geometry.sum()))


def fixed_view(simple, position, focal=(0.0, 0.0, 0.0), **props):
    view = simple.CreateRenderView(ViewSize=list(SIZE), Background=list(BACKGROUND), **props)
    view.CameraPosition = list(position)
    view.CameraFocalPoint = list(focal)
    view.CameraViewUp = [0.0, 1.0, 0.0]
    view.CameraInitialized = 1  # no reset on the first render: every session sees exactly this camera
    simple._DisableFirstRenderCameraReset()  # nor on the session's first Render(), as a ParaView trace says
    return view


def wavelet_contour(simple):
    wavelet = simple.Wavelet()
    return wavelet, simple.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[157.0])


def color_by(simple, rep, association: str, name: str, preset: str, lo: float, hi: float) -> None:
    """ColorBy with a colour map set completely: the servers are shared, and colour maps (one per array name) are
    part of their state, so a map left by an earlier test must not change this test's picture."""
    simple.ColorBy(rep, (association, name))
    lut = simple.GetColorTransferFunction(name)
    lut.ApplyPreset(preset, False)  # control points at 0..1
    lut.RescaleTransferFunction(lo, hi)


def scene_opaque_contour(simple):
    view = fixed_view(simple, (30.0, 20.0, 50.0), OrientationAxesVisibility=0)
    _, contour = wavelet_contour(simple)
    rep = simple.Show(contour, view)
    color_by(simple, rep, "POINTS", "RTData", "Cool to Warm", 100.0, 200.0)
    return view


def scene_opaque_sphere(simple):
    view = fixed_view(simple, (1.5, 1.0, 2.5), OrientationAxesVisibility=0)
    sphere = simple.Sphere(ThetaResolution=256, PhiResolution=256)
    simple.Show(sphere, view, DiffuseColor=[0.9, 0.5, 0.2])
    return view


def scene_translucent_contour(simple):
    """A translucent surface whose colour changes along the view direction: blending order shows."""
    view = fixed_view(simple, (30.0, 20.0, 50.0), OrientationAxesVisibility=0)
    _, contour = wavelet_contour(simple)
    elevation = simple.Elevation(Input=contour, LowPoint=[-10.0, -10.0, -10.0], HighPoint=[10.0, 10.0, 10.0])
    rep = simple.Show(elevation, view, Opacity=0.5)
    color_by(simple, rep, "POINTS", "Elevation", "Jet", 0.0, 1.0)
    return view


def scene_translucent_sphere(simple):
    view = fixed_view(simple, (1.5, 1.0, 2.5), OrientationAxesVisibility=0)
    sphere = simple.Sphere(ThetaResolution=128, PhiResolution=128)
    elevation = simple.Elevation(Input=sphere, LowPoint=[0.0, 0.0, -0.5], HighPoint=[0.0, 0.0, 0.5])
    rep = simple.Show(elevation, view, Opacity=0.4)
    color_by(simple, rep, "POINTS", "Elevation", "Viridis (matplotlib)", 0.0, 1.0)
    return view


def scene_translucent_image(simple):
    """A translucent volume (image data): the faces where the ranks' pieces meet must not show."""
    view = fixed_view(simple, (30.0, 20.0, 50.0), OrientationAxesVisibility=0)
    rep = simple.Show(simple.Wavelet(), view, Opacity=0.5, Representation="Surface")  # not ParaView's outline
    color_by(simple, rep, "POINTS", "RTData", "Cool to Warm", 40.0, 280.0)
    return view


def scene_wireframe_unstructured(simple):
    """The wireframe of an unstructured volume (a clipped Wavelet): only its outer surface, on any rank count."""
    view = fixed_view(simple, (30.0, 20.0, 50.0), OrientationAxesVisibility=0)
    rep = simple.Show(simple.Clip(Input=simple.Wavelet()), view, Representation="Wireframe")
    color_by(simple, rep, "POINTS", "RTData", "Cool to Warm", 40.0, 280.0)
    return view


def scene_outline_and_annotations(simple):
    """An outline (one box around all the data) with the orientation axes and a scalar bar."""
    view = fixed_view(simple, (30.0, 20.0, 50.0), OrientationAxesVisibility=1)
    wavelet, contour = wavelet_contour(simple)
    simple.Show(wavelet, view, Representation="Outline")
    rep = simple.Show(contour, view)
    color_by(simple, rep, "POINTS", "RTData", "Rainbow Uniform", 100.0, 250.0)
    rep.SetScalarBarVisibility(view, True)
    return view


def scene_several_outlines(simple):
    """Two outlines (each one box around all its data, from one reduction with the view's bounds) and a surface."""
    view = fixed_view(simple, (30.0, 20.0, 50.0), OrientationAxesVisibility=0)
    wavelet, contour = wavelet_contour(simple)
    sphere = simple.Sphere(Center=[4.0, -3.0, 2.0], Radius=6.0, ThetaResolution=32, PhiResolution=32)
    simple.Show(wavelet, view, Representation="Outline", DiffuseColor=[1.0, 1.0, 0.0])
    simple.Show(sphere, view, Representation="Outline", DiffuseColor=[0.0, 1.0, 1.0], LineWidth=2.0)
    simple.Show(contour, view, DiffuseColor=[0.9, 0.5, 0.2], ColorArrayName=[None, ""])  # solid: the outlines count
    return view


SCENES: dict[str, Callable] = {
    "opaque_contour": scene_opaque_contour,
    "opaque_sphere": scene_opaque_sphere,
    "translucent_contour": scene_translucent_contour,
    "translucent_sphere": scene_translucent_sphere,
    "translucent_image": scene_translucent_image,
    "wireframe_unstructured": scene_wireframe_unstructured,
    "outline_and_annotations": scene_outline_and_annotations,
    "several_outlines": scene_several_outlines,
}


def render_scene(simple, name: str) -> np.ndarray:
    return pixels(SCENES[name](simple))


# ------------------------------------------------------------------------------------------ 1, 2, 3, 4 ranks


@pytest.mark.parametrize("scene", list(SCENES))
def test_images_agree_across_rank_counts(simple_state, server2, server3, server4, scene: str) -> None:
    simple_state.Connect()
    reference = render_scene(simple_state, scene)
    coverage = foreground(reference).mean()
    assert MIN_COVERAGE < coverage < 0.9, f"{scene}: the reference shows {coverage:.1%} geometry"
    for server in (server2, server3, server4):
        conn = simple_state.Connect(server.url)
        assert conn.GetNumberOfDataPartitions() == server.ranks
        image = render_scene(simple_state, scene)
        mean_diff, bad = difference(reference, image)
        where = f"{scene} on {server.ranks} ranks"
        assert mean_diff < MAX_MEAN_ABS_DIFF, f"{where}: mean difference {mean_diff:.2f}"
        assert bad < MAX_BAD_FRACTION, f"{where}: {bad:.1%} of the geometry pixels differ"
        assert abs(foreground(image).mean() - coverage) < 0.1 * coverage + 0.002, where


def test_translucent_scene_is_blended_not_depth_composited(simple_state, server4) -> None:
    """The comparison above is not vacuous for translucency: on 4 ranks, opacity 0.5 really blends."""
    simple_state.Connect(server4.url)
    view = scene_translucent_contour(simple_state)
    translucent = pixels(view)
    rep = view.Representations[0]
    rep.Opacity = 1.0
    opaque = pixels(view)
    changed = np.abs(translucent - opaque).max(axis=2) > BAD_PIXEL
    assert changed.mean() > 0.2 * foreground(opaque).mean()
    rep.Opacity = 0.5
    again = pixels(view)
    assert np.array_equal(again, translucent)  # and rendering is deterministic


# ------------------------------------------------------------------------------------------ across the wire


def sphere_view(simple, **rep_props):
    sphere = simple.Sphere(ThetaResolution=48, PhiResolution=48)
    view = simple.CreateRenderView(ViewSize=[200, 160], Background=[0.0, 0.0, 0.0], OrientationAxesVisibility=0)
    rep = simple.Show(sphere, view, **rep_props)
    simple.Render(view)
    return sphere, view, rep


def test_first_render_resets_the_camera_on_the_server(simple_state, server3) -> None:
    simple_state.Connect(server3.url)
    sphere = simple_state.Sphere(Center=[1.0, 2.0, 3.0], Radius=2.0)
    view = simple_state.CreateRenderView(ViewSize=[200, 160])
    simple_state.Show(sphere, view)
    assert not view.CameraInitialized
    image = pixels(view)
    assert view.CameraInitialized
    bounds = sphere.GetDataInformation().GetBounds()  # reduced over the three ranks
    assert view.CameraFocalPoint == pytest.approx([(bounds[2 * i] + bounds[2 * i + 1]) / 2 for i in range(3)])
    assert 0.1 < foreground(image).mean() < 0.9


def reset_camera_on_several(simple) -> tuple[dict, list[float]]:
    """ResetCamera on a view of three representations (one of them hidden); the camera, and the union of the
    visible ones' data information bounds."""
    view = fixed_view(simple, (30.0, 20.0, 50.0), OrientationAxesVisibility=0)
    _, contour = wavelet_contour(simple)
    sphere = simple.Sphere(Center=[25.0, -3.0, 2.0], Radius=2.0)
    hidden = simple.Sphere(Center=[-90.0, 0.0, 0.0])
    for source in (contour, sphere, hidden):
        simple.Show(source, view)
    simple.Hide(hidden, view)
    simple.ResetCamera(view)
    boxes = [source.GetDataInformation().GetBounds() for source in (contour, sphere)]
    union = [f(b[i] for b in boxes) for i, f in enumerate([min, max] * 3)]
    keys = ("CameraPosition", "CameraFocalPoint", "CameraViewUp", "CameraParallelScale")
    return {k: np.array(getattr(view, k), dtype=float) for k in keys}, union


def test_reset_camera_with_several_representations_on_several_ranks(simple_state, server3) -> None:
    """The same camera as on one rank: the union of the visible representations' bounds over all ranks."""
    simple_state.Connect()
    reference, union = reset_camera_on_several(simple_state)
    assert reference["CameraFocalPoint"] == pytest.approx([(union[2 * i] + union[2 * i + 1]) / 2 for i in range(3)])
    simple_state.Connect(server3.url)
    camera, union3 = reset_camera_on_several(simple_state)
    assert union3 == pytest.approx(union)
    for key, value in reference.items():
        assert camera[key] == pytest.approx(value, abs=1e-6), key


@pytest.mark.parametrize("name", ["shot.png", "shot.jpg"])
def test_save_screenshot_over_the_wire(simple_state, server2, tmp_path, name: str) -> None:
    simple_state.Connect(server2.url)
    _, view, _ = sphere_view(simple_state, DiffuseColor=[1.0, 0.0, 0.0])
    path = tmp_path / name
    simple_state.SaveScreenshot(path, view, ImageResolution=[2560, 1700])  # above 4 megapixels
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG" if name.endswith(".png") else b"\xff\xd8")
    image = decode_image(data).astype(np.int32)
    assert image.shape == (1700, 2560, 3)
    mask = foreground(image, (0.0, 0.0, 0.0))
    assert 0.05 < mask.mean() < 0.9
    assert image[mask][:, 0].mean() > 100


def test_interactive_render_is_a_half_size_jpeg(simple_state, server2) -> None:
    simple_state.Connect(server2.url)
    _, view, _ = sphere_view(simple_state)
    full = view.CaptureImage()
    fast = view.CaptureImage(interactive=True)
    assert (full.format, full.width, full.height) == ("png", 200, 160)
    assert (fast.format, fast.width, fast.height) == ("jpeg", 100, 80)
    assert decode_image(fast.data).shape == (80, 100, 3)
    assert set(fast.timings_ms) >= {"render", "composite", "encode"}
    assert view._repr_png_().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("size", [[0, 0], [0, 100], [-5, 100], [100000, 100000]])
def test_bad_resolution_is_refused_and_the_server_still_renders(simple_state, server2, tmp_path, size) -> None:
    simple_state.Connect(server2.url)
    _, view, _ = sphere_view(simple_state)
    before = pixels(view)
    with pytest.raises((RenderError, PropertyError), match=r"(?i)size|resolution"):
        simple_state.SaveScreenshot(tmp_path / "shot.png", view, ImageResolution=size)
    assert not (tmp_path / "shot.png").exists()
    with pytest.raises(PropertyError, match="ViewSize"):
        view.ViewSize = size
    t0 = time.perf_counter()
    after = pixels(view)
    assert time.perf_counter() - t0 < 10
    assert np.array_equal(before, after)


def test_color_by_unknown_array_over_the_wire(simple_state, server3) -> None:
    simple_state.Connect(server3.url)
    _wavelet, contour = wavelet_contour(simple_state)
    view = fixed_view(simple_state, (30.0, 20.0, 50.0))
    rep = simple_state.Show(contour, view)
    with pytest.raises(PropertyError) as info:
        simple_state.ColorBy(rep, ("POINTS", "Temperature"))
    assert "Temperature" in str(info.value) and "RTData" in str(info.value)
    assert pixels(view).shape == (SIZE[1], SIZE[0], 3)


@pytest.mark.parametrize("kind", ["Surface", "Outline"])
def test_render_after_deleting_shown_sources_on_several_ranks(simple_state, server3, kind: str) -> None:
    simple_state.Connect(server3.url)
    sphere = simple_state.Sphere(Radius=3.0, ThetaResolution=32, PhiResolution=32)
    view = fixed_view(simple_state, (30.0, 20.0, 50.0), OrientationAxesVisibility=0)
    simple_state.Show(sphere, view)
    alone = pixels(view)
    wavelet, contour = wavelet_contour(simple_state)
    simple_state.Show(wavelet, view, Representation=kind, DiffuseColor=[0.0, 1.0, 0.0])
    simple_state.Show(contour, view, Representation=kind, DiffuseColor=[0.0, 1.0, 0.0])
    both = pixels(view)
    assert (np.abs(both - alone).max(axis=2) > BAD_PIXEL).mean() > 0.005
    simple_state.Delete(wavelet)  # its representation goes; the contour still uses it, as ParaView's
    assert len(view.Representations) == 2
    simple_state.Delete(contour)  # the wavelet goes with it
    assert len(view.Representations) == 1
    after = pixels(view)
    assert np.abs(after - alone).max() <= 2, f"a deleted {kind} representation is still drawn"


@pytest.mark.parametrize("kind", ["Surface", "Wireframe", "Outline"])
def test_hide_on_several_ranks(simple_state, server3, kind: str) -> None:
    simple_state.Connect(server3.url)
    sphere, view, _rep = sphere_view(simple_state, Representation=kind)
    assert foreground(pixels(view), (0.0, 0.0, 0.0)).any()
    simple_state.Hide(sphere, view)
    assert not foreground(pixels(view), (0.0, 0.0, 0.0)).any(), f"a hidden {kind} representation is still drawn"
