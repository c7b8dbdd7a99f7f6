"""``servermanager.ProxyManager()`` and ``ResetSession()``: ParaView's proxy registry, on this project's.

Every proxy lives on the server with one group and one registration name (the pipeline browser's name, the one
every collaborator sees). ParaView's registration maps onto that: the registration group ``"sources"`` holds the
sources and filters (as ParaView's pipeline browser group does), any other group the proxies of that group
("views", "representations", "lookup_tables"...). A proxy made unregistered (``servermanager.sources.Sphere()``,
``ProxyManager().NewProxy``, as in ParaView) is left out of the registry until ``RegisterProxy`` names it in its
own group, which gives it that server name. Further registrations (a second name, another group:
``RegisterProxy("filters", "s1", sphere)``) are this client's own aliases, kept per connection
(:class:`Registrations`): the proxy manager lists them as ParaView's does, the server and the other clients do not
see them. The iteration goes by group, then name, as ParaView's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pvclient import pvsm_names
from pvclient.connection import Connection
from pvclient.properties import NotSupportedException
from pvclient.proxy import Proxy
from pvclient.smproxy import SMProxy
from pvcore.errors import DependencyError, PVError
from pvcore.schema import PIPELINE_GROUPS
from simple.connections import active_connection, state

#: The registration group of ParaView's pipeline browser: the sources and filters.
PIPELINE_REGISTRATION = "sources"


def _getPyProxy(smproxy: Any, outputPort: int = 0) -> Proxy | None:
    """The Python proxy of a proxy or of its ``SMProxy`` (None stays None)."""
    if isinstance(smproxy, SMProxy):
        return smproxy.PythonProxy
    if smproxy is None or isinstance(smproxy, Proxy):
        return smproxy
    raise PVError(f"{smproxy!r} is not a proxy of this project.")


def registration_group(proxy: Proxy) -> str:
    """The group ParaView registers ``proxy`` in: "sources" for sources and filters, else its own group."""
    return PIPELINE_REGISTRATION if proxy.GetXMLGroup() in PIPELINE_GROUPS else proxy.GetXMLGroup()


@dataclass
class Registrations:
    """This client's part of one connection's registry: the proxies made unregistered (their server names are
    not ParaView registrations yet) and the extra (group, name, global id) registrations, oldest first."""

    unregistered: set[int] = field(default_factory=set)
    aliases: list[tuple[str, str, int]] = field(default_factory=list)


def registrations(conn: Connection) -> Registrations:
    """The client-side registrations of ``conn`` (made when first asked for; dropped when it closes)."""
    return state.registrations.setdefault(conn.id, Registrations())


def mark_unregistered(proxy: Proxy) -> Proxy:
    """Leave ``proxy`` out of the registry, as ParaView's unregistered proxies, until RegisterProxy names it."""
    if not proxy.is_detached:
        registrations(proxy.connection).unregistered.add(proxy.GlobalID)
    return proxy


class ProxyIterator:
    """Iterates over registered proxies; ``GetGroup()``, ``GetKey()``, ``GetProxy()`` describe the last one."""

    def __init__(self, entries: list[tuple[str, str, Proxy]]) -> None:
        self._entries = iter(entries)
        self._current: tuple[str, str, Proxy] | None = None

    def __iter__(self) -> ProxyIterator:
        return self

    def __next__(self) -> Proxy:
        self._current = next(self._entries)
        return self._current[2]

    def GetGroup(self) -> str | None:
        return self._current[0] if self._current else None

    def GetKey(self) -> str | None:
        return self._current[1] if self._current else None

    def GetProxy(self) -> Proxy | None:
        return self._current[2] if self._current else None


