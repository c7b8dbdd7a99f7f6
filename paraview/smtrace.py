"""ParaView's Python tracing: record what a session does as a paraview.simple script that redoes it.

``config = smtrace.start_trace()`` begins recording the changes this client makes on the active connection,
whatever makes them (``simple``, ``servermanager``, property assignments); ``smtrace.stop_trace()`` ends it and
returns the script, each traced view's camera at its end. ``get_current_trace_output()`` gives the script so far.
The returned config takes ParaView's settings: ``SetPropertiesToTraceOnCreate(RECORD_MODIFIED_PROPERTIES)``
(the default: what differs from the defaults), ``RECORD_USER_MODIFIED_PROPERTIES`` (only what was passed),
``RECORD_ALL_PROPERTIES``; ``SetFullyTraceSupplementalProxies(True)`` (colour maps and helpers in full);
``SetFullyTraceCameraAdjustments(True)`` (each camera change where it happens). Screenshots
(``SaveScreenshot``), which change no state on the server, are recorded too.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import simple
from pvclient.trace import (
    RECORD_ALL_PROPERTIES,
    RECORD_MODIFIED_PROPERTIES,
    RECORD_USER_MODIFIED_PROPERTIES,
    Tracer,
)
from simple import layouts
from simple.connections import active_connection


class TraceConfig:
    """The settings of the running trace (ParaView's vtkSMTrace calls); a change applies from then on."""

    RECORD_MODIFIED_PROPERTIES = RECORD_MODIFIED_PROPERTIES
    RECORD_USER_MODIFIED_PROPERTIES = RECORD_USER_MODIFIED_PROPERTIES
    RECORD_ALL_PROPERTIES = RECORD_ALL_PROPERTIES

    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer
        self._skip_rendering = False
        self._log_to_stdout = False

    def SetPropertiesToTraceOnCreate(self, mode: int) -> None:
        """Which properties of a new proxy are written: RECORD_MODIFIED_PROPERTIES (those not at their default),
        RECORD_USER_MODIFIED_PROPERTIES (those passed at creation) or RECORD_ALL_PROPERTIES."""
        self._tracer.properties_mode = mode

    def GetPropertiesToTraceOnCreate(self) -> int:
        return self._tracer.properties_mode

    def SetFullyTraceSupplementalProxies(self, on: bool) -> None:
        """Write colour maps, opacity maps, scalar bars and helpers with all their properties."""
        self._tracer.full_supplemental = bool(on)

    def GetFullyTraceSupplementalProxies(self) -> bool:
        return self._tracer.full_supplemental

    def SetFullyTraceCameraAdjustments(self, on: bool) -> None:
        """Write each camera change where it happens (else each view's camera is written once, at the end)."""
        self._tracer.trace_cameras = bool(on)

    def GetFullyTraceCameraAdjustments(self) -> bool:
        return self._tracer.trace_cameras

    def SetSkipRenderingComponents(self, on: bool) -> None:
        """Accepted for ParaView's scripts; views and representations are always traced here."""
        self._skip_rendering = bool(on)

    def GetSkipRenderingComponents(self) -> bool:
        return self._skip_rendering

    def SetLogTraceToStdout(self, on: bool) -> None:
        """Accepted for ParaView's scripts; the trace is returned by stop_trace()."""
        self._log_to_stdout = bool(on)

    def GetLogTraceToStdout(self) -> bool:
        return self._log_to_stdout

    def GetState(self) -> int:
        """1 while tracing, 0 once stopped."""
        return int(self._tracer.tracing)


class _Session:
    """The running trace, if any, and the screenshot function it stands in for."""

    tracer: Tracer | None = None
    last_output = ""
    patched: list[tuple[dict, str, Any]] = []


def _traced_screenshot(original: Any) -> Any:
    def SaveScreenshot(filename: Any, viewOrLayout: Any = None, **params: Any) -> bool:
        done = original(filename, viewOrLayout, **params)
        tracer = _Session.tracer
        if tracer is not None:
            target = viewOrLayout if viewOrLayout is not None else simple.GetActiveView()
            tracer.screenshot(str(filename), target, params)
        return done

    SaveScreenshot.__doc__ = original.__doc__
    SaveScreenshot._pvcollab_original = original  # type: ignore[attr-defined]
    return SaveScreenshot


def _patch_screenshots(caller_globals: dict) -> None:
    """SaveScreenshot writes a file on the client, so no request says so: while tracing, the function in
    ``simple`` and in the namespace that started the trace (``from paraview.simple import *``) records it."""
    original = layouts.SaveScreenshot
    wrapped = _traced_screenshot(original)
    for namespace in (vars(layouts), vars(simple), caller_globals):
        if namespace.get("SaveScreenshot") is original:
            _Session.patched.append((namespace, "SaveScreenshot", original))
            namespace["SaveScreenshot"] = wrapped


def _unpatch_screenshots() -> None:
    for namespace, key, original in reversed(_Session.patched):
        if getattr(namespace.get(key), "_pvcollab_original", None) is original:
            namespace[key] = original
    _Session.patched.clear()


def start_trace(preamble: str | None = None) -> TraceConfig:
    """Begin tracing the active connection (the built-in session if there is none); returns the settings.

    A trace already running is stopped first. ``preamble``: text put at the top of the script."""
    if _Session.tracer is not None:
        stop_trace()
    tracer = Tracer(active_connection(), active_view=simple.GetActiveView())
    if preamble:
        tracer.lines.append(preamble.rstrip("\n"))
    tracer.start()
    _Session.tracer = tracer
    _patch_screenshots(sys._getframe(1).f_globals)
    return TraceConfig(tracer)


def stop_trace() -> str:
    """End the trace and return its script (also kept for :func:`last_trace`); "" when none was running."""
    tracer, _Session.tracer = _Session.tracer, None
    _unpatch_screenshots()
    if tracer is None:
        return ""
    _Session.last_output = tracer.stop()
    return _Session.last_output


def get_current_trace_output(raw: bool = False) -> str:
    """The script of the running trace so far (the last finished trace's when none runs)."""
    return _Session.tracer.output() if _Session.tracer is not None else _Session.last_output


def get_current_trace_output_and_reset(raw: bool = False) -> str:
    """The script so far, then forget its lines (later lines still use the names given so far)."""
    output = get_current_trace_output(raw)
    reset_trace_output()
    return output


def reset_trace_output() -> None:
    """Forget the lines of the running trace so far."""
    if _Session.tracer is not None:
        _Session.tracer.reset()


def last_trace() -> str:
    """The script the last stop_trace() returned."""
    return _Session.last_output


def save_trace(filename: str | Path) -> None:
    """Write the running trace's script so far (or the last finished one) to a file."""
    Path(filename).write_text(get_current_trace_output(), encoding="utf-8")


def is_tracing() -> bool:
    """Whether a trace is running."""
    return _Session.tracer is not None


__all__ = [
    "RECORD_ALL_PROPERTIES",
    "RECORD_MODIFIED_PROPERTIES",
    "RECORD_USER_MODIFIED_PROPERTIES",
    "TraceConfig",
    "get_current_trace_output",
    "get_current_trace_output_and_reset",
    "is_tracing",
    "last_trace",
    "reset_trace_output",
    "save_trace",
    "start_trace",
    "stop_trace",
]
