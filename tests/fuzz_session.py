"""How the wire fuzzing tests (tests/multiprocess/test_fuzz*.py) talk to a real 2-rank ``--multi-clients`` server:
raw gRPC Session streams (the method the client uses, with no serializer: bytes as they are), the check of each
answer against the codec's own reading of the message, a wall-clock budget per fuzz run, and what a normal client
checks before and after.

The amount of fuzzing is bounded twice: by ``max_examples`` and by a wall-clock budget per test (the first example
past the budget ends the run, once the test's minimum of messages is sent: a loaded machine gets up to four times
the budget).
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

import grpc
import pytest
from hypothesis import HealthCheck, Phase
from servers import raw_join

from pvclient.connection import Connection
from pvcore import messages
from pvcore.errors import ERROR_TYPES, ProtocolError
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

RANKS = 2
METHOD = "/pvcollab.v1.DataServer/Session"
#: The server must answer every message within this (a 64x64 render takes milliseconds).
REPLY_TIMEOUT = 30.0
_END = object()

FUZZ_SETTINGS = {
    "deadline": None,
    "database": None,  # no .hypothesis folder in the work tree
    "phases": (Phase.explicit, Phase.generate),  # no shrinking against a live server: report the first failure
    "suppress_health_check": list(HealthCheck),
}


class BudgetSpentError(Exception):
    """Raised by an example once its test's time budget is spent: hypothesis stops at once (examples that only
    returned would still be generated, which takes long for the large ones)."""


class Budget:
    """A fuzz run's time: spent after ``seconds`` once ``counts[key]`` reached ``minimum``, so that a loaded
    machine gets more time for the work every run must do (up to four times as much)."""

    def __init__(self, seconds: float, counts: dict[str, Any], key: str, minimum: int) -> None:
        self.end, self.last = time.monotonic() + seconds, time.monotonic() + 4 * seconds
        self.counts, self.key, self.minimum = counts, key, minimum

    def check(self) -> None:
        """Raise BudgetSpentError if the run should end now."""
        now = time.monotonic()
        if (now > self.end and self.counts[self.key] >= self.minimum) or now > self.last:
            raise BudgetSpentError


# ----------------------------------------------------------------------------------------------- a raw stream


class RawStream:
    """One Session stream on a shared channel: bytes out, ServerMessages in (read by a thread)."""

    def __init__(self, channel: grpc.Channel) -> None:
        self._out: queue.Queue = queue.Queue()
        self._in: queue.Queue = queue.Queue()
        session = channel.stream_stream(
            METHOD, request_serializer=None, response_deserializer=pb.ServerMessage.FromString
        )
        self._call = session(iter(self._out.get, _END), wait_for_ready=True)
        self.ended: str | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def join(self, address: str, user: str) -> pb.ServerMessage | None:
        """The handshake; returns the Welcome (or what answered instead)."""
        return raw_join(self.send, self.answer, address, user)

    def _read(self) -> None:
        try:
            for msg in self._call:
                self._in.put(msg)
            self._in.put(("ended", "OK"))
        except grpc.RpcError as exc:
            self._in.put(("ended", exc.code().name))

    def send(self, data: bytes) -> None:
        self._out.put(data)

    def answer(self, timeout: float = REPLY_TIMEOUT) -> pb.ServerMessage | None:
        """The next message that is not an event; None once the stream ended."""
        deadline = time.monotonic() + timeout
        while self.ended is None:
            try:
                msg = self._in.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"the server did not answer within {timeout:g} s") from None
            if isinstance(msg, tuple):
                self.ended = msg[1]
            elif msg.WhichOneof("body") != "event":
                return msg
        return None

    def close(self) -> None:
        self._out.put(_END)
        self._call.cancel()
        self._reader.join(timeout=10)


def describe(data: bytes) -> str:
    """A message in short, for reports."""
    try:
        return repr(codec.decode_request(data)[1])[:300]
    except ProtocolError:
        return f"malformed {data[:40]!r} ({len(data)} bytes)"


def check_answer(data: bytes, answer: pb.ServerMessage | None) -> bool:
    """Check the server's answer to one fuzzed message against the codec's own reading of it.

    Returns False when the message ended the session (a Goodbye).
    """
    try:
        rid, request = codec.decode_request(data)
    except ProtocolError:
        assert answer is not None, f"the stream closed after a malformed message {data!r}"
        assert answer.WhichOneof("body") == "error" and answer.error.kind == "ProtocolError", answer
        assert answer.request_id == 0
        return True
    assert answer is not None, f"the stream closed, without an answer, after {request!r}"
    assert answer.request_id == rid, (request, answer)
    body = answer.WhichOneof("body")
    if body == "error":
        assert answer.error.kind in ERROR_TYPES, answer.error
        assert answer.error.message, answer.error
    else:
        assert body in ("delta", "information", "image", "undo_status", "data_object"), (request, body)
    return not isinstance(request, messages.Goodbye)


# ----------------------------------------------------------------------------------------------- a normal client


def build_pipeline(conn: Connection) -> dict[str, Any]:
    wavelet = conn.create("sources", "Wavelet")
    contour = conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [130.0, 170.0]})
    clip = conn.create("filters", "Clip", {"Input": wavelet, "ClipType": "Sphere"})
    view = conn.create("views", "RenderView", {"ViewSize": [64, 64]})
    rep = conn.create("representations", "GeometryRepresentation", {"Input": contour})
    conn.update(view, {"Representations": [rep]})
    return {"wavelet": wavelet, "contour": contour, "clip": clip, "view": view}


def assert_serves(conn: Connection) -> None:
    """Create, update, gather information and render: everything a client does, on every rank."""
    sphere = conn.create("sources", "Sphere", {"ThetaResolution": 16})
    conn.update(sphere, {"Radius": 2.0, "PhiResolution": 12})
    info = conn.information(sphere)
    assert info.number_of_cells > 0 and info.bounds[1] == pytest.approx(2.0, rel=0.05)
    assert info.number_of_partitions == RANKS
    view = conn.create("views", "RenderView")
    rep = conn.create("representations", "GeometryRepresentation", {"Input": sphere})
    conn.update(view, {"Representations": [rep]})
    image = conn.request(messages.RenderRequest(view.GlobalID, 64, 48))
    assert (image.width, image.height) == (64, 48) and image.data.startswith(b"\x89PNG")


def assert_clean_log(server: Any) -> None:
    log = server.log()
    assert "Traceback" not in log and "Exception in thread" not in log, log[-6000:]
