"""``paraview.modules``: vtkPVDataInformation (partial arrays), vtkCleanArrays, vtkSMPVRepresentationProxy, the
global controller of pvpython/pvbatch, and the names not offered.

Data information is checked against VTK's own counts, bounds and ranges of the same objects.
"""

from __future__ import annotations

import pytest
from vtkmodules.vtkCommonCore import vtkFloatArray, vtkIntArray
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkMultiBlockDataSet, vtkPolyData
from vtkmodules.vtkFiltersCore import vtkElevationFilter
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkParallelCore import vtkDummyController, vtkMultiProcessController

import paraview.modules
from paraview.modules.vtkPVVTKExtensionsMisc import vtkCleanArrays
from paraview.modules.vtkRemotingCore import vtkPVDataInformation
from paraview.modules.vtkRemotingViews import vtkSMPVRepresentationProxy
from pvclient.cli import install_global_controller
from simple.servermanager import NotSupportedException

pytestmark = pytest.mark.timeout(60)


def sphere(point_array: str | None = "Elevation", cell_array: str | None = None) -> vtkPolyData:
    """A sphere with an elevation point array (renamed ``point_array``, or none) and an int cell array."""
    source = vtkSphereSource()
    elevation = vtkElevationFilter()
    elevation.SetInputConnection(source.GetOutputPort())
    elevation.Update()
    data = vtkPolyData()
    data.DeepCopy(elevation.GetOutput())
    data.GetPointData().RemoveArray("Normals")
    if point_array is None:
        data.GetPointData().RemoveArray("Elevation")
    else:
        data.GetPointData().GetArray("Elevation").SetName(point_array)
    if cell_array is not None:
        array = vtkIntArray()
        array.SetName(cell_array)
        array.SetNumberOfTuples(data.GetNumberOfCells())
        array.Fill(7)
        data.GetCellData().AddArray(array)
    return data


def field_array(name: str) -> vtkFloatArray:
    array = vtkFloatArray()
    array.SetName(name)
    array.SetNumberOfTuples(1)
    array.SetValue(0, 2.5)
    return array


def information(obj) -> vtkPVDataInformation:
    info = vtkPVDataInformation()
    info.CopyFromObject(obj)
    return info


# ------------------------------------------------------------------------------------------ vtkPVDataInformation


def test_data_information_of_a_dataset_is_vtks_counts_bounds_and_ranges() -> None:
    data = sphere(cell_array="Ids")
    info = information(data)
    assert info.GetNumberOfPoints() == data.GetNumberOfPoints()
    assert info.GetNumberOfCells() == data.GetNumberOfCells()
    assert info.GetBounds() == data.GetBounds()
    assert info.GetDataSetTypeAsString() == "vtkPolyData" and not info.IsCompositeDataSet()
    assert info.GetNumberOfDataSets() == 1 and info.GetMemorySize() == data.GetActualMemorySize()
    elevation = info.GetPointDataInformation().GetArrayInformation("Elevation")
    assert elevation.GetComponentRange(0) == data.GetPointData().GetArray("Elevation").GetRange(0)
    assert elevation.GetNumberOfTuples() == data.GetNumberOfPoints() and elevation.GetIsPartial() == 0
    assert elevation.GetDataTypeAsString() == "float" and elevation.GetNumberOfComponents() == 1
    ids = info.GetArrayInformation("Ids", vtkDataObject.CELL)
    assert ids.GetComponentRange(0) == (7.0, 7.0) and ids.GetDataTypeAsString() == "int"
    points = info.GetPointArrayInformation()
    assert points.GetName() == "Points" and points.GetComponentRange(-1) == data.GetPoints().GetData().GetRange(-1)
    assert points.GetComponentName(0) == "X" and points.GetComponentName(-1) == "Magnitude"
    assert info.GetPointDataInformation().GetArrayInformation("Nothing") is None
    with pytest.raises(IndexError, match="component"):
        elevation.GetComponentRange(3)


def test_an_algorithm_or_its_output_port_gives_its_output_information() -> None:
    source = vtkSphereSource()
    source.Update()
    for obj in (source, source.GetOutputPort()):
        assert information(obj).GetNumberOfPoints() == source.GetOutput().GetNumberOfPoints()
    assert information(None).GetNumberOfPoints() == 0


