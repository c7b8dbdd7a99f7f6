"""Property values: what a user typed, checked against a property's type and domain, as the tuple that travels.

Property values are always tuples on the wire. :func:`coerce` turns a user's value into that tuple, or raises
:class:`~pvcore.errors.PropertyError` naming the property and what it allows. Client and server run the same
checks (the client to fail early, the server because it trusts no client). :func:`describe` is a type's
``help()`` text.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from pvcore.errors import PropertyError
from pvcore.expressions import check_expression
from pvcore.schema import ASSOCIATIONS, Property, ProxySpec

#: String rules a property may name in ``check`` (each raises ValueError saying what is wrong).
CHECKS: dict[str, Callable[[str], None]] = {"calculator_expression": check_expression}


def _as_list(value: Any) -> list:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _check_number(prop: Property, v: Any, integral: bool) -> int | float:
    if (
        isinstance(v, bool)
        or not isinstance(v, (int, float))
        or (integral and isinstance(v, float) and not v.is_integer())
    ):
        raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {v!r}.", property=prop.name)
    if isinstance(v, float) and not math.isfinite(v):
        raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {v!r}.", property=prop.name)
    number = int(v) if integral else float(v)
    if integral and not -(2**31) <= number < 2**31:
        raise PropertyError(
            f"{prop.name} must be {prop.domain_text()} that fits a 32-bit int; got {v!r}.", property=prop.name
        )
    if (prop.minimum is not None and number < prop.minimum) or (prop.maximum is not None and number > prop.maximum):
        raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {v!r}.", property=prop.name)
    return number


def _plainly_in_range(prop: Property, items: list) -> bool:
    """True if every item is a plain finite number of the property's type within its bounds: checked without a
    Python loop over the values (a list of 100,000 iso-values); False sends the caller to the per-value check,
    which says what is wrong."""
    kinds = set(map(type, items))
    if not items or not kinds <= ({int} if prop.kind == "int" else {int, float}):
        return False
    try:
        if not math.isfinite(math.fsum(items)):
            return False
    except OverflowError:
        return False
    low, high = min(items), max(items)
    if prop.kind == "int" and not (-(2**31) <= low and high < 2**31):
        return False
    return (prop.minimum is None or low >= prop.minimum) and (prop.maximum is None or high <= prop.maximum)


#: Older spellings of the associations that ParaView scripts still use.
ASSOCIATION_ALIASES = {"POINT_DATA": "POINTS", "CELL_DATA": "CELLS", "FIELD_DATA": "FIELD"}
#: Longest list a property accepts (e.g. iso-values): bounds the memory and work one request can ask for.
MAX_VALUES = 100_000
#: Characters of one string value, and of all the strings of one property together (a series of file names).
MAX_STRING_LENGTH = 4096
MAX_STRINGS_LENGTH = 1_000_000
#: The check that marks a property holding Python to run on the server (pvcore.definitions.filters_programmable):
#: the server runs it only where it allows its clients' Python, and it may be longer than a name.
PYTHON_SCRIPT = "python_script"
MAX_SCRIPT_LENGTH = 200_000


def coerce(prop: Property, value: Any) -> tuple:
    """Check ``value`` against ``prop``'s type and domain and return it as the tuple that travels.

    Raises PropertyError naming the property and its domain. Proxy references must already be global ids.
    """
    items = _as_list(value)
    if len(items) > MAX_VALUES:
        raise PropertyError(f"{prop.name} takes at most {MAX_VALUES} values; got {len(items)}.", property=prop.name)
    if prop.kind == "array":
        if len(items) == 1 and isinstance(items[0], str):
            items = ["POINTS", items[0]]  # ParaView accepts a bare array name for point arrays
        if not items or items == [None] or (len(items) == 2 and items[0] is None):
            # No array: ParaView's scripts write None, and its traces [None, ''] (or [None, '1'] where the input
            # has no array to offer: the association is what says there is none).
            items = ["POINTS", ""]
        if len(items) == 2 and items[0] in ASSOCIATION_ALIASES:
            items = [ASSOCIATION_ALIASES[items[0]], items[1]]
        if len(items) != 2 or items[0] not in ASSOCIATIONS or not isinstance(items[1], str):
            raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {value!r}.", property=prop.name)
        return (items[0], items[1])
    if prop.count is not None and len(items) != prop.count and prop.kind not in ("proxy", "subproxy"):
        raise PropertyError(
            f"{prop.name} takes {prop.domain_text()}; got {len(items)} value(s): {value!r}.",
            property=prop.name,
        )
    if prop.kind in ("int", "double") and _plainly_in_range(prop, items):
        return tuple(items) if prop.kind == "int" else tuple(map(float, items))
    if prop.kind == "int":
        return tuple(_check_number(prop, v, True) for v in items)
    if prop.kind == "double":
        return tuple(_check_number(prop, v, False) for v in items)
    if prop.kind == "bool":
        if any(v not in (0, 1) or isinstance(v, float) for v in items):
            raise PropertyError(f"{prop.name} must be a boolean; got {value!r}.", property=prop.name)
        return tuple(int(v) for v in items)
    if prop.kind == "enum" and len(items) == 1 and type(items[0]) is int:
        # ParaView's integer value of a label (vtkConstants.VTK_POLY_DATA): its numbers, else its position.
        numbers = prop.numbers or tuple(range(len(prop.values)))
        if items[0] not in numbers:
            raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {items[0]!r}.", property=prop.name)
        items = [prop.values[numbers.index(items[0])]]
    if prop.kind in ("string", "enum"):
        if any(not isinstance(v, str) for v in items):
            raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {value!r}.", property=prop.name)
        longest = max((len(v) for v in items), default=0)
        most = MAX_SCRIPT_LENGTH if prop.check == PYTHON_SCRIPT else MAX_STRING_LENGTH
        if longest > most or sum(len(v) for v in items) > MAX_STRINGS_LENGTH:
            raise PropertyError(
                f"{prop.name} takes strings of at most {most} characters ({MAX_STRINGS_LENGTH} in all); "
                f"got {len(items)} of up to {longest}.",
                property=prop.name,
            )
        rule = CHECKS.get(prop.check)  # a rule this code does not know (a newer server's): the server checks it
        if rule is not None:
            for item in items:
                try:
                    rule(item)
                except ValueError as exc:
                    raise PropertyError(f"{prop.name}: {exc}", property=prop.name) from None
        if prop.kind == "enum" and items[0] not in prop.values:
            near = difflib.get_close_matches(items[0], prop.values, n=1, cutoff=0.4)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise PropertyError(
                f"{prop.name} must be {prop.domain_text()}; got {items[0]!r}{hint}.", property=prop.name
            )
        return tuple(items)
    if prop.kind == "subproxy":
        if len(items) == 1 and isinstance(items[0], str):
            # ParaView's scripts may name a type by its label ('Point Cloud', "Don't Merge Points"); the type names
            # here are those labels without what an identifier cannot hold (PointCloud, DontMergePoints).
            name = items[0] if items[0] in prop.values else re.sub(r"\W", "", items[0])
            if name not in prop.values:
                raise PropertyError(f"{prop.name} must be {prop.domain_text()}, not {items[0]!r}.", property=prop.name)
            return (name,)
        if len(items) == 1 and isinstance(items[0], int) and not isinstance(items[0], bool):
            return (items[0],)
        raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {value!r}.", property=prop.name)
    if prop.kind == "proxy":
        wrong_count = len(items) > 1 or (not items and prop.is_input)  # None clears a reference, not an input
        if (prop.count == 1 and wrong_count) or any(not isinstance(v, int) or isinstance(v, bool) for v in items):
            raise PropertyError(f"{prop.name} must be {prop.domain_text()}; got {value!r}.", property=prop.name)
        return tuple(items)
    raise AssertionError(f"unknown property kind {prop.kind}")


def changes_nothing(prop: Property, value: tuple, current: tuple | None) -> bool:
    """Whether setting ``prop`` to the coerced ``value`` leaves it as it is (``current``); naming a helper's type
    always makes a new helper."""
    return prop.kind != "subproxy" and value == current


def describe(spec: ProxySpec) -> str:
    """Help text for a proxy type: its doc and every property with default and domain."""
    lines = [f"{spec.name} ({spec.group}): {spec.doc}", "", "Properties:"]
    for p in spec.properties:
        default = ", ".join(map(str, p.default)) if p.default else "(computed from the input)"
        if p.kind == "proxy":
            default = "the active source" if p.is_input else "none"
        elif p.kind == "subproxy":
            default = p.subproxy_default
        lines.append(f"  {p.name} = {default}")
        lines.append(f"      {p.doc or p.name}; {p.domain_text()}.")
    return "\n".join(lines)
