"""Chart and spreadsheet views on the built-in session: a PlotOverLine's line chart, a Histogram's bar chart, the
spreadsheet's CSV (compared with what VTK's vtkDelimitedTextWriter writes of the same table), a table's rows in
the data information, and a render view exported as a 3D scene."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pvcore.errors import PVError
from pvserver.rendering.imaging import decode_image

pytestmark = pytest.mark.timeout(60)

RED = (227, 26, 28)  # ParaView's first series colour after black (0.89, 0.1, 0.11)


def chart_pixels(view, width: int = 400, height: int = 300) -> np.ndarray:
    return decode_image(view.CaptureImage(width, height).data).astype(np.int32)


def near(image: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    return np.abs(image - np.asarray(colour)).max(axis=2) <= tolerance


def line_chart(simple, **series):
    wavelet = simple.Wavelet()
    line = simple.PlotOverLine(Input=wavelet, Point1=[-10, -10, -10], Point2=[10, 10, 10])
    view = simple.CreateView("XYChartView")
    rep = simple.Show(line, view, "XYChartRepresentation", **series)
    return view, rep


def test_line_chart_draws_the_series_in_its_colour_along_the_plot(simple):
    view, rep = line_chart(simple)
    assert rep.GetXMLName() == "XYChartRepresentation" and view.GetXMLName() == "XYChartView"
    image = chart_pixels(view)
    columns = near(image, RED).any(axis=0)  # ParaView's default colour of RTData, the one series shown
    assert columns.sum() > 0.7 * image.shape[1]
    rep.SeriesColor = ["RTData", "0", "0", "1"]
    image = chart_pixels(view)
    assert near(image, (0, 0, 255)).any(axis=0).sum() > 0.7 * image.shape[1]
    assert near(image, RED, 20).sum() == 0
    rep.SeriesVisibility = ["vtkValidPointMask"]  # a constant 1: a horizontal line in its default colour
    image = chart_pixels(view)
    assert near(image, (0, 0, 255)).sum() == 0


def test_line_chart_is_drawn_by_save_screenshot_with_title_and_hidden_legend(simple, tmp_path):
    view, _ = line_chart(simple, SeriesLineThickness=["RTData", "6"])
    view.ChartTitle, view.ShowLegend, view.LeftAxisLogScale = "Probe", 0, 1
    view.BottomAxisUseCustomRange, view.BottomAxisRangeMinimum, view.BottomAxisRangeMaximum = 1, 0.0, 10.0
    path = tmp_path / "chart.png"
    simple.SaveScreenshot(str(path), view, ImageResolution=[320, 240])
    image = decode_image(path.read_bytes()).astype(np.int32)
    assert image.shape == (240, 320, 3)
    assert near(image, RED).sum() > 320 * 3  # a thick line


def test_histogram_bar_chart_has_one_bar_per_non_empty_bin(simple):
    wavelet = simple.Wavelet()
    histogram = simple.Histogram(Input=wavelet, BinCount=5)
    simple.SetActiveView(None)
    rep = simple.Show(histogram)  # ParaView's preferred view of a histogram
    view = simple.GetActiveView()
    assert view.GetXMLName() == "XYBarChartView" and rep.GetXMLName() == "XYBarChartRepresentation"
    image = chart_pixels(view, 400, 400)
    red = near(image, RED, 30)
    assert red.sum() > 0.1 * image.shape[0] * image.shape[1]  # filled bars
    row = red[int(image.shape[0] * 0.9)]  # just above the axis: every bar crosses it
    runs = int(np.count_nonzero(np.diff(row.astype(np.int8)) == 1))
    counts = histogram.GetDataInformation().RowData["bin_values"].GetRange()
    assert runs == 5 and counts[0] > 0


def test_table_rows_are_in_the_data_information(simple):
    histogram = simple.Histogram(Input=simple.Wavelet(), BinCount=7)
    info = histogram.GetDataInformation()
    assert info.GetNumberOfRows() == 7
    assert list(histogram.RowData.keys()) == ["bin_extents", "bin_values"]
    assert histogram.RowData["bin_values"].GetRange()[1] > 0
    assert simple.Wavelet().GetDataInformation().GetNumberOfRows() == 0


def expected_csv(tmp_path, columns: list[tuple[str, list]]) -> str:
    """What VTK's vtkDelimitedTextWriter writes of a table of these columns (unquoted strings)."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkTable
    from vtkmodules.vtkIOCore import vtkDelimitedTextWriter

    table = vtkTable()
    for name, values in columns:
        array = numpy_to_vtk(np.ascontiguousarray(values), deep=True)
        array.SetName(name)
        table.AddColumn(array)
    writer = vtkDelimitedTextWriter()
    writer.SetInputData(table)
    writer.SetUseStringDelimiter(False)
    writer.SetFileName(str(tmp_path / "expected.csv"))
    writer.Write()
    return (tmp_path / "expected.csv").read_text()


def sphere_columns() -> tuple[np.ndarray, np.ndarray]:
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    source = vtkSphereSource(theta_resolution=4, phi_resolution=3)
    source.Update()
    out = source.GetOutput()
    return vtk_to_numpy(out.GetPoints().GetData()), vtk_to_numpy(out.GetPointData().GetNormals())


