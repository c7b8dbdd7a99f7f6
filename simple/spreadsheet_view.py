"""The client-side object of a spreadsheet view: ParaView's vtkSpreadSheetView, as scripts read it.

``view.GetClientSideObject()`` of a SpreadSheetView is a :class:`SpreadSheetViewObject` (on any connection: it is
made of fetched data): the table the view shows, with vtkSpreadSheetView's accessors (``GetNumberOfRows``,
``GetNumberOfColumns``, ``GetColumnName``, ``GetColumnLabel``, ``GetColumnByName``, ``GetValue(row, column)`` as a
vtkVariant, ``GetValueByName``, ``IsDataValid``, ``GetColumnVisibility``, ``IsColumnInternal``). Its columns are
laid out as ParaView's: for composite data ``vtkBlockNameIndices`` (label 'Block Name') and
``vtkCompositeIndexArray`` ('Block Number', hidden), then ``vtkOriginalIndices`` ('Point ID', 'Cell ID'...), then
one hidden ``__vtkValidMask__<name>`` column per column (1 where the row's block has that array), then the data
columns (a vector's components labelled by the array's name). A partial array reads 0 in the rows of blocks that
lack it, where ``IsDataValid`` is False.

The table is that of the view's first visible representation (its input fetched, merged over all ranks), made
again when the view, its representations or their inputs changed since, or on ``Update()``/``StillRender()``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pvclient.clientside import register_view_object
from pvclient.proxy import Proxy
from simple.data import Fetch
from simple.spreadsheet import ID_COLUMNS, block_columns

__all__ = ["SpreadSheetViewObject"]

VALID_MASK = "__vtkValidMask__"
BLOCK_NAME, BLOCK_NUMBER, ORIGINAL_IDS = "vtkBlockNameIndices", "vtkCompositeIndexArray", "vtkOriginalIndices"
#: vtkDataObject's field association of each FieldAssociation (GetFieldAssociation()).
ASSOCIATION_NUMBERS = {"Point Data": 0, "Cell Data": 1, "Field Data": 2, "Vertex Data": 4, "Edge Data": 5,
                       "Row Data": 6}  # fmt: skip


class _Column:
    """One column of the view's table: its name, label, values, and which rows hold a value."""

    def __init__(self, name: str, label: str, values: Any, valid: Any = None, internal: bool = False) -> None:
        self.name, self.label, self.values, self.valid, self.internal = name, label, values, valid, internal