class ProxyManager:
    """The proxies registered on a connection (default: the active one; its ``Session`` is accepted too), by group
    and name."""

    def __init__(self, session: Any = None) -> None:
        session = getattr(session, "connection", session)  # a Session (simple.servermanager_session) names its own
        self.connection = session if isinstance(session, Connection) else active_connection()

    def _entries(self, group: str | None = None) -> list[tuple[str, str, Proxy]]:
        """(group, name, proxy) of every registration, sorted by group and name (then in registration order)."""
        conn, own = self.connection, registrations(self.connection)
        found = []
        for proxy in conn.proxies(tuple(conn.catalogue.groups())):
            if proxy.state.parent_id or proxy.GlobalID in own.unregistered:
                continue  # a filter's helper is part of it, not registered on its own
            found.append((registration_group(proxy), proxy.GetRegistrationName(), proxy))
        own.aliases[:] = [a for a in own.aliases if a[2] in conn.states]  # deleted proxies lose their aliases
        found += [(where, name, conn.proxy(gid)) for where, name, gid in own.aliases]
        found.sort(key=lambda entry: (entry[0], entry[1]))
        return [entry for entry in found if group is None or entry[0] == group]

    def GetProxy(self, group: str, name: str) -> Proxy | None:
        """The proxy registered as ``name`` in ``group``, or None."""
        return next((p for _, key, p in self._entries(group) if key == name), None)

    def GetProxies(self, groupname: str, proxyname: str) -> list[Proxy]:
        """Every proxy registered as ``proxyname`` in ``groupname``."""
        return [p for _, key, p in self._entries(groupname) if key == proxyname]

    def GetProxiesInGroup(self, groupname: str) -> dict[tuple[str, str], Proxy]:
        """The proxies of a group by (registration name, global id as a string)."""
        return {(key, p.GetGlobalIDAsString()): p for _, key, p in self._entries(groupname)}

    def GetNumberOfProxies(self, group: str) -> int:
        return len(self._entries(group))

    def GetProxyName(self, group: str, proxy: Any) -> str:
        """The (first) name ``proxy`` is registered as in ``group`` ("" when it is not registered there)."""
        proxy = _getPyProxy(proxy)
        return next((key for _, key, p in self._entries(group) if p == proxy), "") if proxy is not None else ""

    def __iter__(self) -> ProxyIterator:
        return ProxyIterator(self._entries())

    def NewGroupIterator(self, group_name: str) -> ProxyIterator:
        return ProxyIterator(self._entries(group_name))

    def RegisterProxy(self, group: str, name: str, aProxy: Any) -> None:
        """Register ``aProxy`` as ``name`` in ``group``.

        A proxy made unregistered takes ``name`` as its server name when ``group`` is its own ("sources" for
        sources and filters); any further registration is an alias of this client (see the module's help)."""
        proxy = _getPyProxy(aProxy)
        if proxy is None:
            raise PVError("RegisterProxy needs a proxy.")
        if proxy.is_detached:
            raise PVError(f"{proxy!r} is not created yet: set its Input (or FileName), then register it.")
        if not name:
            raise PVError("RegisterProxy needs a registration name.")
        own = registrations(proxy.connection)
        if proxy.GlobalID in own.unregistered and group == registration_group(proxy):
            own.unregistered.discard(proxy.GlobalID)
            proxy.connection.update(proxy, {}, name=name)
        elif (group, name, proxy) not in self._entries(group):
            own.aliases.append((group, name, proxy.GlobalID))

    def UnRegisterProxy(self, groupname: str, proxyname: str, aProxy: Any = None) -> None:
        """Drop the registration ``proxyname`` in ``groupname`` (of ``aProxy``, default: the first proxy so named).

        Its server name given up, the proxy takes its newest alias in that group as server name; with no
        registration left, it is deleted (ParaView deletes a proxy nothing refers to)."""
        proxy = _getPyProxy(aProxy) or self.GetProxy(groupname, proxyname)
        if proxy is None or proxy.is_detached:
            return
        own = registrations(proxy.connection)
        alias = (groupname, proxyname, proxy.GlobalID)
        if alias in own.aliases:  # a proxy made unregistered lives on (its Python object holds it, in ParaView)
            own.aliases.remove(alias)
            return
        if proxy.GlobalID in own.unregistered or groupname != registration_group(proxy):
            return
        if proxy.GetRegistrationName() != proxyname:
            return
        same_group = [a for a in own.aliases if a[2] == proxy.GlobalID and a[0] == groupname]
        if same_group:
            own.aliases.remove(same_group[-1])
            proxy.connection.update(proxy, {}, name=same_group[-1][1])
        elif any(a[2] == proxy.GlobalID for a in own.aliases):
            own.unregistered.add(proxy.GlobalID)
        else:
            proxy.connection.delete(proxy)

    def UnRegisterProxies(self) -> None:
        """Delete every proxy of the connection."""
        delete_all(self.connection)

    def NewProxy(self, group: str, name: str) -> Proxy:
        """A new proxy of a type, unregistered as in ParaView (RegisterProxy names it); ParaView's XML names
        (``"SphereSource"``) are accepted. A filter without an input is made on the client, until its Input is
        set."""
        group, name = server_type(self.connection, group, name)
        cls = self.connection.proxy_class(group, name)
        if Proxy.missing(self.connection.spec(group, name), {}):
            return cls.detached(self.connection)
        return mark_unregistered(self.connection.create(group, name))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupportedException(
            f"vtkSMSessionProxyManager.{name}() is not offered here. The proxy manager gives GetProxy, GetProxies, "
            "GetProxiesInGroup, GetNumberOfProxies, GetProxyName, RegisterProxy, UnRegisterProxy, NewProxy and "
            "iteration."
        )


def server_type(conn: Connection, group: str, name: str) -> tuple[str, str]:
    """This server's (group, type) for a type named as here or by ParaView's XML name ("SphereSource")."""
    if conn.catalogue.has(group, name):
        return group, name
    row = pvsm_names.row_for(group, name)
    return (row.group, row.name) if row is not None and conn.catalogue.has(row.group, row.name) else (group, name)


def delete_all(conn: Connection) -> None:
    """Delete every proxy of ``conn``, consumers before what they consume (helpers go with their owners)."""
    while True:
        left = [p for p in conn.proxies(tuple(conn.catalogue.groups())) if not p.state.parent_id]
        if not left:
            return
        deleted = False
        for proxy in reversed(left):
            if proxy.GlobalID not in conn.states:
                continue  # gone with something deleted before it
            try:
                conn.delete(proxy)
                deleted = True
            except DependencyError:
                continue
        if not deleted:
            raise PVError(f"ResetSession could not delete {', '.join(p.GetRegistrationName() for p in left)}.")


def ResetSession() -> Connection:
    """Delete every proxy of the active connection and keep the connection (returned)."""
    conn = active_connection()
    delete_all(conn)
    state.active_sources[conn.id] = None
    state.active_views[conn.id] = None
    state.registrations.pop(conn.id, None)
    return conn


__all__ = [
    "ProxyIterator",
    "ProxyManager",
    "Registrations",
    "ResetSession",
    "_getPyProxy",
    "delete_all",
    "mark_unregistered",
    "registrations",
    "server_type",
]
