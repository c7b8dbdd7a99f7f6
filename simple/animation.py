"""Time and animation, as paraview.simple scripts use them: ``GetTimeKeeper()``, ``GetAnimationScene()``,
``PythonAnimationCue()`` and ``GetTimeTrack()`` (``SaveAnimation()``: simple.animation_save).

The time keeper collects the time steps of every source and filter of the connection: the times their data has, as
their pipelines report them (a reader's series, a TimeSource, GenerateTimeSteps, a filter downstream of them). The
scene steps through frames: the time keeper's time steps ('Snap To TimeSteps'), NumberOfFrames times evenly from
StartTime to EndTime ('Sequence'), or in wall-clock time over Duration seconds ('Real Time'). Each frame sets the
time every view shows (its ViewTime: what a time-dependent source computes, what AnnotateTime writes) and ticks the
scene's cues. A PythonAnimationCue's Script is the user's own code: it runs here, in the client's Python, as
ParaView runs it in the client, and never on the server.

One time keeper and one scene belong to each connection and live as long as it does.
"""

from __future__ import annotations

import itertools
import time as wallclock
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pvclient.connection import Connection
from pvclient.proxy import Proxy
from pvcore.errors import PVError
from simple.connections import active_connection
from simple.rendering import Render

PLAY_MODES = ("Sequence", "Real Time", "Snap To TimeSteps")
CUE_TIME_MODES = ("Normalized", "Relative")


class TimeKeeper:
    """The time steps of every source and filter of a connection (``TimestepValues``, ``TimeRange``), and the
    time the views show (``Time``). Proxies listed in ``SuppressedTimeSources`` do not add their time steps."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.SuppressedTimeSources: list[Proxy] = []
        self._time = 0.0

    @property
    def TimestepValues(self) -> list[float]:
        """Every time step of the connection's sources and filters, ascending, each once."""
        return sorted({t for proxy in self._time_sources() for t in _time_steps(proxy)})

    @property
    def TimeRange(self) -> list[float]:
        """The first and last time step ([0, 1] without any)."""
        return _range(self.TimestepValues)

    @property
    def Time(self) -> float:
        """The time the views show."""
        return self._time

    @Time.setter
    def Time(self, value: float) -> None:
        """Show this time in every view, and bring the time sources to it, so that data information and updates
        that name no time follow it too (as ParaView's do)."""
        self._time = float(value)
        for view in self._connection.proxies(("views",)):
            view.ViewTime = self._time
        # The server's pipeline time is one for all proxies: updating the first that has time steps sets it.
        source = next((p for p in self._time_sources() if _time_steps(p)), None)
        if source is not None:
            source.UpdatePipeline(self._time)

    def _time_sources(self) -> list[Proxy]:
        suppressed = {p.GlobalID for p in self.SuppressedTimeSources}
        return [p for p in self._connection.proxies() if p.GlobalID not in suppressed]


def _range(times: list[float]) -> list[float]:
    return [times[0], times[-1]] if times else [0.0, 1.0]


def _time_steps(proxy: Proxy) -> list[float]:
    """The times a proxy's data has, from its data information (computing it if need be). None for a proxy that
    fails to compute (its error is the user's when they update it), nor for times that are not a series: VTK's
    ForceTime repeats its forced time for every step of its input, and ParaView's time keeper does not list it."""
    try:
        times = list(proxy.GetDataInformation().info.time_steps)
    except PVError:
        return []
    return times if all(a < b for a, b in itertools.pairwise(times)) else []


