"""Fuzzing the wire against a real 2-rank ``--multi-clients`` server.

Thousands of generated and corrupted messages go to the server on raw gRPC streams (the method the client uses,
with no serializer: bytes as they are): random bytes, ClientMessages from :mod:`pvwire.pvcollab_pb2` with random
fields, unknown ids, huge or NaN values, values of the wrong type, unknown proxy types and properties, file names
outside the data directory or with NUL characters, and valid messages bit-flipped, truncated or followed by garbage.
Each stream starts with a valid Hello.

For every message the server must answer exactly once (an error for what it cannot accept) and keep the stream
open; afterwards a normal client sees the state from before (a pipeline built beforehand is intact) and can
still create, update, gather information and render, and the server log holds no traceback. A second test gives
the fuzzer the master role, so that generated changes get past the permission check into validation and onto
the ranks, and checks that every client's mirror still equals the server's state afterwards. A last test builds
the shapes a fuzzer rarely reaches: a filter as its own input, a cycle, a chain as deep as allowed (computed) and one
deeper, values past every limit, a message past gRPC's size limit, and proxies up to the session's limit of 10,000,
with the ranks' memory measured before and after.

The amount of fuzzing is bounded twice: by ``max_examples`` and by a wall-clock budget per test (the first
example past the budget ends the run, once the test's minimum of messages is sent: a loaded machine gets up to
four times the budget), so that the module takes about a minute.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import threading
import time
from pathlib import Path
from typing import Any

import grpc
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from servers import raw_join

from pvclient.connection import Connection
from pvcore import messages
from pvcore.errors import ERROR_TYPES, DependencyError, PropertyError, ProtocolError, RenderError
from pvserver import session
from pvserver.pipeline import catalogue
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

RANKS = 2
METHOD = "/pvcollab.v1.DataServer/Session"
#: Wall-clock budget of the generated examples of each fuzz test (seconds), and their number at most.
FUZZ_SECONDS = 15.0
MAX_EXAMPLES = 2_000
MASTER_FUZZ_SECONDS = 8.0
MASTER_MAX_EXAMPLES = 200
#: The server must answer every message within this (a 64x64 render takes milliseconds).
REPLY_TIMEOUT = 30.0
_END = object()

FUZZ_SETTINGS = {
    "deadline": None,
    "database": None,  # no .hypothesis folder in the work tree
    "phases": (Phase.explicit, Phase.generate),  # no shrinking against a live server: report the first failure
    "suppress_health_check": list(HealthCheck),
}

# ----------------------------------------------------------------------------------------------- strategies

SPECS = catalogue.specs()
GROUPS = sorted({s.group for s in SPECS})
TYPE_NAMES = sorted({s.name for s in SPECS})
PROPERTY_NAMES = sorted({p.name for s in SPECS for p in s.properties})
WORDS = sorted(
    {v for s in SPECS for p in s.properties for v in p.values}
    | {"POINTS", "CELLS", "FIELD", "RTData", "Normals", "UpdatePipeline", "ResetCamera", "png", "jpeg"}
)
INT_EDGES = [0, 1, -1, 2**31 - 1, -(2**31), 2**31, 2**32, 2**63 - 1, -(2**63)]
UINT_EDGES = [0, 1, 2**31, 2**32 - 1, 2**32, 2**63, 2**64 - 1]
FLOAT_EDGES = [math.nan, -math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0, 1e-300]

live_ids = st.integers(1, 8)  # the proxies built before fuzzing have the first ids
any_ids = st.one_of(st.integers(0, 30), st.sampled_from(UINT_EDGES), st.integers(0, 2**64 - 1))
ids = st.one_of(live_ids, live_ids, live_ids, any_ids)
int64s = st.one_of(st.integers(-5, 300), st.sampled_from(INT_EDGES), st.integers(-(2**63), 2**63 - 1))
doubles = st.one_of(st.floats(-1e3, 1e3), st.sampled_from(FLOAT_EDGES), st.floats())
texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=30), st.text(min_size=200, max_size=2000))
names = st.one_of(st.sampled_from(PROPERTY_NAMES), st.sampled_from(PROPERTY_NAMES), texts)
big_count = st.sampled_from([catalogue.MAX_VALUES, catalogue.MAX_VALUES + 1])


@st.composite
def values(draw: Any) -> pb.Value:
    """A property value: ints, doubles or strings (or nothing), of any length, sometimes past the limit."""
    out = pb.Value()
    kind = draw(st.sampled_from(["ints", "doubles", "strings", "none", "big"]))
    size = st.integers(0, 8)
    if kind == "ints":
        out.ints.values.extend(draw(st.lists(int64s, max_size=8)))
    elif kind == "doubles":
        out.doubles.values.extend(draw(st.lists(doubles, max_size=8)))
    elif kind == "strings":
        out.strings.values.extend(draw(st.lists(texts, max_size=draw(size))))
    elif kind == "big":
        out.doubles.values.extend([1.5] * draw(big_count))
    return out


def fill_properties(draw: Any, target: Any) -> None:
    for name in draw(st.lists(names, max_size=4, unique=True)):
        target[name].CopyFrom(draw(values()))


@st.composite
def client_messages(draw: Any, kinds: tuple[str, ...] | None = None) -> pb.ClientMessage:
    """A ClientMessage that protobuf accepts, with random (mostly wrong) content."""
    msg = pb.ClientMessage(request_id=draw(st.one_of(st.integers(1, 1000), st.sampled_from(UINT_EDGES))))
    kind = draw(st.sampled_from(kinds or WEIGHTED_KINDS))
    if kind == "hello":
        msg.hello.protocol_major = draw(st.sampled_from([1, 0, 2, 2**32 - 1]))
        msg.hello.user = draw(texts)
        msg.hello.connect_id = draw(int64s)
    elif kind == "create":
        msg.create.group = draw(st.one_of(st.sampled_from(GROUPS), texts))
        msg.create.type = draw(st.one_of(st.sampled_from(TYPE_NAMES), texts))
        msg.create.registration_name = draw(st.one_of(st.just(""), texts))
        fill_properties(draw, msg.create.properties)
    elif kind == "update":
        msg.update.global_id = draw(ids)
        msg.update.registration_name = draw(st.one_of(st.just(""), texts))
        fill_properties(draw, msg.update.properties)
    elif kind == "camera":  # camera properties of a view: each client's own, so allowed to anyone
        msg.update.global_id = draw(ids)
        cameras = [p.name for p in catalogue.get("views", "RenderView").properties if p.name.startswith("Camera")]
        for name in draw(st.lists(st.sampled_from([*cameras, "CameraFoo"]), min_size=1, max_size=3, unique=True)):
            msg.update.properties[name].CopyFrom(draw(values()))
    elif kind == "delete":
        msg.delete.global_id = draw(ids)
    elif kind == "invoke":
        msg.invoke.global_id = draw(ids)
        methods = st.sampled_from(["UpdatePipeline", "ResetCamera"])
        msg.invoke.method = draw(st.one_of(methods, methods, methods, texts))
        for value in draw(st.lists(values(), max_size=2)):
            msg.invoke.arguments.add().CopyFrom(value)
    elif kind == "gather":
        msg.gather_information.global_id = draw(ids)
    elif kind == "render":
        msg.render.view_id = draw(ids)
        # Small sizes, or sizes the server must refuse before allocating anything: never a legal huge image.
        small = st.integers(1, 64)
        side = st.one_of(small, small, st.just(0), st.integers(catalogue.MAX_VIEW_SIDE + 1, 2**32 - 1))
        msg.render.width, msg.render.height = draw(side), draw(side)
        msg.render.format = draw(st.one_of(st.sampled_from(["png", "jpeg", "", "PNG", "gif"]), texts))
        msg.render.quality = draw(st.one_of(st.integers(0, 100), st.sampled_from([101, 255, 2**31, 2**32 - 1])))
        msg.render.interactive = draw(st.booleans())
    elif kind == "goodbye":
        msg.goodbye.SetInParent()
    elif kind == "chat":
        msg.chat.text = draw(st.one_of(texts, st.just(""), st.just(" \n\t"), st.just("x" * 10_001)))
    elif kind == "promote":
        msg.promote.client_id = draw(ids)
    elif kind == "follow":
        msg.follow.client_id = draw(ids)
        msg.follow.everyone = draw(st.booleans())
    elif kind == "disable":
        msg.disable_connections.SetInParent()
    elif kind == "undo":
        msg.undo.action = draw(st.one_of(st.sampled_from(["undo", "redo", "begin", "end", "status"]), texts))
        msg.undo.label = draw(texts)
    elif kind == "save_data":  # the fuzz servers' --data-dir is a temporary folder
        msg.save_data.global_id = draw(ids)
        paths = st.sampled_from(
            ["out.vtp", "out.pvti", "out.csv", "../escape.vtp", "/tmp/absolute.vtp", "a/b.vtu", "nul\0.vtp", "n" * 300]
        )
        msg.save_data.path = draw(st.one_of(paths, paths, texts))
    elif kind == "fetch":
        msg.fetch.global_id = draw(ids)
        msg.fetch.max_bytes = draw(st.sampled_from([0, 1, 1000, 2**64 - 1]))
    elif kind == "cancel":
        msg.cancel.SetInParent()
    elif kind == "empty":
        pass  # no body at all
    return msg


KINDS = (
    "hello",
    "create",
    "update",
    "camera",
    "delete",
    "invoke",
    "gather",
    "render",
    "goodbye",
    "chat",
    "promote",
    "follow",
    "disable",
    "undo",
    "save_data",
    "fetch",
    "cancel",
    "empty",
)
#: A Goodbye ends the stream, and so the rest of its batch: make it rarer than the others.
WEIGHTED_KINDS = (*(k for k in KINDS if k != "goodbye" for _ in range(4)), "goodbye")


@st.composite
def corrupted(draw: Any) -> bytes:
    """A valid message bit-flipped, truncated, spliced or followed by garbage; or random bytes."""
    how = draw(st.sampled_from(["random", "flip", "truncate", "append", "splice", "unknown_field", "valid"]))
    if how == "random":
        return draw(st.binary(max_size=300))
    data = draw(client_messages()).SerializeToString()
    if how == "flip" and data:
        flipped = bytearray(data)
        for bit in draw(st.lists(st.integers(0, 8 * len(data) - 1), min_size=1, max_size=4)):
            flipped[bit // 8] ^= 1 << (bit % 8)
        return bytes(flipped)
    if how == "truncate" and data:
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "append":
        return data + draw(st.binary(min_size=1, max_size=40))
    if how == "splice":
        return data + draw(client_messages()).SerializeToString()  # protobuf merges: the last body wins
    if how == "unknown_field":  # a field this server does not know (a newer client's), varint or bytes
        field = draw(st.integers(23, 2**29 - 1))
        return data + _varint(field << 3) + _varint(draw(st.integers(0, 2**64 - 1)))
    return data


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


class Wire:
    """Bytes for the wire, with a short repr (hypothesis prints failing examples; some are megabytes)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        shown = repr(self.data[:160])
        return f"Wire({shown}{'...' if len(self.data) > 160 else ''}, {len(self.data)} bytes)"


