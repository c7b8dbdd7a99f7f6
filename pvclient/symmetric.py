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
whose script makes calls after rank 0's script ended gets ConnectionClosedError.
"""

from __future__ import annotations

from typing import Any

from pvclient.events import EventQueue
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


class FollowerTransport:
    """Ranks 1..N-1: each request is answered with rank 0's reply to the same request."""

    def __init__(self, replies: Any) -> None:
        self._replies = replies
        self.address = "builtin:"
        self.events = EventQueue()
        self.on_event = None
        self.welcome: messages.Welcome = replies.bcast(None, root=0)
        self._closed = False

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

    @property
    def closed(self) -> bool:
        """True once closed, or once rank 0's session ended."""
        return self._closed

    def close(self) -> None:
        """Take rank 0's replies to calls this rank did not make, until rank 0's session ends."""
        while not self._closed:
            self._closed = self._replies.bcast(None, root=0) == SESSION_ENDED
