"""ParaView's backwards compatibility (pvclient/backcompat.py) on the built-in session.

While ``paraview.compatibility`` names an older ParaView, the properties ParaView removed since read and write
through their replacements (the facts are ParaView 5.11's Wrapping/Python/paraview/_backwardscompatibilityhelper.py
and the scripts *BackwardsCompatibility*.py of Remoting/*/Testing/Python); with a newer version, or none, the old
name raises ParaView's NotSupportedException naming the replacement. Each translation is checked both ways, and
once where it no longer applies.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkImagingGeneral import vtkImageGradient

import paraview
from pvclient import backcompat
from pvcore.errors import PropertyError

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def newest() -> Iterator[None]:
    """Every test starts and ends with no compatibility version set (the newest)."""
    paraview.compatibility.major = paraview.compatibility.minor = None
    yield
    paraview.compatibility.major = paraview.compatibility.minor = None


def ask_for(major: int | None, minor: int | None = None) -> None:
    paraview.compatibility.major, paraview.compatibility.minor = major, minor


def test_the_version_compares_as_paraviews() -> None:
    version = paraview.compatibility.GetVersion()
    assert version.GetVersion() is None and not version <= 4.1 and version > (5, 11)  # none set: the newest
    ask_for(4, 1)
    version = paraview.compatibility.GetVersion()
    assert version <= 4.1 and not version < 4.1 and version >= (4, 1) and not version > 4.1
    assert backcompat.requested_version() == (4, 1) and backcompat.asks_for((5, 0)) and not backcompat.asks_for((4, 0))


def test_background_flags_set_and_read_the_background_mode(simple) -> None:
    view = simple.CreateView("RenderView")
    for flag in ("UseGradientBackground", "UseTexturedBackground", "UseSkyboxBackground"):
        with pytest.raises(paraview.NotSupportedException, match="BackgroundColorMode"):
            setattr(view, flag, 1)
        with pytest.raises(paraview.NotSupportedException, match=r"5\.9"):
            getattr(view, flag)
    ask_for(5, 9)
    view.UseGradientBackground = 1
    assert view.BackgroundColorMode == "Gradient" and view.UseGradientBackground == 1
    view.UseTexturedBackground = 1
    assert view.BackgroundColorMode == "Texture" and view.UseGradientBackground == 0
    view.UseGradientBackground = 0  # not the mode now: nothing changes
    assert view.BackgroundColorMode == "Texture"
    view.UseTexturedBackground = 0
    assert view.BackgroundColorMode == "Single Color" and view.UseTexturedBackground == 0
    view.UseSkyboxBackground = 1
    assert view.BackgroundColorMode == "Skybox" and view.UseSkyboxBackground == 1
    view.BackgroundColorMode = "Single Color"
    assert view.UseSkyboxBackground == 0


def test_threshold_range_is_the_lower_and_upper_thresholds_in_one_undoable_change(simple) -> None:
    threshold = simple.Threshold(Input=simple.Wavelet())
    threshold.Scalars = ["POINTS", "RTData"]
    threshold.ThresholdMethod = "Above Upper Threshold"
    with pytest.raises(paraview.NotSupportedException, match="LowerThreshold"):
        threshold.ThresholdRange = [100.0, 200.0]
    ask_for(5, 9)
    threshold.ThresholdRange = [100.0, 200.0]
    assert (threshold.LowerThreshold, threshold.UpperThreshold, threshold.ThresholdMethod) == (100.0, 200.0, "Between")
    assert threshold.ThresholdRange == [100.0, 200.0]
    threshold.UpdatePipeline()
    low, high = threshold.PointData["RTData"].GetRange()
    assert 100.0 <= low and high <= 200.0
    simple.Undo()  # one change: undo restores all three
    assert threshold.ThresholdMethod == "Above Upper Threshold" and threshold.UpperThreshold != 200.0


def test_lock_scalar_range_is_the_never_rescale_mode(simple) -> None:
    lut = simple.GetColorTransferFunction("Normals")
    with pytest.raises(paraview.NotSupportedException, match="AutomaticRescaleRangeMode"):
        _ = lut.LockScalarRange
    ask_for(5, 4)
    assert lut.LockScalarRange == 0 and type(lut.LockScalarRange) is int
    lut.LockScalarRange = 1
    assert lut.AutomaticRescaleRangeMode == "Never" and lut.LockScalarRange == 1
    lut.LockScalarRange = 0
    assert lut.AutomaticRescaleRangeMode == "Grow and update on 'Apply'"
    lut.AutomaticRescaleRangeMode = -1  # ParaView's numbers: vtkSMTransferFunctionManager.NEVER
    assert lut.LockScalarRange == 1


def test_color_attribute_type_and_the_bare_array_name_of_4_1(simple) -> None:
    simple.Sphere()
    rep = simple.Show()
    with pytest.raises(paraview.NotSupportedException, match="ColorArrayName"):
        _ = rep.ColorAttributeType
    assert rep.ColorArrayName == ["POINTS", ""]
    ask_for(4, 1)
    assert rep.ColorAttributeType == "POINT_DATA" and rep.ColorArrayName == ""
    rep.ColorAttributeType = "CELL_DATA"
    rep.ColorArrayName = "Normals"  # a bare name keeps the association, as in ParaView
    assert rep.ColorAttributeType == "CELL_DATA" and rep.ColorArrayName == "Normals"
    ask_for(None)
    assert rep.ColorArrayName == ["CELLS", "Normals"]


def test_scalar_bar_aspect_ratio_and_position2_are_its_thickness_and_length(simple) -> None:
    simple.Sphere()
    simple.Show()
    bar = simple.GetScalarBar(simple.GetColorTransferFunction("Normals"), simple.GetActiveView())
    for old in ("AspectRatio", "Position2"):
        with pytest.raises(paraview.NotSupportedException, match="ScalarBar"):
            getattr(bar, old)
    ask_for(5, 3)
    assert bar.Orientation == "Vertical" and bar.AspectRatio == 0.4 * 600 / bar.ScalarBarThickness
    bar.AspectRatio = 20.0  # ParaView's assumed 600-pixel span, the bar 40% of it
    assert bar.ScalarBarThickness == 12 and bar.AspectRatio == 20.0
    assert bar.Position2 == [0.05, bar.ScalarBarLength]
    bar.Position2 = [0.1, 0.2]
    assert bar.ScalarBarLength == 0.2 and bar.Position2 == [0.1, 0.2]
    bar.Orientation = "Horizontal"
    bar.Position2 = [0.5, 0.1]
    assert bar.ScalarBarLength == 0.5 and bar.Position2 == [0.5, 0.1]


def test_removed_properties_without_replacement_keep_a_value_on_the_object_only(simple) -> None:
    view = simple.CreateView("RenderView")
    with pytest.raises(paraview.NotSupportedException, match="clipping range"):
        view.CameraClippingRange = [0, 0, 0]
    ask_for(5, 0)
    assert view.CameraClippingRange == [0.0, 0.0, 0.0] and view.UseOffscreenRendering == 0
    view.UseOffscreenRendering = 1
    assert view.UseOffscreenRendering == 1
    assert "UseOffscreenRendering" not in view.ListProperties()
    ask_for(5, 5)
    with pytest.raises(paraview.NotSupportedException):
        _ = view.CameraClippingRange


def test_filter_properties_renamed_since(simple) -> None:
    ask_for(5, 4)
    clip = simple.Clip(Input=simple.Wavelet())
    assert clip.Invert == 0 and clip.InsideOut == 1  # ParaView 5.4's clip kept the other side by default
    clip.InsideOut = 0
    assert clip.Invert == 1 and clip.InsideOut == 0
    calculator = simple.Calculator(Input=clip)
    calculator.AttributeMode = 2  # the old numbers: 1 point data, 2 cell data
    assert calculator.AttributeType == "Cell Data" and calculator.AttributeMode == "Cell Data"
    ask_for(5, 6)
    box = simple.Clip(Input=simple.Wavelet(), ClipType="Box").ClipType
    box.Scale = [1.0, 2.0, 3.0]
    assert box.Length == [1.0, 2.0, 3.0] and box.Scale == [1.0, 2.0, 3.0]
    with pytest.raises(paraview.NotSupportedException, match="Invert"):
        _ = clip.InsideOut


def test_extract_block_indices_are_selectors(simple) -> None:
    extract = simple.ExtractBlock(Input=simple.Wavelet())
    ask_for(5, 9)
    extract.BlockIndices = [1, 3]
    assert extract.Selectors == ["//*[@cid='1']", "//*[@cid='3']"] and extract.BlockIndices == [1, 3]
    assert extract.PruneOutput == 1
    ask_for(5, 10)
    with pytest.raises(paraview.NotSupportedException, match="Selectors"):
        extract.BlockIndices = [2]


def test_old_creations(simple) -> None:
    wavelet = simple.Wavelet()
    assert simple.Gradient(Input=wavelet).GetXMLName() == "Gradient"
    assert simple.CreateView("RenderView").UseColorPaletteForBackground == 1
    ask_for(5, 9)
    assert simple.CreateView("RenderView").UseColorPaletteForBackground == 0
    legacy = simple.Gradient(Input=wavelet)
    assert legacy.GetXMLName() == "GradientLegacy" and legacy.SelectInputScalars == ["POINTS", "RTData"]
    legacy.UpdatePipeline()
    source = vtkRTAnalyticSource()
    gradient = vtkImageGradient()
    gradient.SetInputConnection(source.GetOutputPort())
    gradient.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    gradient.SetDimensionality(3)
    gradient.Update()
    expected = gradient.GetOutput().GetPointData().GetArray("RTDataGradient")
    found = legacy.PointData["RTDataGradient"]
    assert found.GetNumberOfComponents() == 3
    for component in range(3):
        assert found.GetRange(component) == pytest.approx(expected.GetRange(component))


def test_ordinary_names_are_untouched(simple) -> None:
    sphere = simple.Sphere()
    ask_for(5, 0)
    with pytest.raises(PropertyError, match="Radius"):
        sphere.Radiuss = 1.0
    with pytest.raises(AttributeError):
        _ = sphere.ThresholdRange  # a removed property of another type
    sphere.Radius = 2.0
    assert sphere.Radius == 2.0 and backcompat.find(sphere, "Radius") is None


def test_more_renamed_properties(simple) -> None:
    wavelet, sphere = simple.Wavelet(), simple.Sphere()
    resample = simple.ResampleWithDataset(SourceDataArrays=wavelet, DestinationMesh=sphere)
    ids = simple.GenerateIds(Input=wavelet)
    annotate = simple.AnnotateAttributeData(Input=wavelet)
    view = simple.CreateView("RenderView")
    rep = simple.Show(sphere, view)
    with pytest.raises(paraview.NotSupportedException, match="SourceDataArrays"):
        resample.Input = sphere
    ask_for(5, 0)
    resample.Input, resample.Source = sphere, wavelet
    assert (resample.SourceDataArrays, resample.DestinationMesh) == (sphere, wavelet)
    assert (resample.Input, resample.Source) == (sphere, wavelet)
    ids.ArrayName = "Ids"
    assert (ids.PointIdsArrayName, ids.CellIdsArrayName, ids.ArrayName) == ("Ids", "Ids", "Ids")
    annotate.ArrayAssociation, annotate.ArrayName = "Cell Data", "RTData"
    assert annotate.SelectInputArray == ["CELLS", "RTData"]
    assert (annotate.ArrayAssociation, annotate.ArrayName) == ("Cell Data", "RTData")
    view.OSPRayTemporalCacheSize = 3
    assert view.TemporalCacheSize == 3 and view.OSPRayTemporalCacheSize == 3
    assert rep.CubeAxesVisibility == 0 and rep.CubeAxesXTitle == ""


def test_values_renamed_since(simple) -> None:
    simple.Sphere()
    simple.Show()
    bar = simple.GetScalarBar(simple.GetColorTransferFunction("Normals"), simple.GetActiveView())
    with pytest.raises(paraview.NotSupportedException, match="'Upper Left Corner'"):
        bar.WindowLocation = "UpperLeftCorner"
    with pytest.raises(PropertyError):
        bar.WindowLocation = "Nowhere"  # no old value: the ordinary error
    ask_for(5, 9)
    bar.WindowLocation = "UpperLeftCorner"
    assert bar.WindowLocation == "Upper Left Corner"
    with pytest.raises(PropertyError):
        bar.WindowLocation = "Nowhere"


def test_old_preset_names(simple) -> None:
    wavelet = simple.Wavelet()
    simple.Show(wavelet)
    info = wavelet.PointData["RTData"]
    low, high = info.GetRange()
    with pytest.raises(RuntimeError, match="Red to Blue Rainbow"):
        simple.AssignLookupTable(info, "Red to Blue Rainbow")
    ask_for(5, 8)
    assert simple.AssignLookupTable(info, "Red to Blue Rainbow")
    lut = simple.GetColorTransferFunction("RTData")
    simple.AssignLookupTable(info, "jet")
    jet = list(lut.RGBPoints)
    lut.ApplyPreset("Blue to Red Rainbow", False)
    lut.RescaleTransferFunction(low, high)
    lut.InvertTransferFunction()
    inverted = list(lut.RGBPoints)
    simple.AssignLookupTable(info, "Red to Blue Rainbow")
    assert list(lut.RGBPoints) == pytest.approx(inverted) and inverted != jet
    lut.ApplyPreset("Jet", False)
    lut.RescaleTransferFunction(low, high)
    assert jet == pytest.approx(list(lut.RGBPoints))


def test_plot_over_line_for_5_9_is_the_legacy_filter_sampling_as_todays_uniform_one(simple) -> None:
    wavelet = simple.Wavelet()
    today = simple.PlotOverLine(Input=wavelet, Point1=[-10, -10, -10], Point2=[10, 10, 10], Resolution=50)
    paraview.compatibility.major, paraview.compatibility.minor = 5, 9
    try:
        legacy = simple.PlotOverLine(Input=wavelet, Point1=[-10, -10, -10], Point2=[10, 10, 10], Resolution=50)
    finally:
        paraview.compatibility.major = paraview.compatibility.minor = None
    assert (legacy.type_name, legacy.GetXMLName()) == ("PlotOverLineLegacy", "ProbeLineLegacy")
    ours, theirs = legacy.GetDataInformation(), today.GetDataInformation()
    assert ours.GetNumberOfPoints() == theirs.GetNumberOfPoints() == 51
    assert ours.PointData["RTData"].GetRange() == theirs.PointData["RTData"].GetRange()