wire_messages = st.one_of(client_messages().map(lambda m: m.SerializeToString()), corrupted()).map(Wire)


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


#: Ids of the pipeline that build_pipeline() makes on a fresh server (checked by the tests).
PIPELINE_IDS = {"wavelet": 1, "contour": 2, "clip": 4, "view": 5}


def request(req: Any, request_id: int = 3) -> Wire:
    return Wire(codec.encode_request(request_id, req))


#: Messages that once broke the server, always tried first (hypothesis' explicit phase): a string where the
#: time of an update belongs, JPEG qualities outside 0..100 (an interactive render is always JPEG), an empty
#: change from a client that is not master, and a file name with a NUL character.
REGRESSIONS = [
    request(messages.Invoke(PIPELINE_IDS["wavelet"], "UpdatePipeline", [("abc",)])),
    request(messages.Invoke(PIPELINE_IDS["contour"], "UpdatePipeline", [(math.nan,)])),
    request(messages.RenderRequest(PIPELINE_IDS["view"], 32, 32, "jpeg", 101)),
    request(messages.RenderRequest(PIPELINE_IDS["view"], 32, 32, "png", 2**32 - 1, interactive=True)),
    request(messages.UpdateProxy(PIPELINE_IDS["contour"], {}, "")),
    request(messages.UpdateProxy(PIPELINE_IDS["view"], {"CameraPosition": (math.nan, 0.0, 1.0)})),
    request(messages.SaveDataRequest(PIPELINE_IDS["wavelet"], "nul\0.vti")),
]

