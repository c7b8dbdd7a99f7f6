"""The ``simple`` API on the built-in session (no server): proxies, pipeline, data information, errors.

Expected numbers come from VTK run directly in the test process.
"""

from __future__ import annotations

import pydoc

import pytest

from pvcore import messages
from pvcore.errors import (
    ConnectionClosedError,
    DependencyError,
    PipelineError,
    PropertyError,
    ProxyNotFoundError,
    PVError,
    UnknownProxyTypeError,
)
from pvserver.pipeline import catalogue

pytestmark = pytest.mark.timeout(60)


# ------------------------------------------------------------------------------------------ VTK references


def vtk_sphere(**kw):
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    src = vtkSphereSource()
    for key, value in kw.items():
        getattr(src, f"Set{key}")(value)
    src.Update()
    return src


def vtk_wavelet(extent=(-10, 10, -10, 10, -10, 10)):
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    src = vtkRTAnalyticSource()
    src.SetWholeExtent(*extent)
    src.Update()
    return src


def vtk_contour(source, array: str, value: float):
    from vtkmodules.vtkFiltersCore import vtkContourFilter

    contour = vtkContourFilter()
    contour.SetInputConnection(source.GetOutputPort())
    contour.SetInputArrayToProcess(0, 0, 0, 0, array)
    contour.SetValue(0, value)
    contour.ComputeScalarsOn()
    contour.Update()
    return contour.GetOutput()


def counts(data) -> tuple[int, int]:
    return data.GetNumberOfPoints(), data.GetNumberOfCells()


@pytest.fixture
def simple(simple_state):
    """``simple`` on a fresh built-in session."""
    simple_state.Connect()
    return simple_state


# ------------------------------------------------------------------------------------------ connection


def test_builtin_connection(simple) -> None:
    conn = simple.GetActiveConnection()
    assert conn is not None
    assert not conn.IsRemote()
    assert conn.GetNumberOfDataPartitions() == 1
    assert simple.servermanager.ActiveConnection is conn
    assert simple.servermanager.Connections == [conn]


def test_first_source_opens_the_builtin_session(simple_state) -> None:
    assert simple_state.GetActiveConnection() is None
    sphere = simple_state.Sphere()
    assert simple_state.GetActiveConnection() is sphere.connection
    assert not sphere.connection.IsRemote()


# ------------------------------------------------------------------------------------------ creation


# Readers need a file and TableToPoints a table: tests/multiprocess/test_data_io.py covers them.
NEEDS_DATA = {"FileReader", "TableToPoints"}


@pytest.mark.parametrize("name", [s.name for s in catalogue.specs("sources") if s.name not in NEEDS_DATA])
def test_every_source_can_be_created_with_paraview_defaults(simple, name: str) -> None:
    proxy = getattr(simple, name)()
    spec = catalogue.get("sources", name)
    assert proxy.GetXMLName() == name
    assert proxy.GetRegistrationName() == f"{name}1"
    assert simple.GetActiveSource() == proxy
    for prop in spec.properties:
        value = proxy.GetProperty(prop.name)
        expected = prop.default[0] if prop.count == 1 else list(prop.default)
        assert value == expected, prop.name
    info = proxy.GetDataInformation()
    assert info.GetNumberOfPoints() > 0


@pytest.mark.parametrize("name", [s.name for s in catalogue.specs("filters") if s.name not in NEEDS_DATA])
def test_every_filter_can_be_created_and_run(simple, name: str) -> None:
    sphere = simple.Sphere()
    elevation = simple.Elevation(Input=sphere, LowPoint=[0, 0, -0.5], HighPoint=[0, 0, 0.5])
    proxy = getattr(simple, name)(Input=elevation)
    assert proxy.GetXMLName() == name
    assert proxy.Input == elevation
    assert simple.GetActiveSource() == proxy
    info = proxy.GetDataInformation()
    assert info.GetNumberOfCells() > 0, name
    assert info.GetNumberOfPoints() > 0, name


def test_sphere_defaults(simple) -> None:
    sphere = simple.Sphere()
    assert sphere.Radius == 0.5
    assert sphere.ThetaResolution == 8
    assert sphere.PhiResolution == 8
    assert sphere.Center == [0.0, 0.0, 0.0]


