"""A trace: the paraview.simple script that redoes what this client changed on its connection.

A :class:`Tracer` observes its connection (``Connection.request_observers``): every request this client makes
(creates, property changes, batches, deletes, undo) arrives with its reply, whatever part of ``simple`` or
``servermanager`` made it, and becomes lines of a script, written with the words of ParaView's traces
(``Show``, ``ColorBy``, ``SetScalarBarVisibility``, ``Delete``...) where a request is one of theirs, as plain
assignments otherwise. Cameras are written at the end (and before each screenshot), as ParaView does. How
requests become lines is in :mod:`pvclient.trace_steps`; names and values in :mod:`pvclient.trace_values`;
a script of a whole session's state (ParaView's ``smstate``) in :mod:`pvclient.trace_state`; how to compare
what a replay rebuilt with what was recorded in :mod:`pvclient.trace_check`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pvclient.trace_steps import StepWriter
from pvclient.trace_values import (
    RECORD_ALL_PROPERTIES,
    RECORD_MODES,
    RECORD_MODIFIED_PROPERTIES,
    RECORD_USER_MODIFIED_PROPERTIES,
    literal,
)
from pvcore import __version__

if TYPE_CHECKING:
    from pvclient.connection import Connection

log = logging.getLogger(__name__)

HEADER = (
    "# trace recorded by pvcollab {version} in the scripting vocabulary of ParaView 5.11\n"
    "# (run it with pvpython, or exec() it in a session: it rebuilds what was traced)\n"
    "\n"
    "from paraview.simple import *\n"
    "import paraview.simple\n"
    "\n"
    "# keep the cameras this script sets: no first-render reset\n"
    "paraview.simple._DisableFirstRenderCameraReset()\n"
)


class Tracer(StepWriter):
    """Records the changes this client makes on ``connection`` as a script, from :meth:`start` to :meth:`stop`.

    ``properties_mode``: what a new proxy's lines set (trace_values.RECORD_*); ``full_supplemental``: colour
    maps, helpers and other supplemental proxies with all their properties; ``trace_cameras``: every camera
    change where it happens (else only each view's final camera); ``active_view``: the view a replay finds with
    ``GetActiveViewOrCreate`` (the active one when the trace starts).
    """

    def __init__(
        self,
        connection: Connection,
        properties_mode: int = RECORD_MODIFIED_PROPERTIES,
        full_supplemental: bool = False,
        trace_cameras: bool = False,
        active_view: Any = None,
    ) -> None:
        super().__init__(connection)
        self.properties_mode = properties_mode
        self.full_supplemental = full_supplemental
        self.trace_cameras = trace_cameras
        self.active_view_id = active_view.GlobalID if active_view is not None else 0
        self.tracing = False

    @property
    def properties_mode(self) -> int:
        return self._mode

    @properties_mode.setter
    def properties_mode(self, mode: int) -> None:
        if mode not in RECORD_MODES:
            raise ValueError(f"The properties to trace are one of {RECORD_MODES} (RECORD_*_PROPERTIES), not {mode!r}.")
        self._mode = int(mode)

    # ----------------------------------------------------------------------------------- lifetime

    def start(self) -> None:
        """Begin recording (the states the connection holds now are what the script finds, not makes)."""
        if not self.tracing:
            self.known.update(self.connection.states)
            self.connection.request_observers.append(self._observe)
            self.tracing = True

    def stop(self) -> str:
        """End recording and return the whole script, each view's camera at its end."""
        if self.tracing:
            self.connection.request_observers.remove(self._observe)
            self.tracing = False
        closing: list[str] = []
        live = [gid for gid in self.named_views() if gid in self.connection.states]
        if live:
            closing += ["", "# ---- where each view's camera is now", ""]
            for gid in live:
                closing += [*self.camera_lines(gid), ""]
        return self.output() + "\n".join(closing)

    def output(self) -> str:
        """The script so far (no closing cameras)."""
        body = "\n".join(self.lines)
        return HEADER.format(version=__version__) + ("\n" + body + "\n" if body else "")

    def reset(self) -> None:
        """Forget the lines so far (the names stay known, so later lines still refer to them)."""
        self.lines.clear()

    # ----------------------------------------------------------------------------------- client-side steps

    def screenshot(self, filename: str, target: Any, options: dict[str, Any]) -> None:
        """Record a SaveScreenshot (a client-side step, written after the camera it used)."""
        if not self.tracing:
            return
        view_id = getattr(target, "GlobalID", 0)
        if view_id in self.connection.states:
            where = self.name_of(view_id)
            self.block("", self.camera_lines(view_id))
        else:
            where = "GetLayout()" if target is not None else "None"
        args = [literal(str(filename)), where] + [f"{key}={literal(value)}" for key, value in options.items()]
        self.block("# save a screenshot", [f"SaveScreenshot({', '.join(args)})"])

    # ----------------------------------------------------------------------------------- observing

    def _observe(self, request: Any, reply: Any) -> None:
        """Called by the connection after each of its requests succeeded: lines for it, never an error for it."""
        try:
            self.record(request, reply)
        except Exception as exc:  # a request the trace cannot write must not fail the user's change
            log.warning("trace: %s not recorded: %s", type(request).__name__, exc)
            self.lines.append(f"# (a {type(request).__name__} was not traced: {exc})")
        finally:
            self.known.update(self.connection.states)


__all__ = ["RECORD_ALL_PROPERTIES", "RECORD_MODIFIED_PROPERTIES", "RECORD_USER_MODIFIED_PROPERTIES", "Tracer"]
