"""``servermanager.ProxyManager()`` and ``ResetSession()``: ParaView's proxy registry, on this project's.

Here every proxy lives on the server with one group and one registration name (the pipeline browser's name), so
ParaView's registration maps onto that: the registration group ``"sources"`` holds the sources and filters (as
ParaView's pipeline browser group does), any other group the proxies of that group ("views", "representations",
"lookup_tables"...). ``RegisterProxy`` gives a proxy its name; a second name, or another group, is refused.
"""

from __future__ import annotations

from typing import Any

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
    """The proxies registered on a connection (default: the active one), by group and name."""

    def __init__(self, session: Connection | None = None) -> None:
        self.connection = session if isinstance(session, Connection) else active_connection()

    def _entries(self, group: str | None = None) -> list[tuple[str, str, Proxy]]:
        found = []
        for proxy in self.connection.proxies(tuple(self.connection.catalogue.groups())):
            if proxy.state.parent_id:
                continue  # a filter's helper is part of it, not registered on its own
            where = registration_group(proxy)
            if group is None or group == where:
                found.append((where, proxy.GetRegistrationName(), proxy))
        return found

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
        """The registration name of a proxy ("" when it is not in ``group``)."""
        proxy = _getPyProxy(proxy)
        return proxy.GetRegistrationName() if proxy is not None and registration_group(proxy) == group else ""

    def __iter__(self) -> ProxyIterator:
        return ProxyIterator(self._entries())

    def NewGroupIterator(self, group_name: str) -> ProxyIterator:
        return ProxyIterator(self._entries(group_name))

    def RegisterProxy(self, group: str, name: str, aProxy: Any) -> None:
        """Give ``aProxy`` the registration name ``name`` (in the group it belongs to)."""
        proxy = _getPyProxy(aProxy)
        if proxy is None:
            raise PVError("RegisterProxy needs a proxy.")
        if proxy.is_detached:
            raise PVError(f"{proxy!r} is not created yet: set its Input (or FileName), then register it.")
        if group != registration_group(proxy):
            raise NotSupportedException(
                f"A {proxy.GetXMLName()} is registered in the group {registration_group(proxy)!r} only; here a "
                f"proxy has one group and one name (RegisterProxy({registration_group(proxy)!r}, name, proxy) "
                "renames it)."
            )
        if name and name != proxy.GetRegistrationName():
            proxy.connection.update(proxy, {}, name=name)

    def UnRegisterProxy(self, groupname: str, proxyname: str, aProxy: Any = None) -> None:
        """Delete the proxy registered as ``proxyname`` (ParaView drops its registration; here that is the proxy)."""
        proxy = _getPyProxy(aProxy) or self.GetProxy(groupname, proxyname)
        if proxy is not None and proxy.GetRegistrationName() == proxyname:
            proxy.connection.delete(proxy)

    def UnRegisterProxies(self) -> None:
        """Delete every proxy of the connection."""
        delete_all(self.connection)

    def NewProxy(self, group: str, name: str) -> Proxy:
        """A new proxy of a type (a filter without an input is made on the client, until its Input is set)."""
        cls = self.connection.proxy_class(group, name)
        if Proxy.missing(self.connection.spec(group, name), {}):
            return cls.detached(self.connection)
        return self.connection.create(group, name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupportedException(
            f"vtkSMSessionProxyManager.{name}() is not offered here. The proxy manager gives GetProxy, GetProxies, "
            "GetProxiesInGroup, GetNumberOfProxies, RegisterProxy, UnRegisterProxy, NewProxy and iteration."
        )


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
    return conn


__all__ = ["ProxyIterator", "ProxyManager", "ResetSession", "_getPyProxy", "delete_all"]