def test_cone_and_wavelet_and_clip_defaults(simple) -> None:
    cone = simple.Cone()
    assert (cone.Resolution, cone.Height, cone.Radius) == (6, 1.0, 0.5)
    wavelet = simple.Wavelet()
    assert wavelet.WholeExtent == [-10, 10, -10, 10, -10, 10]
    assert wavelet.Maximum == 255.0
    assert wavelet.PointData.keys() == ["RTData"]
    clip = simple.Clip()
    assert clip.Invert == 1
    assert clip.ClipType.GetXMLName() == "Plane"


def test_input_defaults_to_the_active_source(simple) -> None:
    sphere = simple.Sphere()
    shrink = simple.Shrink()
    assert shrink.Input == sphere
    elevation = simple.Elevation()
    assert elevation.Input == shrink
    simple.SetActiveSource(sphere)
    other = simple.Shrink()
    assert other.Input == sphere


def test_positional_input(simple) -> None:
    sphere = simple.Sphere()
    cone = simple.Cone()
    shrink = simple.Shrink(sphere)
    assert shrink.Input == sphere
    assert simple.GetActiveSource() == shrink
    assert simple.Shrink(cone, ShrinkFactor=0.25).ShrinkFactor == 0.25


def test_filter_without_any_source_is_refused(simple) -> None:
    with pytest.raises(PropertyError, match="Input"):
        simple.Shrink()


@pytest.mark.parametrize("name", ["Shrink", "Contour", "Clip", "Threshold", "Glyph"])
def test_input_must_be_a_source_or_filter(simple, name: str) -> None:
    simple.Wavelet()
    helper = simple.Clip().ClipType  # an implicit function: produces no data
    before = simple.GetSources()
    with pytest.raises(PropertyError) as info:
        getattr(simple, name)(Input=helper)
    assert info.value.property == "Input"
    assert simple.GetSources() == before
    with pytest.raises(PropertyError):
        getattr(simple, name)(Input="Wavelet1")


def test_source_refuses_positional_input(simple) -> None:
    sphere = simple.Sphere()
    with pytest.raises(PropertyError):
        simple.Cone(sphere)


def test_keyword_properties_and_registration_name(simple) -> None:
    sphere = simple.Sphere(registrationName="Ball", Radius=2.0, ThetaResolution=16)
    assert sphere.GetRegistrationName() == "Ball"
    assert sphere.Radius == 2.0
    assert sphere.ThetaResolution == 16
    assert simple.Sphere().GetRegistrationName() == "Sphere1"
    assert simple.Sphere().GetRegistrationName() == "Sphere2"
    assert simple.Cone().GetRegistrationName() == "Cone1"


def test_setting_a_property_reaches_the_data(simple) -> None:
    sphere = simple.Sphere()
    sphere.ThetaResolution = 16
    sphere.PhiResolution = 12
    assert sphere.ThetaResolution == 16
    ref = vtk_sphere(ThetaResolution=16, PhiResolution=12).GetOutput()
    info = sphere.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref)
    sphere.SetPropertyWithName("Radius", 3.0)
    assert sphere.GetPropertyValue("Radius") == 3.0
    assert sphere.GetDataInformation().GetBounds()[5] == pytest.approx(3.0)


def test_a_change_that_fails_leaves_state_and_data_as_before(simple) -> None:
    sphere = simple.Sphere()
    conn = simple.GetActiveConnection()
    with pytest.raises(PVError):
        # Radius is fine; ThetaResolution does not fit VTK's int. Neither may be applied.
        conn.update(sphere, {"Radius": 2.0, "ThetaResolution": 2**40})
    assert sphere.Radius == 0.5
    assert sphere.ThetaResolution == 8
    ref = vtk_sphere().GetOutput()
    assert sphere.GetDataInformation().GetBounds() == pytest.approx(ref.GetBounds())


# ------------------------------------------------------------------------------------------ registry


