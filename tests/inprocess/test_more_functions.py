"""paraview.simple's further functions on the built-in session (simple/functions_more.py, simple/settings.py,
simple/writers.py): each behaves as ParaView 5.11's (Wrapping/Python/paraview/simple.py), checked by its effect.

Files are written and read back here with VTK's own readers; the reader tests change files on disk and check
that the data (and a filter downstream) follow.
"""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkIOXML import vtkXMLPolyDataReader, vtkXMLPolyDataWriter, vtkXMLUnstructuredGridReader

from pvclient.properties import NotSupportedException
from pvcore.errors import PVError

pytestmark = pytest.mark.timeout(60)


def _sphere_file(path, resolution: int) -> int:
    """Write a VTK sphere of ``resolution`` to ``path``; its number of cells."""
    sphere = vtkSphereSource()
    sphere.SetThetaResolution(resolution)
    sphere.SetPhiResolution(resolution)
    sphere.Update()
    writer = vtkXMLPolyDataWriter()
    writer.SetFileName(str(path))
    writer.SetInputData(sphere.GetOutput())
    writer.Write()
    return sphere.GetOutput().GetNumberOfCells()


def _visible(view) -> list:
    return [rep for rep in view.Representations if rep.Visibility]


# -------------------------------------------------------------------------------------------------- versions


def test_version_compares_as_paraviews(simple) -> None:
    version = simple.GetParaViewVersion()
    assert (version.major, version.minor) == (5, 11)
    assert version >= (5, 10) and version < (5, 12) and version > 5 and version < 6 and version > 5.9
    assert not version < (5, 11) and version == (5, 11)
    assert simple.GetParaViewSourceVersion() == "paraview version 5.11.0"


# ----------------------------------------------------------------------------------------- views and proxies


def test_show_all_and_hide_all(simple) -> None:
    sphere, cone = simple.Sphere(), simple.Cone()
    simple.ShowAll()  # no view: nothing, as in ParaView
    assert simple.GetViews() == []
    view = simple.CreateRenderView()
    simple.ShowAll(view)
    assert {rep.Input for rep in _visible(view)} == {sphere, cone}
    reps = list(view.Representations)
    simple.HideAll(view)
    assert _visible(view) == [] and list(view.Representations) == reps
    simple.ShowAll()  # the active view: the same representations shown again
    assert list(view.Representations) == reps and len(_visible(view)) == 2


def test_find_rename_and_find_or_create_views(simple) -> None:
    view = simple.CreateRenderView()
    assert simple.FindView(view.GetRegistrationName()) == view
    simple.RenameView("Main")
    assert view.GetRegistrationName() == "Main" and simple.FindView("Main") == view
    assert simple.FindView("Nothing") is None
    assert simple.FindViewOrCreate("Main", "RenderView") == view
    sheet = simple.FindViewOrCreate("Main", "SpreadSheetView")  # the name, but not the type: a new view
    assert sheet != view and sheet.GetXMLName() == "SpreadSheetView"
    assert simple.GetLayout(sheet).GetViewLocation(sheet) >= 0  # put in a layout
    assert simple.GetViewProperties() == sheet and simple.GetViewProperties(view) == view
    assert simple.GetViewProperty(view, "OrientationAxesVisibility") is not None


def test_rename_proxy_only_in_its_group_and_rename_layout(simple) -> None:
    sphere = simple.Sphere()
    simple.RenameProxy(sphere, "views", "NotAView")  # registered in another group: left as it is
    assert sphere.GetRegistrationName() != "NotAView"
    simple.RenameProxy(sphere, "sources", "Ball")
    assert simple.FindSource("Ball") == sphere
    view = simple.CreateRenderView()
    layout = simple.GetLayout(view)
    simple.RenameLayout("Screen")
    assert simple.GetLayoutByName("Screen") is layout
    with pytest.raises(PVError, match="cannot be empty"):
        simple.RenameProxy(sphere, "sources", "")


def test_get_representations(simple) -> None:
    assert simple.GetRepresentations() == {}
    rep = simple.Show(simple.Sphere(), simple.CreateRenderView())
    assert simple.GetRepresentations() == {(rep.GetRegistrationName(), str(rep.GlobalID)): rep}


