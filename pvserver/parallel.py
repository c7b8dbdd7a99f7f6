"""MPI plumbing shared by rank 0's engine and the workers.

Blocking MPI calls busy-poll. On an oversubscribed node (8 ranks on 2 cores) a rank spinning in a blocking
wait steals the CPU from ranks still working, and an idle server would burn every core. So every wait that may
be long goes through the one back-off of :mod:`pvserver.waiting` (here :func:`wait_lazily`, :func:`recv_lazily`,
:func:`sync_lazily`), which tests the request and sleeps in between. The longest wait of all, a worker's wait for
the next command, sleeps in the kernel until rank 0 rings its :class:`Doorbell`. :class:`SerialComm` stands in
for a communicator in the built-in, single-process session.

Commands, results and data between the ranks are pickled: MPI connects only the processes of this one job, which
all run this code as one user, so it is no network path (nothing a client or another host sends is unpickled;
the doorbell's sockets carry a token and single bytes, never objects).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import secrets
import select
import socket
import time
from collections.abc import Callable
from typing import Any

from pvserver.waiting import poll_lazily, set_wait_hook, wait_lazily

__all__ = [
    "IDLE_SLEEP",
    "CommandChannel",
    "Doorbell",
    "SerialComm",
    "everyone",
    "raise_unless_all_succeeded",
    "recv_lazily",
    "set_wait_hook",  # rank 0's engine sets it here
    "sync_lazily",
    "wait_lazily",
]

log = logging.getLogger(__name__)

#: A worker's longest sleep between two looks for the next command when it has no doorbell: an idle 8-rank server
#: then costs ~3% of one core, and a command waits <= 10 ms.
IDLE_SLEEP = 10e-3
#: Beyond this many workers, rank 0 would hold too many doorbell connections (file descriptors): they poll.
MAX_DOORBELL_WORKERS = 512


def recv_lazily(
    comm: Any, source: int, tag: int, max_sleep: float = 1e-3, while_waiting: Callable[[], Any] | None = None
) -> tuple[int, bytearray]:
    """Receive one message of bytes of any size without spinning while it is not there; returns (source, bytes).

    ``while_waiting`` is called at every look (rank 0 passes a cancel on to the workers from there)."""
    from mpi4py import MPI

    status = MPI.Status()
    found: list[Any] = []

    def arrived() -> bool:
        if while_waiting is not None:
            while_waiting()
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


def everyone(comm: Any, flag: bool) -> bool:
    """Collective: whether ``flag`` is true on every rank (learnt without spinning while others still work)."""
    if comm.Get_size() == 1:
        return flag
    sync_lazily(comm)
    return all(comm.allgather(flag))


def raise_unless_all_succeeded(comm: Any, failure: BaseException | None, peer_message: str) -> None:
    """Collective, before a step that needs every rank: a rank whose own work failed raises ``failure``, and
    the others, stopped by it, a PeerFailedError(``peer_message``), instead of waiting for it."""
    from pvcore.errors import PeerFailedError

    if not everyone(comm, failure is None):
        raise failure if failure is not None else PeerFailedError(peer_message)


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


class Doorbell:
    """Wakes idle workers without their polling MPI: rank 0 rings each worker (a byte on a TCP connection) as it
    sends a command, and a worker waits for the ring in ``select()``, asleep in the kernel. An idle worker then
    costs no CPU, and wakes within microseconds instead of up to IDLE_SLEEP later.

    Set up collectively by :meth:`connect`; any failure there (a firewall between nodes, say) leaves every rank
    without one, and the workers poll MPI lazily as before. ``PVSERVER_DOORBELL=0`` turns it off.
    """

    def __init__(self, sockets: list[socket.socket]) -> None:
        self.sockets = sockets  # rank 0: one per worker, in rank order; a worker: its one to rank 0

    @classmethod
    def connect(cls, comm: Any, timeout: float = 5.0) -> Doorbell | None:
        """Collective: connect every worker to rank 0; None on every rank unless all of them are connected.

        The workers dial first (their connections wait in rank 0's backlog); rank 0 accepts only once every
        worker reports success, so a worker that cannot reach it costs nobody a timeout.
        """
        rank, size = comm.Get_rank(), comm.Get_size()
        wanted = os.environ.get("PVSERVER_DOORBELL", "1") != "0" and size - 1 <= MAX_DOORBELL_WORKERS
        hosts = comm.allgather(_processor_name())
        listener, address = None, None
        if rank == 0 and wanted:
            try:
                listener, address = _listen(one_host=len(set(hosts)) == 1, backlog=size)
            except OSError as exc:
                log.info("no doorbell (workers will poll): %s", exc)
        token = secrets.token_bytes(16) if rank == 0 else b""
        address, token = comm.bcast((address, token), root=0)
        mine: list[socket.socket] = []
        if rank != 0 and address is not None:
            mine = _dial(address, token, rank, timeout)
        dialed = everyone(comm, address is not None and (rank == 0 or len(mine) == 1))
        if rank == 0 and listener is not None:
            mine = _accept(listener, token, size - 1, timeout) if dialed else []
            listener.close()
        if everyone(comm, len(mine) == (size - 1 if rank == 0 else 1)):
            return cls(mine)
        for sock in mine:
            sock.close()
        return None

    def ring(self) -> None:
        """On rank 0: wake every worker (once per command sent)."""
        for sock in self.sockets:
            # A worker that is gone or hung up is not rung; MPI still delivers, and it looks within a second.
            with contextlib.suppress(OSError):
                sock.sendall(b"\x01")

    def wait(self, timeout: float) -> bool:
        """On a worker: sleep until rank 0 rings, or ``timeout`` seconds; True if it rang (one ring consumed)."""
        sock = self.sockets[0]
        if not select.select([sock], [], [], timeout)[0]:
            return False
        if not sock.recv(1):  # rank 0 closed it: from now on, poll
            self.sockets.clear()
            raise ConnectionError("rank 0 closed the doorbell")
        return True

    def close(self) -> None:
        """Hang up (this rank's side)."""
        for sock in self.sockets:
            sock.close()
        self.sockets.clear()


def _processor_name() -> str:
    from mpi4py import MPI

    return MPI.Get_processor_name()


def _listen(one_host: bool, backlog: int) -> tuple[socket.socket, tuple[str, int]]:
    """A listening socket on rank 0: loopback when every rank runs on this host, else this host's address."""
    host = "127.0.0.1" if one_host else socket.gethostbyname(socket.gethostname())
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((host, 0))
    listener.listen(backlog)
    return listener, (host, listener.getsockname()[1])


def _accept(listener: socket.socket, token: bytes, workers: int, timeout: float) -> list[socket.socket]:
    """Rank 0: the workers' connections in rank order (each says its token and rank); [] if they do not all come."""
    by_rank: dict[int, socket.socket] = {}
    deadline = time.monotonic() + timeout
    while len(by_rank) < workers and time.monotonic() < deadline:
        listener.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            sock, _ = listener.accept()
        except TimeoutError:
            break
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            hello = _read_exactly(sock, len(token) + 4)
        except OSError:
            sock.close()
            continue
        rank = int.from_bytes(hello[len(token) :], "big")
        if hello[: len(token)] != token or not 0 < rank <= workers or rank in by_rank:
            sock.close()  # not one of ours
            continue
        _ready(sock)
        by_rank[rank] = sock
    if len(by_rank) < workers:
        for sock in by_rank.values():
            sock.close()
        return []
    return [by_rank[r] for r in range(1, workers + 1)]


def _dial(address: tuple[str, int], token: bytes, rank: int, timeout: float) -> list[socket.socket]:
    """A worker: its connection to rank 0, introduced by the token and its rank; [] if it cannot connect."""
    try:
        sock = socket.create_connection(address, timeout=timeout)
        sock.sendall(token + rank.to_bytes(4, "big"))
    except OSError as exc:
        log.info("rank %d cannot reach rank 0's doorbell (it will poll): %s", rank, exc)
        return []
    _ready(sock)
    return [sock]


def _ready(sock: socket.socket) -> None:
    sock.settimeout(None)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # a ring leaves at once


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed during the handshake")
        data += chunk
    return data


class CommandChannel:
    """Rank 0 hands commands to the workers; workers wait for them asleep.

    Commands and results travel point to point on a private duplicate of the communicator (so that they never
    match the pipeline's or the compositor's own messages): rank 0 sends the pickled command to every worker and
    rings its :class:`Doorbell`; a worker sleeps until the ring (or, without a doorbell, polls lazily), then
    receives the command. Each worker sends its result to rank 0, which polls for them lazily. Every hand-off is
    one message: no tree of sleeping ranks that must each wake up to forward it, no barrier, and no blocking
    collective that spins.
    """

    _COMMAND, _RESULT, _CANCEL = 1, 2, 3

    def __init__(self, comm: Any) -> None:
        """Collective over ``comm``."""
        self.comm = comm
        self.size = comm.Get_size()
        self.parallel = self.size > 1
        self._chan = comm.Dup() if self.parallel else comm
        self.doorbell = Doorbell.connect(self._chan) if self.parallel else None
        #: On rank 0, during :meth:`gather`: the workers whose result has not arrived yet.
        self.waiting_for: list[int] = []

    def close(self) -> None:
        """Collective: hang up the doorbell and free the private communicator."""
        if self.doorbell is not None:
            self.doorbell.close()
            self.doorbell = None
        if self.parallel:
            self._chan.Free()

    def send(self, command: Any) -> None:
        """On rank 0: deliver a command to every worker."""
        if self.parallel:
            from mpi4py import MPI

            payload = pickle.dumps(command, pickle.HIGHEST_PROTOCOL)
            # Small commands leave at once; large ones as each worker picks them up.
            sends = [self._chan.Isend([payload, MPI.BYTE], rank, self._COMMAND) for rank in range(1, self.size)]
            if self.doorbell is not None:
                self.doorbell.ring()
            wait_lazily(sends)

    def receive(self) -> Any:
        """On a worker: sleep until rank 0 sends a command and return it."""
        while self.doorbell is not None:
            try:
                if self.doorbell.wait(timeout=1.0):
                    break  # the command is on its way (or there): take it below
            except ConnectionError:
                self.doorbell = None
                break
            if self._chan.Iprobe(0, self._COMMAND):  # a safety net: a command without a ring
                break
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

    def gather(self, result: Any, while_waiting: Callable[[], Any] | None = None) -> list[Any] | None:
        """Every rank's result on rank 0 (None elsewhere), without spinning while others still work; rank 0 calls
        ``while_waiting`` as it looks for them."""
        if not self.parallel:
            return [result]
        from mpi4py import MPI

        if self.comm.Get_rank() != 0:
            payload = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
            wait_lazily(self._chan.Isend([payload, MPI.BYTE], 0, self._RESULT))
            return None
        results = [result] + [None] * (self.size - 1)
        self.waiting_for = list(range(1, self.size))
        try:
            for _ in range(1, self.size):  # one result per worker, in the order they arrive
                source, value = self._next(MPI.ANY_SOURCE, self._RESULT, 1e-3, while_waiting)
                results[source] = value
                self.waiting_for.remove(source)
        finally:
            self.waiting_for = []
        return results

    def _next(
        self, source: int, tag: int, max_sleep: float, while_waiting: Callable[[], Any] | None = None
    ) -> tuple[int, Any]:
        """Sleep lazily until a message matches, then receive and unpickle it; returns (its source, object)."""
        sender, buffer = recv_lazily(self._chan, source, tag, max_sleep, while_waiting)
        return sender, pickle.loads(buffer)  # from a rank of this job over MPI (see the module docstring)
