"""Time and animation on the built-in session: the time keeper collects every proxy's time steps, the temporal
filters give what VTK's own classes give in this process, the scene steps the views through time, SaveAnimation
writes the frames, and a PythonAnimationCue's functions run at every frame."""

from __future__ import annotations

import time

import numpy as np
import pytest
from rendering_checks import foreground, make_view, pixels
from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
from vtkmodules.vtkFiltersExtraction import vtkExtractTimeSteps
from vtkmodules.vtkFiltersGeneral import vtkTimeSourceExample
from vtkmodules.vtkFiltersHybrid import vtkForceTime, vtkTemporalShiftScale

from pvcore.errors import PVError
from pvserver.pipeline.executor import RankExecutor
from pvserver.rendering.imaging import decode_image

pytestmark = pytest.mark.timeout(120)

STEPS = [i / 9 for i in range(10)]  # vtkTimeSourceExample's


def vtk_time_source(x_amplitude: float = 0.0, growing: int = 0) -> vtkTimeSourceExample:
    source = vtkTimeSourceExample()
    source.SetXAmplitude(x_amplitude)
    source.SetGrowing(growing)
    return source


def fed_by(algorithm, source: vtkTimeSourceExample):
    """``algorithm`` with ``source`` as its input, kept alive by it (VTK's connection does not own its producer)."""
    algorithm.SetInputConnection(source.GetOutputPort())
    algorithm.source = source
    return algorithm


def vtk_time_steps(algorithm) -> list[float]:
    algorithm.UpdateInformation()
    return list(algorithm.GetOutputInformation(0).Get(Sddp.TIME_STEPS()))


def vtk_at(algorithm, time: float):
    algorithm.UpdateTimeStep(time)
    return algorithm.GetOutputDataObject(0)


# ------------------------------------------------------------------------------------------ time keeper


def test_the_time_keeper_collects_every_sources_and_filters_time_steps(simple) -> None:
    source = simple.TimeSource()
    sphere = simple.Sphere()
    assert simple.GetTimeKeeper().TimestepValues == pytest.approx(STEPS)
    generated = simple.GenerateTimeSteps(Input=sphere, TimeStepValues=[2.0, 5.0, 3.5])
    simple.Shrink(Input=generated)  # downstream of a temporal filter: the same steps
    assert generated.GetDataInformation().info.time_steps == [2.0, 3.5, 5.0]
    assert simple.GetTimeKeeper().TimestepValues == pytest.approx(sorted({*STEPS, 2.0, 3.5, 5.0}))
    assert simple.GetTimeKeeper().TimeRange == [0.0, 5.0]
    simple.GetTimeKeeper().SuppressedTimeSources = [source]
    assert simple.GetTimeKeeper().TimestepValues == [2.0, 3.5, 5.0]
    assert sphere.GetDataInformation().info.time_steps == []  # static data has none


# ------------------------------------------------------------------------------------------ temporal filters


def test_extract_time_steps_keeps_the_steps_vtk_keeps(simple) -> None:
    source = simple.TimeSource(XAmplitude=1.0)
    by_index = simple.ExtractTimeSteps(Input=source, TimeStepIndices=[1, 3, 6])
    reference = fed_by(vtkExtractTimeSteps(), vtk_time_source(1.0))
    for index in (1, 3, 6):
        reference.AddTimeStepIndex(index)
    assert by_index.GetDataInformation().info.time_steps == pytest.approx(vtk_time_steps(reference))
    # a time between the kept steps shows the nearest kept one, as in VTK
    by_index.UpdatePipeline(0.45)
    assert by_index.GetDataInformation().GetBounds() == pytest.approx(vtk_at(reference, 0.45).GetBounds())
    by_range = simple.ExtractTimeSteps(
        Input=source, SelectionMode="Select Time Range", TimeStepRange=[2, 8], TimeStepInterval=3
    )
    assert by_range.GetDataInformation().info.time_steps == pytest.approx([STEPS[2], STEPS[5], STEPS[8]])
    assert by_index.ApproximationMode == "Nearest Time Step"
    assert simple.ExtractTimeSteps(Input=source).TimeStepRange == [0, 9]  # all the input's steps, as ParaView


