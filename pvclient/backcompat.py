"""ParaView's backwards compatibility: properties older ParaView versions had, kept working for old scripts.

A script written for an older ParaView says so with ``paraview.compatibility.major = 5`` and ``minor = 9``. While
it does, reading or setting a property that ParaView has since removed (a RenderView's ``UseGradientBackground``,
a Threshold's ``ThresholdRange``, a lookup table's ``LockScalarRange``...) goes through the properties that
replaced it, as in ParaView: setting ``ThresholdRange = [100, 200]`` sets ``LowerThreshold``, ``UpperThreshold``
and ``ThresholdMethod``, in one ordinary change that collaborators see and undo undoes. With a newer version, or
none set (which means the newest), the old name raises ParaView's ``NotSupportedException``, whose message names
what to use instead. Some creations change too (``Gradient()`` for 5.9 or older makes ParaView's GradientLegacy,
a new RenderView does not follow the palette), as do some values (a scalar bar's ``WindowLocation =
'UpperLeftCorner'`` for 5.9) and colour map presets (``AssignLookupTable(info, 'jet')`` for 5.8).

The table of removed properties (pvclient.backcompat_properties) is consulted only for names that are not
properties of the proxy (``Proxy.__getattr__`` and ``__setattr__``), and renamed values only once a value was
refused, so ordinary use costs nothing. A removed property that had no replacement (a view's
``UseOffscreenRendering``) reads as ParaView's stand-in; a value set on it stays on that Python object only, as in
ParaView, and has no effect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pvclient.backcompat_properties import KEPT, TABLE, OldProperty, Version, Where
from pvclient.properties import NotSupportedException

if TYPE_CHECKING:
    from pvclient.proxy import Proxy


def _newest() -> Version:
    return ()


_version_source: Callable[[], Version] = _newest


def use_version(source: Callable[[], Version]) -> None:
    """Make ``source`` tell which ParaView version scripts ask for (``paraview.compatibility`` registers itself):
    a tuple (major, minor) or (major,), empty for the newest."""
    global _version_source
    _version_source = source


def requested_version() -> Version:
    """The ParaView version a script asks for, () when it asks for none (the newest)."""
    return _version_source()


def asks_for(until: Version) -> bool:
    """True when a script asks for ``until`` or an older version (never when it asks for none)."""
    version = requested_version()
    return bool(version) and version <= until


def _text(version: Version) -> str:
    return ".".join(map(str, version))


def find(proxy: Proxy, name: str) -> OldProperty | None:
    """The old property ``name`` of ``proxy``, or None when ``name`` is no removed ParaView property of it."""
    for entry in TABLE.get(name, ()):
        if entry.where.matches(proxy):
            return entry
    return None


def read(proxy: Proxy, entry: OldProperty) -> Any:
    """The value of the old property, or NotSupportedException when the script asks for a newer version."""
    _check(entry)
    kept = proxy.__dict__.get(KEPT, {})
    return kept[entry.name] if entry.write is None and entry.name in kept else entry.read(proxy)


def write(proxy: Proxy, entry: OldProperty, value: Any) -> None:
    """Set the old property: its replacements change (one change), or NotSupportedException as :func:`read`."""
    _check(entry)
    if entry.write is None:
        proxy.__dict__.setdefault(KEPT, {})[entry.name] = value
        return
    changes = entry.write(proxy, value)
    if changes:
        proxy._set(changes)


def _check(entry: OldProperty) -> None:
    if not asks_for(entry.until):
        since = f" (ParaView {_text(entry.until)} had it; set paraview.compatibility to run older scripts)"
        raise NotSupportedException(f"{entry.name} is no longer a property of this proxy: {entry.removed}{since}.")


# ----------------------------------------------------------------------------------- properties that read differently


def older_reading(name: str) -> Callable[[property], property] | None:
    """For a property that older versions read and set otherwise (``ColorArrayName`` was an array name alone up to
    4.1): a wrapper of its Python property that does so while a script asks for such a version; None for others."""
    return _array_name_only if name == "ColorArrayName" else None


def _array_name_only(prop: property) -> property:
    def getter(proxy: Proxy) -> Any:
        value = prop.fget(proxy)  # type: ignore[misc]
        return value[1] if asks_for((4, 1)) else value

    def setter(proxy: Proxy, value: Any) -> None:
        if isinstance(value, str) and asks_for((4, 1)):
            value = [prop.fget(proxy)[0], value]  # type: ignore[misc]  # the association stays
        prop.fset(proxy, value)  # type: ignore[misc]

    return property(getter, setter, doc=prop.__doc__)


# ----------------------------------------------------------------------------------- creations


#: Types that a script asking for version ``until`` or older gets in place of ``name``, as ParaView's simple does.
_LEGACY_TYPES: dict[str, tuple[Version, str]] = {
    "Gradient": ((5, 9), "GradientLegacy"),
    "PlotOverLine": ((5, 9), "PlotOverLineLegacy"),
}
#: Properties that a new proxy of a type gets while a script asks for ``until`` or older (the old defaults).
_OLD_DEFAULTS: dict[str, tuple[Version, dict[str, Any]]] = {
    "Clip": ((5, 4), {"Invert": 0}),
    "ExodusIIReader": ((5, 6), {"UseLegacyBlockNamesWithElementTypes": 1}),
    "RenderView": ((5, 9), {"UseColorPaletteForBackground": 0}),
}


def legacy_type(name: str, offered: Callable[[str], bool]) -> str:
    """The type ``simple.<name>()`` creates for the version a script asks for: ``name``, or the legacy type that
    ParaView made then (Gradient -> GradientLegacy for 5.9 or older). ``offered`` tells whether the server has a
    type; NotSupportedException when it lacks the legacy one."""
    found = _LEGACY_TYPES.get(name)
    if found is None or not asks_for(found[0]):
        return name
    until, legacy = found
    if not offered(legacy):
        raise NotSupportedException(
            f"For ParaView {_text(until)} or older, {name}() makes ParaView's {legacy}, which this server does not "
            f"offer; ask for a newer paraview.compatibility version to get today's {name}."
        )
    return legacy


def old_defaults(name: str) -> dict[str, Any]:
    """Properties a new proxy of type ``name`` gets for the version a script asks for (its defaults then)."""
    found = _OLD_DEFAULTS.get(name)
    return dict(found[1]) if found is not None and asks_for(found[0]) else {}


# ----------------------------------------------------------------------------------- values renamed since

#: Values ParaView renamed, by property: (the proxies, the last version that took the old values, old -> new).
_OLD_VALUES: dict[str, tuple[tuple[Where, Version, dict[str, str]], ...]] = {
    "WindowLocation": (
        (Where(names=("TextSourceRepresentation", "ScalarBarWidgetRepresentation")), (5, 9), {
            "AnyLocation": "Any Location", "LowerRightCorner": "Lower Right Corner",
            "LowerLeftCorner": "Lower Left Corner", "LowerCenter": "Lower Center",
            "UpperLeftCorner": "Upper Left Corner", "UpperRightCorner": "Upper Right Corner",
            "UpperCenter": "Upper Center",
        }),
    ),
    "ShaderPreset": ((Where(group="representations"), (5, 5), {"Gaussian Blur (Default)": "Gaussian Blur"}),),
    "FieldAssociation": (
        (Where(names=("DataSetCSVWriter", "CSVWriter")), (5, 7), {"Points": "Point Data", "Cells": "Cell Data"}),
    ),
    "SeedType": (
        (Where(has="SeedType"), (5, 8), {"High Resolution Line Source": "Line", "Point Source": "Point Cloud"}),
    ),
}  # fmt: skip


def renamed_value(proxy: Proxy, name: str, value: Any) -> Any:
    """What ``value`` of property ``name`` is called now, when it is a value ParaView renamed and the script asks
    for a version that had it; None when it is no renamed value. NotSupportedException for a renamed value while
    the script asks for a newer version (only consulted after the value was refused)."""
    if not isinstance(value, str):
        return None
    for where, until, renames in _OLD_VALUES.get(name, ()):
        if value in renames and where.matches(proxy):
            if not asks_for(until):
                raise NotSupportedException(
                    f"{value!r} is an old value of {name} (ParaView {_text(until)} took it); use "
                    f"{renames[value]!r} instead."
                )
            return renames[value]
    return None


#: Colour map presets ParaView 5.9 removed or renamed: the preset to use instead, and whether it runs backwards.
_OLD_PRESETS = {
    "jet": ("Jet", False),
    "coolwarm": ("Cool to Warm", False),
    "Asymmtrical Earth Tones (6_21b)": ("Asymmetrical Earth Tones (6_21b)", False),
    "CIELab_blue2red": ("CIELab Blue to Red", False),
    "gray_Matlab": ("Grayscale", False),
    "rainbow": ("Blue to Red Rainbow", False),
    "Red to Blue Rainbow": ("Blue to Red Rainbow", True),
}


def old_preset(name: str) -> tuple[str, bool]:
    """The colour map preset ``name`` is now, and whether to invert it, for a script that asks for ParaView 5.8 or
    older (``AssignLookupTable(info, 'jet')``); ``(name, False)`` otherwise."""
    return _OLD_PRESETS.get(name, (name, False)) if asks_for((5, 8)) else (name, False)


__all__ = [
    "asks_for",
    "find",
    "legacy_type",
    "old_defaults",
    "old_preset",
    "older_reading",
    "read",
    "renamed_value",
    "requested_version",
    "use_version",
    "write",
]
