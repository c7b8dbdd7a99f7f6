"""'Point Gaussian' on three ranks: every rank draws the splats of its piece's points and the ranks' images are
composited (by depth when the splats are opaque, blended in visibility order when their opacity varies); the
picture is the built-in session's.

Points on the faces between the ranks' pieces belong to the pieces of both ranks (in ParaView too), so that
translucent splats there are blended twice: the translucent case is drawn from data that one rank holds (a
Plane), the opaque one from a grid split over all three.
"""

from __future__ import annotations

import numpy as np
import pytest

from pvserver.rendering.imaging import decode_image

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

SIZE = (240, 180)
MAX_MEAN_ABS_DIFF = 1.5  # over all pixels and channels, in 0..255
BAD_PIXEL = 24
MAX_BAD_FRACTION = 0.02  # of the pixels that show something in either image


def _view(simple, distance: float):
    view = simple.CreateRenderView(ViewSize=list(SIZE), Background=[0.0, 0.0, 0.0], OrientationAxesVisibility=0)
    view.CameraPosition, view.CameraFocalPoint = [0.0, 0.0, distance], [0.0, 0.0, 0.0]
    view.CameraViewUp, view.CameraInitialized = [0.0, 1.0, 0.0], 1  # the same camera in every session
    return view


def _opaque_grid(simple) -> np.ndarray:
    """A flat grid of points split over the ranks, 'Sphere' splats coloured by RTData."""
    view = _view(simple, 40.0)
    grid = simple.Tetrahedralize(Input=simple.Wavelet(WholeExtent=[-10, 10, -10, 10, 0, 0]))
    rep = simple.Show(grid, view, Representation="Point Gaussian", GaussianRadius=0.35)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    rep.LookupTable.RescaleTransferFunction(40.0, 280.0)
    return decode_image(view.CaptureImage().data).astype(np.int32)


def _translucent_plane(simple) -> np.ndarray:
    """A plane's points as 'Plain circle' splats whose opacity grows with x."""
    view = _view(simple, 2.5)
    plane = simple.Calculator(Input=simple.Plane(XResolution=10, YResolution=10), ResultArrayName="X",
                              Function="coordsX")  # fmt: skip
    rep = simple.Show(plane, view, Representation="Point Gaussian", GaussianRadius=0.03, ShaderPreset="Plain circle")
    simple.ColorBy(rep, ("POINTS", "X"))
    rep.OpacityTransferFunction = simple.CreatePiecewiseFunction(Points=[-0.5, 0.1, 0.5, 0.0, 0.5, 0.9, 0.5, 0.0])
    rep.OpacityArray = ["POINTS", "X"]
    rep.OpacityByArray = 1
    return decode_image(view.CaptureImage().data).astype(np.int32)


@pytest.mark.parametrize("scene", [_opaque_grid, _translucent_plane])
def test_splats_on_three_ranks_are_the_built_in_picture(simple_state, server3, scene) -> None:
    simple_state.Connect()
    reference = scene(simple_state)
    drawn_reference = reference.max(axis=2) > 3
    assert 0.05 < drawn_reference.mean() < 0.9
    row = drawn_reference[SIZE[1] // 2 + 2]  # through a row of splats: separate discs, not a surface
    assert np.count_nonzero(row[1:] & ~row[:-1]) >= 10
    conn = simple_state.Connect(server3.url)
    assert conn.GetNumberOfDataPartitions() == 3
    image = scene(simple_state)
    diff = np.abs(image - reference)
    drawn = drawn_reference | (image.max(axis=2) > 3)
    bad = float((diff.max(axis=2) > BAD_PIXEL).sum() / max(1, drawn.sum()))
    assert float(diff.mean()) < MAX_MEAN_ABS_DIFF, f"mean difference {diff.mean():.2f}"
    assert bad < MAX_BAD_FRACTION, f"{bad:.1%} of the pixels differ"