# ----------------------------------------------------------------------------------------------- fixtures


def build_pipeline(conn: Connection) -> dict[str, Any]:
    wavelet = conn.create("sources", "Wavelet")
    contour = conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [130.0, 170.0]})
    clip = conn.create("filters", "Clip", {"Input": wavelet, "ClipType": "Sphere"})
    view = conn.create("views", "RenderView", {"ViewSize": [64, 64]})
    rep = conn.create("representations", "GeometryRepresentation", {"Input": contour})
    conn.update(view, {"Representations": [rep]})
    return {"wavelet": wavelet, "contour": contour, "clip": clip, "view": view}


def information(conn: Connection, proxy: Any) -> tuple:
    info = conn.information(proxy)
    return (info.number_of_points, info.number_of_cells, tuple(info.bounds), info.number_of_partitions)


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


#: The fuzzing master's last chat message, after which it leaves.
FUZZ_OVER = "fuzzing over"


def wait_until_gone(conn: Connection, user: str, timeout: float = 20.0) -> None:
    """Apply events until ``user`` said FUZZ_OVER and then left ``conn``'s user list."""
    deadline = time.monotonic() + timeout
    while not any(c.text == FUZZ_OVER for c in conn.chat) or any(u.name == user for u in conn.users.users):
        assert time.monotonic() < deadline, f"{user} did not finish and leave within {timeout:g} s"
        conn.process_events(timeout=0.2)


