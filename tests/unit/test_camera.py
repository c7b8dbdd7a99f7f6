"""Camera arithmetic (pvcore.camera) against vtkCamera and vtkRenderer called directly.

The view's camera lives in properties (CameraPosition, CameraFocalPoint, CameraViewUp, CameraViewAngle,
CameraParallelScale); the functions under test must change them exactly as the same call on a vtkCamera holding
the same values would. View-up vectors are compared as a render uses them (orthogonalised against the direction
of projection), since vtkCamera keeps a stored view-up that need not be orthogonal.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from pvcore import camera

pytestmark = pytest.mark.timeout(30)

STATES = {
    "front": {
        "CameraPosition": (0.0, 0.0, 6.69),
        "CameraFocalPoint": (0.0, 0.0, 0.0),
        "CameraViewUp": (0.0, 1.0, 0.0),
        "CameraViewAngle": (30.0,),
        "CameraParallelScale": (1.0,),
        "CameraParallelProjection": (0,),
    },
    "oblique": {  # a view-up that is not orthogonal to the direction, as after a user's SetViewUp
        "CameraPosition": (1.0, 2.0, 10.0),
        "CameraFocalPoint": (0.5, -1.0, 0.0),
        "CameraViewUp": (0.0, 1.0, 0.0),
        "CameraViewAngle": (30.0,),
        "CameraParallelScale": (2.5,),
        "CameraParallelProjection": (0,),
    },
    "tilted": {
        "CameraPosition": (-40.0, 25.0, -30.0),
        "CameraFocalPoint": (3.0, 4.0, 5.0),
        "CameraViewUp": (0.3, 0.8, -0.2),
        "CameraViewAngle": (45.0,),
        "CameraParallelScale": (10.0,),
        "CameraParallelProjection": (0,),
    },
}


def vtk_camera(state: dict):
    from vtkmodules.vtkRenderingCore import vtkCamera

    cam = vtkCamera()
    cam.SetPosition(*state["CameraPosition"])
    cam.SetFocalPoint(*state["CameraFocalPoint"])
    cam.SetViewUp(*state["CameraViewUp"])
    cam.SetViewAngle(state["CameraViewAngle"][0])
    cam.SetParallelScale(state["CameraParallelScale"][0])
    cam.SetParallelProjection(bool(state["CameraParallelProjection"][0]))
    return cam


def state_of(cam) -> dict:
    return {
        "CameraPosition": tuple(cam.GetPosition()),
        "CameraFocalPoint": tuple(cam.GetFocalPoint()),
        "CameraViewUp": tuple(cam.GetViewUp()),
        "CameraViewAngle": (cam.GetViewAngle(),),
        "CameraParallelScale": (cam.GetParallelScale(),),
        "CameraParallelProjection": (int(cam.GetParallelProjection()),),
    }


def unit(vector) -> np.ndarray:
    """vtkCamera stores its view-up normalised."""
    return np.asarray(vector, dtype=float) / np.linalg.norm(vector)


def effective_up(state: dict) -> tuple:
    cam = vtk_camera(state)
    cam.OrthogonalizeViewUp()
    return cam.GetViewUp()


def apply(state: dict, fn, *args) -> dict:
    """The state after ``fn``: the function returns only what it changes."""
    changes = fn(state, *args)
    assert set(changes) <= set(state)
    return {**state, **{k: tuple(float(x) for x in v) for k, v in changes.items()}}


def assert_same_camera(ours: dict, cam, what: str) -> None:
    vtk = state_of(cam)
    assert ours["CameraPosition"] == pytest.approx(vtk["CameraPosition"], abs=1e-9), f"{what}: position"
    assert ours["CameraFocalPoint"] == pytest.approx(vtk["CameraFocalPoint"], abs=1e-9), f"{what}: focal point"
    assert effective_up(ours) == pytest.approx(effective_up(vtk), abs=1e-9), f"{what}: view up"
    assert ours["CameraViewAngle"][0] == pytest.approx(vtk["CameraViewAngle"][0]), f"{what}: view angle"
    assert ours["CameraParallelScale"][0] == pytest.approx(vtk["CameraParallelScale"][0]), f"{what}: parallel scale"


# ------------------------------------------------------------------------------------------ one call


@pytest.mark.parametrize("name", list(STATES))
@pytest.mark.parametrize("degrees", [18.0, -35.0, 90.0, 360.0])
def test_azimuth_matches_vtk(name: str, degrees: float) -> None:
    state = STATES[name]
    cam = vtk_camera(state)
    cam.Azimuth(degrees)
    ours = apply(state, camera.azimuth, degrees)
    assert_same_camera(ours, cam, f"Azimuth({degrees})")
    assert unit(ours["CameraViewUp"]) == pytest.approx(cam.GetViewUp())  # Azimuth keeps the view-up


@pytest.mark.parametrize("name", list(STATES))
@pytest.mark.parametrize("degrees", [20.0, -35.0, 60.0])
def test_elevation_matches_vtk(name: str, degrees: float) -> None:
    state = STATES[name]
    cam = vtk_camera(state)
    cam.Elevation(degrees)
    assert_same_camera(apply(state, camera.elevation, degrees), cam, f"Elevation({degrees})")


def test_positive_elevation_looks_from_above() -> None:
    state = STATES["front"]
    ours = apply(state, camera.elevation, 30.0)
    distance = 6.69
    assert ours["CameraPosition"] == pytest.approx(
        (0.0, distance * math.sin(math.radians(30)), distance * math.cos(math.radians(30)))
    )


@pytest.mark.parametrize("name", list(STATES))
@pytest.mark.parametrize("degrees", [15.0, -90.0, 180.0])
def test_roll_matches_vtk(name: str, degrees: float) -> None:
    state = STATES[name]
    cam = vtk_camera(state)
    cam.Roll(degrees)
    ours = apply(state, camera.roll, degrees)
    assert_same_camera(ours, cam, f"Roll({degrees})")
    assert unit(ours["CameraViewUp"]) == pytest.approx(cam.GetViewUp(), abs=1e-9)


@pytest.mark.parametrize("name", list(STATES))
@pytest.mark.parametrize("factor", [1.5, 0.4, 1.0])
def test_dolly_matches_vtk(name: str, factor: float) -> None:
    state = STATES[name]
    cam = vtk_camera(state)
    cam.Dolly(factor)
    assert_same_camera(apply(state, camera.dolly, factor), cam, f"Dolly({factor})")


@pytest.mark.parametrize("name", list(STATES))
@pytest.mark.parametrize("factor", [1.5, 0.5, 1.0])
@pytest.mark.parametrize("parallel", [0, 1])
def test_zoom_matches_vtk(name: str, factor: float, parallel: int) -> None:
    state = {**STATES[name], "CameraParallelProjection": (parallel,)}
    cam = vtk_camera(state)
    cam.Zoom(factor)
    ours = apply(state, camera.zoom, factor)
    assert_same_camera(ours, cam, f"Zoom({factor})")
    changed = "CameraParallelScale" if parallel else "CameraViewAngle"
    assert ours[changed] != state[changed] or factor == 1.0


@pytest.mark.parametrize("fn", [camera.dolly, camera.zoom])
@pytest.mark.parametrize("factor", [0.0, -2.0])
def test_dolly_and_zoom_refuse_factors_that_are_not_positive(fn, factor: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        fn(STATES["front"], factor)


def test_a_sequence_of_calls_matches_vtk() -> None:
    state = STATES["oblique"]
    cam = vtk_camera(state)
    calls = [("Azimuth", camera.azimuth, 18.0)] * 5 + [
        ("Elevation", camera.elevation, 25.0),
        ("Roll", camera.roll, -10.0),
        ("Dolly", camera.dolly, 1.2),
        ("Zoom", camera.zoom, 1.3),
        ("Azimuth", camera.azimuth, -40.0),
        ("Elevation", camera.elevation, -15.0),
    ]
    for name, fn, arg in calls:
        getattr(cam, name)(arg)
        state = apply(state, fn, arg)
        assert_same_camera(state, cam, f"after {name}({arg})")


def test_orbit_of_twenty_azimuth_steps_comes_back() -> None:
    state = STATES["tilted"]
    for _ in range(20):
        state = apply(state, camera.azimuth, 18.0)
    assert state["CameraPosition"] == pytest.approx(STATES["tilted"]["CameraPosition"], abs=1e-9)


# ------------------------------------------------------------------------------------------ reset


def vtk_reset(state: dict, bounds) -> dict:
    """vtkRenderer::ResetCamera(bounds) on a renderer without a window (aspect 1).

    vtkRenderer::ResetCamera also sets the view angle back to 30 degrees, so the states compared here have 30.
    """
    from vtkmodules.vtkRenderingCore import vtkRenderer

    renderer = vtkRenderer()
    cam = vtk_camera(state)
    renderer.SetActiveCamera(cam)
    renderer.ResetCamera(*bounds)
    return state_of(cam)


BOUNDS = [
    (-1.0, 1.0, -1.0, 1.0, -1.0, 1.0),
    (-10.0, 10.0, -10.0, 10.0, -10.0, 10.0),
    (-1.0, 3.0, 0.0, 2.0, -5.0, 1.0),
    (100.0, 101.0, -3.0, -2.5, 7.0, 7.0),  # flat in z
]


@pytest.mark.parametrize("name", list(STATES))
@pytest.mark.parametrize("bounds", BOUNDS)
def test_reset_camera_matches_vtk_renderer(name: str, bounds) -> None:
    state = {**STATES[name], "CameraViewAngle": (30.0,)}
    vtk = vtk_reset(state, bounds)
    ours = apply(state, camera.reset_camera, bounds)
    assert ours["CameraFocalPoint"] == pytest.approx(vtk["CameraFocalPoint"], abs=1e-9)
    assert ours["CameraPosition"] == pytest.approx(vtk["CameraPosition"], abs=1e-9)
    assert ours["CameraParallelScale"][0] == pytest.approx(vtk["CameraParallelScale"][0])
    assert effective_up(ours) == pytest.approx(effective_up(vtk), abs=1e-9)


def test_reset_camera_of_a_single_point_uses_a_unit_sphere() -> None:
    state = STATES["front"]
    bounds = (2.0, 2.0, 3.0, 3.0, 4.0, 4.0)
    ours = apply(state, camera.reset_camera, bounds)
    vtk = vtk_reset(state, bounds)
    assert ours["CameraFocalPoint"] == pytest.approx((2.0, 3.0, 4.0))
    assert ours["CameraPosition"] == pytest.approx(vtk["CameraPosition"])
    assert ours["CameraParallelScale"][0] == pytest.approx(0.5)


def test_reset_camera_replaces_a_view_up_parallel_to_the_direction() -> None:
    state = {**STATES["front"], "CameraViewUp": (0.0, 0.0, 1.0)}  # along the direction of projection
    ours = apply(state, camera.reset_camera, BOUNDS[0])
    direction = np.subtract(ours["CameraPosition"], ours["CameraFocalPoint"])
    direction /= np.linalg.norm(direction)
    up = np.asarray(ours["CameraViewUp"])
    assert abs(float(np.dot(up / np.linalg.norm(up), direction))) < 0.5
    assert np.all(np.isfinite(effective_up(ours)))


def test_reset_keeps_the_direction_and_fits_the_bounding_sphere() -> None:
    state = STATES["tilted"]
    bounds = BOUNDS[2]
    ours = apply(state, camera.reset_camera, bounds)
    before = np.subtract(state["CameraPosition"], state["CameraFocalPoint"])
    after = np.subtract(ours["CameraPosition"], ours["CameraFocalPoint"])
    assert after / np.linalg.norm(after) == pytest.approx(before / np.linalg.norm(before))
    radius = np.linalg.norm(np.subtract(bounds[1::2], bounds[0::2])) / 2
    assert np.linalg.norm(after) == pytest.approx(radius / math.sin(math.radians(45.0) / 2))


@pytest.mark.parametrize("name", list(STATES))
def test_orthogonalize_view_up_matches_vtk(name: str) -> None:
    state = apply(STATES[name], camera.elevation, 40.0)
    cam = vtk_camera(state)
    cam.OrthogonalizeViewUp()
    ours = apply(state, camera.orthogonalize_view_up)
    assert ours["CameraViewUp"] == pytest.approx(cam.GetViewUp(), abs=1e-9)
