"""The ``paraview`` package and ``servermanager`` names ParaView's own tests and users' scripts use, on the
built-in session: logging, versions, ``paraview.vtk``, ``paraview.smtesting``, the proxy namespaces, the proxy
manager, ``Fetch`` with reduction helpers, ``ResetSession``, and the C++ names that say what to use instead."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from vtkmodules.vtkFiltersCore import vtkElevationFilter
from vtkmodules.vtkFiltersGeneral import vtkShrinkFilter
from vtkmodules.vtkFiltersSources import vtkSphereSource

import paraview
from paraview import smtesting
from simple import servermanager


def run_script(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args], capture_output=True, text=True, timeout=120
    )


def test_print_functions_log_to_stderr_as_paraview_does() -> None:
    out = run_script(
        """
        from paraview import print_info, print_warning, print_error, print_debug, options
        print_info("info %d", 1)
        print_warning("warn %s", "x")
        print_error("err")
        print_debug("hidden")
        options.print_debug_messages = True
        print_debug("shown")
        """
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    lines = out.stderr.splitlines()
    pattern = r"\(\s+\d+\.\d{3}s\) \[paraview\s+\]\s+<string>:(\d+)\s+(INFO|WARN|ERR|DEBUG)\| (.*)"
    found = [re.fullmatch(pattern, line).groups() for line in lines]
    assert found == [("3", "INFO", "info 1"), ("4", "WARN", "warn x"), ("5", "ERR", "err"), ("8", "DEBUG", "shown")]


def test_package_names() -> None:
    assert paraview.__version__ == "5.11.0"
    assert (paraview.options.batch, paraview.options.symmetric, paraview.fromGUI) == (False, False, False)
    assert paraview.NotSupportedException is servermanager.NotSupportedException
    assert paraview.make_name_valid("Plot Over Line") == "PlotOverLine"
    assert paraview.make_name_valid("3D Text") == "a3DText"
    assert str(paraview.NotSupportedException("no")) == "no" and paraview.NotSupportedException("no").msg == "no"


def test_compatibility_versions_compare_as_in_paraview() -> None:
    """The values real ParaView 5.11 gives for the same comparisons (checked with its pvpython)."""
    version = paraview.compatibility.GetVersion()
    assert version.GetVersion() is None and repr(version) == "()"
    assert not version < 4.1 and not version <= 4.1 and version > 4.1 and version >= 4.1
    try:
        paraview.compatibility.major, paraview.compatibility.minor = 5, 9
        version = paraview.compatibility.GetVersion()
        assert (version < (5, 10), version < 5.91, version >= (5, 9), version > 5.9) == (True, False, True, False)
        paraview.compatibility.major, paraview.compatibility.minor = 5, 10
        version = paraview.compatibility.GetVersion()
        assert (version > 5.9, version < 5.11, version.GetVersion(), version < 6) == (True, False, 5.1, True)
        paraview.compatibility.major, paraview.compatibility.minor = 4, 1
        version = paraview.compatibility.GetVersion()
        assert (version < 4.1, version <= 4.1, version > 4.1, version >= 4.1) == (False, True, False, True)
        with pytest.raises(RuntimeError):
            _ = version == 4.1
    finally:
        paraview.compatibility.major = paraview.compatibility.minor = None


def test_vtk_module_gives_the_common_classes() -> None:
    import paraview.vtk as vtk

    assert servermanager.vtk is vtk
    polydata = vtk.vtkPolyData()
    assert polydata.GetNumberOfPoints() == 0
    assert all(hasattr(vtk, name) for name in ("vtkContourFilter", "vtkCamera", "vtkMath", "vtkTransform"))


# ------------------------------------------------------------------------------------------ smtesting


@pytest.fixture
def test_arguments(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Sets ``sys.argv`` as a test driver does and makes smtesting read it afresh."""

    def set_arguments(*args: str) -> None:
        monkeypatch.setattr(sys, "argv", ["MyTest.py", *args])
        monkeypatch.setattr(smtesting, "__ProcessedCommandLineArguments__", False)
        for name, value in (("DataDir", ""), ("TempDir", ""), ("BaselineImage", ""), ("Threshold", 10.0)):
            monkeypatch.setattr(smtesting, name, value)
        smtesting.ProcessCommandLineArguments()

    return set_arguments