def assert_clean_log(server: Any) -> None:
    log = server.log()
    assert "Traceback" not in log and "Exception in thread" not in log, log[-6000:]


# ----------------------------------------------------------------------------------------------- tests


def test_fuzzed_first_messages_are_refused_and_the_server_carries_on(server_factory, tmp_path) -> None:
    """A stream whose first message is anything but a valid Hello gets an answer and ends."""
    server = server_factory(RANKS, "--multi-clients", "--data-dir", str(tmp_path))
    channel = grpc.insecure_channel(server.address)
    master = Connection.remote(server.host, server.port, user="master", timeout=30)
    counts = {"examples": 0, "challenged": 0}
    budget = Budget(6.0, counts, "examples", 20)

    @settings(max_examples=150, **FUZZ_SETTINGS)
    @given(wire=wire_messages)
    def fuzz(wire: Wire) -> None:
        first = wire.data
        budget.check()
        counts["examples"] += 1
        stream = RawStream(channel)
        stream.send(first)
        try:
            answer = stream.answer()
            assert answer is not None, f"no answer to a first message {first!r}"
            if answer.WhichOneof("body") == "challenge":  # the fuzzer made a valid Hello: the handshake goes on
                counts["challenged"] += 1
                assert isinstance(codec.decode_request(first)[1], messages.Hello)
                return
            assert answer.WhichOneof("body") == "error" and answer.error.kind in ERROR_TYPES, answer
            assert stream.answer() is None  # then the stream ends
            assert stream.ended == "OK"
        finally:
            stream.close()

    try:
        with contextlib.suppress(BudgetSpentError):
            fuzz()
        assert counts["examples"] >= 20
        assert_serves(master)
        deadline = time.monotonic() + 10
        while len(master.users.users) != 1 and time.monotonic() < deadline:
            master.process_events(timeout=0.2)
        assert [u.name for u in master.users.users] == ["master"]  # every fuzzed session was forgotten
        assert_clean_log(server)
    finally:
        print("server log (end):\n" + server.log()[-4000:])  # shown by pytest on failure
        master.close()
        channel.close()


