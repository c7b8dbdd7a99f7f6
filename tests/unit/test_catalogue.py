"""The declarative proxy catalogue: ParaView's defaults, value coercion, lookup hints and help text."""

from __future__ import annotations

import math
import re

import pytest

from pvcore.errors import PropertyError, UnknownProxyTypeError
from pvcore.messages import ProxyState
from pvserver.pipeline import catalogue

pytestmark = pytest.mark.timeout(30)

# The sources and filters the foundation issue asks for.
SOURCES = ["Sphere", "Cone", "Cylinder", "Box", "Plane", "Line", "PointSource", "Wavelet"]
FILTERS = [
    "Contour",
    "Clip",
    "Slice",
    "Threshold",
    "Calculator",
    "Elevation",
    "Shrink",
    "ExtractSurface",
    "Glyph",
    "CellDatatoPointData",
    "PointDatatoCellData",
    "Triangulate",
    "Tessellate",
    "Transform",
]


# Groups whose proxies become pipeline objects (VTK algorithms and their helpers) on every rank.
PIPELINE_OBJECT_GROUPS = ("sources", "filters", "implicit_functions", "glyph_sources", "transforms")
PIPELINE_OBJECT_SPECS = [s for g in PIPELINE_OBJECT_GROUPS for s in catalogue.specs(g)]


def prop(group: str, name: str, prop_name: str) -> catalogue.Property:
    return catalogue.get(group, name).property(prop_name)


# ------------------------------------------------------------------------------------------- existence


@pytest.mark.parametrize("name", SOURCES)
def test_every_source_exists_without_input(name: str) -> None:
    spec = catalogue.get("sources", name)
    assert spec.name == name and spec.group == "sources"
    assert not spec.has_input
    assert name in [s.name for s in catalogue.specs("sources")]


@pytest.mark.parametrize("name", FILTERS)
def test_every_filter_exists_with_an_input(name: str) -> None:
    spec = catalogue.get("filters", name)
    assert spec.has_input
    assert spec.property("Input").kind == "proxy"
    assert name in [s.name for s in catalogue.specs("filters")]


@pytest.mark.parametrize("spec", PIPELINE_OBJECT_SPECS, ids=lambda s: f"{s.group}-{s.name}")
def test_every_spec_maps_to_a_vtk_object_with_its_setters(spec: catalogue.ProxySpec) -> None:
    """Each proxy type builds on a real VTK class, and every setter the catalogue names exists on it."""
    from pvserver.pipeline.objects import make_object

    obj = make_object(ProxyState(1, spec.group, spec.name, "x", {}), {})
    for p in spec.properties:
        if p.setter:
            assert callable(getattr(obj.vtk, p.setter, None)), f"{spec.name}.{p.name}: no {p.setter} on the object"


@pytest.mark.parametrize("spec", catalogue.specs(), ids=lambda s: f"{s.group}-{s.name}")
def test_every_default_passes_its_own_validation(spec: catalogue.ProxySpec) -> None:
    for p in spec.properties:
        if p.kind in ("proxy", "subproxy") or (p.default_from and not p.default):
            continue
        assert catalogue.coerce(p, p.default) == p.default, p.name


# ------------------------------------------------------------------------------------------- defaults


def test_sphere_defaults_match_paraview() -> None:
    d = catalogue.get("sources", "Sphere").defaults()
    assert d["Radius"] == (0.5,)
    assert d["ThetaResolution"] == (8,)
    assert d["PhiResolution"] == (8,)
    assert d["Center"] == (0.0, 0.0, 0.0)


def test_cone_defaults_match_paraview() -> None:
    d = catalogue.get("sources", "Cone").defaults()
    assert d["Resolution"] == (6,)
    assert d["Height"] == (1.0,)
    assert d["Radius"] == (0.5,)


def test_wavelet_defaults_match_paraview() -> None:
    d = catalogue.get("sources", "Wavelet").defaults()
    assert d["WholeExtent"] == (-10, 10, -10, 10, -10, 10)
    assert d["Maximum"] == (255.0,)


def test_clip_inverts_by_default_and_cuts_with_a_plane() -> None:
    spec = catalogue.get("filters", "Clip")
    assert spec.defaults()["Invert"] == (1,)
    assert spec.property("Invert").setter == "SetInsideOut"
    assert spec.property("ClipType").kind == "subproxy"
    assert catalogue.SUBPROXY_DEFAULTS["ClipType"] == "Plane"
    assert {"Plane", "Sphere", "Box"} <= set(spec.property("ClipType").values)


