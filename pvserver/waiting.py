"""The one back-off of every lazy wait of the data server: MPI requests, probes, and the compositor's exchanges.

MPI implementations spin while blocked in ``Wait``; when more ranks than cores share a node (8 ranks on 2 cores),
a spinning rank steals the CPU from the ranks it waits for, and an idle server would burn every core. So every
wait that may be long tests for completion and sleeps in between (:func:`poll_lazily`), from MIN_SLEEP up to the
wait's ``max_sleep`` at a time. On waking, it keeps testing for MIN_SLEEP: MPICH moves about one message forward
per test, so a burst of small messages (every rank's result, the compositor's pieces) is taken in one wake-up
rather than one per sleep.

How the sleeps grow is a :class:`Backoff`; there are two, one per kind of wait:

- REPLY (the default), for a reply that a client waits for (a command's results, the next command): each sleep
  is 2% of the time waited so far. A wait that began recently polls often and only a long one grows to
  ``max_sleep``; the latency added is at most ~2% of the time waited, and a wait of T seconds polls about
  50 * ln(T / 1 ms) times.
- YIELDING, for the exchanges among ranks that share cores (the compositor's): each sleep twice the last. A
  waiting rank gives the CPU to the ranks it waits for (a few times less CPU than REPLY in a wait of 1 to 20 ms),
  for up to twice the time waited.

Either way an idle rank sleeps ``max_sleep`` at a time and costs almost no CPU.

This module imports no MPI at load time (mpi4py initialises MPI when imported; a client never needs it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "HOOK_INTERVAL",
    "MIN_SLEEP",
    "REPLY",
    "YIELDING",
    "Backoff",
    "poll_lazily",
    "set_wait_hook",
    "wait_any_lazily",
    "wait_lazily",
]

#: First sleep, and the length of each burst of tests after a wake-up, in seconds.
MIN_SLEEP = 20e-6
#: How often a lazy wait calls its thread's wait hook (see :func:`set_wait_hook`), in seconds.
HOOK_INTERVAL = 0.05

_T = TypeVar("_T")
_hooks = threading.local()


@dataclass(frozen=True)
class Backoff:
    """How the sleeps of a lazy wait grow: each is ``fraction`` of the time waited so far or ``growth`` times the
    last sleep, whichever is longer (at least MIN_SLEEP, at most the wait's ``max_sleep``)."""

    fraction: float = 0.0
    growth: float = 1.0

    def next_sleep(self, waited: float, last: float, max_sleep: float) -> float:
        """The sleep after ``waited`` seconds of waiting, the last sleep having been ``last`` seconds."""
        return min(max_sleep, max(MIN_SLEEP, self.fraction * waited, self.growth * last))


#: Latency first: each sleep 2% of the time waited.
REPLY = Backoff(fraction=0.02)
#: CPU first, among ranks that share cores: each sleep twice the last.
YIELDING = Backoff(growth=2.0)


def set_wait_hook(hook: Callable[[float], None] | None) -> None:
    """Have every lazy wait of this thread call ``hook(seconds waited)`` about every HOOK_INTERVAL (rank 0's engine
    answers chat and notices stalled ranks from there)."""
    _hooks.hook = hook


def poll_lazily(test: Callable[[], _T | None], max_sleep: float = 1e-3, backoff: Backoff = REPLY) -> _T:
    """Call ``test()`` until it returns something other than None or False, and return that; in between, sleep as
    ``backoff`` says, at most ``max_sleep`` seconds at a time."""
    clock = time.monotonic
    start = clock()
    sleep = 0.0
    hook, hooked_at = getattr(_hooks, "hook", None), start
    while True:
        burst_end = clock() + MIN_SLEEP
        while True:
            result = test()
            if result is not None and result is not False:
                return result
            if clock() >= burst_end:
                break
        now = clock()
        if hook is not None and now - hooked_at >= HOOK_INTERVAL:
            hooked_at = now
            hook(now - start)
        sleep = backoff.next_sleep(clock() - start, sleep, max_sleep)
        time.sleep(sleep)


def wait_lazily(requests: Any | Sequence[Any], max_sleep: float = 1e-3, backoff: Backoff = REPLY) -> None:
    """Wait for one MPI request or all of several (any kind: point to point, ``Ibarrier``, ``Iallreduce`` ...)
    without spinning on the CPU, with the back-off of :func:`poll_lazily`. Completed requests become
    ``MPI.REQUEST_NULL``, as with ``Wait``.

    Large messages must not need the receiver's attention chunk by chunk: with MPICH's default single-copy
    intra-node transfers (CMA) a message completes in one test, but with a copy-in / copy-out shared-memory
    transport (``MPIR_CVAR_CH4_CMA_ENABLE=0``) every chunk waits for a wake-up; pass a smaller ``max_sleep`` there.
    """
    from mpi4py import MPI

    pending = [requests] if isinstance(requests, MPI.Request) else list(requests)
    if pending:
        poll_lazily(lambda: MPI.Request.Testall(pending), max_sleep, backoff)


def wait_any_lazily(requests: Sequence[Any], max_sleep: float = 1e-3, backoff: Backoff = REPLY) -> int:
    """The index of a request of ``requests`` that completed (it becomes ``MPI.REQUEST_NULL``), waiting as
    :func:`wait_lazily` does. At least one of them must be active."""
    from mpi4py import MPI

    pending = list(requests)

    def test() -> int | None:
        index, done = MPI.Request.Testany(pending)
        return index if done else None

    return poll_lazily(test, max_sleep, backoff)