def test_fuzzed_messages_leave_the_state_and_the_server_intact(server_factory, tmp_path) -> None:
    server = server_factory(RANKS, "--multi-clients", "--data-dir", str(tmp_path))
    master = Connection.remote(server.host, server.port, user="master", timeout=30)
    proxies = build_pipeline(master)
    assert {name: proxies[name].GlobalID for name in PIPELINE_IDS} == PIPELINE_IDS
    before = master.state_dump()
    undo_before = master.request(messages.UndoRequest("status"))
    info_before = {name: information(master, proxy) for name, proxy in proxies.items() if name != "view"}
    channel = grpc.insecure_channel(server.address)
    stats: dict[str, Any] = {"examples": 0, "messages": 0, "goodbyes": 0, "slowest": (0.0, "")}
    budget = Budget(FUZZ_SECONDS, stats, "messages", 1000)

    @settings(max_examples=MAX_EXAMPLES, **FUZZ_SETTINGS)
    @example(batch=REGRESSIONS)
    @given(batch=st.lists(wire_messages, min_size=1, max_size=12))
    def fuzz(batch: list[Wire]) -> None:
        budget.check()
        stats["examples"] += 1
        stream = RawStream(channel)
        try:
            welcome = stream.join(server.address, "fuzzer")
            assert welcome is not None and welcome.WhichOneof("body") == "welcome", (welcome, stream.ended)
            for wire in batch:
                data = wire.data
                started = time.monotonic()
                stream.send(data)
                stats["messages"] += 1
                answer = stream.answer()
                took = time.monotonic() - started
                if took > stats["slowest"][0]:
                    stats["slowest"] = (round(took, 3), describe(data))
                if not check_answer(data, answer):
                    stats["goodbyes"] += 1
                    assert stream.answer() is None and stream.ended == "OK"  # Goodbye ends the stream cleanly
                    return
            # the stream is still open and answers a valid request
            stream.send(codec.encode_request(7, messages.UndoRequest("status")))
            answer = stream.answer()
            assert answer is not None and answer.request_id == 7 and answer.WhichOneof("body") == "undo_status"
        finally:
            stream.close()

    try:
        with contextlib.suppress(BudgetSpentError):
            fuzz()
        print(f"fuzz: {stats}")
        assert stats["messages"] >= 1000, stats
        master.process_events(timeout=0.5)
        assert master.state_dump() == before  # not one change came through
        assert master.request(messages.UndoRequest("status")) == undo_before  # nor an undo step
        late = Connection.remote(server.host, server.port, user="late", timeout=30)
        assert late.state_dump() == before
        late.close()
        assert {name: information(master, p) for name, p in proxies.items() if name != "view"} == info_before
        image = master.request(messages.RenderRequest(proxies["view"].GlobalID, 64, 64))
        assert image.data.startswith(b"\x89PNG")
        master.close()
        normal = Connection.remote(server.host, server.port, user="normal", timeout=30)  # master now
        assert normal.state_dump() == before and normal.is_master()
        assert_serves(normal)
        normal.close()
        assert_clean_log(server)
    finally:
        print("server log (end):\n" + server.log()[-4000:])  # shown by pytest on failure
        master.close()
        channel.close()


MASTER_KINDS = ("create", "update", "delete", "undo", "chat", "follow", "camera")


