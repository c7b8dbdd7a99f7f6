"""Client-side objects on the built-in session (pvclient.clientside): ``GetClientSideObject()`` of pipeline proxies
and of a SpreadSheetView, the trivial producers fed with ``SetOutput`` and ``MarkModified``, partial arrays in data
information, and a view's ``StillRender`` that reports a failing pipeline as ParaView's does.

Each result is compared with the same VTK algorithm run on the same input in this process, or with what ParaView
5.11 answers for the same script (its Python tests TestAnnotateAttributeData, PartialArrayIndication,
SpreadSheetViewPartialArrays and FailingRequestDataObject).
"""

from __future__ import annotations

import threading
import types

import numpy as np
import pytest
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkFloatArray
from vtkmodules.vtkCommonDataModel import vtkMultiBlockDataSet, vtkPolyData
from vtkmodules.vtkFiltersCore import vtkElevationFilter
from vtkmodules.vtkFiltersGeneral import vtkShrinkPolyData
from vtkmodules.vtkFiltersSources import vtkSphereSource

from pvclient.clientside import ClientSideObject
from pvclient.properties import NotSupportedException
from pvcore.errors import PipelineError
from pvcore.messages import ArrayInformation, DataInformation
from pvserver.pipeline.information import merge_information

pytestmark = pytest.mark.timeout(60)


def _sphere(theta: int = 8, phi: int = 8) -> vtkPolyData:
    source = vtkSphereSource()
    source.SetThetaResolution(theta)
    source.SetPhiResolution(phi)
    source.Update()
    return source.GetOutput()


def _same_counts(proxy: object, data: object) -> None:
    info = proxy.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (data.GetNumberOfPoints(), data.GetNumberOfCells())
    assert info.GetBounds() == pytest.approx(data.GetBounds())


# ------------------------------------------------------------------------------------------- trivial producers


def test_a_trivial_producer_produces_what_its_client_side_object_is_given(simple) -> None:
    sphere = _sphere()
    producer = simple.TrivialProducer()
    producer.GetClientSideObject().SetOutput(sphere)
    producer.MarkModified(None)
    shrink = simple.Shrink(Input=producer, ShrinkFactor=0.5)
    _same_counts(producer, sphere)
    expected = vtkShrinkPolyData()
    expected.SetInputData(sphere)
    expected.SetShrinkFactor(0.5)
    expected.Update()
    _same_counts(shrink, expected.GetOutput())


def test_mark_modified_makes_the_next_update_see_the_changed_data(simple) -> None:
    producer = simple.PVTrivialProducer()
    assert producer.WholeExtent == [0, -1, 0, -1, 0, -1]  # ParaView's default
    blocks = vtkMultiBlockDataSet()
    producer.GetClientSideObject().SetOutput(blocks)
    producer.MarkModified(None)
    producer.UpdatePipeline()
    assert producer.GetDataInformation().GetNumberOfPoints() == 0
    coarse, fine = _sphere(8, 8), _sphere(16, 12)
    blocks.SetBlock(0, coarse)
    producer.MarkModified(None)
    assert producer.GetDataInformation().GetNumberOfPoints() == coarse.GetNumberOfPoints()
    blocks.SetBlock(1, fine)
    producer.MarkModified(None)
    info = producer.GetDataInformation()
    assert info.GetNumberOfPoints() == coarse.GetNumberOfPoints() + fine.GetNumberOfPoints()
    assert info.GetNumberOfCells() == coarse.GetNumberOfCells() + fine.GetNumberOfCells()


def test_partial_arrays_are_those_some_non_empty_blocks_lack(simple) -> None:
    """PartialArrayIndication's first half: an empty block says nothing; a block with points and no Normals does."""
    producer = simple.PVTrivialProducer()
    blocks = vtkMultiBlockDataSet()
    producer.GetClientSideObject().SetOutput(blocks)
    sphere = _sphere()
    blocks.SetBlock(1, sphere)
    producer.MarkModified(None)

    def normals_partial() -> int:
        return producer.GetDataInformation().GetPointDataInformation().GetArrayInformation("Normals").GetIsPartial()

    assert normals_partial() == 0
    blocks.SetBlock(2, vtkPolyData())
    producer.MarkModified(None)
    assert normals_partial() == 0
    bare = vtkPolyData()
    bare.CopyStructure(sphere)
    blocks.SetBlock(3, bare)
    producer.MarkModified(None)
    assert normals_partial() == 1
    assert producer.GetDataInformation().GetPointDataInformation().GetArrayInformation("NoSuchArray") is None


def test_an_array_that_only_some_ranks_hold_is_partial_and_an_empty_piece_says_nothing() -> None:
    def piece(points: int, *names: str) -> DataInformation:
        arrays = [ArrayInformation(name, 1, [0.0, 1.0], "float") for name in names]
        return DataInformation("vtkPolyData", points, points, point_arrays=arrays, number_of_partitions=int(points > 0))

    merged = merge_information([piece(5, "Var1", "Normals"), piece(5, "Var2", "Normals"), piece(0)])
    partial = {a.name: a.partial for a in merged.point_arrays}
    assert partial == {"Var1": True, "Normals": False, "Var2": True}
    again = merge_information([merged, piece(5, "Normals")])  # partial within a piece stays partial
    assert {a.name: a.partial for a in again.point_arrays}["Var1"] is True


