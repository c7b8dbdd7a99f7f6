"""Client-side proxies: Python objects mirroring a proxy state held by the server.

Each proxy type gets its own class, generated from the definitions the server sent in its welcome (the
connection's catalogue), with one Python property per proxy property, so that ``help(proxy)`` lists them with
their defaults and domains; classes are built once per catalogue (by its digest), group and name. Reading a
property reads the mirrored state; setting one is checked against the spec here (pvcore.values.coerce), then
sent to the server, which validates it again, applies it on every rank and answers with the new state.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pvclient import backcompat, clientside, notebook, pvsm_names
from pvclient.datainfo import ArraysInfo, DataInformationView
from pvclient.properties import Property, property_object
from pvclient.smproxy import SMProxy
from pvclient.views import MIXINS
from pvcore.errors import PropertyError, ProtocolError, ProxyNotFoundError, PVError
from pvcore.messages import ProxyState
from pvcore.schema import Catalogue, ProxySpec
from pvcore.schema import Property as PropertySpec
from pvcore.values import coerce, describe

if TYPE_CHECKING:
    from pvclient.connection import Connection


#: The groups whose proxies show an HTML summary in a notebook.
_SUMMARISED = ("sources", "filters", "representations")


class Proxy:
    """A proxy on a server; see ``help()`` of a concrete proxy for its properties."""

    _spec: ProxySpec

    def __init__(self, connection: Connection, global_id: int) -> None:
        object.__setattr__(self, "_connection", connection)
        object.__setattr__(self, "_global_id", global_id)
        #: Values staged by SetElement/ResetToDefault (wire tuples), sent by UpdateProperty or the next change.
        object.__setattr__(self, "_staged", {})
        #: For a proxy not created yet (global id 0, see :meth:`detached`): the proxies its references name.
        object.__setattr__(self, "_references", {})

    @classmethod
    def detached(cls, connection: Connection) -> Proxy:
        """A proxy of this type that exists on the client only until what the server needs to create it is set
        (its ``Input``, a reader's ``FileName``: :meth:`missing`), which creates it with the properties set so
        far: what ParaView's ``servermanager.filters.X()`` makes, a filter with no input yet (e.g. a reduction
        helper for ``Fetch``)."""
        return cls(connection, 0)

    @staticmethod
    def missing(spec: ProxySpec, given: dict[str, Any]) -> list[str]:
        """The properties the server needs to create ``spec`` that ``given`` lacks: an input, a file name."""
        needed = [p for p in spec.properties if p.is_input or (p.file_path and not p.read_only)]
        inputs_given = not spec.inputs or any(given.get(p.name) not in (None, [], ()) for p in spec.inputs)
        return [
            p.name
            for p in needed
            if (not inputs_given if p.is_input else given.get(p.name) in (None, "", [], (), ("",)))
        ]

    @property
    def is_detached(self) -> bool:
        """True until a proxy made by :meth:`detached` is created on the server."""
        return self._global_id == 0

    # ----------------------------------------------------------------------------------- identity

    @property
    def GlobalID(self) -> int:
        return self._global_id

    @property
    def connection(self) -> Connection:
        """The connection this proxy belongs to."""
        return self._connection

    @property
    def state(self) -> ProxyState:
        """The mirrored state; raises if the connection closed or the proxy was deleted."""
        if self.is_detached:
            raise PVError(
                f"This {self._spec.name} exists on the client only until its "
                f"{' and '.join(self.missing(self._spec, {}))} is set, which creates it on the server."
            )
        return self._connection.state_of(self._global_id)

    @property
    def type_name(self) -> str:
        """This project's name of the proxy's type ("Sphere"): what the catalogue and ``simple`` call it."""
        return self._spec.name

    def GetXMLName(self) -> str:
        """ParaView's XML name of the type ("SphereSource" for a Sphere), as ParaView's proxies answer."""
        return pvsm_names.xml_name(self._spec.group, self._spec.name)

    def GetXMLLabel(self) -> str:
        return self._spec.name

    def GetXMLGroup(self) -> str:
        return self._spec.group

    def GetGlobalIDAsString(self) -> str:
        return str(self._global_id)

    @property
    def SMProxy(self) -> SMProxy:
        """What stands in for ParaView's C++ proxy (``proxy.SMProxy.GetProperty(name).ResetToDefault()``)."""
        return SMProxy(self)

    def __getattr__(self, name: str) -> Any:
        # As ParaView's proxies hand unknown names to their C++ proxy: the part of it this project offers.
        if not name.startswith("_") and hasattr(SMProxy, name):
            return getattr(SMProxy(self), name)
        old = backcompat.find(self, name)  # a property ParaView removed: read through its replacements
        if old is not None:
            return backcompat.read(self, old)
        raise AttributeError(f"{type(self).__name__!r} proxy has no attribute {name!r}")

    def GetRegistrationName(self) -> str:
        return self.state.name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Proxy) or self.is_detached or other.is_detached:
            return self is other  # proxies not created yet are all id 0: each is only itself
        return other._connection is self._connection and other._global_id == self._global_id

    def __hash__(self) -> int:
        return hash((id(self._connection), self._global_id))

    def __repr__(self) -> str:
        try:
            name = "(not created yet)" if self.is_detached else self.state.name
        except Exception:
            name = "(gone)"
        return f"<{self._spec.name} {name!r} id={self._global_id} on {self._connection.GetURI()}>"

    def _repr_html_(self) -> str | None:
        """In a notebook, a source, filter or representation shows a short summary (views show their image)."""
        if self._spec.group not in _SUMMARISED or self.is_detached:
            return None
        return notebook.summary_html(self)

    # ----------------------------------------------------------------------------------- properties

    def ListProperties(self) -> list[str]:
        """Names of this proxy's properties."""
        return [p.name for p in self._spec.properties]

    def GetProperty(self, name: str) -> Property | None:
        """The property object of ``name`` (``GetData``, ``SetData``, ``GetElement``, ``SetElement``...), or None
        when this proxy has no such property (as ParaView answers)."""
        try:
            return property_object(self, self._spec.property(name))
        except PropertyError:
            return None

    def GetPropertyValue(self, name: str) -> Any:
        """The value of a property by name, as the attribute gives it; None when there is no such property (as
        ParaView answers)."""
        try:
            prop = self._spec.property(name)
        except PropertyError:
            return None
        return self._get(prop)

    def SetPropertyWithName(self, name: str, value: Any) -> None:
        """Set a property by name."""
        self._set({name: value})

    def __iter__(self) -> Iterator[Property]:
        """The property objects, in definition order."""
        return iter([property_object(self, p) for p in self._spec.properties])

    def UpdateProperty(self, name: str, force: bool = False) -> None:
        """Send the value staged for ``name`` (by ``SetElement`` or ``ResetToDefault``), if any."""
        self._spec.property(name)
        if name in self._staged and not self.is_detached:
            self._connection.update(self, {name: self._staged.pop(name)})

    def UpdateVTKObjects(self) -> None:
        """Send every staged value."""
        if self._staged and not self.is_detached:
            self._set({})

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_") or isinstance(getattr(type(self), name, None), property):
            object.__setattr__(self, name, value)
            return
        old = backcompat.find(self, name)  # a property ParaView removed: set its replacements
        if old is not None:
            backcompat.write(self, old, value)
            return
        # Not a property of this type: the catalogue's error names the nearest valid ones.
        self._spec.property(name)

    # ----------------------------------------------------------------------------------- values

    def _wire(self, prop: PropertySpec) -> tuple:
        """The value as it travels: the staged one, else the mirrored one (a detached proxy: what was set)."""
        if prop.name in self._staged:
            return self._staged[prop.name]
        if self.is_detached:
            refs = self._references.get(prop.name, [])
            return tuple(p.GlobalID for p in refs) if prop.kind == "proxy" else prop.default
        return self.state.properties.get(prop.name, prop.default)

    def _stage(self, prop: PropertySpec, value: tuple) -> None:
        if prop.read_only:
            raise PropertyError(f"{prop.name} is computed by the server and cannot be set.", property=prop.name)
        self._staged[prop.name] = value

    def _set(self, changes: dict[str, Any]) -> None:
        """Send ``changes`` together with whatever is staged; a detached proxy keeps them until its Input is set."""
        if self.is_detached:
            self._set_detached(changes)
            return
        staged = dict(self._staged)
        self._staged.clear()
        self._connection.update(self, {**staged, **changes})

    def _set_detached(self, changes: dict[str, Any]) -> None:
        for key, value in changes.items():
            prop = self._spec.property(key)
            if prop.kind in ("proxy", "subproxy"):
                to_wire_value(self._connection, prop, value)  # checked now, sent as given
                self._references[key] = value if isinstance(value, list) else [] if value is None else [value]
            else:
                self._stage(prop, coerce(prop, value))
        if not self.missing(self._spec, {**self._staged, **self._references}):
            values = {**self._staged, **self._references}
            made = self._connection.create(self._spec.group, self._spec.name, values)
            self._staged.clear()
            self._references.clear()
            object.__setattr__(self, "_global_id", made.GlobalID)

    def configuration(self) -> dict[str, Any]:
        """What makes another proxy of this type configured as this one: every property a user sets but the
        inputs (staged values included); a helper (a Clip's ClipType) as its type name."""
        values: dict[str, Any] = {}
        for prop in self._spec.properties:
            if prop.is_input or prop.read_only:
                continue
            if prop.kind == "subproxy":
                helper = None if self.is_detached else self._get(prop)
                chosen = self._references.get(prop.name) if self.is_detached else None
                if helper is not None or chosen:
                    values[prop.name] = helper.type_name if helper is not None else chosen[0]
            elif prop.kind == "proxy":
                values[prop.name] = self._get(prop) if not self.is_detached else self._references.get(prop.name, [])
            else:
                values[prop.name] = self._wire(prop)
        return values

    def _default_of(self, prop: PropertySpec) -> tuple:
        """ParaView's default of ``prop`` now: its domain's, from the input's data information, else the
        definition's."""
        if prop.domain is None or prop.kind in ("proxy", "subproxy"):
            return prop.default
        info = None
        if prop.domain.needs_input:
            source = self._get(self._spec.inputs[0]) if self._spec.inputs else None
            source = source[0] if isinstance(source, list) and source else source
            if not isinstance(source, Proxy) or source.is_detached:
                return prop.default
            info = self._connection.information(source)
        values = {p.name: self._wire(p) for p in self._spec.properties}
        return prop.domain.default(values, info, prop.default)

    def _get(self, prop: PropertySpec) -> Any:
        value = self._wire(prop)
        if prop.kind == "proxy" and prop.count != 1:
            return [self._connection.proxy(int(v)) for v in value]
        if prop.kind in ("proxy", "subproxy"):
            return self._connection.proxy(int(value[0])) if value else None
        if prop.kind == "array":
            return list(value)
        if prop.count == 1:
            return value[0] if value else None
        return list(value)

    # ----------------------------------------------------------------------------------- pipeline

    def UpdatePipeline(self, time: float | None = None) -> None:
        """Execute the pipeline up to this proxy on every rank of the server."""
        self._connection.invoke(self, "UpdatePipeline", [] if time is None else [(float(time),)])

    def GetDataInformation(self) -> DataInformationView:
        """Update this proxy and return its data information, reduced over all ranks."""
        return DataInformationView(self._connection.information(self))

    def GetClientSideObject(self) -> Any:
        """On the built-in session, the VTK object of this proxy (rank 0's), as ParaView's; a NotSupportedException
        on a remote server, where it lives in the server's processes (use servermanager.Fetch there). See
        :mod:`pvclient.clientside`."""
        return clientside.client_side_object(self)

    def MarkModified(self, modified_by: Any = None) -> None:
        """Make the next update execute this proxy again, e.g. after the data given to a trivial producer's
        ``GetClientSideObject().SetOutput()`` changed (``modified_by`` is ignored, as ParaView's scripts pass None)."""
        clientside.mark_modified(self)

    @property
    def PointData(self) -> ArraysInfo:
        return self.GetDataInformation().PointData

    @property
    def CellData(self) -> ArraysInfo:
        return self.GetDataInformation().CellData

    @property
    def FieldData(self) -> ArraysInfo:
        return self.GetDataInformation().FieldData

    @property
    def RowData(self) -> ArraysInfo:
        """The columns of a table (vtkTable) output."""
        return self.GetDataInformation().RowData


