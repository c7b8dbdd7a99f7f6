"""ParaView's ``servermanager`` names that scripts use, on this project's connections and proxies.

``Connect()``, ``ActiveConnection``, ``Connections``, ``ProxyManager()``, ``Fetch(input, arg1, arg2, idx)``, the
proxy namespaces ``sources``, ``filters``, ``rendering``, ``misc``... (``servermanager.filters.MinMax()`` makes a
proxy of that type; a filter made without an input exists on the client until its Input is set, as a helper for
``Fetch``), ``CreateProxy``, ``CreateRenderView``, ``CreateRepresentation``, ``GetRenderView(s)``,
``OutputPort``, ``_getPyProxy``, ``ResetSession``, ``vtk`` (VTK's common classes), and the property classes.
ParaView's session classes (``vtkProcessModule``, ``vtkSMProxyManager``, ``vtkSMSession``, a connection's
``Session`` and ``ProxiesNS``) are in simple.servermanager_session, ``vtkSMSettings`` in
simple.servermanager_settings; ParaView's other C++ classes are names that say, when used, what this project offers
instead.
"""

from __future__ import annotations

import importlib
from typing import Any

from pvclient.connection import Connection
from pvclient.properties import (
    ArraySelectionProperty,
    EnumerationProperty,
    InputProperty,
    NotSupportedException,
    Property,
    ProxyProperty,
    VectorProperty,
)
from pvclient.proxy import Proxy
from pvcore.errors import PVError
from pvcore.schema import Catalogue
from simple.connections import CONNECT_HOOKS, active_connection, state
from simple.connections import Connect as _SimpleConnect
from simple.connections import Disconnect as _SimpleDisconnect
from simple.connections import SetActiveConnection as _SimpleSetActiveConnection
from simple.data import Fetch
from simple.rendering import Show
from simple.servermanager_registry import ProxyIterator, ProxyManager, ResetSession, _getPyProxy, mark_unregistered
from simple.servermanager_session import (
    Session,
    SessionProxyManager,
    session_of,
    vtkProcessModule,
    vtkSMProxyManager,
    vtkSMSession,
)
from simple.servermanager_settings import vtkSMSettings
from simple.settings import vtkPVGeneralSettings

#: ParaView's association names and numbers (vtkDataObject's).
ASSOCIATIONS = {"POINTS": 0, "CELLS": 1, "FIELD": 2, "VERTICES": 4, "EDGES": 5, "ROWS": 6}
_LEGACY_ASSOCIATIONS = {"POINT_DATA": 0, "CELL_DATA": 1}


def Connect(
    ds_host: str | None = None,
    ds_port: int = 11111,
    rs_host: str | None = None,
    rs_port: int = 22221,
    timeout: float = 60,
) -> Connection:
    """A new connection, made active: the built-in session without a host, else the pvserver at host:port."""
    return _SimpleConnect(ds_host, ds_port, rs_host, rs_port, timeout)


def Disconnect(connection: Connection | None = None) -> None:
    """Close a connection (default: the active one)."""
    _SimpleDisconnect(connection)


def SetActiveConnection(connection: Connection | None = None) -> Connection | None:
    """Make ``connection`` the active one; returns it."""
    _SimpleSetActiveConnection(connection)
    return connection


def GetConnectionFromId(id: int) -> Connection | None:
    """The open connection with this id, or None."""
    return next((c for c in state.connections if c.id == id), None)


def GetAssociationAsString(val: int) -> str:
    """0 -> "POINTS", 1 -> "CELLS"..."""
    for name, number in ASSOCIATIONS.items():
        if number == val:
            return name
    raise ValueError(f"invalid association type {val!r}; associations are {ASSOCIATIONS}.")


def GetAssociationFromString(val: str) -> int:
    """ "POINTS" (or "POINT_DATA") -> 0, "CELLS" -> 1..."""
    key = str(val).upper()
    if key in ASSOCIATIONS:
        return ASSOCIATIONS[key]
    if key in _LEGACY_ASSOCIATIONS:
        return _LEGACY_ASSOCIATIONS[key]
    raise ValueError(f"invalid association string {val!r}; associations are {', '.join(ASSOCIATIONS)}.")


def OutputPort(proxy: Proxy, outputPort: int = 0) -> Proxy | None:
    """Output port ``outputPort`` of ``proxy``: the proxy itself for port 0 (the port an input takes)."""
    if proxy is None:
        return None
    if outputPort != 0:
        raise NotSupportedException(f"OutputPort({proxy.type_name}, {outputPort}): inputs take output port 0.")
    return proxy


# ----------------------------------------------------------------------------------------------- namespaces


