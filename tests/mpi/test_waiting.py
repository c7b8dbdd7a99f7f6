"""Waiting lazily on MPI requests: every kind of request completes, polling back-offs, idle waits cost no CPU.

Run on several ranks: ``mpiexec -n 4 python -m pytest --with-mpi tests/mpi/test_waiting.py``
(the tests without an ``mpi`` mark also run, on one rank, under plain pytest).
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from mpi_world import COMM, RANK, SIZE

from pvserver import waiting
from pvserver.waiting import poll_lazily, wait_any_lazily, wait_lazily

pytestmark = pytest.mark.timeout(60)


def test_wait_lazily_completes_point_to_point_and_collectives():
    right, left = (RANK + 1) % SIZE, (RANK - 1) % SIZE
    out = np.arange(1000, dtype=np.float64) + RANK
    into = np.empty_like(out)
    wait_lazily([COMM.Irecv(into, left, 77), COMM.Isend(out, right, 77)])
    np.testing.assert_array_equal(into, np.arange(1000) + left)
    wait_lazily(COMM.Ibarrier())  # a single request
    wait_lazily([])  # nothing to wait for
    total = np.zeros(1, np.int64)
    wait_lazily(COMM.Iallreduce(np.array([RANK], np.int64), total))
    assert total[0] == SIZE * (SIZE - 1) // 2


def test_wait_any_lazily_gives_the_request_that_completed():
    right, left = (RANK + 1) % SIZE, (RANK - 1) % SIZE
    into = np.empty(3, np.int64)
    never = np.empty(1, np.int64)
    requests = [COMM.Irecv(never, left, 79), COMM.Irecv(into, left, 78)]  # nobody sends tag 79
    send = COMM.Isend(np.array([RANK] * 3, np.int64), right, 78)
    assert wait_any_lazily(requests) == 1
    np.testing.assert_array_equal(into, left)
    wait_lazily(send)
    requests[0].Cancel()
    requests[0].Wait()


def test_poll_lazily_returns_the_first_answer_and_calls_the_hook(monkeypatch):
    """An index 0 counts as an answer (only None and False do not); the thread's hook hears of long waits."""
    monkeypatch.setattr(waiting, "HOOK_INTERVAL", 0.01)
    heard = []
    answers = iter([None, False] * 3 + [0])
    waiting.set_wait_hook(heard.append)
    try:
        assert poll_lazily(lambda: next(answers)) == 0
        deadline = time.monotonic() + 0.1
        assert poll_lazily(lambda: time.monotonic() > deadline) is True
    finally:
        waiting.set_wait_hook(None)
    assert heard and all(0 < w < 1 for w in heard)


def test_the_two_back_offs():
    """Replies: each sleep 2% of the time waited; exchanges among ranks sharing cores: each twice the last."""
    sleeps, last = [], 0.0
    for _ in range(12):
        last = waiting.YIELDING.next_sleep(1.0, last, 1e-3)
        sleeps.append(last)
    assert sleeps[:6] == pytest.approx([waiting.MIN_SLEEP * 2**i for i in range(6)])
    assert sleeps[-1] == 1e-3
    assert waiting.REPLY.next_sleep(0.0, 0.0, 1e-3) == waiting.MIN_SLEEP
    assert waiting.REPLY.next_sleep(0.01, waiting.MIN_SLEEP, 1e-3) == pytest.approx(0.02 * 0.01)
    assert waiting.REPLY.next_sleep(10.0, 2e-4, 10e-3) == 10e-3


def test_an_idle_wait_costs_almost_no_cpu():
    """Idle ranks sleep: half a second waited at the workers' back-off bound costs a few percent of a core."""
    wall, cpu = time.monotonic(), time.process_time()
    deadline = wall + 0.5
    poll_lazily(lambda: time.monotonic() > deadline, max_sleep=10e-3)
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    assert wall >= 0.5 and cpu < 0.15 * wall, f"{cpu:.3f} s of CPU in {wall:.3f} s"
