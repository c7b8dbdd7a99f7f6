"""The ``simple`` API on the built-in session (no server): finding, renaming and deleting proxies, their sub-proxies,
listing their properties and their help.
"""

from __future__ import annotations

import pydoc

import pytest
from vtk_references import vtk_wavelet

from pvcore import values
from pvcore.errors import (
    PropertyError,
    ProxyNotFoundError,
    PVError,
)
from pvserver.pipeline import catalogue

pytestmark = pytest.mark.timeout(60)


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
    simple.Delete(sphere)  # as ParaView's: unregistered, still the Shrink's input (tests/inprocess/test_delete.py)
    assert simple.FindSource("Sphere1") is None and shrink.Input == sphere
    simple.SetActiveSource(shrink)
    simple.Delete(shrink)
    assert simple.GetActiveSource() is None
    assert simple.FindSource("Shrink1") is None
    with pytest.raises(ProxyNotFoundError):
        shrink.ShrinkFactor  # noqa: B018 - reading a deleted proxy
    assert simple.GetSources() == {}
    with pytest.raises(ProxyNotFoundError):
        sphere.Radius  # noqa: B018 - gone with its last user


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
        clip.ClipType = "Torus"


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
    assert simple.Sphere.__doc__ == values.describe(catalogue.get("sources", "Sphere"))
    assert "ThetaResolution" in pydoc.render_doc(simple.Sphere, renderer=pydoc.plaintext)


def test_xml_names_are_paraviews_and_type_names_ours(simple) -> None:
    sphere = simple.Sphere()
    cut = simple.Slice(Input=sphere)
    assert (sphere.GetXMLName(), sphere.type_name, sphere.GetXMLLabel()) == ("SphereSource", "Sphere", "Sphere")
    assert (cut.GetXMLName(), cut.type_name) == ("Cut", "Slice")
    assert simple.GetActiveViewOrCreate("RenderView").GetXMLName() == "RenderView"  # where the names agree
