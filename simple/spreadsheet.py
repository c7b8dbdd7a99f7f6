"""What a spreadsheet view lists, as ParaView 5.11's SpreadSheetView shows it, and its CSV (simple.ExportView).

The data of each visible representation is fetched (merged over all ranks on rank 0) and laid out as one table:
for 'Point Data' a 'Point ID' column, for 'Cell Data' 'Cell ID' and 'Cell Type', for 'Row Data' (tables) 'Row ID',
then the arrays sorted by name without regard to case, each vector split into components 'Name_0', 'Name_1', ...
and 'Name_Magnitude' (a dataset's points are 'Points'); composite data gets a 'Block Name' column first and its
blocks one after another (a partial array, which some blocks lack, reads 0 or '' in their rows). HiddenColumnLabels
leaves columns out (a vector's name hides its components, not its magnitude, as in ParaView); ColumnToSort with
InvertOrder sorts the rows (stably). The CSV is what VTK's vtkDelimitedTextWriter writes of that table, with unquoted
strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from pvclient.proxy import Proxy
from pvcore.errors import PVError

ID_COLUMNS = {"Point Data": "Point ID", "Cell Data": "Cell ID", "Row Data": "Row ID", "Vertex Data": "Vertex ID",
              "Edge Data": "Edge ID"}  # fmt: skip


def _fields(data: Any, association: str) -> Any:
    if data.IsA("vtkTable"):
        return data.GetRowData() if association == "Row Data" else None
    if association == "Point Data" and hasattr(data, "GetPointData"):
        return data.GetPointData()
    if association == "Cell Data" and hasattr(data, "GetCellData"):
        return data.GetCellData()
    if association == "Field Data":
        return data.GetFieldData()
    return None


def dataset_columns(data: Any, association: str) -> list[tuple[str, Any]]:
    """The named columns (NumPy arrays, 1-D) of one dataset, in ParaView's order; none when it has no such data."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    fields = _fields(data, association) if data is not None else None
    if fields is None:
        return []
    arrays: list[tuple[str, Any]] = []
    for i in range(fields.GetNumberOfArrays()):
        array = fields.GetAbstractArray(i)
        if array is None or not array.GetName() or array.GetName() == "vtkGhostType":
            continue
        if array.IsA("vtkDataArray"):
            arrays.append((array.GetName(), vtk_to_numpy(array)))
        else:  # strings: listed as they are
            values = [array.GetVariantValue(k).ToString() for k in range(array.GetNumberOfValues())]
            arrays.append((array.GetName(), np.array(values, dtype=object)))
    if association == "Point Data" and data.IsA("vtkPointSet") and data.GetPoints() is not None:
        arrays.append(("Points", vtk_to_numpy(data.GetPoints().GetData())))
    arrays.sort(key=lambda item: item[0].lower())
    rows = _rows(data, association)
    columns: list[tuple[str, Any]] = []
    if association in ID_COLUMNS:
        columns.append((ID_COLUMNS[association], np.arange(rows, dtype=np.int64)))
    if association == "Cell Data":
        columns.append(("Cell Type", np.array([data.GetCellType(k) for k in range(rows)], dtype=np.int64)))
    for name, values in arrays:
        if values.ndim == 1:
            columns.append((name, values))
            continue
        columns += [(f"{name}_{k}", values[:, k]) for k in range(values.shape[1])]
        columns.append((f"{name}_Magnitude", np.linalg.norm(values.astype(np.float64), axis=1)))
    return columns


def _rows(data: Any, association: str) -> int:
    if association == "Point Data":
        return data.GetNumberOfPoints()
    if association == "Cell Data":
        return data.GetNumberOfCells()
    if association == "Row Data":
        return data.GetNumberOfRows()
    fields = data.GetFieldData()
    return max((fields.GetAbstractArray(i).GetNumberOfTuples() for i in range(fields.GetNumberOfArrays())), default=0)


def _blocks(data: Any) -> list[tuple[str, int, Any]]:
    """(block name, flat index, dataset) of each leaf of composite data, in order; [("", 0, data)] for a dataset."""
    from vtkmodules.vtkCommonDataModel import vtkCompositeDataSet

    if data is None or not data.IsA("vtkCompositeDataSet"):
        return [("", 0, data)]
    found = []
    iterator = data.NewIterator()
    iterator.InitTraversal()
    while not iterator.IsDoneWithTraversal():
        info = iterator.GetCurrentMetaData()
        name = info.Get(vtkCompositeDataSet.NAME()) if info is not None and info.Has(vtkCompositeDataSet.NAME()) else ""
        index = iterator.GetCurrentFlatIndex()
        found.append((name or f"Block {index}", index, iterator.GetCurrentDataObject()))
        iterator.GoToNextItem()
    return found


