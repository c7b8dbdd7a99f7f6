"""MPI plumbing shared by rank 0's engine and the workers.

Blocking MPI calls busy-poll. On an oversubscribed node (8 ranks on 2 cores) a rank spinning in a blocking
wait steals the CPU from ranks still working, and an idle server would burn every core. So every wait that may
be long goes through :func:`wait_lazily`, which tests the request and sleeps with an exponential back-off.
:class:`SerialComm` stands in for a communicator in the built-in, single-process session.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

# Back-off bounds: short sleeps while a reply is due soon, up to IDLE_SLEEP when the server has nothing to do.
MIN_SLEEP = 20e-6
IDLE_SLEEP = 5e-3


def wait_lazily(requests: Any | Sequence[Any], max_sleep: float = 1e-3) -> None:
    """Wait for one or several MPI requests without spinning on the CPU."""
    from mpi4py import MPI

    reqs = list(requests) if isinstance(requests, (list, tuple)) else [requests]
    sleep = MIN_SLEEP
    while not MPI.Request.Testall(reqs):
        time.sleep(sleep)
        sleep = min(sleep * 2, max_sleep)


def sync_lazily(comm: Any, max_sleep: float = 1e-3) -> None:
    """A barrier that sleeps instead of spinning; call it before a blocking collective."""
    if comm.Get_size() > 1:
        wait_lazily(comm.Ibarrier(), max_sleep)


class SerialComm:
    """The few communicator calls the engine uses, for one process without MPI."""

    rank = 0
    size = 1

    def Get_rank(self) -> int:
        return 0

    def Get_size(self) -> int:
        return 1

    def bcast(self, obj: Any, root: int = 0) -> Any:
        return obj

    def gather(self, obj: Any, root: int = 0) -> list[Any]:
        return [obj]

    def allreduce(self, obj: Any, op: Any = None) -> Any:
        return obj

    def Barrier(self) -> None:
        pass


class CommandChannel:
    """Rank 0 hands commands to the workers; workers wait for them asleep.

    A command goes out as a non-blocking broadcast of a wake-up word (which idle workers poll lazily),
    followed by the pickled command itself.
    """

    def __init__(self, comm: Any) -> None:
        self.comm = comm
        self.parallel = comm.Get_size() > 1
        self._word = np.zeros(1, dtype=np.int64)

    def send(self, command: Any) -> None:
        """On rank 0: deliver a command to every worker."""
        if self.parallel:
            self._word[0] = 1
            self.comm.Ibcast(self._word, root=0).Wait()
            self.comm.bcast(command, root=0)

    def receive(self) -> Any:
        """On a worker: sleep until rank 0 sends a command and return it."""
        wait_lazily(self.comm.Ibcast(self._word, root=0), max_sleep=IDLE_SLEEP)
        return self.comm.bcast(None, root=0)

    def gather(self, result: Any) -> list[Any] | None:
        """Every rank's result on rank 0 (None elsewhere), without spinning while others still work."""
        if not self.parallel:
            return [result]
        sync_lazily(self.comm)
        return self.comm.gather(result, root=0)
