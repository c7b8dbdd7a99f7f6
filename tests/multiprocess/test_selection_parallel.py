"""Selections on a 3-rank server: where a selection means the same on any number of ranks (thresholds, locations,
queries of arrays, global ids), extracting gives the cells, bounds and ranges that VTK gives on the whole data in
the test process (one rank); ids are ParaView's (process, id) pairs, the id within that rank's piece; and the
active selection of a source is shared state that a second client sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from servers import ServerProcess
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkFiltersCore import vtkAppendFilter, vtkPointDataToCellData
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkIOXML import vtkXMLUnstructuredGridWriter

from pvclient.connection import Connection, parse_url
from simple.selection import active_selection

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(90)]


def _cell_rtdata() -> tuple[object, np.ndarray]:
    """The Wavelet with RTData averaged onto its cells (the one-rank reference) and those cell values."""
    wavelet = vtkRTAnalyticSource()
    cells = vtkPointDataToCellData()
    cells.SetInputConnection(wavelet.GetOutputPort())
    cells.Update()
    data = cells.GetOutput()
    return data, vtk_to_numpy(data.GetCellData().GetArray("RTData"))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding gids.vtu: the Wavelet's cells with global ids 1000, 1001, ..."""
    root = tmp_path_factory.mktemp("selection-data")
    wavelet = vtkRTAnalyticSource()
    append = vtkAppendFilter()
    append.SetInputConnection(wavelet.GetOutputPort())
    append.Update()
    grid = append.GetOutput()
    gids = numpy_to_vtk(np.arange(1000, 1000 + grid.GetNumberOfCells(), dtype=np.int64), deep=1)
    gids.SetName("gids")
    grid.GetCellData().SetGlobalIds(gids)
    writer = vtkXMLUnstructuredGridWriter()
    writer.SetInputData(grid)
    writer.SetFileName(str(root / "gids.vtu"))
    writer.Write()
    return root


@pytest.fixture(scope="module")
def server3(data_dir: Path) -> Iterator[ServerProcess]:
    """A 3-rank server shared by this module's tests."""
    with ServerProcess(3, "--multi-clients", "--data-dir", str(data_dir)) as server:
        yield server


@pytest.fixture
def simple(simple_state, server3):
    """``simple`` connected to the 3-rank server."""
    simple_state.Connect(server3.url)
    assert simple_state.GetActiveConnection().GetNumberOfDataPartitions() == 3
    return simple_state


def _cells(proxy) -> int:
    return proxy.GetDataInformation().GetNumberOfCells()


def test_thresholds_and_queries_of_cells_extract_what_one_rank_extracts(simple) -> None:
    reference, rt = _cell_rtdata()
    cells = simple.PointDatatoCellData(Input=simple.Wavelet())
    assert cells.GetDataInformation().GetNumberOfPartitions() == 3  # the data really is spread over the ranks
    simple.SelectThresholds(Thresholds=[100, 150, 250, 300], ArrayName="RTData", FieldType="CELL", Source=cells)
    extract = simple.ExtractSelection(Input=cells)
    chosen = rt[((rt >= 100) & (rt <= 150)) | ((rt >= 250) & (rt <= 300))]
    assert _cells(extract) == len(chosen) > 0
    assert extract.CellData["RTData"].GetRange() == pytest.approx((chosen.min(), chosen.max()))
    simple.QuerySelect(QueryString="RTData > 200", FieldType="CELL", Source=cells)
    query = simple.ExtractSelection(Input=cells)
    assert _cells(query) == int((rt > 200).sum())
    assert query.CellData["RTData"].GetRange() == pytest.approx((rt[rt > 200].min(), rt.max()))
    simple.SelectThresholds(Thresholds=[100, 110], ArrayName="RTData", FieldType="CELL", Source=cells, Modifier="ADD")
    assert _cells(simple.ExtractSelection(Input=cells)) == int(((rt > 200) | ((rt >= 100) & (rt <= 110))).sum())
    simple.QuerySelect("RTData >= max(RTData) - 5", "CELL", cells)  # the maximum of all ranks, as ParaView's
    top = simple.ExtractSelection(Input=cells)
    assert _cells(top) == int((rt >= rt.max() - 5).sum())
    assert top.CellData["RTData"].GetRange()[1] == pytest.approx(rt.max())
    simple.QuerySelect("RTData > 200", "CELL", cells, InsideOut=True)
    inverse = simple.ExtractSelection(Input=cells)
    assert _cells(inverse) == int((rt <= 200).sum())
    assert inverse.GetDataInformation().GetBounds() == pytest.approx(reference.GetBounds())