def test_hide_unused_scalar_bars(simple) -> None:
    view = simple.CreateRenderView()
    wavelet = simple.Wavelet()
    rep = simple.Show(wavelet, view)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    bar = simple.GetScalarBar(rep.LookupTable, view)
    bar.Visibility = 1
    assert simple.HideUnusedScalarBars(view) is False and bar.Visibility == 1  # in use: kept
    simple.Hide(wavelet, view)
    assert simple.HideUnusedScalarBars() is True and bar.Visibility == 0
    assert simple.HideUnusedScalarBars(view) is False


# -------------------------------------------------------------------------------------------- data and files


def test_fetch_data_is_a_map_of_rank_to_data(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=12)
    data = simple.FetchData(sphere)
    assert list(data) == [0]
    local = vtkSphereSource()
    local.SetThetaResolution(12)
    local.Update()
    assert data[0].GetNumberOfCells() == simple.Fetch(sphere).GetNumberOfCells() == local.GetOutput().GetNumberOfCells()
    assert simple.FetchData(SourceRanks=[0], GatherOnAllRanks=1)[0].GetNumberOfPoints() == data[0].GetNumberOfPoints()
    with pytest.raises(PVError, match="no option"):
        simple.FetchData(sphere, Port=1)
    assert simple.FetchData(sphere, SourceRanks=[1, 2]) == {}  # ranks the server lacks are left out, as in ParaView


def test_reload_files_reads_the_changed_file(simple, tmp_path) -> None:
    path = tmp_path / "ball.vtp"
    before = _sphere_file(path, 8)
    reader = simple.OpenDataFile(str(path))
    shrink = simple.Shrink(Input=reader)
    assert shrink.GetDataInformation().GetNumberOfCells() == before
    after = _sphere_file(path, 16)
    assert simple.ReloadFiles(reader) is True
    assert reader.GetDataInformation().GetNumberOfCells() == after != before
    assert shrink.GetDataInformation().GetNumberOfCells() == after
    assert list(reader.FileName) == [str(path)]
    assert simple.ReloadFiles(shrink) is False  # reads no files


def test_replace_reader_file_name_keeps_consumers(simple, tmp_path) -> None:
    small, large = _sphere_file(tmp_path / "small.vtp", 8), _sphere_file(tmp_path / "large.vtp", 20)
    reader = simple.OpenDataFile(str(tmp_path / "small.vtp"), registrationName="data")
    shrink = simple.Shrink(Input=reader)
    rep = simple.Show(shrink, simple.CreateRenderView())
    assert shrink.GetDataInformation().GetNumberOfCells() == small
    simple.ReplaceReaderFileName(reader, [str(tmp_path / "large.vtp")], "FileName")
    assert simple.FindSource("data") == reader and shrink.Input == reader and rep.Input == shrink
    assert shrink.GetDataInformation().GetNumberOfCells() == large
    with pytest.raises(PVError, match="no file property"):
        simple.ReplaceReaderFileName(reader, [str(tmp_path / "small.vtp")], "Files")


# ------------------------------------------------------------------------------------------------- settings


def test_settings_proxies_hold_paraviews_defaults(simple) -> None:
    general = simple.GetSettingsProxy("GeneralSettings")
    assert general.ScalarBarMode == "Automatically show and/or hide color bars"
    assert general.RealNumberDisplayedPrecision == 6 and general.DefaultViewType == "RenderView"
    assert simple.GetSettingsProxy("RenderViewSettings").LODThreshold == 20.0
    assert simple.GetSettingsProxy("NoSuchSettings") is None
    with pytest.raises(AttributeError, match="no setting"):
        general.NoSuchSetting = 1
    with pytest.raises(PVError, match="is a number"):
        general.FontSize = "big"
    settings = simple.servermanager.vtkPVGeneralSettings.GetInstance()
    try:
        settings.SetScalarBarMode(settings.MANUAL_SCALAR_BARS)
        assert general.ScalarBarMode == "Manual (not recommended)" and settings.GetScalarBarMode() == 2
        assert simple.GetSettingsProxy("GeneralSettings") is general
    finally:
        settings.SetScalarBarMode(settings.AUTOMATICALLY_SHOW_AND_HIDE_SCALAR_BARS)
    assert general.ScalarBarMode == "Automatically show and/or hide color bars"