def test_get_sources_find_rename(simple) -> None:
    sphere = simple.Sphere()
    shrink = simple.Shrink()
    sources = simple.GetSources()
    assert sources == {
        ("Sphere1", str(sphere.GlobalID)): sphere,
        ("Shrink1", str(shrink.GlobalID)): shrink,
    }
    assert simple.FindSource("Shrink1") == shrink
    assert simple.FindSource("NoSuch") is None
    simple.RenameSource("Small", shrink)
    assert shrink.GetRegistrationName() == "Small"
    assert simple.FindSource("Small") == shrink
    assert simple.FindSource("Shrink1") is None
    assert ("Small", str(shrink.GlobalID)) in simple.GetSources()
    simple.RenameSource("Renamed")  # the active source by default
    assert simple.GetActiveSource().GetRegistrationName() == "Renamed"


def test_get_sources_lists_no_helper_proxies(simple) -> None:
    simple.Wavelet()
    clip = simple.Clip()
    names = {name for name, _ in simple.GetSources()}
    assert names == {"Wavelet1", "Clip1"}
    assert clip.ClipType not in simple.GetSources().values()


def test_delete(simple) -> None:
    sphere = simple.Sphere()
    shrink = simple.Shrink()
    with pytest.raises(DependencyError) as info:
        simple.Delete(sphere)
    assert "Shrink1" in str(info.value)
    assert simple.FindSource("Sphere1") == sphere  # still there
    simple.Delete(shrink)
    assert simple.GetActiveSource() is None
    assert simple.FindSource("Shrink1") is None
    with pytest.raises(ProxyNotFoundError):
        shrink.ShrinkFactor  # noqa: B018 - reading a deleted proxy
    simple.Delete(sphere)
    assert simple.GetSources() == {}


def test_delete_takes_the_clip_function_along(simple) -> None:
    simple.Wavelet()
    clip = simple.Clip()
    plane_id = clip.ClipType.GlobalID
    simple.Delete(clip)
    assert plane_id not in simple.GetActiveConnection().states


def test_update_pipeline(simple) -> None:
    wavelet = simple.Wavelet()
    simple.UpdatePipeline()
    simple.UpdatePipeline(proxy=wavelet)
    wavelet.UpdatePipeline()
    wavelet.UpdatePipeline(0.0)
    simple.Delete(wavelet)
    with pytest.raises(PVError):
        simple.UpdatePipeline()  # no active source left


# ------------------------------------------------------------------------------------------ data information


def test_sphere_information_matches_vtk(simple) -> None:
    info = simple.Sphere().GetDataInformation()
    ref = vtk_sphere().GetOutput()
    assert info.GetNumberOfPoints() == ref.GetNumberOfPoints()
    assert info.GetNumberOfCells() == ref.GetNumberOfCells()
    assert info.GetBounds() == pytest.approx(ref.GetBounds())
    assert info.GetDataSetTypeAsString() == "vtkPolyData"
    assert info.GetNumberOfPartitions() == 1
    assert set(info.PointData.keys()) == {"Normals"}


def test_wavelet_information_matches_vtk(simple) -> None:
    wavelet = simple.Wavelet()
    ref = vtk_wavelet().GetOutput()
    info = wavelet.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref)
    assert info.GetBounds() == pytest.approx(ref.GetBounds())
    assert info.GetExtent() == tuple(ref.GetExtent())
    assert wavelet.PointData["RTData"].GetRange() == pytest.approx(ref.GetPointData().GetArray("RTData").GetRange())
    assert wavelet.PointData["RTData"].GetNumberOfComponents() == 1


def test_contour_information_matches_vtk(simple) -> None:
    simple.Wavelet()
    contour = simple.Contour()
    assert contour.ContourBy == ["POINTS", "RTData"]
    lo, hi = vtk_wavelet().GetOutput().GetPointData().GetArray("RTData").GetRange()
    assert contour.Isosurfaces == [pytest.approx((lo + hi) / 2)]  # ParaView's default: the middle of the range
    ref = vtk_contour(vtk_wavelet(), "RTData", contour.Isosurfaces[0])
    info = contour.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref)
    assert info.GetBounds() == pytest.approx(ref.GetBounds())
    assert contour.PointData["RTData"].GetRange() == pytest.approx(ref.GetPointData().GetArray("RTData").GetRange())


