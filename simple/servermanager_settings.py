"""``servermanager.vtkSMSettings``: ParaView's settings manager, this client's own (``GetInstance()``).

Settings are JSON documents (comments allowed, as ParaView's settings files have them), each added with a priority
(``AddCollectionFromString(text, priority)``); a setting is named by its path (``".sources.SphereSource.Radius"``),
and the collection of highest priority that has it gives its value. ``GetProxySettings(proxy)`` sets a proxy's
properties from the settings under ``.<group>.<ParaView XML name>`` (or this project's type name; property names
as in ParaView's XML or here). ParaView applies them to every proxy its ``simple`` functions create; here they
apply where ``GetProxySettings`` is called. The settings live in this Python process, for its life: nothing of them
goes to the server, and JSON is only parsed, never evaluated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pvclient import pvsm_names
from pvcore.errors import PropertyError, PVError
from simple.servermanager_registry import _getPyProxy

#: ParaView's priority of a collection made to hold settings set when there was none (VTK_DOUBLE_MAX).
HIGHEST_PRIORITY = 1.7976931348623157e308
#: A document larger than this is refused (settings files are a few kilobytes).
MAX_DOCUMENT = 16 * 1024 * 1024


# ----------------------------------------------------------------------------------------------- JSON with comments


@dataclass
class Node:
    """A JSON value and the comments written before it (ParaView's setting description)."""

    value: Any
    comment: str = ""


_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<line>//[^\n]*\n?)|(?P<block>/\*.*?\*/)|(?P<string>"(?:[^"\\]|\\.)*")|"""
    r"""(?P<number>-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<word>true|false|null)|(?P<punct>[{}\[\]:,])""",
    re.DOTALL,
)
_WORDS = {"true": True, "false": False, "null": None}


