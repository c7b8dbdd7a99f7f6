"""The catalogue schema: what a proxy type is, property by property, and the catalogue that holds the types.

A proxy type (:class:`ProxySpec`) is described once, in a definitions module of its family
(:mod:`pvcore.definitions`), with everything about it on the spec: its VTK class (or the name of a small VTK-side
adapter), its input ports and outputs, and each :class:`Property` with its default, domain, how it is applied to
the VTK object (:class:`Applier`), the data-dependent default (a :mod:`pvcore.domains` object), the label that
means "no array", whether it names a file. The server validates with it and applies with it; it sends the part a
client needs (:meth:`Catalogue.to_plain`: everything but the VTK side) in its welcome, and the client builds its
proxy classes, ``help()`` text and ``simple`` functions from that, never from its own copy.

Conventions keep an entry short: a value property is applied with ``Set<Name>``; an ``Input`` is input port 0;
an array selection is input array 0.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pvcore.domains import Domain, domain_from_plain
from pvcore.errors import PropertyError, UnknownProxyTypeError

# Property kinds. "proxy" holds global ids of input proxies; "subproxy" holds the global id of an owned
# helper proxy (a Clip's plane) and is set by naming one of the types of its domain ("Plane", "Sphere").
KINDS = ("int", "double", "bool", "string", "enum", "array", "proxy", "subproxy")
ASSOCIATIONS = ("POINTS", "CELLS", "FIELD", "ROWS")  # ROWS: a table's columns

# Groups that make up the visible pipeline (what GetSources() lists).
PIPELINE_GROUPS = ("sources", "filters")

#: How a property reaches the VTK object (see pvserver.pipeline.objects, which carries each out):
#:   setter       ``method(*values)`` (``Set<Name>`` unless named)
#:   enum_index   ``method(i)`` with i the position of the chosen label in the property's values
#:   values       ``SetNumberOf<method>s(n)`` then ``SetValue(i, v)``: a list of values (iso-values; method "Contour")
#:   input_array  ``SetInputArrayToProcess(index, 0, 0, association, name)``; skipped for the "none" label
#:   input_port   ``SetInputConnection(index, <output port of the referenced proxy>)`` (an input, or a helper
#:                source such as a Glyph's shape)
#:   function     ``method(<the referenced proxy's VTK object>)``: an implicit function, a transform
#:   none         not applied: read-only information, or used by the renderer or by an adapter as a whole
#: What a type or property name may be (a Python identifier: it becomes a class and an attribute on the client), and
#: a group's name.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,127}")
GROUP_NAME = re.compile(r"[a-z][a-z_]{0,63}")
#: Types one catalogue may hold, and properties one type: bounds on what a server's welcome may make a client build.
MAX_TYPES = 10_000
MAX_PROPERTIES = 1_000

APPLIER_KINDS = ("setter", "enum_index", "values", "input_array", "input_port", "function", "none")


@dataclass(frozen=True)
class Applier:
    """How one property is applied on the server: one of :data:`APPLIER_KINDS`, with its VTK method or index."""

    kind: str = "setter"
    method: str = ""
    index: int = 0

    def __post_init__(self) -> None:
        if self.kind not in APPLIER_KINDS:
            raise ValueError(f"Unknown applier {self.kind!r}; appliers are: {', '.join(APPLIER_KINDS)}.")


NOT_APPLIED = Applier("none")


@dataclass(frozen=True)
class Property:
    """One property of a proxy type.

    ``count`` is the exact number of elements, or None for a list of any length. ``values`` holds the enum
    labels, the helper types a subproxy may be, or the groups a proxy reference may point into. ``domain``
    computes a default from the input's data when the user gave no value, as ParaView's domains do.
    """

    name: str
    kind: str
    default: tuple = ()
    count: int | None = 1
    doc: str = ""
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    domain: Domain | None = None
    #: The array-selection value that means "no array" ("No scale array"); empty array names always do.
    none_label: str = ""
    #: A file path (or a series of them): opened on the server beneath its data directory only.
    file_path: bool = False
    #: The name of a string rule of pvcore.values.CHECKS that each value must pass ("calculator_expression").
    check: str = ""
    #: For a subproxy: the helper group its types come from, and the type a new proxy starts with.
    subproxy_group: str = ""
    subproxy_default: str = ""
    #: For an input (a proxy reference that is an input port): the VTK data types accepted; empty: any dataset.
    data_types: tuple[str, ...] = ()
    #: Computed by the server for the client to read (TimestepValues); a client cannot set it.
    read_only: bool = False
    #: How it is applied on the server; None: the convention for its kind (see :meth:`applier`).
    apply: Applier | None = None
    #: For an enum: ParaView's integer value of each label, which a script may give instead of the label (without
    #: them, a label's value is its position, as in most of ParaView's enumerations).
    numbers: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not NAME.fullmatch(self.name):
            raise ValueError(
                f"Property name {self.name[:130]!r} is not a name (letters, digits and _, a letter first)."
            )
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown property kind {self.kind!r}; kinds are: {', '.join(KINDS)}.")
        if self.kind == "subproxy" and not (self.subproxy_group and self.subproxy_default in self.values):
            raise ValueError(f"{self.name}: a subproxy needs its helper group and a default among its types.")
        if self.numbers and (self.kind != "enum" or len(self.numbers) != len(self.values)):
            raise ValueError(f"{self.name}: only an enum has numbers, one for each of its labels.")

    @property
    def is_input(self) -> bool:
        """True for an input port: a proxy reference into the pipeline."""
        return self.kind == "proxy" and self.applier().kind == "input_port"

    def applier(self) -> Applier:
        """How this property is applied: its own, else the convention for its kind."""
        if self.apply is not None:
            return self.apply
        if self.read_only:
            return NOT_APPLIED
        if self.kind == "proxy":
            return Applier("input_port", index=0) if self.name == "Input" else NOT_APPLIED
        if self.kind == "array":
            return Applier("input_array", index=0)
        if self.kind == "subproxy":
            return Applier("function", f"Set{self.name}")
        return Applier("setter", f"Set{self.name}")

    def means_no_array(self, name: str) -> bool:
        """True if an array selection's name selects no array."""
        return not name or (bool(self.none_label) and name == self.none_label)

    def domain_text(self) -> str:
        """The domain in words, for help() and error messages."""
        if self.kind == "enum" and self.numbers:
            return "one of " + ", ".join(f"{v!r} ({n})" for v, n in zip(self.values, self.numbers, strict=True))
        if self.kind == "enum":
            return "one of " + ", ".join(repr(v) for v in self.values)
        if self.kind == "subproxy":
            return "one of the types " + ", ".join(repr(v) for v in self.values)
        if self.kind == "array":
            return "an array selection like ['POINTS', 'name'] (association one of POINTS, CELLS, FIELD, ROWS)"
        if self.kind == "proxy":
            what = {"sources": "source or filter", "representations": "representation", "lookup_tables": "colour map"}
            noun = what.get(self.values[0], "proxy") if self.values else "proxy"
            return f"a {noun} proxy" if self.count == 1 else f"a list of {noun} proxies"
        noun = {"int": "integer", "double": "finite number", "bool": "boolean", "string": "string"}[self.kind]
        text = f"{self.count} {noun}s" if self.count not in (None, 1) else f"a {noun}"
        if self.count is None:
            text = f"a list of {noun}s"
        if self.minimum is not None and self.maximum is not None:
            text += f" in [{self.minimum:g}, {self.maximum:g}]"
        elif self.minimum is not None:
            text += f" >= {self.minimum:g}"
        return text