class PythonAnimationCue:
    """A cue that runs Python functions of its ``Script`` in this client, as ParaView's vtkPythonAnimationCue:
    ``start_cue(self)`` when the scene's time reaches the cue's StartTime, ``tick(self)`` at every frame from
    there to its EndTime, ``end_cue(self)`` once the time reaches EndTime (each optional). Play() runs them over
    the frames; setting the scene's time (AnimationTime, GoToFirst/Next/Previous/Last) runs the cue afresh at that
    one time, as ParaView does: ``start_cue`` then ``tick``, and ``end_cue`` too at the cue's end. In ``tick``,
    ``self.GetAnimationTime()`` is the scene's time normalized to 0..1 (TimeMode 'Normalized', the default; with
    'Relative' the time since the scene's start), ``self.GetClockTime()`` the scene's time; outside ``tick`` both
    are 0. StartTime and EndTime are in the same units. The script is the user's own code, run once per change of
    it; an error in it is printed (as ParaView prints it) and the animation goes on."""

    def __init__(self, **properties: Any) -> None:
        self.Script = "def start_cue(self): pass\n\ndef tick(self): pass\n\ndef end_cue(self): pass"
        self.StartTime, self.EndTime, self.TimeMode, self.Enabled = 0.0, 1.0, "Normalized", 1
        self._functions: dict[str, Any] | None = None
        self._loaded_script: str | None = None
        self._state = _UNINITIALIZED
        self._clock, self._cue_time, self._delta = 0.0, 0.0, 0.0
        for name, value in properties.items():
            if name not in ("Script", "StartTime", "EndTime", "TimeMode", "Enabled"):
                raise PVError(f"PythonAnimationCue has no property {name!r}; it has Script, StartTime, EndTime, "
                              "TimeMode and Enabled.")  # fmt: skip
            setattr(self, name, value)

    def remove_from_session(self) -> None:
        """``Delete(cue)``: the active connection's scene plays it no more."""
        cues = GetAnimationScene().Cues
        if self in cues:
            cues.remove(self)

    def GetAnimationTime(self) -> float:
        return self._cue_time

    def GetClockTime(self) -> float:
        return self._clock

    def GetDeltaTime(self) -> float:
        return self._delta

    def GetStartTime(self) -> float:
        return float(self.StartTime)

    def GetEndTime(self) -> float:
        return float(self.EndTime)

    def cue_time(self, scene_span: tuple[float, float], clock: float) -> float:
        """The scene's time ``clock`` in the cue's units (see the class's help)."""
        if self.TimeMode not in CUE_TIME_MODES:
            raise PVError(f"TimeMode {self.TimeMode!r} is not one of {', '.join(CUE_TIME_MODES)}.")
        start, end = scene_span
        if self.TimeMode == "Relative":
            return clock - start
        return (clock - start) / (end - start) if end > start else 0.0

    def initialize(self) -> None:
        """Make the cue start afresh at the next time it is run at (ParaView's Initialize)."""
        self._state = _UNINITIALIZED

    def advance(self, scene_span: tuple[float, float], clock: float, delta: float = 0.0) -> None:
        """Run the cue at the scene's time ``clock``: start it once that reaches StartTime, tick it up to EndTime,
        end it there (VTK's vtkAnimationCue::Tick, playing forward)."""
        now = self.cue_time(scene_span, clock)  # a wrong TimeMode is refused before any of the user's code runs
        if self._state == _UNINITIALIZED and now >= float(self.StartTime):
            self._state = _ACTIVE
            self._load()
            self._call("start_cue")
        if self._state == _ACTIVE and now <= float(self.EndTime):
            self._clock, self._cue_time, self._delta = clock, now, delta
            try:
                self._call("tick")
            finally:  # as VTK's: the times are those of a tick, only during it
                self._clock, self._cue_time, self._delta = 0.0, 0.0, 0.0
        if self._state == _ACTIVE and now >= float(self.EndTime):
            self._state = _INACTIVE
            self._call("end_cue")

    def finalize(self) -> None:
        """End the cue if it is running (the animation stopped before its EndTime)."""
        if self._state == _ACTIVE:
            self._call("end_cue")
        self._state = _INACTIVE

    def _load(self) -> None:
        """Run the script, defining its functions, when it is new or changed since it last ran."""
        script = str(self.Script)
        if self._functions is not None and script == self._loaded_script:
            return
        self._functions, self._loaded_script = None, script
        namespace: dict[str, Any] = {"__name__": "__paraview_cue__"}
        try:
            exec(compile(script, "<PythonAnimationCue Script>", "exec"), namespace)  # the user's own code
        except Exception as exc:
            _print_error(exc)
            return
        self._functions = namespace

    def _call(self, name: str) -> None:
        function = (self._functions or {}).get(name)
        if not callable(function):
            return
        try:
            function(self)
        except Exception as exc:
            _print_error(exc)