class ProxyType:
    """``servermanager.sources.Sphere``: calling it makes a proxy of that type with the properties given."""

    def __init__(self, group: str, name: str, doc: str, connection: Connection | None = None) -> None:
        self.group, self.name, self.__doc__, self.connection = group, name, doc, connection

    def __call__(self, registrationName: str = "", **properties: Any) -> Proxy:
        """A new proxy; unregistered (see ProxyManager) unless ``registrationName`` is given, as in ParaView."""
        for ignored in ("registrationGroup", "no_update", "port"):
            properties.pop(ignored, None)
        conn = self.connection or active_connection()
        spec = conn.spec(self.group, self.name)
        if Proxy.missing(spec, properties):
            proxy = conn.proxy_class(self.group, self.name).detached(conn)
            proxy._set(properties)
            return proxy
        made = conn.create(self.group, self.name, properties, registrationName)
        return made if registrationName else mark_unregistered(made)

    def __repr__(self) -> str:
        return f"<proxy type {self.group}/{self.name}>"


class ProxyNamespace:
    """The proxy types of some groups of the active connection's server, by name (``dir()`` lists them).

    A name ending in "Source" whose stem is a type here is accepted too (ParaView's XML names, which scripts set to
    ParaView 3.4 compatibility use: SphereSource, ConeSource)."""

    def __init__(self, *groups: str, connection: Connection | None = None) -> None:
        self._groups, self._connection = groups, connection

    def _catalogue(self) -> Catalogue:
        conn = self._connection or state.active_connection
        return conn.catalogue if conn is not None and not conn.closed else active_connection().catalogue

    def _find(self, name: str) -> ProxyType | None:
        catalogue = self._catalogue()
        for candidate in (name, name[: -len("Source")] if name.endswith("Source") else None):
            for group in self._groups:
                if candidate and catalogue.has(group, candidate):
                    spec = catalogue.get(group, candidate)
                    return ProxyType(group, spec.name, spec.doc, self._connection)
        return None

    def __getattr__(self, name: str) -> ProxyType:
        found = None if name.startswith("_") else self._find(name)
        if found is None:
            raise AttributeError(f"No Proxy type named {name!r} found (in {', '.join(self._groups)}).")
        return found

    def __dir__(self) -> list[str]:
        catalogue = self._catalogue()
        return sorted({s.name for g in self._groups if g in catalogue.groups() for s in catalogue.specs(g)})


sources = ProxyNamespace("sources")
filters = ProxyNamespace("filters")
writers = ProxyNamespace("writers")
rendering = ProxyNamespace("views", "representations", "lookup_tables", "annotations", "textures")
animation = ProxyNamespace("animation", "animation_keyframes")
implicit_functions = ProxyNamespace("implicit_functions")
piecewise_functions = ProxyNamespace("piecewise_functions")
extended_sources = ProxyNamespace("extended_sources", "glyph_sources")
misc = ProxyNamespace("misc", "transforms", "glyph_sources", "implicit_functions")
#: The namespaces above, by name: what a connection's ``ProxiesNS`` holds.
NAMESPACES = {
    "sources": sources._groups,
    "filters": filters._groups,
    "writers": writers._groups,
    "rendering": rendering._groups,
    "animation": animation._groups,
    "implicit_functions": implicit_functions._groups,
    "piecewise_functions": piecewise_functions._groups,
    "extended_sources": extended_sources._groups,
    "misc": misc._groups,
}


class ConnectionProxyNamespaces:
    """``connection.ProxiesNS``: the proxy namespaces of one connection (``ProxiesNS.sources.Sphere()``),
    ``getClass(proxy)`` (the Python class of a proxy, the same for every proxy of its type) and
    ``getNamespaces()``."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._namespaces = {name: ProxyNamespace(*groups, connection=connection) for name, groups in NAMESPACES.items()}

    def __getattr__(self, name: str) -> ProxyNamespace:
        namespaces = self.__dict__.get("_namespaces", {})
        if name not in namespaces:
            raise AttributeError(f"ProxiesNS has no namespace {name!r}; its namespaces are {', '.join(NAMESPACES)}.")
        return namespaces[name]

    def __dir__(self) -> list[str]:
        return [*NAMESPACES, "getClass", "getNamespaces"]

    def getNamespaces(self) -> dict[str, ProxyNamespace]:
        return dict(self._namespaces)

    def getClass(self, proxy: Any) -> type[Proxy] | None:
        """The Python class of ``proxy`` (a Python proxy or a C++-level one), None for None."""
        found = _getPyProxy(proxy)
        return type(found) if found is not None else None


def _give_paraview_names(conn: Connection) -> None:
    """A connection's ParaView attributes: ``Session`` and ``ProxiesNS``."""
    session_of(conn)
    conn.ProxiesNS = ConnectionProxyNamespaces(conn)


