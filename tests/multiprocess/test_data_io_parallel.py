"""The same data on 1, 2, 3 and 4 ranks: read -> filter -> write agrees across rank counts, pieces get ghost
layers so that neighbour filters have no seams, read data draws the same on 3 ranks as on 1, and ghost layers
are not written.

Every dataset is small and written by the tests themselves with VTK (tests/data_io_datasets.py) into the data
directory of the module's servers (``--data-dir``, ``--multi-clients``: tests/multiprocess/conftest.py).
The built-in session has no data directory: it is given absolute paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from data_io_checks import (
    assert_same_image,
    assert_same_points,
    assert_same_structured,
    connect,
    fixed_view,
    foreground,
    pixels,
    read_local,
)
from data_io_datasets import ISO
from servers import ServerProcess

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]


def pipeline_totals(simple, path: str, write_to: str) -> dict[str, Any]:
    """File -> Contour -> file: the totals of both, as numbers to compare across rank counts."""
    reader = simple.OpenDataFile(path)
    contour = simple.Contour(Input=reader, ContourBy=["POINTS", "RTData"], Isosurfaces=[ISO])
    simple.SaveData(write_to, contour)
    info, cinfo = reader.GetDataInformation(), contour.GetDataInformation()
    return {
        "reader": reader,
        "contour": contour,
        "cells": info.GetNumberOfCells(),
        "points": info.GetNumberOfPoints(),
        "partitions": info.GetNumberOfPartitions(),
        "bounds": info.GetBounds(),
        "range": info.PointData["RTData"].GetRange(),
        "contour_cells": cinfo.GetNumberOfCells(),
        "contour_bounds": cinfo.GetBounds(),
        "contour_range": cinfo.PointData["RTData"].GetRange(),
    }


def contour_image(simple, contour) -> np.ndarray:
    view = fixed_view(simple, (30.0, 20.0, 50.0))
    rep = simple.Show(contour, view)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    lut = simple.GetColorTransferFunction("RTData")  # shared by the server's clients: set it completely
    lut.ApplyPreset("Cool to Warm", False)
    lut.RescaleTransferFunction(100.0, 200.0)
    return pixels(view)


@pytest.fixture(scope="module")
def pvtu_from_3_ranks(data_server3: ServerProcess, data_dir: Path) -> Path:
    """wave.vtu read on 3 ranks and saved as a partitioned file (a piece per rank and the summary)."""
    import simple

    conn = simple.Connect(data_server3.url)
    try:
        reader = simple.OpenDataFile("wave.vtu")
        assert reader.GetDataInformation().GetNumberOfPartitions() == 3
        simple.SaveData("wave3.pvtu", reader)
    finally:
        simple.Disconnect(conn)
    summary = (data_dir / "wave3.pvtu").read_text()
    sources = re.findall(r'Source="([^"]+)"', summary)
    assert len(sources) == 3, summary
    assert all((data_dir / s).is_file() for s in sources), sources
    return data_dir / "wave3.pvtu"


@pytest.mark.timeout(90)
@pytest.mark.parametrize("name", ["wave.vtu", "wave3.pvtu"])
def test_read_filter_write_agrees_on_1_2_4_ranks(
    simple_state, data_server2, data_server4, data_dir, data_files, pvtu_from_3_ranks, name: str
) -> None:
    reference: dict[str, Any] = {}
    reference_image = None
    for server in (None, data_server2, data_server4):
        ranks = server.ranks if server else 1
        where = f"{name} on {ranks} rank(s)"
        path = connect(simple_state, server, data_dir)
        out = f"contour_{Path(name).stem}_{ranks}.vtp"
        got = pipeline_totals(simple_state, path(name), path(out))
        image = contour_image(simple_state, got.pop("contour"))
        got.pop("reader")
        written = read_local(data_dir / out)
        got["written_cells"] = written.GetNumberOfCells()
        got["written_range"] = written.GetPointData().GetArray("RTData").GetRange()
        if server is None:
            reference, reference_image = got, image
            assert got["cells"] == 8000 and got["contour_cells"] > 1000, got
            assert got["written_cells"] == got["contour_cells"]
            assert 0.02 < foreground(image).mean() < 0.9, f"{where}: the reference shows too little"
            continue
        expected_partitions = min(ranks, 3) if name.endswith(".pvtu") else ranks
        assert got["partitions"] == expected_partitions, where  # the data really is spread over the ranks
        assert got["cells"] == reference["cells"], where
        assert got["points"] >= reference["points"], where  # boundary points count once per rank holding them
        assert got["bounds"] == pytest.approx(reference["bounds"]), where
        assert got["range"] == pytest.approx(reference["range"]), where
        assert got["contour_cells"] == reference["contour_cells"], where
        assert got["contour_bounds"] == pytest.approx(reference["contour_bounds"], abs=1e-5), where
        assert got["contour_range"] == pytest.approx(reference["contour_range"]), where
        assert got["written_cells"] == reference["written_cells"], where  # gathered to one file on rank 0
        assert got["written_range"] == pytest.approx(reference["written_range"]), where
        assert_same_image(reference_image, image, where)


@pytest.mark.parametrize("ext", [".vti", ".vts", ".vtr", ".pvti", ".vtu", ".pvtu"])
def test_pieces_get_ghost_layers_so_neighbour_filters_have_no_seams(
    simple_state, data_server3, data_dir, data_files, ext: str
) -> None:
    """Point -> cell -> point averaging needs the cells across each partition boundary: with the ghost layers VTK
    reads from the neighbours' extents of structured data, or the scatter adds to the parts of an unstructured
    grid or the ranks trade for the pieces of a partitioned one, the 3-rank result equals the serial one at every
    point."""
    fetched = []
    for server in (None, data_server3):
        path = connect(simple_state, server, data_dir)
        cells = simple_state.PointDatatoCellData(Input=simple_state.OpenDataFile(path(data_files[ext].name)))
        data = simple_state.Fetch(simple_state.CellDatatoPointData(Input=cells))
        assert data.GetClassName() == read_local(data_files[ext]).GetClassName()
        assert data.GetPointData().GetArray("vtkGhostType") is None
        assert data.GetNumberOfCells() == read_local(data_files[ext]).GetNumberOfCells()  # ghost cells not merged in
        fetched.append(data)
        simple_state.Disconnect()
    if fetched[0].GetClassName() in ("vtkImageData", "vtkStructuredGrid", "vtkRectilinearGrid"):
        assert_same_structured(fetched[1], fetched[0])  # point for point in index order
    else:
        assert_same_points(fetched[1], fetched[0], "RTData", rtol=1e-6)  # each point where it is


#: What is shown of read data, how, and with what opacity: the reader itself translucent or as a wireframe, a
#: translucent Threshold of it, and point -> cell -> point averages (which need ghost cells) with their edges.
SHOWN_OF_READ_DATA: dict[str, tuple[Callable[[Any, Any], Any], str, float]] = {
    "translucent": (lambda simple, reader: reader, "Surface", 0.5),
    "wireframe": (lambda simple, reader: reader, "Wireframe", 1.0),
    "threshold": (
        lambda simple, reader: simple.Threshold(
            Input=reader, Scalars=["POINTS", "RTData"], LowerThreshold=100.0, UpperThreshold=200.0
        ),
        "Surface",
        0.6,
    ),
    "averaged": (
        lambda simple, reader: simple.CellDatatoPointData(Input=simple.PointDatatoCellData(Input=reader)),
        "Surface With Edges",
        1.0,
    ),
}


@pytest.mark.parametrize("shown", list(SHOWN_OF_READ_DATA))
@pytest.mark.parametrize("name", ["wave.vtu", "wave2.pvtu"])
def test_read_unstructured_data_draws_the_same_on_3_ranks(
    simple_state, data_server3, data_dir, data_files, shown: str, name: str
) -> None:
    """Data read from one .vtu (scattered) or a .pvtu (pieces) and what is computed from it look the same on 3
    ranks as on 1: no faces where the ranks' parts meet, no seams in averages, nothing drawn twice."""
    make, representation, opacity = SHOWN_OF_READ_DATA[shown]
    images = []
    for server in (None, data_server3):
        path = connect(simple_state, server, data_dir)
        view = fixed_view(simple_state, (30.0, 20.0, 50.0))
        source = make(simple_state, simple_state.OpenDataFile(path(name)))
        rep = simple_state.Show(source, view, Representation=representation, Opacity=opacity)
        simple_state.ColorBy(rep, ("POINTS", "RTData"))
        lut = simple_state.GetColorTransferFunction("RTData")
        lut.ApplyPreset("Cool to Warm", False)
        lut.RescaleTransferFunction(40.0, 280.0)
        images.append(pixels(view))
        simple_state.Disconnect()
    assert 0.05 < foreground(images[0]).mean() < 0.9
    assert_same_image(images[0], images[1], f"{shown} {name} on 3 ranks")


def test_ghost_layers_are_not_written(simple_state, data_server3, data_dir) -> None:
    """A Wavelet contoured on 3 ranks holds ghost layers; its .pvti pieces do not overlap, and hold no ghosts."""
    simple_state.Connect(data_server3.url)
    wavelet = simple_state.Wavelet()
    simple_state.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[150.0]).UpdatePipeline()
    simple_state.SaveData("ghosted.pvti", wavelet)
    summary = (data_dir / "ghosted.pvti").read_text()
    assert "vtkGhostType" not in summary, summary
    extents = [list(map(int, e.split())) for e in re.findall(r'<Piece Extent="([^"]+)"', summary)]
    assert len(extents) == 3, summary
    cells = sum(np.prod([max(e[2 * a + 1] - e[2 * a], 1) for a in range(3)]) for e in extents)
    assert cells == 8000, extents  # the pieces' cells add up to the whole, none counted twice
    back = read_local(data_dir / "ghosted.pvti")
    assert back.GetNumberOfCells() == 8000 and back.GetPointData().GetArray("vtkGhostType") is None
