"""The engine's queue of jobs: fair between clients, the master first, light jobs at any moment.

Each client's jobs keep their order, but clients take turns: one client's twenty queued 8192x8192 renders do not
hold up another client's edit, which waits for the job running now at most. The master's jobs (the pipeline is
the master's to change) go before other clients', and the server's own (connections, notices) before everyone's.
Light jobs (chat, following a camera, connecting) touch no rank: the engine runs them between jobs and also while
a job waits for the ranks, so that the server keeps answering while a long update or a stalled rank holds it.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from pvcore.errors import ConnectionClosedError

#: A job: the call to make, and the future that takes its result.
Job = tuple[Callable[[], Any], Future]
#: The queue of the server's own jobs, which go first.
SERVER = 0
#: Light jobs in a row before a waiting heavy one has its turn: a flood of chat cannot starve the pipeline.
LIGHT_STREAK = 16


class JobQueue:
    """Thread-safe; :meth:`get` blocks until a job is there or the queue is closed."""

    def __init__(self, first_client: Callable[[], int] = lambda: 0) -> None:
        """``first_client()``: the client whose jobs go before the other clients' (the master)."""
        self.first_client = first_client
        self._light: collections.deque[Job] = collections.deque()
        self._queues: dict[int, collections.deque[Job]] = {}
        self._turns: collections.deque[int] = collections.deque()  # clients with jobs, in turn order
        self._closed = False
        self._light_streak = 0  # light jobs handed out in a row while others waited
        self._ready = threading.Condition()

    def put(self, job: Job, client: int = SERVER, light: bool = False) -> None:
        """Queue a job of ``client`` (SERVER: the server's own); once closed, the job fails at once."""
        with self._ready:
            if self._closed:
                if job[1].set_running_or_notify_cancel():
                    job[1].set_exception(ConnectionClosedError("The server shut down."))
                return
            if light:
                self._light.append(job)
            else:
                queue = self._queues.get(client)
                if queue is None:
                    queue = self._queues[client] = collections.deque()
                    self._turns.append(client)
                queue.append(job)
            self._ready.notify()

    def get(self) -> Job | None:
        """The next job (a light one first, then by turns); None once closed."""
        with self._ready:
            while True:
                if self._closed:
                    return None
                if self._light and (not self._turns or self._light_streak < LIGHT_STREAK):
                    self._light_streak += 1
                    return self._light.popleft()
                if self._turns:
                    self._light_streak = 0
                    return self._take(self._pick())
                self._ready.wait()

    def get_light(self) -> Job | None:
        """The next light job, without waiting; None if there is none."""
        with self._ready:
            return self._light.popleft() if self._light and not self._closed else None

    def take_clients_jobs(self) -> list[Job]:
        """Remove and return the clients' queued jobs that are not light (to refuse them while the ranks are
        stalled); the server's own (a shutdown) stay."""
        with self._ready:
            jobs = [job for client in self._turns if client != SERVER for job in self._queues[client]]
            for client in [c for c in self._turns if c != SERVER]:
                del self._queues[client]
                self._turns.remove(client)
            return jobs

    def close(self) -> list[Job]:
        """Stop handing out jobs; returns those still queued (to fail them)."""
        with self._ready:
            self._closed = True
            jobs = list(self._light) + [job for client in self._turns for job in self._queues[client]]
            self._light.clear()
            self._queues.clear()
            self._turns.clear()
            self._ready.notify_all()
            return jobs

    def _pick(self) -> int:
        for preferred in (SERVER, self.first_client()):
            if preferred in self._queues:
                return preferred
        client = self._turns[0]
        self._turns.rotate(-1)  # the others take turns
        return client

    def _take(self, client: int) -> Job:
        queue = self._queues[client]
        job = queue.popleft()
        if not queue:
            del self._queues[client]
            self._turns.remove(client)
        return job