def test_spreadsheet_exports_the_csv_vtk_writes_of_its_table(simple, tmp_path):
    sphere = simple.Sphere(ThetaResolution=4, PhiResolution=3)
    view = simple.CreateView("SpreadSheetView")
    simple.Show(sphere, view)
    path = tmp_path / "sheet.csv"
    simple.ExportView(str(path), view=view)
    points, normals = sphere_columns()
    columns = [("Point ID", np.arange(len(points), dtype=np.int64))]
    for name, values in (("Normals", normals), ("Points", points)):
        columns += [(f"{name}_{k}", values[:, k]) for k in range(3)]
        columns.append((f"{name}_Magnitude", np.linalg.norm(values.astype(np.float64), axis=1)))
    text = path.read_text()
    assert text == expected_csv(tmp_path, columns)
    assert text.splitlines()[0] == (  # ParaView 5.11's header for this sphere
        "Point ID,Normals_0,Normals_1,Normals_2,Normals_Magnitude,Points_0,Points_1,Points_2,Points_Magnitude"
    )
    view.HiddenColumnLabels = ["Normals", "Point ID"]  # a vector's name hides its components (ParaView's way)
    view.ColumnToSort, view.InvertOrder = "Points_2", 1
    simple.ExportView(str(path), view=view)
    order = sorted(range(len(points)), key=lambda i: points[i, 2], reverse=True)
    kept = [c for c in columns if c[0] not in ("Point ID", "Normals_0", "Normals_1", "Normals_2")]
    assert path.read_text() == expected_csv(tmp_path, [(n, np.asarray(v)[order]) for n, v in kept])


def test_spreadsheet_of_a_table_lists_its_rows(simple, tmp_path):
    histogram = simple.Histogram(Input=simple.Wavelet(), BinCount=3)
    view = simple.CreateView("SpreadSheetView", FieldAssociation="Row Data")
    simple.Show(histogram, view)
    path = tmp_path / "table.csv"
    simple.ExportView(str(path), view=view)
    lines = path.read_text().splitlines()
    assert lines[0] == "Row ID,bin_extents,bin_values" and len(lines) == 4
    total = sum(int(float(line.split(",")[2])) for line in lines[1:])
    assert total == 21**3  # every point of the wavelet counted once


def test_render_view_exports_a_3d_scene_of_all_its_data(simple, tmp_path):
    sphere = simple.Sphere(ThetaResolution=8, PhiResolution=6)
    view = simple.CreateRenderView()
    simple.Show(sphere, view)
    simple.Render(view)
    simple.ExportView(str(tmp_path / "scene.gltf"), view=view)
    scene = json.loads((tmp_path / "scene.gltf").read_text())
    counts = [
        scene["accessors"][p["attributes"]["POSITION"]]["count"] for m in scene["meshes"] for p in m["primitives"]
    ]
    assert counts == [sphere.GetDataInformation().GetNumberOfPoints()]
    simple.ExportView(str(tmp_path / "scene.x3d"), view=view)
    assert "<Shape" in (tmp_path / "scene.x3d").read_text()
    with pytest.raises(PVError, match="extensions"):
        simple.ExportView(str(tmp_path / "scene.stl"), view=view)


def test_view_types_and_errors(simple):
    for kind in ("XYChartView", "XYBarChartView", "XYHistogramChartView", "SpreadSheetView"):
        assert simple.CreateView(kind).GetXMLName() == kind
    assert simple.CreateXYPlotView().GetXMLName() == "XYChartView"
    assert simple.CreateBarChartView().GetXMLName() == "XYBarChartView"
    with pytest.raises(PVError, match="XYChartView"):
        simple.CreateView("LineChartView")  # not a ParaView 5.11 type either
    sheet = simple.CreateView("SpreadSheetView")
    simple.Show(simple.Sphere(), sheet)
    simple.Render(sheet)  # brings its data up to date, as ParaView's
    with pytest.raises(PVError, match="spreadsheet"):
        sheet.CaptureImage()  # but it has no picture
    with pytest.raises(PVError, match=r"\.csv"):
        simple.ExportView("table.txt", view=sheet)


def test_a_layout_screenshot_holds_a_chart_beside_a_render_view(simple, tmp_path):
    render = simple.CreateRenderView(OrientationAxesVisibility=0)  # its red X axis would count as the line
    simple.Show(simple.Sphere(), render)
    chart, _ = line_chart(simple)
    layout = simple.CreateLayout("charts")
    layout.SplitHorizontal(0, 0.5)
    layout.AssignView(1, render)
    layout.AssignView(2, chart)
    path = tmp_path / "layout.png"
    simple.SaveScreenshot(str(path), layout, ImageResolution=[600, 300])
    image = decode_image(path.read_bytes()).astype(np.int32)
    red = near(image, RED, 30)
    assert red[:, :290].sum() == 0 and red[:, 310:].any(axis=0).sum() > 200  # the chart's line, on the right


def test_histogram_view_counts_an_array_into_touching_bars(simple):
    wavelet = simple.Wavelet()
    view = simple.CreateView("XYHistogramChartView")
    rep = simple.Show(wavelet, view)
    assert rep.GetXMLName() == "HistogramChartRepresentation"
    rep.SelectInputArray, rep.BinCount = ["POINTS", "RTData"], 10
    blue = near(chart_pixels(view, 400, 300), (0, 0, 255), 10)
    row = blue[int(300 * 0.88)]  # across every bar, near the axis
    assert np.count_nonzero(np.diff(row.astype(np.int8)) == 1) == 1  # no gaps: one run of blue
    assert row.sum() > 0.6 * 400
    rep.UseCustomBinRanges, rep.CustomBinRanges = 1, [150.0, 160.0]  # one tenth of the range: fewer values
    narrow = near(chart_pixels(view, 400, 300), (0, 0, 255), 10)
    assert not np.array_equal(narrow, blue)
    rep.SelectInputArray = ["POINTS", "NoSuchArray"]
    with pytest.raises(PVError, match="NoSuchArray"):
        view.CaptureImage()