def _make_property(prop: PropertySpec) -> property:
    def getter(self: Proxy) -> Any:
        return self._get(prop)

    def setter(self: Proxy, value: Any) -> None:
        try:
            self._set({prop.name: value})
        except PropertyError:
            renamed = backcompat.renamed_value(self, prop.name, value)  # a value older ParaView versions took
            if renamed is None:
                raise
            self._set({prop.name: renamed})

    doc = f"{prop.doc or prop.name} Allowed: {prop.domain_text()}."
    made = property(getter, setter, doc=doc)
    older = backcompat.older_reading(prop.name)  # None but for the few that older ParaView versions read otherwise
    return made if older is None else older(made)


_classes: dict[tuple[str, str, str], type[Proxy]] = {}
_classes_lock = threading.Lock()


def proxy_class(catalogue: Catalogue, digest: str, group: str, name: str) -> type[Proxy]:
    """The Python class of a proxy type of ``catalogue`` (whose digest is ``digest``), built once from its spec.

    Raises UnknownProxyTypeError when the catalogue lacks the type."""
    key = (digest, group, name)
    with _classes_lock:
        found = _classes.get(key)
        if found is None:
            found = _classes[key] = _build_class(catalogue.get(group, name))
        return found


def _build_class(spec: ProxySpec) -> type[Proxy]:
    namespace: dict[str, Any] = {"_spec": spec, "__doc__": describe(spec), "__module__": "simple"}
    key = (spec.group, spec.name)
    bases = (MIXINS[key], Proxy) if key in MIXINS else (Proxy,)
    for prop in spec.properties:
        if prop.name.startswith("_") or any(hasattr(base, prop.name) for base in bases):
            raise ProtocolError(
                f"The server defines a property {spec.name}.{prop.name}, which would hide the method of that name "
                "of every proxy of this client; is the client older than the server?"
            )
        namespace[prop.name] = _make_property(prop)
    return type(spec.name, bases, namespace)


def to_wire_value(connection: Connection, prop: PropertySpec, value: Any) -> tuple:
    """A user's value for ``prop`` as the tuple that travels: proxies become global ids, then it is coerced."""
    if prop.kind in ("proxy", "subproxy"):
        items = list(value) if isinstance(value, (list, tuple)) else [] if value is None else [value]
        for item in items:
            if isinstance(item, Proxy):
                connection.check_owns(item, prop.name)
            elif prop.kind == "proxy":
                raise PropertyError(f"{prop.name} must be {prop.domain_text()}, not {item!r}.", property=prop.name)
        value = [item.GlobalID if isinstance(item, Proxy) else item for item in items]
    return coerce(prop, value)


__all__ = ["Proxy", "ProxyNotFoundError", "proxy_class", "to_wire_value"]