def test_command_line_arguments(test_arguments, tmp_path: Path) -> None:
    test_arguments("-D", "/data", "-T", str(tmp_path), "-V", "/base/MyTest.png", "--threshold", "3.5", "-S", "/s")
    assert (smtesting.DataDir, smtesting.TempDir, smtesting.BaselineImage) == (
        "/data",
        str(tmp_path),
        "/base/MyTest.png",
    )
    assert (smtesting.Threshold, smtesting.SMStatesDir) == (3.5, "/s")


def test_regression_testing_against_a_baseline(simple, test_arguments, tmp_path: Path) -> None:
    simple.Show(simple.Sphere())
    view = simple.GetActiveView()
    view.ViewSize = [200, 150]
    test_arguments("-T", str(tmp_path))
    assert smtesting.DoRegressionTesting(view.SMProxy) is False  # no baseline: the image made is written
    made = tmp_path / "MyTest.png"
    assert made.is_file()
    baseline = tmp_path / "baseline" / "Sphere.png"
    baseline.parent.mkdir()
    baseline.write_bytes(made.read_bytes())
    test_arguments("-T", str(tmp_path), "-V", str(baseline))
    assert smtesting.DoRegressionTesting(view) is True
    view.Background = [1.0, 1.0, 0.0]
    assert smtesting.DoRegressionTesting() is False  # the active view, now another picture
    assert (tmp_path / "Sphere.png").is_file() and (tmp_path / "Sphere.diff.png").is_file()


# ------------------------------------------------------------------------------------------ servermanager


def test_connect_and_the_active_connection(simple_state) -> None:
    conn = servermanager.Connect()
    assert servermanager.ActiveConnection is conn and conn in servermanager.Connections
    assert conn.GetNumberOfDataPartitions() == 1


def test_namespaces_create_proxies(simple) -> None:
    assert {"Sphere", "Cone", "Wavelet"} <= set(dir(servermanager.sources))
    assert "Shrink" in dir(servermanager.filters) and "RenderView" in dir(servermanager.rendering)
    sphere = servermanager.sources.SphereSource(ThetaResolution=16)  # ParaView's XML name works too
    assert sphere.GetXMLName() == "SphereSource" and sphere.ThetaResolution == 16
    assert simple.GetActiveSource() is None  # servermanager does not touch simple's active objects
    with pytest.raises(AttributeError, match="NoSuchThing"):
        _ = servermanager.sources.NoSuchThing


def test_a_filter_made_without_input_is_created_when_its_input_is_set(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=16)
    shrink = servermanager.filters.Shrink(ShrinkFactor=0.25)
    assert shrink.is_detached and shrink.ShrinkFactor == 0.25 and shrink.Input is None
    count = len(simple.GetSources())
    shrink.ShrinkFactor = 0.3
    shrink.Input = sphere
    assert not shrink.is_detached and len(simple.GetSources()) == count + 1
    reference = vtkShrinkFilter()
    source = vtkSphereSource()
    source.SetThetaResolution(16)
    reference.SetInputConnection(source.GetOutputPort())
    reference.SetShrinkFactor(0.3)
    reference.Update()
    info = shrink.GetDataInformation()
    assert shrink.ShrinkFactor == pytest.approx(0.3)
    assert info.GetNumberOfCells() == reference.GetOutput().GetNumberOfCells()
    assert info.GetBounds() == pytest.approx(reference.GetOutput().GetBounds())


def test_proxy_manager(simple) -> None:
    sphere, view = simple.Sphere(), simple.CreateRenderView()
    shrink = simple.Shrink(Input=sphere)
    pxm = servermanager.ProxyManager()
    assert pxm.GetProxy("sources", "Shrink1") == shrink and pxm.GetProxy("sources", "nothing") is None
    assert pxm.GetNumberOfProxies("sources") == 2 and pxm.GetNumberOfProxies("views") == 1
    assert pxm.GetProxiesInGroup("sources") == {
        ("Sphere1", sphere.GetGlobalIDAsString()): sphere,
        ("Shrink1", shrink.GetGlobalIDAsString()): shrink,
    }
    seen = []
    iterator = iter(pxm)
    for proxy in iterator:
        seen.append((iterator.GetGroup(), iterator.GetKey(), proxy))
    assert ("sources", "Sphere1", sphere) in seen and ("views", view.GetRegistrationName(), view) in seen
    pxm.RegisterProxy("sources", "my sphere", sphere)  # a second name: this client's alias (ParaView lists both)
    assert sphere.GetRegistrationName() == "Sphere1" and pxm.GetProxies("sources", "my sphere") == [sphere]
    pxm.UnRegisterProxy("sources", "Shrink1", shrink)
    assert pxm.GetNumberOfProxies("sources") == 2 and shrink.GlobalID not in shrink.connection.states
    with pytest.raises(paraview.NotSupportedException, match="GetProxy"):
        pxm.GetProxyDefinitionManager()


