"""The columns a chart representation draws: its input's attributes as one flat table of named 1-component columns.

As ParaView's chart representations, a vector array becomes a column per component and one of its magnitude
('Points_X', 'Points_Y', 'Points_Z', 'Points_Magnitude'); the points of a dataset are charted as 'Points'.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from pvcore.definitions.views_charts import HIDDEN_SERIES_PATTERNS, SPECTRUM
from pvserver.pipeline.composite import is_composite, leaves

_HIDDEN = tuple(re.compile(p) for p in HIDDEN_SERIES_PATTERNS)
#: The X column a chart uses when XArrayName is empty, in this order of preference.
DEFAULT_X_ARRAYS = ("arc_length", "bin_extents", "Time")


def chosen_block(data: Any, flat_index: int) -> Any:
    """The dataset of composite ``data`` at ``flat_index`` (its first non-empty leaf when there is none there)."""
    if data is None or not is_composite(data):
        return data
    found = list(leaves(data))
    iterator = data.NewIterator()
    iterator.InitTraversal()
    while not iterator.IsDoneWithTraversal():
        if iterator.GetCurrentFlatIndex() == flat_index:
            return iterator.GetCurrentDataObject()
        iterator.GoToNextItem()
    return found[0] if found else None


def _attributes(data: Any, attribute: str) -> list[tuple[str, np.ndarray]]:
    from vtkmodules.util.numpy_support import vtk_to_numpy

    if data is None:
        return []
    if data.IsA("vtkTable"):
        fields = data.GetRowData()
    elif attribute == "Cell Data" and hasattr(data, "GetCellData"):
        fields = data.GetCellData()
    elif attribute == "Field Data" or not hasattr(data, "GetPointData"):
        fields = data.GetFieldData()
    else:
        fields = data.GetPointData()
    found = []
    for i in range(fields.GetNumberOfArrays()):
        array = fields.GetArray(i)  # numeric arrays only: strings are not charted
        if array is not None and array.GetName():
            found.append((array.GetName(), vtk_to_numpy(array)))
    found.sort(key=lambda item: item[0].lower())  # ParaView lists a chart's series by name, then the points
    if attribute == "Point Data" and not data.IsA("vtkTable") and hasattr(data, "GetPoints"):
        points = data.GetPoints() if data.IsA("vtkPointSet") else None
        if points is not None:
            found.append(("Points", vtk_to_numpy(points.GetData())))
    return found


def chart_columns(data: Any, attribute: str) -> dict[str, np.ndarray]:
    """The named 1-component columns of ``data``'s ``attribute`` (ParaView's AttributeType labels), in order."""
    columns: dict[str, np.ndarray] = {}
    for name, values in _attributes(data, attribute):
        values = np.asarray(values, dtype=np.float64)
        if values.ndim == 1:
            columns[name] = values
            continue
        parts = values.shape[1]
        suffixes = ("X", "Y", "Z") if parts == 3 else tuple(str(i) for i in range(parts))
        for k, suffix in enumerate(suffixes):
            columns[f"{name}_{suffix}"] = values[:, k]
        columns[f"{name}_Magnitude"] = np.linalg.norm(values, axis=1)
    return columns


def hidden_by_default(name: str) -> bool:
    """Whether ParaView leaves a column out of a chart unless SeriesVisibility names it."""
    return any(p.search(name) for p in _HIDDEN)


def pairs(flat: tuple | list) -> dict[str, str]:
    """ParaView's flat 'name, value, name, value' series lists as a dict."""
    return {str(flat[i]): str(flat[i + 1]) for i in range(0, len(flat) - 1, 2)}


def colours(flat: tuple | list, names: list[str]) -> dict[str, tuple[float, float, float]]:
    """Each column's colour: SeriesColor's ('name, r, g, b' flat), else the 'Spectrum' palette in column order."""
    found = {name: SPECTRUM[i % len(SPECTRUM)] for i, name in enumerate(names)}
    for i in range(0, len(flat) - 3, 4):
        try:
            found[str(flat[i])] = (float(flat[i + 1]), float(flat[i + 2]), float(flat[i + 3]))
        except ValueError:
            continue  # a malformed entry keeps the default colour
    return found


def x_column(columns: dict[str, np.ndarray], x_name: str, use_index: bool) -> str | None:
    """The column on the X axis, or None to plot against the row index."""
    if use_index:
        return None
    if x_name:
        return x_name if x_name in columns else None
    return next((n for n in DEFAULT_X_ARRAYS if n in columns), None)