def test_temporal_shift_scale_moves_the_times_as_vtk(simple) -> None:
    source = simple.TimeSource(XAmplitude=1.0)
    shifted = simple.TemporalShiftScale(Input=source, PreShift=1.0, Scale=10.0, PostShift=-2.0)
    reference = fed_by(vtkTemporalShiftScale(), vtk_time_source(1.0))
    reference.SetPreShift(1.0)
    reference.SetScale(10.0)
    reference.SetPostShift(-2.0)
    assert shifted.GetDataInformation().info.time_steps == pytest.approx(vtk_time_steps(reference))
    assert shifted.GetDataInformation().info.time_steps[0] == pytest.approx(8.0)
    shifted.UpdatePipeline(11.0)  # input time 0.3: the data moved with it
    expected = vtk_at(reference, 11.0)
    info = shifted.GetDataInformation()
    assert info.GetBounds() == pytest.approx(expected.GetBounds())
    assert info.PointData["Point Value"].GetRange() == pytest.approx(expected.GetPointData().GetArray(0).GetRange())


def test_force_time_shows_the_forced_time_whatever_the_pipeline_time(simple) -> None:
    source = simple.TimeSource(XAmplitude=1.0, Growing=1)
    forced = simple.ForceTime(Input=source, ForcedTime=0.5)
    assert (forced.IgnorePipelineTime, forced.ForcedTime) == (1, 0.5)
    assert simple.GetTimeKeeper().TimestepValues == pytest.approx(STEPS)  # the forced time is not a time step
    reference = fed_by(vtkForceTime(), vtk_time_source(1.0, 1))
    reference.SetForcedTime(0.5)
    reference.SetIgnorePipelineTime(1)
    expected = vtk_at(reference, 0.9)
    forced.UpdatePipeline(0.9)
    info = forced.GetDataInformation()
    assert info.GetNumberOfCells() == expected.GetNumberOfCells()
    assert info.GetBounds() == pytest.approx(expected.GetBounds())
    forced.IgnorePipelineTime = 0
    forced.UpdatePipeline(STEPS[3])
    assert forced.GetDataInformation().GetBounds() == pytest.approx(
        vtk_at(vtk_time_source(1.0, 1), STEPS[3]).GetBounds()
    )


# ------------------------------------------------------------------------------------------ the scene


def test_the_scene_follows_paraview_defaults_and_steps_the_views(simple) -> None:
    source = simple.TimeSource()
    view = make_view(simple)
    scene = simple.GetAnimationScene()
    assert scene is simple.GetAnimationScene()
    assert (scene.PlayMode, scene.NumberOfFrames, scene.StartTime, scene.EndTime) == ("Sequence", 10, 0.0, 1.0)
    assert len(scene.frame_times()) == 10
    scene.UpdateAnimationUsingDataTimeSteps()
    assert scene.PlayMode == "Snap To TimeSteps"
    assert scene.frame_times() == pytest.approx(STEPS)
    scene.GoToFirst()
    scene.GoToNext()
    scene.GoToNext()
    assert view.ViewTime == pytest.approx(STEPS[2]) and scene.AnimationTime == pytest.approx(STEPS[2])
    assert simple.GetTimeKeeper().Time == pytest.approx(STEPS[2])
    assert source.GetDataInformation().GetNumberOfCells() == 1
    scene.GoToLast()
    scene.GoToPrevious()
    assert view.ViewTime == pytest.approx(STEPS[8])
    scene.PlayMode = "Sequence"
    scene.NumberOfFrames = 5
    scene.GoToFirst()
    scene.GoToNext()
    assert view.ViewTime == pytest.approx(0.25)
    scene.PlayMode = "Real Time"
    scene.Duration = 2
    assert len(scene.frame_times(frame_rate=3)) == 7
    with pytest.raises(PVError, match="Snap To TimeSteps"):
        scene.PlayMode = "Snap"
    scene.EndTime = 0.5  # set: no longer the time keeper's
    assert scene.EndTime == 0.5


