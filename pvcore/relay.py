"""A byte relay between two connected sockets: how a reverse connection carries a gRPC stream (pvserver.reverse
and pvclient.reverse). It copies bytes and nothing else: what they say is checked at both ends by gRPC, TLS and
the token handshake (which proves who answered it; only TLS protects the bytes after it)."""

from __future__ import annotations

import contextlib
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

#: Bytes read at once from either side; a side that does not read holds the other (no unbounded buffering).
CHUNK_BYTES = 64 * 1024
#: A Unix socket's path must fit in 108 bytes: a longer temporary folder (some batch systems') gives way to /tmp.
MAX_SOCKET_FOLDER_LENGTH = 80


def private_socket_folder(prefix: str) -> Path:
    """A new folder only this user can open (mode 0700), for a Unix socket nobody else may reach."""
    base = tempfile.gettempdir()
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base if len(base) <= MAX_SOCKET_FOLDER_LENGTH else "/tmp"))


class Relay:
    """Copies bytes between two connected sockets, one thread per direction, until either side closes.

    When one direction ends (end of stream or an error), both sockets are shut down, so the other direction ends
    too and each peer sees its connection close; ``on_close`` is then called once (a reverse client lets its
    port go).
    """

    def __init__(
        self,
        first: socket.socket,
        second: socket.socket,
        name: str = "relay",
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._sockets = (first, second)
        self._on_close = on_close
        self._lock = threading.Lock()
        self._closed = False
        self.done = threading.Event()
        self._threads = [
            threading.Thread(target=self._copy, args=(first, second), name=f"{name}-out", daemon=True),
            threading.Thread(target=self._copy, args=(second, first), name=f"{name}-in", daemon=True),
        ]

    def start(self) -> Relay:
        """Start copying; returns self."""
        for thread in self._threads:
            thread.start()
        return self

    def _copy(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(CHUNK_BYTES):
                target.sendall(data)
        except OSError:
            pass  # either side went away: closing both is all there is to do
        self.close()

    def close(self) -> None:
        """Shut both sockets down (from any thread); idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.done.set()
        if self._on_close is not None:
            self._on_close()

    def join(self, timeout: float | None = None) -> None:
        """Wait for both directions to end."""
        for thread in self._threads:
            thread.join(timeout)
