"""The state of ``simple``: its connections, the active one, and the active source and view of each.

Every module of ``simple`` takes them from here, so that none needs the package itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pvclient.connection import DEFAULT_PORT, Connection, parse_url
from pvclient.proxy import Proxy
from pvcore.errors import ConnectionClosedError, PVError


@dataclass
class SimpleState:
    """Everything ``simple`` remembers: connections, the active one, and per-connection active objects."""

    connections: list[Connection] = field(default_factory=list)
    active_connection: Connection | None = None
    multi_server: bool = False
    active_sources: dict[int, Proxy | None] = field(default_factory=dict)
    active_views: dict[int, Proxy | None] = field(default_factory=dict)
    #: Under pvbatch: the MPI communicator of the in-process parallel engine; no server connections allowed.
    batch_comm: Any = None
    #: Called with every new connection (pvpython uses it to show progress).
    on_connect: Any = None
    #: Layouts (simple.layouts.Layout) of each connection, by connection id, in creation order.
    layouts: dict[int, list[Any]] = field(default_factory=dict)
    #: False after _DisableFirstRenderCameraReset(): a view's first render keeps the camera it was given.
    first_render_resets_camera: bool = True
    #: The colour palette LoadPalette() chose (its background goes to new views), '' for ParaView's default.
    palette: str = ""


#: The whole state of ``simple``.
state = SimpleState()
#: Called with every new connection (``simple`` offers the new server's types); not part of ``state``, which a
#: test may reset.
CONNECT_HOOKS: list[Callable[[Connection], None]] = []


def Connect(
    ds_host: str | None = None,
    ds_port: int = DEFAULT_PORT,
    rs_host: str | None = None,
    rs_port: int = DEFAULT_PORT,
    timeout: float = 60,
    *,
    connect_id: int = 0,
    user: str = "",
    token: str | None = None,
    tls: bool | str | None = None,
) -> Connection:
    """Connect to a pvserver and make the connection active.

    ``Connect()`` opens the built-in session; ``Connect("host", 11111)`` or ``Connect("cs://host:port")`` a
    remote server, retrying until ``timeout`` seconds while it is not yet listening. ``user`` is your name in a
    collaboration; ``token`` the server's secret token (by default, a local server's token file is read: see
    pvcore.tokens); ``tls`` True (system CAs) or the path
    of a CA file to connect over TLS. Without multi-server mode
    (``EnableMultiServer()`` or ``pvpython --multi-servers``) the new connection replaces the current ones.
    """
    if rs_host is not None:
        raise PVError("Separate render servers are not supported; connect to the data server only.")
    if state.batch_comm is not None:
        if ds_host is not None:
            raise PVError(
                "pvbatch runs its script on its own MPI ranks, without a server: Connect(host) is for "
                "pvpython (pvpython --url cs://host:port script.py)."
            )
        if state.connections:
            return state.connections[0]
    if ds_host is None:
        conn = Connection.builtin(state.batch_comm)
    else:
        host, port = parse_url(ds_host, ds_port) if "://" in ds_host or ":" in ds_host else (ds_host, ds_port)
        conn = Connection.remote(host, port, connect_id=connect_id, user=user, timeout=timeout, token=token, tls=tls)
    if not state.multi_server:
        for old in list(state.connections):
            _close(old)
    state.connections.append(conn)
    state.active_connection = conn
    for hook in CONNECT_HOOKS:
        hook(conn)
    if state.on_connect is not None:
        state.on_connect(conn)
    return conn


def Disconnect(ns: Any = None, force: bool = True) -> None:
    """Close the active connection (or the connection passed as first argument).

    The first positional argument is a namespace in ParaView (``Disconnect(globals())``); that form is
    accepted and closes the active connection. Afterwards the most recently opened remaining connection, if
    any, becomes active.
    """
    conn = ns if isinstance(ns, Connection) else state.active_connection
    if conn is None:
        return
    _close(conn)


def _close(conn: Connection) -> None:
    conn.close()
    if conn in state.connections:
        state.connections.remove(conn)
    state.active_sources.pop(conn.id, None)
    state.active_views.pop(conn.id, None)
    if state.active_connection is conn:
        state.active_connection = state.connections[-1] if state.connections else None


def SetActiveConnection(connection: Connection | None = None, ns: Any = None) -> None:
    """Make ``connection`` the active one (``ns`` is accepted for ParaView compatibility and not needed)."""
    if connection is not None and connection not in state.connections:
        raise ConnectionClosedError(f"{connection!r} is not an open connection of this client.")
    state.active_connection = connection


def GetActiveConnection() -> Connection | None:
    """The active connection, or None."""
    return state.active_connection


def GetConnections() -> list[Connection]:
    """All open connections, oldest first."""
    return list(state.connections)


def EnableMultiServer(enable: bool = True) -> None:
    """Allow several connections at once (``pvpython --multi-servers``)."""
    state.multi_server = enable


def active_connection() -> Connection:
    """The active connection, opening the built-in session if there is none (as ParaView does)."""
    conn = state.active_connection
    if conn is None:
        conn = Connect()
    if conn.closed:
        raise ConnectionClosedError(f"The active connection {conn.GetURI()} is closed; Connect() again.")
    return conn


def processServerEvents(timeout: float = 0.0) -> int:
    """Apply the changes other clients made, on every connection; returns the number of events applied."""
    return sum(conn.process_events(timeout) for conn in list(state.connections) if not conn.closed)


# ----------------------------------------------------------------------------------------------- pipeline


def GetActiveSource() -> Proxy | None:
    """The active source of the active connection."""
    conn = state.active_connection
    if conn is None:
        return None
    source = state.active_sources.get(conn.id)
    if source is not None and source.GlobalID not in conn.states and not conn.is_pending(source):
        state.active_sources[conn.id] = source = None
    return source


def SetActiveSource(source: Proxy | None) -> None:
    """Make ``source`` the active source (the default input of new filters) on its connection."""
    conn = source.connection if source is not None else active_connection()
    state.active_sources[conn.id] = source


__all__ = [
    "Connect",
    "Disconnect",
    "EnableMultiServer",
    "GetActiveConnection",
    "GetActiveSource",
    "GetConnections",
    "SetActiveConnection",
    "SetActiveSource",
    "processServerEvents",
]