def test_annotate_time_shows_the_scenes_time(simple, monkeypatch) -> None:
    # A table stamped with a time does not survive VTK's XML table writer (Fetch), so the strings are read from
    # the server's output, as each update returns it.
    outputs: dict[str, object] = {}
    original = RankExecutor.update

    def spy(self, global_id, *args, **kwargs):
        data = original(self, global_id, *args, **kwargs)
        outputs[self.object(global_id).name] = data
        return data

    monkeypatch.setattr(RankExecutor, "update", spy)
    simple.TimeSource()
    annotation = simple.AnnotateTime(Format="Time: {time:.3f}", registrationName="clock")
    view = make_view(simple)
    simple.Show(annotation, view)
    scene = simple.GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    for index in (3, 7):
        scene.AnimationTime = STEPS[index]
        outputs.clear()
        simple.Render(view)  # the view updates it at its ViewTime, the scene's
        assert outputs["clock"].GetColumnByName("Text").GetValue(0) == f"Time: {STEPS[index]:.3f}"
    scene.GoToFirst()
    annotation.UpdatePipeline()  # an update that names no time: the scene's, too
    assert outputs["clock"].GetColumnByName("Text").GetValue(0) == "Time: 0.000"


def test_the_time_track_drives_the_views(simple) -> None:
    simple.TimeSource()
    view = make_view(simple)
    scene = simple.GetAnimationScene()
    scene.AnimationTime = 0.5
    assert view.ViewTime == 0.5
    simple.GetTimeTrack().Enabled = 0
    scene.AnimationTime = 0.75
    assert (scene.AnimationTime, view.ViewTime) == (0.75, 0.5)
    simple.GetTimeTrack().Enabled = 1
    scene.Cues = []  # as ParaView's scripts clear them: the time track goes too
    scene.AnimationTime = 0.25
    assert view.ViewTime == 0.5


# ------------------------------------------------------------------------------------------ SaveAnimation


def moving_scene(simple):
    """A growing, moving TimeSource shown in a fixed view; the scene snaps to its steps."""
    source = simple.TimeSource(XAmplitude=1.0, Growing=1)
    view = make_view(simple, 120, 90, CameraPosition=[0.5, 4.0, 12.0], CameraFocalPoint=[0.5, 4.0, 0.0])
    view.CameraInitialized = 1
    simple.Show(source, view)
    scene = simple.GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    return view, scene


def test_save_animation_writes_the_frames_of_the_window(simple, tmp_path) -> None:
    view, scene = moving_scene(simple)
    assert simple.SaveAnimation(str(tmp_path / "movie.png"), view, FrameWindow=[2, 4], ImageResolution=[120, 90])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["movie.0002.png", "movie.0003.png", "movie.0004.png"]
    saved = [decode_image((tmp_path / f"movie.000{i}.png").read_bytes()).astype(np.int32) for i in (2, 3, 4)]
    assert view.ViewTime == pytest.approx(STEPS[4])
    for index, image in zip((2, 3, 4), saved, strict=True):
        view.ViewTime = STEPS[index]
        assert np.array_equal(image, pixels(view)), f"frame {index}"
    assert foreground(saved[0]).sum() != foreground(saved[2]).sum()  # the data really moved
    scene.PlayMode = "Sequence"
    scene.NumberOfFrames = 3
    simple.SaveAnimation(str(tmp_path / "seq.jpg"), SuffixFormat="_%d")
    assert {p.name for p in tmp_path.glob("seq*")} == {"seq_0.jpg", "seq_1.jpg", "seq_2.jpg"}


