"""The engine's job queue: clients take turns, the master and the server first, light jobs at once but never a
flood of them before everything else."""

from __future__ import annotations

from concurrent.futures import Future

import pytest

from pvcore.errors import ConnectionClosedError
from pvserver.jobs import LIGHT_STREAK, SERVER, JobQueue


def job(name: str) -> tuple:
    return (lambda: name, Future())


def names(queue: JobQueue, count: int) -> list[str]:
    return [queue.get()[0]() for _ in range(count)]


def test_clients_take_turns_and_keep_their_own_order() -> None:
    queue = JobQueue()
    for i in range(3):
        queue.put(job(f"bob{i}"), client=2)
    for i in range(2):
        queue.put(job(f"carol{i}"), client=3)
    assert names(queue, 5) == ["bob0", "carol0", "bob1", "carol1", "bob2"]


def test_the_master_and_the_server_go_first() -> None:
    master = [2]
    queue = JobQueue(first_client=lambda: master[0])
    queue.put(job("carol0"), client=3)
    queue.put(job("bob0"), client=2)
    queue.put(job("bob1"), client=2)
    queue.put(job("notice"), client=SERVER)
    assert names(queue, 2) == ["notice", "bob0"]
    master[0] = 3  # promoted: carol's jobs go first from now on
    assert names(queue, 2) == ["carol0", "bob1"]


def test_light_jobs_go_first_but_cannot_starve_the_others() -> None:
    queue = JobQueue()
    queue.put(job("edit"), client=1)
    for i in range(LIGHT_STREAK + 5):
        queue.put(job(f"chat{i}"), light=True)
    got = names(queue, LIGHT_STREAK + 1)
    assert got[:LIGHT_STREAK] == [f"chat{i}" for i in range(LIGHT_STREAK)] and got[-1] == "edit"
    assert queue.get_light()[0]() == f"chat{LIGHT_STREAK}"


def test_a_stall_refuses_the_clients_jobs_not_the_servers() -> None:
    queue = JobQueue()
    queue.put(job("render"), client=2)
    queue.put(job("stop"), client=SERVER)
    queue.put(job("chat"), light=True)
    assert [fn() for fn, _ in queue.take_clients_jobs()] == ["render"]
    assert names(queue, 2) == ["chat", "stop"]


def test_a_closed_queue_fails_what_comes_and_hands_back_what_waited() -> None:
    queue = JobQueue()
    queue.put(job("waiting"), client=2)
    assert [fn() for fn, _ in queue.close()] == ["waiting"]
    late = job("late")
    queue.put(late, client=2)
    with pytest.raises(ConnectionClosedError):
        late[1].result(timeout=1)
    assert queue.get() is None
