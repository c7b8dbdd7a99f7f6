"""Rank 0's engine: the one thread that makes MPI calls.

gRPC handler threads never touch MPI or VTK; they hand work to this thread through a queue
(:meth:`Engine.call`) and wait for the answer. On that thread, :meth:`Engine.run` broadcasts a collective
command, runs rank 0's share, and gathers every rank's result.

Jobs come from a fair queue (:mod:`pvserver.jobs`). Each has ``request_timeout`` seconds: past them, the engine
thread passes a cancel to every rank at the next progress report or look at the ranks (as a client's
CancelRequest does), and the job fails with a RequestTimeoutError; a job that reaches a new collective step past
its deadline fails before the step starts. C++ code that never reports progress cannot be interrupted from
Python: a watchdog thread then logs that the server is stuck. While this thread waits for the ranks, it answers
light jobs (chat, joining), and once a wait lasts longer than the request timeout it tells every client which
ranks do not answer and refuses the clients' other jobs until they do.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from pvcore.errors import (
    ConnectionClosedError,
    PeerFailedError,
    RequestTimeoutError,
    ServerBusyError,
    error_from_kind,
)
from pvserver import commands, parallel
from pvserver.commands import RankResult
from pvserver.jobs import SERVER, Job, JobQueue
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
        self._jobs = JobQueue()
        self._thread = threading.Thread(target=self._loop, name="mpi-engine", daemon=True)
        self._stopped = threading.Event()
        self._stopping = threading.Event()
        self.executor: RankExecutor | None = None
        #: Called on the engine thread with (proxy id, fraction) while rank 0 executes a pipeline update.
        self.on_progress: Callable[[int, float], None] | None = None
        #: Called on the engine thread after each job, once its result was delivered.
        self.after_job: Callable[[], None] | None = None
        #: Called on the engine thread with a notice for every client when the ranks stall and when they answer
        #: again: (kind, text).
        self.on_stall: Callable[[str, str], None] | None = None
        self._stalled_since = 0.0  # when the current wait began, once it was reported as stalled
        #: Set by cancel(); the executor checks it while algorithms report progress.
        self.cancel_requested = threading.Event()
        #: Seconds one job (a client's request) may run before it is stopped; 0: no limit.
        self.request_timeout = 0.0
        self._job: tuple[int, float] | None = None  # (number, deadline) of the job running now
        self._jobs_started = 0
        self._timed_out = False  # the running job passed its deadline
        self._watchdog = threading.Thread(target=self._watch, name="request-watchdog", daemon=True)

    def start(self) -> Engine:
        """Start the engine thread and its watchdog; returns self."""
        self._thread.start()
        self._watchdog.start()
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

    def on_engine_thread(self) -> bool:
        """Whether the caller is the engine thread itself (inside a job)."""
        return threading.current_thread() is self._thread

    def submit(self, fn: Callable[..., T], *args: Any, client: int = SERVER, light: bool = False) -> Future:
        """Queue ``fn(*args)`` for the engine thread as a job of ``client`` (see :mod:`pvserver.jobs`); a client's
        jobs complete in submission order. A ``light`` job makes no MPI call: it may run while another job waits
        for the ranks."""
        if self._stopped.is_set():
            raise ConnectionClosedError("The server is shutting down.")
        future: Future = Future()
        self._jobs.put((lambda: fn(*args), future), client, light)
        return future

    def prefer(self, first_client: Callable[[], int]) -> None:
        """Run the jobs of ``first_client()`` (the master) before other clients'."""
        self._jobs.first_client = first_client

    def cancel(self) -> None:
        """Ask the update running now to stop, on every rank (any thread)."""
        self.cancel_requested.set()

    def stop(self, timeout: float | None = None) -> bool:
        """Tell the workers to leave their loop, then stop the engine thread; False if it did not stop within
        ``timeout`` seconds (a job stuck in code that never reports progress, or ranks that do not answer)."""
        if self._stopped.is_set():
            return True
        if self._thread.is_alive():
            self._jobs.put((self._stopping.set, Future()))  # after the server's own jobs queued so far
            self._thread.join(timeout)
            if self._thread.is_alive():
                return False
        self._stopped.set()
        return True

    # ----------------------------------------------------------------------------------- engine thread

    def _loop(self) -> None:
        # VTK objects are created on this thread, so that rendering contexts stay on one thread.
        self.executor = RankExecutor(
            self.comm,
            progress=lambda gid, f: self.on_progress and self.on_progress(gid, f),
            cancel=self._cancel_pending,
        )
        parallel.set_wait_hook(self._while_waiting)
        while not self._stopping.is_set() and (job := self._jobs.get()) is not None:
            self._begin_job()
            try:
                _run(job)
            finally:
                self._job = None
                self._end_wait()
            self._after_job()
        self.channel.send(commands.Shutdown())
        self.executor.close()  # here, not wherever the garbage collector would: render windows belong to this thread
        self._stopped.set()
        for _, future in self._jobs.close():  # fail what arrived during shutdown instead of leaving it waiting
            if future.set_running_or_notify_cancel():
                future.set_exception(ConnectionClosedError("The server shut down."))

    def _while_waiting(self, waited: float) -> None:
        """Called by every lazy wait of the engine thread: answer light jobs, and tell the clients when the
        ranks have not answered for a long time (then refuse the heavy jobs queued meanwhile)."""
        self._serve_light()
        limit = self.request_timeout  # a wait for the ranks that outlasts it is a stall
        if not limit or waited < limit:  # with no time limit, a long wait is no stall
            return
        if not self._stalled_since:
            self._stalled_since = time.monotonic() - waited
            missing = self.channel.waiting_for
            who = f"rank(s) {', '.join(map(str, missing))} of {self.size}" if missing else "some of its ranks"
            log.error("waited %.0f s for %s", waited, who)
            self._tell(
                "ServerStalled",
                f"The server has waited {waited:.0f} s for {who}, which do not answer "
                "(stopped or overloaded?). Chat still works; other requests are refused until they answer.",
            )
        for _, future in self._jobs.take_clients_jobs():
            if future.set_running_or_notify_cancel():
                future.set_exception(
                    ServerBusyError(
                        f"The server is waiting for ranks that do not answer (for {waited:.0f} s now); try again later."
                    )
                )

    def _serve_light(self) -> None:
        while (job := self._jobs.get_light()) is not None:
            _run(job)  # no MPI in it: safe in the middle of another job

    def _end_wait(self) -> None:
        if self._stalled_since:
            took = time.monotonic() - self._stalled_since
            self._stalled_since = 0.0
            self._tell("ServerResumed", f"The ranks answered again after {took:.0f} s; the server serves again.")

    def _tell(self, kind: str, text: str) -> None:
        if self.on_stall is not None:
            try:
                self.on_stall(kind, text)
            except Exception:  # a bug; the wait must go on
                log.exception("on_stall failed")

    def _after_job(self) -> None:
        if self.after_job is not None:
            try:
                self.after_job()
            except Exception:  # a bug; the engine must keep serving
                log.exception("after_job failed")

    def _begin_job(self) -> None:
        self._jobs_started += 1
        self._timed_out = False
        # A cancel is for the job running when it was asked (also before its first collective), not the next.
        self.cancel_requested.clear()
        if self.request_timeout > 0:
            self._job = (self._jobs_started, time.monotonic() + self.request_timeout)

    def _past_deadline(self) -> bool:
        job = self._job
        if job is not None and time.monotonic() > job[1]:
            self._timed_out = True
        return self._timed_out

    def _watch(self) -> None:
        """The watchdog thread: log a job that runs far past its deadline. (The engine thread itself stops one
        that passes it, at the next progress report or look at the ranks: see _cancel_pending.)"""
        reported = 0
        while not self._stopped.wait(0.25):
            job = self._job
            if job is None or time.monotonic() <= job[1]:
                continue
            stuck = time.monotonic() - job[1]
            if reported != job[0] and stuck > max(self.request_timeout, 30.0):
                reported = job[0]
                log.error(
                    "a request has run %.0f s past --request-timeout (%g s) and does not stop: code that never "
                    "reports progress cannot be interrupted; every other request waits for it",
                    stuck,
                    self.request_timeout,
                )

    def _timeout_error(self) -> RequestTimeoutError:
        return RequestTimeoutError(
            f"It ran past the server's --request-timeout of {self.request_timeout:g} s and was stopped. Ask for "
            f"less, or start pvserver with a longer --request-timeout."
        )

    def _cancel_pending(self) -> bool:
        """On rank 0, while an algorithm runs or results are awaited: a cancel was asked for (or the job ran past
        its deadline); pass it to the workers once."""
        self._serve_light()  # an algorithm reports progress: a moment to answer chat
        past = self._past_deadline()  # first: a job past its deadline fails as a timeout, not as a cancel
        if not past and not self.cancel_requested.is_set():
            return False
        if not self._cancel_sent:
            self.channel.send_cancel()
            self._cancel_sent = True
        return True

    def collective(self, command: Any) -> list[RankResult]:
        """Broadcast a command, run rank 0's share, gather every rank's result (engine thread only).

        Raises RequestTimeoutError, before anything is sent, when the job is already past its deadline."""
        if self._past_deadline():
            raise self._timeout_error()
        self._cancel_sent = False
        self.channel.send(command)
        mine = self.executor.run(command)
        return self.channel.gather(mine, while_waiting=self._cancel_pending)

    def run(self, command: Any) -> list[Any]:
        """Like :meth:`collective`, but raise the first rank's error (one that failed on its own rather than
        because another did); returns every rank's value."""
        results = self.collective(command)
        failed = [rank for rank, result in enumerate(results) if not result.ok]
        own = [rank for rank in failed if results[rank].error_kind != PeerFailedError.__name__]
        if failed and self._past_deadline():
            raise self._timeout_error()
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


def _run(job: Job) -> None:
    """Run a job into its future, unless it was cancelled before it started."""
    fn, future = job
    if not future.set_running_or_notify_cancel():
        return
    try:
        future.set_result(fn())
    except BaseException as exc:  # delivered to the caller
        future.set_exception(exc)
