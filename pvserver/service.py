"""The service: turns client requests into validated session changes executed on every rank.

Every public method runs on the engine thread (through :meth:`Engine.call`), so session changes are
serialised without locks: plan in the session, apply on the ranks, commit, then publish the change as an
event to every other client.
"""

from __future__ import annotations

import logging
import queue
from dataclasses import dataclass
from typing import Any

from pvserver import __version__, commands, messages
from pvserver.engine import Engine
from pvserver.errors import (
    AuthenticationError,
    ProtocolError,
    PVError,
    RenderError,
    ServerBusyError,
)
from pvserver.messages import DataInformation, Event, ProxyState, StateDelta
from pvserver.pipeline import catalogue
from pvserver.pipeline.information import merge_information
from pvserver.rendering import camera
from pvserver.rendering.limits import check_view_size
from pvserver.session import Session

log = logging.getLogger(__name__)

INVOKABLE = {"sources": ("UpdatePipeline",), "filters": ("UpdatePipeline",), "views": ("ResetCamera",)}


@dataclass
class ServerOptions:
    """Behaviour chosen on the pvserver command line."""

    multi_clients: bool = False
    connect_id: int = 0
    max_clients: int = 0  # 0: no limit


class Service:
    """The server's request handling, shared by the gRPC front end and the built-in session."""

    def __init__(self, engine: Engine, options: ServerOptions | None = None) -> None:
        self.engine = engine
        self.options = options or ServerOptions()
        self.session = Session()
        self.outboxes: dict[int, queue.Queue] = {}
        self.clients_served = 0

    # ----------------------------------------------------------------------------------- clients

    def connect(self, hello: messages.Hello, outbox: queue.Queue) -> messages.Welcome:
        """Admit a client (or raise why not) and give it the whole current state."""
        if hello.protocol_major != messages.PROTOCOL_MAJOR:
            raise ProtocolError(
                f"Protocol version mismatch: client speaks {hello.protocol_major}.{hello.protocol_minor}, "
                f"server speaks {messages.PROTOCOL_MAJOR}.{messages.PROTOCOL_MINOR}; the major versions must match."
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
        if self.options.max_clients and len(self.outboxes) >= self.options.max_clients:
            raise ServerBusyError(f"This pvserver accepts at most {self.options.max_clients} clients at once.")
        info = self.session.add_client(hello.user)
        self.outboxes[info.client_id] = outbox
        self.clients_served += 1
        log.info("client %d (%s) connected", info.client_id, info.user)
        return messages.Welcome(
            client_id=info.client_id,
            number_of_ranks=self.engine.size,
            state=self.session.snapshot(),
            last_sequence=self.session.sequence,
            multi_clients=self.options.multi_clients,
            server_version=__version__,
        )

    def disconnect(self, client_id: int) -> None:
        """Forget a client whose stream ended."""
        if self.outboxes.pop(client_id, None) is not None:
            self.session.remove_client(client_id)
            log.info("client %d disconnected", client_id)

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
        try:
            return handler(self, client_id, request)
        except PVError as exc:
            return messages.ErrorReply(
                type(exc).__name__, exc.message, exc.rank, exc.proxy_id, exc.proxy_name, exc.property
            )

    def _create(self, client_id: int, req: messages.CreateProxy) -> StateDelta:
        spec = catalogue.get(req.group, req.type)
        info = None
        if spec.has_input and "Input" in req.properties and self._needs_input_info(spec, req.properties):
            input_id = int(catalogue.coerce(spec.property("Input"), req.properties["Input"])[0])
            source = self.session.states.get(input_id)
            if source is not None and source.group in catalogue.PIPELINE_GROUPS:  # else plan_create says why
                info = self._information(input_id)
        delta = self.session.plan_create(req.group, req.type, req.properties, req.name, info)
        return self._execute(client_id, delta)

    def _update(self, client_id: int, req: messages.UpdateProxy) -> StateDelta:
        state = self.session.state(req.global_id)
        spec = catalogue.get(state.group, state.type)
        info = None
        if any(spec.property(k).kind == "subproxy" for k in req.properties) and "Input" in state.properties:
            info = self._information(int(state.properties["Input"][0]))
        return self._execute(client_id, self.session.plan_update(req.global_id, req.properties, req.name, info))

    def _delete(self, client_id: int, req: messages.DeleteProxy) -> StateDelta:
        return self._execute(client_id, self.session.plan_delete(req.global_id))

    def _invoke(self, client_id: int, req: messages.Invoke) -> StateDelta:
        state = self.session.state(req.global_id)
        known = INVOKABLE.get(state.group, ())
        if req.method not in known:
            raise ProtocolError(f"Unknown method {req.method!r} for {state.name}; known: {', '.join(known) or 'none'}.")
        if req.method == "ResetCamera":
            return self._reset_camera(client_id, state)
        time = float(req.arguments[0][0]) if req.arguments and req.arguments[0] else None
        self.engine.run(commands.UpdatePipeline(req.global_id, time))
        return StateDelta()

    def _reset_camera(self, client_id: int, view: ProxyState) -> StateDelta:
        """Point the view's camera at the global bounds of what it shows, keeping its direction."""
        bounds = []
        for rep_id in view.properties.get("Representations", ()):
            rep = self.session.states.get(rep_id)
            if rep is not None and rep.properties.get("Visibility", (1,))[0]:
                info = self._information(int(rep.properties["Input"][0]))
                if info.bounds:
                    bounds.append(info.bounds)
        changes: dict[str, tuple] = {"CameraInitialized": (1,)}
        if bounds:
            union = [f(b[i] for b in bounds) for i, f in enumerate([min, max] * 3)]
            changes.update(camera.reset_camera(view.properties, union))
        return self._execute(client_id, self.session.plan_update(view.global_id, changes))

    def _render(self, client_id: int, req: messages.RenderRequest) -> messages.Image:
        view = self.session.state(req.view_id)
        if view.group != "views":
            raise RenderError(f"{view.name} is a {view.type}, not a view.", proxy_id=view.global_id)
        width, height = (req.width, req.height) if req.width or req.height else view.properties["ViewSize"]
        check_view_size(width, height)
        if req.format not in ("png", "jpeg"):
            raise RenderError(f"Unknown image format {req.format!r}; use 'png' (lossless) or 'jpeg'.")
        command = commands.RenderView(req.view_id, width, height, req.format, req.quality or 85, req.interactive)
        return self.engine.run(command)[0]["image"]

    def _gather(self, client_id: int, req: messages.GatherInformation) -> DataInformation:
        self.session.state(req.global_id)
        return self._information(req.global_id)

    def _goodbye(self, client_id: int, req: messages.Goodbye) -> StateDelta:
        self.disconnect(client_id)
        return StateDelta()

    _handlers = {
        messages.CreateProxy: _create,
        messages.UpdateProxy: _update,
        messages.DeleteProxy: _delete,
        messages.Invoke: _invoke,
        messages.GatherInformation: _gather,
        messages.RenderRequest: _render,
        messages.Goodbye: _goodbye,
    }

    # ----------------------------------------------------------------------------------- helpers

    @staticmethod
    def _needs_input_info(spec: catalogue.ProxySpec, given: dict) -> bool:
        return any((p.default_from and p.name not in given) or p.kind == "subproxy" for p in spec.properties)

    def _information(self, global_id: int) -> DataInformation:
        self.session.state(global_id)
        return merge_information(self.engine.run(commands.CollectInformation(global_id)))

    def _execute(self, client_id: int, delta: StateDelta) -> StateDelta:
        """Apply a planned delta on every rank, commit it, and tell the other clients."""
        self.engine.run(commands.ApplyDelta(delta))
        self.session.commit(delta)
        self.publish(client_id, delta)
        return delta

    def publish(self, origin: int, delta: StateDelta) -> None:
        """Queue a committed change, with the next sequence number, for every client but its origin."""
        event = Event(self.session.next_sequence(), origin, delta)
        for client_id, outbox in self.outboxes.items():
            if client_id != origin:
                outbox.put(event)
