"""The values of the catalogue's properties: coercion and its domains, sub-proxy types, and the appliers that set
them on VTK objects."""

from __future__ import annotations

import math

import pytest

from pvcore.domains import BoundsDomain
from pvcore.errors import PropertyError
from pvcore.schema import Property
from pvcore.values import coerce
from pvserver.pipeline import catalogue

pytestmark = pytest.mark.timeout(30)


def prop(group: str, name: str, prop_name: str) -> Property:
    return catalogue.get(group, name).property(prop_name)


# ------------------------------------------------------------------------------------------- coerce


@pytest.mark.parametrize(
    ("group", "name", "prop_name", "value"),
    [
        ("sources", "Sphere", "Radius", "big"),
        ("sources", "Sphere", "Radius", None),
        ("sources", "Sphere", "Radius", True),  # a bool is not a number here
        ("sources", "Sphere", "ThetaResolution", 8.5),
        ("sources", "Sphere", "ThetaResolution", "8"),
        ("sources", "Cone", "Capping", 2),
        ("sources", "Cone", "Capping", 1.0),
        ("sources", "Cone", "Capping", "yes"),
        ("filters", "Calculator", "Function", 3),
        ("filters", "Calculator", "ResultArrayName", ["a", 1]),
    ],
)
def test_coerce_refuses_wrong_types(group: str, name: str, prop_name: str, value: object) -> None:
    p = prop(group, name, prop_name)
    with pytest.raises(PropertyError) as info:
        coerce(p, value)
    assert info.value.property == prop_name
    assert prop_name in str(info.value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_coerce_refuses_non_finite_numbers(bad: float) -> None:
    with pytest.raises(PropertyError, match="Radius"):
        coerce(prop("sources", "Sphere", "Radius"), bad)
    with pytest.raises(PropertyError, match="Center"):
        coerce(prop("sources", "Sphere", "Center"), (0.0, bad, 0.0))


@pytest.mark.parametrize(
    ("group", "name", "prop_name", "value"),
    [
        ("sources", "Sphere", "Radius", -0.1),
        ("sources", "Sphere", "ThetaResolution", 2),
        ("sources", "Sphere", "EndPhi", 181),
        ("filters", "Shrink", "ShrinkFactor", 1.5),
        ("filters", "Tessellate", "OutputDimension", 0),
    ],
)
def test_coerce_refuses_values_outside_the_domain(group: str, name: str, prop_name: str, value: float) -> None:
    p = prop(group, name, prop_name)
    with pytest.raises(PropertyError) as info:
        coerce(p, value)
    assert p.domain_text() in str(info.value)  # says what is allowed
    assert repr(value) in str(info.value)  # and what was given


def test_coerce_accepts_boundaries_and_converts() -> None:
    assert coerce(prop("sources", "Sphere", "Radius"), 0) == (0.0,)
    assert isinstance(coerce(prop("sources", "Sphere", "Radius"), 2)[0], float)
    assert coerce(prop("sources", "Sphere", "ThetaResolution"), 3) == (3,)
    assert coerce(prop("sources", "Sphere", "ThetaResolution"), 16.0) == (16,)
    assert isinstance(coerce(prop("sources", "Sphere", "ThetaResolution"), 16.0)[0], int)
    assert coerce(prop("filters", "Shrink", "ShrinkFactor"), 1) == (1.0,)
    assert coerce(prop("sources", "Cone", "Capping"), True) == (1,)
    assert coerce(prop("sources", "Cone", "Capping"), 0) == (0,)
    assert coerce(prop("sources", "Sphere", "Center"), [1, 2.5, 3]) == (1.0, 2.5, 3.0)
    assert coerce(prop("filters", "Contour", "Isosurfaces"), 100) == (100.0,)
    assert coerce(prop("filters", "Contour", "Isosurfaces"), [1, 2, 3]) == (1.0, 2.0, 3.0)
    assert coerce(prop("filters", "Contour", "Isosurfaces"), []) == ()


def test_integers_must_fit_a_vtk_int() -> None:
    """VTK setters take a C int: a larger value must be refused here, not fail later on the ranks."""
    theta = prop("sources", "Sphere", "ThetaResolution")
    assert coerce(theta, 2**31 - 1) == (2**31 - 1,)
    for big in (2**31, 2**40, 2**70):
        with pytest.raises(PropertyError, match="ThetaResolution"):
            coerce(theta, big)
    with pytest.raises(PropertyError, match="WholeExtent"):
        coerce(prop("sources", "Wavelet", "WholeExtent"), (0, 2**40, 0, 1, 0, 1))
    with pytest.raises(PropertyError, match="WholeExtent"):
        coerce(prop("sources", "Wavelet", "WholeExtent"), (-(2**40), 1, 0, 1, 0, 1))


@pytest.mark.parametrize(
    ("group", "name", "prop_name", "value"),
    [
        ("sources", "Sphere", "Center", (1, 2)),
        ("sources", "Sphere", "Center", (1, 2, 3, 4)),
        ("sources", "Sphere", "Radius", (1, 2)),
        ("sources", "Wavelet", "WholeExtent", (0, 1, 0, 1, 0)),
        ("filters", "Elevation", "ScalarRange", 1.0),
    ],
)
def test_coerce_refuses_wrong_counts(group: str, name: str, prop_name: str, value: object) -> None:
    p = prop(group, name, prop_name)
    with pytest.raises(PropertyError) as info:
        coerce(p, value)
    assert str(p.count) in str(info.value)


def test_enum_accepts_its_labels_and_hints_the_nearest() -> None:
    p = prop("filters", "Threshold", "ThresholdMethod")
    for label in p.values:
        assert coerce(p, label) == (label,)
    with pytest.raises(PropertyError) as info:
        coerce(p, "Betwen")
    assert "did you mean 'Between'" in str(info.value)
    assert "Above Upper Threshold" in str(info.value)  # lists the allowed labels
    # ParaView's integer values: a label's position, unless the definition gives its numbers.
    assert coerce(p, 0) == (p.values[0],) and coerce(p, 2) == (p.values[2],)
    with pytest.raises(PropertyError):
        coerce(p, len(p.values))
    with pytest.raises(PropertyError) as info:
        coerce(prop("filters", "Calculator", "AttributeType"), "Cell")
    assert "'Cell Data'" in str(info.value)


def test_array_selections() -> None:
    p = prop("filters", "Contour", "ContourBy")
    assert coerce(p, ["POINTS", "RTData"]) == ("POINTS", "RTData")
    assert coerce(p, ("CELLS", "Normals")) == ("CELLS", "Normals")
    assert coerce(p, "RTData") == ("POINTS", "RTData")  # a bare name means a point array
    # No array: None, [None, ''] and [None, <anything>] (ParaView's traces write them where there is none).
    for none in (None, [None, ""], [None, "1"], []):
        assert coerce(p, none) == ("POINTS", "")
    for bad in (["POINT", "RTData"], ["POINTS", 3], ["POINTS", "a", "b"], 3, [3]):
        with pytest.raises(PropertyError) as info:
            coerce(p, bad)
        assert "POINTS, CELLS, FIELD" in str(info.value)


def test_subproxy_and_proxy_values() -> None:
    clip_type = prop("filters", "Clip", "ClipType")
    assert coerce(clip_type, "Sphere") == ("Sphere",)
    assert coerce(clip_type, 12) == (12,)
    with pytest.raises(PropertyError, match="'Plane'"):
        coerce(clip_type, "Torus")
    with pytest.raises(PropertyError):
        coerce(clip_type, True)
    glyph_type = prop("filters", "Glyph", "GlyphType")
    with pytest.raises(PropertyError):
        coerce(glyph_type, "Plane")  # an implicit function, not a glyph source
    inp = prop("filters", "Shrink", "Input")
    assert coerce(inp, 4) == (4,)
    assert coerce(inp, [4]) == (4,)
    for bad in ("Sphere1", True, [1, 2], 1.0):
        with pytest.raises(PropertyError, match="Input"):
            coerce(inp, bad)


# ------------------------------------------------------------------------------------------- sub-proxy types


def test_subproxy_spec_resolves_helper_types() -> None:
    clip_type = prop("filters", "Clip", "ClipType")
    assert catalogue.subproxy_spec(clip_type, "Sphere").group == "implicit_functions"
    assert catalogue.subproxy_spec(clip_type, "Sphere").vtk_class == "vtkSphere"
    glyph_type = prop("filters", "Glyph", "GlyphType")
    assert catalogue.subproxy_spec(glyph_type, "Sphere").vtk_class == "vtkSphereSource"
    for spec in catalogue.specs():
        for p in spec.properties:
            if p.kind == "subproxy":
                helpers = [s.name for s in catalogue.specs(p.subproxy_group)]
                assert p.subproxy_default in p.values and set(p.values) <= set(helpers), f"{spec.name}.{p.name}"


# ------------------------------------------------------------------------------------------- appliers


def test_conventions_of_the_appliers() -> None:
    assert prop("sources", "Sphere", "Radius").applier().method == "SetRadius"  # Set<Name>
    assert prop("filters", "Shrink", "Input").applier().kind == "input_port"  # a filter implies its Input
    assert prop("filters", "Contour", "ContourBy").applier().kind == "input_array"
    assert prop("filters", "Contour", "Isosurfaces").applier().kind == "values"
    method = prop("filters", "Threshold", "ThresholdMethod").applier()
    assert (method.kind, method.method) == ("enum_index", "SetThresholdFunction")
    assert prop("filters", "Glyph", "GlyphType").applier().index == 1  # the shape is port 1 of vtkGlyph3D
    assert prop("sources", "FileReader", "TimestepValues").applier().kind == "none"
    assert prop("sources", "FileReader", "FileName").file_path
    for group in ("views", "representations", "lookup_tables"):  # drawn by the renderer, never applied
        for spec in catalogue.specs(group):
            assert all(p.applier().kind in ("none", "input_port") for p in spec.properties), spec.name
    assert catalogue.get("filters", "Triangulate").property("Input").data_types == ("vtkPolyData",)


def test_none_labels_and_domains() -> None:
    scale = prop("filters", "Glyph", "ScaleArray")
    assert scale.means_no_array("No scale array") and scale.means_no_array("") and not scale.means_no_array("a")
    assert prop("filters", "Glyph", "ScaleFactor").domain == BoundsDomain("diagonal")
    for group, name, key in (("Plane", "Origin", 0), ("Sphere", "Center", 0), ("Box", "Position", 0)):
        assert catalogue.get("implicit_functions", group).property(name).domain == BoundsDomain("center"), key
