"""The view and representation vocabulary of ParaView 5.11's traces and state files, on the built-in session.

A trace writes, after each Show, the value of every representation property it records, and on each new view a few
of the view's; each must be accepted (with ParaView's default where it has no effect here), and those that change the
picture must change it. Pixels are decoded with ``pvserver.rendering.imaging.decode_image``.
"""

from __future__ import annotations

import numpy as np
import pytest
from rendering_checks import BLACK, changed, foreground, make_view, pixels
from vtkmodules.vtkRenderingCore import vtkCamera

from pvcore.errors import PropertyError, PVError
from pvserver.rendering.imaging import decode_image, decode_png_alpha

pytestmark = pytest.mark.timeout(90)

#: Values ParaView 5.11 prints for a new render view and for the representation of a sphere in it.
PARAVIEW_VIEW_DEFAULTS = {
    "CenterOfRotation": [0.0, 0.0, 0.0], "UseColorPaletteForBackground": 1, "BackgroundColorMode": "Single Color",
    "Background2": [0.0, 0.0, 0.165], "OrientationAxesVisibility": 1, "StereoType": 0, "CameraFocalDisk": 1.0,
    "EyeAngle": 2.0, "KeyLightIntensity": 0.75, "UseFXAA": 1, "LODThreshold": 20.0, "MaximumNumberOfPeels": 4,
    "InteractionMode": "3D", "OrientationAxesLabelColor": [1.0, 1.0, 1.0], "PPI": 72, "BackEnd": "scivis",
}  # fmt: skip
PARAVIEW_REPRESENTATION_DEFAULTS = {
    "Specular": 0.0, "SpecularColor": [1.0, 1.0, 1.0], "SpecularPower": 100.0, "Ambient": 0.0, "Diffuse": 1.0,
    "Interpolation": "Gouraud", "BackfaceRepresentation": "Follow Frontface", "Opacity": 1.0, "PointSize": 2.0,
    "Scale": [1.0, 1.0, 1.0], "SelectionColor": [1.0, 0.0, 1.0], "SelectionPointLabelFontSize": 18,
    "SelectionCellLabelColor": [0.0, 1.0, 0.0], "SelectionCellLabelFontFamily": "Arial",
    "SelectionPointLabelColor": [1.0, 1.0, 0.0], "SelectionCellLabelJustification": "Left",
    "SelectOrientationVectors": "None", "SelectScaleArray": "None", "ShaderPreset": "Sphere",
    "CoordinateShiftScaleMethod": "Always Auto Shift Scale", "MapScalars": 1, "InterpolateScalarsBeforeMapping": 1,
}  # fmt: skip


def wavelet_scene(simple, **view_props):
    wavelet = simple.Wavelet()
    view = make_view(simple, 240, 180, **view_props)
    return wavelet, view


