"""Property objects (``proxy.GetProperty(name)``) and the property functions of ``simple`` on the built-in
session: ParaView's classes and list API, changes sent at once (``SetData``, item assignment) or staged until
``UpdateProperty`` (``SetElement``, ``ResetToDefault``), ParaView's defaults from the data, ``proxy.SMProxy``."""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersGeneral import vtkShrinkFilter
from vtkmodules.vtkFiltersSources import vtkConeSource
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

import paraview
from pvclient.properties import (
    ArraySelectionProperty,
    EnumerationProperty,
    InputProperty,
    ProxyProperty,
    VectorProperty,
)
from pvcore.errors import PropertyError
from simple import servermanager


def shrunk_cone_counts(resolution: int) -> tuple[int, int]:
    """Cells and points of Shrink(Cone(Resolution)) computed by VTK here."""
    cone = vtkConeSource()
    cone.SetResolution(resolution)
    shrink = vtkShrinkFilter()
    shrink.SetInputConnection(cone.GetOutputPort())
    shrink.Update()
    return shrink.GetOutput().GetNumberOfCells(), shrink.GetOutput().GetNumberOfPoints()


def rtdata_range() -> tuple[float, float]:
    wavelet = vtkRTAnalyticSource()
    wavelet.Update()
    return wavelet.GetOutput().GetPointData().GetArray("RTData").GetRange()


def test_property_classes_as_paraview_chooses_them(simple) -> None:
    wavelet = simple.Wavelet()
    contour = simple.Contour(Input=wavelet)
    clip = simple.Clip(Input=wavelet)
    threshold = simple.Threshold(Input=wavelet)
    assert type(wavelet.GetProperty("WholeExtent")) is VectorProperty
    assert type(contour.GetProperty("ContourBy")) is ArraySelectionProperty
    assert type(contour.GetProperty("Input")) is InputProperty
    assert type(clip.GetProperty("ClipType")) is ProxyProperty
    assert type(threshold.GetProperty("ThresholdMethod")) is EnumerationProperty
    methods = simple.GetActiveConnection().catalogue.get("filters", "Threshold").property("ThresholdMethod").values
    assert threshold.GetProperty("ThresholdMethod").Available == list(methods) and len(methods) > 1
    assert clip.GetProperty("ClipType").Available[:2] == ["Plane", "Sphere"]
    assert wavelet.GetProperty("NoSuchProperty") is None  # as ParaView answers: scripts test it with `if`


def test_list_api(simple) -> None:
    cone = simple.Cone(Resolution=15)
    resolution, center = cone.GetProperty("Resolution"), cone.GetProperty("Center")
    assert (len(resolution), resolution[0], resolution.GetData(), list(resolution)) == (1, 15, 15, [15])
    assert resolution == 15 and repr(resolution) == "15" and resolution.Name == "Resolution"
    assert len(center) == 3 and center[1:] == [0.0, 0.0] and center[-1] == 0.0 and center == [0, 0, 0]
    assert cone.GetProperty("Input") is None
    shrink = simple.Shrink(Input=cone)
    assert shrink.GetProperty("Input")[0] == cone and shrink.GetProperty("Input").GetData() == cone
    contour = simple.Contour(Input=simple.Wavelet())
    selection = contour.GetProperty("ContourBy")
    assert selection[:] == ["POINTS", "RTData"]
    assert (selection.GetAssociation(), selection.GetArrayName()) == ("POINTS", "RTData")


def test_set_data_and_item_assignment_are_sent_at_once(simple) -> None:
    cone = simple.Cone()
    center = cone.GetProperty("Center")
    center[1] = 2.0
    assert cone.state.properties["Center"] == (0.0, 2.0, 0.0)  # the server's state, not only the client's
    center.SetData([1, 2, 3])
    assert cone.Center == [1.0, 2.0, 3.0] and cone.GetDataInformation().GetBounds()[4] > 2.0
    with pytest.raises(IndexError):
        center[3] = 1.0
    with pytest.raises(PropertyError, match="Center"):
        center.SetData([1, 2])
    reader = servermanager.sources.FileReader()  # no file yet: on the client until its FileName is set
    with pytest.raises(PropertyError, match="computed by the server"):
        reader.GetProperty("TimestepValues").SetData([1.0])


