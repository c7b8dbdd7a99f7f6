"""VTK-side adapters of the analysis family (see :mod:`pvserver.pipeline.adapters` for what an adapter is).

Integrals, min/max/sum and histograms are reductions over every rank's piece: each rank computes its share, the
shares meet on rank 0 (:mod:`adapters_analysis_reduce`), and rank 0 alone holds the one answer, so that the
totals of the server's data information are that answer. The histogram is in :mod:`adapters_analysis_stats`, the
probes in :mod:`adapters_analysis_probe`, the resamplers in :mod:`adapters_analysis_resample`, Gradient and
Reflect (whose pieces need ghost layers or the bounds of all the data) in :mod:`adapters_analysis_fields`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkDataSet, vtkPolyData, vtkUnstructuredGrid
from vtkmodules.vtkFiltersParallel import vtkIntegrateAttributes

from pvserver.pipeline import (
    adapters_analysis_fields,
    adapters_analysis_probe,
    adapters_analysis_resample,
    adapters_analysis_stats,
)
from pvserver.pipeline.adapters_analysis_points import not_duplicated, owned_points
from pvserver.pipeline.adapters_analysis_reduce import (
    LOCAL_CONTROLLER,
    AnalysisAlgorithm,
    allgather,
)
from pvserver.pipeline.context import Context

#: The measure vtkIntegrateAttributes sums, by the dimension of the cells.
MEASURES = ("Length", "Area", "Volume")


def numeric_arrays(attributes: Any, mask: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The named numeric arrays of ``attributes`` as numpy arrays (2D: tuples x components), rows in ``mask``."""
    found = {}
    for i in range(attributes.GetNumberOfArrays()):
        array = attributes.GetArray(i)
        name = attributes.GetArrayName(i)
        if array is None or not name or name == "vtkGhostType":
            continue
        values = vtk_to_numpy(array).reshape(array.GetNumberOfTuples(), array.GetNumberOfComponents())
        found[name] = values if mask is None else values[mask]
    return found


def add_array(attributes: Any, name: str, values: np.ndarray) -> None:
    """Add a numpy array (tuples x components) to a VTK attributes object under ``name``."""
    array = numpy_to_vtk(np.ascontiguousarray(values if values.shape[1] > 1 else values.ravel()), deep=True)
    array.SetName(name)
    attributes.AddArray(array)


# ------------------------------------------------------------------------------------ Integrate Variables


class IntegrateAttributes(AnalysisAlgorithm):
    """ParaView's Integrate Variables: vtkIntegrateAttributes on each piece, the pieces' integrals summed on rank 0
    (one point at the measure-weighted centre; ``DivideCellDataByVolume`` divides by the total measure)."""

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkUnstructuredGrid")
        self.divide = False

    def SetDivideCellDataByVolume(self, divide: int) -> None:  # noqa: N802 - a VTK setter
        self._setter("divide", bool(divide))

    def execute(self, in_info: Any, out_info: Any) -> None:
        data = vtkDataSet.GetData(in_info[0])
        output = vtkUnstructuredGrid.GetData(out_info)
        shares = allgather(self.comm, lambda: _integrate(data), "IntegrateVariables")
        if self.rank != 0:
            return  # the one answer is rank 0's
        shares = [s for s in shares if s is not None]  # none at all: VTK's one point at the origin, no arrays
        measure = next((m for m in reversed(MEASURES) if any(m in s["cells"] for s in shares)), None)
        total = sum(float(s["cells"].get(measure, np.zeros((1, 1)))[0, 0]) for s in shares) if measure else 0.0
        centre = (
            sum(s["point"] * float(s["cells"].get(measure, np.zeros((1, 1)))[0, 0]) for s in shares) / total
            if total
            else np.zeros(3)
        )
        points = vtkPoints()
        points.InsertNextPoint(*centre)
        output.SetPoints(points)
        output.Allocate(1)
        output.InsertNextCell(1, 1, [0])  # VTK_VERTEX
        for key, attributes in (("points", output.GetPointData()), ("cells", output.GetCellData())):
            for name in dict.fromkeys(n for s in shares for n in s[key]):
                values = sum(s[key][name] for s in shares if name in s[key])
                if key == "cells" and self.divide and name != measure and total:
                    values = values / total
                add_array(attributes, name, np.asarray(values, dtype=np.float64))