CONNECT_HOOKS.append(_give_paraview_names)


def CreateProxy(xml_group: str, xml_name: str, session: Connection | None = None) -> Proxy:
    """A new proxy of a type (see ``ProxyManager().NewProxy``)."""
    return ProxyManager(session).NewProxy(xml_group, xml_name)


def CreateRenderView(session: Connection | None = None, **extraArgs: Any) -> Proxy:
    """A new render view on the active connection (not made the active view, as in ParaView)."""
    conn = session if isinstance(session, Connection) else active_connection()
    for ignored in ("registrationGroup", "registrationName"):
        extraArgs.pop(ignored, None)
    return conn.create("views", "RenderView", extraArgs)


def GetRenderViews(connection: Connection | None = None) -> list[Proxy]:
    """Every render view of a connection (default: the active one)."""
    return (connection or active_connection()).proxies(("views",))


def GetRenderView(connection: Connection | None = None) -> Proxy | None:
    """The first render view, or None."""
    views = GetRenderViews(connection)
    return views[0] if views else None


def CreateRepresentation(aProxy: Proxy, view: Proxy, **extraArgs: Any) -> Proxy:
    """Show ``aProxy`` in ``view``; returns its representation."""
    if aProxy is None or view is None:
        raise PVError("CreateRepresentation needs a proxy and a view.")
    return Show(aProxy, view, **extraArgs)


# ----------------------------------------------------------------------------------------------- what is not here

#: ParaView's C++ classes that scripts reach for, and what to use here instead.
UNSUPPORTED = {
    "vtkSMSessionClient": "simple.Connect('cs://host:port')",
    "vtkRemotingCoreConfiguration": "the pvpython/pvbatch command line and paraview.options",
    "vtkSMProxy": "the Python proxies (servermanager.sources.Sphere(), proxy.SMProxy)",
    "vtkSMProperty": "proxy.GetProperty(name)",
    "vtkSMPropertyHelper": "proxy.GetProperty(name) (GetData, SetData, GetElement, SetElement)",
    "vtkSMStateLoader": "simple.LoadState(filename)",
    "vtkPVXMLParser": "simple.LoadState(filename)",
    "vtkSMTesting": "paraview.smtesting.DoRegressionTesting(view)",
    "vtkInitializationHelper": "nothing to initialise: import simple (or paraview.simple)",
    "vtkSMParaViewPipelineController": "simple's functions (Show, Delete, the filter functions)",
    "ParaViewPipelineController": "simple's functions (Show, Delete, the filter functions)",
}


class Unsupported:
    """A ParaView C++ class that is not here: any use says what to use instead."""

    def __init__(self, name: str, instead: str) -> None:
        self._name, self._instead = name, instead

    def _refuse(self) -> NotSupportedException:
        return NotSupportedException(f"{self._name} is ParaView's C++ class, not offered here; use {self._instead}.")

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        raise self._refuse()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self._refuse()

    def __repr__(self) -> str:
        return f"<{self._name}: not offered here; use {self._instead}>"


def __getattr__(name: str) -> Any:
    if name == "ActiveConnection":
        conn = state.active_connection
        if conn is not None and not hasattr(conn, "ProxiesNS"):
            _give_paraview_names(conn)  # a connection made before this module was imported
        return conn
    if name == "Connections":
        return list(state.connections)
    if name == "vtk":  # loads VTK: only scripts that ask for it pay for it
        return importlib.import_module("simple.servermanager_vtk")
    if name in UNSUPPORTED:
        return Unsupported(name, UNSUPPORTED[name])
    raise AttributeError(f"module 'simple.servermanager' has no attribute {name!r}")


__all__ = [
    "ASSOCIATIONS",
    "ArraySelectionProperty",
    "Connect",
    "CreateProxy",
    "CreateRenderView",
    "CreateRepresentation",
    "Disconnect",
    "EnumerationProperty",
    "Fetch",
    "GetAssociationAsString",
    "GetAssociationFromString",
    "GetConnectionFromId",
    "GetRenderView",
    "GetRenderViews",
    "InputProperty",
    "NotSupportedException",
    "OutputPort",
    "Property",
    "Proxy",
    "ProxyIterator",
    "ProxyManager",
    "ProxyNamespace",
    "ProxyProperty",
    "ProxyType",
    "ResetSession",
    "Session",
    "SessionProxyManager",
    "SetActiveConnection",
    "VectorProperty",
    "_getPyProxy",
    "animation",
    "extended_sources",
    "filters",
    "implicit_functions",
    "misc",
    "piecewise_functions",
    "rendering",
    "sources",
    "vtkPVGeneralSettings",
    "vtkProcessModule",
    "vtkSMProxyManager",
    "vtkSMSession",
    "vtkSMSettings",
    "writers",
]
