"""Rendering on the built-in session: views, their cameras, resetting the camera to the data.

Every check looks at pixels (decoded with ``pvserver.rendering.imaging.decode_image``) or at numbers computed by
VTK called directly, so that it fails when the feature breaks, not only when an exception is raised.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from rendering_checks import BLACK, changed, foreground, make_view, pixels, sphere_scene

from pvserver.pipeline.executor import RankExecutor

pytestmark = pytest.mark.timeout(60)


def vtk_camera(state: dict):
    from vtkmodules.vtkRenderingCore import vtkCamera

    cam = vtkCamera()
    cam.SetPosition(*state["CameraPosition"])
    cam.SetFocalPoint(*state["CameraFocalPoint"])
    cam.SetViewUp(*state["CameraViewUp"])
    cam.SetViewAngle(state["CameraViewAngle"])
    return cam


def camera_of(view) -> dict:
    return {
        "CameraPosition": tuple(view.CameraPosition),
        "CameraFocalPoint": tuple(view.CameraFocalPoint),
        "CameraViewUp": tuple(view.CameraViewUp),
        "CameraViewAngle": float(view.CameraViewAngle),
    }


def effective_view_up(state: dict) -> tuple:
    """The view-up a render really uses: the stored one orthogonalised against the view direction."""
    cam = vtk_camera(state)
    cam.OrthogonalizeViewUp()
    return cam.GetViewUp()


# ------------------------------------------------------------------------------------------ views and cameras


def test_show_returns_the_representation_of_the_view(simple) -> None:
    sphere = simple.Sphere()
    view = make_view(simple)
    assert simple.GetActiveView() is view
    rep = simple.Show(sphere, view)
    assert rep in view.Representations
    assert rep.Input == sphere
    assert simple.GetDisplayProperties(sphere, view) == rep
    assert simple.Show(sphere, view) == rep  # showing again reuses the representation
    assert len(view.Representations) == 1


def test_first_render_resets_the_camera_to_the_data(simple) -> None:
    sphere = simple.Sphere(Center=[3.0, -2.0, 1.0], Radius=2.0)
    view = make_view(simple)
    simple.Show(sphere, view)
    assert not view.CameraInitialized
    before = camera_of(view)
    simple.Render(view)
    assert view.CameraInitialized
    bounds = sphere.GetDataInformation().GetBounds()
    center = np.array([(bounds[2 * i] + bounds[2 * i + 1]) / 2 for i in range(3)])
    assert view.CameraFocalPoint == pytest.approx(center, abs=1e-9)
    # vtkRenderer::ResetCamera: the same direction, at the distance that fits the bounding sphere in the angle
    radius = np.linalg.norm([bounds[1] - bounds[0], bounds[3] - bounds[2], bounds[5] - bounds[4]]) / 2
    direction = np.subtract(before["CameraPosition"], before["CameraFocalPoint"])
    direction /= np.linalg.norm(direction)
    expected = center + direction * radius / math.sin(math.radians(before["CameraViewAngle"]) / 2)
    assert view.CameraPosition == pytest.approx(expected, abs=1e-6)
    image = pixels(view)
    assert 0.1 < foreground(image, BLACK).mean() < 0.9
    # later renders keep the camera the user set
    view.CameraPosition = [3.0, -2.0, 40.0]
    simple.Render(view)
    assert view.CameraPosition == pytest.approx([3.0, -2.0, 40.0])


@pytest.mark.parametrize("size", [(320, 200), (200, 320)], ids=["wide", "tall"])
def test_reset_camera_fits_the_bounds(simple, size) -> None:
    box = simple.Box(XLength=2.0, YLength=1.0, ZLength=1.0, Center=[10.0, 0.0, 0.0])
    view = make_view(simple, *size)
    simple.Show(box, view)
    view.CameraPosition = [50.0, 30.0, 80.0]
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraInitialized = 1
    direction = np.array([50.0, 30.0, 80.0]) / np.linalg.norm([50.0, 30.0, 80.0])
    simple.ResetCamera(view)
    assert view.CameraFocalPoint == pytest.approx([10.0, 0.0, 0.0])
    new_direction = np.subtract(view.CameraPosition, view.CameraFocalPoint)
    assert new_direction / np.linalg.norm(new_direction) == pytest.approx(direction)  # the direction is kept
    mask = foreground(pixels(view), BLACK)
    assert mask.mean() > 0.05, "the box is not in the picture"
    border = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]])
    assert not border.any(), f"the box touches the border of a {size[0]} x {size[1]} view: it is cut off"


def union_of(sources) -> list[float]:
    """The union of the sources' bounds, as their data information reports them."""
    boxes = [s.GetDataInformation().GetBounds() for s in sources]
    return [f(b[i] for b in boxes) for i, f in enumerate([min, max] * 3)]


