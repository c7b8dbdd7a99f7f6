"""Rendering on the built-in session: colouring by arrays, colour maps, their presets and ranges, scalar bars.

Every check looks at pixels (decoded with ``pvserver.rendering.imaging.decode_image``) or at numbers computed by
VTK called directly, so that it fails when the feature breaks, not only when an exception is raised.
"""

from __future__ import annotations

import numpy as np
import pytest
from rendering_checks import BLACK, changed, foreground, make_view, pixels

from pvcore.errors import PropertyError

pytestmark = pytest.mark.timeout(60)


def elevation_scene(simple, width: int = 240, height: int = 180):
    sphere = simple.Sphere(ThetaResolution=48, PhiResolution=48)
    elevation = simple.Elevation(Input=sphere, LowPoint=[0.0, -0.5, 0.0], HighPoint=[0.0, 0.5, 0.0])
    view = make_view(simple, width, height)
    # solid red to begin with (Show would colour by Elevation, as ParaView does)
    rep = simple.Show(elevation, view, DiffuseColor=[1.0, 0.0, 0.0], ColorArrayName=[None, ""])
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
