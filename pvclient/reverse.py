"""Reverse connection, client side: ``pvpython --url csrc://host:P`` waits for a pvserver to dial in.

The server runs where the client cannot reach it (compute nodes behind a firewall) and is started with
``pvserver -rc --client-host <this machine> -sp P``. This client listens on ``host:P`` and takes the first TCP
connection there; until that session's connection closes it keeps port P bound, closing at once any further
connection, so that no other program (another user of this machine) can bind P and catch the server's retried
dial. It relays the bytes of its own gRPC channel, which talks to a Unix socket in a private folder (mode 0700:
other users of this machine cannot reach it), to that connection (:class:`pvcore.relay.Relay`). The stream above
the bytes is a forward connection's: same handshake, same limits, TLS when asked.

What the checks prove. The first message on the stream is this client's Hello: its user name (``--user``), the
connect id, its version and a random nonce go to whoever dialled in, before that peer proved anything. Nothing
else is sent before the peer proves that it knows the token (pvcore.auth): a program that dials in without the
token is refused with an error saying so, and the script does not run. The token proves who answered the
handshake, not that the bytes after it come from the same peer: without TLS a relay between the two sides could
read and alter the session. TLS (the server's certificate checked against the CA this client was given, for the
expected server name) protects the whole stream; a reverse connection beyond this machine's loopback addresses
is therefore refused without it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import select
import shutil
import socket
import threading
from collections.abc import Callable

from pvclient import catalogues
from pvclient.connection import Connection
from pvclient.transport import GrpcTransport
from pvcore import __version__, messages
from pvcore.errors import AuthenticationError, ServerUnreachableError
from pvcore.relay import Relay, private_socket_folder

log = logging.getLogger(__name__)

#: Seconds between checks, while a session runs, that it has not ended (then port P is let go).
HOLD_POLL_SECONDS = 0.2


def is_loopback(address: str) -> bool:
    """True when ``address`` (an IP literal, as a bound socket names it) is a loopback address."""
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def default_tls_server_name(host: str) -> str:
    """The name a reverse-connecting server's certificate must carry by default: the URL's host when it is a
    name, else 'localhost' (an address such as 0.0.0.0 names this client's interface, not the server)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host
    return "localhost"


class PortHold:
    """Sockets listening on every address ``host`` resolves to, on one port: the first connection is the
    server's; after it, any further connection is closed at once, and the port stays bound until :meth:`close`."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self._sockets: list[socket.socket] = []
        self._closed = threading.Event()
        try:
            infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
            for address in dict.fromkeys((family, sockaddr[:2]) for family, _, _, _, sockaddr in infos):
                family, (ip, wanted) = address
                if self._sockets:  # port 0: every address gets the port the first one got
                    wanted = self.port
                self._sockets.append(socket.create_server((ip, wanted), family=family, backlog=1))
        except OSError as exc:
            self.close()
            reason = exc.strerror or str(exc)
            raise OSError(f"Cannot listen on {host}:{port} for the server's reverse connection: {reason}") from None

    @property
    def port(self) -> int:
        """The port listened on."""
        return self._sockets[0].getsockname()[1]

    @property
    def addresses(self) -> list[str]:
        """The addresses listened on."""
        return [sock.getsockname()[0] for sock in self._sockets]

    def accept_first(self, timeout: float) -> socket.socket:
        """The first connection within ``timeout`` seconds (0: for ever); the port stays bound either way."""
        ready, _, _ = select.select(self._sockets, [], [], timeout if timeout > 0 else None)
        if not ready:
            raise ServerUnreachableError(
                f"No pvserver connected back to port {self.port} within {timeout:g} s. Start one that dials this "
                f"machine: mpiexec -n 4 pvserver -rc --client-host {socket.gethostname()} -sp {self.port}"
            )
        connection, peer = ready[0].accept()
        log.info("a server connected back from %s:%d", *peer[:2])
        connection.settimeout(None)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=self._refuse_others, name="pvpython-rc-hold", daemon=True).start()
        return connection

    def _refuse_others(self) -> None:
        while not self._closed.is_set():
            try:
                ready, _, _ = select.select(self._sockets, [], [], HOLD_POLL_SECONDS)
                for sock in ready:
                    late, peer = sock.accept()
                    log.warning("closed a second connection to the reverse port, from %s:%d", *peer[:2])
                    late.close()
            except (OSError, ValueError):  # closed meanwhile
                return

    def close(self) -> None:
        """Let the port go (from any thread); idempotent."""
        self._closed.set()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()


def listen(host: str, port: int, tls: bool | str | None) -> PortHold:
    """Listen on ``host:port`` for one server (OSError when the port is taken); beyond loopback, only with TLS."""
    hold = PortHold(host, port)
    outside = [address for address in hold.addresses if not is_loopback(address)]
    if outside and not tls:
        hold.close()
        raise AuthenticationError(
            f"csrc://{host}:{port} would listen beyond this machine ({', '.join(outside)}) without TLS: the token "
            "proves only who answered the handshake, so anything between the server and this client could read and "
            "alter the session. Give the server --tls-cert/--tls-key and this client the CA (pvpython --tls-ca "
            "ca.pem, or tls='ca.pem'), or listen on localhost and let the server reach it through an SSH tunnel."
        )
    return hold


class ChannelRelay:
    """A ``unix:`` address for this client's gRPC channel, in a private folder; the first connection there is
    relayed to ``server`` (and the path removed, so that nothing else can connect). ``on_close`` is called once
    the session's bytes stop flowing (or the channel never came)."""

    def __init__(self, server: socket.socket, on_close: Callable[[], None]) -> None:
        self._server = server
        self._on_close = on_close
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
            self._on_close()
            return
        finally:
            self.stop_listening()
        Relay(channel_side, self._server, name="pvpython-rc", on_close=self._on_close).start()

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
    tls_server_name: str | None = None,
    listening: Callable[[str], None] | None = None,
) -> Connection:
    """Wait up to ``timeout`` seconds (0: for ever) for a pvserver to dial ``host:port``, then join it as a client.

    ``token``: the server's secret (None: the token file a server of this user on this machine wrote for
    ``port``, as ``pvserver -rc -sp PORT`` does; on a cluster give both sides the same ``--token-file``).
    ``tls``: True or a CA file, needed when ``host`` is not a loopback address (AuthenticationError otherwise).
    ``tls_server_name``: the name the server's certificate must carry (default: ``host`` when it is a name, else
    'localhost'). ``listening`` is called with the address once this client listens (pvpython prints it).
    """
    hold = listen(host, port, tls)
    try:
        if listening is not None:
            listening(f"{host}:{hold.port}")
        server = hold.accept_first(timeout)
        relay = ChannelRelay(server, on_close=hold.close)
    except BaseException:
        hold.close()
        raise
    hello = messages.Hello(
        connect_id=connect_id,
        user=user,
        client_version=__version__,
        definitions_digest=catalogues.known_digest(f"{host}:{port}"),
    )
    server_name = tls_server_name or default_tls_server_name(host)
    try:
        handshake = timeout if timeout > 0 else 60.0  # timeout 0 waits for ever for the server, not its answer
        transport = GrpcTransport(
            host, port, hello, handshake, tls, token, via=relay.address, tls_server_name=server_name
        )
    finally:
        relay.stop_listening()  # the channel is connected by now, or failed
    return Connection(transport, f"csrc://{host}:{port}")
