"""``pvbatch --symmetric``: every rank runs the script, and every rank's ``simple`` sees the same session.

As in ParaView's symmetric mode, all ranks execute the script and make the same ``simple`` calls in the same
order; the pipeline is the one parallel pipeline of the job (each rank computes its partition). Rank 0's calls
drive the engine (:class:`LeaderTransport`, the built-in session spanning all ranks); the other ranks' calls do
not compute again: each is answered with rank 0's reply to the same call, broadcast to all ranks
(:class:`FollowerTransport`), so proxies, data information, fetched data and rendered images are the same on
every rank. What happens only once happens on rank 0: the engine's work, and files the server side writes.
The other ranks compute their partitions meanwhile, in the engine's worker loop (pvclient.batch runs their
script on a thread beside it).

A script that takes another path on one rank (a different call) gets an error there naming both calls; a rank
whose script makes calls after rank 0's script ended gets ConnectionClosedError. The VTK objects of the session
are rank 0's engine's: ``GetClientSideObject()`` works on rank 0 only. Each rank's script sees its own rank in
``vtkMultiProcessController.GetGlobalController()`` (:class:`SymmetricController`).
"""

from __future__ import annotations

from typing import Any

import numpy
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkParallelCore import vtkCommunicator, vtkDummyController

from pvclient.events import EventQueue
from pvclient.properties import NotSupportedException
from pvclient.transport import BuiltinTransport, raise_if_error
from pvcore import messages
from pvcore.errors import ConnectionClosedError, PVError

#: What rank 0 broadcasts when its session ends (its script finished, or failed).
SESSION_ENDED = "session-ended"


class LeaderTransport(BuiltinTransport):
    """Rank 0: the built-in session on the job's ranks, broadcasting each reply on ``replies`` (an MPI
    communicator of its own, so that the script's use of MPI.COMM_WORLD and the engine's never mix with it)."""

    def __init__(self, hello: messages.Hello, comm: Any, replies: Any) -> None:
        super().__init__(hello, comm)
        self._replies = replies
        replies.bcast(self.welcome, root=0)

    def request_stamped(self, request: Any) -> tuple[Any, int]:
        """Run a request on the engine and give every rank its reply."""
        if self._closed:
            raise ConnectionClosedError("The built-in session is closed.")
        try:
            reply = self._engine.call(self._service.handle, self.welcome.client_id, request)
        except PVError as exc:  # the other ranks get the same error
            reply = messages.ErrorReply(type(exc).__name__, exc.message)
        self._replies.bcast((type(request).__name__, reply), root=0)
        return raise_if_error(reply), self.events.reply_stamp()

    def close(self) -> None:
        """Tell the other ranks the session ended, then stop the engine (and with it their worker loops)."""
        if not self._closed:
            self._replies.bcast(SESSION_ENDED, root=0)
        super().close()


class FollowerTransport(BuiltinTransport):
    """Ranks 1..N-1: each request is answered with rank 0's reply to the same request. A BuiltinTransport for
    what asks which session this is (it is the built-in one), though it runs no engine of its own: its client-side
    objects are refused with a message naming --symmetric."""

    def __init__(self, replies: Any) -> None:  # no engine here: BuiltinTransport.__init__ would start one
        self._replies = replies
        self.address = "builtin:"
        self.events = EventQueue()
        self.on_event = None
        self.welcome: messages.Welcome = replies.bcast(None, root=0)
        self._closed = False
        self._rank = replies.Get_rank()

    def request(self, request: Any) -> Any:
        """Rank 0's reply to the same request."""
        return self.request_stamped(request)[0]

    def request_stamped(self, request: Any) -> tuple[Any, int]:
        """Like :meth:`request`, with the reply's arrival stamp."""
        if self._closed:
            raise ConnectionClosedError("The built-in session is closed.")
        answered = self._replies.bcast(None, root=0)
        if answered == SESSION_ENDED:
            self._closed = True
            raise ConnectionClosedError(
                f"pvbatch --symmetric: rank 0's script ended (or failed) before this rank's script made its "
                f"{type(request).__name__} call; every rank must make the same simple calls."
            )
        kind, reply = answered
        if kind != type(request).__name__:
            raise PVError(
                f"pvbatch --symmetric: this rank's script made a {type(request).__name__} call where rank 0's made "
                f"{kind}: every rank must make the same simple calls in the same order."
            )
        return raise_if_error(reply), self.events.reply_stamp()

    def cancel(self) -> None:
        """Nothing to cancel here: rank 0 runs the updates."""

    def call_on_engine(self, fn: Any, *args: Any) -> Any:
        """Refused: the session's VTK objects are rank 0's."""
        raise self._no_objects()

    def vtk_object(self, global_id: int) -> Any:
        """Refused: the session's VTK objects are rank 0's."""
        raise self._no_objects()

    def _no_objects(self) -> NotSupportedException:
        return NotSupportedException(
            f"pvbatch --symmetric: GetClientSideObject() and MarkModified() work on rank 0 only, whose engine holds "
            f"the session's VTK objects; this is rank {self._rank}. Make the call under "
            "`if servermanager.vtkProcessModule.GetProcessModule().GetPartitionId() == 0:`, or use "
            "servermanager.Fetch(proxy), which every rank gets."
        )

    @property
    def closed(self) -> bool:
        """True once closed, or once rank 0's session ended."""
        return self._closed

    def close(self) -> None:
        """Take rank 0's replies to calls this rank did not make, until rank 0's session ends."""
        while not self._closed:
            self._closed = self._replies.bcast(None, root=0) == SESSION_ENDED


