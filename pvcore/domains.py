"""Data-dependent defaults: what a property starts as when the user gave no value, computed from the input.

As ParaView's domains do, a property may take its default from the data: the first point array
(:class:`ArrayListDomain`), the middle or an end of that array's range (:class:`ArrayRangeDomain`), the centre
of the bounds or a tenth of their diagonal (:class:`BoundsDomain`), the times of a file series
(:class:`FileSeriesDomain`). The server computes them when it creates a proxy; they travel to clients in the
proxy definitions (``to_plain``), so that a client can say where a default comes from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from pvcore.messages import ArrayInformation, DataInformation


@dataclass(frozen=True)
class Domain:
    """A rule for a default computed from the input's data information."""

    kind: ClassVar[str] = ""
    #: True if the default depends on the input's data information (the server asks the ranks for it first).
    needs_input: ClassVar[bool] = True

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        """The default, given the other properties' values and the input's information (None: unknown)."""
        raise NotImplementedError

    def to_plain(self) -> dict[str, Any]:
        """The domain as plain data, for the proxy definitions a client receives."""
        return {"kind": self.kind, **asdict(self)}


@dataclass(frozen=True)
class ArrayListDomain(Domain):
    """The input's first point array, preferring one with a single component (what ParaView selects)."""

    kind: ClassVar[str] = "array_list"

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        if info is None:
            return fallback
        arrays = [a.name for a in info.point_arrays if a.number_of_components == 1] or [
            a.name for a in info.point_arrays
        ]
        return ("POINTS", arrays[0]) if arrays else fallback


@dataclass(frozen=True)
class ArrayRangeDomain(Domain):
    """The "min", "mid" or "max" of the range of the array that ``array_property`` selects."""

    which: str = "mid"
    array_property: str = ""

    kind: ClassVar[str] = "array_range"

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        if info is None:
            return fallback
        selection = values.get(self.array_property)
        arrays = info.point_arrays if not selection or selection[0] == "POINTS" else info.cell_arrays
        match: list[ArrayInformation] = [a for a in arrays if selection and a.name == selection[1]] or arrays[:1]
        if not match:
            return fallback
        lo, hi = match[0].ranges[0], match[0].ranges[1]
        return {"min": (lo,), "mid": ((lo + hi) / 2,), "max": (hi,)}[self.which]


@dataclass(frozen=True)
class BoundsDomain(Domain):
    """From the input's bounds: their "center", their "min" or "max" corner (a line from one corner to the other),
    or a tenth of their "diagonal" (a glyph's scale)."""

    which: str = "center"

    kind: ClassVar[str] = "bounds"

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        if info is None or len(info.bounds) != 6:
            return fallback
        b = info.bounds
        if self.which == "center":
            return tuple((b[2 * i] + b[2 * i + 1]) / 2 for i in range(3))
        if self.which in ("min", "max"):
            offset = 0 if self.which == "min" else 1
            return tuple(float(b[2 * i + offset]) for i in range(3))
        diagonal = sum((b[2 * i + 1] - b[2 * i]) ** 2 for i in range(3)) ** 0.5
        return (diagonal / 10 if diagonal > 0 else 1.0,)


@dataclass(frozen=True)
class FileSeriesDomain(Domain):
    """The times of a file series: 0, 1, 2 ... for the files that ``file_property`` lists (none for one file)."""

    file_property: str = "FileName"

    kind: ClassVar[str] = "file_series"
    needs_input: ClassVar[bool] = False

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        files = values.get(self.file_property, ())
        return tuple(float(i) for i in range(len(files))) if len(files) > 1 else ()


@dataclass(frozen=True)
class InputNamesDomain(Domain):
    """The registration names of the proxies that ``input_property`` lists (a GroupDatasets' block names), which
    the session knows: it gives them to :meth:`from_names` (ParaView's RegistrationNamesDomain)."""

    input_property: str = "Input"

    kind: ClassVar[str] = "input_names"
    needs_input: ClassVar[bool] = False

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        return fallback  # no names here: see from_names

    def from_names(self, names: list[str]) -> tuple:
        """The default, given the names of the proxies the input property lists, in order."""
        return tuple(names)


# The Common filters' defaults (pvcore/definitions/filters_common*.py): ParaView's ExtentDomain, BoundsDomain
# modes min/max and scaled_extent, its array list of "Vectors", and all arrays of one association (Pass Arrays).


@dataclass(frozen=True)
class ExtentDomain(Domain):
    """The whole extent of the input's structured data (ParaView's ExtentDomain: Extract Subset's VOI)."""

    kind: ClassVar[str] = "extent"

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        if info is None or len(info.extent) != 6:
            return fallback
        return tuple(int(v) for v in info.extent)


@dataclass(frozen=True)
class ScaledExtentDomain(Domain):
    """``factor`` times the longest side of the input's bounds (ParaView's BoundsDomain mode="scaled_extent").

    The factor is a string ("0.5"): a domain's parameters travel as strings."""

    factor: str = "1"

    kind: ClassVar[str] = "scaled_extent"

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        if info is None or len(info.bounds) != 6:
            return fallback
        longest = max(info.bounds[2 * axis + 1] - info.bounds[2 * axis] for axis in range(3))
        return (float(self.factor) * longest,) if longest > 0 else fallback


@dataclass(frozen=True)
class VectorArrayDomain(Domain):
    """The input's first point array of three components (ParaView's array list of "Vectors")."""

    kind: ClassVar[str] = "vector_array"

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        if info is None:
            return fallback
        vectors = [a.name for a in info.point_arrays if a.number_of_components == 3]
        return ("POINTS", vectors[0]) if vectors else fallback


@dataclass(frozen=True)
class ArrayNamesDomain(Domain):
    """The names of all the input's arrays of one association ("POINTS", "CELLS", "FIELD"): Pass Arrays keeps
    every array until told otherwise."""

    association: str = "POINTS"

    kind: ClassVar[str] = "array_names"

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        if info is None:
            return fallback
        arrays = {"POINTS": info.point_arrays, "CELLS": info.cell_arrays, "FIELD": info.field_arrays}[self.association]
        return tuple(a.name for a in arrays)


@dataclass(frozen=True)
class TimeStepRangeDomain(Domain):
    """The first and last index of the input's time steps (ParaView's TimeStepIndexDomain: Extract Time Steps'
    range)."""

    kind: ClassVar[str] = "time_step_range"

    def default(self, values: dict[str, tuple], info: DataInformation | None, fallback: tuple) -> tuple:
        if info is None or not info.time_steps:
            return fallback
        return (0, len(info.time_steps) - 1)


DOMAINS: dict[str, type[Domain]] = {
    d.kind: d
    for d in (
        ArrayListDomain, ArrayRangeDomain, BoundsDomain, FileSeriesDomain, InputNamesDomain,
        ExtentDomain, ScaledExtentDomain, VectorArrayDomain, ArrayNamesDomain,
        TimeStepRangeDomain,
    )
}  # fmt: skip


def domain_from_plain(plain: dict[str, Any]) -> Domain | None:
    """A domain from its plain form; None for a kind this code does not know (a newer server's)."""
    cls = DOMAINS.get(plain.get("kind", ""))
    if cls is None:
        return None
    return cls(**{k: v for k, v in plain.items() if k != "kind"})
