"""Charts on 2 ranks (a line chart, a bar chart of a Histogram, a histogram view of an array): rank 0 draws them
from the data of all ranks, so each is the same picture as on the built-in session; a spreadsheet's CSV, a
table's rows and a render view's exported scene (the data of all ranks, merged) are the same too."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pvserver.rendering.imaging import decode_image

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(90)]


def charts(simple, tmp_path, tag: str) -> dict:
    """A line chart of a probe, a bar chart of a histogram (both over data split over the ranks), their table."""
    wavelet = simple.Wavelet()
    line = simple.PlotOverLine(Input=wavelet, Point1=[-10, -10, -10], Point2=[10, 10, 10])
    line_view = simple.CreateView("XYChartView")
    simple.Show(line, line_view, SeriesColor=["RTData", "0", "0", "1"])
    line_view.ChartTitle = "RTData"
    histogram = simple.Histogram(Input=wavelet, BinCount=6)
    bar_view = simple.CreateView("XYBarChartView")
    simple.Show(histogram, bar_view)
    counted = simple.CreateView("XYHistogramChartView")
    simple.Show(wavelet, counted, SelectInputArray=["POINTS", "RTData"], BinCount=12)
    sheet = simple.CreateView("SpreadSheetView", FieldAssociation="Row Data")
    simple.Show(histogram, sheet)
    path = tmp_path / f"{tag}.csv"
    simple.ExportView(str(path), view=sheet)
    render = simple.CreateRenderView()
    simple.Show(simple.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[150.0]), render)
    scene = tmp_path / f"{tag}.gltf"
    simple.ExportView(str(scene), view=render)
    meshes = json.loads(scene.read_text())
    return {
        "scene": [  # the triangles' corners (points on the ranks' boundaries are written once per piece)
            meshes["accessors"][p["indices"]]["count"] for m in meshes["meshes"] for p in m["primitives"]
        ],
        "line": decode_image(line_view.CaptureImage(400, 300).data),
        "bars": decode_image(bar_view.CaptureImage(300, 300).data),
        "counted": decode_image(counted.CaptureImage(300, 200).data),
        "rows": histogram.GetDataInformation().GetNumberOfRows(),
        "csv": path.read_text(),
    }


def test_charts_on_two_ranks_are_the_built_in_sessions(simple_state, server2, tmp_path):
    simple_state.Connect()
    reference = charts(simple_state, tmp_path, "builtin")
    simple_state.Disconnect()
    simple_state.Connect(server2.url)
    found = charts(simple_state, tmp_path, "parallel")
    assert (reference["line"] == (0, 0, 255)).all(axis=2).any(axis=0).sum() > 200  # the series is drawn
    np.testing.assert_array_equal(found["line"], reference["line"])
    np.testing.assert_array_equal(found["bars"], reference["bars"])
    np.testing.assert_array_equal(found["counted"], reference["counted"])  # shared points counted once
    assert found["rows"] == reference["rows"] == 6
    assert found["csv"] == reference["csv"]
    assert found["scene"] == reference["scene"] and reference["scene"][0] > 100  # all ranks' pieces, merged