def block_columns(data: Any, association: str) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """The columns of every block one after another by name ('Block Name' first for composite data), for each a
    mask of the rows that hold a value, and the flat index of each row's block. A partial array (which some blocks
    lack) has 0 (or '') in the rows of those blocks, where its mask is False, as ParaView's spreadsheet shows it."""
    composite = data is not None and data.IsA("vtkCompositeDataSet")
    blocks: list[dict[str, Any]] = []
    numbers: list[Any] = []
    for name, index, block in _blocks(data):
        columns = dataset_columns(block, association)
        if not columns:
            continue
        rows = len(columns[0][1])
        if composite:
            columns.insert(0, ("Block Name", np.array([name] * rows, dtype=object)))
        blocks.append(dict(columns))
        numbers.append(np.full(rows, index, dtype=np.int64))
    names = list(dict.fromkeys(column for block in blocks for column in block))  # as first met, block by block
    merged: dict[str, Any] = {}
    valid: dict[str, Any] = {}
    for column in names:
        like = next(block[column] for block in blocks if column in block)
        missing = "" if like.dtype == object else 0  # strings: '' where a block lacks them
        merged[column] = np.concatenate(
            [block[column] if column in block else np.full(len(rows), missing, like.dtype)
             for block, rows in zip(blocks, numbers, strict=True)]
        )  # fmt: skip
        valid[column] = np.concatenate(
            [np.full(len(rows), column in block) for block, rows in zip(blocks, numbers, strict=True)]
        )
    return merged, valid, np.concatenate(numbers) if numbers else np.zeros(0, np.int64)


def _hidden(column: str, hidden: set[str]) -> bool:
    """Whether HiddenColumnLabels leaves ``column`` out: named itself, or a component of a vector named there."""
    base, _, suffix = column.rpartition("_")
    return column in hidden or (base in hidden and suffix.isdigit())


def spreadsheet_table(
    data: Any, association: str, hidden: list[str] | tuple = (), sort: str = "", invert: bool = False
) -> Any:
    """The vtkTable a spreadsheet view lists of ``data`` (see the module's help)."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonCore import vtkStringArray
    from vtkmodules.vtkCommonDataModel import vtkTable

    merged = block_columns(data, association)[0]
    table = vtkTable()
    picked = {n: v for n, v in merged.items() if not _hidden(n, set(hidden))}
    order = np.arange(len(next(iter(picked.values())))) if picked else np.arange(0)
    if sort in picked:
        key = picked[sort]  # stable either way: equal values keep their order, as in ParaView
        order = np.array(sorted(range(len(key)), key=key.__getitem__, reverse=invert), dtype=np.int64)
    for name, values in picked.items():
        values = values[order]
        if values.dtype == object:
            array = vtkStringArray()
            for value in values:
                array.InsertNextValue(str(value))
        else:
            array = numpy_to_vtk(np.ascontiguousarray(values), deep=True)
        array.SetName(name)
        table.AddColumn(array)
    return table


def write_csv(table: Any, path: Path) -> None:
    """Write ``table`` as CSV with VTK's vtkDelimitedTextWriter (strings unquoted, as ParaView's export)."""
    from vtkmodules.vtkIOCore import vtkDelimitedTextWriter

    writer = vtkDelimitedTextWriter()
    writer.SetInputData(table)
    writer.SetFileName(str(path))
    writer.SetFieldDelimiter(",")
    writer.SetUseStringDelimiter(False)
    if not writer.Write():
        raise OSError(f"Cannot write the CSV file {str(path)!r}.")


def export_spreadsheet(view: Proxy, path: Path, fetch: Any) -> None:
    """Write a spreadsheet view's table (its visible representations, one after another) as CSV."""
    reps = [r for r in view.Representations if r.Visibility and r.Input is not None]
    if not reps:
        raise PVError(f"ExportView: {view.GetRegistrationName() or 'the spreadsheet view'} shows nothing to export.")
    props = (view.FieldAssociation, list(view.HiddenColumnLabels), view.ColumnToSort, bool(view.InvertOrder))
    write_csv(spreadsheet_table(fetch(reps[0].Input), *props), path)
