"""The ``simple`` API on the built-in session (no server): the connection, creating sources and filters, their
inputs and properties.

Expected numbers come from VTK run directly in the test process.
"""

from __future__ import annotations

import pytest
from vtk_references import counts, vtk_sphere

from pvcore.errors import (
    ConnectionClosedError,
    PropertyError,
    PVError,
)
from pvserver.pipeline import catalogue

pytestmark = pytest.mark.timeout(60)


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


def test_disconnect_with_a_namespace_closes_the_active_connection(simple) -> None:
    conn = simple.GetActiveConnection()
    sphere = simple.Sphere()
    simple.Disconnect(globals())  # ParaView's form: the first argument is a namespace
    assert conn.closed
    assert simple.GetActiveConnection() is None
    with pytest.raises(ConnectionClosedError):
        sphere.Radius  # noqa: B018
    assert simple.Sphere().GetRegistrationName() == "Sphere1"  # a fresh built-in session opens


# ------------------------------------------------------------------------------------------ creation


# Readers need a file (tests/multiprocess/test_data_io_readers.py and test_named_readers*.py cover them), and
# TableToPoints a table.
NEEDS_DATA = {"TableToPoints", "RectilinearDatatoPointSet"}  # and a rectilinear grid
#: Filters that work on other data than a surface, and the source they get instead of a Sphere.
OTHER_INPUT = {"Tube": "Line", "ExtractSubset": "Wavelet", "StreamTracer": "Wavelet"}
OTHER_INPUT.update({name: "Line" for name in ("RotationalExtrusion", "Ribbon", "DecimatePolyline")})
OTHER_INPUT.update({name: "Wavelet" for name in ("ImageShrink", "Median", "ImageDatatoPointSet", "GradientLegacy")})
#: Filters whose output is points without cells by ParaView's defaults (MaskPoints makes no vertices).
POINTS_ONLY = {"MaskPoints", "CellCenters"}
#: Filters that take several inputs on one port: their Input is a list (ParaView's multiple_input).
MULTIPLE_INPUTS = {"GroupDatasets", "AppendDatasets", "AppendAttributes"}
#: Filters of composite data: they get the Elevation grouped into a multiblock, with these settings.
COMPOSITE_INPUT = {"MergeBlocks": {}, "ExtractBlock": {"Selectors": ["/Root"]}}
#: Filters whose inputs are not one port called Input: the ports the input goes to.
NAMED_PORTS = {"ResampleWithDataset": ("SourceDataArrays", "DestinationMesh")}
#: Filters that need more of their input than a Sphere's Elevation has: the settings that give it to them.
SETTINGS = {"StreamTracer": {"Vectors": ["POINTS", "Gradient"]}}
SETTINGS["MergeVectorComponents"] = {"XArray": "Elevation", "YArray": "Elevation", "ZArray": "Elevation"}
#: Filters that need a filter between the Elevation and them (the streamlines follow the elevation's gradient).
BETWEEN = {"StreamTracer": "Gradient", "GenerateSurfaceTangents": "TextureMaptoSphere"}  # tangents need TCoords
#: Sources and filters that are empty by ParaView's defaults (no script; no selection).
EMPTY_BY_DEFAULT = {
    "ProgrammableSource",
    "ExtractSelection",
    "ExtractCellsByType",
    "TrivialProducer",
    "PVTrivialProducer",
}
#: Sources and filters whose output is not a dataset with points, and what it is instead.
OUTPUT_TYPES = {
    "Text": "vtkTable", "AnnotateTime": "vtkTable", "Histogram": "vtkTable", "AnnotateAttributeData": "vtkTable",
    "HyperTreeGrid": "vtkHyperTreeGrid", "HyperTreeGridRandom": "vtkHyperTreeGrid",
}  # fmt: skip


def _reads_files(spec: object) -> bool:
    return any(p.file_path for p in spec.properties)


def _assert_has_output(name: str, info: object) -> None:
    if name in EMPTY_BY_DEFAULT:
        assert info.GetNumberOfPoints() == 0, name
        return
    if name in OUTPUT_TYPES:
        assert info.GetDataClassName() == OUTPUT_TYPES[name], name
        if OUTPUT_TYPES[name] == "vtkHyperTreeGrid":
            assert info.GetNumberOfCells() > 0, name
        return
    assert info.GetNumberOfCells() > 0 or name in POINTS_ONLY, name
    assert info.GetNumberOfPoints() > 0, name


SOURCES = [s.name for s in catalogue.specs("sources") if s.name not in NEEDS_DATA and not _reads_files(s)]


@pytest.mark.parametrize("name", SOURCES)
def test_every_source_can_be_created_with_paraview_defaults(simple, name: str) -> None:
    proxy = getattr(simple, name)()
    spec = catalogue.get("sources", name)
    assert proxy.type_name == name
    assert proxy.GetRegistrationName() == f"{name}1"
    assert simple.GetActiveSource() == proxy
    for prop in spec.properties:
        value = proxy.GetPropertyValue(prop.name)
        if prop.kind == "subproxy":
            assert value.type_name == prop.subproxy_default, prop.name
            continue
        expected = prop.default[0] if prop.count == 1 else list(prop.default)
        assert value == expected, prop.name
    _assert_has_output(name, proxy.GetDataInformation())


@pytest.mark.parametrize("name", [s.name for s in catalogue.specs("filters") if s.name not in NEEDS_DATA])
def test_every_filter_can_be_created_and_run(simple, name: str) -> None:
    source = getattr(simple, OTHER_INPUT.get(name, "Sphere"))()
    elevation = simple.Elevation(Input=source, LowPoint=[0, 0, -0.5], HighPoint=[0, 0, 0.5])
    upstream = simple.GroupDatasets(Input=[elevation]) if name in COMPOSITE_INPUT else elevation
    if name in BETWEEN:
        upstream = getattr(simple, BETWEEN[name])(Input=upstream)
    ports = NAMED_PORTS.get(name, ("Input",))
    inputs = {port: upstream for port in ports}
    proxy = getattr(simple, name)(**inputs, **COMPOSITE_INPUT.get(name, {}), **SETTINGS.get(name, {}))
    assert proxy.type_name == name
    for port in ports:
        assert getattr(proxy, port) == ([upstream] if name in MULTIPLE_INPUTS else upstream)
    assert simple.GetActiveSource() == proxy
    _assert_has_output(name, proxy.GetDataInformation())


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
