"""Batches and dropped no-op sets against a real 2-rank ``pvserver --multi-clients``, with a second client.

A batch is one request, one undo step and one event for the other clients, all or nothing; a set to the value
the mirror holds sends nothing, unless the mirror may be stale (an event for that proxy is waiting).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from pvclient.connection import Connection
from pvcore.errors import DependencyError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def server():
    from servers import ServerProcess

    process = ServerProcess(2, "--multi-clients")
    yield process
    process.stop()


def count_requests(connection: Connection) -> list[str]:
    """The kinds of the requests ``connection`` sends from now on."""
    sent: list[str] = []
    inner = connection.transport.request_stamped

    def counted(request: Any) -> Any:
        sent.append(type(request).__name__)
        return inner(request)

    connection.transport.request_stamped = counted
    return sent


def events_until(connection: Connection, done, timeout: float = 10.0) -> list[Any]:
    """The events ``connection`` applies until ``done()`` holds."""
    seen: list[Any] = []
    connection.event_listeners.append(seen.append)
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        connection.process_events(timeout=0.05)
    connection.event_listeners.remove(seen.append)
    return seen


def without_versions(dump: dict[int, tuple]) -> dict[int, tuple]:
    """A state dump without the versions (an undo restores a proxy's properties under a new version)."""
    return {gid: (*st[:4], st[5]) for gid, st in dump.items()}


def pair(server) -> tuple[Connection, Connection]:
    """alice (master) and bob, each knowing the other."""
    alice = Connection.remote(server.host, server.port, user="alice")
    bob = Connection.remote(server.host, server.port, user="bob")
    events_until(alice, lambda: len(alice.users.users) == 2)
    return alice, bob


def test_a_batch_reaches_the_other_client_as_one_event_and_undoes_as_one_step(server) -> None:
    alice, bob = pair(server)
    try:
        sent = count_requests(alice)
        cone = alice.create("sources", "Cone")
        events_until(bob, lambda: bob.state_dump() == alice.state_dump())
        before = alice.state_dump()
        sent.clear()
        with alice.batch("Build"):
            sphere = alice.create("sources", "Sphere", {"Radius": 2.0})
            shrink = alice.create("filters", "Shrink", {"Input": sphere})  # refers to the batch's own create
            alice.update(shrink, {"ShrinkFactor": 0.3})
            alice.delete(cone)
        assert sent == ["Batch"]
        assert shrink.Input == sphere and shrink.ShrinkFactor == pytest.approx(0.3)
        deltas = [
            e
            for e in events_until(bob, lambda: bob.state_dump() == alice.state_dump())
            if type(e.body).__name__ == "StateDelta"
        ]
        assert len(deltas) == 1 and bob.state_dump() == alice.state_dump()
        assert set(deltas[0].body.deleted_ids) == {cone.GlobalID}
        assert bob.proxy(shrink.GlobalID).Input == bob.proxy(sphere.GlobalID)
        assert alice.undo_status().undo_labels[-1] == "Build"
        alice.undo()
        assert without_versions(alice.state_dump()) == without_versions(before)
        events_until(bob, lambda: bob.state_dump() == alice.state_dump())
        assert bob.state_dump() == alice.state_dump()
    finally:
        alice.close()
        bob.close()


def test_a_refused_batch_changes_nothing_anywhere(server) -> None:
    alice, bob = pair(server)
    try:
        sphere = alice.create("sources", "Sphere")
        shrink = alice.create("filters", "Shrink", {"Input": sphere})
        events_until(bob, lambda: bob.state_dump() == alice.state_dump())
        before, labels = alice.state_dump(), alice.undo_status().undo_labels
        with pytest.raises(DependencyError, match="Batch item 3"), alice.batch():
            alice.create("sources", "Cone")
            alice.update(sphere, {"Radius": 3.0})
            alice.update(shrink, {"Input": shrink})  # a cycle
        assert alice.state_dump() == before and alice.undo_status().undo_labels == labels
        alice.send_chat("done")  # an event after the batch's: bob has seen all there is once it arrives
        seen = events_until(bob, lambda: any(m.text == "done" for m in bob.chat))
        assert [type(e.body).__name__ for e in seen] == ["ChatMessage"] and bob.state_dump() == before
    finally:
        alice.close()
        bob.close()


def test_no_op_sets_send_nothing(server) -> None:
    alice = Connection.remote(server.host, server.port, user="alice")
    try:
        sphere = alice.create("sources", "Sphere", {"Radius": 1.0})
        version = sphere.state.version
        sent = count_requests(alice)
        for _ in range(5):
            alice.update(sphere, {"Radius": 1})
        alice.update(sphere, {}, name=sphere.GetRegistrationName())
        assert sent == [] and sphere.state.version == version
        alice.update(sphere, {"Radius": 2})
        assert sent == ["UpdateProxy"] and sphere.state.version == version + 1
    finally:
        alice.close()


def test_a_stale_mirror_still_sends_the_set(server) -> None:
    alice, bob = pair(server)
    try:
        sphere = alice.create("sources", "Sphere", {"Radius": 1.0})
        events_until(bob, lambda: sphere.GlobalID in bob.states)
        alice.promote("bob")
        events_until(bob, lambda: bob.is_master())
        bob.update(bob.proxy(sphere.GlobalID), {"Radius": 5.0})
        bob.promote("alice")
        # Alice has not processed events: her mirror still says 1, with bob's change waiting in her queue.
        deadline = time.monotonic() + 10
        while not alice.transport.events.touches(sphere.GlobalID) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert alice.states[sphere.GlobalID].properties["Radius"] == (1.0,)
        sent = count_requests(alice)
        alice.update(sphere, {"Radius": 1.0})  # equal to the (stale) mirror: sent all the same
        assert sent == ["UpdateProxy"]
        events_until(bob, lambda: bob.states[sphere.GlobalID].properties["Radius"] == (1.0,))
        assert bob.states[sphere.GlobalID].properties["Radius"] == (1.0,)
        alice.process_events()
        assert alice.states[sphere.GlobalID].properties["Radius"] == (1.0,)  # the older event does not undo it
    finally:
        alice.close()
        bob.close()


def test_show_and_color_by_over_the_network(server) -> None:
    import simple

    simple.state.__init__()
    conn = simple.Connect(server.url)
    try:
        sent = count_requests(conn)
        sphere = simple.Sphere()
        sent.clear()
        rep = simple.Show(sphere)
        assert sent == ["CreateProxy", "GatherInformation", "Batch"]  # the view, the data's kind, the display
        sent.clear()
        simple.ColorBy(rep, ("POINTS", "Normals"))
        assert sent == ["GatherInformation", "Batch"]
        sent.clear()
        simple.Render()
        assert len(sent) <= 2
        assert rep.LookupTable.ArrayName == "Normals" and rep.LookupTable.ScalarRangeInitialized
    finally:
        simple.Disconnect(conn)
        simple.state.__init__()