def test_get_py_proxy_and_output_port(simple) -> None:
    sphere = simple.Sphere()
    assert servermanager._getPyProxy(sphere.SMProxy) is sphere and servermanager._getPyProxy(sphere) is sphere
    assert servermanager._getPyProxy(None) is None and servermanager.OutputPort(sphere) is sphere


def test_cpp_names_say_what_to_use_instead(simple) -> None:
    with pytest.raises(paraview.NotSupportedException, match=r"paraview\.options"):
        servermanager.vtkRemotingCoreConfiguration.GetInstance()
    with pytest.raises(AttributeError):
        _ = servermanager.NoSuchName


def test_reset_session_deletes_every_proxy_and_keeps_the_connection(simple) -> None:
    conn = simple.GetActiveConnection()
    wavelet = simple.Wavelet()
    simple.Show(simple.Contour(Input=wavelet))
    simple.Clip(Input=wavelet)
    assert simple.ResetSession() is conn and not conn.closed
    assert conn.states == {} and simple.GetActiveSource() is None and simple.GetActiveView() is None
    assert simple.Sphere().GetDataInformation().GetNumberOfCells() > 0  # the connection still works


def elevation_then_shrink(theta: int) -> object:
    source = vtkSphereSource()
    source.SetThetaResolution(theta)
    elevation = vtkElevationFilter()
    elevation.SetInputConnection(source.GetOutputPort())
    elevation.SetLowPoint(0, 0, -0.5)
    elevation.SetHighPoint(0, 0, 0.5)
    shrink = vtkShrinkFilter()
    shrink.SetInputConnection(elevation.GetOutputPort())
    shrink.SetShrinkFactor(0.5)
    shrink.Update()
    return shrink.GetOutput()


def test_fetch_applies_the_helpers_before_the_data_travels(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=12)
    count = len(simple.GetSources())
    pre = servermanager.filters.Elevation(LowPoint=[0, 0, -0.5], HighPoint=[0, 0, 0.5])
    post = servermanager.filters.Shrink()
    data = servermanager.Fetch(sphere, pre, post)
    reference = elevation_then_shrink(12)
    assert data.GetNumberOfCells() == reference.GetNumberOfCells()
    assert data.GetBounds() == pytest.approx(reference.GetBounds())
    ranges = data.GetPointData().GetArray("Elevation").GetRange()
    assert ranges == pytest.approx(reference.GetPointData().GetArray("Elevation").GetRange())
    assert len(simple.GetSources()) == count and pre.is_detached  # the helpers are left as they were
    history = simple.GetActiveConnection().undo_status().undo_labels
    assert history[-1] == "Fetch" and history.count("Fetch") == 1  # the temporary filters: one step, no net change
    whole = servermanager.Fetch(sphere, 0)  # one rank: its piece is all the data
    assert whole.GetNumberOfCells() == servermanager.Fetch(sphere).GetNumberOfCells()
    with pytest.raises(paraview.NotSupportedException, match="port 0"):
        servermanager.Fetch(sphere, idx=1)


def test_fetch_copies_a_live_helper_with_its_own_helper(simple) -> None:
    wavelet = simple.Wavelet()
    clip = simple.Clip(Input=wavelet, ClipType="Sphere", Invert=0)
    clip.ClipType.Radius = 6.0
    helper_source = simple.Wavelet(WholeExtent=[0, 4, 0, 4, 0, 4])  # the helper's own input is replaced by Fetch's
    helper = simple.Clip(Input=helper_source, ClipType="Sphere", Invert=0)
    helper.ClipType.Radius = 6.0
    data = servermanager.Fetch(wavelet, helper)
    assert data.GetNumberOfCells() == clip.GetDataInformation().GetNumberOfCells() > 0
    assert data.GetBounds() == pytest.approx(clip.GetDataInformation().GetBounds())
    assert helper.Input == helper_source and helper.ClipType.Radius == 6.0
