"""Composite data on the built-in session: the filters of pvcore/definitions/filters_composite.py with ParaView's
defaults, and multiblock data through every stage: filters downstream (block by block), data information (totals,
blocks, arrays), Fetch, SaveData (.vtm), and drawing.

Each result is compared with the same VTK algorithms run here on the same inputs. ParaView's defaults are from its
proxy XML (filters_filtersgeneral.xml GroupDataSets, misc_filters.xml MergeBlocks, filters_filtersextraction.xml
ExtractBlock, filters_filterscore.xml Append "Append Datasets" and AppendAttributes).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from vtkmodules.vtkCommonDataModel import vtkMultiBlockDataSet
from vtkmodules.vtkFiltersCore import vtkAppendDataSets, vtkContourFilter, vtkElevationFilter
from vtkmodules.vtkFiltersGeneral import vtkGroupDataSetsFilter, vtkMergeArrays, vtkShrinkFilter
from vtkmodules.vtkFiltersParallel import vtkMergeBlocks
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkIOXML import vtkXMLMultiBlockDataReader

from pvclient import fetched
from pvcore import messages
from pvcore.dataformat import COMPOSITE_MAGIC
from pvcore.errors import PipelineError, PropertyError, ProtocolError, ResourceLimitError
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

pytestmark = pytest.mark.timeout(60)


def _run(algorithm: object, *inputs: object) -> object:
    for source in inputs:
        algorithm.AddInputConnection(source.GetOutputPort())
    algorithm.Update()
    return algorithm


def _sphere(center: tuple = (0.0, 0.0, 0.0)) -> object:
    sphere = vtkSphereSource()
    sphere.SetThetaResolution(8)  # ParaView's Sphere
    sphere.SetPhiResolution(8)
    sphere.SetCenter(*center)
    return sphere


def _wavelet() -> object:
    return vtkRTAnalyticSource()  # ParaView's Wavelet: extent -10..10, as VTK's default


def _group(*sources: object, names: tuple = ()) -> object:
    group = vtkGroupDataSetsFilter()
    group.SetOutputTypeToMultiBlockDataSet()
    for index, name in enumerate(names):
        group.SetInputName(index, name)
    return _run(group, *sources)


def _bounds(data: object) -> list[float]:
    if not data.IsA("vtkCompositeDataSet"):
        return list(data.GetBounds())
    bounds = [0.0] * 6
    data.GetBounds(bounds)
    return bounds


def _same_totals(proxy: object, data: object) -> None:
    info = proxy.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (data.GetNumberOfPoints(), data.GetNumberOfCells())
    assert list(info.GetBounds()) == pytest.approx(_bounds(data), abs=1e-6)


@pytest.fixture
def group(simple):
    """GroupDatasets of a Sphere and a Wavelet, with the proxies it groups."""
    sphere = simple.Sphere(registrationName="Sphere")
    wavelet = simple.Wavelet(registrationName="Wavelet")
    return simple.GroupDatasets(Input=[sphere, wavelet]), sphere, wavelet


def test_group_datasets_defaults_and_information(group) -> None:
    proxy, sphere, wavelet = group
    assert proxy.BlockNames == ["Sphere", "Wavelet"]  # the inputs' names (ParaView's RegistrationNamesDomain)
    assert proxy.OutputType == "vtkMultiBlockDataSet"
    assert list(proxy.Input) == [sphere, wavelet]
    ref = _group(_sphere(), _wavelet()).GetOutputDataObject(0)
    _same_totals(proxy, ref)
    info = proxy.GetDataInformation()
    assert info.GetDataSetTypeAsString() == "vtkMultiBlockDataSet"
    assert info.IsCompositeDataSet() and info.GetCompositeDataClassName() == "vtkMultiBlockDataSet"
    assert info.GetDataClassName() == "vtkDataSet"  # polygonal data and an image
    assert [info.GetBlockName(i) for i in range(4)] == ["vtkMultiBlockDataSet", "Sphere", "Wavelet", ""]
    assert info.GetNumberOfDataSets() == 2 and info.GetFirstLeafCompositeIndex() == 1
    blocks = info.GetCompositeDataInformation()
    assert blocks.GetNumberOfChildren() == 2 and [blocks.GetName(i) for i in range(2)] == ["Sphere", "Wavelet"]
    for i in range(2):
        child, expected = blocks.GetDataInformation(i), ref.GetBlock(i)
        assert child.GetDataSetTypeAsString() == expected.GetClassName()
        assert (child.GetNumberOfPoints(), child.GetNumberOfCells()) == (
            expected.GetNumberOfPoints(), expected.GetNumberOfCells())  # fmt: skip
        assert list(child.GetBounds()) == pytest.approx(list(expected.GetBounds()))
    # Arrays of any block, their ranges over all blocks: Normals of the sphere, RTData of the wavelet.
    assert set(proxy.PointData.keys()) == {"Normals", "RTData"}
    rt = ref.GetBlock(1).GetPointData().GetArray("RTData").GetRange()
    assert proxy.PointData["RTData"].GetRange() == pytest.approx(rt)


def test_group_datasets_block_names_and_output_types(group) -> None:
    proxy, _, _ = group
    proxy.BlockNames = ["Random"]
    info = proxy.GetDataInformation()
    assert (info.GetBlockName(1), info.GetBlockName(2)) == ("Random", "Block 1")  # VTK names the others
    proxy.OutputType = "vtkPartitionedDataSetCollection"
    info = proxy.GetDataInformation()
    assert info.GetDataSetTypeAsString() == "vtkPartitionedDataSetCollection"
    assert info.GetNumberOfCells() == _group(_sphere(), _wavelet()).GetOutputDataObject(0).GetNumberOfCells()
    proxy.OutputType = 13  # ParaView's integer value of a label
    assert proxy.OutputType == "vtkMultiBlockDataSet"
    with pytest.raises(PropertyError, match="vtkMultiBlockDataSet' \\(13\\)"):
        proxy.OutputType = 14


def test_filters_downstream_work_block_by_block(simple, group) -> None:
    proxy, _, _ = group
    upstream = _group(_sphere(), _wavelet())  # held: a filter's input connection does not keep it alive
    shrink = simple.Shrink(Input=proxy)
    ref = vtkShrinkFilter()
    ref.SetInputConnection(upstream.GetOutputPort())
    ref.Update()
    _same_totals(shrink, ref.GetOutputDataObject(0))
    info = shrink.GetDataInformation()
    assert info.GetDataSetTypeAsString() == "vtkMultiBlockDataSet" and info.GetDataClassName() == "vtkUnstructuredGrid"
    assert [info.GetBlockName(i) for i in (1, 2)] == ["Sphere", "Wavelet"]
    contour = simple.Contour(Input=proxy, ContourBy=["POINTS", "RTData"], Isosurfaces=[150.0])
    ref = vtkContourFilter()
    ref.SetInputConnection(upstream.GetOutputPort())
    ref.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    ref.SetValue(0, 150.0)
    ref.Update()
    assert contour.GetDataInformation().GetNumberOfCells() == ref.GetOutputDataObject(0).GetNumberOfCells() > 0
    elevation = simple.Elevation(Input=proxy)
    ref = vtkElevationFilter()
    ref.SetInputConnection(upstream.GetOutputPort())
    ref.SetLowPoint(-10, -10, -10)  # ParaView's default: the input's bounds
    ref.SetHighPoint(10, 10, 10)
    elevation.LowPoint, elevation.HighPoint = [-10, -10, -10], [10, 10, 10]
    ref.Update()
    leaves = [ref.GetOutputDataObject(0).GetBlock(i).GetPointData().GetArray("Elevation").GetRange() for i in (0, 1)]
    lo, hi = min(r[0] for r in leaves), max(r[1] for r in leaves)
    assert elevation.PointData["Elevation"].GetRange() == pytest.approx((lo, hi))


def test_filter_of_one_type_refuses_a_block_of_another(simple, group) -> None:
    proxy, _, _ = group
    smooth = simple.Smooth(Input=proxy)  # polygonal data only: the wavelet block is an image
    with pytest.raises(PipelineError, match="vtkMultiBlockDataSet holding vtkImageData"):
        smooth.UpdatePipeline()


def test_merge_blocks(simple) -> None:
    spheres = [simple.Sphere(), simple.Sphere(Center=[1.0, 0.0, 0.0])]
    merge = simple.MergeBlocks(Input=simple.GroupDatasets(Input=spheres))
    defaults = {"OutputDataSetType": "Unstructured Grid", "MergePartitionsOnly": 0, "MergePoints": 1,
                "Tolerance": 0.0, "ToleranceIsAbsolute": 0}  # fmt: skip
    assert {name: getattr(merge, name) for name in defaults} == defaults

    def reference(**settings: object) -> object:
        algorithm, upstream = vtkMergeBlocks(), _group(_sphere(), _sphere((1.0, 0.0, 0.0)))
        algorithm.SetInputConnection(upstream.GetOutputPort())
        for name, value in settings.items():
            getattr(algorithm, f"Set{name}")(value)
        algorithm.Update()
        return algorithm.GetOutputDataObject(0)

    _same_totals(merge, reference())
    assert merge.GetDataInformation().GetDataSetTypeAsString() == "vtkUnstructuredGrid"
    merge.MergePoints = 0
    _same_totals(merge, reference(MergePoints=0))
    merge.OutputDataSetType = 0  # vtkConstants.VTK_POLY_DATA, as ParaView's tests set it
    assert merge.OutputDataSetType == "Polygonal Mesh"
    assert merge.GetDataInformation().GetDataSetTypeAsString() == "vtkPolyData"
    _same_totals(merge, reference(MergePoints=0, OutputDataSetType=0))


def test_extract_block(simple, group) -> None:
    proxy, _, _ = group
    extract = simple.ExtractBlock(Input=proxy)
    assert (extract.Assembly, extract.Selectors) == ("Hierarchy", [])
    assert extract.GetDataInformation().GetNumberOfCells() == 0  # nothing selected
    extract.Selectors = ["/Root/Wavelet"]
    info = extract.GetDataInformation()
    wavelet = _wavelet()
    wavelet.Update()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (9261, 8000) == (
        wavelet.GetOutput().GetNumberOfPoints(), wavelet.GetOutput().GetNumberOfCells())  # fmt: skip
    assert "Wavelet" in [info.GetBlockName(i) for i in range(3)]
    assert "Normals" not in extract.PointData
    with pytest.raises(PipelineError, match="needs vtkMultiBlockDataSet"):
        simple.ExtractBlock(Input=simple.Sphere()).UpdatePipeline()


def test_append_datasets(simple) -> None:
    sphere1, sphere2 = simple.Sphere(), simple.Sphere(Center=[1.0, 0.0, 0.0])
    append = simple.AppendDatasets(Input=[sphere1, sphere2])
    assert append.OutputDataSetType == "Unstructured Grid"
    ref = _run(vtkAppendDataSets(), _sphere(), _sphere((1.0, 0.0, 0.0))).GetOutputDataObject(0)
    _same_totals(append, ref)
    assert append.GetDataInformation().GetDataSetTypeAsString() == "vtkUnstructuredGrid"
    append.OutputDataSetType = "Polygonal Mesh"
    append.Input = [sphere1, sphere2, simple.Wavelet()]  # an image is left out of polygonal output
    info = append.GetDataInformation()
    assert info.GetDataSetTypeAsString() == "vtkPolyData"
    assert info.GetNumberOfCells() == 2 * sphere1.GetDataInformation().GetNumberOfCells()


def test_append_attributes(simple) -> None:
    sphere = simple.Sphere()
    merged = simple.AppendAttributes(Input=[sphere, simple.Elevation(Input=sphere)])
    elevation, sphere_source = vtkElevationFilter(), _sphere()
    elevation.SetInputConnection(sphere_source.GetOutputPort())
    elevation.SetLowPoint(0, -0.5, 0)  # ParaView's Elevation default: along y over the input's bounds
    elevation.SetHighPoint(0, 0.5, 0)
    ref = _run(vtkMergeArrays(), _sphere(), elevation).GetOutputDataObject(0)
    names = [ref.GetPointData().GetArrayName(i) for i in range(ref.GetPointData().GetNumberOfArrays())]
    assert sorted(merged.PointData.keys()) == sorted(names) == ["Elevation", "Normals", "Normals_input_1"]
    _same_totals(merged, ref)
    merged.Input = [sphere]  # one input passes through, as in ParaView (VTK's filter wants two)
    assert merged.PointData.keys() == ["Normals"]
    assert merged.GetDataInformation().GetNumberOfCells() == sphere.GetDataInformation().GetNumberOfCells()


def test_fetch_gives_the_multiblock(simple, group) -> None:
    proxy, _, _ = group
    data = simple.Fetch(proxy)
    ref = _group(_sphere(), _wavelet(), names=("Sphere", "Wavelet")).GetOutputDataObject(0)
    assert data.GetClassName() == "vtkMultiBlockDataSet" and data.GetNumberOfBlocks() == 2
    for i in range(2):
        assert data.GetMetaData(i).Get(vtkMultiBlockDataSet.NAME()) == ["Sphere", "Wavelet"][i]
        assert data.GetBlock(i).GetClassName() == ref.GetBlock(i).GetClassName()
        assert data.GetBlock(i).GetNumberOfCells() == ref.GetBlock(i).GetNumberOfCells()
    for kind in ("vtkPartitionedDataSetCollection", "vtkPartitionedDataSet"):
        proxy.OutputType = kind
        collection = simple.Fetch(proxy)
        assert collection.GetClassName() == kind
        assert collection.GetNumberOfCells() == ref.GetNumberOfCells()


def test_save_data_writes_a_vtm_with_its_blocks(simple, group, tmp_path) -> None:
    proxy, _, _ = group
    path = tmp_path / "group.vtm"
    simple.SaveData(str(path), proxy)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["group.vtm", "group_1.vtp", "group_2.vti"]
    reader = vtkXMLMultiBlockDataReader()
    reader.SetFileName(str(path))
    reader.Update()
    back = reader.GetOutput()
    assert [back.GetMetaData(i).Get(back.NAME()) for i in range(2)] == ["Sphere", "Wavelet"]
    assert back.GetNumberOfCells() == proxy.GetDataInformation().GetNumberOfCells()
    simple.SaveData(str(tmp_path / "merged.vtu"), proxy)  # one dataset: the blocks merged
    assert (tmp_path / "merged.vtu").stat().st_size > 0


def _view(simple):
    view = simple.CreateRenderView(ViewSize=[160, 120], OrientationAxesVisibility=0)
    view.CameraPosition, view.CameraFocalPoint, view.CameraViewUp = [30.0, 20.0, 50.0], [0.0, 0.0, 0.0], [0, 1, 0]
    view.CameraInitialized = 1
    return view


def test_a_multiblock_draws_every_block(simple) -> None:
    from pvserver.rendering.imaging import decode_image

    sphere, box = simple.Sphere(Radius=6.0, Center=[8.0, 0.0, 0.0]), simple.Box(XLength=6.0)
    view = _view(simple)
    for proxy in (sphere, box):
        simple.Show(proxy, view)
    apart = decode_image(view.CaptureImage().data).astype(int)
    for proxy in (sphere, box):
        simple.Hide(proxy, view)
    simple.Show(simple.GroupDatasets(Input=[sphere, box]), view)
    together = decode_image(view.CaptureImage().data).astype(int)
    assert np.abs(apart - together).max(axis=2).mean() < 0.5
    assert (np.abs(together - together[0, 0]).max(axis=2) > 3).sum() > 500  # both shapes are there


def test_data_information_of_blocks_crosses_the_wire() -> None:
    info = messages.DataInformation(
        "vtkMultiBlockDataSet", 3, 1, leaf_type="vtkPolyData",
        blocks=[messages.BlockInformation("vtkMultiBlockDataSet", "vtkMultiBlockDataSet", -1, 3, 1),
                messages.BlockInformation("Sphere", "vtkPolyData", 0, 3, 1, [0.0, 1.0, 0.0, 1.0, 0.0, 0.0])],
    )  # fmt: skip
    message = pb.ServerMessage()
    message.ParseFromString(codec.encode_reply(7, info))
    assert codec.decode_reply(message) == info


@pytest.mark.parametrize(
    "blocks",
    [
        [{"name": "", "type": "vtkPolyData", "parent": -1}],  # a dataset cannot be the root
        [
            {"name": "", "type": "vtkMultiBlockDataSet", "parent": -1},
            {"name": "", "type": "vtkPolyData", "parent": 1},
        ],  # its own parent
        [{"name": "", "type": "vtkMultiBlockDataSet", "parent": -1}, {"name": "", "type": "vtkScript", "parent": 0}],
    ],
)
def test_fetched_composite_data_is_checked(blocks) -> None:
    header = json.dumps({"blocks": [{**b, "size": 0} for b in blocks]}).encode()
    with pytest.raises(ProtocolError, match="could not be read"):
        fetched.from_xml("vtkMultiBlockDataSet", COMPOSITE_MAGIC + len(header).to_bytes(8, "little") + header)
    with pytest.raises(ProtocolError):
        fetched.from_xml("vtkMultiBlockDataSet", COMPOSITE_MAGIC + (10**9).to_bytes(8, "little") + b"{}")


def test_a_group_counts_every_input_for_the_budget(simple) -> None:
    from pvcore.messages import ProxyState
    from pvserver.pipeline import budget

    states = {1: ProxyState(1, "sources", "Wavelet", "W1", {}), 2: ProxyState(2, "sources", "Sphere", "S1", {})}
    one = budget.estimate(states[1], states)
    group = budget.estimate(ProxyState(3, "filters", "GroupDatasets", "G", {"Input": (1, 1, 2)}), states)
    sphere = budget.estimate(states[2], states)
    assert group.cells == 2 * one.cells + sphere.cells and group.bytes == 2 * one.bytes + sphere.bytes
    wavelet = simple.Wavelet(WholeExtent=[0, 599, 0, 599, 0, 599])  # within the budget alone...
    with pytest.raises(ResourceLimitError, match="GroupDatasets"):
        simple.GroupDatasets(Input=[wavelet] * 1000)  # ...not a thousand times over
    with pytest.raises(ResourceLimitError, match="AppendDatasets"):
        simple.AppendDatasets(Input=[wavelet] * 1000)
