"""Composite data on 3 ranks: every rank holds its piece of each block (a GroupDatasets of a Sphere and a Wavelet,
each split over the ranks), data information sums the ranks block by block, filters downstream run on every
rank's blocks, Fetch and SaveData gather each block whole, and the picture is the one the built-in session draws.

Point counts of split data count the points on partition boundaries once per rank that holds them (as ParaView's
do), so cells, bounds and array ranges are compared with VTK on one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from data_io_checks import assert_same_image, fixed_view, foreground, pixels
from servers import ServerProcess
from vtkmodules.vtkCommonDataModel import vtkMultiBlockDataSet
from vtkmodules.vtkFiltersCore import vtkAppendDataSets
from vtkmodules.vtkFiltersGeneral import vtkGroupDataSetsFilter, vtkShrinkFilter
from vtkmodules.vtkFiltersParallel import vtkMergeBlocks
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkIOXML import vtkXMLMultiBlockDataReader

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("composite")


@pytest.fixture(scope="module")
def server3(data_dir: Path) -> Iterator[ServerProcess]:
    with ServerProcess(3, "--multi-clients", "--data-dir", str(data_dir)) as server:
        yield server


@pytest.fixture
def simple(simple_state, server3: ServerProcess):
    """``simple`` connected to the module's server; what a test made is deleted after it."""
    simple_state.Connect(server3.url)
    yield simple_state
    for proxy in reversed(list(simple_state.GetSources().values())):  # consumers before their inputs
        simple_state.Delete(proxy)
    simple_state.Disconnect()


def _reference(*filters: object) -> object:
    """VTK on one process: GroupDatasets(Sphere, Wavelet) named as the proxies, then ``filters`` in turn."""
    sphere, wavelet, group = vtkSphereSource(), vtkRTAnalyticSource(), vtkGroupDataSetsFilter()
    sphere.SetThetaResolution(8)
    sphere.SetPhiResolution(8)
    group.SetOutputTypeToMultiBlockDataSet()
    group.AddInputConnection(sphere.GetOutputPort())
    group.AddInputConnection(wavelet.GetOutputPort())
    group.SetInputName(0, "Sphere")
    group.SetInputName(1, "Wavelet")
    last = group
    for algorithm in filters:
        algorithm.SetInputConnection(last.GetOutputPort())
        last = algorithm
    last.Update()
    return last.GetOutputDataObject(0)


def _bounds(data: object) -> list[float]:
    bounds = [0.0] * 6
    data.GetBounds(bounds)
    return bounds


def _group(simple) -> object:
    sphere = simple.Sphere(registrationName="Sphere")
    wavelet = simple.Wavelet(registrationName="Wavelet")
    return simple.GroupDatasets(Input=[sphere, wavelet])


def test_data_information_sums_each_block_over_the_ranks(simple) -> None:
    group = _group(simple)
    ref = _reference()
    info = group.GetDataInformation()
    assert info.GetDataSetTypeAsString() == "vtkMultiBlockDataSet"
    assert info.GetNumberOfCells() == ref.GetNumberOfCells()
    assert list(info.GetBounds()) == pytest.approx(_bounds(ref))
    assert info.GetNumberOfDataSets() >= 2 * 2  # each block is split: several ranks hold a piece of each
    blocks = info.GetCompositeDataInformation()
    assert [blocks.GetName(i) for i in range(blocks.GetNumberOfChildren())] == ["Sphere", "Wavelet"]
    for i in range(2):
        child, expected = blocks.GetDataInformation(i), ref.GetBlock(i)
        assert child.GetNumberOfCells() == expected.GetNumberOfCells()
        assert list(child.GetBounds()) == pytest.approx(list(expected.GetBounds()))
    rt = ref.GetBlock(1).GetPointData().GetArray("RTData").GetRange()
    assert group.PointData["RTData"].GetRange() == pytest.approx(rt)
    assert set(group.PointData.keys()) == {"Normals", "RTData"}


