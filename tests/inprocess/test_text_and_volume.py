"""Text and volume representations on the built-in session, checked on the pixels.

Texts (Text, AnnotateTime) are drawn by rank 0 over the composite at their WindowLocation; a 'Volume' of image
data is compared with VTK's own vtkSmartVolumeMapper called directly in this process with the same camera,
colour map and opacity map.
"""

from __future__ import annotations

import numpy as np
import pytest
from rendering_checks import BLACK, changed, foreground, make_view, pixels

pytestmark = pytest.mark.timeout(90)

WIDTH, HEIGHT = 200, 160


def _box(mask: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.nonzero(mask)
    return int(rows.min()), int(rows.max()), int(cols.min()), int(cols.max())


# ------------------------------------------------------------------------------------------ texts


def test_a_text_is_drawn_in_its_window_location(simple) -> None:
    view = make_view(simple, WIDTH, HEIGHT)
    rep = simple.Show(simple.Text(Text="Hello"), view)
    image = pixels(view)
    top, bottom, left, right = _box(foreground(image, BLACK))
    assert bottom < HEIGHT / 4 and right < WIDTH / 2 and left < 10 and top < 10  # 'Upper Left Corner'
    assert 10 < bottom - top < 30  # FontSize 18
    rep.WindowLocation = "Lower Right Corner"
    top, bottom, left, right = _box(foreground(pixels(view), BLACK))
    assert top > HEIGHT * 3 / 4 and left > WIDTH / 2 and right > WIDTH - 10
    rep.WindowLocation = "Upper Center"
    top, _, left, right = _box(foreground(pixels(view), BLACK))
    assert top < 10 and abs((left + right) / 2 - WIDTH / 2) < 4
    rep.WindowLocation = "Any Location"
    rep.Position = [0.5, 0.5]
    _, bottom, left, _ = _box(foreground(pixels(view), BLACK))
    assert abs(left - WIDTH / 2) < 4 and 0 <= HEIGHT / 2 - bottom < 10  # its box's lower left corner at Position


def test_text_properties_show_in_the_pixels(simple) -> None:
    view = make_view(simple, WIDTH, HEIGHT)
    text = simple.Text(Text="Hi")
    rep = simple.Show(text, view)
    small = foreground(pixels(view), BLACK).sum()
    rep.FontSize = 36
    assert foreground(pixels(view), BLACK).sum() > 2.5 * small
    rep.Color = [1.0, 0.0, 0.0]
    image = pixels(view)
    drawn = foreground(image, BLACK)
    assert image[drawn][:, 0].mean() > 100 and image[drawn][:, 1].max() < 40
    text.Text = "Hi there"
    assert foreground(pixels(view), BLACK).sum() > 2 * drawn.sum()
    simple.Hide(text, view)
    assert not foreground(pixels(view), BLACK).any()


def test_annotate_time_follows_the_view_time(simple) -> None:
    view = make_view(simple, WIDTH, HEIGHT)
    simple.Show(simple.AnnotateTime(Format="Time: {time:.2f}"), view)
    view.ViewTime = 1.0
    first = pixels(view)
    assert foreground(first, BLACK).any()
    view.ViewTime = 7.5
    assert changed(first, pixels(view)).any()


def test_a_text_over_geometry_is_drawn_once_on_top(simple) -> None:
    view = make_view(simple, WIDTH, HEIGHT)
    sphere = simple.Sphere()
    simple.Show(sphere, view)
    alone = pixels(view)
    simple.Show(simple.Text(Text="Over"), view)
    with_text = pixels(view)
    moved = changed(alone, with_text)
    assert moved.any() and _box(moved)[1] < HEIGHT / 4  # only the text's corner changed


# ------------------------------------------------------------------------------------------ volumes


def _vtk_volume_image(view, lut_points, opacity_points, unit_distance) -> np.ndarray:
    """The Wavelet ray cast by VTK directly, with the view's camera, as an (H, W, 3) int array, top row first."""
    import vtkmodules.vtkRenderingOpenGL2
    import vtkmodules.vtkRenderingVolumeOpenGL2  # noqa: F401
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkCommonCore import vtkUnsignedCharArray
    from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
    from vtkmodules.vtkRenderingCore import (
        vtkColorTransferFunction,
        vtkRenderer,
        vtkRenderWindow,
        vtkVolume,
        vtkVolumeProperty,
    )
    from vtkmodules.vtkRenderingVolumeOpenGL2 import vtkSmartVolumeMapper

    source = vtkRTAnalyticSource()
    source.Update()
    mapper = vtkSmartVolumeMapper()
    mapper.SetInputData(source.GetOutput())
    mapper.SetAutoAdjustSampleDistances(False)
    mapper.SetSampleDistance(0.5)
    colours = vtkColorTransferFunction()
    colours.SetColorSpaceToDiverging()
    for i in range(0, len(lut_points), 4):
        colours.AddRGBPoint(*lut_points[i : i + 4])
    opacity = vtkPiecewiseFunction()
    for i in range(0, len(opacity_points), 4):
        opacity.AddPoint(*opacity_points[i : i + 4])
    prop = vtkVolumeProperty()
    prop.SetColor(colours)
    prop.SetScalarOpacity(opacity)
    prop.SetScalarOpacityUnitDistance(unit_distance)
    prop.SetInterpolationTypeToLinear()
    volume = vtkVolume()
    volume.SetMapper(mapper)
    volume.SetProperty(prop)
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetMultiSamples(0)
    window.SetSize(WIDTH, HEIGHT)
    renderer = vtkRenderer()
    renderer.SetBackground(*BLACK)
    window.AddRenderer(renderer)
    renderer.AddVolume(volume)
    camera = renderer.GetActiveCamera()
    camera.SetPosition(*view.CameraPosition)
    camera.SetFocalPoint(*view.CameraFocalPoint)
    camera.SetViewUp(*view.CameraViewUp)
    camera.SetViewAngle(view.CameraViewAngle)
    renderer.ResetCameraClippingRange(*source.GetOutput().GetBounds())
    window.Render()
    pixels_ = vtkUnsignedCharArray()
    window.GetRGBACharPixelData(0, 0, WIDTH - 1, HEIGHT - 1, 0, pixels_)
    image = vtk_to_numpy(pixels_).reshape(HEIGHT, WIDTH, 4)[::-1, :, :3].astype(np.int32)
    window.Finalize()
    return image


def _volume_scene(simple):
    view = make_view(simple, WIDTH, HEIGHT)
    wavelet = simple.Wavelet()
    rep = simple.Show(wavelet, view)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    rep.Representation = "Volume"
    simple.Render(view)
    return wavelet, view, rep


def test_a_volume_is_the_picture_vtk_ray_casts(simple) -> None:
    _, view, rep = _volume_scene(simple)
    image = pixels(view)
    lut = rep.LookupTable
    low, high = lut.RGBPoints[0], lut.RGBPoints[-4]
    pwf = simple.GetOpacityTransferFunction("RTData")
    pwf.Points = [low, 0.0, 0.5, 0.0, high, 0.6, 0.5, 0.0]
    image = pixels(view)
    expected = _vtk_volume_image(view, list(lut.RGBPoints), list(pwf.Points), rep.ScalarOpacityUnitDistance)
    assert foreground(expected, BLACK).mean() > 0.2
    assert np.abs(image - expected).mean() < 2.0
    assert changed(image, expected, threshold=24).mean() < 0.01


def test_the_opacity_map_and_unit_distance_change_the_volume(simple) -> None:
    _, view, rep = _volume_scene(simple)
    default = pixels(view)  # the default opacity map, stretched over the colour map's range
    assert foreground(default, BLACK).mean() > 0.2
    low, high = rep.LookupTable.RGBPoints[0], rep.LookupTable.RGBPoints[-4]
    pwf = simple.GetOpacityTransferFunction("RTData")
    pwf.Points = [low, 0.0, 0.5, 0.0, high, 0.0, 0.5, 0.0]
    assert not foreground(pixels(view), BLACK).any()  # fully transparent
    pwf.Points = [low, 0.0, 0.5, 0.0, high, 1.0, 0.5, 0.0]
    thick = pixels(view)
    rep.ScalarOpacityUnitDistance = 20.0  # the same opacity over a longer distance: fainter
    thin = pixels(view)
    assert thin.sum() < 0.9 * thick.sum()


def test_volume_surface_and_hidden_switch_cleanly(simple) -> None:
    wavelet, view, rep = _volume_scene(simple)
    volume = pixels(view)
    rep.Representation = "Surface"
    surface = pixels(view)
    assert changed(volume, surface).mean() > 0.05
    rep.Representation = "Volume"
    assert not changed(volume, pixels(view), threshold=2).any()
    simple.Hide(wavelet, view)
    assert not foreground(pixels(view), BLACK).any()
    simple.Show(wavelet, view)
    assert not changed(volume, pixels(view), threshold=2).any()


def test_a_volume_without_an_array_or_of_polygons_is_drawn_as_a_surface(simple) -> None:
    view = make_view(simple, WIDTH, HEIGHT)
    sphere = simple.Sphere()
    rep = simple.Show(sphere, view)
    surface = pixels(view)
    rep.Representation = "Volume"
    assert not changed(surface, pixels(view), threshold=2).any()
