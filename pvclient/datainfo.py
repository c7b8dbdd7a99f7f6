"""ParaView-style accessors over the data information the server gathered from every rank."""

from __future__ import annotations

from collections.abc import Iterator

from pvcore.messages import ArrayInformation, DataInformation


class ArrayInfo:
    """One array: ``GetName()``, ``GetNumberOfComponents()``, ``GetRange(component=0)``."""

    def __init__(self, info: ArrayInformation) -> None:
        self._info = info

    @property
    def Name(self) -> str:
        return self._info.name

    def GetName(self) -> str:
        return self._info.name

    def GetNumberOfComponents(self) -> int:
        return self._info.number_of_components

    def GetDataType(self) -> str:
        return self._info.data_type

    def GetRange(self, component: int = 0) -> tuple[float, float]:
        """Range of one component over all ranks; -1 is the magnitude of a vector array."""
        n = self._info.number_of_components
        if component == -1:
            component = n if n > 1 else 0
        if not 0 <= component <= (n if n > 1 else 0):
            raise IndexError(f"{self.Name} has {n} component(s); ask for 0..{n - 1}, or -1 for the magnitude.")
        ranges = self._info.ranges
        if len(ranges) < 2 * component + 2:
            return (1.0, -1.0)  # VTK's empty range: no values anywhere
        return (ranges[2 * component], ranges[2 * component + 1])

    def __repr__(self) -> str:
        return f"Array: {self.Name} ({self._info.number_of_components} components) range {self.GetRange(0)}"


class ArraysInfo:
    """The point, cell or field arrays of a dataset: a read-only mapping from name to :class:`ArrayInfo`."""

    def __init__(self, arrays: list[ArrayInformation]) -> None:
        self._arrays = {a.name: ArrayInfo(a) for a in arrays}

    def keys(self) -> list[str]:
        return list(self._arrays)

    def values(self) -> list[ArrayInfo]:
        return list(self._arrays.values())

    def items(self) -> list[tuple[str, ArrayInfo]]:
        return list(self._arrays.items())

    def __getitem__(self, name: str | int) -> ArrayInfo:
        if isinstance(name, int):
            return self.values()[name]
        try:
            return self._arrays[name]
        except KeyError:
            raise KeyError(f"No array {name!r}; arrays are: {', '.join(self._arrays) or 'none'}") from None

    def get(self, name: str, default: ArrayInfo | None = None) -> ArrayInfo | None:
        return self._arrays.get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._arrays

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    def GetNumberOfArrays(self) -> int:
        return len(self._arrays)

    def GetArray(self, name: str | int) -> ArrayInfo | None:
        try:
            return self[name]
        except (KeyError, IndexError):
            return None

    def __repr__(self) -> str:
        return f"ArraysInfo({self.keys()})"


class DataInformationView:
    """What ``proxy.GetDataInformation()`` returns: totals reduced over all ranks."""

    def __init__(self, info: DataInformation) -> None:
        self.info = info
        self.PointData = ArraysInfo(info.point_arrays)
        self.CellData = ArraysInfo(info.cell_arrays)
        self.FieldData = ArraysInfo(info.field_arrays)

    def GetNumberOfPoints(self) -> int:
        return self.info.number_of_points

    def GetNumberOfCells(self) -> int:
        return self.info.number_of_cells

    def GetBounds(self) -> tuple[float, ...]:
        """xmin, xmax, ymin, ymax, zmin, zmax; VTK's empty bounds when there is no data."""
        return tuple(self.info.bounds) if self.info.bounds else (1.0, -1.0, 1.0, -1.0, 1.0, -1.0)

    def GetDataSetTypeAsString(self) -> str:
        return self.info.data_type

    def GetExtent(self) -> tuple[int, ...]:
        return tuple(self.info.extent)

    def GetMemorySize(self) -> int:
        """Memory of the data on all ranks, in KiB (as ParaView reports it)."""
        return self.info.memory_bytes // 1024

    def GetNumberOfPartitions(self) -> int:
        """Ranks that hold a non-empty piece."""
        return self.info.number_of_partitions

    @property
    def DataInformation(self) -> DataInformationView:
        return self

    def __repr__(self) -> str:
        return (
            f"<{self.info.data_type}: {self.info.number_of_points} points, {self.info.number_of_cells} cells, "
            f"bounds {self.GetBounds()}>"
        )