class _Parser:
    """JSON with ``//`` and ``/* */`` comments; a comment on a line of its own goes to the value after it."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str, int]] = []  # kind, text, line
        position, line = 0, 1
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise PVError(f"Settings JSON: unexpected {text[position : position + 20]!r} on line {line}.")
            kind = match.lastgroup or ""
            if kind != "space":
                self.tokens.append((kind, match.group(), line))
            line += match.group().count("\n")
            position = match.end()
        self.index = 0
        self.last_line = 0  # the line the last value ended on

    def _comments(self) -> str:
        """The comments before the next token (one written after a value on its line belongs to that value)."""
        found = []
        while self.index < len(self.tokens) and self.tokens[self.index][0] in ("line", "block"):
            _kind, text, line = self.tokens[self.index]
            self.index += 1
            if line != self.last_line or not self.last_line:
                found.append(text)
        return "".join(found).removesuffix("\n")

    def _next(self, expected: str | None = None) -> tuple[str, str, int]:
        self._comments()
        if self.index >= len(self.tokens):
            raise PVError("Settings JSON ends too soon" + (f": {expected!r} expected." if expected else "."))
        token = self.tokens[self.index]
        self.index += 1
        if expected is not None and token[1] != expected:
            raise PVError(f"Settings JSON: {expected!r} expected on line {token[2]}, not {token[1]!r}.")
        return token

    def _peek(self) -> str:
        at = self.index
        while at < len(self.tokens) and self.tokens[at][0] in ("line", "block"):
            at += 1
        return self.tokens[at][1] if at < len(self.tokens) else ""

    def value(self, comment: str = "") -> Node:
        kind, text, line = self._next()
        if text == "{":
            members: dict[str, Node] = {}
            while self._peek() != "}":
                before = self._comments()
                key_kind, key, key_line = self._next()
                if key_kind != "string":
                    raise PVError(f"Settings JSON: a member name expected on line {key_line}, not {key!r}.")
                self._next(":")
                members[_string(key)] = self.value(before)
                if self._peek() != "}":
                    self._next(",")
            self.last_line = self._next("}")[2]
            return Node(members, comment)
        if text == "[":
            items: list[Node] = []
            while self._peek() != "]":
                items.append(self.value(self._comments()))
                if self._peek() != "]":
                    self._next(",")
            self.last_line = self._next("]")[2]
            return Node(items, comment)
        self.last_line = line
        if kind == "string":
            return Node(_string(text), comment)
        if kind == "number":
            return Node(float(text) if any(c in text for c in ".eE") else int(text), comment)
        if kind == "word":
            return Node(_WORDS[text], comment)
        raise PVError(f"Settings JSON: a value expected on line {line}, not {text!r}.")


def _string(token: str) -> str:
    """A JSON string token's text (the standard library's decoder reads the escapes; it evaluates nothing)."""
    return json.loads(token)


def parse(text: str) -> Node:
    """The settings document ``text`` (JSON with comments; empty is ``{}``)."""
    if len(text) > MAX_DOCUMENT:
        raise PVError(f"Settings JSON of {len(text)} characters; at most {MAX_DOCUMENT} are read.")
    parser = _Parser(text if text.strip() else "{}")
    root = parser.value(parser._comments())
    if parser._peek():
        raise PVError(f"Settings JSON: {parser._peek()!r} after the end of the document.")
    if not isinstance(root.value, dict):
        raise PVError("Settings JSON must be an object ({...}).")
    return root


# ----------------------------------------------------------------------------------------------- paths


_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    """``".sources.SphereSource.Radius"`` -> ["sources", "SphereSource", "Radius"] (``[n]`` steps are ints)."""
    if not path.startswith("."):
        raise PVError(f"A setting's path starts with '.' (e.g. '.sources.SphereSource.Radius'), not {path!r}.")
    steps: list[str | int] = []
    position = 1 if path == "." else 0
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None:
            raise PVError(f"Setting path {path!r}: unexpected {path[position:]!r}.")
        steps.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
    return steps


def _resolve(node: Node, steps: list[str | int]) -> Node | None:
    for step in steps:
        in_list = isinstance(step, int) and isinstance(node.value, list) and step < len(node.value)
        in_object = isinstance(step, str) and isinstance(node.value, dict) and step in node.value
        if not (in_list or in_object):
            return None
        node = node.value[step]
    return node


def _plain(node: Node) -> Any:
    if isinstance(node.value, dict):
        return {key: _plain(child) for key, child in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(child) for child in node.value]
    return node.value


# ----------------------------------------------------------------------------------------------- the settings


@dataclass
class Collection:
    """One settings document and its priority."""

    priority: float
    root: Node = field(default_factory=lambda: Node({}))


def _convert(value: Any, kind: type) -> tuple[bool, Any]:
    """A JSON value as an int, a float or a str, as ParaView converts them (numbers to numbers only)."""
    if kind is str:
        return (True, value) if isinstance(value, str) else (False, "")
    if isinstance(value, (bool, int, float)):
        return True, kind(value)
    return False, kind()


class SettingsManager:
    """vtkSMSettings (see the module's help)."""

    def __init__(self) -> None:
        self._collections: list[Collection] = []

    def _sorted(self) -> list[Collection]:
        return sorted(self._collections, key=lambda c: -c.priority)  # stable: the first added wins a tie

    def _find(self, name: str, max_priority: float = HIGHEST_PRIORITY) -> Node | None:
        steps = _steps(name)
        for collection in self._sorted():
            if collection.priority <= max_priority:
                found = _resolve(collection.root, steps)
                if found is not None and found.value is not None:
                    return found
        return None

    def _values(self, name: str, kind: type) -> tuple[bool, list[Any]]:
        node = self._find(name)
        if node is None or isinstance(node.value, dict):
            return False, []
        if isinstance(node.value, list):
            return True, [_convert(item.value, kind)[1] for item in node.value]
        ok, value = _convert(node.value, kind)
        return ok, [value] if ok else []

    # ----------------------------------------------------------------------------------- collections

    def AddCollectionFromString(self, settings: str, priority: float) -> bool:
        """Add a settings document (JSON, comments allowed) at ``priority`` (higher wins)."""
        self._collections.append(Collection(float(priority), parse(str(settings))))
        return True

    def AddCollectionFromFile(self, filename: str, priority: float) -> bool:
        """Add the settings document in a file of this client; False when it cannot be read."""
        try:
            with open(filename, encoding="utf-8") as handle:
                text = handle.read(MAX_DOCUMENT + 1)
        except OSError:
            return False
        return self.AddCollectionFromString(text, priority)

    def ClearAllSettings(self) -> None:
        self._collections.clear()

    def GetNumberOfCollections(self) -> int:
        return len(self._collections)

    # ----------------------------------------------------------------------------------- reading

    def HasSetting(self, settingName: str, maxPriority: float = HIGHEST_PRIORITY) -> bool:
        return self._find(settingName, maxPriority) is not None

    def GetSettingNumberOfElements(self, settingName: str) -> int:
        node = self._find(settingName)
        return len(node.value) if node is not None and isinstance(node.value, list) else 0

    def _get(self, name: str, args: tuple, kind: type) -> Any:
        index, default = (0, args[0]) if len(args) == 1 else args
        ok, values = self._values(name, kind)
        return values[int(index)] if ok and int(index) < len(values) else default

    def GetSettingAsInt(self, settingName: str, *indexAndDefault: Any) -> int:
        """``(name, default)`` or ``(name, index, default)``."""
        return self._get(settingName, indexAndDefault, int)

    def GetSettingAsDouble(self, settingName: str, *indexAndDefault: Any) -> float:
        """``(name, default)`` or ``(name, index, default)``."""
        return self._get(settingName, indexAndDefault, float)

    def GetSettingAsString(self, settingName: str, *indexAndDefault: Any) -> str:
        """``(name, default)`` or ``(name, index, default)``."""
        return self._get(settingName, indexAndDefault, str)

    def GetSettingDescription(self, settingName: str) -> str:
        """The comments written before the setting in the document that gives it ("" if none)."""
        node = self._find(settingName)
        return node.comment if node is not None else ""

    # ----------------------------------------------------------------------------------- writing

    def SetSetting(self, settingName: str, *indexAndValue: Any) -> None:
        """``(name, value)`` or ``(name, index, value)``: set in the collection of highest priority (one of the
        highest priority is made when there is none); a value with several elements becomes a JSON array."""
        if len(indexAndValue) not in (1, 2):
            raise PVError("SetSetting(name, value) or SetSetting(name, index, value).")
        index, value = (0, indexAndValue[0]) if len(indexAndValue) == 1 else indexAndValue
        kind = str if isinstance(value, str) else float if isinstance(value, float) else int
        if not isinstance(value, (str, int, float)):
            raise PVError(f"A setting is a number or a string, not {value!r}.")
        _ok, values = self._values(settingName, kind)
        values += [kind()] * (int(index) + 1 - len(values))
        values[int(index)] = kind(value)
        if not self._collections:
            self._collections.append(Collection(HIGHEST_PRIORITY))
        steps = _steps(settingName)
        if not steps or not isinstance(steps[-1], str):
            raise PVError(f"Setting path {settingName!r} must end with a name.")
        node = self._sorted()[0].root
        for step in steps[:-1]:
            if not isinstance(step, str):
                raise PVError(f"Setting path {settingName!r}: only names are set, not [{step}].")
            if not isinstance(node.value, dict):
                node.value = {}
            node = node.value.setdefault(step, Node({}))
        if not isinstance(node.value, dict):
            node.value = {}
        leaf = node.value.get(steps[-1])
        comment = leaf.comment if leaf is not None else ""
        stored = [Node(v) for v in values] if len(values) > 1 else values[0]
        node.value[steps[-1]] = Node(stored, comment)

    # ----------------------------------------------------------------------------------- proxies

    def GetProxySettings(self, *arguments: Any) -> bool:
        """``(proxy)``, ``(proxy, maxPriority)`` or ``(prefix, proxy[, maxPriority])``: set the proxy's properties
        from the settings under ``prefix.<XML name>`` (default prefix: ``.<group>``). True when every setting
        found was applied."""
        prefix = arguments[0] if arguments and isinstance(arguments[0], str) else None
        rest = arguments[1:] if prefix is not None else arguments
        if not rest:
            raise PVError("GetProxySettings needs a proxy.")
        proxy = _getPyProxy(rest[0])
        max_priority = float(rest[1]) if len(rest) > 1 else HIGHEST_PRIORITY
        if proxy is None:
            return False
        spec = proxy._spec
        xml_names = [
            xml for (_, xml), row in pvsm_names.TABLE.items() if (row.group, row.name) == (spec.group, spec.name)
        ]
        candidates = dict.fromkeys([*xml_names, spec.name])
        changes: dict[str, Any] = {}
        for type_name in candidates:
            path = f"{prefix if prefix is not None else '.' + spec.group}.{type_name}"
            row = pvsm_names.row_for(spec.group, type_name) or pvsm_names.Row(spec.group, spec.name)
            for key in self._keys(path, max_priority):
                ours = pvsm_names.property_name(spec, row, key)
                setting = self._find(f"{path}.{key}", max_priority)
                usable = setting is not None and not isinstance(setting.value, dict)  # an object sets nothing
                if ours is not None and ours not in changes and usable:
                    changes[ours] = _plain(setting)
        try:
            proxy._set(changes)  # one request; should one value be refused, each is tried alone (as ParaView does)
            return True
        except (PropertyError, PVError):
            pass
        success = True
        for name, value in changes.items():
            try:
                proxy._set({name: value})
            except (PropertyError, PVError):
                success = False
        return success

    def _keys(self, path: str, max_priority: float) -> list[str]:
        """The names under ``path`` in every collection of at most ``max_priority``."""
        steps, names = _steps(path), {}
        for collection in self._sorted():
            found = _resolve(collection.root, steps) if collection.priority <= max_priority else None
            if found is not None and isinstance(found.value, dict):
                names.update(dict.fromkeys(found.value))
        return list(names)


class vtkSMSettings(SettingsManager):  # noqa: N801 - ParaView's class name
    """``servermanager.vtkSMSettings``: ``GetInstance()`` gives the one settings manager of this client."""

    @staticmethod
    def GetInstance() -> SettingsManager:
        return _INSTANCE


_INSTANCE = SettingsManager()

__all__ = ["SettingsManager", "parse", "vtkSMSettings"]
