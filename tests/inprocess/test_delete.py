"""``Delete`` as ParaView 5.11's on the built-in session: a source or filter that another filter still uses is
unregistered (it leaves GetSources(), the proxy manager and its views) but keeps feeding that filter, and goes for
good with its last user; undo brings everything back as it was; a trace of it replays.
"""

from __future__ import annotations

import random

import pytest
from rendering_checks import make_view
from vtkmodules.vtkFiltersCore import vtkElevationFilter
from vtkmodules.vtkFiltersGeneral import vtkShrinkFilter
from vtkmodules.vtkFiltersSources import vtkSphereSource

from pvcore.errors import DependencyError, ProxyNotFoundError

pytestmark = pytest.mark.timeout(120)


def vtk_elevation_of_shrunk_sphere(factor: float):
    """What Sphere -> Shrink -> Elevation computes, by VTK in this process."""
    sphere = vtkSphereSource()
    shrink = vtkShrinkFilter()
    shrink.SetInputConnection(sphere.GetOutputPort())
    shrink.SetShrinkFactor(factor)
    elevation = vtkElevationFilter()
    elevation.SetInputConnection(shrink.GetOutputPort())
    elevation.SetLowPoint(0.0, 0.0, -0.5)  # ParaView's Elevation defaults, for a sphere of radius 0.5
    elevation.SetHighPoint(0.0, 0.0, 0.5)
    elevation.Update()
    return elevation.GetOutput()


def assert_like_vtk(proxy, expected) -> None:
    info = proxy.GetDataInformation()
    assert info.GetNumberOfCells() == expected.GetNumberOfCells()
    assert info.GetBounds() == pytest.approx(expected.GetBounds(), abs=1e-6)
    wanted = expected.GetPointData().GetArray("Elevation").GetRange()
    assert proxy.PointData["Elevation"].GetRange() == pytest.approx(wanted, abs=1e-6)


def unversioned(conn) -> dict:
    """The mirrored states without their versions (undo restores states under new versions)."""
    return {gid: (*row[:4], row[5]) for gid, row in conn.state_dump().items()}


def registered(simple) -> set[str]:
    return {name for name, _ in simple.GetSources()}


def test_deleting_a_middle_filter_keeps_it_feeding_its_user_until_that_goes(simple) -> None:
    view = make_view(simple)
    sphere = simple.Sphere()
    shrink = simple.Shrink(Input=sphere, ShrinkFactor=0.5)
    elevation = simple.Elevation(Input=shrink, LowPoint=[0, 0, -0.5], HighPoint=[0, 0, 0.5])
    shrink_rep, elevation_rep = simple.Show(shrink, view), simple.Show(elevation, view)
    simple.Delete(shrink)
    assert registered(simple) == {"Sphere1", "Elevation1"}
    assert shrink not in simple.servermanager.ProxyManager().GetProxiesInGroup("sources").values()
    assert [r.GlobalID for r in view.Representations] == [elevation_rep.GlobalID]  # its representation went
    with pytest.raises(ProxyNotFoundError):
        shrink_rep.Visibility  # noqa: B018
    assert elevation.Input == shrink  # still its input, and still computing
    assert_like_vtk(elevation, vtk_elevation_of_shrunk_sphere(0.5))
    shrink.ShrinkFactor = 0.8  # as in ParaView, the unregistered proxy can still be changed
    assert_like_vtk(elevation, vtk_elevation_of_shrunk_sphere(0.8))
    simple.Delete(elevation)
    with pytest.raises(ProxyNotFoundError):
        shrink.ShrinkFactor  # noqa: B018 - gone with its last user
    assert registered(simple) == {"Sphere1"} and sphere.Radius == 0.5


@pytest.mark.parametrize("seed", range(4))
def test_the_whole_pipeline_in_any_order_and_undo_brings_it_back(simple, seed: int) -> None:
    conn = simple.GetActiveConnection()
    view = make_view(simple)
    wavelet = simple.Wavelet()
    contour = simple.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[150.0])
    clip = simple.Clip(Input=contour)
    group = simple.GroupDatasets(Input=[wavelet, clip])
    for proxy in (wavelet, contour, clip, group):
        simple.Show(proxy, view)
    before, cells = unversioned(conn), group.GetDataInformation().GetNumberOfCells()
    names = registered(simple)
    sources = list(simple.GetSources().values())
    random.Random(seed).shuffle(sources)
    for proxy in sources:
        simple.Delete(proxy)
    assert simple.GetSources() == {} and len(view.Representations) == 0
    assert not [st for st in conn.states.values() if st.group in ("sources", "filters")]
    for _ in sources:
        simple.Undo()
    assert unversioned(conn) == before and registered(simple) == names
    assert group.GetDataInformation().GetNumberOfCells() == cells
    simple.Redo()
    assert len(registered(simple)) == 3


def test_a_deleted_input_goes_when_its_user_takes_another(simple) -> None:
    sphere, cone = simple.Sphere(), simple.Cone()
    shrink = simple.Shrink(Input=sphere)
    simple.Delete(sphere)
    shrink.Input = cone
    with pytest.raises(ProxyNotFoundError):
        sphere.Radius  # noqa: B018
    assert registered(simple) == {"Cone1", "Shrink1"}


def test_a_filters_helper_is_still_refused_and_names_are_free_again(simple) -> None:
    wavelet = simple.Wavelet()
    clip = simple.Clip(Input=wavelet)
    with pytest.raises(DependencyError, match="part of Clip1"):
        simple.Delete(clip.ClipType)
    simple.Delete(wavelet)
    simple.Delete(clip)
    simple.Delete(simple.GetActiveView() or simple.CreateRenderView())
    assert simple.Wavelet().GetRegistrationName() == "Wavelet1"  # as ParaView's GetUniqueProxyName
    assert simple.servermanager.ProxyManager().GetProxyName("views", simple.CreateRenderView()) == "RenderView1"


def test_a_trace_of_deleting_a_used_source_replays(simple) -> None:
    from paraview import smtrace

    smtrace.start_trace()
    wavelet = simple.Wavelet()
    contour = simple.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[150.0])
    simple.Delete(wavelet)
    contour.Isosurfaces = [120.0]
    trace = smtrace.stop_trace()
    assert "Delete(wavelet1)" in trace and "del wavelet1" not in trace  # it lives on as the contour's input
    cells = contour.GetDataInformation().GetNumberOfCells()
    simple.Delete(contour)
    assert simple.GetSources() == {}
    exec(compile(trace, "<trace>", "exec"), {})
    assert registered(simple) == {"Contour1"}
    assert simple.FindSource("Contour1").GetDataInformation().GetNumberOfCells() == cells


def test_the_state_of_a_session_with_an_unregistered_source_rebuilds_it(simple) -> None:
    from paraview import smstate

    wavelet = simple.Wavelet()
    contour = simple.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[150.0])
    simple.Delete(wavelet)
    cells = contour.GetDataInformation().GetNumberOfCells()
    state = smstate.get_state()
    assert "registrationName=''" not in state and "Delete(wavelet)" in state
    simple.Delete(contour)
    exec(compile(state, "<state>", "exec"), {})
    assert registered(simple) == {"Contour1"}
    rebuilt = simple.FindSource("Contour1")
    assert rebuilt.GetDataInformation().GetNumberOfCells() == cells and not rebuilt.Input.GetRegistrationName()
