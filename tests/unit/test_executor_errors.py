"""What VTK reports goes to the right place: a pipeline update's own errors to its caller, anything else to the log."""

from __future__ import annotations

import logging

import pytest

from pvserver import commands
from pvserver.parallel import SerialComm
from pvserver.pipeline.executor import RankExecutor
from pvserver.session import Session


@pytest.fixture
def sphere() -> tuple[RankExecutor, int]:
    """One rank's executor holding a Sphere, and the Sphere's id."""
    executor = RankExecutor(SerialComm())
    session = Session()
    delta = session.plan_create("sources", "Sphere", {}, "", None)
    assert executor.run(commands.ApplyDelta(delta)).ok
    session.commit(delta)
    return executor, delta.states[-1].global_id


def test_an_error_outside_an_update_is_logged_not_blamed_on_the_next_update(sphere, caplog) -> None:
    """An error VTK reports while drawing (here: reported before the command) must not fail the next update,
    which may be another client's."""
    from vtkmodules.vtkCommonCore import vtkOutputWindow

    executor, sphere_id = sphere
    vtkOutputWindow.GetInstance().DisplayErrorText("ERROR: In x.cxx, line 1\nvtkOpenGLTexture (0x1): no scalars")
    with caplog.at_level(logging.WARNING, logger="pvserver.pipeline.executor"):
        result = executor.run(commands.UpdatePipeline(sphere_id))
    assert result.ok, result.message
    assert "vtkOpenGLTexture: no scalars" in caplog.text


def test_an_update_still_reports_the_errors_raised_while_it_runs(sphere) -> None:
    from vtkmodules.vtkCommonCore import vtkOutputWindow

    executor, sphere_id = sphere
    algorithm = executor.object(sphere_id).algorithm
    algorithm.AddObserver(
        "StartEvent", lambda *_: vtkOutputWindow.GetInstance().DisplayErrorText("vtkSphereSource (0x2): broken")
    )
    algorithm.Modified()
    result = executor.run(commands.UpdatePipeline(sphere_id))
    assert not result.ok and result.error_kind == "PipelineError"
    assert "vtkSphereSource: broken" in result.message and "Sphere" in result.message
