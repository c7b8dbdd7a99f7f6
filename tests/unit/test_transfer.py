"""VTK data objects through pvserver.pipeline.transfer.dumps and pickle.loads: everything comes back."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy

from pvserver.pipeline.transfer import dumps


def _wavelet_grid() -> Any:
    """An unstructured grid of hexahedra with point and cell arrays, a 3-component one, an id type one, field data
    and active scalars."""
    from vtkmodules.vtkFiltersCore import vtkAppendFilter, vtkPointDataToCellData
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    source = vtkRTAnalyticSource()
    source.SetWholeExtent(-3, 3, -3, 3, -2, 2)
    cells = vtkPointDataToCellData()
    cells.SetInputConnection(source.GetOutputPort())
    cells.PassPointDataOn()
    grid = vtkAppendFilter()
    grid.SetInputConnection(cells.GetOutputPort())
    grid.Update()
    out = grid.GetOutput()
    vectors = numpy_to_vtk(vtk_to_numpy(out.GetPoints().GetData()) * 2.0, deep=True)
    vectors.SetName("Twice")
    out.GetPointData().SetVectors(vectors)
    ids = numpy_to_vtk(np.arange(out.GetNumberOfCells(), dtype=np.int64), deep=True, array_type=12)  # VTK_ID_TYPE
    ids.SetName("Ids")
    out.GetCellData().AddArray(ids)
    label = numpy_to_vtk(np.array([7.5]), deep=True)
    label.SetName("Label")
    out.GetFieldData().AddArray(label)
    return out


def _sphere() -> Any:
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    sphere = vtkSphereSource()
    sphere.Update()
    return sphere.GetOutput()


def _arrays(attributes: Any) -> dict[str, tuple[int, np.ndarray]]:
    return {
        attributes.GetArrayName(i): (attributes.GetArray(i).GetDataType(), vtk_to_numpy(attributes.GetArray(i)))
        for i in range(attributes.GetNumberOfArrays())
    }


@pytest.mark.parametrize("make", [_wavelet_grid, _sphere], ids=["unstructured", "polygonal"])
def test_data_comes_back_whole(make) -> None:
    data = make()
    back = pickle.loads(dumps(data))
    assert back.GetClassName() == data.GetClassName()
    np.testing.assert_array_equal(vtk_to_numpy(back.GetPoints().GetData()), vtk_to_numpy(data.GetPoints().GetData()))
    assert back.GetPoints().GetDataType() == data.GetPoints().GetDataType()
    assert back.GetNumberOfCells() == data.GetNumberOfCells()
    for i in (0, data.GetNumberOfCells() // 2, data.GetNumberOfCells() - 1):
        assert back.GetCellType(i) == data.GetCellType(i)
        mine, theirs = back.GetCell(i).GetPointIds(), data.GetCell(i).GetPointIds()
        assert [mine.GetId(k) for k in range(mine.GetNumberOfIds())] == [
            theirs.GetId(k) for k in range(theirs.GetNumberOfIds())
        ]
    for kind in ("GetPointData", "GetCellData", "GetFieldData"):
        mine, theirs = _arrays(getattr(back, kind)()), _arrays(getattr(data, kind)())
        assert mine.keys() == theirs.keys(), kind
        for name, (vtk_type, values) in theirs.items():
            assert mine[name][0] == vtk_type, name  # the same VTK type (an id array stays one)
            np.testing.assert_array_equal(mine[name][1], values)
    for attribute in ("GetScalars", "GetVectors", "GetNormals"):
        active = getattr(data.GetPointData(), attribute)()
        again = getattr(back.GetPointData(), attribute)()
        assert (active and active.GetName()) == (again and again.GetName()), attribute


def test_what_arrays_cannot_carry_goes_through_vtk() -> None:
    """A string array (not numeric), and image data: VTK's own serialisation, which keeps them too."""
    from vtkmodules.vtkCommonCore import vtkStringArray
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    data = _sphere()
    names = vtkStringArray()
    names.SetName("Names")
    names.InsertNextValue("north pole")
    data.GetFieldData().AddArray(names)
    back = pickle.loads(dumps(data))
    assert back.GetFieldData().GetAbstractArray("Names").GetValue(0) == "north pole"
    assert back.GetNumberOfCells() == data.GetNumberOfCells()
    source = vtkRTAnalyticSource()
    source.Update()
    image = pickle.loads(dumps(source.GetOutput()))
    assert image.GetExtent() == source.GetOutput().GetExtent()
    np.testing.assert_array_equal(
        vtk_to_numpy(image.GetPointData().GetArray("RTData")),
        vtk_to_numpy(source.GetOutput().GetPointData().GetArray("RTData")),
    )
