"""Selections through ``simple`` / ``paraview.selection`` on the built-in session: ParaView's defaults, and the
same extraction as VTK's own vtkSelectionSource + vtkExtractSelection run here on the same input.

Expected defaults and counts are ParaView 5.11's (its extraction_filters.xml, and pvpython 5.11 run on the same
scripts: SelectIDs of cells (0, 1), (0, 2) of a Sphere extracts 2 cells; a Wavelet's points with RTData in
[100, 150] are 3540; QuerySelect 'id >= 7' of its cells extracts 7993 cells and 9254 points, 'RTData > 200' of its
points 1489 points, the same query inside out of [100, 150] 5721; composite ids (1, 0, 3), (2, 0, 4), (2, 0, 5) of
GroupDatasets(Sphere, Cone(Resolution=10)) 3 cells and 7 points).
"""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkIdTypeArray
from vtkmodules.vtkCommonDataModel import vtkSelection, vtkSelectionNode
from vtkmodules.vtkFiltersExtraction import vtkExtractSelection
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkIOXML import vtkXMLUnstructuredGridWriter

from pvclient.properties import NotSupportedException
from pvcore.definitions.selections import SELECTION_SOURCES
from pvcore.errors import PipelineError, PropertyError
from simple.selection import active_selection

pytestmark = pytest.mark.timeout(60)


def _counts(proxy) -> tuple[int, int]:
    info = proxy.GetDataInformation()
    return info.GetNumberOfPoints(), info.GetNumberOfCells()


def _vtk_extract(data, content: int, field: int, values, name: str = "", components: int = 1, **flags: int):
    """VTK's own extraction of ``data`` by one selection node (the reference)."""
    node = vtkSelectionNode()
    node.SetContentType(content)
    node.SetFieldType(field)
    array = numpy_to_vtk(np.asarray(values, dtype=float if content != vtkSelectionNode.INDICES else np.int64))
    if content == vtkSelectionNode.INDICES:
        array = vtkIdTypeArray()
        for v in values:
            array.InsertNextValue(v)
    array.SetNumberOfComponents(components)
    if name:
        array.SetName(name)
    node.SetSelectionList(array)
    for key, value in flags.items():
        node.GetProperties().Set(getattr(vtkSelectionNode, key)(), value)
    selection = vtkSelection()
    selection.AddNode(node)
    extract = vtkExtractSelection()
    extract.SetInputDataObject(0, data)
    extract.SetInputDataObject(1, selection)
    extract.Update()
    out = extract.GetOutputDataObject(0)
    return out.GetNumberOfPoints(), out.GetNumberOfCells()


def _vtk_sphere():
    sphere = vtkSphereSource()
    sphere.Update()
    return sphere.GetOutput()


def _vtk_wavelet():
    wavelet = vtkRTAnalyticSource()
    wavelet.Update()
    return wavelet.GetOutput()


def test_selection_sources_have_paraviews_defaults_and_stay_out_of_the_pipeline(simple) -> None:
    sphere = simple.Sphere()
    query = simple.SelectCells("id >= 10", proxy=sphere)
    assert (query.GetXMLName(), query.ElementType, query.QueryString, query.InsideOut) == (
        "SelectionQuerySource",
        "Cell Data",
        "id >= 10",
        0,
    )
    conn = sphere.connection
    ids = conn.create(SELECTION_SOURCES, "IDSelectionSource")
    assert (ids.FieldType, list(ids.IDs), ids.ContainingCells, ids.InsideOut, ids.NumberOfLayers) == (
        "CELL",
        [],
        0,
        0,
        0,
    )
    threshold = conn.create(SELECTION_SOURCES, "ThresholdSelectionSource")
    assert (threshold.ArrayName, list(threshold.Thresholds), threshold.FieldType) == ("none", [], "CELL")
    assert list(conn.create(SELECTION_SOURCES, "GlobalIDSelectionSource").GlobalIDs) == []
    assert simple.ExtractSelection(Input=sphere).PreserveTopology == 0
    assert [p.type_name for p in simple.GetSources().values()] == ["Sphere", "ExtractSelection"]
    assert active_selection(sphere) == query


