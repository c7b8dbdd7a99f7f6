"""The array information of ParaView's data information (paraview.modules.vtkRemotingCore): one array's
(vtkPVArrayInformation) and those of one attribute type of a dataset (vtkPVDataSetAttributesInformation), with
ParaView 5.11's rule for partial arrays when the information of several datasets is merged.
"""

from __future__ import annotations

from typing import Any

from vtkmodules.vtkCommonCore import VTK_STRING, vtkAbstractArray
from vtkmodules.vtkCommonDataModel import vtkDataObject

#: vtkDataObject's attribute types (POINT, CELL, FIELD, POINT_THEN_CELL, VERTEX, EDGE, ROW).
NUMBER_OF_ATTRIBUTE_TYPES = 7
POINT, CELL, FIELD, POINT_THEN_CELL, VERTEX, EDGE, ROW = range(NUMBER_OF_ATTRIBUTE_TYPES)
#: Arrays ParaView's information leaves out.
_SKIPPED_ARRAYS = ("vtkOriginalCellIds", "vtkOriginalPointIds")
#: The string values an array's information keeps at most (ParaView's MAX_STRING_VALUES).
MAX_STRING_VALUES = 6
_EMPTY_RANGE = (1e299, -1e299)  # VTK_DOUBLE_MAX, VTK_DOUBLE_MIN: ParaView's range of an array with no values