def test_a_point_array_missing_from_a_non_empty_block_is_partial() -> None:
    blocks = vtkMultiBlockDataSet()
    blocks.SetBlock(0, sphere("Elevation"))
    blocks.SetBlock(1, vtkPolyData())  # an empty block does not make arrays partial
    info = information(blocks)
    assert info.GetPointDataInformation().GetArrayInformation("Elevation").GetIsPartial() == 0
    blocks.SetBlock(2, sphere("Other"))
    info = information(blocks)
    arrays = info.GetPointDataInformation()
    assert arrays.GetArrayInformation("Elevation").GetIsPartial() == 1
    assert arrays.GetArrayInformation("Other").GetIsPartial() == 1
    assert [arrays.GetArrayInformation(i).GetName() for i in range(arrays.GetNumberOfArrays())] == [
        "Elevation",
        "Other",
    ]
    assert info.GetNumberOfPoints() == 2 * sphere().GetNumberOfPoints() and info.GetNumberOfDataSets() == 3
    assert info.GetCompositeDataClassName() == "vtkMultiBlockDataSet" and info.GetDataClassName() == "vtkPolyData"
    assert info.GetFirstLeafCompositeIndex() == 1 and info.GetUniqueBlockTypes() == [sphere().GetDataObjectType()]
    assert arrays.GetArrayInformation("Elevation").GetNumberOfTuples() == sphere().GetNumberOfPoints()


def test_field_arrays_of_nested_blocks_are_partial() -> None:
    inner = vtkMultiBlockDataSet()
    inner.SetBlock(0, vtkPolyData())
    inner.SetBlock(1, vtkPolyData())
    inner.GetFieldData().AddArray(field_array("Field1"))
    assert information(inner).GetFieldDataInformation().GetArrayInformation("Field1").GetIsPartial() == 0
    outer = vtkMultiBlockDataSet()
    outer.SetBlock(0, inner)
    outer.SetBlock(1, vtkPolyData())
    outer.GetFieldData().AddArray(field_array("Field2"))
    fields = information(outer).GetFieldDataInformation()
    assert fields.GetArrayInformation("Field1").GetIsPartial() == 1
    assert fields.GetArrayInformation("Field2").GetIsPartial() == 1
    assert fields.GetArrayInformation("Field2").GetComponentRange(0) == (2.5, 2.5)


def test_adding_informations_merges_counts_and_marks_arrays_one_side_lacks() -> None:
    empty, full = vtkPolyData(), sphere()
    for data in (empty, full):
        data.GetFieldData().AddArray(field_array("field0"))
    combined = vtkPVDataInformation()
    combined.AddInformation(information(empty))
    combined.AddInformation(information(full))
    assert combined.GetFieldDataInformation().GetArrayInformation("field0").GetIsPartial() == 0
    assert combined.GetNumberOfPoints() == full.GetNumberOfPoints()
    other = sphere("Other")
    combined.AddInformation(information(other))
    arrays = combined.GetPointDataInformation()
    assert arrays.GetArrayInformation("Elevation").GetIsPartial() == 1
    assert arrays.GetArrayInformation("Other").GetIsPartial() == 1
    assert combined.GetNumberOfPoints() == 2 * full.GetNumberOfPoints()
    assert combined.GetBounds() == full.GetBounds()


# ------------------------------------------------------------------------------------------ vtkCleanArrays


def clean(data, fill: bool, mark: bool = False, controller=None):
    cleaner = vtkCleanArrays()
    cleaner.SetController(controller if controller is not None else vtkDummyController())
    cleaner.SetInputDataObject(data)
    cleaner.SetFillPartialArrays(fill)
    cleaner.SetMarkFilledPartialArrays(mark)
    cleaner.Update()
    return cleaner.GetOutputDataObject(0)


def test_clean_arrays_on_one_process_leaves_a_dataset_as_it_is() -> None:
    data = sphere(cell_array="Ids")
    for fill in (False, True):
        result = clean(data, fill)
        assert result.GetPointData().GetArray("Elevation") is not None and result.GetCellData().GetArray("Ids")
        assert result.GetNumberOfPoints() == data.GetNumberOfPoints()


