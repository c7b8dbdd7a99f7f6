"""The changes a ``with connection.batch():`` block collects, sent as one request when it ends.

Inside the block, creates, updates and deletes of the connection (from the thread that opened it) are queued
instead of sent. A create returns its proxy at once, named by a placeholder id (``-k`` for the batch's k-th
create) that later changes of the batch may use, as an input or the proxy to update; once the server answered,
the proxy takes its real global id and is usable as any other. Nothing else waits: reads (data information,
renders) are sent at once, and see the state before the batch, so the state of a proxy the batch creates
cannot be read inside the block.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from pvcore import messages

if TYPE_CHECKING:
    from pvclient.proxy import Proxy


class PendingBatch:
    """Items of an open batch, the proxies its creates return, and the thread that opened it."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.items: list[messages.CreateProxy | messages.UpdateProxy | messages.DeleteProxy] = []
        self.created: list[Proxy] = []
        self.thread = threading.get_ident()

    def owns_thread(self) -> bool:
        """Whether the calling thread is the one that opened the batch (other threads' changes go at once)."""
        return threading.get_ident() == self.thread

    def create(self, request: messages.CreateProxy, make: Any) -> Proxy:
        """Queue a create; ``make(placeholder_id)`` builds the proxy object returned for it."""
        self.items.append(request)
        proxy = make(-(len(self.created) + 1))
        self.created.append(proxy)
        return proxy

    def add(self, request: messages.UpdateProxy | messages.DeleteProxy) -> None:
        """Queue an update or delete."""
        self.items.append(request)

    def request(self) -> messages.Batch:
        """The one request that sends everything."""
        return messages.Batch(list(self.items), self.label)
