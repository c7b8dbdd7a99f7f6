"""The table an XYHistogramChartView draws of a HistogramChartRepresentation: the counts of one array's values.

Computed on rank 0 from the data of all ranks gathered there (points that neighbouring pieces share are merged
by the gather, so each is counted once), as ParaView's vtkPVHistogramChartRepresentation: ``BinCount`` equal bins
over the array's range (or ``CustomBinRanges``), or centred on its minimum and maximum.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pvcore.errors import RenderError
from pvcore.messages import ProxyState
from pvserver.rendering.charts_tables import chosen_block


def _values(data: Any, association: str, name: str, component: str) -> tuple[str, np.ndarray] | None:
    """The chosen array's name and values, one number per tuple (a vector's component or magnitude); None
    without it."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    if data is None:
        return None
    if data.IsA("vtkTable"):
        fields = data.GetRowData()
    else:
        fields = data.GetCellData() if association == "CELLS" else data.GetPointData()
    array = fields.GetArray(name) if name else fields.GetArray(0)
    if array is None:
        return None
    values = vtk_to_numpy(array).astype(np.float64)
    if values.ndim == 1:
        return array.GetName(), values
    if component.isdigit() and int(component) < values.shape[1]:
        return array.GetName(), values[:, int(component)]
    return array.GetName(), np.linalg.norm(values, axis=1)


def histogram_columns(rep: ProxyState, data: Any) -> tuple[dict[str, np.ndarray], str]:
    """The bins' centres ('bin_extents') and counts (named after the array), and the array's name."""
    props = rep.properties
    association, name = props.get("SelectInputArray", ("POINTS", ""))[:2]
    block = chosen_block(data, 1)
    found = _values(block, association, name, str(props.get("Component", ("",))[0]))
    if found is None:
        if name and block is not None:
            raise RenderError(f"{rep.name}: the input has no {association.lower()} array {name!r} to count.")
        return {}, name
    name, values = found
    bins = int(props.get("BinCount", (256,))[0])
    if props.get("UseCustomBinRanges", (0,))[0]:
        low, high = (float(v) for v in props["CustomBinRanges"][:2])
    elif values.size:
        low, high = float(values.min()), float(values.max())
    else:
        low, high = 0.0, 1.0
    if props.get("CenterBinsAroundMinAndMax", (0,))[0] and bins > 1:
        half = (high - low) / (bins - 1) / 2.0
        low, high = low - half, high + half
    if high <= low:
        high = low + 1.0
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    return {"bin_extents": (edges[:-1] + edges[1:]) / 2.0, name: counts.astype(np.float64)}, name
