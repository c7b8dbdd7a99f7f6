"""The events of a connection that process_events has not applied yet: in arrival order, and bounded.

Each item gets an arrival stamp, and so does each reply (:meth:`EventQueue.reply_stamp`): the server sends a
client's replies and events on one ordered stream, so comparing stamps tells the mirror which of a reply and an
event is the newer, although the reply is applied at once and the event only when process_events runs.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter, deque
from typing import Any

from pvcore import messages
from pvcore.messages import Event, StateDelta

log = logging.getLogger(__name__)

#: A reply or event that ends the transport (the server went away).
CLOSED = object()
#: Items queued past which the queue is compacted (see :class:`EventQueue`).
COMPACT_AT = 1_000
#: Chat messages, user lists, notices and stray errors kept of each kind by a compaction (the newest).
KEEP_EACH = 200
#: Progress events kept by a compaction: the newest of each proxy, and of those the newest KEEP_PROGRESS.
KEEP_PROGRESS = 100


class EventQueue:
    """Events from the server waiting for process_events, each with its arrival stamp.

    Thread-safe: the transport's reader thread (or the built-in engine) puts, process_events gets. A client that
    never calls processServerEvents does not make it grow without bound: once COMPACT_AT items wait, the queue is
    compacted. State events keep only the newest state of each proxy (so the mirror ends exactly as if every
    event had been applied), chat messages, user lists and notices their newest KEEP_EACH of each kind, progress
    the newest of each proxy and at most KEEP_PROGRESS in all (the oldest go first). A compaction thus leaves at
    most one state per proxy, the ids of proxies deleted meanwhile, and 3 * KEEP_EACH + KEEP_PROGRESS other
    events; the next one comes when the queue holds twice as many (or COMPACT_AT). ``coalesced`` counts the events
    dropped, and the first compaction logs a warning saying so.
    """

    def __init__(self) -> None:
        self._items: deque[tuple[int, Any]] = deque()
        self._arrived = 0
        self._closed = False
        self._ready = threading.Condition()
        self._compact_at = COMPACT_AT
        #: Events dropped by compactions (superseded states, the oldest chat, progress...).
        self.coalesced = 0
        self._waiting: Counter[int] = Counter()  # global id -> queued state events that set or delete it

    def touches(self, global_id: int) -> bool:
        """Whether a queued (not yet applied) state event sets or deletes this proxy: while one does, the mirror
        of it may be behind the server."""
        with self._ready:
            return self._waiting[global_id] > 0

    def _count(self, item: Any, sign: int) -> None:
        body = item.body if isinstance(item, Event) else None
        if isinstance(body, StateDelta):
            for gid in {st.global_id for st in body.states} | set(body.deleted_ids):
                self._waiting[gid] += sign
                if self._waiting[gid] <= 0:
                    del self._waiting[gid]

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: Any) -> None:
        """Queue an Event or stray ErrorReply as it arrives; CLOSED ends the queue once it is drained."""
        with self._ready:
            if item is CLOSED:
                self._closed = True
            else:
                self._arrived += 1
                self._items.append((2 * self._arrived, item))
                self._count(item, 1)
                if len(self._items) >= self._compact_at:
                    self._compact()
            self._ready.notify_all()

    def reply_stamp(self) -> int:
        """The stamp of a reply arriving now: newer than every item queued so far, older than any to come."""
        with self._ready:
            return 2 * self._arrived + 1

    def get(self, timeout: float = 0.0) -> tuple[int, Any]:
        """The oldest item and its stamp, waiting up to ``timeout`` seconds; ``(stamp, CLOSED)`` once the queue
        ended and is empty; raises queue.Empty when nothing came in time."""
        with self._ready:
            if not self._items and not self._closed and timeout > 0:
                self._ready.wait_for(lambda: self._items or self._closed, timeout)
            if self._items:
                stamp, item = self._items.popleft()
                self._count(item, -1)
                return stamp, item
            if self._closed:
                return 2 * self._arrived + 1, CLOSED
            raise queue.Empty

    def _compact(self) -> None:
        """Drop what a newer item supersedes, walking from the newest item to the oldest (lock held)."""
        superseded: set[int] = set()  # proxies with a newer state or deletion queued
        progress_of: set[int] = set()
        kept_of: Counter[str] = Counter()
        kept: list[tuple[int, Any]] = []
        for stamp, item in reversed(self._items):
            body = item.body if isinstance(item, Event) else item
            if isinstance(body, StateDelta):
                states = [st for st in body.states if st.global_id not in superseded]
                deleted = [gid for gid in body.deleted_ids if gid not in superseded]
                superseded.update(st.global_id for st in body.states)
                superseded.update(body.deleted_ids)
                if len(states) < len(body.states) or len(deleted) < len(body.deleted_ids):
                    if not states and not deleted:
                        continue
                    item = Event(item.sequence, item.origin_client, StateDelta(states, deleted))
            elif isinstance(body, messages.Progress):
                if body.proxy_id in progress_of or kept_of["Progress"] >= KEEP_PROGRESS:
                    continue
                progress_of.add(body.proxy_id)
                kept_of["Progress"] += 1
            else:
                kind = type(body).__name__
                if kept_of[kind] >= KEEP_EACH:
                    continue
                kept_of[kind] += 1
            kept.append((stamp, item))
        dropped = len(self._items) - len(kept)
        if dropped and not self.coalesced:
            log.warning(
                "%d server events were waiting for processServerEvents(); older states of the same proxies, the "
                "oldest chat messages and progress were dropped (call processServerEvents(), or "
                "EnableBackgroundEvents(), to apply events as they come)",
                len(self._items),
            )
        self.coalesced += dropped
        self._items = deque(reversed(kept))
        self._waiting.clear()
        for _, item in self._items:
            self._count(item, 1)
        self._compact_at = max(COMPACT_AT, 2 * len(self._items))  # the next waits for twice as many: amortised O(1)
