"""Batch planning (pvserver.batches), the one path of every change: who may make it, and which paths it checks."""

from __future__ import annotations

import pytest

from pvcore import messages
from pvcore.definitions import bundled_definitions
from pvcore.definitions.builders import Source, Strings
from pvcore.schema import Catalogue
from pvserver.batches import is_camera_only, plan_batch
from pvserver.pipeline import catalogue
from pvserver.session import Session


def test_only_a_views_camera_moves_without_the_master(session: Session) -> None:
    sphere = session.plan_create("sources", "Sphere", {})
    session.commit(sphere)
    view = session.plan_create("views", "RenderView", {})
    session.commit(view)
    sphere_id, view_id = sphere.states[-1].global_id, view.states[-1].global_id
    assert is_camera_only(messages.UpdateProxy(view_id, {"CameraPosition": (1.0, 2.0, 3.0)}), session.states)
    assert not is_camera_only(messages.UpdateProxy(view_id, {"ViewSize": (10, 10)}), session.states)
    # a property that only looks like a camera's, on a proxy that is no view, is shared state: the master's
    assert not is_camera_only(messages.UpdateProxy(sphere_id, {"CameraPosition": (1.0, 2.0, 3.0)}), session.states)


def test_every_file_path_property_is_checked_whatever_its_type(session: Session, monkeypatch) -> None:
    """Not a rule for one reader's FileName: a plugin's reader property marked file_path goes through the check."""
    reader = Source("PluginReader", "vtkPolyDataReader", "A reader.", Strings("Path", file_path=True))
    monkeypatch.setattr(catalogue, "CATALOGUE", Catalogue((*bundled_definitions(), reader)))
    checked: list[tuple] = []

    def files(names: tuple) -> tuple:
        checked.append(names)
        if any(".." in name for name in names):
            raise PermissionError("outside the data directory")
        return tuple(f"/data/{name}" for name in names)

    plan = plan_batch(session, [messages.CreateProxy("sources", "PluginReader", "", {"Path": ("a.vtk",)})], None, files)
    assert checked == [("a.vtk",)] and plan.delta.states[-1].properties["Path"] == ("/data/a.vtk",)
    session.commit(plan.delta)
    update = messages.UpdateProxy(plan.delta.states[-1].global_id, {"Path": ("../../etc/passwd",)})
    with pytest.raises(PermissionError):
        plan_batch(session, [update], None, files)