def test_a_trace_style_script_runs_and_draws(simple, tmp_path) -> None:
    simple._DisableFirstRenderCameraReset()
    wavelet = simple.Wavelet(registrationName="Wavelet1")
    view = simple.CreateView("RenderView")
    view.ViewSize = [240, 180]
    view.AxesGrid = "GridAxes3DActor"
    view.StereoType = 0
    view.CameraFocalDisk = 1.0
    view.BackgroundTexture = None  # what a trace of every property writes
    view.OSPRayMaterialLibrary = simple.GetMaterialLibrary()
    view.ServerStereoType = "Same As Client"
    view.KeyLightAzimuth = 10.0
    display = simple.Show(wavelet, view, "UniformGridRepresentation")
    display.Texture = None
    display.ScaleArrayComponent = ""
    display.PolarAxes.PolarAxisTitleFontSize = 12
    display.NoiseType = "Gaussian"
    display.Representation = "Outline"
    display.ColorArrayName = [None, ""]
    display.OSPRayScaleArray = "RTData"
    display.OSPRayScaleFunction = "PiecewiseFunction"
    display.SelectOrientationVectors = "None"
    display.ScaleFactor = 2.0
    display.SelectScaleArray = "RTData"
    display.GlyphType = "Arrow"
    display.GlyphTableIndexArray = "RTData"
    display.GaussianRadius = 0.1
    display.SetScaleArray = ["POINTS", "RTData"]
    display.ScaleTransferFunction = "PiecewiseFunction"
    display.OpacityArray = ["POINTS", "RTData"]
    display.OpacityTransferFunction = "PiecewiseFunction"
    display.DataAxesGrid = "GridAxesRepresentation"
    display.PolarAxes = "PolarAxesRepresentation"
    display.ScalarOpacityUnitDistance = 1.7320508075688774
    display.OpacityArrayName = ["POINTS", "RTData"]
    display.ColorArray2Name = ["POINTS", "RTData"]
    display.IsosurfaceValues = [157.0909652709961]
    display.SliceFunction = "Plane"
    display.Slice = 10
    display.SelectInputVectors = [None, ""]
    display.WriteLog = ""
    display.ScaleTransferFunction.Points = [37.35, 0.0, 0.5, 0.0, 276.8, 1.0, 0.5, 0.0]
    display.OpacityTransferFunction.Points = [37.35, 0.0, 0.5, 0.0, 276.8, 1.0, 0.5, 0.0]
    assert list(display.ScaleTransferFunction.Points) == [37.35, 0.0, 0.5, 0.0, 276.8, 1.0, 0.5, 0.0]
    simple.ColorBy(display, ("POINTS", "RTData"))
    display.RescaleTransferFunctionToDataRange(True, False)
    display.SetScalarBarVisibility(view, True)
    tf2d = simple.GetTransferFunction2D("RTData")
    tf2d.ScalarRangeInitialized = 1
    tf2d.Range = [37.35, 276.8, 0.0, 1.0]
    lut = simple.GetColorTransferFunction("RTData")
    lut.TransferFunction2D = tf2d
    lut.ScalarRangeInitialized = 1.0
    lut.ApplyPreset("Viridis (matplotlib)", True)
    pwf = simple.GetOpacityTransferFunction("RTData")
    pwf.ScalarRangeInitialized = 1
    contour = simple.Contour(registrationName="Contour1", Input=wavelet)
    contour.ContourBy = ["POINTS", "RTData"]
    contour.Isosurfaces = [150.0]
    contour_display = simple.Show(contour, view, "GeometryRepresentation")
    contour_display.Representation = "Surface"
    contour_display.ColorArrayName = ["POINTS", "RTData"]
    contour_display.LookupTable = lut
    contour_display.SetRepresentationType("Wireframe")
    assert contour_display.Representation == "Wireframe"
    bar = simple.GetScalarBar(lut, view)
    bar.Title = "RT"
    bar.ComponentTitle = ""
    bar.Visibility = 1
    view.ResetCamera(False)
    view.CameraPosition = [0.0, 0.0, 66.0]
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraParallelScale = 17.32
    path = tmp_path / "trace.png"
    simple.SaveScreenshot(
        str(path), view, ImageResolution=[240, 180], FontScaling="Scale fonts proportionally",
        OverrideColorPalette="", StereoMode="No change", TransparentBackground=1, CompressionLevel="5",
        MetaData=["Application", "ParaView"],
    )  # fmt: skip
    data = path.read_bytes()
    assert b"tEXtApplication\0ParaView" in data
    alpha = decode_png_alpha(data)
    image = decode_image(data).astype(np.int32)
    assert image.shape == (180, 240, 3)
    assert 0.3 < (alpha == 0).mean() < 0.98  # a transparent background around the drawn contour
    drawn = image[alpha == 255]
    greenish = (drawn[:, 1] > drawn[:, 0] + 20) | (drawn[:, 2] > drawn[:, 0] + 20)  # viridis teal, not white
    assert greenish.mean() > 0.3
    # the camera the script set is the one drawn: the first render did not fit it to the data
    assert tuple(view.CameraPosition) == pytest.approx((0.0, 0.0, 66.0))


def test_properties_have_paraviews_defaults(simple) -> None:
    view = simple.CreateView("RenderView")
    rep = simple.Show(simple.Sphere(), view)
    for name, value in PARAVIEW_VIEW_DEFAULTS.items():
        assert getattr(view, name) == value, name
    for name, value in PARAVIEW_REPRESENTATION_DEFAULTS.items():
        assert getattr(rep, name) == value, name
    assert view.AxesGrid.Visibility == 0 and view.AxesGrid.XTitle == "X Axis" and view.AxesGrid.XLabelFontSize == 12
    assert rep.DataAxesGrid.GridAxesVisibility == 0 and rep.DataAxesGrid.GridColor == [1.0, 1.0, 1.0]
    assert list(rep.OpacityTransferFunction.Points) == [0.0, 0.0, 0.5, 0.0, 1.0, 1.0, 0.5, 0.0]
    assert rep.GlyphType.GetXMLName() == "Arrow" and rep.GlyphType.TipLength == 0.35
    with pytest.raises(PropertyError, match="GridAxes3DActor"):
        view.AxesGrid = "NoSuchGrid"


def test_other_view_and_representation_types_are_refused_clearly(simple) -> None:
    with pytest.raises(PVError, match=r"ParallelCoordinatesChartView.*RenderView"):
        simple.CreateView("ParallelCoordinatesChartView")
    with pytest.raises(PVError, match="ComparativeRenderView"):
        simple.GetActiveViewOrCreate("ComparativeRenderView")
    with pytest.raises(PVError, match="UniformGridRepresentation"):
        simple.Show(simple.Sphere(), simple.CreateView("RenderView"), "VolumeOfSomething")


