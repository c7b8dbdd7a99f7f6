"""Client-side objects: ``proxy.GetClientSideObject()`` and ``proxy.MarkModified()``, as in ParaView.

In ParaView's built-in session the client and the server are one process, and a proxy's client-side object is
its VTK object itself: a script reads what a filter computed (``GetComputedAnnotationValue()``) or gives a trivial
producer its data (``SetOutput(dataset)``). This project's built-in session runs the server's engine in this
process too, on its own thread: :func:`client_side_object` returns rank 0's VTK object of the proxy wrapped in a
:class:`ClientSideObject`, which runs every method call on the engine thread between requests, so that the object
is never touched while a pipeline update runs. ``proxy.MarkModified(None)`` after changing the data given to
``SetOutput`` makes the next update see it, as in ParaView.

A view's client-side object is a Python equivalent of ParaView's C++ view, offered where a module registers one
(:func:`register_view_object`: ``simple`` registers the SpreadSheetView's).

On a remote server the VTK objects live in the server's processes, not in the client's: there
:func:`client_side_object` raises a NotSupportedException that says to fetch the data instead (a registered view's
object is made of fetched data, and is offered there too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pvclient.properties import NotSupportedException
from pvclient.transport import BuiltinTransport
from pvcore.errors import ProxyNotFoundError, PVError

if TYPE_CHECKING:
    from pvclient.proxy import Proxy

__all__ = ["ClientSideObject", "client_side_object", "mark_modified", "register_view_object"]

#: View type -> factory of the Python object standing for ParaView's C++ view (its client-side object).
VIEW_OBJECTS: dict[str, Callable[[Proxy], Any]] = {}


def register_view_object(view_type: str, factory: Callable[[Proxy], Any]) -> None:
    """Offer ``factory(view)`` as the client-side object of views of ``view_type`` (e.g. "SpreadSheetView")."""
    VIEW_OBJECTS[view_type] = factory


class ClientSideObject:
    """Rank 0's VTK object of a proxy on the built-in session, with the object's own methods and attributes.

    Each method call runs on the engine thread, between requests (a VTK observer added with ``AddObserver`` is
    called there too, during updates). Arguments that are client-side objects are passed as the VTK objects they
    stand for; what a call returns (a dataset, a number, a string) is returned as it is. ``vtk_object`` is the
    object itself, for code that needs it (e.g. to pass it to a VTK function of this process)."""

    __slots__ = ("_call", "vtk_object")

    def __init__(self, vtk_object: Any, call: Callable[..., Any]) -> None:
        object.__setattr__(self, "vtk_object", vtk_object)
        object.__setattr__(self, "_call", call)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.vtk_object, name)
        if not callable(value):
            return value

        def method(*args: Any, **kwargs: Any) -> Any:
            plain = [_unwrapped(a) for a in args]
            return self._call(lambda: value(*plain, **{k: _unwrapped(v) for k, v in kwargs.items()}))

        method.__name__ = name
        method.__doc__ = getattr(value, "__doc__", None)
        return method

    def __setattr__(self, name: str, value: Any) -> None:
        self._call(lambda: setattr(self.vtk_object, name, _unwrapped(value)))

    def __dir__(self) -> list[str]:
        return sorted(set(dir(self.vtk_object)) | {"vtk_object"})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClientSideObject) and other.vtk_object is self.vtk_object

    def __hash__(self) -> int:
        return hash(id(self.vtk_object))

    def __repr__(self) -> str:
        return f"<client-side {self.vtk_object.GetClassName()} of the built-in session>"


def _unwrapped(value: Any) -> Any:
    return value.vtk_object if isinstance(value, ClientSideObject) else value


def client_side_object(proxy: Proxy) -> Any:
    """The client-side object of ``proxy`` on the built-in session (see the module's help); property values set
    before are applied to it first."""
    name = _describe(proxy)
    if proxy.is_detached or proxy.connection.is_pending(proxy):
        raise PVError(f"{name} is not created yet (its input is not set, or a batch creating it is still open).")
    proxy.UpdateVTKObjects()  # values staged by SetElement reach the object first
    factory = VIEW_OBJECTS.get(proxy.type_name)
    if factory is not None:  # made of what the client fetches: on a remote server too, as ParaView's client views
        return factory(proxy)
    transport = _builtin_transport(proxy, f"{name}.GetClientSideObject()")
    try:
        target = transport.vtk_object(proxy.GlobalID)
    except ProxyNotFoundError:  # views, representations, colour maps: built by the renderer, not objects
        offered = ", ".join(sorted(VIEW_OBJECTS)) or "none"
        raise NotSupportedException(
            f"{name}.GetClientSideObject(): the {proxy.type_name}'s ParaView C++ object is not offered here. "
            f"Client-side objects are those of sources, filters and their helpers, and of these views: {offered}."
        ) from None
    return ClientSideObject(target, transport.call_on_engine)


def mark_modified(proxy: Proxy) -> None:
    """Make the next update of ``proxy`` execute it again (ParaView's ``MarkModified``): what a script changed in
    its client-side object (the data given to a trivial producer) is seen. Does nothing on a remote server, whose
    objects a client cannot change, nor for proxies that are no pipeline objects."""
    transport = proxy.connection.transport
    if not isinstance(transport, BuiltinTransport) or proxy.is_detached or proxy.connection.is_pending(proxy):
        return
    try:
        target = transport.vtk_object(proxy.GlobalID)
    except ProxyNotFoundError:
        return
    if hasattr(target, "Modified"):
        transport.call_on_engine(target.Modified)


def _builtin_transport(proxy: Proxy, call: str) -> BuiltinTransport:
    transport = proxy.connection.transport
    if not isinstance(transport, BuiltinTransport):
        raise NotSupportedException(
            f"{call}: on a remote server ({proxy.connection.GetURI()}) the VTK objects live in the server's "
            "processes, not in this client; client-side objects exist on the built-in session only. Use "
            "servermanager.Fetch(proxy) for the data, or proxy.GetDataInformation() for its counts, bounds and arrays."
        )
    return transport


def _describe(proxy: Proxy) -> str:
    try:
        return proxy.GetRegistrationName() or proxy.type_name
    except PVError:
        return proxy.type_name