# ------------------------------------------------------------------------------------------- pipeline objects


def test_the_annotation_a_filter_computed_is_read_from_its_client_side_object(simple) -> None:
    simple.Sphere()
    simple.Elevation(LowPoint=[-0.5, -0.5, -0.5], HighPoint=[0.5, 0.5, 0.5])
    annotate = simple.AnnotateAttributeData(Prefix="Hello: ", SelectInputArray=("POINTS", "Elevation"), ElementId=0)
    simple.UpdatePipeline()
    elevation = vtkElevationFilter()
    elevation.SetInputData(_sphere())
    elevation.SetLowPoint(-0.5, -0.5, -0.5)
    elevation.SetHighPoint(0.5, 0.5, 0.5)
    elevation.Update()
    first = vtk_to_numpy(elevation.GetOutput().GetPointData().GetArray("Elevation"))[0]
    assert annotate.GetClientSideObject().GetComputedAnnotationValue() == f"Hello: {first!s}"  # 0.6666667
    rows = simple.AnnotateAttributeData(Input=simple.Text())
    rows.SelectInputArray = ("ROWS", "Text")
    rows.UpdatePipeline()
    assert rows.GetClientSideObject().GetComputedAnnotationValue() == "Value is: Text"


def test_calls_on_a_client_side_object_run_on_the_engine_thread(simple) -> None:
    sphere = simple.Sphere()
    algorithm = sphere.GetClientSideObject()
    assert isinstance(algorithm, ClientSideObject) and algorithm == sphere.GetClientSideObject()
    assert algorithm.GetClassName() == "vtkSphereSource"
    threads: list[str] = []
    algorithm.AddObserver("ModifiedEvent", lambda *_: threads.append(threading.current_thread().name))
    algorithm.SetThetaResolution(12)  # a change made on the object itself, as ParaView's scripts may
    assert threads == ["mpi-engine"]
    sphere.MarkModified(None)
    assert sphere.GetDataInformation().GetNumberOfPoints() == _sphere(12, 8).GetNumberOfPoints()


def test_a_remote_servers_objects_are_refused_with_what_to_use_instead(simple, monkeypatch) -> None:
    sphere = simple.Sphere()
    remote = types.SimpleNamespace(closed=False)  # any transport but the built-in session's
    monkeypatch.setattr(sphere.connection, "transport", remote)
    with pytest.raises(NotSupportedException, match=r"built-in session only.*servermanager\.Fetch"):
        sphere.GetClientSideObject()
    sphere.MarkModified(None)  # nothing of a remote server's objects to mark: no error


def test_a_view_without_a_client_side_object_says_which_views_have_one(simple) -> None:
    with pytest.raises(NotSupportedException, match="SpreadSheetView"):
        simple.CreateView("RenderView").GetClientSideObject()


# ------------------------------------------------------------------------------------------- spreadsheet view


def test_a_spreadsheet_views_object_lists_partial_arrays_as_paraview(simple) -> None:
    """SpreadSheetViewPartialArrays, with ParaView 5.11's column layout for that script."""
    sphere = simple.Sphere(ThetaResolution=3, PhiResolution=3)
    first = simple.Calculator(Input=sphere, ResultArrayName="Var1", Function="1")
    second = simple.Calculator(Input=sphere, ResultArrayName="Var2", Function="2")
    simple.GroupDatasets(Input=[first, second])
    view = simple.CreateView("SpreadSheetView")
    simple.Show()
    simple.Render()
    table = view.GetClientSideObject()
    assert (table.GetNumberOfRows(), table.GetNumberOfColumns()) == (10, 24)
    names = [table.GetColumnName(c) for c in range(table.GetNumberOfColumns())]
    assert names[:3] == ["vtkBlockNameIndices", "vtkCompositeIndexArray", "vtkOriginalIndices"]
    assert names[3] == "__vtkValidMask__Normals_0" and names[-2:] == ["Var1", "Var2"]
    assert [table.GetColumnLabel(c) for c in (0, 1, 2, 14)] == ["Block Name", "Block Number", "Point ID", "Normals"]
    assert [table.GetValue(r, 0).ToString() for r in (0, 9)] == ["Calculator1", "Calculator2"]
    var1, var2 = table.GetColumnByName("Var1"), table.GetColumnByName("Var2")
    assert table.GetColumnByName("NoSuchColumn") == -1
    assert [table.GetValue(r, var1).ToInt() for r in range(10)] == [1] * 5 + [0] * 5
    assert [table.IsDataValid(r, var1) for r in range(10)] == [True] * 5 + [False] * 5
    assert [table.GetValue(r, var2).ToInt() for r in range(10)] == [0] * 5 + [2] * 5
    assert [table.IsDataValid(r, var2) for r in range(10)] == [False] * 5 + [True] * 5
    points = vtk_to_numpy(_sphere(3, 3).GetPoints().GetData())
    x = table.GetColumnByName("Points_0")
    assert [table.GetValue(r, x).ToDouble() for r in range(5)] == pytest.approx(points[:, 0])
    assert not table.GetColumnVisibility(1) and table.IsColumnInternal(3) and table.GetColumnVisibility(var1)
    assert not table.GetValue(10, 0).IsValid()  # outside the table: an invalid variant, as ParaView's

    view.FieldAssociation = "Cell Data"  # the same object follows the view
    assert table.GetNumberOfRows() == 2 * _sphere(3, 3).GetNumberOfCells()
    assert table.GetColumnLabel(2) == "Cell ID"