def test_display_properties_before_show_are_a_hidden_representation(simple) -> None:
    sphere = simple.Sphere()
    view = make_view(simple)
    rep = simple.GetDisplayProperties(sphere, view)
    assert rep.Visibility == 0 and rep in view.Representations
    rep.DiffuseColor = [1.0, 0.0, 0.0]
    empty = pixels(view)
    assert not foreground(empty, BLACK).any()
    assert simple.Show(sphere, view) == rep and rep.Visibility == 1
    simple.ResetCamera(view)  # the first render had nothing to fit the camera to
    red = pixels(view)
    mask = foreground(red, BLACK)
    assert mask.mean() > 0.1 and (red[mask][:, 0] > red[mask][:, 1] + 50).mean() > 0.9


def test_lighting_properties_change_the_picture(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=12, PhiResolution=12)
    view = make_view(simple)
    rep = simple.Show(sphere, view, DiffuseColor=[0.2, 0.2, 0.8])
    plain = pixels(view)
    mask = foreground(plain, BLACK)
    rep.Specular = 1.0
    rep.SpecularPower = 10.0
    shiny = pixels(view)
    assert shiny[mask].max(axis=1).max() > plain[mask].max(axis=1).max() + 40  # a highlight
    rep.Specular = 0.0
    rep.Ambient = 0.6
    lit = pixels(view)
    assert lit[mask].mean() > plain[mask].mean() + 20
    rep.Ambient = 0.0
    rep.Interpolation = "Flat"
    flat = pixels(view)
    assert changed(plain, flat, threshold=4)[mask].mean() > 0.2  # facets, not smooth shading
    rep.Interpolation = "Gouraud"
    assert not changed(plain, pixels(view), threshold=0).any()


def test_axes_grids_draw_around_the_data(simple) -> None:
    sphere = simple.Sphere()
    view = make_view(simple)
    rep = simple.Show(sphere, view)
    simple.Render(view)
    view.CameraPosition = [0.0, 0.0, 5.0]
    plain = pixels(view)
    view.AxesGrid.Visibility = 1
    grid = pixels(view)
    outside = ~foreground(plain, BLACK)
    assert changed(plain, grid)[outside].mean() > 0.01  # the box's edges and labels around the sphere
    view.AxesGrid.Visibility = 0
    assert not changed(plain, pixels(view), threshold=0).any()
    rep.DataAxesGrid.GridAxesVisibility = 1
    rep.DataAxesGrid.XTitleColor = [1.0, 0.0, 0.0]
    data_grid = pixels(view)
    assert changed(plain, data_grid)[outside].mean() > 0.01
    rep.DataAxesGrid = "GridAxesRepresentation"  # a fresh helper, hidden again
    assert not changed(plain, pixels(view), threshold=0).any()


