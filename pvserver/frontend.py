"""The gRPC front end on rank 0: one bidirectional stream per client.

It unpacks messages, hands them to the service on the engine thread, and streams back replies and events.
It never touches VTK or MPI. Requests arrive as raw bytes (no deserializer in the method handler), so that a
malformed message gets an error reply on a stream that stays open, instead of killing the stream.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent import futures
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


class Outbox(queue.Queue):
    """What is waiting to be streamed to one client; bounded, so that a client that stops reading cannot make
    the server's memory grow: past the bound it is dropped and the others carry on."""

    def __init__(self, on_overflow: Callable[[], None], maxsize: int = MAX_QUEUED) -> None:
        super().__init__()  # bounded here, by put()
        self.limit = maxsize
        self._on_overflow = on_overflow
        self.overflowed = False
        self._progress_at = time.monotonic()  # when the client last took a message, or one began to wait
        self.queued_bytes = 0

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        if self.overflowed:
            return
        size, weight = self.qsize(), _payload_bytes(item)
        if size == 0:
            self._progress_at = time.monotonic()
        elif self.queued_bytes + weight > MAX_QUEUED_BYTES or (
            size >= self.limit
            and (size >= HARD_LIMIT * self.limit or time.monotonic() - self._progress_at > STALL_SECONDS)
        ):
            self.overflowed = True
            log.warning("a client stopped reading (%d messages queued); dropping it", size)
            self._on_overflow()
            return
        with self.mutex:
            self.queued_bytes += weight
        super().put(item)

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        item = super().get(block, timeout)
        with self.mutex:
            self.queued_bytes -= _payload_bytes(item)
        self._progress_at = time.monotonic()
        return item

    def close(self) -> None:
        """Wake the streaming loop to end it, even when the queue is full."""
        with self.mutex:
            self.queue.append(_CLOSE)
            self.not_empty.notify()


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

    def session(self, requests: Iterator[bytes], context: grpc.ServicerContext) -> Iterator[bytes]:
        """The Session RPC: greet, then answer requests and forward events until the client leaves."""
        outbox = Outbox(on_overflow=context.cancel)
        try:
            request_id, hello = codec.decode_request(next(requests))
        except StopIteration:
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
            welcome = self.engine.call(self.service.connect, hello, outbox)
        except PVError as exc:
            log.info("refused a client: %s", exc.message)
            yield codec.encode_reply(request_id, messages.ErrorReply(type(exc).__name__, exc.message))
            return
        client_id = welcome.client_id
        reader = threading.Thread(
            target=self._read, args=(client_id, requests, outbox), daemon=True, name=f"client-{client_id}"
        )
        reader.start()
        context.add_callback(outbox.close)  # the client vanished (or was dropped): stop streaming to it
        try:
            yield codec.encode_reply(request_id, welcome)
            while True:
                item = outbox.get()
                if item is _CLOSE:
                    break
                if isinstance(item, messages.Event):
                    if item.wire is None:
                        item.wire = codec.encode_reply(0, item)
                    yield item.wire
                else:
                    yield codec.encode_reply(*item)
        finally:
            self._leave(client_id)

    def _read(self, client_id: int, requests: Iterator[bytes], outbox: queue.Queue) -> None:
        # Requests go to the engine without waiting for the previous answer (answers keep their order), so that
        # a CancelRequest can be read, and acted on at once, while a long update runs.
        last: Future | None = None
        try:
            for data in requests:
                try:
                    request_id, request = codec.decode_request(data)
                except ProtocolError as exc:
                    outbox.put((0, messages.ErrorReply("ProtocolError", exc.message)))
                    continue
                if isinstance(request, messages.CancelRequest):
                    self.engine.cancel()
                    outbox.put((request_id, messages.StateDelta()))
                    continue
                last = self.engine.submit(self.service.handle, client_id, request)
                last.add_done_callback(lambda done, rid=request_id: outbox.put((rid, _result(done))))
                if isinstance(request, messages.Goodbye):
                    break
        except grpc.RpcError:
            pass  # the client went away; the stream's callback closes the outbox
        except PVError as exc:  # the engine is shutting down
            outbox.put((0, messages.ErrorReply(type(exc).__name__, exc.message)))
        finally:
            if last is not None:
                with contextlib.suppress(Exception):
                    last.result(timeout=600)  # deliver the answers still being computed before closing
            outbox.close()

    def _leave(self, client_id: int) -> None:
        try:
            self.engine.call(self.service.disconnect, client_id)
        except PVError:
            return
        if self.on_client_left is not None:
            self.on_client_left()

    def handler(self) -> grpc.GenericRpcHandler:
        """The gRPC handler to register on a server."""
        method = grpc.stream_stream_rpc_method_handler(self.session)  # raw bytes in and out
        return grpc.method_handlers_generic_handler(SERVICE_NAME, {"Session": method})


def _result(done: Future) -> Any:
    """A finished request's reply; an engine shutting down (or an unexpected exception) answers with an error."""
    try:
        return done.result()
    except PVError as exc:
        return messages.ErrorReply(type(exc).__name__, exc.message)
    except Exception as exc:  # a bug: logged with its traceback, and the client still gets an answer
        log.exception("unexpected error while handling a request")
        return messages.ErrorReply("PVError", f"Internal server error: {type(exc).__name__}: {exc}")


def start_grpc_server(
    frontend: Frontend, host: str, port: int, max_clients: int = 0, tls: tuple[bytes, bytes] | None = None
) -> tuple[grpc.Server, int]:
    """Start serving on ``host:port`` (0 picks a free port), with TLS when ``tls`` = (cert PEM, key PEM).

    Returns the server and the bound port.
    """
    workers = max(16, 2 * max_clients + 8) if max_clients else 128  # each client stream holds one thread
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grpc"), options=_server_options()
    )
    server.add_generic_rpc_handlers((frontend.handler(),))
    try:
        if tls is not None:
            credentials = grpc.ssl_server_credentials([(tls[1], tls[0])])
            bound = server.add_secure_port(f"{host}:{port}", credentials)
        else:
            bound = server.add_insecure_port(f"{host}:{port}")
    except RuntimeError:  # newer gRPC raises where older ones returned 0
        bound = 0
    if bound == 0:
        raise OSError(f"Cannot listen on {host}:{port}: the address is in use or not available.")
    server.start()
    return server, bound


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