def _integrate(data: Any) -> dict[str, Any] | None:
    """This piece's integrals, undivided; None for an empty piece."""
    if data is None or data.GetNumberOfCells() == 0:
        return None
    integrate = vtkIntegrateAttributes()
    integrate.SetController(LOCAL_CONTROLLER)  # this piece alone: the ranks are summed here
    integrate.SetInputData(data)
    integrate.Update()
    out = integrate.GetOutput()
    if out.GetNumberOfPoints() == 0:
        return None
    return {
        "point": np.array(out.GetPoint(0)),
        "points": numeric_arrays(out.GetPointData()),
        "cells": numeric_arrays(out.GetCellData()),
    }


# ------------------------------------------------------------------------------------------------ MinMax

OPERATIONS = ("MIN", "MAX", "SUM")


class MinMax(AnalysisAlgorithm):
    """ParaView's vtkMinMax over all ranks: one point (at the origin, with one vertex) whose point and cell arrays
    hold the minimum, maximum or sum of each of the input's arrays, per component, in the array's type."""

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkPolyData")
        self.operation = "MIN"

    def SetOperation(self, operation: str) -> None:  # noqa: N802
        if operation not in OPERATIONS:
            raise ValueError(f"MinMax.Operation must be one of {', '.join(OPERATIONS)}, not {operation!r}.")
        self._setter("operation", operation)

    def execute(self, in_info: Any, out_info: Any) -> None:
        data = vtkDataSet.GetData(in_info[0])
        output = vtkPolyData.GetData(out_info)
        points = owned_points(self.comm, data, "MinMax") if self.operation == "SUM" else None
        shares = allgather(self.comm, lambda: self._local(data, points), "MinMax")
        if self.rank != 0:
            return
        coords = vtkPoints()
        coords.InsertNextPoint(0.0, 0.0, 0.0)
        output.SetPoints(coords)
        verts = vtkCellArray()
        verts.InsertNextCell(1, [0])
        output.SetVerts(verts)
        for key, attributes in (("points", output.GetPointData()), ("cells", output.GetCellData())):
            reduced: dict[str, np.ndarray] = {}
            for share in shares:
                for name, values in share[key].items():
                    known = reduced.get(name)
                    if known is None:
                        reduced[name] = values
                    elif known.shape == values.shape and known.dtype == values.dtype:  # else vtkMinMax's mismatch
                        reduced[name] = self._combine(np.stack([known, values]))
            for name, values in reduced.items():
                add_array(attributes, name, values.reshape(1, -1))

    def _local(self, data: Any, owned: np.ndarray | None) -> dict[str, dict[str, np.ndarray]]:
        found: dict[str, dict[str, np.ndarray]] = {"points": {}, "cells": {}}
        if data is None:
            return found
        for key, attributes, count in (
            ("points", data.GetPointData(), data.GetNumberOfPoints()),
            ("cells", data.GetCellData(), data.GetNumberOfCells()),
        ):
            mask = owned if key == "points" and owned is not None else not_duplicated(attributes, count)
            for name, values in numeric_arrays(attributes, mask).items():
                if len(values):
                    found[key][name] = self._combine(values)
        return found

    def _combine(self, values: np.ndarray) -> np.ndarray:
        if self.operation == "MIN":
            return values.min(axis=0)
        if self.operation == "MAX":
            return values.max(axis=0)
        return values.sum(axis=0, dtype=values.dtype)


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "IntegrateAttributes": lambda context: IntegrateAttributes(context.comm),
    "MinMax": lambda context: MinMax(context.comm),
    **adapters_analysis_stats.ADAPTERS,
    **adapters_analysis_probe.ADAPTERS,
    **adapters_analysis_resample.ADAPTERS,
    **adapters_analysis_fields.ADAPTERS,
}