def test_exporting_partial_arrays_keeps_each_row_with_its_block(simple, tmp_path) -> None:
    sphere = simple.Sphere(ThetaResolution=3, PhiResolution=3)
    first = simple.Calculator(Input=sphere, ResultArrayName="Var1", Function="1")
    second = simple.Calculator(Input=sphere, ResultArrayName="Var2", Function="2")
    simple.GroupDatasets(Input=[first, second])
    view = simple.CreateView("SpreadSheetView")
    simple.Show()
    simple.ExportView(str(tmp_path / "table.csv"), view=view)
    lines = (tmp_path / "table.csv").read_text().splitlines()
    header = lines[0].replace('"', "").split(",")
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 10
    var1, var2 = header.index("Var1"), header.index("Var2")
    assert [float(r[var1]) for r in rows] == [1] * 5 + [0] * 5
    assert [float(r[var2]) for r in rows] == [0] * 5 + [2] * 5


# ------------------------------------------------------------------------------------------- failing pipelines


def test_still_render_reports_a_failing_pipeline_and_the_pipeline_recovers(simple, capsys) -> None:
    """FailingRequestDataObject: the source's output type changes to one its consumer cannot take, and back."""
    source = simple.ProgrammableSource(OutputDataSetType="vtkImageData")
    source.Script = (
        "from vtkmodules.vtkCommonCore import VTK_FLOAT\n"
        "output = self.GetOutputDataObject(0)\n"
        "output.SetExtent(0, 9, 0, 9, 0, 9)\n"
        "output.AllocateScalars(VTK_FLOAT, 1)"
    )
    source.ScriptRequestInformation = (
        "executive = self.GetExecutive()\n"
        "outInfo = executive.GetOutputInformation(0)\n"
        "outInfo.Set(executive.WHOLE_EXTENT(), 0, 9, 0, 9, 0, 9)"
    )
    simple.Show(source)
    subset = simple.ExtractSubset(Input=source, VOI=[0, 9, 0, 9, 0, 0])
    simple.Show(subset)
    view = simple.GetRenderView()
    camera = list(view.CameraPosition)
    view.StillRender()
    assert list(view.CameraPosition) == camera  # ParaView's C++ render keeps the camera: only simple.Render fits it
    assert subset.GetDataInformation().GetExtent() == (0, 9, 0, 9, 0, 0)
    source.OutputDataSetType = "vtkTable"
    assert view.StillRender() is None
    assert "ProgrammableSource1" in capsys.readouterr().err
    with pytest.raises(PipelineError):
        view.Render()  # Render() itself raises
    source.OutputDataSetType = "vtkImageData"
    subset.VOI = [0, 9, 0, 9, 9, 9]
    view.StillRender()
    assert subset.GetDataInformation().GetExtent() == (0, 9, 0, 9, 9, 9)
    assert subset.GetDataInformation().GetNumberOfPoints() == 100


def test_a_client_side_objects_arguments_are_the_objects_they_stand_for(simple) -> None:
    values = vtkFloatArray()
    values.SetName("Given")
    values.InsertNextValue(3.5)
    producer = simple.TrivialProducer()
    polydata = _sphere()
    polydata.GetFieldData().AddArray(values)
    producer.GetClientSideObject().SetOutput(polydata)
    producer.MarkModified(None)
    copy = simple.TrivialProducer()
    copy.GetClientSideObject().SetOutput(producer.GetClientSideObject().GetOutputDataObject(0))
    copy.MarkModified(None)
    field = copy.GetDataInformation().GetFieldDataInformation().GetArrayInformation("Given")
    assert field is not None and field.GetRange(0) == (3.5, 3.5)
    assert np.isclose(copy.GetDataInformation().GetBounds()[1], polydata.GetBounds()[1])


def test_a_simple_call_from_a_vtk_observer_is_refused_instead_of_waiting_for_itself(simple) -> None:
    sphere = simple.Sphere()
    sphere.UpdatePipeline()
    errors: list[Exception] = []

    def on_end(_obj, _event) -> None:
        try:
            sphere.GetDataInformation()
        except Exception as exc:  # VTK would only print it
            errors.append(exc)

    sphere.GetClientSideObject().AddObserver("EndEvent", on_end)
    sphere.ThetaResolution = 12
    sphere.UpdatePipeline()
    assert errors and "inside an update" in str(errors[0])
    assert sphere.GetDataInformation().GetNumberOfPoints() > 0  # and the session goes on