def test_select_ids_extracts_what_vtk_extracts(simple) -> None:
    sphere = simple.Sphere()
    simple.SelectIDs(IDs=[0, 1, 0, 2, 1, 5], FieldType="CELL", Source=sphere)  # (1, 5): rank 1's, not here
    extract = simple.ExtractSelection(Input=sphere)
    assert _counts(extract) == _vtk_extract(_vtk_sphere(), vtkSelectionNode.INDICES, 0, [1, 2]) == (4, 2)
    assert extract.GetDataInformation().GetDataSetTypeAsString() == "vtkUnstructuredGrid"
    simple.SelectIDs(IDs=[0, 3, 0, 4], FieldType="POINT", Source=sphere, ContainingCells=True)
    expected = _vtk_extract(_vtk_sphere(), vtkSelectionNode.INDICES, 1, [3, 4], CONTAINING_CELLS=1)
    assert _counts(simple.ExtractSelection(Input=sphere)) == expected
    simple.SelectIDs(IDs=[0, 3, 0, 4], FieldType="POINT", Source=sphere)
    assert _counts(simple.ExtractSelection(Input=sphere)) == (2, 2)  # a vertex per point, as in ParaView
    whole = simple.ExtractSelection(Input=sphere, PreserveTopology=1)
    assert _counts(whole) == _counts(sphere)
    assert "vtkInsidedness" in set(whole.PointData.keys())


def test_thresholds_locations_and_queries_match_vtk_and_paraview(simple) -> None:
    wavelet = simple.Wavelet()
    simple.SelectThresholds(Thresholds=[100, 150], ArrayName="RTData", FieldType="POINT", Source=wavelet)
    expected = _vtk_extract(_vtk_wavelet(), vtkSelectionNode.THRESHOLDS, 1, [100, 150], "RTData", components=2)
    assert _counts(simple.ExtractSelection(Input=wavelet)) == expected == (3540, 3540)
    simple.SelectLocation(Locations=[0, 0, 0, 1, 1, 1], Source=wavelet)
    assert _counts(simple.ExtractSelection(Input=wavelet)) == (2, 2)
    simple.QuerySelect(QueryString="id >= 7", FieldType="CELL", Source=wavelet)
    assert _counts(simple.ExtractSelection(Input=wavelet)) == (9254, 7993)
    rt = _vtk_wavelet().GetPointData().GetArray("RTData")
    values = np.array([rt.GetValue(i) for i in range(rt.GetNumberOfTuples())])
    simple.QuerySelect(QueryString="RTData > 200", FieldType="POINT", Source=wavelet)
    assert _counts(simple.ExtractSelection(Input=wavelet)) == (int((values > 200).sum()),) * 2 == (1489, 1489)
    simple.QuerySelect("(RTData > 100) & (RTData < 150)", "POINT", wavelet, InsideOut=True)
    extract = simple.ExtractSelection(Input=wavelet)
    assert _counts(extract)[0] == int((~((values > 100) & (values < 150))).sum()) == 5721
    assert not any(name.startswith("__pvcollab") for name in list(extract.PointData.keys()))  # the mask is removed
    simple.QuerySelect("inrange(RTData, 100, 150) and not id < 5", "POINT", wavelet)
    expected = int((((values >= 100) & (values <= 150)) & (np.arange(len(values)) >= 5)).sum())
    assert _counts(simple.ExtractSelection(Input=wavelet))[0] == expected
    simple.QuerySelect("RTData == max(RTData)", "POINT", wavelet)  # ParaView's Find Data "is max"
    top = simple.ExtractSelection(Input=wavelet)
    assert _counts(top)[0] == int((values == values.max()).sum())
    assert top.PointData["RTData"].GetRange() == pytest.approx((values.max(), values.max()))
    simple.QuerySelect("RTData <= min(RTData) + 0.1 * (max(RTData) - min(RTData))", "POINT", wavelet)
    low = values.min() + 0.1 * (values.max() - values.min())
    assert _counts(simple.ExtractSelection(Input=wavelet))[0] == int((values <= low).sum())