_UNINITIALIZED, _ACTIVE, _INACTIVE = "uninitialized", "active", "inactive"


def _print_error(exc: BaseException) -> None:
    """Print an error of a cue's script, from the user's own code on (as ParaView prints it, and goes on)."""
    traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next if exc.__traceback__ else None)


class TimeAnimationCue:
    """The track that drives the time keeper from the scene's time ("TimeKeeper - Time"), one of the scene's
    Cues; disabled (``Enabled = 0``) or taken out of Cues, the scene's frames no longer change the time the views
    show."""

    def __init__(self, time_keeper: TimeKeeper) -> None:
        self.AnimatedProxy = time_keeper
        self.Enabled = 1


class AnimationScene:
    """The animation of a connection (see the module's help). ``StartTime`` and ``EndTime`` follow the time
    keeper's range until set (or with ``LockStartTime``/``LockEndTime``)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.TimeKeeper = TimeKeeper(connection)
        self.TimeTrack = TimeAnimationCue(self.TimeKeeper)
        self.Cues: list[Any] = [self.TimeTrack]
        self._play_mode = "Sequence"
        self.NumberOfFrames, self.Duration, self.Stride, self.FramesPerTimestep = 10, 10, 1, 1
        self.LockStartTime, self.LockEndTime, self.Loop = 0, 0, 0
        self._start: float | None = None
        self._end: float | None = None
        self._time = 0.0

    @property
    def PlayMode(self) -> str:
        return self._play_mode

    @PlayMode.setter
    def PlayMode(self, mode: str) -> None:
        if mode not in PLAY_MODES:
            raise PVError(f"PlayMode {mode!r} is not one of {', '.join(map(repr, PLAY_MODES))}.")
        self._play_mode = mode

    @property
    def StartTime(self) -> float:
        return self._span(self.TimeKeeper.TimestepValues)[0] if self._start is None else self._start

    @StartTime.setter
    def StartTime(self, value: float) -> None:
        self._start = float(value)

    @property
    def EndTime(self) -> float:
        return self._span(self.TimeKeeper.TimestepValues)[1] if self._end is None else self._end

    @EndTime.setter
    def EndTime(self, value: float) -> None:
        self._end = float(value)

    @property
    def AnimationTime(self) -> float:
        """The scene's time; setting it shows that time in every view (through the time track)."""
        return self._time

    @AnimationTime.setter
    def AnimationTime(self, value: float) -> None:
        """Show the time in every view and run the Python cues afresh at it (ParaView's SetSceneTime)."""
        self._show_time(value)
        cues = self._python_cues()
        span = self._span(self.TimeKeeper.TimestepValues) if cues else (0.0, 0.0)
        for cue in cues:
            cue.initialize()
            cue.advance(span, self._time)
            if self._time >= span[1]:
                cue.finalize()

    def _show_time(self, value: float) -> None:
        self._time = float(value)
        if self.TimeTrack.Enabled and any(cue is self.TimeTrack for cue in self.Cues):
            self.TimeKeeper.Time = self._time

    def UpdateAnimationUsingDataTimeSteps(self) -> None:
        """Snap to the data's time steps, from the first to the last (unless StartTime/EndTime are locked)."""
        self._play_mode = "Snap To TimeSteps"
        if not self.LockStartTime:
            self._start = None
        if not self.LockEndTime:
            self._end = None

    def _span(self, steps: list[float]) -> tuple[float, float]:
        """StartTime and EndTime, given the time keeper's steps (asked of the server once)."""
        first, last = _range(steps)
        return (first if self._start is None else self._start), (last if self._end is None else self._end)

    def frame_times(self, frame_rate: float = 1.0) -> list[float]:
        """The time of every frame of the play mode ('Real Time': ``1 + frame_rate * Duration`` frames, as ParaView
        saves it)."""
        steps = self.TimeKeeper.TimestepValues
        start, end = self._span(steps)
        if self._play_mode == "Snap To TimeSteps":
            times = [t for t in steps if start <= t <= end]
            return times[:: max(int(self.Stride), 1)] or [start]
        count = (
            int(self.NumberOfFrames) if self._play_mode == "Sequence" else 1 + round(frame_rate * int(self.Duration))
        )
        if count <= 1:
            return [start]
        return [start + (end - start) * i / (count - 1) for i in range(count)]

    def _neighbour(self, later: bool) -> None:
        """The next (previous) frame's time; past the last (first) frame, the end (start), as ParaView's player."""
        times = self.frame_times()
        now = self._time
        found = [t for t in times if t > now] if later else [t for t in times if t < now]
        if found:
            self.AnimationTime = found[0] if later else found[-1]
        else:
            self.AnimationTime = self.EndTime if later else self.StartTime

    def GoToFirst(self) -> None:
        self.AnimationTime = self.StartTime

    def GoToLast(self) -> None:
        self.AnimationTime = self.EndTime

    def GoToNext(self) -> None:
        self._neighbour(later=True)

    def GoToPrevious(self) -> None:
        self._neighbour(later=False)

    def Stop(self) -> None:
        """Nothing to stop: Play() returns when the animation has ended."""

    def Play(self) -> None:
        """Play the animation: every frame (in 'Real Time', those the clock reaches over Duration seconds) shows
        its time in every view, ticks the cues and renders the views."""
        times = self._clock_times() if self._play_mode == "Real Time" else self.frame_times()
        self.play_frames(times, lambda _index: self._render_all())

    def _clock_times(self) -> Iterator[float]:
        """The scene's times as the wall clock reaches them, from StartTime to EndTime over Duration seconds."""
        start, end = self._span(self.TimeKeeper.TimestepValues)
        duration, began = max(float(self.Duration), 0.0), wallclock.monotonic()
        while (elapsed := wallclock.monotonic() - began) < duration:
            yield start + (end - start) * elapsed / duration
        yield end

    def play_frames(self, times: Iterable[float], after_each: Callable[[int], None], first_index: int = 0) -> None:
        """Show each of ``times`` in turn, running the cues, and call ``after_each(frame index)`` after each; the
        cues still running when the frames end are ended."""
        span = self._span(self.TimeKeeper.TimestepValues)
        cues = self._python_cues()
        for cue in cues:
            cue.initialize()
        previous: float | None = None
        try:
            for index, now in enumerate(times, start=first_index):
                self._show_time(now)
                for cue in cues:
                    delta = 0.0 if previous is None else cue.cue_time(span, now) - cue.cue_time(span, previous)
                    cue.advance(span, now, delta)
                previous = now
                after_each(index)
        finally:
            for cue in cues:
                cue.finalize()

    def _python_cues(self) -> list[PythonAnimationCue]:
        return [c for c in self.Cues if isinstance(c, PythonAnimationCue) and c.Enabled]

    def _render_all(self) -> None:
        for view in self._connection.proxies(("views",)):
            Render(view)


_SCENES: weakref.WeakKeyDictionary[Connection, AnimationScene] = weakref.WeakKeyDictionary()


def GetAnimationScene() -> AnimationScene:
    """The animation scene of the active connection (one per connection)."""
    conn = active_connection()
    scene = _SCENES.get(conn)
    if scene is None:
        scene = _SCENES[conn] = AnimationScene(conn)
    return scene


def GetTimeKeeper() -> TimeKeeper:
    """The time keeper of the active connection."""
    return GetAnimationScene().TimeKeeper


def GetTimeTrack() -> TimeAnimationCue:
    """The track that drives the time keeper from the scene's time (ParaView's "TimeKeeper - Time")."""
    return GetAnimationScene().TimeTrack


__all__ = [
    "AnimationScene",
    "GetAnimationScene",
    "GetTimeKeeper",
    "GetTimeTrack",
    "PythonAnimationCue",
    "TimeKeeper",
]
