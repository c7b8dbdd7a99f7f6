"""The service: turns client requests into validated session changes executed on every rank.

Every public method runs on the engine thread (through :meth:`Engine.call`), so session changes are
serialised without locks: plan in the session, apply on the ranks, commit, then publish the change as an
event to every other client.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pvcore import __version__, messages
from pvcore.errors import (
    AuthenticationError,
    PipelineError,
    ProtocolError,
    PVError,
    RequestTimeoutError,
    ServerBusyError,
)
from pvcore.messages import DataInformation, Event, StateDelta
from pvserver import commands
from pvserver.engine import Engine
from pvserver.handlers.base import Outbox, ServerOptions
from pvserver.handlers.changes import ChangeRequests
from pvserver.handlers.collaboration import CollaborationRequests
from pvserver.handlers.files import FileRequests
from pvserver.handlers.views import ViewRequests
from pvserver.pipeline import budget, catalogue
from pvserver.pipeline.information import merge_information
from pvserver.session import Session

log = logging.getLogger(__name__)

MAX_USER_NAME_LENGTH = 256
#: Requests answered without any rank (see Service.is_light).
LIGHT_REQUESTS = (messages.ChatRequest, messages.FollowRequest, messages.DisableConnections)


def check_protocol(hello: messages.Hello) -> None:
    """Refuse a client of another major protocol version, naming both."""
    if hello.protocol_major != messages.PROTOCOL_MAJOR:
        raise ProtocolError(
            f"Protocol version mismatch: client speaks {hello.protocol_major}.{hello.protocol_minor}, "
            f"server speaks {messages.PROTOCOL_MAJOR}.{messages.PROTOCOL_MINOR}; the major versions must match."
        )


class Service(ChangeRequests, ViewRequests, FileRequests, CollaborationRequests):
    """The server's request handling, shared by the gRPC front end and the built-in session; the handlers of each
    topic live in :mod:`pvserver.handlers`."""

    def __init__(self, engine: Engine, options: ServerOptions | None = None) -> None:
        self.engine = engine
        self.options = options or ServerOptions()
        self.session = Session()
        self.outboxes: dict[int, Outbox] = {}
        self.clients_served = 0
        self._plain_definitions: tuple[int, list[dict[str, Any]], str] | None = None  # id of the catalogue, ...
        self._current_client = 0
        # Events of the request being handled wait until its reply is on its way: the client that made a change
        # should not queue behind its fan-out to every other client (progress goes out at once).
        self._held: list[tuple[int, Any]] | None = None
        engine.on_progress = self.report_progress
        engine.after_job = self.release_events
        engine.on_stall = lambda kind, text: self._send(0, messages.Notice(kind, text))  # now, not held
        engine.prefer(lambda: self.session.master_id)
        # Each request's bounds: bytes of one output per rank (0: the machine's default) and seconds (0: none).
        per_rank = self.options.max_memory_per_rank or budget.default_budget(budget.ranks_on_this_node(engine.size))
        self.budget = budget.Budget(per_rank, engine.size)
        engine.request_timeout = max(self.options.request_timeout, 0.0)

    # ----------------------------------------------------------------------------------- clients

    def connect(self, hello: messages.Hello, outbox: Outbox) -> messages.Welcome:
        """Admit a client that passed the front end's handshake (or raise why not); give it the whole state."""
        check_protocol(hello)
        if len(hello.user) > MAX_USER_NAME_LENGTH or not hello.user.isprintable():
            raise ProtocolError(
                f"A user name has at most {MAX_USER_NAME_LENGTH} printable characters; got {len(hello.user)}."
            )
        if hello.connect_id != self.options.connect_id:
            raise AuthenticationError(
                "Connection refused: the connect-id does not match the server's (pass the same --connect-id "
                "to the client as to pvserver)."
            )
        if self.outboxes and not self.options.multi_clients:
            raise ServerBusyError(
                "This pvserver is single-client and already has a client. Start it with --multi-clients "
                "(mpiexec -n N pvserver --multi-clients) to let several clients share it."
            )
        if not self.session.accepting:
            raise ServerBusyError("The master disabled further connections to this pvserver.")
        if self.options.max_clients and len(self.outboxes) >= self.options.max_clients:
            raise ServerBusyError(f"This pvserver accepts at most {self.options.max_clients} clients at once.")
        info = self.session.add_client(hello.user)
        self.outboxes[info.client_id] = outbox
        self.clients_served += 1
        log.info("client %d (%s) connected", info.client_id, info.user)
        users = self.session.user_list(f"{info.user} joined")
        self.publish(info.client_id, users)
        return messages.Welcome(
            client_id=info.client_id,
            number_of_ranks=self.engine.size,
            state=self.session.snapshot(),
            last_sequence=self.session.sequence,
            multi_clients=self.options.multi_clients,
            server_version=__version__,
            users=users,
            chat_history=list(self.session.chat),
            **self._definitions(hello.definitions_digest),
        )

    def _definitions(self, held: str) -> dict[str, Any]:
        """The welcome's proxy definitions (the server's catalogue, plugins included) and their digest; none when
        the client holds those of the same digest already (``held``, from its Hello)."""
        served = catalogue.CATALOGUE  # plugins are loaded before serving: computed once per catalogue
        if self._plain_definitions is None or self._plain_definitions[0] != id(served):
            self._plain_definitions = (id(served), served.to_plain(), served.digest())
        _, plain, digest = self._plain_definitions
        if held == digest:
            return {"definitions_digest": digest, "definitions_cached": True}
        return {"definitions": plain, "definitions_digest": digest}

    def disconnect(self, client_id: int) -> None:
        """Forget a client whose stream ended."""
        if self.outboxes.pop(client_id, None) is not None:
            reason = self.session.remove_client(client_id)
            log.info("client %d disconnected: %s", client_id, reason)
            self.publish(client_id, self.session.user_list(reason))

    @property
    def client_count(self) -> int:
        """Clients connected now."""
        return len(self.outboxes)

    # ----------------------------------------------------------------------------------- requests

    def handle(self, client_id: int, request: Any) -> Any:
        """Answer one request: a reply dataclass, or an ErrorReply for a PVError."""
        try:
            handler = self._handlers[type(request)]
        except KeyError:
            return messages.ErrorReply("ProtocolError", f"Unexpected request {type(request).__name__}.")
        self._current_client = client_id
        if self._held is None:
            self._held = []
        try:
            return getattr(self, handler)(client_id, request)
        except PVError as exc:
            if isinstance(exc, PipelineError):  # a failed update concerns everyone who sees the pipeline
                user = self.session.clients.get(client_id)
                who = user.user if user else f"user {client_id}"
                self.publish(client_id, messages.Notice(type(exc).__name__, f"{who}: {exc.message}", client_id))
            message = exc.message
            if isinstance(exc, RequestTimeoutError):  # the engine cannot know which request it stopped
                message = f"{self._describe(request)}: {message}"
            return messages.ErrorReply(
                type(exc).__name__, message, exc.rank, exc.proxy_id, exc.proxy_name, exc.property
            )

    @staticmethod
    def is_light(request: Any) -> bool:
        """Whether a request makes no MPI call, so that the engine may answer it while another waits for the ranks."""
        return isinstance(request, LIGHT_REQUESTS)

    def run_light(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a light job, possibly in the middle of another request: its events go out at once, and the other
        request's held events and progress are left as they were.

        A light job touches the session only, never a rank. The one that can change what the other request sees is
        a client leaving: the master may change between that request's planning and its commit (an undo set the
        leaving master had open is closed first), and a joining client's welcome may hold a state whose event is
        still held (it then gets that state twice, which the mirror takes as no change)."""
        held, current = self._held, self._current_client
        self._held = None
        try:
            return fn(*args)
        finally:
            self.release_events()
            self._held, self._current_client = held, current

    def _describe(self, request: Any) -> str:
        """A request in words, for a timeout: 'Invoke UpdatePipeline of Contour1'."""
        what = type(request).__name__ + (f" {request.method}" if isinstance(request, messages.Invoke) else "")
        state = self.session.states.get(getattr(request, "global_id", 0) or getattr(request, "view_id", 0))
        return f"{what} of {state.name}" if state is not None else what

    #: The handler (a method name) of each request type.
    _handlers = {
        messages.CreateProxy: "_create",
        messages.UpdateProxy: "_update",
        messages.DeleteProxy: "_delete",
        messages.Invoke: "_invoke",
        messages.GatherInformation: "_gather",
        messages.RenderRequest: "_render",
        messages.Goodbye: "_goodbye",
        messages.ChatRequest: "_chat",
        messages.PromoteRequest: "_promote",
        messages.FollowRequest: "_follow",
        messages.DisableConnections: "_disable_connections",
        messages.UndoRequest: "_undo",
        messages.SaveDataRequest: "_save_data",
        messages.FetchRequest: "_fetch",
        messages.TimerLogRequest: "_timer_log",
        messages.Batch: "_batch",
    }

    # ----------------------------------------------------------------------------------- helpers

    def _information(self, global_id: int) -> DataInformation:
        self.session.state(global_id)
        return merge_information(self.engine.run(commands.CollectInformation(global_id)))

    def publish(self, origin: int, body: Any) -> None:
        """Queue an event, with the next sequence number, for every client but its origin (0: everyone).

        A state delta goes to each client as that client sees it (its own cameras in views). While a request is
        handled, its events are held until :meth:`release_events` (sequence numbers follow the order of sending).
        """
        if self._held is not None and not isinstance(body, messages.Progress):
            self._held.append((origin, body))
            return
        self._send(origin, body)

    def release_events(self) -> None:
        """Send the events held while the last request was handled (the engine calls it after each job)."""
        held, self._held = self._held, None
        for origin, body in held or ():
            self._send(origin, body)

    def _send(self, origin: int, body: Any) -> None:
        sequence = self.session.next_sequence()
        shared = Event(sequence, origin, body)  # one object (encoded once) for every client that sees it as is
        for client_id, outbox in self.outboxes.items():
            if client_id != origin:
                seen = self.session.delta_for(client_id, body) if isinstance(body, StateDelta) else body
                outbox.put(shared if seen is body else Event(sequence, origin, seen))

    def notify_all(self, kind: str, text: str) -> None:
        """Tell every client something about the server itself (shutting down, timeout coming)."""
        self.publish(0, messages.Notice(kind, text))

    def report_progress(self, proxy_id: int, fraction: float) -> None:
        """Called on the engine thread while a pipeline update runs: every client sees the progress."""
        state = self.session.states.get(proxy_id)
        if state is not None:
            self.publish(0, messages.Progress(proxy_id, state.name, fraction, self._current_client))
