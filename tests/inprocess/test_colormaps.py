"""Colour maps, opacity maps, scalar bars and palettes on the built-in session: ParaView's lookup-table functions.

Colours are checked against the presets' own end colours and against VTK called directly; legends and palettes by
the pixels they change.
"""

from __future__ import annotations

import numpy as np
import pytest
from rendering_checks import BLACK, changed, foreground, make_view, pixels
from vtkmodules.vtkRenderingCore import vtkColorTransferFunction

from pvclient.colormap_presets import PRESETS
from pvcore.errors import PropertyError

pytestmark = pytest.mark.timeout(90)


def elevation_scene(simple, **view_props):
    sphere = simple.Sphere(ThetaResolution=48, PhiResolution=48)
    elevation = simple.Elevation(Input=sphere, LowPoint=[0.0, -0.5, 0.0], HighPoint=[0.0, 0.5, 0.0])
    view = make_view(simple, 240, 180, **view_props)
    rep = simple.Show(elevation, view)
    simple.ColorBy(rep, ("POINTS", "Elevation"))
    simple.Render(view)
    return elevation, view, rep


def ends(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean colour of the top and of the bottom rows of the drawn sphere (the high and the low end of Elevation)."""
    rows = np.nonzero(mask.any(axis=1))[0]
    band = max(2, (rows[-1] - rows[0]) // 12)
    top, bottom = mask.copy(), mask.copy()
    top[rows[0] + band :] = False
    bottom[: rows[-1] - band] = False
    return image[top].mean(axis=0), image[bottom].mean(axis=0)


def plane_scene(simple):
    """A unit plane facing the camera, coloured by an Elevation from its bottom (0) to its top (1), unlit."""
    plane = simple.Plane(XResolution=4, YResolution=64)
    elevation = simple.Elevation(Input=plane, LowPoint=[0.0, -0.5, 0.0], HighPoint=[0.0, 0.5, 0.0])
    view = make_view(simple, 120, 120, CameraParallelProjection=1)
    rep = simple.Show(elevation, view, Ambient=1.0, Diffuse=0.0)
    simple.ColorBy(rep, ("POINTS", "Elevation"))
    simple.Render(view)
    view.CameraParallelScale = 0.5  # the plane fills the picture: row r shows the value 1 - (r + 0.5) / height
    return view, simple.GetColorTransferFunction("Elevation")


@pytest.mark.parametrize(
    "name", ["Viridis (matplotlib)", "Inferno (matplotlib)", "Jet", "Black-Body Radiation", "Turbo"]
)
def test_presets_colour_as_vtk_maps_them(simple, name: str) -> None:
    view, lut = plane_scene(simple)
    assert lut.ApplyPreset(name, True)
    assert lut.GetRange() == pytest.approx((0.0, 1.0), abs=1e-6) and lut.ColorSpace == PRESETS[name].space
    image = pixels(view)
    reference = vtkColorTransferFunction()
    getattr(reference, f"SetColorSpaceTo{lut.ColorSpace}")()
    points = lut.RGBPoints
    for i in range(0, len(points), 4):
        reference.AddRGBPoint(*points[i : i + 4])
    height = image.shape[0]
    for row in (3, height // 4, height // 2, 3 * height // 4, height - 4):
        expected = np.array(reference.GetColor(1.0 - (row + 0.5) / height)) * 255
        assert image[row, image.shape[1] // 2] == pytest.approx(expected, abs=12), row


def test_preset_points_match_vtk_interpolation(simple) -> None:
    lut = simple.GetColorTransferFunction("Temperature")
    lut.ApplyPreset("Viridis (matplotlib)", False)
    lut.RescaleTransferFunction(10.0, 20.0)
    points = lut.RGBPoints
    assert (points[0], points[-4]) == pytest.approx((10.0, 20.0))
    reference = vtkColorTransferFunction()
    for i in range(0, len(points), 4):
        reference.AddRGBPoint(*points[i : i + 4])
    assert reference.GetColor(15.0) == pytest.approx((0.128, 0.567, 0.551), abs=0.02)  # viridis' middle
    assert len(simple.GetLookupTableNames()) >= 30 and "Cool to Warm" in simple.GetLookupTableNames()


def test_assign_lookup_table_and_unknown_presets(simple) -> None:
    wavelet = simple.Wavelet()
    info = wavelet.PointData["RTData"]
    assert simple.AssignLookupTable(info, "Cool to Warm")
    lut = simple.GetColorTransferFunction("RTData")
    assert lut.GetRange() == pytest.approx(info.GetRange())
    assert simple.AssignLookupTable(info, "Grayscale", [0.0, 10.0]) and lut.GetRange() == pytest.approx((0.0, 10.0))
    with pytest.raises(RuntimeError, match="Cool to Warm"):
        simple.AssignLookupTable(info, "--non-existent--")
    with pytest.raises(PropertyError):
        lut.ApplyPreset("--non-existent--")


def test_blue_to_red_and_the_old_association_names(simple) -> None:
    elevation, view, rep = elevation_scene(simple)
    rep.Ambient, rep.Diffuse = 1.0, 0.0
    low, high = elevation.PointData["Elevation"].GetRange()
    rep.LookupTable = simple.MakeBlueToRedLT(low, high)
    rep.ColorArrayName = ("POINT_DATA", "Elevation")  # ParaView's older spelling of POINTS
    assert list(rep.ColorArrayName) == ["POINTS", "Elevation"]
    image = pixels(view)
    top, bottom = ends(image, foreground(image, BLACK))
    assert bottom[2] > 200 > 60 > bottom[0] and top[0] > 200 > 60 > top[2]  # blue at the bottom, red at the top


def test_scalar_bar_proxy(simple) -> None:
    _, view, rep = elevation_scene(simple)
    lut = simple.GetColorTransferFunction("Elevation")
    bar = simple.GetScalarBar(lut, view)
    assert simple.GetScalarBar(lut, view) == bar
    assert bar.Visibility == 0 and bar.Title == "Elevation" and bar.ComponentTitle == ""
    assert isinstance(bar.ScalarBarLength, float) and isinstance(bar.ScalarBarThickness, int)
    without = pixels(view)
    bar.Visibility = 1
    shown = pixels(view)
    width = shown.shape[1]
    assert changed(without, shown)[:, int(0.85 * width) :].mean() > 0.02
    bar.Title = "A much longer title"
    assert changed(shown, pixels(view)).any()
    bar.Title = "Elevation"
    bar.WindowLocation = "Upper Left Corner"
    moved = pixels(view)
    diff = changed(without, moved)
    assert diff[:, : width // 4].any() and not diff[:, int(0.85 * width) :].any()
    bar.Visibility = 0
    assert not changed(without, pixels(view), threshold=0).any()
    rep.SetScalarBarVisibility(view, True)
    assert bar.Visibility == 1 and rep.ScalarBarVisibility == 1


def test_hide_and_update_scalar_bars(simple) -> None:
    _, view, rep = elevation_scene(simple)
    lut = simple.GetColorTransferFunction("Elevation")
    rep.SetScalarBarVisibility(view, True)
    bar = simple.GetScalarBar(lut, view)
    assert not simple.HideScalarBarIfNotNeeded(lut, view) and bar.Visibility == 1
    plain = pixels(view)
    simple.ColorBy(rep, None)
    assert simple.HideScalarBarIfNotNeeded(lut, view) and bar.Visibility == 0
    simple.ColorBy(rep, ("POINTS", "Elevation"))
    simple.UpdateScalarBars(view)
    assert bar.Visibility == 1
    assert not changed(plain, pixels(view), threshold=0).any()


def test_opacity_transfer_function(simple) -> None:
    pwf = simple.GetOpacityTransferFunction("Elevation")
    lut = simple.GetColorTransferFunction("Elevation")
    assert pwf == lut.ScalarOpacityFunction and list(pwf.Points) == [0.0, 0.0, 0.5, 0.0, 1.0, 1.0, 0.5, 0.0]
    pwf.RescaleTransferFunction(2.0, 4.0)
    assert list(pwf.Points) == [2.0, 0.0, 0.5, 0.0, 4.0, 1.0, 0.5, 0.0] and pwf.ScalarRangeInitialized == 1


@pytest.mark.parametrize(
    ("palette", "background"), [("WhiteBackground", (255, 255, 255)), ("BlackBackground", (0, 0, 0))]
)
def test_load_palette_sets_the_backgrounds(simple, palette: str, background: tuple) -> None:
    view = simple.CreateView("RenderView", ViewSize=[120, 90], OrientationAxesVisibility=0)
    kept = simple.CreateView("RenderView", ViewSize=[120, 90], UseColorPaletteForBackground=0, Background=[1, 0, 0])
    simple.LoadPalette(palette)
    assert tuple(pixels(view)[0, 0]) == background
    assert tuple(pixels(kept)[0, 0]) == (255, 0, 0)  # it does not follow the palette
    later = simple.CreateView("RenderView", ViewSize=[120, 90])
    assert tuple(pixels(later)[0, 0]) == background
    with pytest.raises(Exception, match="WhiteBackground"):
        simple.LoadPalette("NoSuchPalette")


def test_invert_and_component_titles(simple) -> None:
    _, view, rep = elevation_scene(simple)
    lut = simple.GetColorTransferFunction("Elevation")
    before = list(lut.RGBPoints)
    lut.InvertTransferFunction()
    after = list(lut.RGBPoints)
    assert after[0::4] == before[0::4] and after[1:4] == before[-3:] and after[-3:] == before[1:4]
    bar = simple.GetScalarBar(lut, view)
    bar.ComponentTitle = "Something"
    assert simple.UpdateScalarBarsComponentTitle(lut, rep) and bar.ComponentTitle == ""  # a scalar array
    simple.ColorBy(rep, ("POINTS", "Normals"))
    normals = simple.GetColorTransferFunction("Normals")
    normals_bar = simple.GetScalarBar(normals, view)
    simple.UpdateScalarBarsComponentTitle(normals, rep)
    assert normals_bar.ComponentTitle == "Magnitude"


def test_data_of_one_value_takes_the_low_end_of_its_widened_range_as_in_paraview(simple) -> None:
    # ParaView widens an empty range by 2048 float ulps above its minimum (vtkSMCoreUtilities::AdjustRange):
    # a contour at one value colours by that range's low end. ParaView 5.11 shows [157.09097, 157.12222].
    contour = simple.Contour(Input=simple.Wavelet(), ContourBy=["POINTS", "RTData"], Isosurfaces=[157.0909652709961])
    rep = simple.Show(contour)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    low, high = rep.LookupTable.RGBPoints[0], rep.LookupTable.RGBPoints[-4]
    assert low == pytest.approx(157.0909652709961) and high == pytest.approx(157.12222290039062, abs=1e-9)
    rep.LookupTable.RescaleTransferFunction(2.0, 2.0)
    assert rep.LookupTable.RGBPoints[-4] > 2.0