def test_contour_threshold_slice_have_paraview_properties() -> None:
    contour = catalogue.get("filters", "Contour")
    assert contour.property("ContourBy").kind == "array"
    assert contour.property("ContourBy").default_from == "first_point_array"
    assert contour.property("Isosurfaces").count is None  # a list
    assert contour.defaults()["ComputeScalars"] == (1,)
    threshold = catalogue.get("filters", "Threshold")
    for name in ("LowerThreshold", "UpperThreshold", "ThresholdMethod"):
        threshold.property(name)
    slice_ = catalogue.get("filters", "Slice")
    assert catalogue.SUBPROXY_DEFAULTS["SliceType"] == "Plane"
    assert slice_.property("SliceOffsetValues").count is None


def test_defaults_omit_proxy_and_subproxy_properties() -> None:
    d = catalogue.get("filters", "Clip").defaults()
    assert "Input" not in d and "ClipType" not in d


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
        catalogue.coerce(p, value)
    assert info.value.property == prop_name
    assert prop_name in str(info.value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_coerce_refuses_non_finite_numbers(bad: float) -> None:
    with pytest.raises(PropertyError, match="Radius"):
        catalogue.coerce(prop("sources", "Sphere", "Radius"), bad)
    with pytest.raises(PropertyError, match="Center"):
        catalogue.coerce(prop("sources", "Sphere", "Center"), (0.0, bad, 0.0))


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
        catalogue.coerce(p, value)
    assert p.domain_text() in str(info.value)  # says what is allowed
    assert repr(value) in str(info.value)  # and what was given


def test_coerce_accepts_boundaries_and_converts() -> None:
    assert catalogue.coerce(prop("sources", "Sphere", "Radius"), 0) == (0.0,)
    assert isinstance(catalogue.coerce(prop("sources", "Sphere", "Radius"), 2)[0], float)
    assert catalogue.coerce(prop("sources", "Sphere", "ThetaResolution"), 3) == (3,)
    assert catalogue.coerce(prop("sources", "Sphere", "ThetaResolution"), 16.0) == (16,)
    assert isinstance(catalogue.coerce(prop("sources", "Sphere", "ThetaResolution"), 16.0)[0], int)
    assert catalogue.coerce(prop("filters", "Shrink", "ShrinkFactor"), 1) == (1.0,)
    assert catalogue.coerce(prop("sources", "Cone", "Capping"), True) == (1,)
    assert catalogue.coerce(prop("sources", "Cone", "Capping"), 0) == (0,)
    assert catalogue.coerce(prop("sources", "Sphere", "Center"), [1, 2.5, 3]) == (1.0, 2.5, 3.0)
    assert catalogue.coerce(prop("filters", "Contour", "Isosurfaces"), 100) == (100.0,)
    assert catalogue.coerce(prop("filters", "Contour", "Isosurfaces"), [1, 2, 3]) == (1.0, 2.0, 3.0)
    assert catalogue.coerce(prop("filters", "Contour", "Isosurfaces"), []) == ()


def test_integers_must_fit_a_vtk_int() -> None:
    """VTK setters take a C int: a larger value must be refused here, not fail later on the ranks."""
    theta = prop("sources", "Sphere", "ThetaResolution")
    assert catalogue.coerce(theta, 2**31 - 1) == (2**31 - 1,)
    for big in (2**31, 2**40, 2**70):
        with pytest.raises(PropertyError, match="ThetaResolution"):
            catalogue.coerce(theta, big)
    with pytest.raises(PropertyError, match="WholeExtent"):
        catalogue.coerce(prop("sources", "Wavelet", "WholeExtent"), (0, 2**40, 0, 1, 0, 1))
    with pytest.raises(PropertyError, match="WholeExtent"):
        catalogue.coerce(prop("sources", "Wavelet", "WholeExtent"), (-(2**40), 1, 0, 1, 0, 1))


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
        catalogue.coerce(p, value)
    assert str(p.count) in str(info.value)


def test_enum_accepts_its_labels_and_hints_the_nearest() -> None:
    p = prop("filters", "Threshold", "ThresholdMethod")
    for label in p.values:
        assert catalogue.coerce(p, label) == (label,)
    with pytest.raises(PropertyError) as info:
        catalogue.coerce(p, "Betwen")
    assert "did you mean 'Between'" in str(info.value)
    assert "Above Upper Threshold" in str(info.value)  # lists the allowed labels
    with pytest.raises(PropertyError):
        catalogue.coerce(p, 0)
    with pytest.raises(PropertyError) as info:
        catalogue.coerce(prop("filters", "Calculator", "AttributeType"), "Cell")
    assert "'Cell Data'" in str(info.value)


def test_array_selections() -> None:
    p = prop("filters", "Contour", "ContourBy")
    assert catalogue.coerce(p, ["POINTS", "RTData"]) == ("POINTS", "RTData")
    assert catalogue.coerce(p, ("CELLS", "Normals")) == ("CELLS", "Normals")
    assert catalogue.coerce(p, "RTData") == ("POINTS", "RTData")  # a bare name means a point array
    for bad in (["POINT", "RTData"], ["POINTS", 3], ["POINTS", "a", "b"], [], 3, [3]):
        with pytest.raises(PropertyError) as info:
            catalogue.coerce(p, bad)
        assert "POINTS, CELLS, FIELD" in str(info.value)


def test_subproxy_and_proxy_values() -> None:
    clip_type = prop("filters", "Clip", "ClipType")
    assert catalogue.coerce(clip_type, "Sphere") == ("Sphere",)
    assert catalogue.coerce(clip_type, 12) == (12,)
    with pytest.raises(PropertyError, match="'Plane'"):
        catalogue.coerce(clip_type, "Cylinder")
    with pytest.raises(PropertyError):
        catalogue.coerce(clip_type, True)
    glyph_type = prop("filters", "Glyph", "GlyphType")
    with pytest.raises(PropertyError):
        catalogue.coerce(glyph_type, "Plane")  # an implicit function, not a glyph source
    inp = prop("filters", "Shrink", "Input")
    assert catalogue.coerce(inp, 4) == (4,)
    assert catalogue.coerce(inp, [4]) == (4,)
    for bad in ("Sphere1", True, [1, 2], 1.0):
        with pytest.raises(PropertyError, match="Input"):
            catalogue.coerce(inp, bad)


# ------------------------------------------------------------------------------------------- lookup


def test_unknown_proxy_type_names_the_nearest() -> None:
    with pytest.raises(UnknownProxyTypeError) as info:
        catalogue.get("sources", "Spere")
    assert "Did you mean Sphere" in str(info.value)
    assert "Wavelet" in str(info.value)  # lists what is available
    with pytest.raises(UnknownProxyTypeError, match="Did you mean Contour"):
        catalogue.get("filters", "Contuor")
    with pytest.raises(KeyError):  # also a KeyError, for code that expects one
        catalogue.get("filters", "NoSuchFilter")


def test_unknown_group_lists_the_groups() -> None:
    with pytest.raises(UnknownProxyTypeError) as info:
        catalogue.get("sorces", "Sphere")
    for group in ("sources", "filters", "implicit_functions"):
        assert group in str(info.value)


def test_unknown_property_names_the_nearest() -> None:
    spec = catalogue.get("sources", "Sphere")
    with pytest.raises(PropertyError) as info:
        spec.property("Radus")
    assert info.value.property == "Radus"
    assert "Did you mean Radius" in str(info.value)
    for p in spec.properties:
        assert p.name in str(info.value)
    with pytest.raises(PropertyError, match="Did you mean ThetaResolution"):
        spec.property("ThetaResolutoin")


def test_subproxy_spec_resolves_helper_types() -> None:
    clip_type = prop("filters", "Clip", "ClipType")
    assert catalogue.subproxy_spec(clip_type, "Sphere").group == "implicit_functions"
    assert catalogue.subproxy_spec(clip_type, "Sphere").vtk_class == "vtkSphere"
    glyph_type = prop("filters", "Glyph", "GlyphType")
    assert catalogue.subproxy_spec(glyph_type, "Sphere").vtk_class == "vtkSphereSource"
    for name, group in catalogue.SUBPROXY_GROUPS.items():
        assert catalogue.SUBPROXY_DEFAULTS[name] in [s.name for s in catalogue.specs(group)]


# ------------------------------------------------------------------------------------------- help text


@pytest.mark.parametrize("spec", catalogue.specs(), ids=lambda s: f"{s.group}-{s.name}")
def test_describe_lists_every_property(spec: catalogue.ProxySpec) -> None:
    text = catalogue.describe(spec)
    assert text.startswith(spec.name)
    listed = [line.split(" =")[0].strip() for line in text.splitlines() if re.match(r"  \w+ =", line)]
    assert listed == [p.name for p in spec.properties]
    for p in spec.properties:
        assert p.domain_text() in text


def test_describe_shows_defaults() -> None:
    text = catalogue.describe(catalogue.get("sources", "Sphere"))
    assert "Radius = 0.5" in text
    assert "ThetaResolution = 8" in text
    clip = catalogue.describe(catalogue.get("filters", "Clip"))
    assert "ClipType = Plane" in clip
    assert "Input = the active source" in clip