def test_modifiers_combine_with_the_active_selection(simple) -> None:
    sphere = simple.Sphere()
    simple.SelectIDs(IDs=[0, 1, 0, 2], FieldType="CELL", Source=sphere)
    simple.SelectIDs(IDs=[0, 7], FieldType="CELL", Source=sphere, Modifier="ADD")
    added = simple.ExtractSelection(Input=sphere)
    assert _counts(added)[1] == 3
    assert (added.Selection.GetXMLName(), added.Selection.Expression) == ("AppendSelections", "(s0)|s1")
    simple.SelectIDs(IDs=[0, 2], FieldType="CELL", Source=sphere, Modifier="SUBTRACT")
    assert _counts(simple.ExtractSelection(Input=sphere))[1] == 2  # cells 1 and 7
    simple.SelectIDs(IDs=[0, 1, 0, 3], FieldType="CELL", Source=sphere, Modifier="TOGGLE")
    assert _counts(simple.ExtractSelection(Input=sphere))[1] == 2  # cells 7 and 3
    assert _counts(added)[1] == 3  # an extraction keeps its own copy of the selection it was made with
    with pytest.raises(PropertyError, match="Modifier"):
        simple.SelectIDs(IDs=[0, 1], Source=sphere, Modifier="XOR")
    cone = simple.Cone()  # no extraction uses its selections: replacing one deletes all its parts
    simple.SelectIDs(IDs=[0, 1], FieldType="CELL", Source=cone)
    simple.SelectIDs(IDs=[0, 2], FieldType="CELL", Source=cone, Modifier="ADD")
    before = {gid for gid, st in cone.connection.states.items() if st.group == SELECTION_SOURCES}
    simple.SelectIDs(IDs=[0, 3], FieldType="CELL", Source=cone)
    after = {gid for gid, st in cone.connection.states.items() if st.group == SELECTION_SOURCES}
    assert after - before == {active_selection(cone).GlobalID} and len(before - after) == 3


def test_one_active_selection_per_source_and_clear(simple) -> None:
    sphere = simple.Sphere()
    conn = sphere.connection
    for _ in range(3):
        simple.SelectIDs(IDs=[0, 1], FieldType="CELL", Source=sphere)
    simple.SelectCells("id < 3")
    live = [st for st in conn.states.values() if st.group == SELECTION_SOURCES]
    assert len(live) == 1 and active_selection(sphere).GetXMLName() == "SelectionQuerySource"  # replaced, not kept
    kept = simple.ExtractSelection(Selection=active_selection(sphere), Input=sphere)
    simple.ClearSelection(sphere)
    assert active_selection(sphere) is None
    assert _counts(kept)[1] == 3  # the selection an extraction uses stays, detached from the source
    assert _counts(simple.ExtractSelection(Input=sphere)) == (0, 0)  # no active selection: nothing extracted
    simple.SelectCells(proxy=sphere)  # no query: every cell
    assert _counts(simple.ExtractSelection(Input=sphere))[1] == _counts(sphere)[1]
    simple.ClearSelection(proxy=sphere)
    simple.Delete(kept)


def test_a_selection_is_one_undo_step(simple) -> None:
    sphere = simple.Sphere()
    simple.SelectIDs(IDs=[0, 1], FieldType="CELL", Source=sphere)
    simple.SelectIDs(IDs=[0, 5, 0, 6], FieldType="CELL", Source=sphere)
    simple.Undo()
    assert list(active_selection(sphere).IDs) == [0, 1]
    simple.Redo()
    assert list(active_selection(sphere).IDs) == [0, 5, 0, 6]
    simple.ClearSelection(sphere)
    simple.Undo()
    assert list(active_selection(sphere).IDs) == [0, 5, 0, 6]


