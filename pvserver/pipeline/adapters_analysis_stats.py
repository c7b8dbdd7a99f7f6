"""ParaView's Histogram over all ranks: one table on rank 0 (``bin_extents``, ``bin_values``), the same as one rank
would make of the whole dataset.

The bins span the range of the chosen array over every rank (or CustomBinRanges); each rank counts the values it
owns (a point shared by two pieces counts once: :mod:`adapters_analysis_points`) and rank 0 adds the counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkDataSet, vtkTable

from pvserver.pipeline.adapters_analysis_points import not_duplicated, not_hidden, owned_points
from pvserver.pipeline.adapters_analysis_reduce import AnalysisAlgorithm, allgather
from pvserver.pipeline.context import Context


class ExtractHistogram(AnalysisAlgorithm):
    """vtkExtractHistogram's binning of one array component (or the magnitude: Component = the number of
    components), with the counts of all ranks; CalculateAverages adds ``<name>_total`` and ``<name>_average`` of
    the other arrays of the same association."""

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkTable")
        self.bins, self.component, self.averages, self.normalize = 10, 0, False, False
        self.custom, self.centre, self.custom_range = False, False, (0.0, 100.0)

    def SetBinCount(self, bins: int) -> None:  # noqa: N802 - VTK setters
        self._setter("bins", max(int(bins), 1))

    def SetComponent(self, component: int) -> None:  # noqa: N802
        self._setter("component", int(component))

    def SetCalculateAverages(self, on: int) -> None:  # noqa: N802
        self._setter("averages", bool(on))

    def SetNormalize(self, on: int) -> None:  # noqa: N802
        self._setter("normalize", bool(on))

    def SetUseCustomBinRanges(self, on: int) -> None:  # noqa: N802
        self._setter("custom", bool(on))

    def SetCenterBinsAroundMinAndMax(self, on: int) -> None:  # noqa: N802
        self._setter("centre", bool(on))

    def SetCustomBinRanges(self, low: float, high: float) -> None:  # noqa: N802
        self._setter("custom_range", (float(low), float(high)))

    def execute(self, in_info: Any, out_info: Any) -> None:
        data = vtkDataSet.GetData(in_info[0])
        output = vtkTable.GetData(out_info)
        selection = self.GetInputArrayInformation(0)
        name = selection.Get(vtkDataObject.FIELD_NAME()) if selection.Has(vtkDataObject.FIELD_NAME()) else ""
        cells = (
            selection.Has(vtkDataObject.FIELD_ASSOCIATION())
            and selection.Get(vtkDataObject.FIELD_ASSOCIATION()) == vtkDataObject.FIELD_ASSOCIATION_CELLS
        )
        owned = None if cells else owned_points(self.comm, data, "Histogram")
        local: dict[str, Any] = {"values": np.zeros(0), "others": {}}

        def value_range() -> tuple[float, float] | None:  # inside the collective: a failure here reaches everyone
            if data is not None:
                local["values"], local["others"] = self._values(data, name, cells, owned)
            values = local["values"]
            return (float(values.min()), float(values.max())) if len(values) else None

        ranges = allgather(self.comm, value_range, "Histogram")
        low, high = self._range([r for r in ranges if r is not None])
        shares = allgather(self.comm, lambda: self._count(local["values"], local["others"], low, high), "Histogram")
        if self.rank != 0 or not name:
            return
        counts = sum(s[0] for s in shares)
        totals = {n: sum(s[1][n] for s in shares if n in s[1]) for s in shares for n in s[1]}
        if not any(r is not None for r in ranges) and not self.custom:
            return  # no values anywhere: VTK's empty table
        delta = self._delta(low, high)
        self._column(output, "bin_extents", low + delta * (np.arange(self.bins) + (0.0 if self.centre else 0.5)))
        total = counts.sum()
        if self.normalize:
            self._column(output, "bin_values", counts / total if total else counts.astype(float))
        else:
            self._column(output, "bin_values", counts.astype(np.int32))
        for other, sums in totals.items():
            self._column(output, f"{other}_total", sums)
            filled = (counts > 0)[:, None]
            self._column(output, f"{other}_average", np.where(filled, sums / np.maximum(counts, 1)[:, None], 0.0))

    def _values(self, data: Any, name: str, cells: bool, owned: np.ndarray | None) -> tuple[np.ndarray, dict]:
        """The chosen component's values this rank counts, and those of the other arrays (for averages)."""
        attributes = data.GetCellData() if cells else data.GetPointData()
        array = attributes.GetArray(name) if name else None
        if array is None:
            if name and (data.GetNumberOfPoints() if not cells else data.GetNumberOfCells()):
                raise ValueError(f"Histogram: the input has no {'cell' if cells else 'point'} array {name!r}.")
            return np.zeros(0), {}
        count = data.GetNumberOfCells() if cells else data.GetNumberOfPoints()
        mask = (not_duplicated(attributes, count) if cells else owned) & not_hidden(attributes, count)
        tuples = vtk_to_numpy(array).reshape(array.GetNumberOfTuples(), array.GetNumberOfComponents())[mask]
        if self.component < tuples.shape[1]:
            values = tuples[:, self.component].astype(np.float64)
        elif self.component == tuples.shape[1]:
            values = np.sqrt((tuples.astype(np.float64) ** 2).sum(axis=1))
        else:
            raise ValueError(f"Histogram: {name!r} has {tuples.shape[1]} components; Component {self.component} "
                             f"is none of them (the number of components means the magnitude).")  # fmt: skip
        others = {}
        if self.averages:
            for i in range(attributes.GetNumberOfArrays()):
                other, other_name = attributes.GetArray(i), attributes.GetArrayName(i)
                if other is not None and other_name not in (name, "vtkGhostType", None):
                    others[other_name] = vtk_to_numpy(other).reshape(
                        other.GetNumberOfTuples(), other.GetNumberOfComponents()
                    )[mask]
        return values, others

    def _range(self, ranges: list[tuple[float, float]]) -> tuple[float, float]:
        """vtkExtractHistogram's bin range: the custom one, or the values' range (at least 1 wide)."""
        if self.custom:
            low, high = sorted(self.custom_range)
        elif ranges:
            low, high = min(r[0] for r in ranges), max(r[1] for r in ranges)
        else:
            return 0.0, 0.0
        if low == high:
            low, high = low - 0.5, high + 0.5
        return float(low), float(high)

    def _delta(self, low: float, high: float) -> float:
        return (high - low) / (self.bins - 1 if self.centre and self.bins > 1 else self.bins)

    def _count(self, values: np.ndarray, others: dict, low: float, high: float) -> tuple[np.ndarray, dict]:
        """This rank's count per bin (values outside the range go to the end bins, as in VTK), and the sums of the
        other arrays per bin."""
        delta = self._delta(low, high)
        shift = delta / 2 if self.centre else 0.0
        index = np.zeros(len(values), dtype=np.int64)
        if delta > 0 and len(values):
            index = np.trunc((values - low + shift) / delta).astype(np.int64)
        index = np.clip(index, 0, self.bins - 1)
        counts = np.bincount(index, minlength=self.bins)
        sums = {
            n: np.stack([np.bincount(index, weights=v[:, c], minlength=self.bins) for c in range(v.shape[1])], axis=1)
            for n, v in others.items()
        }
        return counts, sums

    @staticmethod
    def _column(table: Any, name: str, values: np.ndarray) -> None:
        column = numpy_to_vtk(
            np.ascontiguousarray(values if values.ndim == 1 or values.shape[1] > 1 else values.ravel()), deep=True
        )
        column.SetName(name)
        table.AddColumn(column)


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "ExtractHistogram": lambda context: ExtractHistogram(context.comm),
}
