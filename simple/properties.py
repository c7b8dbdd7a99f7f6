"""Property-level functions of paraview.simple: ``GetProperty``, ``SetProperties``, ``ResetProperty``,
``ResetSession``, and the display and view variants (``GetDisplayProperty``, ``GetViewProperty``,
``SetDisplayProperties``, ``SetViewProperties``)."""

from __future__ import annotations

from typing import Any

from pvclient.properties import Property
from pvclient.proxy import Proxy
from pvcore.errors import PVError
from simple.connections import GetActiveSource
from simple.rendering import GetActiveView, GetDisplayProperties
from simple.servermanager_registry import ResetSession


def _proxy_and_name(arguments: tuple, keywords: dict[str, Any], default: Proxy | None) -> tuple[Proxy, str]:
    """ParaView's argument forms: (name), (proxy, name), name=..., proxy=..."""
    proxy, name = keywords.get("proxy"), keywords.get("name")
    if len(arguments) == 1:
        name = arguments[0]
    elif len(arguments) == 2:
        proxy, name = arguments
    elif arguments:
        raise PVError("GetProperty takes (name) or (proxy, name).")
    proxy = proxy or default
    if proxy is None or not name:
        raise PVError("GetProperty needs a property name and a proxy (or an active one).")
    return proxy, name


def GetProperty(*arguments: Any, **keywords: Any) -> Property | None:
    """A property object: ``GetProperty("Radius")`` (of the active source), ``GetProperty(proxy, "Radius")``,
    or with ``proxy=`` and ``name=``; None when the proxy has no such property."""
    proxy, name = _proxy_and_name(arguments, keywords, GetActiveSource())
    return proxy.GetProperty(name)


def GetDisplayProperty(*arguments: Any, **keywords: Any) -> Property | None:
    """As GetProperty, of the active source's representation in the active view by default."""
    proxy, name = _proxy_and_name(arguments, keywords, GetDisplayProperties())
    return proxy.GetProperty(name)


def GetViewProperty(*arguments: Any, **keywords: Any) -> Property | None:
    """As GetProperty, of the active view by default."""
    proxy, name = _proxy_and_name(arguments, keywords, GetActiveView())
    return proxy.GetProperty(name)


def SetProperties(proxy: Proxy | None = None, **params: Any) -> None:
    """Set several properties of ``proxy`` (default: the active source) in one change."""
    proxy = proxy or GetActiveSource()
    if proxy is None:
        raise PVError("SetProperties: no proxy given and there is no active source.")
    proxy._set(params)


def SetDisplayProperties(proxy: Proxy | None = None, view: Proxy | None = None, **params: Any) -> None:
    """Set properties of a source's representation in a view (defaults: the active ones)."""
    representation = GetDisplayProperties(proxy, view)
    if representation is None:
        raise PVError("SetDisplayProperties: the source is not shown in that view.")
    SetProperties(representation, **params)


def SetViewProperties(view: Proxy | None = None, **params: Any) -> None:
    """Set properties of a view (default: the active one)."""
    SetProperties(view or GetActiveView(), **params)


def ResetProperty(propertyName: str, proxy: Proxy | None = None, restoreFromSettings: bool = True) -> None:
    """Put a property back to ParaView's default (its domain's, computed from the input's data, else the
    definition's) and send it. ``restoreFromSettings`` is accepted: there are no user settings here."""
    proxy = proxy or GetActiveSource()
    if proxy is None:
        raise PVError("ResetProperty: no proxy given and there is no active source.")
    prop = proxy.GetProperty(propertyName)
    if prop is not None:
        prop.ResetToDefault()
        proxy.UpdateVTKObjects()


__all__ = [
    "GetDisplayProperty",
    "GetProperty",
    "GetViewProperty",
    "ResetProperty",
    "ResetSession",
    "SetDisplayProperties",
    "SetProperties",
    "SetViewProperties",
]