def test_filters_downstream_and_merge_run_on_every_ranks_blocks(simple) -> None:
    group = _group(simple)
    shrink = simple.Shrink(Input=group)
    ref = _reference(vtkShrinkFilter())
    info = shrink.GetDataInformation()
    assert info.GetNumberOfCells() == ref.GetNumberOfCells()
    assert list(info.GetBounds()) == pytest.approx(_bounds(ref))
    merge = simple.MergeBlocks(Input=group)
    merged = _reference(vtkMergeBlocks())
    info = merge.GetDataInformation()
    assert info.GetDataSetTypeAsString() == "vtkUnstructuredGrid"
    assert info.GetNumberOfCells() == merged.GetNumberOfCells()
    append = simple.AppendDatasets(Input=list(group.Input))
    reference = vtkAppendDataSets()
    sphere, wavelet = vtkSphereSource(), vtkRTAnalyticSource()
    sphere.SetThetaResolution(8)
    sphere.SetPhiResolution(8)
    reference.AddInputConnection(sphere.GetOutputPort())
    reference.AddInputConnection(wavelet.GetOutputPort())
    reference.Update()
    assert append.GetDataInformation().GetNumberOfCells() == reference.GetOutput().GetNumberOfCells()


def test_fetch_and_save_data_gather_each_block_whole(simple, data_dir: Path) -> None:
    group = _group(simple)
    ref = _reference()
    data = simple.Fetch(group)
    assert data.GetClassName() == "vtkMultiBlockDataSet" and data.GetNumberOfBlocks() == 2
    for i, name in enumerate(("Sphere", "Wavelet")):
        assert data.GetMetaData(i).Get(vtkMultiBlockDataSet.NAME()) == name
        assert data.GetBlock(i).GetClassName() == ref.GetBlock(i).GetClassName()
        assert data.GetBlock(i).GetNumberOfCells() == ref.GetBlock(i).GetNumberOfCells()
    group.OutputType = "vtkPartitionedDataSetCollection"
    collection = simple.Fetch(group)  # each block keeps the ranks' partitions
    assert collection.GetClassName() == "vtkPartitionedDataSetCollection"
    assert [collection.GetPartitionedDataSet(i).GetNumberOfCells() for i in range(2)] == [
        ref.GetBlock(i).GetNumberOfCells() for i in range(2)
    ]
    group.OutputType = "vtkMultiBlockDataSet"
    simple.SaveData("group.vtm", group)  # relative to the server's data directory
    assert sorted(p.name for p in data_dir.glob("group*")) == ["group.vtm", "group_1.vtp", "group_2.vti"]
    reader = vtkXMLMultiBlockDataReader()
    reader.SetFileName(str(data_dir / "group.vtm"))
    reader.Update()
    back = reader.GetOutput()
    assert [back.GetMetaData(i).Get(back.NAME()) for i in range(2)] == ["Sphere", "Wavelet"]
    for i in range(2):
        assert back.GetBlock(i).GetNumberOfCells() == ref.GetBlock(i).GetNumberOfCells()


def _picture(simple) -> object:
    sphere = simple.Sphere(Radius=6.0, Center=[8.0, 0.0, 0.0], ThetaResolution=24, PhiResolution=24)
    group = simple.GroupDatasets(Input=[sphere, simple.Wavelet()])
    view = fixed_view(simple, (30.0, 20.0, 50.0))
    simple.Show(simple.Shrink(Input=group, ShrinkFactor=0.9), view)
    return pixels(view)


def test_a_multiblock_draws_the_same_on_3_ranks(simple_state, server3: ServerProcess) -> None:
    simple_state.Connect()
    alone = _picture(simple_state)
    simple_state.Disconnect()
    simple_state.Connect(server3.url)
    try:
        on_three = _picture(simple_state)
    finally:
        for proxy in reversed(list(simple_state.GetSources().values())):
            simple_state.Delete(proxy)
        simple_state.Disconnect()
    assert foreground(alone).sum() > 1000
    assert_same_image(alone, on_three, "GroupDatasets(Sphere, Wavelet) shrunk, on 3 ranks")