@dataclass(frozen=True)
class ProxySpec:
    """One proxy type: its group, name, VTK class (or adapter), properties, and how many outputs it has.

    ``size`` (server-side only, never sent) estimates the output's size from the properties (pvcore.sizes).
    """

    group: str
    name: str
    vtk_class: str
    properties: tuple[Property, ...]
    doc: str = ""
    outputs: int = 1
    size: Any = None
    _by_name: dict[str, Property] = field(default_factory=dict, compare=False, repr=False)
    _inputs: list[Property] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not NAME.fullmatch(self.name) or not GROUP_NAME.fullmatch(self.group):
            raise ValueError(f"Proxy type {self.group[:70]!r}/{self.name[:130]!r} is not a group and a type name.")
        if len(self.properties) > MAX_PROPERTIES:
            raise ValueError(
                f"{self.name} has {len(self.properties)} properties; at most {MAX_PROPERTIES} are allowed."
            )
        self._by_name.update({p.name: p for p in self.properties})
        self._inputs.extend(sorted((p for p in self.properties if p.is_input), key=lambda p: p.applier().index))
        if len(self._by_name) != len(self.properties):
            twice = sorted({p.name for p in self.properties if sum(q.name == p.name for q in self.properties) > 1})
            raise ValueError(f"{self.name} defines the properties {', '.join(twice)} more than once.")

    @property
    def has_input(self) -> bool:
        """True for filters, which take an ``Input`` property."""
        return "Input" in self._by_name

    @property
    def inputs(self) -> tuple[Property, ...]:
        """The input ports, in port order (computed once: every change walks the pipeline's inputs)."""
        return tuple(self._inputs)

    def property(self, name: str) -> Property:
        """The property called ``name``, or a PropertyError listing the nearest valid names."""
        try:
            return self._by_name[name]
        except KeyError:
            near = difflib.get_close_matches(name, self._by_name, n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(near)}?" if near else ""
            raise PropertyError(
                f"{self.name} has no property {name!r}.{hint} Its properties are: {', '.join(self._by_name)}.",
                property=name,
            ) from None

    def defaults(self) -> dict[str, tuple]:
        """Default value of every property that has a static default."""
        return {p.name: p.default for p in self.properties if p.kind not in ("proxy", "subproxy")}


# ----------------------------------------------------------------------------------------------- catalogue


