"""The gRPC front end on rank 0: one bidirectional stream per client, served by one asyncio event loop.

It unpacks messages, hands them to the service on the engine thread, and streams back replies and events.
It never touches VTK or MPI. Requests arrive as raw bytes (no deserializer in the method handler), so that a
malformed message gets an error reply on a stream that stays open, instead of killing the stream.

All client streams live on one event loop thread (``grpc.aio``): fanning an event out to 32 clients is 32
writes queued on that loop, not 32 threads woken one after another, each taking the GIL in turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from typing import Any

import grpc

from pvcore import auth, messages
from pvcore.errors import AuthenticationError, ProtocolError, PVError
from pvserver.engine import Engine
from pvserver.outbox import CLOSE, Outbox, QueueBudget
from pvserver.service import Service, check_protocol
from pvwire import codec

log = logging.getLogger(__name__)

SERVICE_NAME = "pvcollab.v1.DataServer"
#: Seconds a new connection has for each step of the handshake (Hello, Authenticate), and how many may be in it.
HANDSHAKE_SECONDS = 10.0
MAX_HANDSHAKES = 32
#: The largest message a client may send: ample for any request (a property takes at most 100,000 values).
MAX_REQUEST_BYTES = 16 * 2**20


class Frontend:
    """Serves client streams on behalf of a :class:`Service`."""

    def __init__(
        self,
        service: Service,
        engine: Engine,
        on_client_left: Callable[[], None] | None = None,
        budget: QueueBudget | None = None,
    ) -> None:
        self.service = service
        self.engine = engine
        self.on_client_left = on_client_left
        #: The bytes queued for every client together (see pvserver.outbox).
        self.budget = budget or QueueBudget()
        self._handshakes = 0  # streams in their handshake now (on the event loop: no lock)

    async def session(self, requests: AsyncIterator[bytes], context: grpc.aio.ServicerContext) -> AsyncIterator[bytes]:
        """The Session RPC: the handshake, then answer requests and forward events until the client leaves."""
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        requests = aiter(requests)
        peer, request_id = context.peer(), 0
        if self._handshakes >= MAX_HANDSHAKES:  # unauthenticated peers may not hold much of the server's memory
            log.warning("refused a connection from %s: %d others are in their handshake", peer, self._handshakes)
            yield codec.encode_reply(0, messages.ErrorReply("ServerBusyError", "Too many clients are joining now."))
            return
        self._handshakes += 1
        try:
            request_id, hello = await self._next(requests, messages.Hello, "Hello")
            _check_nonce(hello.client_nonce)
            check_protocol(hello)
            token, server_nonce = self.service.options.token, auth.nonce()
            proof = auth.server_proof(token, hello.client_nonce, server_nonce) if token else b""
            yield codec.encode_reply(request_id, messages.Challenge(bool(token), server_nonce, proof))
            request_id, answer = await self._next(requests, messages.Authenticate, "Authenticate")
            if token and not auth.is_valid(
                auth.client_proof(token, hello.client_nonce, server_nonce), answer.client_proof
            ):
                log.warning("refused a client from %s: it did not prove that it knows the token", peer)
                raise AuthenticationError(
                    "Connection refused: this server requires its secret token (Connect(..., token=...) or "
                    "pvpython --token-file FILE; local clients of the server's user find it by themselves)."
                )
        except (StopAsyncIteration, grpc.RpcError):
            return
        except TimeoutError:
            log.warning("closed a connection from %s: no handshake within %g s", peer, HANDSHAKE_SECONDS)
            return
        except PVError as exc:
            log.info("refused a client from %s: %s", peer, exc.message)
            yield codec.encode_reply(request_id, messages.ErrorReply(type(exc).__name__, exc.message))
            return
        finally:
            self._handshakes -= 1
        outbox = Outbox(loop, lambda: loop.call_soon_threadsafe(task.cancel), self.budget)
        try:
            connecting = self.engine.submit(self.service.run_light, self.service.connect, hello, outbox, light=True)
            welcome = await asyncio.shield(asyncio.wrap_future(connecting))
        except asyncio.CancelledError:  # the client vanished while joining: it leaves once it has joined
            connecting.add_done_callback(lambda done: done.exception() is None and self._leave(done.result().client_id))
            outbox.discard()
            raise
        except PVError as exc:
            log.info("refused a client from %s: %s", peer, exc.message)
            outbox.discard()
            yield codec.encode_reply(request_id, messages.ErrorReply(type(exc).__name__, exc.message))
            return
        client_id = welcome.client_id
        reader = asyncio.create_task(self._read(client_id, requests, outbox), name=f"client-{client_id}")
        try:
            for part in codec.encode_welcome(request_id, welcome)[1]:  # encoded part by part as the client takes
                yield part
            while (data := await outbox.get()) is not CLOSE:
                yield data
            if outbox.overflowed:
                await context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "The client stopped reading its stream.")
        finally:  # the client left, vanished, or was dropped
            outbox.discard()
            reader.cancel()
            self._leave(client_id)

    @staticmethod
    async def _next(requests: AsyncIterator[bytes], expected: type, name: str) -> tuple[int, Any]:
        """The next handshake message, which must be ``expected`` and come within HANDSHAKE_SECONDS."""
        request_id, request = codec.decode_request(await asyncio.wait_for(anext(requests), HANDSHAKE_SECONDS))
        if not isinstance(request, expected):
            raise ProtocolError(f"Expected {name} at this point of the handshake, not {type(request).__name__}.")
        return request_id, request

    async def _read(self, client_id: int, requests: AsyncIterator[bytes], outbox: Outbox) -> None:
        # Requests go to the engine without waiting for the previous answer (answers keep their order), so that
        # a CancelRequest can be read, and acted on at once, while a long update runs.
        queued: set[Future] = set()
        try:
            if not await self._submit_requests(client_id, requests, outbox, queued):
                _skip(client_id, queued)  # the stream ended without a Goodbye: the client is gone
            for future in list(queued):  # deliver the answers still being computed before closing
                with contextlib.suppress(Exception):
                    await asyncio.shield(asyncio.wrap_future(future))
        except asyncio.CancelledError:  # the session ended under this task: the client was dropped
            _skip(client_id, queued)
            raise
        finally:
            outbox.close()

    async def _submit_requests(
        self, client_id: int, requests: AsyncIterator[bytes], outbox: Outbox, queued: set[Future]
    ) -> bool:
        """Pass the client's requests to the engine, adding their futures to ``queued``; True if it said Goodbye."""
        light: set[Future] = set()
        try:
            async for data in requests:
                try:
                    request_id, request = codec.decode_request(data)
                except ProtocolError as exc:
                    outbox.put((0, messages.ErrorReply("ProtocolError", exc.message)))
                    continue
                if isinstance(request, messages.CancelRequest):
                    self.engine.cancel()
                    outbox.put((request_id, messages.StateDelta()))
                    continue
                # Light only when nothing of this client's waits before it: its answers keep their order.
                if self.service.is_light(request) and not any(f not in light for f in queued):
                    future = self.engine.submit(
                        self.service.run_light, self.service.handle, client_id, request, light=True
                    )
                    light.add(future)
                    future.add_done_callback(light.discard)
                else:
                    future = self.engine.submit(self.service.handle, client_id, request, client=client_id)
                queued.add(future)
                future.add_done_callback(queued.discard)
                future.add_done_callback(lambda done, rid=request_id: outbox.put((rid, _result(done))))
                if isinstance(request, messages.Goodbye):
                    return True
        except grpc.RpcError:
            pass  # the client went away
        except PVError as exc:  # the engine is shutting down
            outbox.put((0, messages.ErrorReply(type(exc).__name__, exc.message)))
        return False

    def _leave(self, client_id: int) -> None:
        try:
            left = self.engine.submit(self.service.run_light, self.service.disconnect, client_id, light=True)
        except PVError:
            return
        if self.on_client_left is not None:
            left.add_done_callback(lambda done: done.exception() is None and self.on_client_left())

    def handler(self) -> grpc.GenericRpcHandler:
        """The gRPC handler to register on a server."""
        method = grpc.stream_stream_rpc_method_handler(self.session)  # raw bytes in and out
        return grpc.method_handlers_generic_handler(SERVICE_NAME, {"Session": method})