def _merge_range(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    if b[0] > b[1]:
        return a
    if a[0] > a[1]:
        return b
    return (min(a[0], b[0]), max(a[1], b[1]))


def _default_component_name(component: int, count: int) -> str:
    """ParaView's name of a component: 'Magnitude', 'X', 'Y', 'Z' for up to 3, 'XX'... for 6 and 9, else the index."""
    if component < 0:
        return "Magnitude"
    if count <= 3:
        return "XYZ"[component] if count > 1 else ""
    if count == 6:
        return ("XX", "YY", "ZZ", "XY", "YZ", "XZ")[component]
    if count == 9:
        return ("XX", "XY", "XZ", "YX", "YY", "YZ", "ZX", "ZY", "ZZ")[component]
    return str(component)


class vtkPVArrayInformation:
    """One array: its name, VTK type, components and tuples, ranges (per component, -1 the magnitude), and
    whether it is partial (missing from some of the datasets gathered)."""

    def __init__(self) -> None:
        self.Initialize()

    def Initialize(self) -> None:
        """Forget everything (an array of no components)."""
        self._name = ""
        self._data_type = -1
        self._type_name = ""
        self._tuples = 0
        self._partial = 0
        self._ranges: list[tuple[float, float]] = []  # magnitude first, then each component
        self._finite: list[tuple[float, float]] = []
        self._component_names: list[str] = []
        self._default_names: list[str] = []
        self._strings: list[str] = []

    def CopyFromArray(self, array: vtkAbstractArray) -> None:
        """Take an array's name, type, tuples, component names and ranges (string arrays: a few values)."""
        self._name = array.GetName() or ""
        self._data_type = array.GetDataType()
        self._type_name = array.GetDataTypeAsString()
        self._tuples = array.GetNumberOfTuples()
        count = array.GetNumberOfComponents()
        self._default_names = [_default_component_name(c, count) for c in range(-1, count)]
        self._component_names = [""] + [(array.GetComponentName(c) or "") for c in range(count)]
        self._ranges, self._finite = [_EMPTY_RANGE] * (count + 1), [_EMPTY_RANGE] * (count + 1)
        if array.IsA("vtkDataArray") and array.IsNumeric():
            for c in range(-1, count):
                self._ranges[c + 1] = tuple(array.GetRange(c))
                self._finite[c + 1] = tuple(array.GetFiniteRange(c))
        elif self._data_type == VTK_STRING:
            values = (array.GetValue(i) for i in range(array.GetNumberOfValues()))
            self._strings = [v for v in values if v][:MAX_STRING_VALUES]

    def DeepCopy(self, other: vtkPVArrayInformation) -> None:
        """Become a copy of ``other``."""
        self.__dict__.update({k: list(v) if isinstance(v, list) else v for k, v in other.__dict__.items()})

    def AddInformation(self, other: vtkPVArrayInformation, field_association: int = POINT) -> None:
        """Merge the same array of another dataset: ranges merged, tuples summed (field data: the most)."""
        if not other._ranges:
            return
        if not self._ranges:
            self.DeepCopy(other)
            return
        if field_association == FIELD:
            self._tuples = max(self._tuples, other._tuples)
        else:
            self._tuples += other._tuples
        grow = len(other._ranges) - len(self._ranges)
        if grow > 0:
            self._ranges += [_EMPTY_RANGE] * grow
            self._finite += [_EMPTY_RANGE] * grow
            self._component_names += [""] * grow
            self._default_names += [""] * grow
        for c in range(len(other._ranges)):
            self._ranges[c] = _merge_range(self._ranges[c], other._ranges[c])
            self._finite[c] = _merge_range(self._finite[c], other._finite[c])
            self._component_names[c] = self._component_names[c] or other._component_names[c]
            self._default_names[c] = self._default_names[c] or other._default_names[c]
        if self._data_type == VTK_STRING and other._data_type == VTK_STRING:
            self._strings = (self._strings + other._strings)[:MAX_STRING_VALUES]

    def GetName(self) -> str:
        return self._name

    def SetName(self, name: str) -> None:
        self._name = name

    def GetDataType(self) -> int:
        """The VTK type (VTK_FLOAT, VTK_INT...; -1 when unset)."""
        return self._data_type

    def GetDataTypeAsString(self) -> str:
        """The VTK type by name ('float', 'int', ...)."""
        return self._type_name

    def GetNumberOfComponents(self) -> int:
        return max(0, len(self._ranges) - 1)

    def GetNumberOfTuples(self) -> int:
        return self._tuples

    def GetIsPartial(self) -> int:
        """1 when the array is missing from some of the datasets gathered, else 0."""
        return self._partial

    def SetIsPartial(self, partial: int) -> None:
        self._partial = 1 if partial else 0

    def _component(self, component: int, values: list) -> Any:
        if not -1 <= component < self.GetNumberOfComponents():
            raise IndexError(
                f"Invalid component number {component} of array {self._name!r}: it has "
                f"{self.GetNumberOfComponents()}; ask for 0..{self.GetNumberOfComponents() - 1}, or -1 (magnitude)."
            )
        return values[component + 1]

    def GetComponentRange(self, component: int) -> tuple[float, float]:
        """The range of one component (-1: the magnitude)."""
        return self._component(component, self._ranges)

    def GetComponentFiniteRange(self, component: int) -> tuple[float, float]:
        """The range of one component over its finite values (-1: the magnitude)."""
        return self._component(component, self._finite)

    def GetComponentName(self, component: int) -> str | None:
        """The component's own name, else ParaView's default ('X', 'Magnitude'...); None out of range."""
        if not -1 <= component < self.GetNumberOfComponents():
            return None
        return self._component_names[component + 1] or self._default_names[component + 1]

    def GetNumberOfStringValues(self) -> int:
        return len(self._strings)

    def GetStringValue(self, index: int) -> str:
        return self._strings[index]

    def __repr__(self) -> str:
        components = self.GetNumberOfComponents()
        return f"<vtkPVArrayInformation {self._name!r}: {components} components, partial {self._partial}>"


class vtkPVDataSetAttributesInformation:
    """The arrays of one attribute type (point, cell, field...) of the datasets gathered, by name (sorted as
    ParaView sorts them: case-insensitively)."""

    def __init__(self, field_association: int = POINT) -> None:
        self._association = field_association
        self.Initialize()

    def Initialize(self) -> None:
        self._arrays: dict[str, vtkPVArrayInformation] = {}
        self._attributes: list[str] = [""] * 8  # the active scalars, vectors, normals... by vtkDataSetAttributes type
        self._populated = False

    def GetFieldAssociation(self) -> int:
        return self._association

    def CopyFromDataObject(self, data: vtkDataObject | None) -> None:
        """The arrays of this attribute type of one dataset (none when it has no such elements)."""
        if data is None:
            return
        fields = data.GetAttributesAsFieldData(self._association)
        if fields is None or data.GetNumberOfElements(self._association) == 0:
            return
        for i in range(fields.GetNumberOfArrays()):
            array = fields.GetAbstractArray(i)
            if array is not None and array.GetName() and array.GetName() not in _SKIPPED_ARRAYS:
                info = vtkPVArrayInformation()
                info.CopyFromArray(array)
                self._arrays[array.GetName()] = info
        if fields.IsA("vtkDataSetAttributes"):
            for kind in range(len(self._attributes)):
                array = fields.GetAbstractAttribute(kind)
                if array is not None and array.GetName() and array.GetName() not in _SKIPPED_ARRAYS:
                    self._attributes[kind] = array.GetName()
        self._populated = True

    def DeepCopy(self, other: vtkPVDataSetAttributesInformation) -> None:
        self._arrays = {}
        for name, info in other._arrays.items():
            self._arrays[name] = vtkPVArrayInformation()
            self._arrays[name].DeepCopy(info)
        self._attributes = list(other._attributes)
        self._populated = other._populated

    def AddInformation(self, other: vtkPVDataSetAttributesInformation) -> None:
        """Merge another dataset's arrays: an array that only one side has is partial."""
        if other is None or not other._populated:
            return
        if not self._populated:
            self.DeepCopy(other)
            return
        for name, theirs in other._arrays.items():
            mine = self._arrays.get(name)
            if mine is None:
                mine = self._arrays[name] = vtkPVArrayInformation()
                mine.DeepCopy(theirs)
                mine.SetIsPartial(1)
            else:
                mine.AddInformation(theirs, self._association)
        for name, mine in self._arrays.items():
            if name not in other._arrays:
                mine.SetIsPartial(1)
        for kind, theirs in enumerate(other._attributes):
            if self._attributes[kind] not in ("", theirs):
                theirs = ""  # the datasets disagree about this attribute: none is active
            self._attributes[kind] = theirs

    def _sorted(self) -> list[vtkPVArrayInformation]:
        return [self._arrays[n] for n in sorted(self._arrays, key=lambda n: (n.lower(), n))]

    def GetNumberOfArrays(self) -> int:
        return len(self._arrays)

    def GetMaximumNumberOfTuples(self) -> int:
        return max((a.GetNumberOfTuples() for a in self._arrays.values()), default=0)

    def GetArrayInformation(self, key: str | int) -> vtkPVArrayInformation | None:
        """An array by name or by index in ParaView's order; None when there is none."""
        if isinstance(key, int):
            arrays = self._sorted()
            return arrays[key] if 0 <= key < len(arrays) else None
        return self._arrays.get(key)

    def GetAttributeInformation(self, attribute_type: int) -> vtkPVArrayInformation | None:
        """The array that is the active attribute of that type (vtkDataSetAttributes.SCALARS...), if any."""
        name = self._attributes[attribute_type] if 0 <= attribute_type < len(self._attributes) else ""
        return self._arrays.get(name) if name else None

    def IsArrayAnAttribute(self, index: int) -> int:
        """The attribute type the array of that index is active as, else -1."""
        info = self.GetArrayInformation(index)
        names = self._attributes
        return names.index(info.GetName()) if info is not None and info.GetName() in names else -1

    def __iter__(self) -> Any:
        return iter(self._sorted())

    def __repr__(self) -> str:
        return f"<vtkPVDataSetAttributesInformation {sorted(self._arrays)}>"
