"""Transports: how a connection reaches its server.

:class:`GrpcTransport` holds one gRPC channel and one bidirectional stream; a reader thread matches replies to
requests and queues events. :class:`BuiltinTransport` runs the server's engine and service in this process,
with no network, for the built-in session. Both give the connection the same three calls: ``request``,
``events`` and ``close``.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from pvserver import messages
from pvserver.errors import ConnectionClosedError, PVError, ServerUnreachableError, error_from_kind

#: A reply or event that ends the transport (the server went away).
CLOSED = object()


def raise_if_error(reply: Any) -> Any:
    """Turn an ErrorReply into the exception of its kind; pass anything else through."""
    if isinstance(reply, messages.ErrorReply):
        raise error_from_kind(
            reply.kind,
            reply.message,
            rank=reply.rank,
            proxy_id=reply.proxy_id,
            proxy_name=reply.proxy_name,
            property=reply.property,
        )
    return reply


class GrpcTransport:
    """One client stream to a remote pvserver."""

    def __init__(
        self, host: str, port: int, hello: messages.Hello, timeout: float = 60.0, tls: bool | str | None = None
    ) -> None:
        """``tls``: True to verify the server with the system's CAs, or the path of a CA (or self-signed
        certificate) PEM file; None or False for a plain connection."""
        import grpc

        from pvwire import codec
        from pvwire import pvcollab_pb2 as pb

        self._codec = codec
        self.events: queue.Queue = queue.Queue()
        #: Called on the reader thread with every event as it arrives (before process_events applies it).
        self.on_event: Callable[[messages.Event], None] | None = None
        self._pending: dict[int, Future] = {}
        self._ids = itertools.count(1)
        self._outgoing: queue.Queue = queue.Queue()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self.address = f"{host}:{port}"
        # Short reconnect back-off: Connect() retries until the server is up, and should notice it quickly.
        options = [
            ("grpc.initial_reconnect_backoff_ms", 50),
            ("grpc.min_reconnect_backoff_ms", 50),
            ("grpc.max_reconnect_backoff_ms", 500),
            ("grpc.max_receive_message_length", 256 * 1024 * 1024),
            ("grpc.keepalive_time_ms", 20_000),
            ("grpc.keepalive_timeout_ms", 10_000),
        ]
        if tls:
            roots = None if tls is True else Path(tls).read_bytes()
            credentials = grpc.ssl_channel_credentials(root_certificates=roots)
            self._channel = grpc.secure_channel(self.address, credentials, options=options)
        else:
            self._channel = grpc.insecure_channel(self.address, options=options)
        session = self._channel.stream_stream(
            "/pvcollab.v1.DataServer/Session",
            request_serializer=None,
            response_deserializer=pb.ServerMessage.FromString,
        )
        # wait_for_ready: the stream waits (and the channel retries) until the server listens. No
        # channel_ready_future: its connectivity-polling thread would hold close() for up to 200 ms.
        self._responses = session(iter(self._outgoing.get, CLOSED), wait_for_ready=True)
        welcome_future = self._submit(hello)
        self._reader = threading.Thread(target=self._read, name=f"pvclient-{self.address}", daemon=True)
        self._reader.start()
        try:
            self.welcome: messages.Welcome = raise_if_error(welcome_future.result(timeout=timeout))
        except TimeoutError:
            self._responses.cancel()
            self._shut("the server did not answer")
            self._channel.close()
            raise ServerUnreachableError(
                f"No pvserver answered at {self.address} within {timeout:g} s. Is it running? "
                f"Start one with: mpiexec -n 4 pvserver --port {port}"
            ) from None
        except PVError:
            self.close()
            raise

    def _submit(self, request: Any) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closed.is_set():
                raise ConnectionClosedError(f"The connection to {self.address} is closed.")
            rid = next(self._ids)
            self._pending[rid] = future
            self._outgoing.put(self._codec.encode_request(rid, request))
        return future

    def request(self, request: Any) -> Any:
        """Send a request and wait for its reply; server errors raise their specific exception.

        Ctrl-C while waiting cancels the update running on the server, then raises KeyboardInterrupt.
        """
        future = self._submit(request)
        try:
            reply = future.result()
        except KeyboardInterrupt:
            self._submit(messages.CancelRequest())
            future.result()  # the cancelled request's answer
            raise
        return raise_if_error(reply)

    def cancel(self) -> None:
        """Ask the server to stop the pipeline update running now (from any thread)."""
        self._submit(messages.CancelRequest())

    def _read(self) -> None:
        import grpc

        reason = "the server closed the connection"
        try:
            for msg in self._responses:
                reply = self._codec.decode_reply(msg)
                if msg.request_id == 0 and isinstance(reply, messages.Event):
                    if self.on_event is not None:
                        self.on_event(reply)  # at once, e.g. progress while this client waits for an update
                    self.events.put(reply)
                    continue
                future = self._pending.pop(msg.request_id, None)
                if future is not None:
                    future.set_result(reply)
                elif isinstance(reply, messages.ErrorReply):
                    self.events.put(reply)  # an error that answers no request (e.g. a malformed message)
        except grpc.RpcError as exc:
            reason = f"the connection was lost ({exc.code().name})"
        self._shut(reason)

    def _shut(self, reason: str) -> None:
        with self._lock:
            already = self._closed.is_set()
            self._closed.set()
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_exception(ConnectionClosedError(f"No reply from {self.address}: {reason}."))
        if not already:
            self._outgoing.put(CLOSED)
            self.events.put(CLOSED)

    @property
    def closed(self) -> bool:
        """True once the stream ended, by either side."""
        return self._closed.is_set()

    def close(self) -> None:
        """Say goodbye and close the stream and channel."""
        if not self._closed.is_set():
            with contextlib.suppress(Exception):  # the server may already be gone; closing must not fail
                self._submit(messages.Goodbye()).result(timeout=5)
        self._shut("the client closed the connection")
        self._channel.close()


class BuiltinTransport:
    """The built-in session: the server's engine and service in this process, one rank, no network."""

    def __init__(self, hello: messages.Hello, comm: Any = None) -> None:
        """``comm``: an MPI communicator whose other ranks run the worker loop (pvbatch); default one process."""
        from pvserver.engine import Engine
        from pvserver.parallel import SerialComm
        from pvserver.service import ServerOptions, Service

        self.address = "builtin:"
        self.events: queue.Queue = queue.Queue()
        self._engine = Engine(comm if comm is not None else SerialComm()).start()
        self._service = Service(self._engine, ServerOptions(multi_clients=False))
        self.welcome = self._engine.call(self._service.connect, hello, self.events)
        self._closed = False

    def request(self, request: Any) -> Any:
        """Run a request on the in-process engine."""
        if self._closed:
            raise ConnectionClosedError("The built-in session is closed.")
        return raise_if_error(self._engine.call(self._service.handle, self.welcome.client_id, request))

    @property
    def closed(self) -> bool:
        """True once closed."""
        return self._closed

    def close(self) -> None:
        """Stop the in-process engine."""
        if not self._closed:
            self._closed = True
            self._engine.stop()
