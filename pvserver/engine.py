"""Rank 0's engine: the one thread that makes MPI calls.

gRPC handler threads never touch MPI or VTK; they hand work to this thread through a queue
(:meth:`Engine.call`) and wait for the answer. On that thread, :meth:`Engine.run` broadcasts a collective
command, runs rank 0's share, and gathers every rank's result.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from pvserver import commands
from pvserver.commands import RankResult
from pvserver.errors import ConnectionClosedError, PeerFailedError, error_from_kind
from pvserver.parallel import CommandChannel
from pvserver.pipeline.executor import RankExecutor

log = logging.getLogger(__name__)
T = TypeVar("T")


class Engine:
    """Owns MPI on rank 0 (or the single process of a built-in session)."""

    def __init__(self, comm: Any) -> None:
        self.comm = comm
        self.size = comm.Get_size()
        self.channel = CommandChannel(comm)
        self._jobs: queue.Queue[tuple[Callable[[], Any], Future] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="mpi-engine", daemon=True)
        self._stopped = threading.Event()
        self.executor: RankExecutor | None = None
        #: Called on the engine thread with (proxy id, fraction) while rank 0 executes a pipeline update.
        self.on_progress: Callable[[int, float], None] | None = None
        #: Called on the engine thread after each job, once its result was delivered.
        self.after_job: Callable[[], None] | None = None
        #: Set by cancel(); the executor checks it while algorithms report progress.
        self.cancel_requested = threading.Event()

    def start(self) -> Engine:
        """Start the engine thread; returns self."""
        self._thread.start()
        return self

    # ----------------------------------------------------------------------------------- any thread

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` on the engine thread and return its result (or raise its exception)."""
        if threading.current_thread() is self._thread:
            try:
                return fn(*args)
            finally:
                self._after_job()
        return self.submit(fn, *args).result()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future:
        """Queue ``fn(*args)`` for the engine thread; the future completes in submission order."""
        if self._stopped.is_set():
            raise ConnectionClosedError("The server is shutting down.")
        future: Future = Future()
        self._jobs.put((lambda: fn(*args), future))
        return future

    def cancel(self) -> None:
        """Ask the update running now to stop, on every rank (any thread)."""
        self.cancel_requested.set()

    def stop(self) -> None:
        """Tell the workers to leave their loop, then stop the engine thread."""
        if self._stopped.is_set():
            return
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
        self._stopped.set()

    # ----------------------------------------------------------------------------------- engine thread

    def _loop(self) -> None:
        # VTK objects are created on this thread, so that rendering contexts stay on one thread.
        self.executor = RankExecutor(
            self.comm,
            progress=lambda gid, f: self.on_progress and self.on_progress(gid, f),
            cancel=self._cancel_pending,
        )
        while True:
            job = self._jobs.get()
            if job is None:
                break
            fn, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # delivered to the caller
                future.set_exception(exc)
            self._after_job()
        self.channel.send(commands.Shutdown())
        self.executor.close()  # here, not wherever the garbage collector would: render windows belong to this thread
        self._stopped.set()
        while not self._jobs.empty():  # fail what arrived during shutdown instead of leaving it waiting
            job = self._jobs.get_nowait()
            if job is not None:
                job[1].set_exception(ConnectionClosedError("The server shut down."))

    def _after_job(self) -> None:
        if self.after_job is not None:
            try:
                self.after_job()
            except Exception:  # a bug; the engine must keep serving
                log.exception("after_job failed")

    def _cancel_pending(self) -> bool:
        """On rank 0, while an algorithm runs: a cancel was asked for; pass it to the workers once."""
        if not self.cancel_requested.is_set():
            return False
        if not self._cancel_sent:
            self.channel.send_cancel()
            self._cancel_sent = True
        return True

    def collective(self, command: Any) -> list[RankResult]:
        """Broadcast a command, run rank 0's share, gather every rank's result (engine thread only)."""
        self.cancel_requested.clear()  # a cancel is for the update running when it was asked
        self._cancel_sent = False
        self.channel.send(command)
        mine = self.executor.run(command)
        return self.channel.gather(mine)

    def run(self, command: Any) -> list[Any]:
        """Like :meth:`collective`, but raise the first rank's error (one that failed on its own rather than
        because another did); returns every rank's value."""
        results = self.collective(command)
        failed = [rank for rank, result in enumerate(results) if not result.ok]
        own = [rank for rank in failed if results[rank].error_kind != PeerFailedError.__name__]
        if failed:
            rank = (own or failed)[0]
            result = results[rank]
            where = f" (on rank {rank} of {self.size})" if self.size > 1 else ""
            raise error_from_kind(
                result.error_kind,
                result.message + where,
                rank=rank,
                proxy_id=result.proxy_id,
                proxy_name=result.proxy_name,
                property=result.property,
            )
        return [r.value for r in results]