def test_composite_ids_select_in_the_given_block(simple) -> None:
    group = simple.GroupDatasets(Input=[simple.Sphere(), simple.Cone(Resolution=10)])
    simple.SelectCompositeDataIDs(IDs=[1, 0, 3, 2, 0, 4, 2, 0, 5], FieldType="CELL", Source=group)
    extract = simple.ExtractSelection(Input=group)
    assert _counts(extract) == (7, 3)
    assert extract.GetDataInformation().GetDataSetTypeAsString() == "vtkMultiBlockDataSet"
    simple.QuerySelect("id < 2", "CELL", group)  # a query applies to every block
    assert _counts(simple.ExtractSelection(Input=group))[1] == 4
    mixed = simple.GroupDatasets(Input=[simple.Sphere(), simple.Wavelet()])
    simple.QuerySelect("RTData > 200", "POINT", mixed)  # the sphere has no RTData: none of its points
    assert _counts(simple.ExtractSelection(Input=mixed))[0] == 1489
    simple.QuerySelect("Nope > 200", "POINT", mixed)
    with pytest.raises(PipelineError, match="Nope"):  # no block has it: an error, not an empty result
        simple.ExtractSelection(Input=mixed).UpdatePipeline()


def test_global_ids_select_by_the_inputs_global_id_array(simple, tmp_path) -> None:
    grid = _grid_with_global_ids(tmp_path / "gids.vtu")
    reader = simple.OpenDataFile(str(grid))
    simple.SelectGlobalIDs(IDs=[1000, 1005, 7999, 123456], FieldType="CELL", Source=reader)
    extract = simple.ExtractSelection(Input=reader)
    assert _counts(extract)[1] == 3
    assert sorted(extract.CellData["gids"].GetRange()) == [1000.0, 7999.0]


def _grid_with_global_ids(path):
    from vtkmodules.vtkFiltersCore import vtkAppendFilter

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
    writer.SetFileName(str(path))
    writer.Write()
    return path


@pytest.mark.parametrize(
    "query, refused",
    [
        ('__import__("os").system("true")', "__import__"),
        ("RTData.__class__", "attribute"),
        ("[x for x in RTData]", "listcomp"),
        ("lambda: 1", "lambda"),
        ("'a' == 'a'", "constant"),
        ("sum(RTData) > 0", "sum"),
        ("max(max(RTData)) == RTData", "no max"),
    ],
)
def test_a_query_is_parsed_never_run(simple, query: str, refused: str) -> None:
    wavelet = simple.Wavelet()
    with pytest.raises(PipelineError, match=refused):
        simple.QuerySelect(QueryString=query, FieldType="POINT", Source=wavelet)
    assert active_selection(wavelet) is None  # all or nothing: the selection was not set


def test_bad_queries_and_arguments_say_what_is_wrong(simple) -> None:
    wavelet = simple.Wavelet()
    simple.QuerySelect("Nope > 1", "POINT", wavelet)
    with pytest.raises(PipelineError, match="names Nope: no such array"):
        simple.ExtractSelection(Input=wavelet).UpdatePipeline()
    simple.QuerySelect("9**9**9 > 1", "POINT", wavelet)  # numbers are floats: no endless integer power
    assert _counts(simple.ExtractSelection(Input=wavelet))[0] == _counts(wavelet)[0]
    with pytest.raises(PropertyError, match="FieldType must be one of CELL, POINT"):
        simple.SelectIDs(IDs=[0, 1], FieldType="FACE", Source=wavelet)
    with pytest.raises(PropertyError, match="2 values per entry"):
        simple.SelectIDs(IDs=[0, 1, 2], Source=wavelet)
    with pytest.raises(PropertyError, match="triples"):
        simple.SelectLocation(Locations=[0, 0], Source=wavelet)


