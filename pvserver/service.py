"""The service: turns client requests into validated session changes executed on every rank.

Every public method runs on the engine thread (through :meth:`Engine.call`), so session changes are
serialised without locks: plan in the session, apply on the ranks, commit, then publish the change as an
event to every other client.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pvcore import __version__, camera, messages
from pvcore.errors import (
    AuthenticationError,
    PipelineError,
    PropertyError,
    ProtocolError,
    PVError,
    RenderError,
    RequestTimeoutError,
    ServerBusyError,
)
from pvcore.messages import DataInformation, Event, ProxyState, StateDelta
from pvserver import commands
from pvserver.engine import Engine
from pvserver.pipeline import budget, catalogue
from pvserver.pipeline import files as fileio
from pvserver.pipeline.information import merge_information
from pvserver.pipeline.sizes import Size
from pvserver.rendering.limits import check_view_size
from pvserver.session import Session, is_camera_property

log = logging.getLogger(__name__)

MAX_CHAT_LENGTH = 10_000
MAX_USER_NAME_LENGTH = 256
#: Requests answered without any rank (see Service.is_light).
LIGHT_REQUESTS = (messages.ChatRequest, messages.FollowRequest, messages.DisableConnections)
INVOKABLE = {"sources": ("UpdatePipeline",), "filters": ("UpdatePipeline",), "views": ("ResetCamera",)}


@dataclass
class ServerOptions:
    """Behaviour chosen on the pvserver command line."""

    multi_clients: bool = False
    connect_id: int = 0
    max_clients: int = 0  # 0: no limit
    token: str = field(default="", repr=False)  # when set, clients must prove they know it (the front end checks)
    data_dir: Path | None = None  # files are read and written only under it (None: anywhere, built-in session)
    fetch_limit: int = 256 * 1024 * 1024  # bytes of data Fetch() may bring to a client
    max_memory_per_rank: int = 0  # bytes one proxy's output may take on a rank (0: budget.default_budget)
    request_timeout: float = 300.0  # seconds one request may run before it is stopped (0: no limit)


def check_protocol(hello: messages.Hello) -> None:
    """Refuse a client of another major protocol version, naming both."""
    if hello.protocol_major != messages.PROTOCOL_MAJOR:
        raise ProtocolError(
            f"Protocol version mismatch: client speaks {hello.protocol_major}.{hello.protocol_minor}, "
            f"server speaks {messages.PROTOCOL_MAJOR}.{messages.PROTOCOL_MINOR}; the major versions must match."
        )


class Outbox(Protocol):
    """Where a client's replies and events go: the gRPC front end's stream queue, or the built-in session's."""

    def put(self, item: Any) -> None: ...


