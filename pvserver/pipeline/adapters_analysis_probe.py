"""Probes over all ranks: Plot Over Line and Probe Location.

A probed point may lie in another rank's piece. Both probe the same points on every rank and combine on rank 0,
taking each point's values from the lowest rank whose piece holds it (``vtkValidPointMask``); rank 0 holds the one
result. The resamplers, whose output stays split among the ranks, are in :mod:`adapters_analysis_resample`.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkDataSet, vtkPolyData, vtkPolyLine
from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
from vtkmodules.vtkFiltersCore import vtkProbeFilter
from vtkmodules.vtkFiltersParallelDIY2 import vtkProbeLineFilter
from vtkmodules.vtkFiltersSources import vtkLineSource

from pvserver.pipeline.adapters_analysis_reduce import (
    LOCAL_CONTROLLER,
    AnalysisAlgorithm,
    allgather,
)
from pvserver.pipeline.context import Context
from pvserver.pipeline.transfer import dumps

MASK = "vtkValidPointMask"
UNIFORM = 2  # vtkProbeLineFilter's SAMPLE_LINE_UNIFORMLY


def _has_data(data: Any) -> bool:
    return data is not None and data.GetNumberOfPoints() > 0 and data.GetNumberOfCells() > 0


def copy_of(data: Any) -> Any:
    """A shallow copy, for an inner filter (which must not take the pipeline's own object as its input)."""
    copy = data.NewInstance()
    copy.ShallowCopy(data)
    return copy


def _point_arrays(data: Any) -> dict[str, np.ndarray]:
    attributes = data.GetPointData()
    found = {}
    for i in range(attributes.GetNumberOfArrays()):
        array, name = attributes.GetArray(i), attributes.GetArrayName(i)
        if array is not None and name:
            found[name] = vtk_to_numpy(array).reshape(array.GetNumberOfTuples(), array.GetNumberOfComponents())
    return found


def combine_probes(shares: list[dict[str, np.ndarray] | None]) -> dict[str, np.ndarray]:
    """The point arrays of the same points probed on every rank: each point's values from the lowest rank whose
    mask says it found the point (where none did, the lowest rank's null values), and the mask of any rank."""
    shares = [s for s in shares if s is not None]
    if not shares:
        return {}
    found = np.zeros(len(shares[0][MASK]), dtype=bool)
    combined: dict[str, np.ndarray] = {}
    for share in shares:
        for name, values in share.items():
            if name not in combined:
                combined[name] = values.copy()
    for share in shares:
        new = (share[MASK].ravel() != 0) & ~found
        for name, values in share.items():
            if name != MASK and combined[name].shape == values.shape:
                combined[name][new] = values[new]
        found |= new
    combined[MASK] = found.astype(np.int8).reshape(-1, 1)
    return combined


def _set_point_arrays(data: Any, arrays: dict[str, np.ndarray]) -> None:
    for name, values in arrays.items():
        array = numpy_to_vtk(np.ascontiguousarray(values if values.shape[1] > 1 else values.ravel()), deep=True)
        array.SetName(name)
        data.GetPointData().AddArray(array)


# -------------------------------------------------------------------------------------------- Plot Over Line


class ProbeLine(AnalysisAlgorithm):
    """ParaView's Plot Over Line: vtkProbeLineFilter along Point1-Point2 on every rank's piece, combined on rank 0
    (uniform sampling: point by point; the cell-boundary patterns: every rank's samples in arc-length order)."""

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkPolyData")
        self.settings: dict[str, Any] = {
            "Point1": (0.0, 0.0, 0.0), "Point2": (0.0, 0.0, 0.0), "LineResolution": (1000,),
            "SamplingPattern": (UNIFORM,), "PassPartialArrays": (1,), "PassCellArrays": (0,), "PassPointArrays": (0,),
            "PassFieldArrays": (1,), "ComputeTolerance": (1,), "Tolerance": (2.220446049250313e-16,),
        }  # fmt: skip

    def _set(self, name: str, *values: Any) -> None:
        if self.settings.get(name) != values:
            self.settings[name] = values
            self.Modified()

    def SetPoint1(self, x: float, y: float, z: float) -> None:  # noqa: N802 - VTK setters
        self._set("Point1", x, y, z)

    def SetPoint2(self, x: float, y: float, z: float) -> None:  # noqa: N802
        self._set("Point2", x, y, z)

    def SetLineResolution(self, resolution: int) -> None:  # noqa: N802
        self._set("LineResolution", int(resolution))

    def SetSamplingPattern(self, pattern: int) -> None:  # noqa: N802
        self._set("SamplingPattern", int(pattern))

    def SetPassPartialArrays(self, on: int) -> None:  # noqa: N802
        self._set("PassPartialArrays", on)

    def SetPassCellArrays(self, on: int) -> None:  # noqa: N802
        self._set("PassCellArrays", on)

    def SetPassPointArrays(self, on: int) -> None:  # noqa: N802
        self._set("PassPointArrays", on)

    def SetPassFieldArrays(self, on: int) -> None:  # noqa: N802
        self._set("PassFieldArrays", on)

    def SetComputeTolerance(self, on: int) -> None:  # noqa: N802
        self._set("ComputeTolerance", on)

    def SetTolerance(self, tolerance: float) -> None:  # noqa: N802
        self._set("Tolerance", tolerance)

    def _probe(self, data: Any) -> Any:
        """vtkProbeLineFilter on this rank's piece (None for an empty piece)."""
        if not _has_data(data):
            return None
        line = vtkLineSource()
        line.SetPoint1(*self.settings["Point1"])
        line.SetPoint2(*self.settings["Point2"])
        probe = vtkProbeLineFilter()
        probe.SetController(LOCAL_CONTROLLER)  # this piece alone: the ranks are combined here
        probe.SetInputData(copy_of(data))
        probe.SetSourceConnection(line.GetOutputPort())
        for name, values in self.settings.items():
            if name not in ("Point1", "Point2"):
                getattr(probe, f"Set{name}")(*values)
        probe.Update()
        return probe.GetOutput()

    def execute(self, in_info: Any, out_info: Any) -> None:
        data = vtkDataSet.GetData(in_info[0])
        output = vtkPolyData.GetData(out_info)
        probed: dict[str, Any] = {}

        def share() -> Any:
            probed["out"] = out = self._probe(data)
            if out is None:
                return None
            arrays = _point_arrays(out)
            if self.settings["SamplingPattern"][0] == UNIFORM:
                return arrays
            valid = arrays[MASK].ravel() != 0
            return {
                "points": vtk_to_numpy(out.GetPoints().GetData())[valid],
                **{n: a[valid] for n, a in arrays.items()},
            }

        shares = allgather(self.comm, share, "PlotOverLine")
        if self.rank != 0:
            return
        if self.size == 1:
            if probed["out"] is not None:
                output.ShallowCopy(probed["out"])
            return
        if self.settings["SamplingPattern"][0] == UNIFORM:
            template = probed["out"] if probed["out"] is not None else self._probe_template(shares)
            if template is None:
                return
            output.CopyStructure(template)
            _set_point_arrays(output, combine_probes(shares))
            return
        self._concatenate([s for s in shares if s is not None], output)

    def _probe_template(self, shares: list[Any]) -> Any:
        """The sample points of the line, for a rank 0 whose own piece is empty."""
        if all(s is None for s in shares):
            return None
        line = vtkLineSource()
        line.SetPoint1(*self.settings["Point1"])
        line.SetPoint2(*self.settings["Point2"])
        line.SetResolution(self.settings["LineResolution"][0])
        line.Update()
        return line.GetOutput()

    @staticmethod
    def _concatenate(shares: list[dict[str, np.ndarray]], output: Any) -> None:
        """Every rank's valid samples, one polyline in arc-length order (ties keep rank order)."""
        if not shares:
            return
        names = [n for n in shares[0] if all(n in s for s in shares)]
        joined = {n: np.concatenate([s[n] for s in shares]) for n in names}
        order = np.argsort(joined["arc_length"].ravel(), kind="stable")
        points = vtkPoints()
        points.SetData(numpy_to_vtk(np.ascontiguousarray(joined.pop("points")[order]), deep=True))
        output.SetPoints(points)
        line = vtkPolyLine()
        line.GetPointIds().SetNumberOfIds(len(order))
        for i in range(len(order)):
            line.GetPointIds().SetId(i, i)
        output.Allocate(1)
        output.InsertNextCell(line.GetCellType(), line.GetPointIds())
        _set_point_arrays(output, {n: v[order] for n, v in joined.items()})


# --------------------------------------------------------------------------------------------- Probe Location


class ProbePoint(AnalysisAlgorithm):
    """ParaView's Probe Location: the points of its ProbeType (input port 1, made on rank 0) probed in every rank's
    piece with vtkProbeFilter, combined on rank 0."""

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 2, "vtkDataSet", "vtkPolyData")
        self.settings: dict[str, Any] = {
            "PassFieldArrays": 1,
            "ComputeTolerance": 1,
            "Tolerance": 2.220446049250313e-16,
        }

    def FillInputPortInformation(self, port: int, info: Any) -> int:  # noqa: N802
        info.Set(self.INPUT_REQUIRED_DATA_TYPE(), "vtkDataSet")
        return 1

    def RequestUpdateExtent(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        shape = in_info[1].GetInformationObject(0)  # the probe points: the whole of them on every rank
        shape.Set(Sddp.UPDATE_PIECE_NUMBER(), 0)
        shape.Set(Sddp.UPDATE_NUMBER_OF_PIECES(), 1)
        shape.Set(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS(), 0)
        return 1

    def _set(self, name: str, value: Any) -> None:
        if self.settings.get(name) != value:
            self.settings[name] = value
            self.Modified()

    def SetPassFieldArrays(self, on: int) -> None:  # noqa: N802
        self._set("PassFieldArrays", on)

    def SetComputeTolerance(self, on: int) -> None:  # noqa: N802
        self._set("ComputeTolerance", on)

    def SetTolerance(self, tolerance: float) -> None:  # noqa: N802
        self._set("Tolerance", tolerance)

    def execute(self, in_info: Any, out_info: Any) -> None:
        data = vtkDataSet.GetData(in_info[0])
        shape = vtkDataSet.GetData(in_info[1])
        output = vtkPolyData.GetData(out_info)
        # rank 0's probe points, on every rank (a random point cloud differs from rank to rank)
        points = shape
        if self.size > 1:
            sent = allgather(self.comm, lambda: dumps(shape) if self.rank == 0 else None, "ProbeLocation")[0]
            points = shape if self.rank == 0 else pickle.loads(sent)
        local: dict[str, Any] = {}

        def share() -> Any:
            local["out"] = out = self._probe(points, data)
            return None if out is None else _point_arrays(out)

        shares = allgather(self.comm, share, "ProbeLocation")
        if self.rank != 0:
            return
        output.ShallowCopy(local["out"] if local["out"] is not None else points)
        if self.size > 1 and any(s is not None for s in shares):
            _set_point_arrays(output, combine_probes(shares))

    def _probe(self, points: Any, data: Any) -> Any:
        if points is None or not _has_data(data):
            return None
        probe = vtkProbeFilter()
        probe.SetInputData(copy_of(points))
        probe.SetSourceData(copy_of(data))
        for name, value in self.settings.items():
            getattr(probe, f"Set{name}")(value)
        probe.Update()
        return probe.GetOutput()


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "ProbeLine": lambda context: ProbeLine(context.comm),
    "ProbePoint": lambda context: ProbePoint(context.comm),
}
