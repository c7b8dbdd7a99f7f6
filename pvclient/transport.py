"""Transports: how a connection reaches its server.

:class:`GrpcTransport` holds one gRPC channel and one bidirectional stream; a reader thread matches replies to
requests and queues events. :class:`BuiltinTransport` runs the server's engine and service in this process,
with no network, for the built-in session. Both give the connection the same calls: ``request`` (and
``request_stamped``, with the reply's arrival stamp), ``events`` (a :class:`pvclient.events.EventQueue`) and ``close``.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from pvclient.events import CLOSED, EventQueue
from pvcore import auth, messages, tokens
from pvcore.errors import (
    AuthenticationError,
    ConnectionClosedError,
    ProtocolError,
    PVError,
    ServerUnreachableError,
    error_from_kind,
)

log = logging.getLogger(__name__)


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


class _Reply(Future):
    """A request's reply to come, and its arrival stamp once it came."""

    stamp: int = 0


class GrpcTransport:
    """One client stream to a remote pvserver."""

    def __init__(
        self,
        host: str,
        port: int,
        hello: messages.Hello,
        timeout: float = 60.0,
        tls: bool | str | None = None,
        token: str | None = None,
        via: str | None = None,
        tls_server_name: str | None = None,
    ) -> None:
        """``tls``: True to verify the server with the system's CAs, or the path of a CA (or self-signed
        certificate) PEM file; None or False for a plain connection. ``token``: the server's secret, which never
        crosses the wire: the server must prove it knows it before this client proves it does (pvcore.auth);
        None reads the token file a local server of this user wrote for ``port``, once the server answers.
        ``via``: the gRPC target that actually carries the stream (a reverse connection's relay, pvclient.reverse);
        ``host:port`` still name the server for the token and messages. ``tls_server_name``: with ``via``, the
        name the server's certificate must carry (``host`` is then this client's own listening address; default
        ``host``)."""
        import grpc

        from pvwire import codec
        from pvwire import pvcollab_pb2 as pb

        self._codec = codec
        self.events = EventQueue()
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
        server_name = tls_server_name or host
        if via is not None:
            options.append(("grpc.default_authority", server_name))
        target = via or self.address
        if tls:
            roots = None if tls is True else Path(tls).read_bytes()
            credentials = grpc.ssl_channel_credentials(root_certificates=roots)
            if via is not None:
                options.append(("grpc.ssl_target_name_override", server_name))
            self._channel = grpc.secure_channel(target, credentials, options=options)
        else:
            self._channel = grpc.insecure_channel(target, options=options)
        session = self._channel.stream_stream(
            "/pvcollab.v1.DataServer/Session",
            request_serializer=None,
            response_deserializer=pb.ServerMessage.FromString,
        )
        # wait_for_ready: the stream waits (and the channel retries) until the server listens. No
        # channel_ready_future: its connectivity-polling thread would hold close() for up to 200 ms.
        self._responses = session(iter(self._outgoing.get, CLOSED), wait_for_ready=True)
        hello.client_nonce = auth.nonce()
        challenge_future = self._submit(hello)
        self._reader = threading.Thread(target=self._read, name=f"pvclient-{self.address}", daemon=True)
        self._reader.start()
        try:
            challenge = raise_if_error(challenge_future.result(timeout=timeout))
            explicit = token is not None
            if not explicit:  # read now: a server that started late has written its token file by now
                token = tokens.find_local(host, port)
            proof = self._answer(challenge, hello.client_nonce, token, explicit)
            self.welcome: messages.Welcome = raise_if_error(
                self._submit(messages.Authenticate(proof)).result(timeout=timeout)
            )
            if not isinstance(self.welcome, messages.Welcome):
                raise ProtocolError(f"The server at {self.address} answered the handshake with no welcome.")
        except TimeoutError:
            self._abandon("the server did not answer")
            raise ServerUnreachableError(
                f"No pvserver answered at {self.address} within {timeout:g} s. Is it running? "
                f"Start one with: mpiexec -n 4 pvserver --port {port}"
            ) from None
        except (PVError, OSError):  # OSError: a token file that cannot be trusted
            self._abandon("the handshake failed")  # not even a Goodbye to a server that failed to prove itself
            raise

    def _abandon(self, reason: str) -> None:
        self._responses.cancel()
        self._shut(reason)
        self._channel.close()

    def _answer(self, challenge: Any, client_nonce: bytes, token: str, explicit: bool) -> bytes:
        """This client's proof for the server's Challenge, once the server proved it knows the token
        (``explicit``: the caller chose the token, '' for none, rather than the local token file)."""
        if not isinstance(challenge, messages.Challenge):
            raise ProtocolError(f"{self.address} did not answer as a pvserver of protocol {messages.PROTOCOL_MAJOR}.")
        if not token and not challenge.token_required and not explicit:
            raise AuthenticationError(
                f"The server at {self.address} asks for no token, and no local server left a token file for its port: "
                "it may not be the server you meant (a program that took the port first). If it was started with "
                "--no-token, connect with token='' (pvpython --no-token). Nothing was sent to it."
            )
        if not token:
            return b""  # a server that needs a token refuses, saying so
        if not challenge.token_required:
            raise AuthenticationError(
                f"The server at {self.address} does not ask for a token, but this client holds one: it may not be the "
                "server you meant (another program may be listening on its port). Nothing was sent to it; connect "
                "without a token only to a server started with --no-token."
            )
        expected = auth.server_proof(token, client_nonce, challenge.server_nonce)
        if not auth.is_valid(expected, challenge.server_proof):
            raise AuthenticationError(
                f"The server at {self.address} could not prove that it knows the token: it is not the server you "
                "meant (another program may be listening on its port, or the server was started with another "
                "token, e.g. a stale token file). Nothing was sent to it."
            )
        return auth.client_proof(token, client_nonce, challenge.server_nonce)

    def _submit(self, request: Any) -> _Reply:
        future = _Reply()
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
        return self.request_stamped(request)[0]

    def request_stamped(self, request: Any) -> tuple[Any, int]:
        """Like :meth:`request`, with the reply's arrival stamp (:meth:`EventQueue.reply_stamp`)."""
        future = self._submit(request)
        try:
            reply = future.result()
        except KeyboardInterrupt:
            self._submit(messages.CancelRequest())
            future.result()  # the cancelled request's answer
            raise
        return raise_if_error(reply), future.stamp

    def cancel(self) -> None:
        """Ask the server to stop the pipeline update running now (from any thread)."""
        self._submit(messages.CancelRequest())

    def _read(self) -> None:
        import grpc

        reason = "the server closed the connection"
        responses = iter(self._responses)
        try:
            for msg in responses:
                reply = self._codec.decode_reply(msg)
                if isinstance(reply, messages.Welcome) and reply.parts:
                    parts = [self._codec.decode_reply(next(responses)) for _ in range(reply.parts)]
                    reply = self._codec.join_welcome(reply, parts)
                if msg.request_id == 0 and isinstance(reply, messages.Event):
                    if self.on_event is not None:
                        self.on_event(reply)  # at once, e.g. progress while this client waits for an update
                    self.events.put(reply)
                    continue
                future = self._pending.pop(msg.request_id, None)
                if future is not None:
                    future.stamp = self.events.reply_stamp()  # newer than the events queued before it
                    future.set_result(reply)
                elif isinstance(reply, messages.ErrorReply):
                    self.events.put(reply)  # an error that answers no request (e.g. a malformed message)
        except grpc.RpcError as exc:
            reason = f"the connection was lost ({exc.code().name})"
        except StopIteration:
            reason = "the server closed the connection in the middle of its welcome"
        except Exception as exc:  # what the server sent cannot be read (or a listener failed): nobody waits for ever
            log.warning("closing the connection to %s: %s: %s", self.address, type(exc).__name__, exc)
            reason = f"this client could not go on reading it ({type(exc).__name__}: {exc})"
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


