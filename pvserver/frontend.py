"""The gRPC front end on rank 0: one bidirectional stream per client, served by one asyncio event loop.

It unpacks messages, hands them to the service on the engine thread, and streams back replies and events.
It never touches VTK or MPI. Requests arrive as raw bytes (no deserializer in the method handler), so that a
malformed message gets an error reply on a stream that stays open, instead of killing the stream.

All client streams live on one event loop thread (``grpc.aio``): fanning an event out to 32 clients is 32
writes queued on that loop, not 32 threads woken one after another, each taking the GIL in turn.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from typing import Any

import grpc

from pvserver import messages
from pvserver.engine import Engine
from pvserver.errors import ProtocolError, PVError
from pvserver.service import Service
from pvwire import codec

log = logging.getLogger(__name__)

SERVICE_NAME = "pvcollab.v1.DataServer"
_CLOSE = object()
#: Replies and events queued for one client: past this, a client that has taken nothing for STALL_SECONDS is
#: dropped (it stopped reading), and any client past HARD_LIMIT times as many. A client that reads, but more slowly
#: than a burst arrives (thousands of progress events of a deep pipeline's update), is not dropped.
MAX_QUEUED = 1_000
STALL_SECONDS = 5.0
HARD_LIMIT = 50
#: Bytes of images and fetched data queued for one client: a client that asks for many and reads none is dropped.
MAX_QUEUED_BYTES = 512 * 2**20


class Outbox:
    """What is waiting to be streamed to one client.

    Any thread puts (the engine thread publishes events, finished requests put their replies); the client's
    stream, on the event loop, takes. Bounded, so that a client that stops reading cannot make the server's
    memory grow: past the bound it is dropped and the others carry on.
    """

    def __init__(
        self, loop: asyncio.AbstractEventLoop, on_overflow: Callable[[], None], limit: int = MAX_QUEUED
    ) -> None:
        self.limit = limit
        self._on_overflow = on_overflow
        self.overflowed = False
        self.queued_bytes = 0
        self._loop = loop
        self._items: collections.deque[Any] = collections.deque()
        self._lock = threading.Lock()
        self._closed = False
        self._waiter: asyncio.Future | None = None  # the stream waiting for the next item
        self._progress_at = time.monotonic()  # when the client last took a message, or one began to wait

    def put(self, item: Any) -> None:
        """Queue a reply or event (any thread); a client that stopped reading is dropped instead."""
        with self._lock:
            if self._closed:
                return
            size, weight = len(self._items), _payload_bytes(item)
            if size == 0:
                self._progress_at = time.monotonic()
            if size and (
                self.queued_bytes + weight > MAX_QUEUED_BYTES
                or (
                    size >= self.limit
                    and (size >= HARD_LIMIT * self.limit or time.monotonic() - self._progress_at > STALL_SECONDS)
                )
            ):
                log.warning("a client stopped reading (%d messages queued); dropping it", size)
                self.overflowed = self._closed = True
                self._items.clear()
                self._on_overflow()  # its stream may be stuck in a write that the client never takes
            else:
                self._items.append(item)
                self.queued_bytes += weight
            self._wake()

    def close(self) -> None:
        """End the stream once what is queued was sent (any thread)."""
        with self._lock:
            self._closed = True
            self._wake()

    async def get(self) -> Any:
        """The next item, or ``_CLOSE`` once the outbox is closed and empty (on the event loop)."""
        while True:
            with self._lock:
                if self._items:
                    item = self._items.popleft()
                    self.queued_bytes -= _payload_bytes(item)
                    self._progress_at = time.monotonic()
                    return item
                if self._closed:
                    return _CLOSE
                waiter = self._waiter = self._loop.create_future()
            await waiter

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            self._loop.call_soon_threadsafe(_resolve, waiter)


def _resolve(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _payload_bytes(item: Any) -> int:
    """The bulk bytes of a queued reply (an image, fetched data); events and other replies are small."""
    reply = item[1] if isinstance(item, tuple) else None
    data = getattr(reply, "data", None)
    return len(data) if isinstance(data, bytes) else 0


class Frontend:
    """Serves client streams on behalf of a :class:`Service`."""

    def __init__(self, service: Service, engine: Engine, on_client_left: Callable[[], None] | None = None) -> None:
        self.service = service
        self.engine = engine
        self.on_client_left = on_client_left

    async def session(self, requests: AsyncIterator[bytes], context: grpc.aio.ServicerContext) -> AsyncIterator[bytes]:
        """The Session RPC: greet, then answer requests and forward events until the client leaves."""
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        outbox = Outbox(loop, on_overflow=lambda: loop.call_soon_threadsafe(task.cancel))
        requests = aiter(requests)
        try:
            request_id, hello = codec.decode_request(await anext(requests))
        except StopAsyncIteration:
            return
        except ProtocolError as exc:
            yield codec.encode_reply(0, messages.ErrorReply("ProtocolError", exc.message))
            return
        if not isinstance(hello, messages.Hello):
            yield codec.encode_reply(
                request_id,
                messages.ErrorReply("ProtocolError", "The first message of a session must be Hello."),
            )
            return
        try:
            connecting = self.engine.submit(self.service.connect, hello, outbox)
            welcome = await asyncio.shield(asyncio.wrap_future(connecting))
        except asyncio.CancelledError:  # the client vanished while joining: it leaves once it has joined
            connecting.add_done_callback(lambda done: done.exception() is None and self._leave(done.result().client_id))
            raise
        except PVError as exc:
            log.info("refused a client: %s", exc.message)
            yield codec.encode_reply(request_id, messages.ErrorReply(type(exc).__name__, exc.message))
            return
        client_id = welcome.client_id
        reader = asyncio.create_task(self._read(client_id, requests, outbox), name=f"client-{client_id}")
        try:
            yield codec.encode_reply(request_id, welcome)
            while (item := await outbox.get()) is not _CLOSE:
                if isinstance(item, messages.Event):
                    if item.wire is None:  # encoded once for every client that sees the event alike
                        item.wire = codec.encode_reply(0, item)
                    yield item.wire
                else:
                    yield codec.encode_reply(*item)
            if outbox.overflowed:
                await context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "The client stopped reading its stream.")
        finally:  # the client left, vanished, or was dropped
            outbox.close()
            reader.cancel()
            self._leave(client_id)

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
                future = self.engine.submit(self.service.handle, client_id, request)
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
            left = self.engine.submit(self.service.disconnect, client_id)
        except PVError:
            return
        if self.on_client_left is not None:
            left.add_done_callback(lambda done: done.exception() is None and self.on_client_left())

    def handler(self) -> grpc.GenericRpcHandler:
        """The gRPC handler to register on a server."""
        method = grpc.stream_stream_rpc_method_handler(self.session)  # raw bytes in and out
        return grpc.method_handlers_generic_handler(SERVICE_NAME, {"Session": method})


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
        try:
            if tls is not None:
                credentials = grpc.ssl_server_credentials([(tls[1], tls[0])])
                bound = self._server.add_secure_port(f"{host}:{port}", credentials)
            else:
                bound = self._server.add_insecure_port(f"{host}:{port}")
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
        ("grpc.max_receive_message_length", 64 * 1024 * 1024),
        ("grpc.max_send_message_length", 256 * 1024 * 1024),
        ("grpc.keepalive_time_ms", 20_000),
        ("grpc.keepalive_timeout_ms", 10_000),
        ("grpc.http2.min_ping_interval_without_data_ms", 5_000),
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.so_reuseport", 0),
    ]
