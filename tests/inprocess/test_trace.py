"""``paraview.smtrace`` on the built-in session: a trace, run on a fresh session, rebuilds what was traced.

Each replay is compared with the recorded session by :func:`pvclient.trace_check.state_signature` (every proxy
by what a script knows it by, with its type and property values, helpers and cameras included) and by the
pictures of its views.
"""

from __future__ import annotations

import numpy as np
import pytest
from rendering_checks import pixels

from pvclient.trace_check import state_signature

pytestmark = pytest.mark.timeout(120)


def scenario(simple, shot_path) -> None:
    """What a user does: sources and filters, displays, colouring, a legend, helpers, a second view, edits of
    properties by several routes, a rename, a deletion, cameras and a screenshot."""
    view = simple.GetActiveViewOrCreate("RenderView")
    view.ViewSize = [240, 180]
    view.OrientationAxesVisibility = 0
    wavelet = simple.Wavelet()
    simple.Show()
    simple.Render()
    contour = simple.Contour(ComputeScalars=1, Isosurfaces=[100, 150, 200])
    display = simple.Show()
    simple.ColorBy(value=("POINTS", "RTData"))
    display.SetScalarBarVisibility(view, True)
    lut = simple.GetColorTransferFunction("RTData")
    lut.ApplyPreset("Viridis (matplotlib)", False)
    simple.GetScalarBar(lut, view).Title = "Temperature"
    clip = simple.Clip(Input=contour)
    simple.Show(clip, view)
    simple.Hide(wavelet, view)
    clip.ClipType = "Sphere"
    clip.ClipType.Radius = 8.0
    clip.GetProperty("Invert").SetData(0)  # not through an attribute: traced all the same
    contour.SetPropertyWithName("Isosurfaces", [120.0, 180.0])
    simple.RenameSource("Iso", contour)
    second = simple.CreateView("RenderView", ViewSize=[160, 120])
    sphere = simple.Sphere(registrationName="Ball", ThetaResolution=24)
    ball = simple.Show(sphere, second)
    ball.DiffuseColor = [1.0, 0.5, 0.0]
    second.AxesGrid.Visibility = 1
    simple.Delete(simple.Cone())
    view.CameraPosition = [30.0, 40.0, 50.0]
    simple.SaveScreenshot(str(shot_path), view, ImageResolution=[200, 150])
    second.CameraPosition = [0.0, 3.0, 3.0]
    simple.Render(second)


def record(simple, tmp_path, configure=None) -> str:
    from paraview import smtrace

    config = smtrace.start_trace()
    if configure is not None:
        configure(config)
    scenario(simple, tmp_path / "recorded.png")
    return smtrace.stop_trace()


def replay(simple, trace: str) -> None:
    for conn in list(simple.state.connections):
        conn.close()
    simple.state.__init__()
    simple.Connect()
    exec(compile(trace, "<trace>", "exec"), {})


def pictures(simple) -> list[np.ndarray]:
    return [pixels(view) for view in simple.GetRenderViews()]


def test_a_replayed_trace_rebuilds_the_same_state_and_pictures(simple, tmp_path) -> None:
    trace = record(simple, tmp_path)
    recorded, images = state_signature(simple.state.active_connection), pictures(simple)
    shot = (tmp_path / "recorded.png").read_bytes()
    (tmp_path / "recorded.png").unlink()
    replay(simple, trace)
    assert state_signature(simple.state.active_connection) == recorded
    again = pictures(simple)
    assert len(again) == 2 and all(np.array_equal(a, b) for a, b in zip(images, again, strict=True))
    assert (tmp_path / "recorded.png").read_bytes() == shot  # the traced SaveScreenshot wrote the same picture


def test_the_trace_reads_as_paraviews(simple, tmp_path) -> None:
    trace = record(simple, tmp_path)
    expected = [
        "from paraview.simple import *",
        "paraview.simple._DisableFirstRenderCameraReset()",
        "renderView1 = CreateView('RenderView')",  # GetActiveViewOrCreate made it
        "renderView1.ViewSize = [240, 180]",
        "wavelet1 = Wavelet(registrationName='Wavelet1')",
        "wavelet1Display = Show(wavelet1, renderView1, 'GeometryRepresentation')",
        "contour1 = Contour(registrationName='Contour1', Input=wavelet1)",
        "contour1.Isosurfaces = [100.0, 150.0, 200.0]",
        "rTDataLUT = GetColorTransferFunction('RTData')",  # Show coloured it by its scalars, as ParaView does
        "ColorBy(contour1Display, ('POINTS', 'RTData'))",
        "contour1Display.SetScalarBarVisibility(renderView1, True)",
        "Hide(wavelet1, renderView1)",
        "clip1.ClipType = 'Sphere'",
        "clip1.ClipType.Radius = 8.0",
        "clip1.Invert = 0",
        "contour1.Isosurfaces = [120.0, 180.0]",
        "RenameSource('Iso', contour1)",
        "renderView2 = CreateView('RenderView')",
        "renderView2.ViewSize = [160, 120]",
        "ball = Sphere(registrationName='Ball')",
        "ball.ThetaResolution = 24",
        "renderView2.AxesGrid.Visibility = 1",
        "Delete(cone1)",
        "SaveScreenshot(",  # keeps renderView2's camera: only the session's first Render() fits it (ParaView's)
    ]
    lines = trace.splitlines()
    positions = [next(i for i, line in enumerate(lines) if line.startswith(text)) for text in expected]
    assert positions == sorted(positions)  # in the order they were done
    shot = lines.index(next(line for line in lines if line.startswith("SaveScreenshot(")))
    cameras = [i for i, line in enumerate(lines) if line.startswith("renderView1.CameraPosition")]
    assert lines[max(i for i in cameras if i < shot)] == "renderView1.CameraPosition = [30.0, 40.0, 50.0]"
    assert "rTDataLUTColorBar.Title = 'Temperature'" in lines  # the legend found by its colour map
    assert not any(line.startswith("renderView2.Camera") for line in lines[:shot])  # cameras come at the end
    assert "wavelet1Display.Visibility" not in trace and "renderView1.Representations" not in trace
    assert "GatherInformation" not in trace and "(a " not in trace  # nothing fell through untraced