def make_inert(msg: pb.ClientMessage) -> None:
    """Keep a master's fuzzed change from computing anything: the server computes an input's data information
    when a filter is created on a live input or a filter's helper (ClipType...) is replaced. Small ints of a
    creation (the proxy ids) become unknown ids, and helper properties are left out of updates."""
    if msg.WhichOneof("body") == "create":
        for value in msg.create.properties.values():
            if value.WhichOneof("kind") == "ints":
                value.ints.values[:] = [v if abs(v) > 10_000 else v + 1_000_000 for v in value.ints.values]
    elif msg.WhichOneof("body") == "update":
        for name in catalogue.SUBPROXY_GROUPS:
            msg.update.properties.pop(name, None)


def test_fuzzed_changes_from_the_master_keep_every_mirror_consistent(server_factory, tmp_path) -> None:
    """The fuzzer is master: generated changes reach validation and the ranks; every mirror stays the same.

    Nothing that executes a pipeline is sent (no UpdatePipeline, GatherInformation or Render, and proxy
    references are random ids), so that a legal but enormous source (a Wavelet of 2^31 points per side) is
    created and changed but never computed.
    """
    server = server_factory(RANKS, "--multi-clients", "--data-dir", str(tmp_path))
    owner = Connection.remote(server.host, server.port, user="owner", timeout=30)
    build_pipeline(owner)
    observer = Connection.remote(server.host, server.port, user="observer", timeout=30)
    channel = grpc.insecure_channel(server.address)
    stats = {"examples": 0, "messages": 0, "accepted": 0}
    budget = Budget(MASTER_FUZZ_SECONDS, stats, "messages", 100)
    stream = RawStream(channel)
    welcome = stream.join(server.address, "fuzz-master")
    assert welcome is not None and welcome.WhichOneof("body") == "welcome"
    owner.request(messages.PromoteRequest(welcome.welcome.client_id))

    @settings(max_examples=MASTER_MAX_EXAMPLES, **FUZZ_SETTINGS)
    @given(batch=st.lists(client_messages(MASTER_KINDS), min_size=1, max_size=8))
    def fuzz(batch: list[pb.ClientMessage]) -> None:
        budget.check()
        stats["examples"] += 1
        for msg in batch:
            make_inert(msg)
            data = msg.SerializeToString()
            stream.send(data)
            stats["messages"] += 1
            answer = stream.answer()
            check_answer(data, answer)
            stats["accepted"] += answer.WhichOneof("body") != "error"

    try:
        with contextlib.suppress(BudgetSpentError):
            fuzz()
        print(f"master fuzz: {stats}")
        assert stats["messages"] >= 100, stats
        stream.send(codec.encode_request(9, messages.UndoRequest("status")))
        assert stream.answer().WhichOneof("body") == "undo_status"
        stream.send(codec.encode_request(10, messages.ChatRequest(FUZZ_OVER)))
        assert stream.answer().request_id == 10
        stream.close()  # the master leaves: the owner, longest connected, is master again
        for conn in (owner, observer):  # events arrive in order: by then every change of the fuzzer is applied
            wait_until_gone(conn, "fuzz-master")
        assert owner.is_master()
        late = Connection.remote(server.host, server.port, user="late", timeout=30)
        expected = late.state_dump()
        late.close()
        assert owner.state_dump() == expected
        assert observer.state_dump() == expected
        assert_serves(owner)
        assert_clean_log(server)
    finally:
        print("server log (end):\n" + server.log()[-4000:])  # shown by pytest on failure
        stream.close()
        owner.close()
        observer.close()
        channel.close()


# ----------------------------------------------------------------------------------------------- shapes and sizes


