"""Volumes and texts on several ranks: the same picture as the built-in session.

Each rank ray casts its own extent piece of the image and the pieces are blended front to back in the
visibility order of their boxes (rendering/volumes.py); a text is drawn once, by rank 0, over the composite.
The tolerance allows for the rays being sampled afresh in each piece.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from servers import ServerProcess

from pvserver.rendering.imaging import decode_image

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

SIZE = (240, 180)
BACKGROUND = (0.0, 0.0, 0.0)
MAX_MEAN_ABS_DIFF = 1.5  # over all pixels and channels, in 0..255
BAD_PIXEL = 24
MAX_BAD_FRACTION = 0.02  # of the pixels that show something in either image


@pytest.fixture(scope="module")
def server3() -> Iterator[ServerProcess]:
    with ServerProcess(3, "--multi-clients") as server:
        yield server


def _pixels(view) -> np.ndarray:
    return decode_image(view.CaptureImage().data).astype(np.int32)


def _view(simple, position):
    view = simple.CreateRenderView(ViewSize=list(SIZE), Background=list(BACKGROUND), OrientationAxesVisibility=0)
    view.CameraPosition = list(position)
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    view.CameraInitialized = 1  # the same camera in every session
    return view


def _volume_scene(simple, position) -> np.ndarray:
    view = _view(simple, position)
    rep = simple.Show(simple.Wavelet(), view)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    lut = simple.GetColorTransferFunction("RTData")
    lut.ApplyPreset("Cool to Warm", False)
    lut.RescaleTransferFunction(40.0, 280.0)
    simple.GetOpacityTransferFunction("RTData").Points = [40.0, 0.0, 0.5, 0.0, 280.0, 0.7, 0.5, 0.0]
    rep.Representation = "Volume"
    simple.Show(simple.Text(Text="Volume"), view, WindowLocation="Upper Center")
    return _pixels(view)


def _compare(reference: np.ndarray, image: np.ndarray) -> tuple[float, float]:
    diff = np.abs(image - reference)
    drawn = (reference.max(axis=2) > 3) | (image.max(axis=2) > 3)
    return float(diff.mean()), float((diff.max(axis=2) > BAD_PIXEL).sum() / max(1, drawn.sum()))


@pytest.mark.parametrize("position", [(0.0, 0.0, 70.0), (40.0, 30.0, 45.0), (-50.0, 10.0, -30.0)])
def test_a_volume_on_three_ranks_is_the_built_in_picture(simple_state, server3, position) -> None:
    simple_state.Connect()
    reference = _volume_scene(simple_state, position)
    assert (reference.max(axis=2) > 3).mean() > 0.15  # the volume fills a good part of the view
    conn = simple_state.Connect(server3.url)
    assert conn.GetNumberOfDataPartitions() == 3
    image = _volume_scene(simple_state, position)
    mean_diff, bad = _compare(reference, image)
    assert mean_diff < MAX_MEAN_ABS_DIFF, f"mean difference {mean_diff:.2f}"
    assert bad < MAX_BAD_FRACTION, f"{bad:.1%} of the pixels differ"


def test_show_picks_the_same_defaults_on_three_ranks(simple_state, server3) -> None:
    simple_state.Connect(server3.url)
    view = _view(simple_state, (0.0, 0.0, 70.0))
    wavelet = simple_state.Wavelet()
    assert simple_state.Show(wavelet, view).Representation == "Outline"
    clip = simple_state.Show(simple_state.Clip(Input=wavelet), view)
    assert list(clip.ColorArrayName) == ["POINTS", "RTData"]
    low, high = simple_state.Clip(Input=wavelet).PointData["RTData"].GetRange()
    points = clip.LookupTable.RGBPoints  # the server's colour map of RTData, grown to cover this data too
    assert points[0] <= low and points[-4] >= high


def test_a_text_is_drawn_once_by_rank_0(simple_state, server3) -> None:
    def scene() -> np.ndarray:
        view = _view(simple_state, (0.0, 0.0, 70.0))
        simple_state.Show(simple_state.Text(Text="Three ranks"), view, WindowLocation="Lower Left Corner")
        simple_state.Show(simple_state.AnnotateTime(Format="t = {time:.1f}"), view, WindowLocation="Upper Right Corner")
        return _pixels(view)

    simple_state.Connect()
    reference = scene()
    assert (reference.max(axis=2) > 3).sum() > 300
    simple_state.Connect(server3.url)
    image = scene()
    assert np.abs(image - reference).max() <= 2  # the same pixels: drawn once, over the composite