def test_save_animation_refuses_what_it_does_not_know(simple, tmp_path) -> None:
    moving_scene(simple)
    with pytest.raises(PVError, match=r"no option 'Bogus'.*FrameWindow.*ImageResolution"):
        simple.SaveAnimation(str(tmp_path / "a.png"), Bogus=1)
    with pytest.raises(PVError, match=r"\.png, \.jpg, \.jpeg, \.ogv"):
        simple.SaveAnimation(str(tmp_path / "a.avi"))
    with pytest.raises(PVError, match="FrameWindow"):
        simple.SaveAnimation(str(tmp_path / "a.png"), FrameWindow=[30, 40])
    with pytest.raises(PVError, match="FrameWindow"):
        simple.SaveAnimation(str(tmp_path / "a.png"), FrameWindow=[1.5, 2])
    assert list(tmp_path.iterdir()) == []
    simple.SaveAnimation(str(tmp_path / "a.png"), FrameWindow=[8, 40])  # clamped to the frames, as ParaView
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.0008.png", "a.0009.png"]


def test_save_animation_writes_an_ogg_theora_video(simple, tmp_path) -> None:
    moving_scene(simple)
    path = tmp_path / "movie.ogv"
    simple.SaveAnimation(str(path), ImageResolution=[64, 48], FrameRate=5, FrameWindow=[0, 3])
    assert path.read_bytes()[:4] == b"OggS" and path.stat().st_size > 1000


# ------------------------------------------------------------------------------------------ Python cues

CUE_SCRIPT = """
from simple import GetActiveSource

def start_cue(self):
    self.log = ["start"]

def tick(self):
    self.log.append((round(self.GetAnimationTime(), 6), round(self.GetClockTime(), 6)))
    GetActiveSource().StartTheta = 180 * self.GetAnimationTime()

def end_cue(self):
    self.log.append("end")
"""


def test_a_python_cue_runs_at_every_frame_of_play(simple) -> None:
    sphere = simple.Sphere()
    simple.Show(sphere, make_view(simple))
    scene = simple.GetAnimationScene()
    cue = simple.PythonAnimationCue(Script=CUE_SCRIPT)
    scene.Cues.append(cue)
    scene.NumberOfFrames = 5
    scene.Play()
    quarter = [(t, t) for t in (0.0, 0.25, 0.5, 0.75, 1.0)]
    assert cue.log == ["start", *quarter, "end"]
    assert sphere.StartTheta == 180.0
    cue.StartTime, cue.EndTime = 0.5, 1.0  # the second half of the scene: ParaView's times stay the scene's
    scene.Play()
    assert cue.log == ["start", (0.5, 0.5), (0.75, 0.75), (1.0, 1.0), "end"]
    scene.Cues.remove(cue)
    scene.Play()
    assert cue.log[-1] == "end" and len(cue.log) == 5  # not run again
    with pytest.raises(PVError, match="Script, StartTime"):
        simple.PythonAnimationCue(Scrpt="")


def test_real_time_play_follows_the_clock(simple) -> None:
    simple.Show(simple.Sphere(), make_view(simple, 60, 40))
    scene = simple.GetAnimationScene()
    scene.PlayMode, scene.Duration = "Real Time", 0.3
    cue = simple.PythonAnimationCue(Script=CUE_SCRIPT)
    scene.Cues.append(cue)
    began = time.monotonic()
    scene.Play()
    assert time.monotonic() - began >= 0.3
    ticks = [clock for _, clock in cue.log[1:-1]]
    assert cue.log[0] == "start" and cue.log[-1] == "end" and ticks[-1] == 1.0
    assert ticks == sorted(ticks) and len(ticks) >= 2


def test_delete_takes_a_python_cue_out_of_the_scene(simple) -> None:
    cue = simple.PythonAnimationCue()
    scene = simple.GetAnimationScene()
    scene.Cues.append(cue)
    simple.Delete(cue)  # as ParaView's PythonAnimationTrack.py does
    assert cue not in scene.Cues
    with pytest.raises(PVError, match="Delete takes a proxy"):
        simple.Delete(3)
