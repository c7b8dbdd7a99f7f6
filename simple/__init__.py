"""paraview.simple-style scripting: ``from simple import *``.

Sources and filters are functions named after the proxy (``Sphere()``, ``Contour()``...). Each looks its type up,
when called, in the definitions the active connection's server sent: at import the names are those the built-in
session offers; connecting adds the server's own (a plugin's), and a type the server lacks is a clear
UnknownProxyTypeError. With no server connected, the first call opens the built-in session, as ParaView does.
All module state lives in one object, :data:`state`; nothing here rewrites ``globals()``.
"""

from __future__ import annotations

import builtins
import sys
from typing import Any

from pvclient import backcompat
from pvclient.connection import Connection
from pvclient.proxy import Proxy
from pvcore import definitions
from pvcore.errors import PropertyError, PVError
from pvcore.schema import PIPELINE_GROUPS, ProxySpec
from pvcore.values import describe
from simple.connections import *  # noqa: F403
from simple.connections import CONNECT_HOOKS, GetActiveSource, active_connection, state
from simple.connections import __all__ as _connection_names


def GetSources() -> dict[tuple[str, str], Proxy]:
    """All sources and filters of the active connection, keyed by (registration name, id)."""
    conn = active_connection()
    return {(p.GetRegistrationName(), str(p.GlobalID)): p for p in conn.proxies()}


def FindSource(name: str) -> Proxy | None:
    """The source or filter registered as ``name`` on the active connection, or None."""
    for proxy in active_connection().proxies():
        if proxy.GetRegistrationName() == name:
            return proxy
    return None


def RenameSource(newName: str, proxy: Proxy | None = None) -> None:
    """Change the registration name of ``proxy`` (default: the active source)."""
    proxy = proxy or _require_active("RenameSource")
    if not newName:
        raise PropertyError("A registration name cannot be empty.")
    proxy.connection.update(proxy, {}, name=newName)


def Delete(proxy: Any = None) -> None:
    """Delete a proxy (default: the active source), as ParaView's: it leaves GetSources() and the proxy manager,
    and its representations go. A filter that still uses it as input keeps it as its input until that filter is
    deleted (or takes another input): then it goes for good. A filter's helper (ClipType...) is refused. Objects
    that live in the client only (a PythonAnimationCue) are taken out of where they are used."""
    proxy = proxy or _require_active("Delete")
    if not isinstance(proxy, Proxy):
        remove = getattr(proxy, "remove_from_session", None)
        if remove is None:
            raise PVError(f"Delete takes a proxy; got {type(proxy).__name__}.")
        remove()
        return
    proxy.connection.delete(proxy)
    conn = proxy.connection
    if state.active_sources.get(conn.id) == proxy:
        state.active_sources[conn.id] = None


def UpdatePipeline(time: float | None = None, proxy: Proxy | None = None) -> None:
    """Execute the pipeline up to ``proxy`` (default: the active source) on every rank."""
    (proxy or _require_active("UpdatePipeline")).UpdatePipeline(time)


def _require_active(what: str) -> Proxy:
    source = GetActiveSource()
    if source is None:
        raise PVError(f"{what}: no proxy given and there is no active source.")
    return source


def _pipeline_spec(conn: Connection, name: str) -> ProxySpec:
    """The source or filter type ``name`` of ``conn``'s server, or UnknownProxyTypeError naming the server and the
    nearest types it has."""
    for group in PIPELINE_GROUPS:
        if conn.catalogue.has(group, name):
            return conn.catalogue.get(group, name)
    bundled = next((s.group for g in PIPELINE_GROUPS for s in _BUNDLED.specs(g) if s.name == name), "filters")
    return conn.spec(bundled, name)