def test_changing_isosurfaces_reexecutes(simple) -> None:
    simple.Wavelet()
    contour = simple.Contour(Isosurfaces=[100.0, 200.0])
    from vtkmodules.vtkFiltersCore import vtkContourFilter

    src = vtk_wavelet()  # kept alive while the contour runs
    ref = vtkContourFilter()
    ref.SetInputConnection(src.GetOutputPort())
    ref.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    ref.SetValue(0, 100.0)
    ref.SetValue(1, 200.0)
    ref.Update()
    assert contour.GetDataInformation().GetNumberOfCells() == ref.GetOutput().GetNumberOfCells()
    contour.Isosurfaces = [150.0]
    expected = vtk_contour(vtk_wavelet(), "RTData", 150.0).GetNumberOfCells()
    assert contour.GetDataInformation().GetNumberOfCells() == expected


def test_clip_keeps_the_inverted_side_like_vtk(simple) -> None:
    from vtkmodules.vtkCommonDataModel import vtkPlane
    from vtkmodules.vtkFiltersGeneral import vtkTableBasedClipDataSet

    simple.Wavelet()
    clip = simple.Clip()
    clip.ClipType.Origin = [2.5, 0, 0]
    plane = vtkPlane()
    plane.SetOrigin(2.5, 0, 0)
    plane.SetNormal(1, 0, 0)
    src = vtk_wavelet()
    ref = vtkTableBasedClipDataSet()
    ref.SetInputConnection(src.GetOutputPort())
    ref.SetClipFunction(plane)
    ref.InsideOutOn()
    ref.Update()
    info = clip.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref.GetOutput())
    assert info.GetBounds() == pytest.approx(ref.GetOutput().GetBounds())
    assert info.GetBounds()[1] == pytest.approx(2.5)  # the side behind the plane's normal
    clip.Invert = 0
    assert clip.GetDataInformation().GetBounds()[0] == pytest.approx(2.5)


def test_calculator_result_matches_vtk(simple) -> None:
    wavelet = simple.Wavelet()
    calc = simple.Calculator(Function="RTData*2", ResultArrayName="Twice")
    lo, hi = vtk_wavelet().GetOutput().GetPointData().GetArray("RTData").GetRange()
    assert calc.PointData["Twice"].GetRange() == pytest.approx((2 * lo, 2 * hi), rel=1e-6)
    assert calc.GetDataInformation().GetNumberOfPoints() == wavelet.GetDataInformation().GetNumberOfPoints()


def test_shrink_and_elevation_match_vtk(simple) -> None:
    from vtkmodules.vtkFiltersCore import vtkElevationFilter
    from vtkmodules.vtkFiltersGeneral import vtkShrinkFilter

    simple.Sphere()
    elevation = simple.Elevation(LowPoint=[0, 0, -1], HighPoint=[0, 0, 1])
    shrink = simple.Shrink(ShrinkFactor=0.25)
    src = vtk_sphere()
    ref_elev = vtkElevationFilter()
    ref_elev.SetInputConnection(src.GetOutputPort())
    ref_elev.SetLowPoint(0, 0, -1)
    ref_elev.SetHighPoint(0, 0, 1)
    ref_shrink = vtkShrinkFilter()
    ref_shrink.SetInputConnection(ref_elev.GetOutputPort())
    ref_shrink.SetShrinkFactor(0.25)
    ref_shrink.Update()
    expected_range = ref_elev.GetOutput().GetPointData().GetArray("Elevation").GetRange()
    assert elevation.PointData["Elevation"].GetRange() == pytest.approx(expected_range)
    info = shrink.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref_shrink.GetOutput())
    assert info.GetBounds() == pytest.approx(ref_shrink.GetOutput().GetBounds())