def _check_nonce(nonce: bytes) -> None:
    if len(nonce) != auth.NONCE_BYTES:
        raise ProtocolError(f"Hello needs a client_nonce of {auth.NONCE_BYTES} random bytes, not {len(nonce)}.")


def _skip(client_id: int, queued: set[Future]) -> None:
    """Skip the requests of a client that is gone which the engine has not started, so others need not wait."""
    skipped = sum(future.cancel() for future in list(queued))  # a copy: cancel() runs the callback that discards
    if skipped:
        log.info("client %d left; %d request(s) it had queued were skipped", client_id, skipped)


def _result(done: Future) -> Any:
    """A finished request's reply; an engine shutting down (or an unexpected exception) answers with an error."""
    if done.cancelled():
        return messages.ErrorReply("PVError", "The request was cancelled before it ran.")
    try:
        return done.result()
    except PVError as exc:
        return messages.ErrorReply(type(exc).__name__, exc.message)
    except Exception as exc:  # a bug: logged with its traceback, and the client still gets an answer
        log.exception("unexpected error while handling a request")
        return messages.ErrorReply("PVError", f"Internal server error: {type(exc).__name__}: {exc}")


class GrpcServer:
    """The asyncio gRPC server on an event loop thread of its own, driven from ordinary threads."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="grpc-loop", daemon=True)
        self._server: grpc.aio.Server | None = None

    def start(self, frontend: Frontend, host: str, port: int, tls: tuple[bytes, bytes] | None) -> int:
        """Listen on ``host:port`` (0 picks a free port); returns the bound port."""
        self._thread.start()
        try:
            return asyncio.run_coroutine_threadsafe(self._start(frontend, host, port, tls), self.loop).result()
        except BaseException:
            self.stop(grace=0)
            raise

    async def _start(self, frontend: Frontend, host: str, port: int, tls: tuple[bytes, bytes] | None) -> int:
        self._server = grpc.aio.server(options=_server_options())
        self._server.add_generic_rpc_handlers((frontend.handler(),))
        target = host if host.startswith("unix:") else f"{host}:{port}"  # unix:PATH: a reverse connection's socket
        try:
            if tls is not None:
                credentials = grpc.ssl_server_credentials([(tls[1], tls[0])])
                bound = self._server.add_secure_port(target, credentials)
            else:
                bound = self._server.add_insecure_port(target)
        except RuntimeError:  # newer gRPC raises where older ones returned 0
            bound = 0
        if bound == 0:
            raise OSError(f"Cannot listen on {host}:{port}: the address is in use or not available.")
        await self._server.start()
        return bound

    def stop(self, grace: float = 1.0) -> None:
        """Close every stream (after ``grace`` seconds at most) and end the event loop thread."""
        if self._server is not None and self._thread.is_alive():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._server.stop(grace), self.loop).result(timeout=grace + 10)
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=10)


def start_grpc_server(
    frontend: Frontend, host: str, port: int, tls: tuple[bytes, bytes] | None = None
) -> tuple[GrpcServer, int]:
    """Start serving on ``host:port`` (0 picks a free port), with TLS when ``tls`` = (cert PEM, key PEM).

    Returns the server and the bound port.
    """
    server = GrpcServer()
    return server, server.start(frontend, host, port, tls)


def _server_options() -> list[tuple[str, Any]]:
    return [
        ("grpc.max_receive_message_length", MAX_REQUEST_BYTES),
        ("grpc.max_send_message_length", 256 * 1024 * 1024),
        ("grpc.keepalive_time_ms", 20_000),
        ("grpc.keepalive_timeout_ms", 10_000),
        ("grpc.http2.min_ping_interval_without_data_ms", 5_000),
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.so_reuseport", 0),
    ]