def test_the_properties_each_setting_records(simple, tmp_path) -> None:
    from paraview import smtrace

    def lines_of(mode) -> set[str]:
        simple.state.__init__()
        simple.Connect()
        config = smtrace.start_trace()
        config.SetPropertiesToTraceOnCreate(mode)
        assert config.GetPropertiesToTraceOnCreate() == mode
        simple.Contour(Input=simple.Wavelet(), Isosurfaces=[120.0])
        return set(smtrace.stop_trace().splitlines())

    modified = lines_of(smtrace.RECORD_MODIFIED_PROPERTIES)
    user = lines_of(smtrace.RECORD_USER_MODIFIED_PROPERTIES)
    every = lines_of(smtrace.RECORD_ALL_PROPERTIES)
    assert "contour1.Isosurfaces = [120.0]" in user & modified & every
    assert "contour1.ContourBy = ['POINTS', 'RTData']" in modified - user  # the server chose it
    assert "contour1.ComputeNormals = 1" in every - modified  # at its default
    assert len(user) < len(modified) < len(every)
    with pytest.raises(ValueError, match="RECORD_"):
        smtrace.start_trace().SetPropertiesToTraceOnCreate(7)
    smtrace.stop_trace()


def test_supplemental_proxies_in_full(simple) -> None:
    from paraview import smtrace

    rep = simple.Show(simple.Sphere())
    config = smtrace.start_trace()
    config.SetFullyTraceSupplementalProxies(True)
    config.SetFullyTraceCameraAdjustments(True)
    simple.GetActiveView().CameraPosition = [0.0, 0.0, 9.0]
    simple.GetScalarBar(simple.GetColorTransferFunction("Normals"), simple.GetActiveView()).Title = "N"
    simple.Delete(rep)
    trace = smtrace.stop_trace()
    assert "normalsLUT = GetColorTransferFunction('Normals')" in trace
    assert "normalsLUT.RGBPoints = [" in trace  # at its default, written all the same
    assert "sphere1 = FindSource('Sphere1')" in trace  # made before the trace: found, not made
    assert "Delete(sphere1Display)" in trace
    first = trace.index("renderView1.CameraPosition = [0.0, 0.0, 9.0]")
    assert first < trace.index("normalsLUT =")  # where it happened, not only at the end


def test_current_output_and_stopping(simple, tmp_path) -> None:
    from paraview import smtrace

    assert smtrace.stop_trace() == "" and not smtrace.is_tracing()
    config = smtrace.start_trace()
    sphere = simple.Sphere()
    view = simple.CreateView("RenderView")
    so_far = smtrace.get_current_trace_output()
    assert "sphere1 = Sphere(registrationName='Sphere1')" in so_far and ".CameraPosition" not in so_far
    assert config.GetState() == 1
    smtrace.save_trace(tmp_path / "so_far.py")
    assert (tmp_path / "so_far.py").read_text() == so_far
    trace = smtrace.stop_trace()
    assert trace.startswith(so_far) and "renderView1.CameraPosition = " in trace[len(so_far) :]
    sphere.Radius = 2.0
    simple.SaveScreenshot(str(tmp_path / "after.png"), view)
    assert smtrace.last_trace() == trace and config.GetState() == 0  # nothing after the stop is recorded
    assert simple.SaveScreenshot is simple.layouts.SaveScreenshot  # the screenshot recorder is gone


def test_a_state_script_rebuilds_the_whole_session(simple, tmp_path) -> None:
    from pvclient.trace_state import state_script

    scenario(simple, tmp_path / "shot.png")  # no trace running: the script comes from the state alone
    conn = simple.state.active_connection
    recorded, images = state_signature(conn), pictures(simple)
    script = state_script(conn)
    assert "clip1.ClipType = 'Sphere'" in script and "iso = Contour(registrationName='Iso', Input=wavelet1)" in script
    assert "Delete(" not in script and "cone1" not in script  # what was deleted is not there to make
    replay(simple, script)
    assert state_signature(simple.state.active_connection) == recorded
    assert all(np.array_equal(a, b) for a, b in zip(images, pictures(simple), strict=True))