class SpreadSheetViewObject:
    """ParaView's vtkSpreadSheetView for a SpreadSheetView proxy (see the module's help)."""

    def __init__(self, view: Proxy) -> None:
        self._view = view
        self._key: tuple | None = None
        self._columns: list[_Column] = []
        self._rows = 0

    # ----------------------------------------------------------------------------------- ParaView's accessors

    def GetClassName(self) -> str:
        return "vtkSpreadSheetView"

    def IsA(self, class_name: str) -> bool:
        return class_name in ("vtkSpreadSheetView", "vtkPVView", "vtkView", "vtkObject", "vtkObjectBase")

    def Update(self) -> None:
        """Make the table again from the current data."""
        self._key = None
        self._table()

    StillRender = Update

    def GetFieldAssociation(self) -> int:
        """vtkDataObject's number of the association shown (0 points, 1 cells, 2 field data, 6 rows)."""
        return ASSOCIATION_NUMBERS.get(self._view.FieldAssociation, 0)

    def GetNumberOfRows(self) -> int:
        self._table()
        return self._rows

    def GetNumberOfColumns(self) -> int:
        return len(self._table())

    def GetColumnName(self, index: int) -> str | None:
        column = self._column(index)
        return column.name if column is not None else None

    def GetColumnLabel(self, index: int) -> str | None:
        """The column's header as the view shows it ('Block Name', 'Point ID', an array's name)."""
        column = self._column(index)
        return column.label if column is not None else None

    def GetColumnByName(self, name: str) -> int:
        """The index of the column named ``name``, -1 when there is none."""
        return next((i for i, column in enumerate(self._table()) if column.name == name), -1)

    def IsColumnInternal(self, index: int) -> bool:
        column = self._column(index)
        return column is not None and column.internal

    def GetColumnVisibility(self, index: int) -> bool:
        """False for the internal columns, 'Block Number', and those HiddenColumnLabels names."""
        column = self._column(index)
        if column is None or column.internal or column.name == BLOCK_NUMBER:
            return False
        hidden = set(self._view.HiddenColumnLabels)
        return column.label not in hidden and column.name not in hidden

    def GetValue(self, row: int, index: int) -> Any:
        """The value at ``row`` of column ``index`` as a vtkVariant (an invalid one outside the table)."""
        from vtkmodules.vtkCommonCore import vtkVariant

        column = self._column(index)
        if column is None or not 0 <= row < self._rows:
            return vtkVariant()
        value = column.values[row]
        if isinstance(value, str):
            return vtkVariant(value)
        return vtkVariant(value.item() if hasattr(value, "item") else value)

    def GetValueByName(self, row: int, name: str) -> Any:
        return self.GetValue(row, self.GetColumnByName(name))

    def IsDataValid(self, row: int, index: int) -> bool:
        """False where the row's block lacks the column's array (a partial array), True elsewhere."""
        column = self._column(index)
        if column is None or column.valid is None or not 0 <= row < self._rows:
            return True
        return bool(column.valid[row])

    # ----------------------------------------------------------------------------------- the table

    def _column(self, index: int) -> _Column | None:
        columns = self._table()
        return columns[index] if 0 <= index < len(columns) else None

    def _representation(self) -> Proxy | None:
        reps = [r for r in self._view.Representations if r.Visibility and r.Input is not None]
        return reps[0] if reps else None

    def _state_key(self) -> tuple:
        """What the table depends on: the versions of the view, its representation and its input."""
        connection = self._view.connection
        rep = self._representation()
        parts = [self._view, *([rep, rep.Input] if rep is not None else [])]
        return tuple((p.GlobalID, connection.state_of(p.GlobalID).version) for p in parts)

    def _table(self) -> list[_Column]:
        key = self._state_key()
        if key != self._key:
            rep = self._representation()
            data = Fetch(rep.Input) if rep is not None else None
            self._columns, self._rows = _layout(data, self._view.FieldAssociation, self._view.ColumnToSort,
                                                bool(self._view.InvertOrder))  # fmt: skip
            self._key = key
        return self._columns


def _layout(data: Any, association: str, sort: str, invert: bool) -> tuple[list[_Column], int]:
    """ParaView's columns of the table of ``data`` (see the module's help), and its number of rows."""
    if data is None:
        return [], 0
    merged, valid, block_numbers = block_columns(data, association)
    rows = len(block_numbers)
    order = np.arange(rows)
    if sort in merged:  # stable either way: equal values keep their order, as in ParaView
        order = np.array(sorted(range(rows), key=merged[sort].__getitem__, reverse=invert), dtype=np.int64)
    leading: list[_Column] = []
    if "Block Name" in merged:
        leading.append(_Column(BLOCK_NAME, "Block Name", merged.pop("Block Name")[order]))
        leading.append(_Column(BLOCK_NUMBER, "Block Number", block_numbers[order]))
        valid.pop("Block Name")
    id_label = ID_COLUMNS.get(association)
    data_columns: list[_Column] = []
    for name, values in merged.items():
        if name == id_label:
            leading.append(_Column(ORIGINAL_IDS, name, values[order], valid[name][order]))
        else:
            data_columns.append(_Column(name, _label(name, merged), values[order], valid[name][order]))
    masks = [
        _Column(f"{VALID_MASK}{column.name}", "", column.valid.astype(np.int8), internal=True)
        for column in [c for c in leading if c.valid is not None] + data_columns
    ]
    return leading + sorted(masks, key=lambda c: c.name) + data_columns, rows


def _label(name: str, columns: dict[str, Any]) -> str:
    """A component column's label is its array's name ('Normals_0' -> 'Normals'); others are their own."""
    base, _, suffix = name.rpartition("_")
    return base if suffix.isdigit() and f"{base}_Magnitude" in columns else name


register_view_object("SpreadSheetView", SpreadSheetViewObject)