def _as_received(welcome: messages.Welcome) -> messages.Welcome:
    """The welcome as a remote client gets it, encoded and decoded by the codec, definitions and all: the built-in
    session's client builds its proxies from what a server sends, as every client does."""
    from pvwire import codec
    from pvwire import pvcollab_pb2 as pb

    _, encoded = codec.encode_welcome(0, welcome)
    head, *parts = [codec.decode_reply(pb.ServerMessage.FromString(data)) for data in encoded]
    return codec.join_welcome(head, parts)


class BuiltinTransport:
    """The built-in session: the server's engine and service in this process, one rank, no network."""

    def __init__(self, hello: messages.Hello, comm: Any = None) -> None:
        """``comm``: an MPI communicator whose other ranks run the worker loop (pvbatch); default one process."""
        from pvserver.engine import Engine
        from pvserver.parallel import SerialComm
        from pvserver.service import ServerOptions, Service

        self.address = "builtin:"
        self.events = EventQueue()
        #: Called on the engine thread with every event as it is published (progress while an update runs).
        self.on_event: Callable[[messages.Event], None] | None = None
        self._engine = Engine(comm if comm is not None else SerialComm()).start()
        self._service = Service(self._engine, ServerOptions(multi_clients=False))
        self.welcome = _as_received(self._engine.call(self._service.connect, hello, _Arrivals(self)))
        self._closed = False

    def request(self, request: Any) -> Any:
        """Run a request on the in-process engine."""
        return self.request_stamped(request)[0]

    def request_stamped(self, request: Any) -> tuple[Any, int]:
        """Like :meth:`request`, with the reply's arrival stamp (:meth:`EventQueue.reply_stamp`)."""
        if self._closed:
            raise ConnectionClosedError("The built-in session is closed.")
        if self._engine.on_engine_thread():  # a VTK observer or progress listener calling back during an update
            raise PVError(
                "A paraview.simple call was made from inside an update of the built-in session (a VTK observer or "
                "progress listener): it would wait for itself. Make the call after the update returns."
            )
        future = self._engine.submit(self._service.handle, self.welcome.client_id, request)
        try:
            reply = future.result()
        except KeyboardInterrupt:  # Ctrl-C: the update stops at its next progress report, as on a server
            self._engine.cancel()
            future.exception()  # wait for it, so that the next call does not queue behind it
            raise
        return raise_if_error(reply), self.events.reply_stamp()

    def cancel(self) -> None:
        """Stop the pipeline update running now (from any thread)."""
        self._engine.cancel()

    def call_on_engine(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` on the engine thread, between requests (the VTK objects of this session are its)."""
        if self._closed:
            raise ConnectionClosedError("The built-in session is closed.")
        return self._engine.call(fn, *args)

    def vtk_object(self, global_id: int) -> Any:
        """Rank 0's VTK object of a pipeline proxy (an algorithm, an implicit function...), as the engine holds it."""
        return self.call_on_engine(lambda: self._engine.executor.object(global_id).vtk)

    @property
    def closed(self) -> bool:
        """True once closed."""
        return self._closed

    def close(self) -> None:
        """Stop the in-process engine."""
        if not self._closed:
            self._closed = True
            self._engine.stop()


class _Arrivals:
    """The built-in session's outbox: events go to the transport's queue, and to its ``on_event`` at once."""

    def __init__(self, transport: BuiltinTransport) -> None:
        self._transport = transport

    def put(self, item: Any) -> None:
        listener = self._transport.on_event
        if listener is not None and isinstance(item, messages.Event):
            try:
                listener(item)
            except Exception:  # a listener's bug must not break the engine's publishing
                log.exception("an event listener failed")
        self._transport.events.put(item)