class Service:
    """The server's request handling, shared by the gRPC front end and the built-in session."""

    def __init__(self, engine: Engine, options: ServerOptions | None = None) -> None:
        self.engine = engine
        self.options = options or ServerOptions()
        self.session = Session()
        self.outboxes: dict[int, Outbox] = {}
        self.clients_served = 0
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
        )

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
            return handler(self, client_id, request)
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

    def _create(self, client_id: int, req: messages.CreateProxy) -> StateDelta:
        self.session.check_master(client_id, "change the pipeline")
        spec = catalogue.get(req.group, req.type)
        if spec.name == "FileReader":
            req = messages.CreateProxy(
                req.group,
                req.type,
                req.name,
                {**req.properties, "FileName": self._files(req.properties.get("FileName", ()))},
            )
        info = None
        if spec.has_input and "Input" in req.properties and self._needs_input_info(spec, req.properties):
            input_id = int(catalogue.coerce(spec.property("Input"), req.properties["Input"])[0])
            source = self.session.states.get(input_id)
            if source is not None and source.group in catalogue.PIPELINE_GROUPS:  # else plan_create says why
                info = self._information(input_id)
        delta = self.session.plan_create(req.group, req.type, req.properties, req.name, info)
        return self._execute(client_id, delta, f"Create {delta.states[-1].name}")

    def _update(self, client_id: int, req: messages.UpdateProxy) -> StateDelta:
        state = self.session.state(req.global_id)
        spec = catalogue.get(state.group, state.type)
        if not req.properties and not req.name:  # nothing to change: not a new version, nor an undo step
            return StateDelta([self.session.as_seen_by(client_id, state)])
        camera = {k: v for k, v in req.properties.items() if state.group == "views" and is_camera_property(k)}
        if req.name or len(camera) < len(req.properties):
            self.session.check_master(client_id, "change the pipeline")
        if camera:  # each client's own: stored per client, passed on to its followers, no master needed
            values = {k: catalogue.coerce(spec.property(k), v) for k, v in camera.items()}
            req = messages.UpdateProxy(
                req.global_id, {k: v for k, v in req.properties.items() if k not in camera}, req.name
            )
            self._set_camera(client_id, state, values)
            if not req.properties and not req.name:
                return StateDelta([self.session.as_seen_by(client_id, state)])
        if spec.name == "FileReader" and "FileName" in req.properties:  # the same sandbox as at creation
            files = self._files(req.properties["FileName"])
            req = messages.UpdateProxy(req.global_id, {**req.properties, "FileName": files}, req.name)
        req = _without_unchanged(req, state, spec)
        if not req.properties and not req.name:  # every value as it was: no version, no undo step, no event
            return StateDelta([self.session.as_seen_by(client_id, state)])
        info = None
        if any(spec.property(k).kind == "subproxy" for k in req.properties) and "Input" in state.properties:
            info = self._information(int(state.properties["Input"][0]))
        delta = self.session.plan_update(req.global_id, req.properties, req.name, info)
        what = ", ".join(req.properties) or "name"
        return self._execute(client_id, delta, f"Change {what} of {state.name}")

    def _delete(self, client_id: int, req: messages.DeleteProxy) -> StateDelta:
        self.session.check_master(client_id, "change the pipeline")
        state = self.session.state(req.global_id)
        return self._execute(client_id, self.session.plan_delete(req.global_id), f"Delete {state.name}")

    def _invoke(self, client_id: int, req: messages.Invoke) -> StateDelta:
        state = self.session.state(req.global_id)
        known = INVOKABLE.get(state.group, ())
        if req.method not in known:
            raise ProtocolError(f"Unknown method {req.method!r} for {state.name}; known: {', '.join(known) or 'none'}.")
        if req.method == "ResetCamera":
            return self._reset_camera(client_id, state)
        time = _update_time(req.arguments)
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
            width, height = view.properties.get("ViewSize", (1, 1))
            seen = self.session.as_seen_by(client_id, view).properties
            changes.update(camera.reset_camera(seen, union, aspect=width / max(height, 1)))
        self._set_camera(client_id, view, changes)
        return StateDelta([self.session.as_seen_by(client_id, view)])

    def _set_camera(self, client_id: int, view: ProxyState, values: dict[str, tuple]) -> None:
        """Store a client's camera; its followers get it as an event."""
        for changed in self.session.set_camera(client_id, view.global_id, values):
            if changed != client_id and changed in self.outboxes:
                delta = StateDelta([self.session.as_seen_by(changed, view)])
                self.outboxes[changed].put(Event(self.session.next_sequence(), client_id, delta))

    def _render(self, client_id: int, req: messages.RenderRequest) -> messages.Image:
        view = self.session.state(req.view_id)
        if view.group != "views":
            raise RenderError(f"{view.name} is a {view.type}, not a view.", proxy_id=view.global_id)
        width, height = (req.width, req.height) if req.width or req.height else view.properties["ViewSize"]
        check_view_size(width, height)
        if req.format not in ("png", "jpeg"):
            raise RenderError(f"Unknown image format {req.format!r}; use 'png' (lossless) or 'jpeg'.")
        if not 0 <= req.quality <= 100:
            raise RenderError(f"The JPEG quality must be within 0..100 (0: the default); got {req.quality}.")
        command = commands.RenderView(
            req.view_id,
            width,
            height,
            req.format,
            req.quality or 85,
            req.interactive,
            {"camera": self.session.camera(client_id, req.view_id)},
        )
        return self.engine.run(command)[0]["image"]

    def _gather(self, client_id: int, req: messages.GatherInformation) -> DataInformation:
        self.session.state(req.global_id)
        return self._information(req.global_id)

    def _goodbye(self, client_id: int, req: messages.Goodbye) -> StateDelta:
        self.disconnect(client_id)
        return StateDelta()

    # ----------------------------------------------------------------------------------- collaboration

    def _chat(self, client_id: int, req: messages.ChatRequest) -> StateDelta:
        text = req.text.strip()
        if not text or len(text) > MAX_CHAT_LENGTH:
            raise PropertyError(f"A chat message must have 1..{MAX_CHAT_LENGTH} characters.")
        self.publish(0, self.session.add_chat(client_id, text))  # origin 0: the sender gets it too
        return StateDelta()

    def _promote(self, client_id: int, req: messages.PromoteRequest) -> StateDelta:
        self.session.check_master(client_id, "hand over the master role")
        target = self.session.client(req.client_id)
        self.session.set_master(target.client_id)
        self.publish(0, self.session.user_list(f"{target.user} is now master"))
        return StateDelta()

    def _follow(self, client_id: int, req: messages.FollowRequest) -> StateDelta:
        session = self.session
        if req.everyone:
            session.check_master(client_id, "make everyone follow its camera")
            followers = [c for c in session.clients if c != client_id]
            followed, reason = client_id, f"everyone follows {session.client(client_id).user}'s camera"
        else:
            followers, followed = [client_id], req.client_id
            if followed == client_id:
                raise PropertyError("A client cannot follow its own camera.")
            target = session.client(followed).user if followed else "nobody"
            reason = f"{session.client(client_id).user} follows {target}"
        for follower in followers:
            if followed:
                session.following[follower] = followed
                for view_id, values in session.cameras.get(followed, {}).items():  # take the camera now
                    self._set_camera(followed, session.state(view_id), values)
            else:
                session.following.pop(follower, None)
        self.publish(0, session.user_list(reason))
        return StateDelta()

    def _files(self, names: tuple) -> tuple[str, ...]:
        """Absolute paths of the files to read, all under the data directory; one ``name_0.ext`` becomes the
        whole series ``name_0.ext, name_1.ext, ...`` (one file per time step)."""
        if not names:
            raise PropertyError("OpenDataFile needs a file name.", property="FileName")
        paths = [self._path(str(n)) for n in names]
        for path in paths:
            fileio.check_readable(str(path))
        if len(paths) == 1:
            match = re.fullmatch(r"(.*_)0+(\.[^.]+)", paths[0].name)
            if match:
                series, i = [], 0
                root = self.options.data_dir
                while fileio.present(root, candidate := paths[0].with_name(f"{match.group(1)}{i}{match.group(2)}")):
                    series.append(self._path(str(candidate)))  # every file of it checked, a link refused
                    i += 1
                paths = series or paths
        return tuple(str(p) for p in paths)

    def _path(self, name: str, must_exist: bool = True) -> Path:
        root = self.options.data_dir
        if root is None:
            path = Path(name).expanduser().resolve()
            if must_exist and not path.exists():
                raise fileio.DataAccessError(f"No file {name!r}.")
            return path
        return fileio.resolve(root, name, must_exist)

    def _save_data(self, client_id: int, req: messages.SaveDataRequest) -> StateDelta:
        self.session.check_master(client_id, "write data files")
        state = self.session.state(req.global_id)
        path = self._path(req.path, must_exist=False)
        ext = fileio.extension(req.path)
        if ext not in fileio.WRITERS:
            raise fileio.DataAccessError(
                f"Cannot write {Path(req.path).name!r}: unsupported extension; supported: "
                f"{', '.join(sorted(fileio.WRITERS))}."
            )
        if not path.parent.is_dir():
            raise fileio.DataAccessError(f"Cannot write {req.path!r}: its folder does not exist on the server.")
        self.engine.run(commands.WriteData(state.global_id, str(path), overwrite=req.overwrite))
        root = self.options.data_dir
        shown = str(path.relative_to(root.resolve())) if root is not None else str(path)
        user = self.session.clients.get(client_id)
        who = user.user if user else f"user {client_id}"
        text = f"{who} wrote {fileio.written(shown, self.engine.size)} (from {state.name})."
        self.publish(0, messages.Notice("DataWritten", text, client_id))  # the writer is told too
        return StateDelta()

    def _fetch(self, client_id: int, req: messages.FetchRequest) -> messages.DataObject:
        state = self.session.state(req.global_id)
        limit = min(req.max_bytes or self.options.fetch_limit, self.options.fetch_limit)
        info = self._information(state.global_id)
        if info.memory_bytes > limit:
            raise _too_large_to_fetch(state.name, "holds", info.memory_bytes, limit)
        data_type, data = self.engine.run(commands.FetchData(state.global_id))[0]
        if len(data) > limit:
            raise _too_large_to_fetch(state.name, "serialises to", len(data), limit)
        return messages.DataObject(data_type, data)

    def _undo(self, client_id: int, req: messages.UndoRequest) -> StateDelta | messages.UndoStatus:
        history = self.session.history
        if req.action == "status":
            return messages.UndoStatus([s.label for s in history.undo], [s.label for s in history.redo])
        if req.action not in ("undo", "redo", "begin", "end"):
            raise ProtocolError(f"Unknown undo action {req.action!r}; use undo, redo, begin, end or status.")
        self.session.check_master(client_id, f"{req.action} changes")
        if req.action == "begin":
            history.begin(req.label)
            return StateDelta()
        if req.action == "end":
            history.end()
            return StateDelta()
        redo = req.action == "redo"
        step, delta = history.plan(self.session.states, redo)
        self._check_budget(delta)
        self.engine.run(commands.ApplyDelta(delta))
        self.session.commit(delta)
        history.done(step, redo)
        self.publish(client_id, delta)  # an undo reaches every client as ordinary state events
        return self.session.delta_for(client_id, delta)

    def _disable_connections(self, client_id: int, req: messages.DisableConnections) -> StateDelta:
        self.session.check_master(client_id, "disable further connections")
        self.session.accepting = False
        return StateDelta()

    _handlers = {
        messages.CreateProxy: _create,
        messages.UpdateProxy: _update,
        messages.DeleteProxy: _delete,
        messages.Invoke: _invoke,
        messages.GatherInformation: _gather,
        messages.RenderRequest: _render,
        messages.Goodbye: _goodbye,
        messages.ChatRequest: _chat,
        messages.PromoteRequest: _promote,
        messages.FollowRequest: _follow,
        messages.DisableConnections: _disable_connections,
        messages.UndoRequest: _undo,
        messages.SaveDataRequest: _save_data,
        messages.FetchRequest: _fetch,
    }

    # ----------------------------------------------------------------------------------- helpers

    @staticmethod
    def _needs_input_info(spec: catalogue.ProxySpec, given: dict) -> bool:
        return any((p.default_from and p.name not in given) or p.kind == "subproxy" for p in spec.properties)

    def _information(self, global_id: int) -> DataInformation:
        self.session.state(global_id)
        return merge_information(self.engine.run(commands.CollectInformation(global_id)))

    def _execute(self, client_id: int, delta: StateDelta, undo_label: str = "") -> StateDelta:
        """Apply a planned delta on every rank, commit it (as an undo step if labelled), tell the other clients."""
        self._check_budget(delta)
        self.engine.run(commands.ApplyDelta(delta))
        self.session.commit(delta, undo_label)
        self.publish(client_id, delta)
        return self.session.delta_for(client_id, delta)

    def _check_budget(self, delta: StateDelta) -> None:
        """Refuse a delta whose outputs would not fit in a rank's memory budget, before any rank sees it."""
        self.budget.check(delta.states, self.session.states, self._measured)

    def _measured(self, global_id: int) -> Size | None:
        """The size of a live proxy's output, from its data information (for readers, which have no size rule);
        None when it cannot be computed: that failure is reported when the pipeline runs, not as a budget matter."""
        try:
            info = self._information(global_id)
        except PipelineError:
            return None
        return Size(info.number_of_points, info.number_of_cells, info.memory_bytes, split=True)

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


def _without_unchanged(req: messages.UpdateProxy, state: ProxyState, spec: catalogue.ProxySpec) -> messages.UpdateProxy:
    """The update without the properties it sets to the values they have (a helper named by type is always new)."""
    changed = {
        key: value
        for key, value in req.properties.items()
        if spec.property(key).kind == "subproxy"
        or catalogue.coerce(spec.property(key), value) != state.properties.get(key)
    }
    name = req.name if req.name != state.name else ""
    return (
        req
        if len(changed) == len(req.properties) and name == req.name
        else messages.UpdateProxy(req.global_id, changed, name)
    )


def _too_large_to_fetch(name: str, verb: str, size: int, limit: int) -> fileio.DataAccessError:
    return fileio.DataAccessError(
        f"{name} {verb} {budget.size_text(size)}, more than the {budget.size_text(limit)} Fetch() may bring to a "
        "client; reduce it first (e.g. a Slice, or ExtractSurface)."
    )


def _update_time(arguments: list) -> float | None:
    """The time of an UpdatePipeline invocation: none, or one finite number."""
    if not arguments or not arguments[0]:
        return None
    value = arguments[0][0]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PropertyError(f"UpdatePipeline takes one finite time value; got {value!r}.")
    return float(value)
