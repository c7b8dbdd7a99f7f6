"""A PythonAnimationCue runs its start_cue/tick/end_cue as ParaView 5.11's vtkPythonAnimationCue does: on Play
over the frames, and afresh at one time on every GoToFirst/GoToNext/GoToPrevious/GoToLast or AnimationTime.

The expected lines are what ParaView 5.11's pvpython prints for the same script (Sphere, 5 frames, Sequence)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.timeout(60)

PRINTING_CUE = """
def start_cue(self):
    print("start", self.GetAnimationTime(), self.GetClockTime())

def tick(self):
    print("tick", round(self.GetAnimationTime(), 4), round(self.GetClockTime(), 4))

def end_cue(self):
    print("end")
"""


def printed(capsys) -> list[str]:
    return capsys.readouterr().out.split("\n")[:-1]


@pytest.fixture
def scene_and_cue(simple):
    simple.Sphere()
    scene = simple.GetAnimationScene()
    scene.NumberOfFrames = 5
    cue = simple.PythonAnimationCue(Script=PRINTING_CUE)
    scene.Cues.append(cue)
    return scene, cue


def test_play_starts_ticks_and_ends_the_cue_where_it_lies_in_the_scene(scene_and_cue, capsys) -> None:
    scene, cue = scene_and_cue
    scene.Play()
    ticks = [f"tick {t} {t}" for t in (0.0, 0.25, 0.5, 0.75, 1.0)]
    assert printed(capsys) == ["start 0.0 0.0", *ticks, "end"]
    cue.StartTime, cue.EndTime = 0.5, 1.0  # the times a tick sees stay the scene's normalized times
    scene.Play()
    assert printed(capsys) == ["start 0.0 0.0", "tick 0.5 0.5", "tick 0.75 0.75", "tick 1.0 1.0", "end"]


def test_going_to_a_time_runs_the_cue_afresh_there(scene_and_cue, capsys) -> None:
    scene, cue = scene_and_cue
    cue.StartTime = 0.5
    scene.GoToFirst()  # before the cue: nothing runs
    scene.GoToNext()
    assert printed(capsys) == []
    scene.GoToNext()
    scene.GoToNext()
    assert printed(capsys) == ["start 0.0 0.0", "tick 0.5 0.5", "start 0.0 0.0", "tick 0.75 0.75"]
    scene.GoToLast()  # the cue's end: it ends too
    assert printed(capsys) == ["start 0.0 0.0", "tick 1.0 1.0", "end"]
    scene.GoToPrevious()
    scene.AnimationTime = 0.8
    assert printed(capsys) == ["start 0.0 0.0", "tick 0.75 0.75", "start 0.0 0.0", "tick 0.8 0.8"]
    cue.Enabled = 0
    scene.GoToFirst()
    assert printed(capsys) == []


def test_paraviews_python_animation_track_prints_what_paraview_prints(simple, capsys) -> None:
    """Remoting/Application/Testing/Python/PythonAnimationTrack.py, with its tick: StartTheta follows the time."""
    sphere = simple.Sphere()
    scene = simple.GetAnimationScene()
    cue = simple.PythonAnimationCue()
    cue.Script = """
from simple import GetActiveSource

def start_cue(self):
    print("Start Cue")

def tick(self):
    GetActiveSource().StartTheta = 180 * self.GetAnimationTime()

def end_cue(self):
    print("end")
"""
    scene.Cues.append(cue)
    scene.Play()
    assert sphere.StartTheta == 180.0
    scene.GoToFirst()
    assert sphere.StartTheta == 0.0
    for _ in range(3):
        scene.GoToNext()
    assert sphere.StartTheta == pytest.approx(60.0)  # frame 3 of 10
    assert printed(capsys) == ["Start Cue", "end", *["Start Cue"] * 4]
    scene.Cues = []
    simple.Delete(cue)
    scene.GoToNext()
    assert printed(capsys) == []


def test_an_error_in_the_script_is_printed_and_the_animation_goes_on(scene_and_cue, capsys) -> None:
    scene, cue = scene_and_cue
    cue.Script = "def start_cue(self):\n    raise ValueError('boom')\n\ndef tick(self):\n    print('t')\n"
    scene.GoToFirst()
    captured = capsys.readouterr()
    assert captured.out == "t\n"
    assert "ValueError: boom" in captured.err and "line 2, in start_cue" in captured.err
    cue.Script = "def tick(self) oops"
    scene.GoToFirst()
    assert "SyntaxError" in capsys.readouterr().err
