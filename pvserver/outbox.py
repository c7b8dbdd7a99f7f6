"""What waits on rank 0 to be streamed to each client, bounded per client and for all clients together.

Replies and events are encoded when they are queued, so that what a queue holds is counted in bytes, exactly.
All queues share one :class:`QueueBudget` (``MAX_QUEUED_BYTES_TOTAL``): replies (images, data) never take more
than the total less ``EVENT_RESERVE``, and each client may hold its share of the total (divided among the
clients, never less than ``MIN_SHARE``). A client that stopped reading while its queue grows past its share, or
past a count of messages, is dropped and the others carry on; a reply that does not fit in its client's share or
in what is left gets an error for that request instead, and the client stays.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from pvcore import messages
from pvwire import codec

log = logging.getLogger(__name__)

CLOSE = object()
#: Replies and events queued for one client: past this, a client that has taken nothing for STALL_SECONDS is
#: dropped (it stopped reading), and any client past HARD_LIMIT times as many. A client that reads, but more slowly
#: than a burst arrives (thousands of progress events of a deep pipeline's update), is not dropped.
MAX_QUEUED = 1_000
STALL_SECONDS = 5.0
HARD_LIMIT = 50
#: Bytes queued for all clients together (images, fetched data, states, events), and the least share of one client.
MAX_QUEUED_BYTES_TOTAL = 1024 * 2**20
MIN_SHARE = 64 * 2**20
#: What replies leave free of the total, for the events every client must get.
EVENT_RESERVE = 64 * 2**20


class QueueBudget:
    """The bytes queued on rank 0 for every client together (thread-safe)."""

    def __init__(self, total: int = MAX_QUEUED_BYTES_TOTAL) -> None:
        self.total = total
        self.used = 0
        self.peak = 0
        self.clients = 0
        self._lock = threading.Lock()

    def share(self) -> int:
        """What one client may hold now."""
        return max(MIN_SHARE, self.total // max(1, self.clients))

    def take(self, size: int, keep_free: int = 0, force: bool = False) -> bool:
        """Reserve ``size`` bytes if they fit in the total with ``keep_free`` bytes left (or anyway, with
        ``force``: an event, or a short error message)."""
        with self._lock:
            if self.used + size > self.total - keep_free and not force:
                return False
            self.used += size
            self.peak = max(self.peak, self.used)
            return True

    def give_back(self, size: int) -> None:
        """Release bytes reserved with :meth:`take`."""
        with self._lock:
            self.used -= size

    def join(self) -> None:
        """One more client shares the budget."""
        with self._lock:
            self.clients += 1

    def leave(self) -> None:
        """A client left."""
        with self._lock:
            self.clients -= 1


class Outbox:
    """What is waiting to be streamed to one client.

    Any thread puts (the engine thread publishes events, finished requests put their replies); the client's
    stream, on the event loop, takes the encoded messages.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        on_overflow: Callable[[], None],
        budget: QueueBudget,
        limit: int = MAX_QUEUED,
    ) -> None:
        self.limit = limit
        self.budget = budget
        self._on_overflow = on_overflow
        self.overflowed = False
        self.queued_bytes = 0
        self._loop = loop
        self._items: collections.deque[bytes] = collections.deque()
        self._lock = threading.Lock()
        self._closed = False
        self._waiter: asyncio.Future | None = None  # the stream waiting for the next item
        self._progress_at = time.monotonic()  # when the client last took a message, or one began to wait
        self._counted = True
        budget.join()

    def put(self, item: Any) -> None:
        """Queue a reply ``(request id, reply)`` or an event (any thread); a client that stopped reading is
        dropped instead."""
        try:
            data = _encode(item)
        except Exception as exc:  # a bug; the request must still be answered, or its client waits for ever
            log.exception("a reply or event could not be encoded")
            if not isinstance(item, tuple):
                return
            failure = messages.ErrorReply("PVError", f"Internal server error: the reply could not be encoded ({exc}).")
            data = _encode((item[0], failure))
        with self._lock:
            if self._closed:
                return
            size = len(self._items)
            if size == 0:
                self._progress_at = time.monotonic()
            stalled = size and (
                self.queued_bytes + len(data) > self.budget.share()
                or (
                    size >= self.limit
                    and (size >= HARD_LIMIT * self.limit or time.monotonic() - self._progress_at > STALL_SECONDS)
                )
            )
            if stalled:
                log.warning(
                    "a client stopped reading (%d messages, %d bytes queued); dropping it", size, self.queued_bytes
                )
                self._drop()
            elif not isinstance(item, tuple):  # an event: within the client's share (checked above), it is kept
                self.budget.take(len(data), force=True)
                self._queue(data)
            elif self.queued_bytes + len(data) <= self.budget.share() and self.budget.take(len(data), EVENT_RESERVE):
                self._queue(data)
            else:  # a reply too large for what is left: the request fails, not the client
                refusal = _encode((item[0], _too_large(len(data), self.budget)))
                self.budget.take(len(refusal), force=True)  # past the total by that little only
                self._queue(refusal)
            self._wake()

    def _queue(self, data: bytes) -> None:
        self._items.append(data)
        self.queued_bytes += len(data)

    def _drop(self) -> None:
        self.overflowed = self._closed = True
        self._release()
        self._on_overflow()  # its stream may be stuck in a write that the client never takes

    def _release(self) -> None:
        self.budget.give_back(self.queued_bytes)
        self.queued_bytes = 0
        self._items.clear()

    def close(self) -> None:
        """End the stream once what is queued was sent (any thread)."""
        with self._lock:
            self._closed = True
            self._wake()

    def discard(self) -> None:
        """The stream ended: give back what it still held, and leave the budget's count of clients (once)."""
        with self._lock:
            self._closed = True
            self._release()
            if self._counted:
                self._counted = False
                self.budget.leave()

    async def get(self) -> Any:
        """The next encoded message, or ``CLOSE`` once the outbox is closed and empty (on the event loop)."""
        while True:
            with self._lock:
                if self._items:
                    data = self._items.popleft()
                    self.queued_bytes -= len(data)
                    self.budget.give_back(len(data))
                    self._progress_at = time.monotonic()
                    return data
                if self._closed:
                    return CLOSE
                waiter = self._waiter = self._loop.create_future()
            await waiter

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            self._loop.call_soon_threadsafe(_resolve, waiter)


def _resolve(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _encode(item: Any) -> bytes:
    """An event (encoded once for every client that sees it alike) or a ``(request id, reply)`` as wire bytes."""
    if isinstance(item, messages.Event):
        if item.wire is None:
            item.wire = codec.encode_reply(0, item)
        return item.wire
    return codec.encode_reply(*item)


def _too_large(size: int, budget: QueueBudget) -> messages.ErrorReply:
    return messages.ErrorReply(
        "ServerBusyError",
        f"The reply ({size / 2**20:.1f} MiB) does not fit in what the server may hold for its clients now "
        f"({(budget.total - budget.used) / 2**20:.1f} of {budget.total / 2**20:.0f} MiB free); ask for less "
        "(a smaller image or dataset), or try again once other clients have read theirs.",
    )