def test_clean_arrays_removes_or_fills_the_arrays_some_blocks_lack() -> None:
    blocks = vtkMultiBlockDataSet()
    blocks.SetBlock(0, sphere("A", cell_array="C"))
    blocks.SetBlock(1, sphere("B"))
    blocks.SetBlock(2, vtkPolyData())  # empty: takes no part
    removed = clean(blocks, fill=False)
    for i in (0, 1):
        assert removed.GetBlock(i).GetPointData().GetNumberOfArrays() == 0
    assert removed.GetBlock(1).GetCellData().GetNumberOfArrays() == 0
    assert blocks.GetBlock(0).GetPointData().GetArray("A") is not None  # the input is not changed
    filled = clean(blocks, fill=True, mark=True)
    first, second = filled.GetBlock(0), filled.GetBlock(1)
    assert second.GetPointData().GetArray("A").GetRange() == (0.0, 0.0)  # filled with zeros
    assert first.GetPointData().GetArray("A").GetRange() == blocks.GetBlock(0).GetPointData().GetArray("A").GetRange()
    assert second.GetCellData().GetArray("C").GetDataTypeAsString() == "int"
    assert second.GetPointData().GetArray("__vtkValidMask__A").GetRange() == (0.0, 0.0)
    assert second.GetPointData().GetArray("__vtkValidMask__B").GetRange() == (1.0, 1.0)


class FakeCommunicator:
    """An mpi4py communicator of two ranks whose other rank holds ``theirs`` (arrays by attribute type)."""

    def __init__(self, theirs: dict) -> None:
        self.theirs = theirs

    def Get_size(self) -> int:  # noqa: N802 - mpi4py's name
        return 2

    def allgather(self, mine):
        return [mine, (False, self.theirs)]


def test_clean_arrays_with_a_communicator_merges_the_other_ranks_arrays() -> None:
    data = sphere("Mine")
    float_type = data.GetPointData().GetArray("Mine").GetDataType()
    theirs = {kind: None for kind in (0, 1, 2, 4, 5, 6)}
    theirs[0] = [("Theirs", 1, float_type)]
    assert clean(data, fill=False, controller=FakeCommunicator(theirs)).GetPointData().GetNumberOfArrays() == 0
    filled = clean(data, fill=True, controller=FakeCommunicator(theirs)).GetPointData()
    assert filled.GetArray("Mine") is not None and filled.GetArray("Theirs").GetRange() == (0.0, 0.0)


def test_global_controller_is_a_dummy_controller_of_one_process() -> None:
    install_global_controller()
    controller = vtkMultiProcessController.GetGlobalController()
    assert controller is not None and controller.IsA("vtkDummyController")
    assert controller.GetLocalProcessId() == 0 and controller.GetNumberOfProcesses() == 1
    assert vtkCleanArrays().GetController() is controller  # ParaView's default controller


# ------------------------------------------------------------------------------------------ views and the rest


def test_rescale_transfer_function_to_data_range_of_a_named_array(simple) -> None:
    wavelet = simple.Wavelet()
    gradient = simple.Calculator(Input=wavelet, ResultArrayName="Twice", Function="2*RTData")
    rep = simple.Show(gradient)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    low, high = gradient.PointData["Twice"].GetRange()
    assert vtkSMPVRepresentationProxy.RescaleTransferFunctionToDataRange(rep.SMProxy, "Twice", 0, False)
    assert rep.LookupTable.GetRange() == pytest.approx((low, high))
    rep.LookupTable.RescaleTransferFunction(0.0, 1.0)
    assert vtkSMPVRepresentationProxy.RescaleTransferFunctionToDataRange(rep.SMProxy, "RTData", 0, True)
    rt_low, rt_high = gradient.PointData["RTData"].GetRange()
    assert rep.LookupTable.GetRange() == pytest.approx((0.0, rt_high))  # extend: only grows
    assert vtkSMPVRepresentationProxy.RescaleTransferFunctionToDataRange(rep.SMProxy)  # the coloured array
    assert rep.LookupTable.GetRange() == pytest.approx((rt_low, rt_high))
    assert vtkSMPVRepresentationProxy.GetUsingScalarColoring(rep.SMProxy)
    with pytest.raises(ValueError, match="attribute_type"):
        vtkSMPVRepresentationProxy.RescaleTransferFunctionToDataRange(rep.SMProxy, "Twice", 7, False)


def test_names_not_offered_say_what_to_use_instead() -> None:
    with pytest.raises(NotSupportedException, match=r"paraview\.simple"):
        paraview.modules.vtkRemotingServerManager  # noqa: B018
    from paraview.modules.vtkRemotingCore import vtkProcessModule

    with pytest.raises(NotSupportedException, match="vtkProcessModule"):
        vtkProcessModule.GetProcessModule()
    from paraview.modules.vtkRemotingViews import vtkPVRenderView

    with pytest.raises(NotSupportedException, match="vtkSMPVRepresentationProxy"):
        vtkPVRenderView()
    with pytest.raises(AttributeError):
        paraview.modules.no_such_module  # noqa: B018
