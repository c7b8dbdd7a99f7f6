"""A fake pvserver squatting on a port: it speaks the wire protocol, records every byte a client sends it, and
answers as a test tells it to (e.g. with a forged proof, or with a pickle where data belongs)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent import futures
from typing import Any

import grpc

from pvcore import messages
from pvwire import codec

#: Given each decoded request, returns the replies to send (dataclasses; a Welcome is sent in parts).
Answer = Callable[[Any], list[Any]]


class FakeServer:
    """A gRPC server on a free loopback port that answers Session streams with ``answer``."""

    def __init__(self, answer: Answer) -> None:
        self.received: list[bytes] = []
        self._answer = answer
        self._lock = threading.Lock()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        handler = grpc.stream_stream_rpc_method_handler(self._session)
        self._server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler("pvcollab.v1.DataServer", {"Session": handler}),)
        )
        self.port = self._server.add_insecure_port("localhost:0")
        self._server.start()

    def _session(self, requests: Iterator[bytes], _context: Any) -> Iterator[bytes]:
        for data in requests:
            with self._lock:
                self.received.append(data)
            request_id, request = codec.decode_request(data)
            for reply in self._answer(request):
                if isinstance(reply, messages.Welcome):
                    yield from codec.encode_welcome(request_id, reply)[1]
                else:
                    yield codec.encode_reply(request_id, reply)

    def requests(self) -> list[Any]:
        """What clients sent, decoded."""
        with self._lock:
            return [codec.decode_request(data)[1] for data in self.received]

    def stop(self) -> None:
        self._server.stop(grace=0)
