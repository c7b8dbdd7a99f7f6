"""``proxy.SMProxy``: what stands in for ParaView's C++ proxy (vtkSMProxy) behind a Python proxy.

ParaView scripts reach the C++ proxy for a few calls (``GetProperty(name).ResetToDefault()``,
``GetGlobalIDAsString()``, ``UpdateVTKObjects()``, a view's ``StillRender()``); those are here, on the same
property objects as ``proxy.GetProperty``. Any other vtkSMProxy call is a clear NotSupportedException.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pvclient.properties import NotSupportedException, Property

if TYPE_CHECKING:
    from pvclient.proxy import Proxy


class SMProxy:
    """The C++-level calls of one proxy (``proxy.SMProxy``)."""

    def __init__(self, proxy: Proxy) -> None:
        object.__setattr__(self, "_proxy", proxy)

    @property
    def PythonProxy(self) -> Proxy:
        """The Python proxy this stands for."""
        return self._proxy

    def GetXMLName(self) -> str:
        return self._proxy.GetXMLName()

    def GetXMLLabel(self) -> str:
        return self._proxy.GetXMLLabel()

    def GetXMLGroup(self) -> str:
        return self._proxy.GetXMLGroup()

    def GetGlobalID(self) -> int:
        return self._proxy.GlobalID

    def GetGlobalIDAsString(self) -> str:
        return self._proxy.GetGlobalIDAsString()

    def GetSession(self) -> Any:
        """The session of the proxy's connection (ParaView's vtkSMSession), which ``simple`` gives every
        connection as ``connection.Session`` (simple.servermanager_session)."""
        return self._proxy.connection.Session

    def GetAddressAsString(self, _class_name: str = "") -> str:
        """An identity string: equal for the same proxy of the same connection."""
        return f"{self._proxy.connection.id}:{self._proxy.GlobalID}"

    def GetProperty(self, name: str) -> Property | None:
        return self._proxy.GetProperty(name)

    def GetPropertyName(self, prop: Property) -> str:
        return prop.Name

    def UpdateProperty(self, name: str, force: bool = False) -> None:
        self._proxy.UpdateProperty(name, force)

    def UpdateVTKObjects(self) -> None:
        self._proxy.UpdateVTKObjects()

    def UpdatePipeline(self, time: float | None = None) -> None:
        self._proxy.UpdatePipeline(time)

    def StillRender(self) -> None:
        """Render a view (its image is made on the server)."""
        render = getattr(self._proxy, "Render", None)
        if render is None:
            raise NotSupportedException(f"{self._proxy.type_name} is not a view; only views render.")
        render()

    def IsA(self, class_name: str) -> bool:
        """The few ParaView class names scripts test for."""
        group = self._proxy.GetXMLGroup()
        names = {"vtkSMProxy", "vtkObject", "vtkObjectBase"}
        if group in ("sources", "filters"):
            names |= {"vtkSMSourceProxy"}
        elif group == "views":
            names |= {"vtkSMViewProxy", "vtkSMRenderViewProxy"}
        elif group == "representations":
            names |= {"vtkSMRepresentationProxy"}
        return class_name in names

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SMProxy) and other._proxy == self._proxy

    def __hash__(self) -> int:
        return hash(self._proxy)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupportedException(
            f"vtkSMProxy.{name}() is not offered here: this project's client holds no C++ proxies. Use the Python "
            f"proxy: its properties are attributes (proxy.Radius), proxy.GetProperty(name) gives a property "
            f"object, proxy.UpdatePipeline() and proxy.GetDataInformation() work as in ParaView."
        )


__all__ = ["SMProxy"]