def test_visible_only_selections_are_a_clear_refusal(simple) -> None:
    simple.Show(simple.Sphere())
    with pytest.raises(NotSupportedException, match="hardware selection"):
        simple.SelectSurfacePoints(Rectangle=[0, 0, 220, 220])
    with pytest.raises(NotSupportedException, match="SelectSurfaceBlocks"):
        simple.SelectSurfaceBlocks(Rectangle=[0, 0, 300, 300])
    with pytest.raises(PropertyError, match="either Rectangle or Polygon"):
        simple.SelectSurfaceCells(Rectangle=[0, 0], Polygon=[0, 0])


# (rectangle, points, cells) that ParaView 5.11 extracts after SelectPointsThrough / SelectCellsThrough.
SPHERE_THROUGH = [("POINT", [0, 0, 300, 300], 50, 50), ("CELL", [0, 0, 300, 300], 50, 96),
                  ("CELL", [100, 100, 200, 180], 39, 51), ("POINT", [100, 100, 200, 180], 16, 16)]  # fmt: skip
WAVELET_THROUGH = [("CELL", [50, 40, 210, 190], 5880, 4825), ("POINT", [50, 40, 210, 190], 4978, 4978),
                   ("CELL", [200, 100, 200, 100], 182, 48), ("CELL", [150, 120, 152, 122], 138, 41),
                   ("CELL", [100, 100, 103, 101], 8, 1)]  # fmt: skip


def test_selecting_through_pixels_extracts_what_paraview_extracts(simple) -> None:
    sphere = simple.Sphere()
    simple.Show(sphere)
    view = simple.GetActiveView()
    view.ViewSize = [300, 300]
    simple.Render()
    for field, rectangle, points, cells in SPHERE_THROUGH:
        select = simple.SelectPointsThrough if field == "POINT" else simple.SelectCellsThrough
        select(Rectangle=rectangle)
        assert _counts(simple.ExtractSelection(Input=sphere)) == (points, cells), rectangle
    assert active_selection(sphere).GetXMLName() == "FrustumSelectionSource"
    simple.Hide(sphere)
    wavelet = simple.Wavelet()
    simple.Show(wavelet)
    view.ViewSize = [400, 250]
    simple.ResetCamera()
    camera = simple.GetActiveCamera()
    camera.Azimuth(30)
    camera.Elevation(20)
    for field, rectangle, points, cells in WAVELET_THROUGH:
        select = simple.SelectPointsThrough if field == "POINT" else simple.SelectCellsThrough
        select(Rectangle=rectangle, View=view)
        assert _counts(simple.ExtractSelection(Input=wavelet)) == (points, cells), rectangle


def test_selecting_through_pixels_goes_to_the_first_source_in_the_frustum(simple) -> None:
    left, right = simple.Sphere(Center=[-3, 0, 0]), simple.Sphere(Center=[3, 0, 0])
    simple.Show(left)
    simple.Show(right)
    simple.GetActiveView().ViewSize = [400, 200]
    simple.Render()
    simple.SelectCellsThrough(Rectangle=[250, 0, 400, 200])  # the right part of the view
    assert active_selection(left) is None
    assert _counts(simple.ExtractSelection(Input=right))[1] > 0
    simple.SelectCellsThrough()  # the whole view: the first source shown
    assert _counts(simple.ExtractSelection(Input=left))[1] == _counts(left)[1]


def test_paraview_selection_is_the_same_module(simple) -> None:
    import paraview.simple

    import paraview.selection

    assert paraview.selection.SelectIDs is simple.SelectIDs
    assert paraview.simple.ExtractSelection is simple.ExtractSelection
    assert set(paraview.selection.__all__) >= {"QuerySelect", "SelectThresholds", "ClearSelection"}