def test_threshold_matches_vtk(simple) -> None:
    from vtkmodules.vtkFiltersCore import vtkThreshold

    simple.Wavelet()
    threshold = simple.Threshold(Scalars=["POINTS", "RTData"], LowerThreshold=100, UpperThreshold=150)
    src = vtk_wavelet()
    ref = vtkThreshold()
    ref.SetInputConnection(src.GetOutputPort())
    ref.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    ref.SetLowerThreshold(100)
    ref.SetUpperThreshold(150)
    ref.SetThresholdFunction(vtkThreshold.THRESHOLD_BETWEEN)
    ref.Update()
    assert threshold.GetDataInformation().GetNumberOfCells() == ref.GetOutput().GetNumberOfCells()
    threshold.ThresholdMethod = "Above Upper Threshold"
    ref.SetThresholdFunction(vtkThreshold.THRESHOLD_UPPER)
    ref.Update()
    assert threshold.GetDataInformation().GetNumberOfCells() == ref.GetOutput().GetNumberOfCells()


def test_slice_and_transform_match_vtk(simple) -> None:
    from vtkmodules.vtkCommonDataModel import vtkPlane
    from vtkmodules.vtkFiltersCore import vtkCutter

    wavelet = simple.Wavelet()
    sliced = simple.Slice(Input=wavelet)
    sliced.SliceType.Normal = [0, 0, 1]
    sliced.SliceType.Origin = [0, 0, 2.5]
    src = vtk_wavelet()
    plane = vtkPlane()
    plane.SetNormal(0, 0, 1)
    plane.SetOrigin(0, 0, 2.5)
    ref = vtkCutter()
    ref.SetInputConnection(src.GetOutputPort())
    ref.SetCutFunction(plane)
    ref.Update()
    info = sliced.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref.GetOutput())
    assert info.GetBounds()[4:] == pytest.approx((2.5, 2.5))
    moved = simple.Transform(Input=wavelet)
    moved.Transform.Translate = [1, 2, 3]
    shifted = [v + (1, 2, 3)[i // 2] for i, v in enumerate(src.GetOutput().GetBounds())]
    assert moved.GetDataInformation().GetBounds() == pytest.approx(shifted)


def test_disconnect_with_a_namespace_closes_the_active_connection(simple) -> None:
    conn = simple.GetActiveConnection()
    sphere = simple.Sphere()
    simple.Disconnect(globals())  # ParaView's form: the first argument is a namespace
    assert conn.closed
    assert simple.GetActiveConnection() is None
    with pytest.raises(ConnectionClosedError):
        sphere.Radius  # noqa: B018
    assert simple.Sphere().GetRegistrationName() == "Sphere1"  # a fresh built-in session opens


def test_point_data_mapping(simple) -> None:
    wavelet = simple.Wavelet()
    arrays = wavelet.PointData
    assert "RTData" in arrays
    assert list(arrays) == arrays.keys()
    assert len(arrays) == arrays.GetNumberOfArrays() == 1
    assert arrays.GetArray("NoSuch") is None
    with pytest.raises(KeyError, match="RTData"):
        arrays["NoSuch"]
    assert wavelet.CellData.keys() == []


# ------------------------------------------------------------------------------------------ help and listing


def test_list_properties(simple) -> None:
    sphere = simple.Sphere()
    assert sphere.ListProperties() == [p.name for p in catalogue.get("sources", "Sphere").properties]
    clip = simple.Clip()
    assert {"Input", "ClipType", "Invert"} <= set(clip.ListProperties())


def test_help_lists_the_properties(simple) -> None:
    for proxy in (simple.Wavelet(), simple.Contour(), simple.Clip()):
        text = pydoc.render_doc(proxy, renderer=pydoc.plaintext)
        for name in proxy.ListProperties():
            assert name in text
    text = pydoc.render_doc(simple.Sphere(), renderer=pydoc.plaintext)
    assert "Radius = 0.5" in text
    assert simple.Sphere.__doc__ == catalogue.describe(catalogue.get("sources", "Sphere"))
    assert "ThetaResolution" in pydoc.render_doc(simple.Sphere, renderer=pydoc.plaintext)


# ------------------------------------------------------------------------------------------ errors


def test_property_errors(simple) -> None:
    sphere = simple.Sphere()
    with pytest.raises(PropertyError) as info:
        sphere.Radius = -1
    assert info.value.property == "Radius"
    with pytest.raises(PropertyError):
        sphere.Radius = "big"
    with pytest.raises(PropertyError, match="Did you mean Radius"):
        sphere.Radus = 1.0
    with pytest.raises(PropertyError, match="Did you mean Radius"):
        simple.Sphere(Radus=1.0)
    with pytest.raises(PropertyError, match="Center"):
        sphere.Center = [1, 2]
    with pytest.raises(PropertyError, match="did you mean 'Between'"):
        simple.Threshold(Input=simple.Wavelet(), ThresholdMethod="Betwen")
    assert sphere.Radius == 0.5  # nothing changed


def test_unknown_proxy_type(simple) -> None:
    conn = simple.GetActiveConnection()
    with pytest.raises(UnknownProxyTypeError, match="Did you mean Sphere"):
        conn.create("sources", "Spere")
    # The server's own check, for a client that skips the local one.
    with pytest.raises(UnknownProxyTypeError, match="Did you mean Contour"):
        conn.request(messages.CreateProxy("filters", "Contuor"))


def test_bad_calculator_function_is_a_pipeline_error(simple) -> None:
    simple.Wavelet()
    calc = simple.Calculator(Function="RTData*")
    with pytest.raises(PipelineError) as info:
        calc.UpdatePipeline()
    assert info.value.proxy_name == "Calculator1"
    assert "Calculator1" in str(info.value)
    assert "RTData*" in str(info.value)
    calc.Function = "RTData+1"  # the session recovers
    assert "Result" in list(calc.PointData.keys())


def test_triangulate_on_image_data_is_a_pipeline_error(simple) -> None:
    simple.Wavelet()
    tri = simple.Triangulate()
    with pytest.raises(PipelineError) as info:
        tri.GetDataInformation()
    assert "vtkPolyData" in str(info.value)
    assert "vtkImageData" in str(info.value)
    assert info.value.proxy_name == "Triangulate1"


def test_contour_by_a_missing_array_is_a_pipeline_error(simple) -> None:
    simple.Wavelet()
    contour = simple.Contour(ContourBy=["POINTS", "NoSuch"], Isosurfaces=[1.0])
    with pytest.raises(PipelineError) as info:
        contour.UpdatePipeline()
    assert info.value.property == "ContourBy"
    assert "RTData" in str(info.value)  # names the arrays that exist


# ------------------------------------------------------------------------------------------ sub-proxies


def test_clip_type_change(simple) -> None:
    simple.Wavelet()
    clip = simple.Clip()
    plane = clip.ClipType
    assert plane.GetXMLName() == "Plane"
    assert plane.Origin == [0.0, 0.0, 0.0]
    assert plane.Normal == [1.0, 0.0, 0.0]
    clip.ClipType = "Sphere"
    assert clip.ClipType.GetXMLName() == "Sphere"
    assert clip.ClipType.GetXMLGroup() == "implicit_functions"
    assert plane.GlobalID not in simple.GetActiveConnection().states
    clip.ClipType.Radius = 5.0
    # Inverted clip by a sphere of radius 5 at the centre: the cells near the centre.
    bounds = clip.GetDataInformation().GetBounds()
    assert all(abs(b) <= 6 for b in bounds)
    with pytest.raises(PropertyError, match="'Plane'"):
        clip.ClipType = "Cylinder"


def test_subproxy_defaults_are_centred_on_the_input(simple) -> None:
    wavelet = simple.Wavelet(WholeExtent=[0, 10, 0, 20, 0, 4])
    bounds = vtk_wavelet((0, 10, 0, 20, 0, 4)).GetOutput().GetBounds()
    center = [(bounds[2 * i] + bounds[2 * i + 1]) / 2 for i in range(3)]
    clip = simple.Clip(Input=wavelet)
    assert clip.ClipType.Origin == pytest.approx(center)
    clip.ClipType = "Sphere"
    assert clip.ClipType.Center == pytest.approx(center)
    sliced = simple.Slice(Input=wavelet)
    assert sliced.SliceType.Origin == pytest.approx(center)
