"""Client-side proxies: Python objects mirroring a proxy state held by the server.

Each proxy type gets its own class, generated from the definitions the server sent in its welcome (the
connection's catalogue), with one Python property per proxy property, so that ``help(proxy)`` lists them with
their defaults and domains; classes are built once per catalogue (by its digest), group and name. Reading a
property reads the mirrored state; setting one is checked against the spec here (pvcore.values.coerce), then
sent to the server, which validates it again, applies it on every rank and answers with the new state.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from pvclient.datainfo import ArraysInfo, DataInformationView
from pvclient.views import MIXINS
from pvcore.errors import PropertyError, ProtocolError, ProxyNotFoundError
from pvcore.messages import ProxyState
from pvcore.schema import Catalogue, Property, ProxySpec
from pvcore.values import coerce, describe

if TYPE_CHECKING:
    from pvclient.connection import Connection


class Proxy:
    """A proxy on a server; see ``help()`` of a concrete proxy for its properties."""

    _spec: ProxySpec

    def __init__(self, connection: Connection, global_id: int) -> None:
        object.__setattr__(self, "_connection", connection)
        object.__setattr__(self, "_global_id", global_id)

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
        return self._connection.state_of(self._global_id)

    def GetXMLName(self) -> str:
        return self._spec.name

    def GetXMLGroup(self) -> str:
        return self._spec.group

    def GetRegistrationName(self) -> str:
        return self.state.name

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Proxy) and other._connection is self._connection and other._global_id == self._global_id
        )

    def __hash__(self) -> int:
        return hash((id(self._connection), self._global_id))

    def __repr__(self) -> str:
        try:
            name = self.state.name
        except Exception:
            name = "(gone)"
        return f"<{self._spec.name} {name!r} id={self._global_id} on {self._connection.GetURI()}>"

    # ----------------------------------------------------------------------------------- properties

    def ListProperties(self) -> list[str]:
        """Names of this proxy's properties."""
        return [p.name for p in self._spec.properties]

    def GetProperty(self, name: str) -> Any:
        """The value of a property by name."""
        return self._get(self._spec.property(name))

    def GetPropertyValue(self, name: str) -> Any:
        return self.GetProperty(name)

    def SetPropertyWithName(self, name: str, value: Any) -> None:
        """Set a property by name."""
        self._connection.update(self, {name: value})

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_") or isinstance(getattr(type(self), name, None), property):
            object.__setattr__(self, name, value)
            return
        # Not a property of this type: the catalogue's error names the nearest valid ones.
        self._spec.property(name)

    def _get(self, prop: Property) -> Any:
        value = self.state.properties.get(prop.name, prop.default)
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

    @property
    def PointData(self) -> ArraysInfo:
        return self.GetDataInformation().PointData

    @property
    def CellData(self) -> ArraysInfo:
        return self.GetDataInformation().CellData

    @property
    def FieldData(self) -> ArraysInfo:
        return self.GetDataInformation().FieldData


def _make_property(prop: Property) -> property:
    def getter(self: Proxy) -> Any:
        return self._get(prop)

    def setter(self: Proxy, value: Any) -> None:
        self._connection.update(self, {prop.name: value})

    doc = f"{prop.doc or prop.name} Allowed: {prop.domain_text()}."
    return property(getter, setter, doc=doc)


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


def to_wire_value(connection: Connection, prop: Property, value: Any) -> tuple:
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
