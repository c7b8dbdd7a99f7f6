"""VTK data objects as bytes, for the ranks' messages over MPI (scatter, gather, ghost cells); never for a client
(Fetch sends VTK XML: pvserver.pipeline.xmldata).

``pickle.loads`` gives the object back. Unstructured grids and polygonal data, the data that travels most, go as
their numpy arrays (points, cells, attributes), which pickle copies as they are; VTK's own serialisation (a legacy
file written to a string and parsed again) takes several times longer. Anything else, and any array that is not
numeric, goes through VTK's.
"""

from __future__ import annotations

import copyreg
import pickle
from typing import Any

import numpy as np
from vtkmodules.util import pickle_support  # makes VTK data objects picklable

_POLYHEDRON = 42  # VTK_POLYHEDRON: its faces live outside the cell array; VTK's serialisation carries them
_POLYDATA_CELLS = ("Verts", "Lines", "Polys", "Strips")


def dumps(data: Any) -> bytes:
    """A VTK data object as bytes (``pickle.loads`` gives it back)."""
    cls = type(data)  # VTK's pickle support registered the vtk* classes; >= 9.4 also hands out Python subclasses
    if data is not None and data.IsA("vtkDataObject") and copyreg.dispatch_table.get(cls) is not _reduce:
        copyreg.pickle(cls, _reduce)
    return pickle.dumps(data, pickle.HIGHEST_PROTOCOL)


def _reduce(data: Any) -> tuple:
    arrays = _as_arrays(data)
    if arrays is None:
        return pickle_support.serialize_VTK_data_object(data)
    return rebuild, (data.GetClassName(), arrays)


def _as_arrays(data: Any) -> dict[str, Any] | None:
    """Everything of an unstructured grid or polygonal data as numpy arrays, or None if something is not."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    if not (data.IsA("vtkUnstructuredGrid") or data.IsA("vtkPolyData")):
        return None
    points = data.GetPoints()
    out: dict[str, Any] = {
        "points": None if points is None else vtk_to_numpy(points.GetData()),
        "point_data": _attributes(data.GetPointData()),
        "cell_data": _attributes(data.GetCellData()),
        "field_data": _attributes(data.GetFieldData()),
    }
    if any(out[key] is None for key in ("point_data", "cell_data", "field_data")):
        return None
    if data.IsA("vtkUnstructuredGrid"):
        try:
            types = data.GetCellTypes()  # VTK >= 9.6
        except TypeError:
            types = data.GetCellTypesArray()
        out["types"] = vtk_to_numpy(types) if types is not None else np.zeros(0, np.uint8)
        if np.any(out["types"] == _POLYHEDRON):
            return None
        out["cells"] = cell_arrays(data.GetCells())
    else:
        out["cells"] = {kind: cell_arrays(getattr(data, f"Get{kind}")()) for kind in _POLYDATA_CELLS}
    return out


def cell_arrays(cells: Any) -> tuple[np.ndarray, np.ndarray]:
    """A vtkCellArray's offsets and connectivity as numpy arrays (VTK's memory); an empty one for None."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    if cells is None:  # an empty piece, as some readers give it
        return np.zeros(1, np.int64), np.zeros(0, np.int64)
    return vtk_to_numpy(cells.GetOffsetsArray()), vtk_to_numpy(cells.GetConnectivityArray())


def _attributes(attributes: Any) -> list[tuple] | None:
    """(name, values, VTK type, attribute role) of each array; None if one is not numeric."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    out = []
    for i in range(attributes.GetNumberOfArrays()):
        array = attributes.GetAbstractArray(i)
        if array is None or not array.IsA("vtkDataArray") or array.IsA("vtkBitArray"):
            return None
        role = attributes.IsArrayAnAttribute(i) if hasattr(attributes, "IsArrayAnAttribute") else -1
        out.append((array.GetName(), vtk_to_numpy(array), array.GetNumberOfComponents(), array.GetDataType(), role))
    return out


def rebuild(class_name: str, arrays: dict[str, Any]) -> Any:
    """The data object :func:`dumps` sent as arrays (called by ``pickle.loads``). The VTK arrays use the numpy
    arrays' memory (unpickling made them; nothing else holds them), and keep them alive."""
    from vtkmodules import vtkCommonDataModel
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonCore import vtkPoints

    data = getattr(vtkCommonDataModel, class_name)()
    if arrays["points"] is not None:
        points = vtkPoints()
        points.SetData(numpy_to_vtk(arrays["points"]))
        data.SetPoints(points)
    if class_name == "vtkUnstructuredGrid":
        types = numpy_to_vtk(arrays["types"], array_type=_vtk_type("VTK_UNSIGNED_CHAR"))
        data.SetCells(types, _cell_array(*arrays["cells"]))
    else:
        for kind, (offsets, connectivity) in arrays["cells"].items():
            getattr(data, f"Set{kind}")(_cell_array(offsets, connectivity))
    for key, attributes in (
        ("point_data", data.GetPointData()),
        ("cell_data", data.GetCellData()),
        ("field_data", data.GetFieldData()),
    ):
        for name, values, components, vtk_type, role in arrays[key]:
            array = numpy_to_vtk(values.reshape(len(values), components) if components > 1 else values, False, vtk_type)
            array.SetName(name)
            attributes.AddArray(array)
            if role >= 0:
                attributes.SetActiveAttribute(name, role)
    return data


def _cell_array(offsets: np.ndarray, connectivity: np.ndarray) -> Any:
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkCellArray

    cells = vtkCellArray()
    id_type = _vtk_type("VTK_ID_TYPE")
    cells.SetData(
        numpy_to_vtk(np.ascontiguousarray(offsets, dtype=np.int64), array_type=id_type),
        numpy_to_vtk(np.ascontiguousarray(connectivity, dtype=np.int64), array_type=id_type),
    )
    return cells


def _vtk_type(name: str) -> int:
    from vtkmodules import vtkCommonCore

    return getattr(vtkCommonCore, name)
