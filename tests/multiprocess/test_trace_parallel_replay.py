"""A trace recorded on one kind of session rebuilds the same state and picture on the other: recorded on the
built-in session and run against a 2-rank server, and recorded on the 2-rank server and run on the built-in
session. States are compared with :func:`pvclient.trace_check.state_signature` (ids differ, what a script knows
does not); pictures within the rasterisation differences of cut triangles at partition borders.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pvclient.trace_check import state_signature
from pvserver.rendering.imaging import decode_image

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

BAD_PIXEL = 40  # a channel difference beyond the rasterisation of triangles cut at partition borders


def scenario(simple, shot: Path) -> None:
    """Filters whose results span the ranks, colouring fitted to the global range, a legend, a helper, a second
    view, a deletion, cameras and a screenshot."""
    view = simple.CreateView("RenderView", ViewSize=[200, 160], OrientationAxesVisibility=0)
    wavelet = simple.Wavelet()
    contour = simple.Contour(Input=wavelet, Isosurfaces=[120.0, 200.0], ComputeScalars=1)
    display = simple.Show(contour, view)
    simple.ColorBy(display, ("POINTS", "RTData"))
    display.SetScalarBarVisibility(view, True)
    clip = simple.Clip(Input=contour)
    clip.ClipType = "Sphere"
    clip.ClipType.Radius = 7.0
    simple.Show(clip, view).Specular = 0.4  # opaque: translucency composites differently
    simple.Hide(contour, view)
    simple.Render(view)
    second = simple.CreateView("RenderView", ViewSize=[120, 100])
    cut = simple.Slice(Input=wavelet)
    cut.SliceType.Normal = [0.0, 0.0, 1.0]  # facing the camera
    simple.Show(cut, second).SetRepresentationType("Surface With Edges")
    simple.Delete(simple.Sphere())
    view.CameraPosition = [25.0, 30.0, 45.0]
    simple.SaveScreenshot(str(shot), view)
    simple.Render(second)


def recorded_on(simple, url: str | None, shot: Path) -> tuple[str, dict, list[np.ndarray]]:
    from paraview import smtrace

    conn = simple.Connect(url) if url else simple.Connect()
    if url:
        simple.ResetSession()
        conn = simple.state.active_connection
    smtrace.start_trace()
    scenario(simple, shot)
    trace = smtrace.stop_trace()
    return trace, state_signature(conn), pictures(simple)


def replayed_on(simple, url: str | None, trace: str) -> tuple[dict, list[np.ndarray]]:
    conn = simple.Connect(url) if url else simple.Connect()
    if url:
        simple.ResetSession()
        conn = simple.state.active_connection
    exec(compile(trace, "<trace>", "exec"), {})
    return state_signature(conn), pictures(simple)


def pictures(simple) -> list[np.ndarray]:
    return [decode_image(v.CaptureImage().data).astype(np.int32) for v in simple.GetRenderViews()]


def assert_same_picture(reference: np.ndarray, image: np.ndarray) -> None:
    assert reference.shape == image.shape
    drawn = np.abs(reference - reference[0, 0]).max(axis=2) > 3
    assert 0.02 < drawn.mean() < 0.95  # there is something to compare
    bad = np.abs(reference - image).max(axis=2) > BAD_PIXEL
    assert bad.mean() < 0.02 and np.abs(reference - image)[drawn].mean() < 3.0


@pytest.mark.parametrize("record_on_server", [False, True], ids=["builtin-to-server", "server-to-builtin"])
def test_a_trace_replays_across_session_kinds(simple_state, server2, tmp_path, record_on_server) -> None:
    where = [server2.url, None] if record_on_server else [None, server2.url]
    trace, state, images = recorded_on(simple_state, where[0], tmp_path / "recorded.png")
    shot = decode_image((tmp_path / "recorded.png").read_bytes()).astype(np.int32)
    (tmp_path / "recorded.png").unlink()
    again, replayed = replayed_on(simple_state, where[1], trace)
    assert again == state
    assert len(replayed) == len(images) == 2
    for reference, image in zip(images, replayed, strict=True):
        assert_same_picture(reference, image)
    assert_same_picture(shot, decode_image((tmp_path / "recorded.png").read_bytes()).astype(np.int32))
