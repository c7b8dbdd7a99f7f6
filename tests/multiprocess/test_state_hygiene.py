"""State hygiene against a real server: deep pipelines and late joiners, stale events and the mirror, undo sets
of a master that left, idle clients' event queues.

Clients are in-process connections; what a client mirrors is compared with what a late joiner receives in its
welcome, which is the server's state.
"""

from __future__ import annotations

import time

import pytest

from pvclient.connection import Connection
from pvclient.events import COMPACT_AT
from pvcore import messages
from pvcore.errors import DependencyError
from pvcore.ordering import MAX_PIPELINE_DEPTH

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(240)]


@pytest.fixture
def server(server_factory):
    return server_factory(2, "--multi-clients")


@pytest.fixture
def connect():
    """``connect(server, user)`` opens a connection; all are closed after the test."""
    opened: list[Connection] = []

    def open_one(server, user: str) -> Connection:
        conn = Connection.remote(server.host, server.port, user=user, timeout=60)
        opened.append(conn)
        return conn

    yield open_one
    for conn in opened:
        conn.close()


def build_chain(conn: Connection, length: int) -> list:
    """A Sphere and ``length - 1`` Shrinks, each on the previous one."""
    proxies = [conn.create("sources", "Sphere", {"ThetaResolution": 6, "PhiResolution": 6})]
    for _ in range(length - 1):
        proxies.append(conn.create("filters", "Shrink", {"Input": proxies[-1]}))
    return proxies


def wait_for(conn: Connection, condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for events"
        conn.process_events(timeout=0.1)


def test_linking_chains_cannot_bypass_the_depth_limit_and_late_joiners_connect(server, connect) -> None:
    master = connect(server, "master")
    half = MAX_PIPELINE_DEPTH // 2 + 2
    first = build_chain(master, half)  # low ids
    second = build_chain(master, MAX_PIPELINE_DEPTH - half)
    # The first chain's filters go below the second chain: low ids downstream of high ones, the worst order for
    # a recursive walk, and a chain exactly as deep as allowed (the first chain's Sphere is left on its own).
    master.update(first[1], {"Input": second[-1]})
    third = build_chain(master, half)
    with pytest.raises(DependencyError, match="chain of"):  # the third chain below the whole
        master.update(third[1], {"Input": first[-1]})
    with pytest.raises(DependencyError, match="chain of"):  # the whole below the third: its downstream counts
        master.update(second[1], {"Input": third[-1]})
    assert master.information(first[-1]).number_of_cells == master.information(first[0]).number_of_cells

    late = connect(server, "late")  # its welcome holds the whole pipeline, in dependency order
    assert late.state_dump() == master.state_dump()
    assert late.information(late.proxy(first[-1].GlobalID)).number_of_partitions == 2


def test_a_stale_event_does_not_overwrite_a_newer_reply(server, connect) -> None:
    alice, bob = connect(server, "alice"), connect(server, "bob")
    sphere = alice.create("sources", "Sphere")
    wait_for(bob, lambda: sphere.GlobalID in bob.states)
    alice.request(messages.PromoteRequest(bob.client_id))
    wait_for(bob, bob.is_master)
    bob.update(bob.proxy(sphere.GlobalID), {"Radius": 2.0})  # an event for alice, who does not look yet
    bob.request(messages.PromoteRequest(alice.client_id))
    alice.update(sphere, {"Radius": 3.0})  # applied to alice's mirror at once (alice is master again)
    alice.process_events(timeout=0.5)  # late: bob's change, sent before alice's reply, is older than it
    assert alice.is_master() and alice.states[sphere.GlobalID].properties["Radius"] == (3.0,)
    wait_for(bob, lambda: bob.states[sphere.GlobalID].properties["Radius"] == (3.0,))
    late = connect(server, "late")
    assert alice.state_dump() == late.state_dump() == bob.state_dump()


def test_a_camera_does_not_revert_when_an_older_event_is_applied(server, connect) -> None:
    master, other = connect(server, "master"), connect(server, "other")
    view = master.create("views", "RenderView")
    wait_for(other, lambda: view.GlobalID in other.states)
    mine = other.proxy(view.GlobalID)
    other.update(mine, {"CameraPosition": [1.0, 2.0, 3.0]})
    master.update(view, {"Background": [1.0, 1.0, 1.0]})  # an event carrying other's camera of that moment
    time.sleep(0.2)  # let it arrive and wait in other's queue
    other.update(mine, {"CameraPosition": [7.0, 8.0, 9.0]})
    other.process_events(timeout=0.5)
    seen = other.states[view.GlobalID].properties
    assert seen["CameraPosition"] == (7.0, 8.0, 9.0) and seen["Background"] == (1.0, 1.0, 1.0)


def test_an_undo_set_left_open_by_a_master_that_left_is_closed(server, connect) -> None:
    alice, bob = connect(server, "alice"), connect(server, "bob")
    alice.request(messages.UndoRequest("begin", "Alice's set"))
    alice.create("sources", "Sphere")
    alice.close()  # leaves with the set open
    wait_for(bob, bob.is_master)
    bob.create("sources", "Cone")
    status = bob.request(messages.UndoRequest("status"))
    assert status.undo_labels[-2:] == ["Alice's set", "Create Cone1"]
    bob.request(messages.UndoRequest("undo"))
    assert sorted(st.type for st in bob.states.values()) == ["Sphere"]


def test_an_idle_client_holds_a_bounded_queue_and_catches_up(server_factory, connect) -> None:
    fast = server_factory(1, "--multi-clients")  # one rank: 10,000 changes in seconds
    master, idle = connect(fast, "master"), connect(fast, "idle")
    sphere = master.create("sources", "Sphere")
    cone = master.create("sources", "Cone")
    longest = 0
    for i in range(10_000):
        master.update(sphere if i % 2 else cone, {"Radius": 0.5 + i / 10_000})
        if i % 500 == 0:
            master.request(messages.ChatRequest(f"step {i}"))
            longest = max(longest, len(idle.transport.events))
    master.request(messages.ChatRequest("done"))
    wait_for(idle, lambda: any(c.text == "done" for c in idle.chat))
    assert longest <= COMPACT_AT
    assert idle.transport.events.coalesced > 9_000
    late = connect(fast, "late")
    assert idle.state_dump() == master.state_dump() == late.state_dump()


def test_a_set_to_the_current_value_changes_nothing(server, connect) -> None:
    """No new version, no undo step, no event for the others (issue 13's round trips: the server side)."""
    alice, bob = connect(server, "alice"), connect(server, "bob")
    sphere = alice.create("sources", "Sphere", {"Radius": 2.0})
    wait_for(bob, lambda: sphere.GlobalID in bob.states)
    version = alice.states[sphere.GlobalID].version
    undo = alice.request(messages.UndoRequest("status")).undo_labels
    theta = alice.states[sphere.GlobalID].properties["ThetaResolution"]
    alice.update(sphere, {"Radius": 2, "ThetaResolution": theta}, name=sphere.GetRegistrationName())
    assert alice.states[sphere.GlobalID].version == version
    assert alice.request(messages.UndoRequest("status")).undo_labels == undo
    alice.update(sphere, {"Radius": 3.0})  # a real change after the no-op: bob sees it as the very next change
    bob_versions: list[int] = []
    bob.listeners.append(lambda delta: bob_versions.extend(st.version for st in delta.states))
    wait_for(bob, lambda: bob.states[sphere.GlobalID].properties["Radius"] == (3.0,))
    assert bob_versions == [version + 1]