# -------------------------------------------------------------------------------------------------- writers


def test_create_writer_writes_on_update_pipeline(simple, tmp_path) -> None:
    sphere = simple.Sphere(ThetaResolution=10)
    path = tmp_path / "ball.vtp"
    writer = simple.CreateWriter(str(path), sphere, DataMode="Ascii")
    assert writer.GetXMLName() == "XMLPolyDataWriter" and writer.DataMode == "Ascii"
    assert not path.exists()  # made, not written
    writer.UpdatePipeline()
    reader = vtkXMLPolyDataReader()
    reader.SetFileName(str(path))
    reader.Update()
    assert reader.GetOutput().GetNumberOfCells() == sphere.GetDataInformation().GetNumberOfCells()
    assert simple.CreateWriter(str(tmp_path / "t.csv"), sphere).GetXMLName() == "CSVWriter"


def test_named_writers_and_refusals(simple, tmp_path) -> None:
    wavelet = simple.Wavelet()
    clip = simple.Clip(Input=wavelet)
    writer = simple.XMLUnstructuredGridWriter(Input=clip, FileName=str(tmp_path / "clip.vtu"))
    writer.UpdatePipeline()
    reader = vtkXMLUnstructuredGridReader()
    reader.SetFileName(str(tmp_path / "clip.vtu"))
    reader.Update()
    assert reader.GetOutput().GetNumberOfCells() == clip.GetDataInformation().GetNumberOfCells()
    csv = simple.DataSetCSVWriter(wavelet, FileName=str(tmp_path / "points.csv"))
    csv.UpdatePipeline()
    lines = (tmp_path / "points.csv").read_text().splitlines()
    assert len(lines) == 1 + wavelet.GetDataInformation().GetNumberOfPoints() and "RTData" in lines[0]
    with pytest.raises(PVError, match=r"writes \.vtp files"):
        simple.XMLPolyDataWriter(Input=wavelet, FileName=str(tmp_path / "x.vtu")).UpdatePipeline()
    with pytest.raises(NotSupportedException, match="formats written here"):
        simple.CreateWriter(str(tmp_path / "x.exo"), wavelet)
    with pytest.raises(NotSupportedException, match="SaveScreenshot"):
        simple.PNGWriter(Input=wavelet, FileName=str(tmp_path / "x.png"))
    with pytest.raises(NotSupportedException, match="every array"):
        simple.CreateWriter(str(tmp_path / "x.vtp"), wavelet, ChooseArraysToWrite=1)
    with pytest.raises(AttributeError, match="no property"):
        simple.CreateWriter(str(tmp_path / "x.vtp"), wavelet, Nonsense=1)
    with pytest.raises(NotSupportedException, match="AnimationTime"):
        simple.CreateWriter(str(tmp_path / "y.vtp"), wavelet).UpdatePipeline(1.0)


# ------------------------------------------------------------------------------------------------- refusals


def test_load_plugin_is_refused_naming_pvserver_plugin(simple, tmp_path) -> None:
    module = tmp_path / "my_filters.py"
    module.write_text("DEFINITIONS = ()\n")
    with pytest.raises(NotSupportedException, match=r"`pvserver --plugin my_filters.py`"):
        simple.LoadPlugin(str(module), ns=globals())
    with pytest.raises(NotSupportedException, match=r"ParaView plugins are not loaded here.*pvserver --plugin"):
        simple.LoadPlugin("libSurfaceLIC.so", remote=False)


def test_write_animation_names_save_animation(simple) -> None:
    with pytest.raises(NotSupportedException, match="SaveAnimation"):
        simple.WriteAnimation("movie.png")
    with pytest.raises(NotSupportedException, match="SaveAnimation"):
        simple.WriteAnimationGeometry("geometry.pvd")
