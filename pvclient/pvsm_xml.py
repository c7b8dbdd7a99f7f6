"""Reading a ParaView state file (.pvsm): its XML parsed safely into plain records, nothing interpreted yet.

A ParaView 5.x state holds, under ``<ServerManagerState version="5.11.0">``, one ``<Proxy group type id>`` per
proxy with its ``<Property name>`` elements: values as ``<Element index value/>``, references to other proxies as
``<Proxy value="id" output_port="0"/>``, and ``<Domain>`` children (an enumeration's ``<Entry value text/>`` tell
what its integers mean). ``<ProxyCollection name="sources"><Item id name/>`` give registration names.

The file is parsed with expat directly: a document type declaration (the door to entity expansion and external
entities) is refused outright, as are files larger than :data:`MAX_BYTES`, more than :data:`MAX_ELEMENTS`
elements or nesting deeper than :data:`MAX_DEPTH`. ParaView writes none of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from pvcore.errors import StateFileError

#: Largest state file read (ParaView writes about 0.5 MB for a handful of proxies).
MAX_BYTES = 64 * 2**20
#: Most elements and deepest nesting accepted (ParaView's states nest about 6 deep).
MAX_ELEMENTS = 2_000_000
MAX_DEPTH = 64


@dataclass
class XmlProperty:
    """One ``<Property>``: its element values (strings, in index order), its proxy references (id, output port)
    and, for an enumeration, what each integer value means."""

    name: str
    elements: list[str] = field(default_factory=list)
    proxies: list[tuple[int, int]] = field(default_factory=list)
    entries: dict[str, str] = field(default_factory=dict)


@dataclass
class XmlProxy:
    """One ``<Proxy>`` of the state: ParaView's group, XML type name, id and properties by name."""

    group: str
    type: str
    id: int
    properties: dict[str, XmlProperty] = field(default_factory=dict)

    def values(self, name: str) -> list[str]:
        """The element values of a property (empty if the state does not hold it)."""
        prop = self.properties.get(name)
        return prop.elements if prop is not None else []


@dataclass
class PvsmDocument:
    """What a state file holds: ParaView's version, the proxies by id, and each collection's (id, name) items."""

    version: str
    proxies: dict[int, XmlProxy] = field(default_factory=dict)
    collections: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def looks_like_pvsm(path: str | Path) -> bool:
    """Whether a file is XML (a ParaView state) rather than this project's JSON state: its first non-blank byte
    is ``<``; a ``.pvsm`` name counts as well. An unreadable file is left to the reader to report."""
    if str(path).lower().endswith(".pvsm"):
        return True
    try:
        with open(path, "rb") as file:
            head = file.read(512)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def read_pvsm(path: str | Path) -> PvsmDocument:
    """Parse a ParaView state file; StateFileError says what is wrong (unreadable, too large, not XML, a DTD,
    no ServerManagerState, a proxy without group, type or integer id)."""
    where = repr(str(path))
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise StateFileError(f"Cannot read the state file {where}: {exc.strerror}.") from None
    if len(data) > MAX_BYTES:
        raise StateFileError(f"{where} is larger than {MAX_BYTES // 2**20} MiB, the largest state file read here.")
    builder = _Builder(where)
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = builder.refuse_doctype
    parser.EntityDeclHandler = builder.refuse_entity
    parser.ExternalEntityRefHandler = builder.refuse_external
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise StateFileError(f"{where} is not a ParaView state file: broken XML ({exc}).") from None
    if builder.document is None:
        raise StateFileError(f"{where} is not a ParaView state file: it has no <ServerManagerState> element.")
    return builder.document


class _Builder:
    """Expat handlers that keep what a state needs, by where each element sits."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.document: PvsmDocument | None = None
        self.stack: list[str] = []
        self.count = 0
        self.proxy: XmlProxy | None = None
        self.prop: XmlProperty | None = None
        self.enum_domain = False
        self.collection: list[tuple[int, str]] | None = None
        self.indexed: dict[int, str] = {}

    def refuse_doctype(self, *_: Any) -> None:
        raise StateFileError(
            f"{self.where} declares a document type; ParaView state files have none, and entity declarations are "
            "not expanded here."
        )

    def refuse_entity(self, *_: Any) -> None:
        raise StateFileError(f"{self.where} declares an XML entity; entities are not expanded here.")

    def refuse_external(self, *_: Any) -> int:
        raise StateFileError(f"{self.where} refers to an external entity; nothing outside the file is read.")

    def _int(self, attrs: dict[str, str], key: str, what: str) -> int:
        try:
            return int(attrs[key])
        except (KeyError, ValueError):
            raise StateFileError(
                f"{self.where}: a <{what}> needs an integer {key}; got {attrs.get(key, 'none')!r:.40}."
            ) from None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.count += 1
        if self.count > MAX_ELEMENTS or len(self.stack) >= MAX_DEPTH:
            raise StateFileError(
                f"{self.where} has more than {MAX_ELEMENTS} elements or nests deeper than {MAX_DEPTH}; not a state."
            )
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(tag)
        if tag == "ServerManagerState" and self.document is None:
            self.document = PvsmDocument(attrs.get("version", ""))
        if self.document is None or parent == "":
            return
        if parent == "ServerManagerState":
            self._top_level(tag, attrs)
        elif self.proxy is not None and tag == "Property" and parent == "Proxy":
            self.prop = XmlProperty(attrs.get("name", ""))
            self.indexed = {}
            self.proxy.properties[self.prop.name] = self.prop
        elif self.prop is not None and parent == "Property":
            self._in_property(tag, attrs)
        elif self.prop is not None and self.enum_domain and tag == "Entry":
            self.prop.entries[attrs.get("value", "")] = attrs.get("text", "")
        elif self.collection is not None and tag == "Item" and parent == "ProxyCollection":
            self.collection.append((self._int(attrs, "id", "Item"), attrs.get("name", "")))

    def _top_level(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "Proxy":
            gid = self._int(attrs, "id", "Proxy")
            if not attrs.get("group") or not attrs.get("type"):
                raise StateFileError(f"{self.where}: proxy {gid} has no group or type.")
            self.proxy = XmlProxy(attrs["group"], attrs["type"], gid)
            self.document.proxies[gid] = self.proxy
        elif tag == "ProxyCollection":
            self.collection = self.document.collections.setdefault(attrs.get("name", ""), [])

    def _in_property(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "Element":
            index = self._int(attrs, "index", "Element")
            self.indexed[index] = attrs.get("value", "")
        elif tag == "Proxy":
            port = attrs.get("output_port", "0")
            self.prop.proxies.append((self._int(attrs, "value", "Proxy"), int(port) if port.isdigit() else 0))
        elif tag == "Domain":
            self.enum_domain = attrs.get("name") == "enum"

    def end(self, tag: str) -> None:
        self.stack.pop()
        if tag == "Domain":
            self.enum_domain = False
        elif tag == "Property" and self.prop is not None and self.stack and self.stack[-1] == "Proxy":
            self.prop.elements = [self.indexed[i] for i in sorted(self.indexed)]
            self.prop = None
        elif tag == "Proxy" and len(self.stack) >= 1 and self.stack[-1] == "ServerManagerState":
            self.proxy = None
        elif tag == "ProxyCollection":
            self.collection = None
