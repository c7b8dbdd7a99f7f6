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
    """A cue that runs Python functions of its ``Script`` in this client: ``start_cue(self)`` when the animation
    starts, ``tick(self)`` at every frame, ``end_cue(self)`` when it ends (each optional). In them,
    ``self.GetAnimationTime()`` is the time within the cue (0 to 1 with TimeMode 'Normalized'),
    ``self.GetClockTime()`` the scene's time. StartTime and EndTime place the cue in the scene: fractions of it
    ('Normalized', the default) or scene times ('Relative'). The script is trusted as the user's own code."""

    def __init__(self, **properties: Any) -> None:
        self.Script = "def start_cue(self): pass\n\ndef tick(self): pass\n\ndef end_cue(self): pass"
        self.StartTime, self.EndTime, self.TimeMode, self.Enabled = 0.0, 1.0, "Normalized", 1
        self._functions: dict[str, Any] = {}
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

    def _span(self, scene_span: tuple[float, float]) -> tuple[float, float]:
        """The cue's start and end in scene time, given the scene's."""
        if self.TimeMode not in CUE_TIME_MODES:
            raise PVError(f"TimeMode {self.TimeMode!r} is not one of {', '.join(CUE_TIME_MODES)}.")
        if self.TimeMode == "Relative":
            return float(self.StartTime), float(self.EndTime)
        start, end = scene_span
        return start + (end - start) * float(self.StartTime), start + (end - start) * float(self.EndTime)

    def _call(self, name: str) -> None:
        function = self._functions.get(name)
        if callable(function):
            function(self)

    def start(self, scene_span: tuple[float, float]) -> None:
        """Run the script (defining its functions), then its ``start_cue``."""
        self._span(scene_span)  # a wrong TimeMode is refused before any of the user's code runs
        namespace: dict[str, Any] = {"__name__": "__paraview_cue__"}
        exec(compile(str(self.Script), "<PythonAnimationCue Script>", "exec"), namespace)  # the user's own code
        self._functions = namespace
        self._clock, self._cue_time = scene_span[0], 0.0
        self._call("start_cue")

    def tick(self, scene_span: tuple[float, float], clock: float) -> None:
        """Run ``tick`` if the scene's time is within the cue."""
        start, end = self._span(scene_span)
        if not start <= clock <= end:
            return
        previous = self._cue_time
        self._clock = clock
        self._cue_time = (clock - start) / (end - start) if self.TimeMode == "Normalized" and end > start else clock
        self._delta = self._cue_time - previous
        self._call("tick")

    def end(self) -> None:
        self._call("end_cue")


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
        times = self.frame_times()
        now = self._time
        found = [t for t in times if t > now] if later else [t for t in times if t < now]
        if found:
            self.AnimationTime = found[0] if later else found[-1]

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
        """Show each of ``times`` in turn, ticking the cues, and call ``after_each(frame index)`` after each."""
        span = self._span(self.TimeKeeper.TimestepValues)
        cues = self._python_cues()
        for cue in cues:
            cue.start(span)
        try:
            for index, now in enumerate(times, start=first_index):
                self.AnimationTime = now
                for cue in cues:
                    cue.tick(span, now)
                after_each(index)
        finally:
            for cue in cues:
                cue.end()

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