def test_opacity_mapping_makes_low_values_transparent(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=32, PhiResolution=32)
    elevation = simple.Elevation(Input=sphere, LowPoint=[0.0, -0.5, 0.0], HighPoint=[0.0, 0.5, 0.0])
    view = make_view(simple)
    rep = simple.Show(elevation, view)
    simple.ColorBy(rep, ("POINTS", "Elevation"))
    opaque = pixels(view)
    mask = foreground(opaque, BLACK)
    lut = simple.GetColorTransferFunction("Elevation")
    pwf = simple.GetOpacityTransferFunction("Elevation")
    assert pwf == lut.ScalarOpacityFunction
    pwf.Points = [0.0, 0.0, 0.5, 0.0, 1.0, 1.0, 0.5, 0.0]
    lut.EnableOpacityMapping = 1
    faded = pixels(view)
    rows = np.nonzero(mask.any(axis=1))[0]
    bottom = mask.copy()
    bottom[: rows[0] + (rows[-1] - rows[0]) * 3 // 4] = False  # the low (transparent) end of the array
    assert faded[bottom].mean() < opaque[bottom].mean() - 40
    lut.EnableOpacityMapping = 0
    assert not changed(opaque, pixels(view), threshold=1).any()


def test_cameras_directions_and_first_render(simple) -> None:
    sphere = simple.Sphere(Center=[1.0, 2.0, 3.0])
    view = make_view(simple)
    simple.Show(sphere, view)
    view.ResetActiveCameraToPositiveX()
    focal, position = np.array(view.CameraFocalPoint), np.array(view.CameraPosition)
    assert focal == pytest.approx([1.0, 2.0, 3.0], abs=0.05)
    direction = (focal - position) / np.linalg.norm(focal - position)
    assert direction == pytest.approx([1.0, 0.0, 0.0], abs=1e-6) and list(view.CameraViewUp) == [0.0, 0.0, 1.0]
    view.ResetActiveCameraToNegativeZ()
    direction = np.subtract(view.CameraFocalPoint, view.CameraPosition)
    assert direction / np.linalg.norm(direction) == pytest.approx([0.0, 0.0, -1.0], abs=1e-6)
    simple.ResetCameraToDirection([1.0, 2.0, 3.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0], view)
    direction = np.subtract(view.CameraFocalPoint, view.CameraPosition)
    assert direction / np.linalg.norm(direction) == pytest.approx([0.0, -1.0, 0.0], abs=1e-6)
    camera = simple.GetActiveCamera()
    assert camera.GetDistance() == pytest.approx(np.linalg.norm(direction))
    assert camera.GetDirectionOfProjection() == pytest.approx((0.0, -1.0, 0.0), abs=1e-6)
    # every call of vtkCamera, as ParaView's camera is one (tests/GetActiveCamera.py of ParaView)
    assert set(dir(vtkCamera())) <= set(dir(camera))
    assert camera.GetViewPlaneNormal() == pytest.approx((0.0, 1.0, 0.0), abs=1e-6)
    camera.SetDistance(7.5)
    assert camera.GetDistance() == pytest.approx(7.5)
    assert np.linalg.norm(np.subtract(view.CameraFocalPoint, view.CameraPosition)) == pytest.approx(7.5)
    position = tuple(view.CameraPosition)
    camera.Yaw(30.0)  # turns the focal point about the position
    assert tuple(view.CameraPosition) == pytest.approx(position) and camera.GetDistance() == pytest.approx(7.5)
    with pytest.raises(AttributeError, match="vtkCamera"):
        camera.NoSuchCall()


def test_view_functions(simple, tmp_path) -> None:
    first = simple.CreateView("RenderView")
    second = simple.CreateRenderView()
    assert simple.GetRenderViews() == [first, second] == simple.GetViews("RenderView") == simple.GetViews()
    simple.SetActiveView(None)
    assert simple.GetRenderView() == first
    wavelet = simple.Wavelet()
    simple.Show(wavelet, first)
    first.Update()
    assert wavelet.GetDataInformation().GetNumberOfPoints() == 9261
    simple.RenderAllViews()
    assert first.CameraInitialized and second.CameraInitialized
    assert simple.Interact(first) is None
    assert simple.WriteImage(str(tmp_path / "old.png"), first, Magnification=2)
    assert decode_image((tmp_path / "old.png").read_bytes()).shape[:2] == (800, 800)
    info = simple.GetOpenGLInformation()
    assert info.GetVersion() and info.GetVendor()


def test_save_screenshot_options(simple, tmp_path) -> None:
    _, view, _ = simple_sphere(simple)
    with pytest.raises(PVError, match=r"ImageResolution.*TransparentBackground"):
        simple.SaveScreenshot(str(tmp_path / "x.png"), view, ImageResoluton=[10, 10])
    plain, small, large = (tmp_path / name for name in ("plain.png", "small.png", "large.png"))
    simple.SaveScreenshot(plain, view, OverrideColorPalette="WhiteBackground", FontScaling="Do not scale fonts")
    simple.SaveScreenshot(small, view, CompressionLevel=9)
    simple.SaveScreenshot(large, view, CompressionLevel=0)
    reference = decode_image(plain.read_bytes())
    assert (decode_image(small.read_bytes()) == reference).all() and (
        decode_image(large.read_bytes()) == reference
    ).all()
    assert small.stat().st_size < large.stat().st_size
    with pytest.raises(ValueError, match=r"0\.\.9"):
        simple.SaveScreenshot(small, view, CompressionLevel=12)
    jpeg = tmp_path / "shot.jpg"
    simple.SaveScreenshot(jpeg, view, Quality=30, TransparentBackground=1)  # JPEG has no alpha: opaque
    assert np.abs(decode_image(jpeg.read_bytes()).astype(int) - reference).mean() < 10
    clear = tmp_path / "clear.png"
    simple.SaveScreenshot(clear, view, TransparentBackground=1)
    alpha = decode_png_alpha(clear.read_bytes())
    assert ((alpha == 255) == foreground(reference.astype(np.int32), BLACK)).mean() > 0.99


def simple_sphere(simple):
    sphere = simple.Sphere(ThetaResolution=24, PhiResolution=24)
    view = make_view(simple)
    rep = simple.Show(sphere, view)
    simple.Render(view)
    return sphere, view, rep