#: vtkCommunicator's reduction operations, as numpy ufuncs (MAX_OP, MIN_OP, SUM_OP, PRODUCT_OP...).
_OPERATIONS = {
    vtkCommunicator.MAX_OP: numpy.maximum,
    vtkCommunicator.MIN_OP: numpy.minimum,
    vtkCommunicator.SUM_OP: numpy.add,
    vtkCommunicator.PRODUCT_OP: numpy.multiply,
    vtkCommunicator.LOGICAL_AND_OP: numpy.logical_and,
    vtkCommunicator.LOGICAL_OR_OP: numpy.logical_or,
}


class SymmetricController(vtkDummyController):
    """The global controller of ``pvbatch --symmetric`` scripts: this rank and the job's size, from mpi4py.

    The pip VTK has no vtkMPIController, so this is a vtkDummyController whose Python methods scripts call
    (``GetLocalProcessId``, ``GetNumberOfProcesses``, ``Barrier``, ``Reduce``/``AllReduce`` of vtkDataArrays,
    what ParaView's symmetric tests use) answer for the MPI job, through ``comm`` (a communicator of its own, so
    that they never mix with the script's MPI.COMM_WORLD nor with the engine's). VTK's C++ code handed this
    controller sees the vtkDummyController it is, one process, and computes this rank's piece alone, as it does
    everywhere with this VTK (a C++ method cannot be overridden from Python).
    """

    def __init__(self, comm: Any) -> None:
        super().__init__()
        self._comm = comm

    def GetLocalProcessId(self) -> int:  # noqa: N802 (VTK's name)
        """This rank."""
        return self._comm.Get_rank()

    def GetNumberOfProcesses(self) -> int:  # noqa: N802 (VTK's name)
        """The ranks of the job."""
        return self._comm.Get_size()

    def Barrier(self) -> None:  # noqa: N802 (VTK's name)
        """Wait until every rank got here."""
        self._comm.Barrier()

    def Reduce(self, send: Any, receive: Any, operation: int, root: int) -> int:  # noqa: N802 (VTK's name)
        """Combine every rank's ``send`` array with ``operation`` (vtkCommunicator.SUM_OP...) into ``receive``
        on rank ``root``; returns 1."""
        combined = self._comm.reduce(vtk_to_numpy(send).copy(), op=_reduction(operation), root=root)
        if self._comm.Get_rank() == root:
            _store(combined, receive, send)
        return 1

    def AllReduce(self, send: Any, receive: Any, operation: int) -> int:  # noqa: N802 (VTK's name)
        """As :meth:`Reduce`, with the result on every rank; returns 1."""
        _store(self._comm.allreduce(vtk_to_numpy(send).copy(), op=_reduction(operation)), receive, send)
        return 1


def _reduction(operation: int) -> Any:
    ufunc = _OPERATIONS.get(operation)
    if ufunc is None:
        known = ", ".join(f"{name} ({getattr(vtkCommunicator, name)})" for name in _OPERATION_NAMES)
        raise NotSupportedException(f"Reduce: operation {operation} is not offered here; offered: {known}.")
    return lambda mine, theirs: ufunc(mine, theirs).astype(mine.dtype)


_OPERATION_NAMES = ("MAX_OP", "MIN_OP", "SUM_OP", "PRODUCT_OP", "LOGICAL_AND_OP", "LOGICAL_OR_OP")


def _store(values: Any, receive: Any, send: Any) -> None:
    receive.SetNumberOfComponents(send.GetNumberOfComponents())
    receive.SetNumberOfTuples(send.GetNumberOfTuples())
    vtk_to_numpy(receive)[...] = values.reshape(vtk_to_numpy(receive).shape)
