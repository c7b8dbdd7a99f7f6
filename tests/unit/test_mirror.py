"""The client's mirror and its event queue, pure: stale events never overwrite newer replies, and an idle
client's queue stays bounded while its mirror still ends as the server's state.

Stamps are what the transport gives: ``EventQueue.put`` stamps each event as it arrives, ``reply_stamp`` a reply
arriving at that moment.
"""

from __future__ import annotations

import queue

import pytest

from pvclient.events import CLOSED, COMPACT_AT, KEEP_EACH, KEEP_PROGRESS, EventQueue
from pvclient.mirror import Mirror
from pvcore.messages import ChatMessage, Event, Notice, Progress, ProxyState, StateDelta, UserList

pytestmark = pytest.mark.timeout(60)


def sphere(version: int, radius: float, gid: int = 1) -> ProxyState:
    return ProxyState(gid, "sources", "Sphere", "Sphere1", {"Radius": (radius,)}, version)


def view(version: int, position: tuple, background: tuple = (0.0, 0.0, 0.0)) -> ProxyState:
    properties = {"CameraPosition": position, "Background": background}
    return ProxyState(7, "views", "RenderView", "RenderView1", properties, version)


def event(sequence: int, *states: ProxyState, deleted: tuple = ()) -> Event:
    return Event(sequence, 2, StateDelta(list(states), list(deleted)))


def drain(events: EventQueue, mirror: Mirror) -> int:
    """What process_events does: apply every queued state event with its stamp."""
    count = 0
    while True:
        try:
            stamp, item = events.get()
        except queue.Empty:
            return count
        if item is CLOSED:
            return count
        if isinstance(item.body, StateDelta):
            mirror.apply(item.body, stamp)
        count += 1


def test_a_stale_event_does_not_overwrite_a_newer_reply() -> None:
    events, mirror = EventQueue(), Mirror()
    mirror.apply(StateDelta([sphere(1, 0.5)]), 0)  # the welcome
    events.put(event(5, sphere(2, 1.0)))  # someone set Radius=1, queued while this client did not look
    mirror.apply(StateDelta([sphere(3, 2.0)]), events.reply_stamp())  # then this client set Radius=2
    drain(events, mirror)
    assert mirror.states[1].version == 3 and mirror.states[1].properties["Radius"] == (2.0,)


def test_a_newer_event_does_replace_an_older_reply() -> None:
    events, mirror = EventQueue(), Mirror()
    mirror.apply(StateDelta([sphere(2, 1.0)]), events.reply_stamp())
    events.put(event(6, sphere(3, 3.0)))
    drain(events, mirror)
    assert mirror.states[1].properties["Radius"] == (3.0,)


def test_a_newer_version_wins_even_if_it_arrived_first() -> None:
    # The server's order of changes (versions) backs up the arrival order.
    events, mirror = EventQueue(), Mirror()
    events.put(event(5, sphere(4, 4.0)))
    mirror.apply(StateDelta([sphere(3, 3.0)]), events.reply_stamp())
    drain(events, mirror)
    assert mirror.states[1].version == 4


def test_a_camera_does_not_revert_to_what_an_older_event_carried() -> None:
    # A shared change of the view, queued with this client's camera of that moment; then this client moves its
    # camera (same version: cameras are each client's own). The queued event must not bring the old camera back.
    events, mirror = EventQueue(), Mirror()
    mirror.apply(StateDelta([view(1, (0.0, 0.0, 1.0))]), 0)
    events.put(event(3, view(2, (0.0, 0.0, 1.0), background=(1.0, 1.0, 1.0))))
    mirror.apply(StateDelta([view(2, (5.0, 5.0, 5.0), background=(1.0, 1.0, 1.0))]), events.reply_stamp())
    drain(events, mirror)
    assert mirror.states[7].properties["CameraPosition"] == (5.0, 5.0, 5.0)


def test_a_followed_camera_arriving_later_is_applied() -> None:
    events, mirror = EventQueue(), Mirror()
    mirror.apply(StateDelta([view(2, (5.0, 5.0, 5.0))]), events.reply_stamp())
    events.put(event(4, view(2, (9.0, 9.0, 9.0))))  # the camera of the user this client follows
    drain(events, mirror)
    assert mirror.states[7].properties["CameraPosition"] == (9.0, 9.0, 9.0)


