"""The queues of rank 0's front end: one memory budget for every client together, a share for each."""

from __future__ import annotations

import asyncio

import pytest

from pvcore import messages
from pvserver.outbox import CLOSE, EVENT_RESERVE, MIN_SHARE, Outbox, QueueBudget
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

MiB = 2**20


def image(size: int) -> messages.Image:
    return messages.Image(1, 1, "png", b"x" * size)


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def outbox(loop, budget: QueueBudget) -> tuple[Outbox, list[bool]]:
    dropped: list[bool] = []
    return Outbox(loop, lambda: dropped.append(True), budget), dropped


def test_every_queue_counts_against_one_total(loop) -> None:
    budget = QueueBudget(total=4 * MIN_SHARE)
    boxes = [outbox(loop, budget)[0] for _ in range(4)]
    assert budget.clients == 4 and budget.share() == MIN_SHARE
    for box in boxes:
        box.put((1, image(10 * MiB)))
    assert budget.used == sum(box.queued_bytes for box in boxes) and budget.used > 40 * MiB
    for box in boxes:
        assert isinstance(
            codec.decode_reply(pb.ServerMessage.FromString(loop.run_until_complete(box.get()))), messages.Image
        )
    assert budget.used == 0


def test_a_client_that_stops_reading_is_dropped_at_its_share(loop) -> None:
    budget = QueueBudget(total=1024 * MiB)
    sleeper, dropped = outbox(loop, budget)
    others = [outbox(loop, budget)[0] for _ in range(3)]
    assert budget.share() == 256 * MiB
    while not dropped:
        sleeper.put((1, image(50 * MiB)))
    assert sleeper.overflowed and sleeper.queued_bytes == 0
    assert budget.used == 0  # what it held was given back
    assert loop.run_until_complete(sleeper.get()) is CLOSE
    others[0].put((2, image(50 * MiB)))  # the others carry on
    assert others[0].queued_bytes > 50 * MiB


def test_a_reply_that_does_not_fit_fails_alone(loop) -> None:
    budget = QueueBudget(total=400 * MiB)
    hog, _ = outbox(loop, budget)
    reader, dropped = outbox(loop, budget)
    hog.put((1, image(150 * MiB)))
    hog.put((2, image(40 * MiB)))
    reader.put((7, image(150 * MiB)))  # fits its share, not what replies may still take of the total
    reply = pb.ServerMessage.FromString(loop.run_until_complete(reader.get()))
    assert reply.request_id == 7 and reply.error.kind == "ServerBusyError" and "MiB" in reply.error.message
    assert not dropped and budget.used == hog.queued_bytes
    reader.put((8, image(300 * MiB)))  # more than its share: refused too, even with its queue empty
    assert pb.ServerMessage.FromString(loop.run_until_complete(reader.get())).error.kind == "ServerBusyError"


def test_replies_that_fill_the_budget_never_cost_another_client_its_events(loop) -> None:
    budget = QueueBudget(total=400 * MiB)
    hogs = [outbox(loop, budget)[0] for _ in range(2)]
    other, dropped = outbox(loop, budget)
    for hog in hogs:  # together as much as the total: each is refused past its share, at most
        for request_id in range(1, 5):
            hog.put((request_id, image(50 * MiB)))
    assert budget.used <= budget.total - EVENT_RESERVE
    for sequence in range(100):
        other.put(messages.Event(sequence, 0, messages.ChatMessage(1, "a", "x" * 1000, 0.0)))
        assert isinstance(
            codec.decode_reply(pb.ServerMessage.FromString(loop.run_until_complete(other.get()))), messages.Event
        )
    assert not dropped


def test_a_stream_that_ends_gives_everything_back(loop) -> None:
    budget = QueueBudget(total=100 * MiB)
    box, _ = outbox(loop, budget)
    box.put((1, image(5 * MiB)))
    box.put(messages.Event(1, 0, messages.ChatMessage(1, "a", "hi", 0.0)))
    box.discard()
    box.discard()  # twice is harmless
    assert budget.used == 0 and budget.clients == 0
