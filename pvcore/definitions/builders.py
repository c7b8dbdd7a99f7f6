"""Short spellings for definitions modules: one call per property, one per proxy type.

They fill in the conventions (a value property is applied with ``Set<Name>``, a filter takes an ``Input`` on
port 0, a default is a tuple), so that a plain VTK filter is a few lines::

    Filter("Shrink", "vtkShrinkFilter", "Shrinks every cell towards its centre.",
           Double("ShrinkFactor", 0.5, minimum=0.0, maximum=1.0))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from pvcore.schema import PIPELINE_GROUPS, Applier, Property, ProxySpec


def _tuple(default: Any) -> tuple:
    return tuple(default) if isinstance(default, (tuple, list)) else (default,)


def _kw(kw: dict[str, Any]) -> dict[str, Any]:
    """``setter="SetX"`` is short for ``apply=Applier("setter", "SetX")`` (when the VTK name is not Set<Name>)."""
    setter = kw.pop("setter", None)
    if setter is not None:
        kw["apply"] = Applier("setter", setter)
    return kw


def Int(name: str, default: int | Sequence[int] = 0, count: int | None = 1, **kw: Any) -> Property:  # noqa: N802
    """An integer property (``count`` of them; None for a list of any length)."""
    default = _tuple(default)
    return Property(name, "int", default, len(default) if count == 1 and len(default) > 1 else count, **_kw(kw))


def Double(name: str, default: float | Sequence[float] = 0.0, count: int | None = 1, **kw: Any) -> Property:  # noqa: N802
    """A floating-point property (``count`` of them; None for a list of any length)."""
    default = tuple(float(v) for v in _tuple(default))
    return Property(name, "double", default, len(default) if count == 1 and len(default) > 1 else count, **_kw(kw))


def Doubles(name: str, default: Sequence[float] = (), **kw: Any) -> Property:  # noqa: N802
    """A list of any number of floating-point values."""
    return Double(name, tuple(default), count=None, **kw)


def Vec3(name: str, default: Sequence[float] = (0.0, 0.0, 0.0), **kw: Any) -> Property:  # noqa: N802
    """Three floating-point values: a point, a direction, a colour."""
    return Double(name, tuple(default), count=3, **kw)


def Bool(name: str, default: bool | int = False, **kw: Any) -> Property:  # noqa: N802
    """A boolean (0 or 1 on the wire)."""
    return Property(name, "bool", (int(default),), **_kw(kw))


def String(name: str, default: str = "", **kw: Any) -> Property:  # noqa: N802
    """A string."""
    return Property(name, "string", (default,), **_kw(kw))


def Strings(name: str, default: Sequence[str] = (), **kw: Any) -> Property:  # noqa: N802
    """A list of any number of strings (a file series, a list of array names)."""
    return Property(name, "string", tuple(default), None, **_kw(kw))


def Enum(name: str, default: str, labels: Sequence[str], **kw: Any) -> Property:  # noqa: N802
    """One of some labels; ``apply=Applier("enum_index", "SetX")`` passes the label's position to VTK."""
    if default not in labels:
        raise ValueError(f"{name}: default {default!r} is not one of its labels.")
    return Property(name, "enum", (default,), values=tuple(labels), **_kw(kw))


def ArraySelection(name: str, default: tuple[str, str] = ("POINTS", ""), **kw: Any) -> Property:  # noqa: N802
    """An array selection (association, name): input array 0 unless ``apply`` says otherwise."""
    return Property(name, "array", tuple(default), 2, **_kw(kw))


def Input(  # noqa: N802
    name: str = "Input", port: int = 0, doc: str = "The data to process.", data_types: Sequence[str] = (), **kw: Any
) -> Property:
    """An input port: a source or filter whose output feeds port ``port``."""
    return Property(
        name, "proxy", (), 1, doc, values=PIPELINE_GROUPS, data_types=tuple(data_types),
        apply=Applier("input_port", index=port), **kw,
    )  # fmt: skip


def Inputs(name: str = "Input", doc: str = "The data to process, in order.", **kw: Any) -> Property:  # noqa: N802
    """An input port that takes any number of sources or filters, in order (ParaView's ``multiple_input``)."""
    return dataclasses.replace(Input(name, doc=doc, **kw), count=None)


def ProxyRef(name: str, group: str, count: int | None = 1, **kw: Any) -> Property:  # noqa: N802
    """A reference to proxies of ``group`` that is not an input (a view's representations, a colour map)."""
    return Property(name, "proxy", (), count, values=(group,), **kw)


def SubProxy(name: str, group: str, types: Sequence[str], default: str = "", **kw: Any) -> Property:  # noqa: N802
    """An owned helper proxy of one of ``types`` of ``group`` (a Clip's plane); applied as ``Set<Name>(obj)``."""
    return Property(
        name, "subproxy", (), 1, values=tuple(types), subproxy_group=group, subproxy_default=default or types[0], **kw
    )


def Proxy(group: str, name: str, vtk_class: str, doc: str, *properties: Property, **kw: Any) -> ProxySpec:  # noqa: N802
    """A proxy type of any group."""
    return ProxySpec(group, name, vtk_class, tuple(properties), doc, **kw)


def Source(name: str, vtk_class: str, doc: str, *properties: Property, **kw: Any) -> ProxySpec:  # noqa: N802
    """A source: produces data from its properties alone."""
    return ProxySpec("sources", name, vtk_class, tuple(properties), doc, **kw)


def Filter(name: str, vtk_class: str, doc: str, *properties: Property, **kw: Any) -> ProxySpec:  # noqa: N802
    """A filter: takes an ``Input`` on port 0 (added unless one of ``properties`` is an input already)."""
    if not any(p.is_input for p in properties):
        properties = (Input(), *properties)
    return ProxySpec("filters", name, vtk_class, tuple(properties), doc, **kw)