def _creator(name: str, doc: str) -> Any:
    """The function ``simple.<name>()``: it creates that type as the active connection's server defines it."""

    def create(*inputs: Proxy, registrationName: str = "", **properties: Any) -> Proxy:
        conn = active_connection()
        # A script for an older ParaView gets what that version made (Gradient -> GradientLegacy for 5.9).
        offered = backcompat.legacy_type(name, lambda other: any(conn.catalogue.has(g, other) for g in PIPELINE_GROUPS))
        spec = _pipeline_spec(conn, offered)
        properties = {**backcompat.old_defaults(spec.name), **properties}
        registrationName = registrationName or properties.pop("guiName", "")  # noqa: N806 - ParaView's older spelling
        if spec.has_input:
            if inputs:
                properties.setdefault("Input", inputs[0])
            if properties.get("Input") is None:
                active = GetActiveSource()
                if active is None:
                    raise PropertyError(
                        f"{spec.name} needs an input: pass Input=<source> or create a source first.",
                        property="Input",
                    )
                properties["Input"] = active
        elif inputs:
            raise PropertyError(f"{spec.name} is a source and takes no input.", property="Input")
        proxy = conn.create(spec.group, spec.name, properties, registrationName)
        state.active_sources[conn.id] = proxy
        return proxy

    def property_names() -> list[str]:
        """The keyword arguments it takes: the type's properties on the active connection's server."""
        return [prop.name for prop in _pipeline_spec(active_connection(), name).properties]

    create.__name__ = create.__qualname__ = name
    create.__doc__ = doc
    create._pvcollab_creator = True  # type: ignore[attr-defined]
    create.property_names = property_names  # type: ignore[attr-defined] # pvpython's Tab completion
    return create


def _offer(conn: Connection) -> None:
    """Make ``simple.<Type>`` of every source and filter of ``conn``'s server (and put them in ``__all__``, for a
    later ``from simple import *``); the help of each says what that server defines."""
    for spec in (s for group in PIPELINE_GROUPS for s in conn.catalogue.specs(group)):
        if not spec.name[0].isupper() or hasattr(builtins, spec.name):
            continue  # a type name is PascalCase (ParaView's); nothing a server names may shadow a builtin
        existing = _module.__dict__.get(spec.name)
        if existing is None:
            setattr(_module, spec.name, _creator(spec.name, describe(spec)))
            __all__.append(spec.name)
        elif getattr(existing, "_pvcollab_creator", False):
            existing.__doc__ = describe(spec)


def __getattr__(name: str) -> Any:
    """A source or filter the active connection's server offers that ``simple`` has no function for yet."""
    conn = state.active_connection
    offered = conn is not None and not conn.closed and not name.startswith("_")
    if offered and any(conn.catalogue.has(group, name) for group in PIPELINE_GROUPS) and name[0].isupper():
        _offer(conn)
        if name in _module.__dict__:
            return _module.__dict__[name]
    raise AttributeError(f"module 'simple' has no attribute {name!r}")


#: What the built-in session offers: the names ``simple`` has before any connection (a server may offer more).
_BUNDLED = definitions.bundled()
_PIPELINE_FUNCTIONS = [spec.name for group in PIPELINE_GROUPS for spec in _BUNDLED.specs(group)]
_module = sys.modules[__name__]
for _spec in (s for group in PIPELINE_GROUPS for s in _BUNDLED.specs(group)):
    setattr(_module, _spec.name, _creator(_spec.name, describe(_spec)))
CONNECT_HOOKS.append(_offer)

# The submodules come after the creators, in __all__'s order; each lists its public names in its own __all__.
from simple import (  # noqa: E402
    animation,
    animation_save,
    charts,
    collaboration,
    colormaps,
    data,
    functions_more,
    history,
    layouts,
    properties,
    rendering,
    selection,
    servermanager,
    settings,
    spreadsheet_view,  # noqa: F401 - imported to register the SpreadSheetView's client-side object
    writers,
)

_SUBMODULES = (
    rendering,
    layouts,
    colormaps,
    properties,
    collaboration,
    history,
    data,
    animation,
    animation_save,
    selection,
    charts,
    functions_more,
    settings,
    writers,
)
for _submodule in _SUBMODULES:
    for _name in _submodule.__all__:
        setattr(_module, _name, getattr(_submodule, _name))

__all__ = [
    *_connection_names,
    "Delete",
    "FindSource",
    "GetSources",
    "RenameSource",
    "UpdatePipeline",
    "servermanager",
    *_PIPELINE_FUNCTIONS,
    *(name for submodule in _SUBMODULES for name in submodule.__all__),
]
__all__ = list(dict.fromkeys(__all__))  # each name once: a filter (ExtractSelection) is also a selection function
