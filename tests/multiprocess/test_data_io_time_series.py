"""File series as time series on real servers: each step's data, information, Fetch, SaveData and picture, on
1 and 2 ranks, and the animation scene moving the data without a view.

Every dataset is small and written by the tests themselves with VTK (tests/data_io_datasets.py) into the data
directory of the module's servers (``--data-dir``, ``--multi-clients``: tests/multiprocess/conftest.py).
The built-in session has no data directory: it is given absolute paths.
"""

from __future__ import annotations

import pytest
from data_io_checks import assert_same_image, connect, fixed_view, foreground, pixels, read_local
from data_io_datasets import SERIES_RADII, SERIES_RESOLUTIONS, sphere_with_elevation

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]


def series_cells() -> list[int]:
    return [
        sphere_with_elevation(r, r, radius).GetNumberOfCells()
        for r, radius in zip(SERIES_RESOLUTIONS, SERIES_RADII, strict=True)
    ]


@pytest.mark.parametrize("ranks", [1, 2])
def test_file_series_is_a_time_series(simple_state, data_server2, data_dir, data_files, ranks: int) -> None:
    path = connect(simple_state, data_server2 if ranks == 2 else None, data_dir)
    cells = series_cells()
    assert len(set(cells)) == len(cells)
    reader = simple_state.OpenDataFile(path("ball_0.vtp"))
    assert reader.TimestepValues == [0.0, 1.0, 2.0, 3.0]
    assert simple_state.GetTimeKeeper().TimestepValues == [0.0, 1.0, 2.0, 3.0]
    for t in (2, 0, 3, 1):  # forwards and backwards
        reader.UpdatePipeline(t)
        info = reader.GetDataInformation()
        assert info.GetNumberOfCells() == cells[t], f"after UpdatePipeline({t}): the information of another step"
        assert info.GetBounds()[5] == pytest.approx(SERIES_RADII[t])  # the sphere's pole
    # A filter downstream sees the same step as the time it is updated at.
    shrink = simple_state.Shrink(Input=reader)
    shrink.UpdatePipeline(2.0)
    assert shrink.GetDataInformation().GetNumberOfCells() == cells[2]
    # Information, Fetch and SaveData see the step last updated, upstream and downstream alike.
    reader.UpdatePipeline(1)
    assert shrink.GetDataInformation().GetNumberOfCells() == cells[1], "the filter kept the step before"
    assert reader.GetDataInformation().GetNumberOfCells() == cells[1]
    reader.UpdatePipeline(2.6)  # between steps: the last step at or before that time, as ParaView's series reader
    assert reader.GetDataInformation().GetNumberOfCells() == cells[2]
    assert simple_state.Fetch(shrink).GetNumberOfCells() == cells[2]
    shrink.UpdatePipeline(3)
    simple_state.SaveData(path(f"ball_at_3_{ranks}.vtp"), reader)
    assert read_local(data_dir / f"ball_at_3_{ranks}.vtp").GetNumberOfCells() == cells[3]

    references = []
    for step in range(4):  # each step read alone, as a single file, in a view of its own
        view = fixed_view(simple_state, (0.0, 0.0, 3.0))
        simple_state.Show(simple_state.OpenDataFile(path(f"ballstep{step}.vtp")), view)
        references.append(pixels(view))
    coverage = [foreground(image).mean() for image in references]
    assert coverage == sorted(coverage) and coverage[0] > 0.01, coverage  # the steps really look different

    view = fixed_view(simple_state, (0.0, 0.0, 3.0))
    simple_state.Show(reader, view)
    scene = simple_state.GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    scene.GoToFirst()
    for expected_step, move in ((0, None), (1, scene.GoToNext), (2, scene.GoToNext), (3, scene.GoToLast)):
        if move is not None:
            move()
        assert view.ViewTime == expected_step
        simple_state.Render(view)
        assert_same_image(references[expected_step], pixels(view), f"time {expected_step} on {ranks} rank(s)")
    assert reader.GetDataInformation().GetNumberOfCells() == cells[3]  # what the view last updated


def test_the_animation_scene_moves_the_data_without_a_view(simple_state, data_server2, data_dir, data_files) -> None:
    """As ParaView's animation ticks do, stepping the scene brings the readers (and what follows them) to the
    new time at once: data information follows without a render, and without any view at all."""
    path = connect(simple_state, data_server2, data_dir)
    cells = series_cells()
    reader = simple_state.OpenDataFile(path("ball_0.vtp"))
    shrink = simple_state.Shrink(Input=reader)
    scene = simple_state.GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    scene.GoToLast()
    assert scene.AnimationTime == 3.0
    assert reader.GetDataInformation().GetNumberOfCells() == cells[3]
    assert shrink.GetDataInformation().GetNumberOfCells() == cells[3]
    scene.GoToPrevious()
    assert scene.AnimationTime == 2.0
    assert shrink.GetDataInformation().GetNumberOfCells() == cells[2]