class Catalogue:
    """The proxy types one server offers, by group and name (what a client learns from its welcome)."""

    def __init__(self, specs: Iterable[ProxySpec] = ()) -> None:
        self._specs: dict[tuple[str, str], ProxySpec] = {}
        for spec in specs:
            self.add(spec)

    def add(self, spec: ProxySpec) -> None:
        """Add a type; a second type of the same group and name is refused (one home per proxy)."""
        key = (spec.group, spec.name)
        if key in self._specs:
            raise ValueError(f"Proxy type {spec.group}/{spec.name} is defined twice.")
        self._specs[key] = spec

    def get(self, group: str, name: str) -> ProxySpec:
        """The spec of ``name`` in ``group``, or UnknownProxyTypeError naming the nearest types."""
        try:
            return self._specs[(group, name)]
        except KeyError:
            names = [n for g, n in self._specs if g == group]
            if not names:
                groups = ", ".join(self.groups())
                raise UnknownProxyTypeError(f"Unknown proxy group {group!r}; groups are: {groups}.") from None
            near = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(near)}?" if near else ""
            raise UnknownProxyTypeError(
                f"Unknown {group[:-1]} type {name!r}.{hint} Available: {', '.join(sorted(names))}."
            ) from None

    def has(self, group: str, name: str) -> bool:
        """True if the catalogue holds that type."""
        return (group, name) in self._specs

    def specs(self, group: str | None = None) -> list[ProxySpec]:
        """All specs, or those of one group, in registration order."""
        return [s for (g, _), s in self._specs.items() if group is None or g == group]

    def groups(self) -> list[str]:
        """The groups, sorted."""
        return sorted({g for g, _ in self._specs})

    def subproxy_spec(self, prop: Property, type_name: str) -> ProxySpec:
        """The helper proxy type ``type_name`` allowed by the subproxy property ``prop``."""
        if type_name not in prop.values:
            raise PropertyError(f"{prop.name} must be {prop.domain_text()}, not {type_name!r}.", property=prop.name)
        return self.get(prop.subproxy_group, type_name)

    def __len__(self) -> int:
        return len(self._specs)

    # ----------------------------------------------------------------------------------- the wire

    def to_plain(self) -> list[dict[str, Any]]:
        """What a client needs of every type, as plain JSON-compatible data (no VTK class, applier or size)."""
        return [
            {
                "group": s.group,
                "name": s.name,
                "doc": s.doc,
                "outputs": s.outputs,
                "properties": [_property_to_plain(p) for p in s.properties],
            }
            for s in self._specs.values()
        ]

    @classmethod
    def from_plain(cls, plain: list[dict[str, Any]]) -> Catalogue:
        """The client's catalogue, from what :meth:`to_plain` made (on the server); ValueError, KeyError or
        TypeError for what is no catalogue."""
        if len(plain) > MAX_TYPES:
            raise ValueError(f"{len(plain)} proxy types; at most {MAX_TYPES} are allowed.")
        return cls(
            ProxySpec(
                d["group"],
                d["name"],
                "",
                tuple(_property_from_plain(p) for p in d["properties"]),
                d.get("doc", ""),
                int(d.get("outputs", 1)),
            )
            for d in plain
        )

    def digest(self) -> str:
        """A short hash of what :meth:`to_plain` sends: equal digests, equal catalogues."""
        text = json.dumps(self.to_plain(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _property_to_plain(p: Property) -> dict[str, Any]:
    plain: dict[str, Any] = {"name": p.name, "kind": p.kind, "default": list(p.default), "count": p.count}
    optional = {
        "doc": p.doc,
        "values": list(p.values),
        "minimum": p.minimum,
        "maximum": p.maximum,
        "domain": p.domain.to_plain() if p.domain is not None else None,
        "none_label": p.none_label,
        "file_path": p.file_path,
        "check": p.check,
        "subproxy_group": p.subproxy_group,
        "subproxy_default": p.subproxy_default,
        "data_types": list(p.data_types),
        "read_only": p.read_only,
        "input_port": p.applier().index if p.is_input else None,
        "numbers": list(p.numbers),
    }
    plain.update({k: v for k, v in optional.items() if v is not None and v is not False and v not in ("", [])})
    return plain


def _property_from_plain(d: dict[str, Any]) -> Property:
    port = d.get("input_port")
    return Property(
        d["name"],
        d["kind"],
        tuple(d.get("default", ())),
        d.get("count"),
        d.get("doc", ""),
        tuple(d.get("values", ())),
        d.get("minimum"),
        d.get("maximum"),
        domain_from_plain(d["domain"]) if d.get("domain") else None,
        d.get("none_label", ""),
        bool(d.get("file_path", False)),
        d.get("check", ""),
        d.get("subproxy_group", ""),
        d.get("subproxy_default", ""),
        tuple(d.get("data_types", ())),
        bool(d.get("read_only", False)),
        Applier("input_port", index=int(port)) if port is not None else NOT_APPLIED,
        tuple(int(n) for n in d.get("numbers", ())),
    )
