"""Reverse connection, server side: ``pvserver -rc --client-host H -sp P`` dials the client instead of listening.

Compute nodes behind a firewall often cannot be reached from a login node or a laptop, but may open connections
out. In reverse mode rank 0 serves gRPC on a Unix socket in a private folder (mode 0700, so no other user of the
node can reach it) and dials ``H:P``, where ``pvpython --url csrc://H:P`` waits; :class:`Relay` then copies the
bytes between that TCP connection and the Unix socket, both ways. Everything above the bytes is unchanged: the
client's gRPC stream, its handshake (the client's Hello first, with its user name and a nonce; then the server
proves it knows the token, then the client), TLS when the server has a certificate, and the front end's limits on
messages and handshakes. The token proves who answered the handshake, not who carries the bytes after it: only
TLS protects those, which is why the client refuses to listen beyond loopback without it, and holds its port
for the whole session so that nothing else can bind it and catch this server's retried dial.
"""

from __future__ import annotations

import logging
import shutil
import socket
import threading
import time
from pathlib import Path

from pvcore.relay import Relay, private_socket_folder

__all__ = [
    "DIAL_SECONDS",
    "Relay",
    "ReverseError",
    "connect_to_client",
    "dial",
    "private_socket_path",
    "remove_socket_folder",
]

log = logging.getLogger(__name__)

#: Seconds a reverse-connecting server keeps trying to reach its client (ParaView's 60).
DIAL_SECONDS = 60.0
#: Seconds between attempts to reach a client that does not listen yet.
RETRY_SECONDS = 0.25


class ReverseError(OSError):
    """The client of a reverse connection could not be reached."""


def private_socket_path() -> Path:
    """A Unix socket path in a new folder only this user can open (removed by :func:`remove_socket_folder`)."""
    return private_socket_folder("pvserver-rc-") / "grpc.sock"


def remove_socket_folder(path: Path) -> None:
    """Remove the folder of a :func:`private_socket_path`."""
    shutil.rmtree(path.parent, ignore_errors=True)


def dial(host: str, port: int, timeout: float, stop: threading.Event | None = None) -> socket.socket:
    """A TCP connection to ``host:port``, retried until ``timeout`` seconds (or ``stop`` is set) while nobody
    listens there."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = socket.create_connection((host, port), timeout=min(10.0, max(timeout, 0.1)))
        except OSError as exc:
            if stop is not None and stop.is_set():
                raise ReverseError(f"Stopped while trying to reach the client at {host}:{port}.") from None
            if time.monotonic() >= deadline:
                raise ReverseError(
                    f"Cannot reach the client at {host}:{port} within {timeout:g} s ({exc.strerror or exc}). Start "
                    f"it first, listening there: pvpython --url csrc://{host}:{port} script.py"
                ) from None
            time.sleep(RETRY_SECONDS)
            continue
        connection.settimeout(None)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection


def connect_to_client(
    host: str, port: int, grpc_socket: Path, timeout: float, stop: threading.Event | None = None
) -> Relay:
    """Dial the waiting client at ``host:port`` and relay its bytes to the gRPC server on ``grpc_socket``,
    saying so on stdout in ParaView's words."""
    print("Connecting to client (reverse connection requested)...", flush=True)
    print(f"Connection URL: csrc://{host}:{port}", flush=True)
    outside = dial(host, port, timeout, stop)
    inside = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        inside.connect(str(grpc_socket))
    except OSError as exc:
        outside.close()
        inside.close()
        raise ReverseError(f"Cannot reach this server's own gRPC socket {grpc_socket}: {exc}") from None
    log.info("reverse connection to the client at %s:%d established", host, port)
    print("Client connected.", flush=True)
    return Relay(outside, inside, name="pvserver-rc").start()