def several_shown(simple, view):
    """Three sources far apart shown in ``view``, and a fourth shown then hidden; returns the visible three."""
    visible = [
        simple.Sphere(Center=[-4.0, 0.0, 0.0], Radius=1.0),
        simple.Box(Center=[3.0, 2.0, -1.0], XLength=2.0, YLength=3.0, ZLength=1.0),
        simple.Sphere(Center=[0.0, -5.0, 2.0], Radius=0.5),
    ]
    hidden = simple.Sphere(Center=[100.0, 100.0, 100.0])
    for source in [*visible, hidden]:
        simple.Show(source, view)
    simple.Hide(hidden, view)
    return visible


def test_reset_camera_fits_every_visible_representation(simple) -> None:
    """The focal point is the centre of the union of the visible representations' bounds (a hidden one does not
    count), at the distance that fits that box's bounding sphere in the view angle."""
    view = make_view(simple)
    visible = several_shown(simple, view)
    view.CameraPosition = [1.0, 2.0, 30.0]
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraInitialized = 1
    simple.ResetCamera(view)
    union = union_of(visible)
    center = np.array([(union[2 * i] + union[2 * i + 1]) / 2 for i in range(3)])
    assert view.CameraFocalPoint == pytest.approx(center, abs=1e-9)
    radius = np.linalg.norm([union[1] - union[0], union[3] - union[2], union[5] - union[4]]) / 2
    distance = np.linalg.norm(np.subtract(view.CameraPosition, view.CameraFocalPoint))
    assert distance == pytest.approx(radius / math.sin(math.radians(float(view.CameraViewAngle)) / 2))
    direction = np.subtract(view.CameraPosition, view.CameraFocalPoint) / distance
    assert direction == pytest.approx(np.array([1.0, 2.0, 30.0]) / np.linalg.norm([1.0, 2.0, 30.0]))


def test_reset_camera_is_one_collective_for_all_representations(simple, monkeypatch) -> None:
    view = make_view(simple)
    several_shown(simple, view)
    simple.Render(view)  # every pipeline up to date
    ran: list[str] = []
    original = RankExecutor.run

    def spy(self, command):
        ran.append(type(command).__name__)
        return original(self, command)

    monkeypatch.setattr(RankExecutor, "run", spy)
    simple.ResetCamera(view)
    assert len(ran) == 1, f"one ResetCamera ran {ran} on the ranks"


def test_camera_calls_change_the_view_as_vtk_camera_does(simple) -> None:
    _, view, _ = sphere_scene(simple)
    view.CameraPosition = [1.0, 2.0, 5.0]
    view.CameraFocalPoint = [0.2, -0.3, 0.1]
    view.CameraViewUp = [0.0, 1.0, 0.0]  # not orthogonal to the direction, as after a user's SetViewUp
    cam = simple.GetActiveCamera()
    reference = vtk_camera(camera_of(view))
    first = pixels(view)
    for method, arg in [("Azimuth", 30.0), ("Elevation", 20.0), ("Roll", 15.0), ("Zoom", 1.5), ("Dolly", 1.3)]:
        getattr(cam, method)(arg)
        getattr(reference, method)(arg)
        state = camera_of(view)
        assert state["CameraPosition"] == pytest.approx(reference.GetPosition(), abs=1e-9), method
        assert state["CameraFocalPoint"] == pytest.approx(reference.GetFocalPoint(), abs=1e-9), method
        assert effective_view_up(state) == pytest.approx(effective_view_up(camera_of_vtk(reference)), abs=1e-9), method
        assert state["CameraViewAngle"] == pytest.approx(reference.GetViewAngle()), method
    assert changed(first, pixels(view)).mean() > 0.02  # and the picture follows the camera


def camera_of_vtk(cam) -> dict:
    return {
        "CameraPosition": cam.GetPosition(),
        "CameraFocalPoint": cam.GetFocalPoint(),
        "CameraViewUp": cam.GetViewUp(),
        "CameraViewAngle": cam.GetViewAngle(),
    }


def test_elevation_moves_the_camera_towards_the_view_up(simple) -> None:
    _, view, _ = sphere_scene(simple)
    view.CameraPosition = [0.0, 0.0, 5.0]
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    simple.GetActiveCamera().Elevation(30.0)
    assert view.CameraPosition[1] > 0, "Elevation(+30) must look at the data from above, as vtkCamera does"
    assert view.CameraPosition == pytest.approx(
        [0.0, 5.0 * math.sin(math.radians(30)), 5.0 * math.cos(math.radians(30))]
    )