def test_locations_pick_the_same_points_on_three_ranks(simple) -> None:
    wavelet = simple.Wavelet()
    wanted = np.array([[0, 0, 0], [3, -2, 5], [10, 10, 10], [-10, 4, 0]], dtype=float)
    simple.SelectLocation(Locations=wanted.ravel().tolist(), Source=wavelet)
    merged = simple.Fetch(simple.ExtractSelection(Input=wavelet))
    got = np.unique(vtk_to_numpy(merged.GetPoints().GetData()).round(6), axis=0)
    assert got.tolist() == np.unique(wanted, axis=0).tolist()  # a point two pieces share may come twice


def test_global_ids_select_the_same_cells_however_the_file_is_split(simple) -> None:
    reader = simple.OpenDataFile("gids.vtu")
    assert reader.GetDataInformation().GetNumberOfPartitions() == 3
    simple.SelectGlobalIDs(IDs=[1000, 4321, 8999, 50], FieldType="CELL", Source=reader)
    extract = simple.ExtractSelection(Input=reader)
    assert _cells(extract) == 3
    assert extract.CellData["gids"].GetRange() == (1000.0, 8999.0)


def test_ids_are_process_id_pairs(simple) -> None:
    ids = simple.GenerateIds(Input=simple.Wavelet())
    simple.SelectIDs(IDs=[0, 3, 1, 3, 2, 3], FieldType="CELL", Source=ids)
    each = simple.Fetch(simple.ExtractSelection(Input=ids))
    assert each.GetNumberOfCells() == 3  # cell 3 of each rank's piece
    assert set(vtk_to_numpy(each.GetCellData().GetArray("CellIds")).tolist()) == {3}
    centres = {tuple(np.round(each.GetCell(i).GetBounds(), 6)) for i in range(3)}
    assert len(centres) == 3  # three different cells: one of each piece
    simple.SelectIDs(IDs=[-1, 3], FieldType="CELL", Source=ids)
    assert _cells(simple.ExtractSelection(Input=ids)) == 3  # process -1: every rank
    simple.SelectIDs(IDs=[1, 3, 7, 3], FieldType="CELL", Source=ids)  # there is no rank 7
    one = simple.Fetch(simple.ExtractSelection(Input=ids))
    assert one.GetNumberOfCells() == 1
    assert tuple(np.round(one.GetCell(0).GetBounds(), 6)) in centres


def test_a_second_client_sees_the_active_selection(simple, server3) -> None:
    sphere = simple.Sphere()
    simple.SelectIDs(IDs=[0, 1, 0, 2], FieldType="CELL", Source=sphere)
    other = Connection.remote(*parse_url(server3.url))
    try:
        other.process_events(timeout=0.5)
        theirs = other.proxy(sphere.GlobalID)
        seen = active_selection(theirs)
        assert seen is not None and seen.GlobalID == active_selection(sphere).GlobalID
        assert (seen.GetXMLName(), list(seen.IDs)) == ("IDSelectionSource", [0, 1, 0, 2])
        simple.ClearSelection(sphere)
        deadline = 50
        while active_selection(theirs) is not None and deadline:
            other.process_events(timeout=0.1)
            deadline -= 1
        assert active_selection(theirs) is None
        assert seen.GlobalID not in other.states  # used by nothing else: deleted, for every client
    finally:
        other.close()


def test_selecting_through_pixels_gives_what_one_rank_gives(simple) -> None:
    wavelet = simple.Wavelet()
    simple.Show(wavelet)
    view = simple.GetActiveView()
    view.ViewSize = [400, 250]
    simple.ResetCamera()
    camera = simple.GetActiveCamera()
    camera.Azimuth(30)
    camera.Elevation(20)
    simple.SelectCellsThrough(Rectangle=[50, 40, 210, 190], View=view)
    extract = simple.ExtractSelection(Input=wavelet)
    assert _cells(extract) == 4825  # ParaView 5.11 on one rank, the same view
    simple.SelectCellsThrough(Rectangle=[200, 100, 200, 100], View=view)  # one pixel
    assert _cells(simple.ExtractSelection(Input=wavelet)) == 48
