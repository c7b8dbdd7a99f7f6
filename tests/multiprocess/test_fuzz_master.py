"""Fuzzing as the master, against a real 2-rank ``--multi-clients`` server: generated changes get past the
permission check into validation and onto the ranks, and every client's mirror still equals the server's state
afterwards (tests/fuzz_strategies.py, tests/fuzz_session.py).
"""

from __future__ import annotations

import contextlib
import time

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
)
from fuzz_strategies import client_messages
from hypothesis import given, settings
from hypothesis import strategies as st

from pvclient.connection import Connection
from pvcore import messages
from pvserver.pipeline import catalogue
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

MASTER_FUZZ_SECONDS = 8.0
MASTER_MAX_EXAMPLES = 200

#: The fuzzing master's last chat message, after which it leaves.
FUZZ_OVER = "fuzzing over"


def wait_until_gone(conn: Connection, user: str, timeout: float = 20.0) -> None:
    """Apply events until ``user`` said FUZZ_OVER and then left ``conn``'s user list."""
    deadline = time.monotonic() + timeout
    while not any(c.text == FUZZ_OVER for c in conn.chat) or any(u.name == user for u in conn.users.users):
        assert time.monotonic() < deadline, f"{user} did not finish and leave within {timeout:g} s"
        conn.process_events(timeout=0.2)


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
        for name in {p.name for spec in catalogue.specs() for p in spec.properties if p.kind == "subproxy"}:
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
