"""The state of ``simple``: its connections, the active one, and the active source and view of each.

Every module of ``simple`` takes them from here, so that none needs the package itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pvclient import reverse
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
    #: Under pvbatch --symmetric: this process's rank, whose script runs too (what exists once is rank 0's).
    symmetric_rank: int | None = None
    #: Called with every new connection (pvpython uses it to show progress).
    on_connect: Any = None
    #: Called with 'host:port' once a reverse connection listens for its server (pvpython says so).
    on_listening: Any = None
    #: Layouts (simple.layouts.Layout) of each connection, by connection id, in creation order.
    layouts: dict[int, list[Any]] = field(default_factory=dict)
    #: True until the session's first Render() has fitted its view's camera to the data (ParaView resets the
    #: camera there only), or _DisableFirstRenderCameraReset() said not to.
    first_render_resets_camera: bool = True
    #: The colour palette LoadPalette() chose (its background goes to new views), '' for ParaView's default.
    palette: str = ""
    #: This client's part of each connection's proxy registry (simple.servermanager_registry.Registrations).
    registrations: dict[int, Any] = field(default_factory=dict)
    #: The ParaView session object (simple.servermanager_session.Session) of each connection, by connection id.
    sessions: dict[int, Any] = field(default_factory=dict)


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
    tls_server_name: str | None = None,
) -> Connection:
    """Connect to a pvserver and make the connection active.

    ``Connect()`` opens the built-in session; ``Connect("host", 11111)`` or ``Connect("cs://host:port")`` a
    remote server, retrying until ``timeout`` seconds while it is not yet listening. ``user`` is your name in a
    collaboration; ``token`` the server's secret token (by default, a local server's token file is read: see
    pvcore.tokens); ``tls`` True (system CAs) or the path
    of a CA file to connect over TLS. ``Connect("csrc://host:port")`` waits for a ``pvserver -rc`` to dial in
    (see :func:`ReverseConnect`; ``tls_server_name`` is for that case only). Without multi-server mode
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
        if state.batch_comm.Get_size() > 1:  # a new engine would wait for worker ranks that have left
            raise PVError(
                "pvbatch: the session was closed (Disconnect()), and its other MPI ranks have left with it: a "
                "pvbatch script has one session on all ranks. Drop the Disconnect(), or call ResetSession() to "
                "start over within the session."
            )
    if ds_host is None:
        conn = Connection.builtin(state.batch_comm)
    elif ds_host.startswith("csrc://"):  # wait for a server started with pvserver -rc (pvclient.reverse)
        host, port = parse_url(ds_host, ds_port)
        options = {"connect_id": connect_id, "user": user, "token": token, "tls": tls}
        options["tls_server_name"] = tls_server_name
        conn = reverse.connect(host, port, timeout=timeout, listening=state.on_listening, **options)
    else:
        host, port = parse_url(ds_host, ds_port) if "://" in ds_host or ":" in ds_host else (ds_host, ds_port)
        conn = Connection.remote(host, port, connect_id=connect_id, user=user, timeout=timeout, token=token, tls=tls)
    return use_connection(conn)


def use_connection(conn: Connection) -> Connection:
    """Make a connection opened elsewhere (pvbatch --symmetric) the active one, as Connect does with its own."""
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


def ReverseConnect(
    port: int | str = DEFAULT_PORT,
    timeout: float = 60,
    *,
    host: str = "localhost",
    connect_id: int = 0,
    user: str = "",
    token: str | None = None,
    tls: bool | str | None = None,
    tls_server_name: str | None = None,
) -> Connection:
    """Wait for a server to connect back, and make that connection active (ParaView's ReverseConnect).

    Listens on ``host:port`` (localhost by default; ``host="0.0.0.0"`` for servers on other machines, which needs
    ``tls``) until ``timeout`` seconds for a ``pvserver -rc --client-host <this machine> -sp <port>``; the port
    stays bound until the session ends. ``token`` and ``tls`` as for :func:`Connect` (None: the token file of a
    local reverse server of this user for ``port``). The token proves who answered the handshake; only TLS
    protects the session's bytes, so listening beyond loopback without it is refused. ``tls_server_name``: the
    name the server's certificate must carry (default: ``host`` when it is a name, else 'localhost').
    """
    options = {"connect_id": connect_id, "user": user, "token": token, "tls": tls, "tls_server_name": tls_server_name}
    return Connect(f"csrc://{host}:{int(port)}", timeout=timeout, **options)


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
    state.registrations.pop(conn.id, None)
    state.sessions.pop(conn.id, None)
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
    "ReverseConnect",
    "SetActiveConnection",
    "SetActiveSource",
    "processServerEvents",
]
