"""View requests: updates, ResetCamera, each client's camera, rendering, data information."""

from __future__ import annotations

import math

from pvcore import camera, messages
from pvcore.definitions.views import check_view_size
from pvcore.definitions.views_charts import NON_RENDER_VIEWS
from pvcore.depth import DEPTH_FORMAT, PICK_FORMAT
from pvcore.errors import PropertyError, ProtocolError, RenderError
from pvcore.messages import DataInformation, Event, ProxyState, StateDelta
from pvserver import commands
from pvserver.handlers.base import ServicePart
from pvserver.rendering.bounds import union_bounds

INVOKABLE = {"sources": ("UpdatePipeline",), "filters": ("UpdatePipeline",), "views": ("ResetCamera",)}

#: The most bytes of pipeline timer logs one TimerLogRequest gathers on rank 0, over all ranks (newest kept).
TIMER_LOG_BYTES = 16 << 20


class ViewRequests(ServicePart):
    """What the ranks compute for a view or a proxy without changing the session's pipeline."""

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
        """Point the view's camera at the global bounds of what it shows, keeping its direction: one command for all
        its visible representations (each rank answers its union of their bounds)."""
        union = union_bounds(self.engine.run(commands.CollectViewBounds(view.global_id)))
        changes: dict[str, tuple] = {"CameraInitialized": (1,)}
        if union:
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
        if req.format not in ("png", "jpeg", DEPTH_FORMAT, PICK_FORMAT):
            raise RenderError(
                f"Unknown image format {req.format!r}; use 'png' (lossless), 'jpeg', {DEPTH_FORMAT!r} (the depth "
                f"buffer and camera) or {PICK_FORMAT!r} (the surface point at `pick`; see pvcore.depth)."
            )
        options: dict = {"camera": self.session.camera(client_id, req.view_id)}
        if req.format in (DEPTH_FORMAT, PICK_FORMAT):
            if view.type in NON_RENDER_VIEWS:
                raise RenderError(f"{view.name} is a {view.type}: only a render view has a depth buffer to pick in.")
            if req.format == PICK_FORMAT:
                if len(req.pick) != 2:
                    raise RenderError(f"A pick takes one display position (x, y); got {list(req.pick)!r}.")
                options["pick"] = (int(req.pick[0]), int(req.pick[1]))
        if not 0 <= req.quality <= 100:
            raise RenderError(f"The JPEG quality must be within 0..100 (0: the default); got {req.quality}.")
        command = commands.RenderView(
            req.view_id,
            width,
            height,
            req.format,
            req.quality or 85,
            req.interactive and req.format not in (DEPTH_FORMAT, PICK_FORMAT),  # picking: at the full size
            options,
        )
        return self.engine.run(command)[0]["image"]

    def _timer_log(self, client_id: int, req: messages.TimerLogRequest) -> messages.TimerLog:
        """Every rank's log of its pipeline executions (anyone may read it: it changes nothing)."""
        threshold = float(req.threshold)
        if not math.isfinite(threshold) or threshold < 0:
            raise ProtocolError(f"The timer log threshold must be a finite number of seconds >= 0; got {threshold!r}.")
        per_rank = max(64 << 10, TIMER_LOG_BYTES // self.engine.comm.Get_size())  # the reply stays bounded
        return messages.TimerLog(list(self.engine.run(commands.CollectTimerLog(threshold, per_rank))))

    def _gather(self, client_id: int, req: messages.GatherInformation) -> DataInformation:
        self.session.state(req.global_id)
        return self._information(req.global_id)


def _update_time(arguments: list) -> float | None:
    """The time of an UpdatePipeline invocation: none, or one finite number."""
    if not arguments or not arguments[0]:
        return None
    value = arguments[0][0]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PropertyError(f"UpdatePipeline takes one finite time value; got {value!r}.")
    return float(value)
