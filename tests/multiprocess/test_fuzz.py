"""Fuzzing the wire against a real 2-rank ``--multi-clients`` server.

Thousands of generated and corrupted messages (tests/fuzz_strategies.py) go to the server on raw gRPC streams
(tests/fuzz_session.py): random bytes, ClientMessages with random fields, unknown ids, huge or NaN values, values of
the wrong type, unknown proxy types and properties, file names outside the data directory or with NUL characters,
and valid messages bit-flipped, truncated or followed by garbage. Each stream starts with a valid Hello (or, in the
first test, with a fuzzed message in its place).

For every message the server must answer exactly once (an error for what it cannot accept) and keep the stream
open; afterwards a normal client sees the state from before (a pipeline built beforehand is intact) and can
still create, update, gather information and render, and the server log holds no traceback.

The fuzzing master's changes are in test_fuzz_master.py, the shapes a fuzzer rarely reaches in
test_fuzz_rare_shapes.py. Each test's fuzzing is bounded by ``max_examples`` and a wall-clock budget, so that the
module takes about a minute.
"""

from __future__ import annotations

import contextlib
import math
import time
from typing import Any

import grpc
import pytest
from fuzz_session import (
    FUZZ_SETTINGS,
    RANKS,
    Budget,
    BudgetSpentError,
    RawStream,
    assert_clean_log,
    assert_serves,
    build_pipeline,
    check_answer,
    describe,
)
from fuzz_strategies import Wire, wire_messages
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pvclient.connection import Connection
from pvcore import messages
from pvcore.errors import ERROR_TYPES
from pvwire import codec

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

#: Wall-clock budget of the generated examples of each fuzz test (seconds), and their number at most.
FUZZ_SECONDS = 15.0
MAX_EXAMPLES = 2_000

#: Ids of the pipeline that build_pipeline() makes on a fresh server (checked by the tests).
PIPELINE_IDS = {"wavelet": 1, "contour": 3, "clip": 5, "view": 7}  # helpers take ids too (a point locator)


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


def information(conn: Connection, proxy: Any) -> tuple:
    info = conn.information(proxy)
    return (info.number_of_points, info.number_of_cells, tuple(info.bounds), info.number_of_partitions)


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