def test_set_element_is_staged_until_update_property(simple) -> None:
    """PythonPVSimpleCone's sequence; what ParaView 5.11 prints for it (checked): the staged value is read back at
    once, UpdatePipeline alone keeps the old data, UpdateProperty applies it."""
    cone = simple.Cone(Resolution=12)
    shrink = simple.Shrink(Input=cone)
    assert (shrink.GetDataInformation().GetNumberOfCells(), shrink.GetDataInformation().GetNumberOfPoints()) == (
        shrunk_cone_counts(12)
    )
    resolution = cone.GetProperty("Resolution")
    assert resolution.SetElement(0, 33) == 1
    assert cone.Resolution == 33 and resolution[0] == 33  # read back before it is sent
    shrink.UpdatePipeline()
    assert shrink.GetDataInformation().GetNumberOfCells() == shrunk_cone_counts(12)[0]
    cone.UpdateProperty("Resolution")
    info = shrink.GetDataInformation()
    assert (info.GetNumberOfCells(), info.GetNumberOfPoints()) == shrunk_cone_counts(33)
    resolution.SetElement(0, 20)
    cone.Height = 2.0  # any change of the proxy sends what is staged too, as ParaView's UpdateVTKObjects does
    assert cone.state.properties["Resolution"] == (20,) and cone.state.properties["Height"] == (2.0,)
    with pytest.raises(PropertyError):
        resolution.SetElement(0, "many")
    with pytest.raises(IndexError):
        resolution.SetElement(1, 3)


def test_reset_to_default_computes_paravews_default_from_the_data(simple) -> None:
    low, high = rtdata_range()
    threshold = simple.Threshold(Input=simple.Wavelet())
    assert threshold.LowerThreshold == pytest.approx(low)  # the server's default at creation
    threshold.LowerThreshold = 100.0
    threshold.SMProxy.GetProperty("LowerThreshold").ResetToDefault()
    assert threshold.LowerThreshold == pytest.approx(low)  # staged, read back
    assert threshold.state.properties["LowerThreshold"] == (100.0,)
    threshold.UpdateVTKObjects()
    assert threshold.state.properties["LowerThreshold"][0] == pytest.approx(low)
    threshold.UpperThreshold = 150.0
    simple.SetActiveSource(threshold)
    simple.ResetProperty("UpperThreshold")
    assert threshold.state.properties["UpperThreshold"][0] == pytest.approx(high)
    cone = simple.Cone(Resolution=30)
    simple.ResetProperty("Resolution", cone)  # no domain: the definition's default
    assert cone.Resolution == 6


def test_simple_property_functions(simple) -> None:
    sphere = simple.Sphere()
    simple.SetProperties(sphere, Radius=2.0, ThetaResolution=20)
    assert sphere.state.properties["Radius"] == (2.0,) and sphere.ThetaResolution == 20
    assert simple.GetProperty(sphere, "Radius") == 2.0
    assert simple.GetProperty("ThetaResolution") == 20  # of the active source
    assert simple.GetProperty(proxy=sphere, name="Radius").GetData() == 2.0
    sphere.SetPropertyWithName("Radius", 3.0)
    assert sphere.GetPropertyValue("Radius") == 3.0 and sphere.GetPropertyValue("Raduis") is None
    with pytest.raises(PropertyError, match="Radius"):
        simple.SetProperties(sphere, Raduis=1.0)
    rep = simple.Show(sphere)
    assert simple.GetDisplayProperty("Opacity") == rep.Opacity
    simple.SetViewProperties(Background=[0.0, 0.0, 1.0])
    assert simple.GetViewProperty("Background") == [0.0, 0.0, 1.0]


def test_helper_and_iteration(simple) -> None:
    clip = simple.Clip(Input=simple.Wavelet())
    clip_type = clip.GetProperty("ClipType")
    clip_type.SetData("Sphere")
    assert clip.ClipType.GetXMLName() == "Sphere" and clip_type.GetData() == clip.ClipType
    names = [prop.Name for prop in clip]
    assert names == clip.ListProperties()


def test_sm_proxy_stands_in_for_the_cpp_proxy(simple) -> None:
    cone = simple.Cone()
    sm = cone.SMProxy
    assert (sm.GetXMLName(), sm.GetXMLGroup(), cone.GetXMLLabel()) == ("ConeSource", "sources", "Cone")
    assert sm.GetGlobalIDAsString() == cone.GetGlobalIDAsString() == str(cone.GlobalID)
    assert sm.IsA("vtkSMSourceProxy") and not sm.IsA("vtkSMRenderViewProxy") and sm == cone.SMProxy
    assert simple.Shrink(Input=cone).Input.GetAddressAsString("") == cone.GetAddressAsString("")
    assert sm.GetSession() == simple.GetActiveConnection().Session
    with pytest.raises(paraview.NotSupportedException, match="GetVTKClassName"):
        sm.GetVTKClassName()
    with pytest.raises(AttributeError):
        _ = cone.NoSuchMethod