def test_a_proxy_deleted_by_a_reply_is_not_brought_back_by_an_older_event() -> None:
    events, mirror = EventQueue(), Mirror()
    mirror.apply(StateDelta([sphere(1, 0.5)]), 0)
    events.put(event(5, sphere(2, 1.0)))
    mirror.apply(StateDelta([], [1]), events.reply_stamp())
    drain(events, mirror)
    assert 1 not in mirror.states


def test_a_stale_deletion_does_not_remove_a_proxy_brought_back_since() -> None:
    events, mirror = EventQueue(), Mirror()
    mirror.apply(StateDelta([sphere(1, 0.5)]), 0)
    events.put(event(5, deleted=(1,)))
    mirror.apply(StateDelta([sphere(3, 0.5)]), events.reply_stamp())  # an undo of that deletion
    drain(events, mirror)
    assert mirror.states[1].version == 3


def test_an_idle_queue_of_10000_changes_stays_bounded_and_ends_as_the_server() -> None:
    events, mirror = EventQueue(), Mirror()
    server: dict[int, ProxyState] = {}
    for gid in range(1, 11):
        server[gid] = sphere(1, 1.0, gid)
    mirror.apply(StateDelta(list(server.values())), 0)
    longest, sequence = 0, 0
    for i in range(10_000):
        gid = 1 + i % 10
        server[gid] = sphere(server[gid].version + 1, float(i), gid)
        sequence += 1
        events.put(event(sequence, server[gid]))
        if i % 100 == 0:
            sequence += 1
            events.put(Event(sequence, 2, ChatMessage(2, "bob", f"line {i}", 0.0)))
            sequence += 1
            events.put(Event(sequence, 2, Progress(gid, "Sphere", (i % 10) / 10, 2)))
        longest = max(longest, len(events))
    assert longest <= COMPACT_AT
    assert events.coalesced > 9_000
    drain(events, mirror)
    assert mirror.states == server


def mixed_events(count: int) -> EventQueue:
    """A queue given ``count`` events: chat, notices, user lists and progress (of a new proxy each) in turn."""
    events = EventQueue()
    for i in range(count):
        body = [
            ChatMessage(2, "bob", f"line {i}", 0.0),
            Notice("Info", f"notice {i}"),
            UserList([], 2, f"users {i}"),
            Progress(1000 + i, "Contour", 0.5, 2),  # nothing to coalesce by proxy: only the count bounds them
        ][i % 4]
        events.put(Event(i + 1, 2, body))
    return events


def queued(events: EventQueue) -> list[Event]:
    kept = []
    while True:
        try:
            kept.append(events.get()[1])
        except queue.Empty:
            return kept


def test_compaction_keeps_the_newest_of_each_kind_and_drops_the_oldest_progress_first() -> None:
    kept = queued(mixed_events(COMPACT_AT))  # the last one makes the queue compact itself
    sequences = [e.sequence for e in kept]
    assert sequences == sorted(sequences) and sequences[-1] == COMPACT_AT  # in order, the newest kept
    chat = [e.body for e in kept if isinstance(e.body, ChatMessage)]
    progress = [e.body for e in kept if isinstance(e.body, Progress)]
    assert len(chat) == KEEP_EACH and chat[-1].text == f"line {COMPACT_AT - 4}"
    assert len(progress) == KEEP_PROGRESS
    assert min(p.proxy_id for p in progress) - 1000 > int(chat[0].text.split()[1])  # progress went first


def test_a_queue_that_is_never_read_stays_bounded() -> None:
    events = mixed_events(20 * COMPACT_AT)
    assert len(events) <= 2 * (3 * KEEP_EACH + KEEP_PROGRESS)  # a compaction's leftovers, doubled at most
    assert events.coalesced >= 20 * COMPACT_AT - len(events)


def test_a_closed_queue_answers_closed_once_drained() -> None:
    events = EventQueue()
    events.put(event(1, sphere(2, 1.0)))
    events.put(CLOSED)
    assert events.get()[1].sequence == 1
    assert events.get(timeout=5)[1] is CLOSED
    with pytest.raises(queue.Empty):
        EventQueue().get(timeout=0.01)
