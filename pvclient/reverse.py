"""Reverse connection, client side: ``pvpython --url csrc://host:P`` waits for a pvserver to dial in.

The server runs where the client cannot reach it (compute nodes behind a firewall) and is started with
``pvserver -rc --client-host <this machine> -sp P``. This client listens on ``host:P``, accepts exactly one TCP
connection (then stops listening), and relays the bytes of its own gRPC channel, which talks to a Unix socket in
a private folder (mode 0700: other users of this machine cannot reach it), to that connection
(:class:`pvcore.relay.Relay`). The stream above the bytes is a forward connection's: same handshake, same limits,
TLS when asked.

Who dials in is not trusted for being there. Before this client sends anything but its Hello (a random nonce),
the server must prove that it knows the token (pvcore.auth), or, with TLS, also present a certificate signed by
the CA this client was given, for the host in the URL. A program that dials in first without the token fails
that check: the connection is refused with an error saying so, and nothing of the user's was sent to it.
"""

from __future__ import annotations

import logging
import shutil
import socket
import threading
from collections.abc import Callable

from pvclient import catalogues
from pvclient.connection import Connection
from pvclient.transport import GrpcTransport
from pvcore import __version__, messages
from pvcore.errors import ServerUnreachableError
from pvcore.relay import Relay, private_socket_folder

log = logging.getLogger(__name__)


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host:port`` for one server (OSError when the port is taken)."""
    try:
        return socket.create_server((host, port), backlog=1)
    except OSError as exc:
        raise OSError(f"Cannot listen on {host}:{port} for the server's reverse connection: {exc.strerror}") from None


def accept_server(listener: socket.socket, timeout: float) -> socket.socket:
    """The first connection on ``listener`` within ``timeout`` seconds; the listener is closed either way."""
    port = listener.getsockname()[1]
    listener.settimeout(timeout if timeout > 0 else None)
    try:
        connection, peer = listener.accept()
    except TimeoutError:
        raise ServerUnreachableError(
            f"No pvserver connected back to port {port} within {timeout:g} s. Start one that dials this machine: "
            f"mpiexec -n 4 pvserver -rc --client-host {socket.gethostname()} -sp {port}"
        ) from None
    finally:
        listener.close()
    log.info("a server connected back from %s:%d", *peer[:2])
    connection.settimeout(None)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return connection


class ChannelRelay:
    """A ``unix:`` address for this client's gRPC channel, in a private folder; the first connection there is
    relayed to ``server`` (and the path removed, so that nothing else can connect)."""

    def __init__(self, server: socket.socket) -> None:
        self._server = server
        self._folder = private_socket_folder("pvpython-rc-")
        path = self._folder / "grpc.sock"
        self.address = f"unix:{path}"
        self._inside = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._inside.bind(str(path))
        self._inside.listen(1)
        self._waiter = threading.Thread(target=self._wait_for_channel, name="pvpython-rc-accept", daemon=True)
        self._waiter.start()

    def _wait_for_channel(self) -> None:
        try:
            channel_side, _ = self._inside.accept()
        except OSError:  # closed before the channel came: give the server's connection up too
            self._server.close()
            return
        finally:
            self.stop_listening()
        Relay(channel_side, self._server, name="pvpython-rc").start()

    def stop_listening(self) -> None:
        """Accept nothing more on the private socket, and remove it."""
        self._inside.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def connect(
    host: str,
    port: int,
    *,
    timeout: float = 60.0,
    connect_id: int = 0,
    user: str = "",
    token: str | None = None,
    tls: bool | str | None = None,
    listening: Callable[[str], None] | None = None,
) -> Connection:
    """Wait up to ``timeout`` seconds (0: for ever) for a pvserver to dial ``host:port``, then join it as a client.

    ``token``: the server's secret (None: the token file a server of this user on this machine wrote for
    ``port``, as ``pvserver -rc -sp PORT`` does; on a cluster give both sides the same ``--token-file``).
    ``tls``: True or a CA file; the server's certificate must name ``host``. ``listening`` is called with the
    address once this client listens (pvpython prints it).
    """
    listener = listen(host, port)
    if listening is not None:
        listening(f"{host}:{listener.getsockname()[1]}")
    server = accept_server(listener, timeout)
    relay = ChannelRelay(server)
    hello = messages.Hello(
        connect_id=connect_id,
        user=user,
        client_version=__version__,
        definitions_digest=catalogues.known_digest(f"{host}:{port}"),
    )
    try:
        handshake = timeout if timeout > 0 else 60.0  # timeout 0 waits for ever for the server, not its answer
        transport = GrpcTransport(host, port, hello, handshake, tls, token, via=relay.address)
    finally:
        relay.stop_listening()  # the channel is connected by now, or failed
    return Connection(transport, f"csrc://{host}:{port}")