def ranks_rss(server: Any) -> int:
    """Resident memory of the server's rank processes together, in bytes (they carry the port file's path)."""
    total, marker = 0, str(server.port_file).encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                cmdline = (entry / "cmdline").read_bytes()
                if marker in cmdline and b"pvserver.cli" in cmdline and b"mpiexec" not in cmdline:
                    total += int((entry / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return total


def test_cycles_deep_pipelines_huge_values_and_thousands_of_proxies_are_refused_with_bounded_memory(
    server_factory,
) -> None:
    server = server_factory(RANKS, "--multi-clients")
    conn = Connection.remote(server.host, server.port, user="master", timeout=30)
    observer = Connection.remote(server.host, server.port, user="observer", timeout=30)
    start_rss = ranks_rss(server)
    assert start_rss > 0
    sphere = conn.create("sources", "Sphere", {"ThetaResolution": 8, "PhiResolution": 8})
    first = conn.create("filters", "Shrink", {"Input": sphere})
    second = conn.create("filters", "Shrink", {"Input": first})
    with pytest.raises(DependencyError, match="cycle"):  # a filter as its own input
        conn.update(first, {"Input": first})
    with pytest.raises(DependencyError, match="cycle"):  # or through another
        conn.update(first, {"Input": second})

    # A chain as deep as allowed is computed on every rank; one more filter is refused.
    tip = second
    for _ in range(session.MAX_PIPELINE_DEPTH - 3):
        tip = conn.create("filters", "Shrink", {"Input": tip})
    info = conn.information(tip)
    assert info.number_of_cells == conn.information(sphere).number_of_cells and info.number_of_partitions == RANKS
    with pytest.raises(DependencyError, match="chain"):
        conn.create("filters", "Shrink", {"Input": tip})

    # Values past the limits are refused before they are stored or sent to any rank or client.
    huge = [
        ("Isosurfaces", [1.0] * (catalogue.MAX_VALUES + 1), "at most"),
        ("Function", "x" * (catalogue.MAX_STRING_LENGTH + 1), "at most"),
    ]
    for name, value, message in huge:
        with pytest.raises(PropertyError, match=message):
            conn.create("filters", "Calculator" if name == "Function" else "Contour", {"Input": sphere, name: value})
    with pytest.raises(PropertyError, match="registration name"):
        conn.update(sphere, {}, name="n" * (session.MAX_NAME_LENGTH + 1))
    with pytest.raises(RenderError, match=r"View size|pixels"):
        view = conn.create("views", "RenderView")
        conn.request(messages.RenderRequest(view.GlobalID, catalogue.MAX_VIEW_SIDE, catalogue.MAX_VIEW_SIDE))
    with pytest.raises(PropertyError):
        conn.update(view, {"ViewSize": [catalogue.MAX_VIEW_SIDE + 1, 10]})

    # A message past the server's size limit ends that stream alone.
    channel = grpc.insecure_channel(server.address)
    stream = RawStream(channel)
    assert stream.join(server.address, "flood").WhichOneof("body") == "welcome"
    stream.send(b"\x0a" + b"\xff" * (65 * 2**20))
    assert stream.answer() is None and stream.ended == "RESOURCE_EXHAUSTED"
    stream.close()
    channel.close()

    # Thousands of proxies: up to the session's limit, then a clear refusal, and no growth from refusals.
    made = len(conn.states)
    with pytest.raises(PropertyError, match="the most it allows"):
        while True:
            conn.create("sources", "Sphere")
            made += 1
            assert made <= session.MAX_PROXIES
    assert made == session.MAX_PROXIES
    full_rss = ranks_rss(server)
    for _ in range(200):
        with pytest.raises(PropertyError):
            conn.create("sources", "Cone", {"Resolution": 64})
    assert ranks_rss(server) - full_rss < 32 * 2**20  # refused requests leave nothing behind
    assert full_rss - start_rss < 2 * 2**30, (start_rss, full_rss)  # ~20 KiB per proxy and rank at most

    # Everyone's mirror holds the same 10,000 proxies; a late joiner gets them in its welcome.
    deadline = time.monotonic() + 30
    while len(observer.states) < made and time.monotonic() < deadline:
        observer.process_events(timeout=0.2)
    late = Connection.remote(server.host, server.port, user="late", timeout=30)
    assert late.state_dump() == conn.state_dump() == observer.state_dump()
    late.close()
    observer.close()
    conn.delete(conn.proxy(max(conn.states)))  # room for one more: the server serves again
    conn.create("sources", "Cone")
    print(f"ranks' memory: {start_rss / 2**20:.0f} MiB at start, {full_rss / 2**20:.0f} MiB with {made} proxies")
    assert_clean_log(server)
    conn.close()
