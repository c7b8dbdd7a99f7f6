"""How a trace writes things: Python names for proxies, property values as literals, which properties it records.

These are pure functions of proxy states and their specs (pvcore.schema); :mod:`pvclient.trace` decides when
they are written.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable

from pvcore.definitions.views import is_camera_property
from pvcore.messages import ProxyState
from pvcore.schema import PIPELINE_GROUPS, ProxySpec
from pvcore.schema import Property as PropertySpec

#: What a new proxy's trace records (ParaView's vtkSMTrace values): the properties that differ from their
#: defaults, only those the user passed, or all of them.
RECORD_MODIFIED_PROPERTIES = 0
RECORD_USER_MODIFIED_PROPERTIES = 1
RECORD_ALL_PROPERTIES = 2
RECORD_MODES = (RECORD_MODIFIED_PROPERTIES, RECORD_USER_MODIFIED_PROPERTIES, RECORD_ALL_PROPERTIES)

#: Properties a trace never writes as assignments: what Show/CreateView/ColorBy lines already say.
IMPLIED = {"views": {"Representations"}, "representations": {"Input", "Visibility"}}

_NOT_NAME_CHARACTERS = re.compile(r"[^0-9A-Za-z_]")


def variable_stem(state: ProxyState, owner_stem: str = "") -> str:
    """The Python name ParaView's traces give a proxy, before making it unique: ``wavelet1`` for 'Wavelet1',
    ``wavelet1Display`` for its representation (``owner_stem``: its source's name), ``rTDataLUT`` for the colour
    map of 'RTData', ``rTDataLUTColorBar`` for its scalar bar (``owner_stem``: the colour map's name)."""
    if state.group == "representations":
        return f"{owner_stem or 'source'}Display"
    if state.group == "lookup_tables":
        return _lower_first(_identifier(_string(state, "ArrayName") or state.name)) + "LUT"
    if state.group == "scalar_bars":
        return f"{owner_stem or 'lookupTable'}ColorBar"
    return _lower_first(_identifier(state.name)) or _lower_first(_identifier(state.type)) or "proxy"


def _string(state: ProxyState, key: str) -> str:
    value = state.properties.get(key, ())
    return str(value[0]) if value else ""


def _identifier(text: str) -> str:
    text = _NOT_NAME_CHARACTERS.sub("", text)
    return "a" + text if text and text[0].isdigit() else text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def unique_name(stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem_1``, ``stem_2``... if that is taken (the name is added to ``taken``)."""
    name, n = stem, 0
    while name in taken or name in _RESERVED:
        n += 1
        name = f"{stem}_{n}"
    taken.add(name)
    return name


_RESERVED = {"paraview", "simple", "servermanager", "None", "True", "False", "del", "class", "def", "import"}


def literal(value: object) -> str:
    """A plain value (number, string, None, list of those) as Python source."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = int(value)
    elif isinstance(value, numbers.Real):
        value = float(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float('{value}')"
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return repr(value)


def value_source(prop: PropertySpec, wire: tuple, name_of: Callable[[int], str], type_of: Callable[[int], str]) -> str:
    """A property's wire value as a script writes it: proxies by their variable (``name_of``), a helper by its
    type name (``type_of``), a single value bare, several as a list."""
    if prop.kind == "subproxy":
        item = wire[0] if wire else ""
        return literal(item if isinstance(item, str) else type_of(int(item)))
    if prop.kind == "proxy":
        names = [name_of(int(v)) for v in wire]
        if prop.count == 1:
            return names[0] if names else "None"
        return "[" + ", ".join(names) + "]"
    if prop.kind == "array":
        return literal(list(wire))
    if prop.count == 1 and len(wire) == 1:
        return literal(wire[0])
    return literal(list(wire))


def settable(spec: ProxySpec, group: str) -> list[PropertySpec]:
    """The properties a trace may assign: not computed by the server, not inputs, not cameras (written at the
    end), not those a Show/CreateView line implies."""
    implied = IMPLIED.get(group, set())
    return [
        p
        for p in spec.properties
        if not p.read_only
        and not p.is_input
        and p.name not in implied
        and not (group == "views" and is_camera_property(p.name))
    ]


def differs_from_default(prop: PropertySpec, wire: tuple | None, helper_type: str = "") -> bool:
    """Whether a value is not the property's default (a helper: not of the default type)."""
    if prop.kind == "subproxy":
        return helper_type != prop.subproxy_default
    return wire is not None and tuple(wire) != tuple(prop.default)


def recorded(
    spec: ProxySpec, state: ProxyState, mode: int, given: Iterable[str], helper_type: Callable[[int], str]
) -> list[PropertySpec]:
    """The properties written after a proxy's creation line: ``given`` (what the user passed) and, as ``mode``
    says, those differing from their defaults or all of them."""
    given = set(given)
    chosen = []
    for prop in settable(spec, state.group):
        wire = state.properties.get(prop.name)
        if prop.name in given or mode == RECORD_ALL_PROPERTIES:
            chosen.append(prop)
        elif mode == RECORD_MODIFIED_PROPERTIES:
            kind_of = helper_type(int(wire[0])) if prop.kind == "subproxy" and wire else ""
            if differs_from_default(prop, wire, kind_of):
                chosen.append(prop)
    return chosen


def is_pipeline(group: str) -> bool:
    """Sources and filters: created by ``simple.<Type>()``."""
    return group in PIPELINE_GROUPS


def input_names(spec: ProxySpec) -> list[str]:
    """The properties that connect a filter to its inputs, and those a reader needs at once (its file name)."""
    return [p.name for p in spec.properties if p.is_input or (p.file_path and not p.read_only)]
