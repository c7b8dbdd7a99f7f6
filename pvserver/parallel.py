"""MPI plumbing shared by rank 0's engine and the workers.

Blocking MPI calls busy-poll. On an oversubscribed node (8 ranks on 2 cores) a rank spinning in a blocking
wait steals the CPU from ranks still working, and an idle server would burn every core. So every wait that may
be long goes through :func:`wait_lazily`, which tests the request and sleeps with an exponential back-off.
:class:`SerialComm` stands in for a communicator in the built-in, single-process session.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Sequence
from typing import Any

# Back-off bounds: short sleeps while a reply is due soon, up to IDLE_SLEEP when the server has nothing to do.
MIN_SLEEP = 20e-6
IDLE_SLEEP = 10e-3  # an idle 8-rank server costs ~3% of one core; the first command after it waits <= 10 ms
# Each sleep is at most this fraction of the time already waited: a wait that began recently (a command is due
# soon after the last one) polls often, and only a long idle wait grows to IDLE_SLEEP. The added latency is at
# most ~2% of the time waited, and the polls of a wait of T seconds number about 50 * ln(T / 1 ms).
BACKOFF_FRACTION = 0.02


def poll_lazily(test: Any, max_sleep: float = 1e-3) -> None:
    """Call ``test()`` until it returns true, sleeping a growing fraction of the time already waited."""
    start = time.monotonic()
    while not test():
        time.sleep(min(max_sleep, max(MIN_SLEEP, BACKOFF_FRACTION * (time.monotonic() - start))))
        # MPICH moves about one message forward per test: on waking, keep testing for a moment so that a burst
        # of small messages (every rank's result) is taken in one wake-up rather than one per sleep.
        burst_end = time.monotonic() + MIN_SLEEP
        while time.monotonic() < burst_end:
            if test():
                return


def wait_lazily(requests: Any | Sequence[Any], max_sleep: float = 1e-3) -> None:
    """Wait for one or several MPI requests without spinning on the CPU."""
    from mpi4py import MPI

    reqs = list(requests) if isinstance(requests, (list, tuple)) else [requests]
    poll_lazily(lambda: MPI.Request.Testall(reqs), max_sleep)


def recv_lazily(comm: Any, source: int, tag: int, max_sleep: float = 1e-3) -> tuple[int, bytearray]:
    """Receive one message of bytes of any size without spinning while it is not there; returns (source, bytes)."""
    from mpi4py import MPI

    status = MPI.Status()
    found: list[Any] = []

    def arrived() -> bool:
        message = comm.Improbe(source, tag, status)
        if message is None:  # MPICH matches before it makes progress: a second look sees what just arrived
            message = comm.Improbe(source, tag, status)
        if message is not None:
            found.append(message)
        return message is not None

    poll_lazily(arrived, max_sleep)
    buffer = bytearray(status.Get_count(MPI.BYTE))
    found[0].Recv([buffer, MPI.BYTE])
    return status.Get_source(), buffer


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

    Commands and results travel point to point on a private duplicate of the communicator (so that they never
    match the pipeline's or the compositor's own messages): rank 0 sends the pickled command to every worker,
    which polls for it lazily; each worker sends its result to rank 0, which polls for them lazily. Every
    hand-off is one message: no tree of sleeping ranks that must each wake up to forward it, no barrier, and no
    blocking collective that spins.
    """

    _COMMAND, _RESULT, _CANCEL = 1, 2, 3

    def __init__(self, comm: Any) -> None:
        self.comm = comm
        self.size = comm.Get_size()
        self.parallel = self.size > 1
        self._chan = comm.Dup() if self.parallel else comm

    def send(self, command: Any) -> None:
        """On rank 0: deliver a command to every worker."""
        if self.parallel:
            from mpi4py import MPI

            payload = pickle.dumps(command, pickle.HIGHEST_PROTOCOL)
            # Small commands leave at once; large ones as each worker picks them up.
            wait_lazily([self._chan.Isend([payload, MPI.BYTE], rank, self._COMMAND) for rank in range(1, self.size)])

    def receive(self) -> Any:
        """On a worker: sleep until rank 0 sends a command and return it."""
        command = self._next(0, self._COMMAND, IDLE_SLEEP)[1]
        while self.cancel_pending():  # a cancel that arrived after the update it was meant for
            pass
        return command

    def send_cancel(self) -> None:
        """On rank 0: tell every worker to stop the update it is running."""
        if self.parallel:
            from mpi4py import MPI

            for rank in range(1, self.size):
                self._chan.Isend([b"", MPI.BYTE], rank, self._CANCEL).Free()

    def cancel_pending(self) -> bool:
        """On a worker, while an algorithm runs: rank 0 asked to stop (consumes the message)."""
        if not self.parallel:
            return False
        from mpi4py import MPI

        message = self._chan.Improbe(0, self._CANCEL)
        if message is None:
            return False
        message.Recv([bytearray(0), MPI.BYTE])
        return True

    def gather(self, result: Any) -> list[Any] | None:
        """Every rank's result on rank 0 (None elsewhere), without spinning while others still work."""
        if not self.parallel:
            return [result]
        from mpi4py import MPI

        if self.comm.Get_rank() != 0:
            payload = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
            wait_lazily(self._chan.Isend([payload, MPI.BYTE], 0, self._RESULT))
            return None
        results = [result] + [None] * (self.size - 1)
        for _ in range(1, self.size):  # one result per worker, in the order they arrive
            source, value = self._next(MPI.ANY_SOURCE, self._RESULT, 1e-3)
            results[source] = value
        return results

    def _next(self, source: int, tag: int, max_sleep: float) -> tuple[int, Any]:
        """Sleep lazily until a message matches, then receive and unpickle it; returns (its source, object)."""
        sender, buffer = recv_lazily(self._chan, source, tag, max_sleep)
        return sender, pickle.loads(buffer)
