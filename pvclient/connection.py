"""A connection: one server (remote or built-in), the proxies that live there, and their mirrored states."""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

from pvclient import catalogues
from pvclient.calls import Calls
from pvclient.mirror import Mirror, unchanged
from pvclient.pending import PendingBatch
from pvclient.proxy import Proxy, proxy_class, to_wire_value
from pvclient.transport import CLOSED, BuiltinTransport, GrpcTransport
from pvcore import __version__, messages
from pvcore.errors import (
    ConnectionClosedError,
    PropertyError,
    ProtocolError,
    ProxyNotFoundError,
    PVError,
    UnknownProxyTypeError,
)
from pvcore.messages import DataInformation, ProxyState, StateDelta
from pvcore.schema import PIPELINE_GROUPS, Catalogue, ProxySpec

log = logging.getLogger(__name__)

DEFAULT_PORT = 11111


def parse_url(url: str, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """``cs://host:port``, ``host:port`` or ``host`` -> (host, port)."""
    if "://" not in url:
        url = "cs://" + url
    parsed = urlparse(url)
    if parsed.scheme not in ("cs", "csrc"):
        raise ValueError(f"Unsupported server URL {url!r}: use cs://host:port.")
    if not parsed.hostname:
        raise ValueError(f"Server URL {url!r} names no host: use cs://host:port.")
    return parsed.hostname, parsed.port or default_port


class Connection(Calls):
    """One server connection and the client-side mirror of its session state.

    Typed requests beyond proxies (collaboration, undo, render, files) come from :class:`pvclient.calls.Calls`.
    """

    _counter = 0

    def __init__(self, transport: GrpcTransport | BuiltinTransport, uri: str) -> None:
        Connection._counter += 1
        self.id = Connection._counter
        self.transport = transport
        self.uri = uri
        welcome: messages.Welcome = transport.welcome
        try:
            #: The proxy types this server offers, from its welcome (pvclient.catalogues).
            self.catalogue: Catalogue = catalogues.from_welcome(welcome, transport.address)
        except PVError:
            transport.close()
            raise
        #: Keys the proxy classes of this catalogue (built once for every connection to servers of the same).
        self.definitions_digest = welcome.definitions_digest or f"undigested-{self.id}"
        self.client_id = welcome.client_id
        self.number_of_ranks = welcome.number_of_ranks
        self.multi_clients = welcome.multi_clients
        self.last_sequence = welcome.last_sequence
        self._mirror = Mirror()
        #: The mirrored proxy states by global id (each replaced only by a newer one: pvclient.mirror).
        self.states: dict[int, ProxyState] = self._mirror.states
        self._proxies: dict[int, Proxy] = {}
        self._lock = threading.RLock()
        self.listeners: list[Callable[[StateDelta], None]] = []
        #: Called with every event applied by process_events (users, chat, progress, notices, deltas).
        self.event_listeners: list[Callable[[messages.Event], None]] = []
        self.users: messages.UserList = welcome.users
        self.chat: list[messages.ChatMessage] = list(welcome.chat_history)
        self.notices: list[messages.Notice] = []
        self.progress: dict[int, messages.Progress] = {}
        self._background: threading.Thread | None = None
        self._batch: PendingBatch | None = None  # the open ``with batch():`` block, if any
        #: Called with each Progress event as soon as it arrives (pvpython draws a progress bar with it).
        self.progress_listeners: list[Callable[[messages.Progress], None]] = []
        #: Counts the changes applied to the mirror (a view's last image is current while this has not moved).
        self.changes = 0
        #: Called with (request, reply) after each request of this client succeeded, its reply applied to the
        #: mirror (pvclient.trace records a session's changes with it).
        self.request_observers: list[Callable[[Any, Any], None]] = []
        transport.on_event = self._on_arrival
        self._apply(welcome.state, 0)  # older than anything that follows on the stream

    # ----------------------------------------------------------------------------------- opening

    @classmethod
    def remote(
        cls,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        connect_id: int = 0,
        user: str = "",
        timeout: float = 60.0,
        token: str | None = None,
        tls: bool | str | None = None,
    ) -> Connection:
        """Connect to a pvserver, retrying until ``timeout`` seconds while it is not yet listening.

        ``token``: the server's secret token; None looks for the token file a server of this user on this
        machine wrote for ``port`` (pvcore.tokens), "" connects without one. ``tls``: True or a CA file.
        """
        hello = messages.Hello(
            connect_id=connect_id,
            user=user,
            client_version=__version__,
            definitions_digest=catalogues.known_digest(f"{host}:{port}"),
        )
        return cls(GrpcTransport(host, port, hello, timeout, tls, token), f"cs://{host}:{port}")

    @classmethod
    def builtin(cls, comm: Any = None) -> Connection:
        """The built-in session: the same engine in this process, no network.

        With ``comm`` (pvbatch), the engine spans that communicator's ranks, which must run the worker loop.
        """
        hello = messages.Hello(client_version=__version__, definitions_digest=catalogues.known_digest("builtin:"))
        return cls(BuiltinTransport(hello, comm), "builtin:")

    # ----------------------------------------------------------------------------------- ParaView API

    def IsRemote(self) -> bool:
        return isinstance(self.transport, GrpcTransport)

    def GetURI(self) -> str:
        return self.uri

    def GetNumberOfDataPartitions(self) -> int:
        """Number of ranks of the server."""
        return self.number_of_ranks

    @property
    def closed(self) -> bool:
        """True once disconnected (by either side)."""
        return self.transport.closed

    def close(self) -> None:
        """Disconnect; proxies of this connection raise ConnectionClosedError afterwards."""
        self.transport.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"{self.number_of_ranks} rank(s)"
        return f"<Connection {self.id} {self.uri} ({state})>"

    # ----------------------------------------------------------------------------------- proxies

    def state_of(self, global_id: int) -> ProxyState:
        """The mirrored state of a proxy of this connection."""
        if self.closed:
            raise ConnectionClosedError(f"The connection {self.uri} is closed; its proxies can no longer be used.")
        if global_id < 0:
            raise PVError(
                "This proxy is created when its batch is sent, at the end of the `with batch():` block (or was "
                "never created: its batch failed); its state cannot be read before.",
                proxy_id=global_id,
            )
        try:
            return self.states[global_id]
        except KeyError:
            raise ProxyNotFoundError(
                f"Proxy {global_id} no longer exists on {self.uri} (it was deleted).", proxy_id=global_id
            ) from None

    def proxy(self, global_id: int) -> Proxy:
        """The (unique) Python object for a proxy id."""
        with self._lock:
            found = self._proxies.get(global_id)
            if found is None:
                st = self.state_of(global_id)
                found = self.proxy_class(st.group, st.type)(self, global_id)
                self._proxies[global_id] = found
            return found

    def proxies(self, groups: tuple[str, ...] = PIPELINE_GROUPS) -> list[Proxy]:
        """Registered proxies of some groups, in creation order. A deleted proxy that a filter still takes as
        input lives on unregistered (with no name, as ParaView's) and is listed nowhere."""
        return [self.proxy(gid) for gid, st in sorted(self.states.items()) if st.group in groups and st.name]

    def check_owns(self, proxy: Proxy, what: str) -> None:
        """Refuse a proxy of another connection."""
        if proxy.connection is not self:
            raise PropertyError(
                f"{what}: {proxy!r} belongs to connection {proxy.connection.id} ({proxy.connection.GetURI()}), "
                f"not to connection {self.id} ({self.uri}); proxies cannot be mixed across connections.",
                property=what,
            )

    def spec(self, group: str, type_name: str) -> ProxySpec:
        """The definition of a proxy type this server offers, or UnknownProxyTypeError naming the server and the
        nearest types it has."""
        try:
            return self.catalogue.get(group, type_name)
        except UnknownProxyTypeError as exc:
            where = "The built-in session" if self.uri == "builtin:" else f"The server {self.uri}"
            raise UnknownProxyTypeError(
                f"{where} does not offer this type. {exc.message} (A server offers the types of its pvcollab "
                "version and of the plugins it was started with: pvserver --plugin FILE.)"
            ) from None

    def proxy_class(self, group: str, type_name: str) -> type[Proxy]:
        """The Python class of a proxy type of this server (built from its definitions, shared by every connection
        to a server with the same ones)."""
        self.spec(group, type_name)
        return proxy_class(self.catalogue, self.definitions_digest, group, type_name)

    def _wire_properties(self, spec: ProxySpec, values: dict[str, Any]) -> dict[str, tuple]:
        return {key: to_wire_value(self, spec.property(key), value) for key, value in values.items()}

    def create(self, group: str, type_name: str, properties: dict[str, Any] | None = None, name: str = "") -> Proxy:
        """Create a proxy on the server and return it."""
        spec = self.spec(group, type_name)
        request = messages.CreateProxy(group, type_name, name or "", self._wire_properties(spec, properties or {}))
        if self._batching():
            cls = self.proxy_class(group, type_name)
            return self._batch.create(request, lambda placeholder: cls(self, placeholder))
        delta = self.request(request)
        return self.proxy(delta.states[-1].global_id)

    def update(self, proxy: Proxy, properties: dict[str, Any], name: str = "") -> None:
        """Change properties and/or the registration name of a proxy.

        A change to the values the mirror holds (the coerced value the wire would carry, compared with the
        mirrored state) is dropped here: no request. Unless the mirror may be behind: while an event that sets
        this proxy waits for processServerEvents(), the change is sent anyway (the server drops true no-ops).
        A change another client made that has not even reached this client is not known yet: a set to the old
        value is then dropped, which is as if it had reached the server just before that other change.
        Inside a batch nothing is dropped (the mirror does not hold the batch's earlier changes).
        """
        self.check_owns(proxy, "proxy")
        request = messages.UpdateProxy(proxy.GlobalID, self._wire_properties(proxy._spec, properties), name)
        if self._batching():
            self._batch.add(request)
            return
        state = self.state_of(proxy.GlobalID)
        stale = self.transport.events.touches(state.global_id)
        if not stale and unchanged(state, proxy._spec, request.properties, name):
            return
        self.request(request)

    def delete(self, proxy: Proxy) -> None:
        """Delete a proxy (and its helper sub-proxies) on the server."""
        self.check_owns(proxy, "proxy")
        if self._batching():
            self._batch.add(messages.DeleteProxy(proxy.GlobalID))
            return
        self.state_of(proxy.GlobalID)
        self.request(messages.DeleteProxy(proxy.GlobalID))

    @contextlib.contextmanager
    def batch(self, label: str = "") -> Iterator[None]:
        """Send the creates, updates and deletes made inside the block as ONE request and ONE undo step (labelled
        ``label``), all or nothing: if the server refuses one, nothing changes and the error says which.

        Creates return their proxies at once; later changes of the block may use them (as an input, or to set
        their properties), and they are usable as any proxy once the block ended. Reads inside the block
        (data information, renders, property values) see the state before it. An exception inside the block
        sends nothing. Blocks nest: an inner one joins the outer. Only the thread that opened the block batches.
        """
        if self._batching():  # joins the open batch, which sends everything when it ends
            yield
            return
        if self._batch is not None:
            raise PVError(f"Another thread has a batch open on {self.uri}; one batch at a time per connection.")
        pending = self._batch = PendingBatch(label)
        try:
            yield
        except BaseException:
            self._batch = None
            raise
        self._batch = None
        if pending.items:
            reply = self.request(pending.request())
            if len(reply.created_ids) != len(pending.created):
                raise ProtocolError(
                    f"The server answered a batch of {len(pending.created)} create(s) with "
                    f"{len(reply.created_ids)} id(s)."
                )
            with self._lock:
                for proxy, global_id in zip(pending.created, reply.created_ids, strict=True):
                    object.__setattr__(proxy, "_global_id", global_id)
                    self._proxies.setdefault(global_id, proxy)

    def _batching(self) -> bool:
        return self._batch is not None and self._batch.owns_thread()

    def is_pending(self, proxy: Proxy) -> bool:
        """Whether ``proxy`` is one this thread's open batch creates (it exists on the server once the batch ends)."""
        return self._batching() and any(p is proxy for p in self._batch.created)

    def invoke(self, proxy: Proxy, method: str, arguments: list[tuple] | None = None) -> None:
        """Run a method of a proxy on every rank."""
        self.state_of(proxy.GlobalID)
        self.request(messages.Invoke(proxy.GlobalID, method, arguments or []))

    def information(self, proxy: Proxy) -> DataInformation:
        """Update a proxy and gather its data information from every rank."""
        self.state_of(proxy.GlobalID)
        return self.request(messages.GatherInformation(proxy.GlobalID))

    def request(self, request: Any) -> Any:
        """Send a request; a state delta in the reply is applied to the mirror before returning."""
        if self.closed:
            raise ConnectionClosedError(f"The connection {self.uri} is closed.")
        reply, stamp = self.transport.request_stamped(request)
        if isinstance(reply, StateDelta):
            self._apply(reply, stamp)
        elif isinstance(reply, messages.BatchReply):
            self._apply(reply.delta, stamp)
        for observer in list(self.request_observers):
            observer(request, reply)
        return reply

    # ----------------------------------------------------------------------------------- events

    def process_events(self, timeout: float = 0.0) -> int:
        """Apply the changes other clients made (queued by the reader thread); returns how many events."""
        count = 0
        while True:
            try:
                stamp, event = self.transport.events.get(timeout=timeout if count == 0 else 0)
            except queue.Empty:
                return count
            if event is CLOSED:
                return count
            if isinstance(event, messages.Event):
                self._apply_event(event, stamp)
                count += 1
            elif isinstance(event, messages.ErrorReply):
                log.warning("server: %s", event.message)

    def _apply_event(self, event: messages.Event, stamp: int) -> None:
        self.last_sequence = event.sequence
        body = event.body
        if isinstance(body, StateDelta):
            self._apply(body, stamp)
        elif isinstance(body, messages.UserList):
            self.users = body
        elif isinstance(body, messages.ChatMessage):
            self.chat.append(body)
        elif isinstance(body, messages.Progress):
            self.progress[body.proxy_id] = body
        elif isinstance(body, messages.Notice):
            self.notices.append(body)
            log.warning("%s", body.message)
        for listener in list(self.event_listeners):
            listener(event)

    def _on_arrival(self, event: messages.Event) -> None:
        if isinstance(event.body, messages.Progress):
            for listener in list(self.progress_listeners):
                listener(event.body)

    def cancel(self) -> None:
        """Ask the server to stop the pipeline update running now (e.g. from another thread)."""
        self.transport.cancel()

    def start_background_events(self) -> None:
        """Apply other clients' changes as they arrive, on a thread (for GUIs and notebooks)."""
        if self._background is not None:
            return

        def run() -> None:
            while not self.closed:
                if self.process_events(timeout=0.5) == 0 and self.transport.closed:
                    return

        self._background = threading.Thread(target=run, name=f"pvclient-events-{self.id}", daemon=True)
        self._background.start()

    def state_dump(self) -> dict[int, tuple]:
        """The mirrored state in a comparable form (views without cameras, which are each client's own)."""
        return self._mirror.dump()

    def _apply(self, delta: StateDelta, stamp: int) -> None:
        """Apply to the mirror what of a reply or event (arrived with ``stamp``) is newer than what it holds; the
        listeners get that part."""
        with self._lock:
            applied = self._mirror.apply(delta, stamp)
            for gid in applied.deleted_ids:
                self._proxies.pop(gid, None)
            if applied.states or applied.deleted_ids:
                self.changes += 1
        for listener in list(self.listeners):
            listener(applied)
