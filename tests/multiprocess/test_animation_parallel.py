"""Time and animation on a 3-rank server: the time keeper and the temporal filters report the times the built-in
session reports, and an animation of a TimeSource-driven pipeline saves the same frames as there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rendering_checks import changed, foreground, make_view
from servers import ServerProcess

from pvserver.rendering.imaging import decode_image

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

SIZE = (120, 90)


def connect(simple, server: ServerProcess | None) -> None:
    if server is None:
        simple.Connect()
    else:
        simple.Connect(server.url)


def times_and_data(simple) -> dict[str, object]:
    """What the time keeper and the temporal filters report for a TimeSource pipeline."""
    source = simple.TimeSource(XAmplitude=1.0, Growing=1)
    extracted = simple.ExtractTimeSteps(Input=source, TimeStepIndices=[2, 4, 8])
    shifted = simple.TemporalShiftScale(Input=extracted, Scale=2.0, PostShift=1.0)
    forced = simple.ForceTime(Input=simple.Shrink(Input=source), ForcedTime=0.5)
    generated = simple.GenerateTimeSteps(Input=simple.Sphere(), TimeStepValues=[3.0, 4.0])
    scene = simple.GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    scene.AnimationTime = 3.0
    return {
        "keeper": simple.GetTimeKeeper().TimestepValues,
        "extracted": extracted.GetDataInformation().info.time_steps,
        "shifted": shifted.GetDataInformation().info.time_steps,
        "generated": generated.GetDataInformation().info.time_steps,
        "forced_cells": forced.GetDataInformation().GetNumberOfCells(),
        "forced_bounds": forced.GetDataInformation().GetBounds(),
        "shifted_bounds": shifted.GetDataInformation().GetBounds(),  # input time 1.0: step 8 (nearest kept)
    }


def saved_frames(simple, folder: Path) -> list[np.ndarray]:
    """A growing, moving TimeSource through a Shrink, in a fixed view; the animation's frames 1 to 5."""
    source = simple.TimeSource(XAmplitude=1.0, Growing=1)
    shrink = simple.Shrink(Input=source, ShrinkFactor=0.8)
    view = make_view(simple, *SIZE, CameraPosition=[0.5, 4.0, 12.0], CameraFocalPoint=[0.5, 4.0, 0.0])
    view.CameraInitialized = 1  # every session sees exactly this camera
    simple.Show(shrink, view)
    simple.GetAnimationScene().UpdateAnimationUsingDataTimeSteps()
    folder.mkdir()
    simple.SaveAnimation(str(folder / "frames.png"), view, FrameWindow=[1, 5], ImageResolution=list(SIZE))
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"frames.000{i}.png" for i in range(1, 6)]
    return [decode_image((folder / name).read_bytes()).astype(np.int32) for name in names]


def test_times_are_those_of_the_built_in_session(simple_state, server3) -> None:
    connect(simple_state, None)
    expected = times_and_data(simple_state)
    simple_state.Disconnect()
    connect(simple_state, server3)
    found = times_and_data(simple_state)
    for key, value in expected.items():
        assert found[key] == pytest.approx(value), key
    assert len(found["keeper"]) == 15 and found["generated"] == [3.0, 4.0]
    assert 0.5 not in found["keeper"]  # ForceTime's time is not a time step, as in ParaView


def test_an_animation_saves_the_same_frames_as_the_built_in_session(simple_state, server3, tmp_path) -> None:
    connect(simple_state, None)
    expected = saved_frames(simple_state, tmp_path / "builtin")
    simple_state.Disconnect()
    connect(simple_state, server3)
    found = saved_frames(simple_state, tmp_path / "ranks3")
    coverage = [int(foreground(image).sum()) for image in expected]
    assert len(set(coverage)) > 1 and min(coverage) > 50, coverage  # the frames really differ
    for index, (reference, image) in enumerate(zip(expected, found, strict=True), start=1):
        assert image.shape == reference.shape
        assert changed(reference, image).mean() < 0.01, f"frame {index}"
