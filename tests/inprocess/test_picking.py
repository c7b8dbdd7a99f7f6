"""Picking on the built-in session: ``view.ConvertDisplayToPointOnSurface`` gives the world point (and normal) of
the surface drawn under a display position (pvserver.rendering.picking: the ray through it cast into what the
ranks draw, checked against the composited depth buffer).

The expected points are ParaView 5.11's for its PointPicking test (a Wavelet sliced at z = 3), and those of VTK's
vtkCellPicker (a ray cast through the same camera at the same display position) for a sphere, in perspective and
parallel projection; where nothing is drawn, ParaView's answer: the point on the focal plane and False. The
estimate from the depth buffer alone (for what a ray cannot hit: lines, points) is checked on a known plane.
"""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkRenderingCore import vtkActor, vtkCamera, vtkCellPicker, vtkPolyDataMapper, vtkRenderer

from pvclient.properties import NotSupportedException
from pvcore import messages
from pvcore.depth import DEPTH_FORMAT, PICK_FORMAT, DepthFrame, decode_depth_frame, encode_depth_frame
from pvcore.depth_points import point_on_surface
from pvcore.errors import RenderError

pytestmark = pytest.mark.timeout(60)


def _point_picking_scene(simple):
    wavelet = simple.Wavelet()
    simple.Show(wavelet)
    cut = simple.Slice(Input=wavelet)
    cut.SliceType.Origin = [0, 0, 3]
    cut.SliceType.Normal = [0, 0, 1]
    simple.Show(cut)
    view = simple.GetActiveView()
    view.ResetCamera()
    view.ViewSize = [400, 400]
    simple.Render()
    return view


def test_point_picking_finds_paraviews_points_on_the_slice(simple) -> None:
    view = _point_picking_scene(simple)
    first, first_normal, second, second_normal = [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]
    assert view.ConvertDisplayToPointOnSurface([100, 100], first, first_normal) is True
    assert view.ConvertDisplayToPointOnSurface([245, 215], second, second_normal)
    np.testing.assert_allclose(first, [-8.563830933033852, -8.563830933033852, 3.0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(second, [3.853723919865235, 1.284574639955077, 3.0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(first_normal, [0, 0, 1], atol=1e-3)  # the slice faces the camera
    np.testing.assert_allclose(second_normal, [0, 0, 1], atol=1e-3)


def _vtk_pick(view, display: tuple[int, int], rep=None) -> tuple[np.ndarray, np.ndarray] | None:
    """Where VTK's ray-casting cell picker hits the default sphere through the view's camera, and the normal there
    (the sphere's point normals interpolated, as ParaView's picking helper gives it)."""
    source = vtkSphereSource()
    mapper = vtkPolyDataMapper()
    mapper.SetInputConnection(source.GetOutputPort())
    actor = vtkActor()
    actor.SetMapper(mapper)
    if rep is not None:  # placed as the representation says
        actor.SetPosition(*rep.Position)
        actor.SetScale(*rep.Scale)
        actor.SetOrientation(*rep.Orientation)
    renderer = vtkRenderer()
    renderer.AddActor(actor)
    camera = vtkCamera()
    camera.SetPosition(*view.CameraPosition)
    camera.SetFocalPoint(*view.CameraFocalPoint)
    camera.SetViewUp(*view.CameraViewUp)
    camera.SetViewAngle(view.CameraViewAngle)
    camera.SetParallelProjection(int(view.CameraParallelProjection))
    camera.SetParallelScale(view.CameraParallelScale)
    renderer.SetActiveCamera(camera)
    from vtkmodules.vtkRenderingCore import vtkRenderWindow

    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.AddRenderer(renderer)
    window.SetSize(*view.ViewSize)
    renderer.ResetCameraClippingRange()
    picker = vtkCellPicker()
    picker.SetTolerance(0.0)
    if not picker.Pick(display[0], display[1], 0, renderer):
        return None
    return np.array(picker.GetPickPosition()), np.array(picker.GetPickNormal())


@pytest.mark.parametrize("parallel", [0, 1])
def test_picked_points_are_where_vtks_ray_cast_hits_the_sphere(simple, parallel: int) -> None:
    simple.Show(simple.Sphere())
    view = simple.GetActiveView()
    view.ViewSize = [300, 200]
    view.CameraParallelProjection = parallel
    view.ResetCamera()
    simple.GetActiveCamera().Azimuth(30)
    simple.Render()
    for display in [(140, 110), (120, 130), (180, 60), (200, 90)]:
        point, normal = [0.0] * 3, [0.0] * 3
        assert view.ConvertDisplayToPointOnSurface(list(display), point, normal)
        expected = _vtk_pick(view, display)
        assert expected is not None
        np.testing.assert_allclose(point, expected[0], atol=1e-9)
        np.testing.assert_allclose(normal, expected[1], atol=1e-6)


def test_a_placed_representation_is_picked_where_it_is_drawn(simple) -> None:
    rep = simple.Show(simple.Sphere())
    rep.Position, rep.Scale, rep.Orientation = [0.4, -0.2, 0.0], [1.0, 2.0, 1.0], [0.0, 0.0, 30.0]
    view = simple.GetActiveView()
    view.ViewSize = [200, 200]
    view.ResetCamera()
    simple.Render()
    for display in [(100, 100), (105, 125), (95, 75)]:
        point, normal = [0.0] * 3, [0.0] * 3
        assert view.ConvertDisplayToPointOnSurface(list(display), point, normal)
        expected = _vtk_pick(view, display, rep)
        assert expected is not None
        np.testing.assert_allclose(point, expected[0], atol=1e-9)
        np.testing.assert_allclose(normal, expected[1], atol=1e-6)


def test_nothing_drawn_gives_the_focal_plane_and_false(simple) -> None:
    simple.Show(simple.Sphere())
    view = simple.GetActiveView()
    view.ViewSize = [200, 200]
    simple.Render()
    point, normal = [9.0] * 3, [9.0] * 3
    assert view.ConvertDisplayToPointOnSurface([5, 5], point, normal) is False
    focal, position = np.asarray(view.CameraFocalPoint), np.asarray(view.CameraPosition)
    plane_normal = (position - focal) / np.linalg.norm(position - focal)
    np.testing.assert_allclose(normal, plane_normal, atol=1e-9)
    assert abs(np.dot(np.asarray(point) - focal, plane_normal)) < 1e-6  # on the plane through the focal point
    assert point[0] < focal[0] and point[1] < focal[1]  # towards the bottom left, where it was asked


def test_snapping_on_mesh_points_is_refused_and_positions_are_checked(simple) -> None:
    simple.Show(simple.Sphere())
    view = simple.GetActiveView()
    with pytest.raises(NotSupportedException, match="snapOnMeshPoint"):
        view.ConvertDisplayToPointOnSurface([10, 10], [0, 0, 0], [0, 0, 0], True)
    with pytest.raises(simple.PVError, match=r"\[x, y\]"):
        view.ConvertDisplayToPointOnSurface([10], [0, 0, 0], [0, 0, 0])


def test_the_depth_estimate_finds_a_plane_at_a_known_depth() -> None:
    """A plane facing the camera at z = 1 (the camera at z = 5 looking down -z), as its depth buffer holds it."""
    width = height = 64
    empty = np.ones((height, width), np.float32)
    frame = DepthFrame(np.array([0, 0, 5.0]), np.zeros(3), np.array([0, 1.0, 0]), 30.0, False, 1.0, (2.0, 9.0), empty)
    device = frame.composite_matrix() @ np.array([0.0, 0.0, 1.0, 1.0])
    frame.depth = np.full((height, width), (device[2] / device[3] + 1) / 2, np.float32)
    frame.depth[:, :8] = 1.0  # nothing drawn at the left
    point, normal, found = point_on_surface(frame, 40, 20)
    assert found
    assert point[2] == pytest.approx(1.0, abs=1e-5)
    np.testing.assert_allclose(point[:2], frame.display_to_world(40, 20, frame.depth[20, 40])[:2], atol=1e-6)
    np.testing.assert_allclose(normal, [0, 0, 1], atol=1e-3)
    point, normal, found = point_on_surface(frame, 3, 20)
    assert not found and point[2] == pytest.approx(0.0, abs=1e-9)  # the focal plane
    np.testing.assert_allclose(normal, [0, 0, 1])


def test_depth_frames_round_trip_and_bad_lengths_are_refused(simple) -> None:
    depth = np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4)
    frame = DepthFrame(np.array([0, 0, 5.0]), np.zeros(3), np.array([0, 1.0, 0]), 30.0, False, 1.0, (1.0, 9.0), depth)
    back = decode_depth_frame(encode_depth_frame(frame), 4, 3)
    np.testing.assert_array_equal(back.depth, depth)
    assert (back.view_angle, back.parallel, back.clipping_range) == (30.0, False, (1.0, 9.0))
    # The focal point projects to the middle of the frame, at its own depth.
    np.testing.assert_allclose(back.display_to_world(2, 1.5, back.focal_plane_depth()), [0, 0, 0], atol=1e-9)
    with pytest.raises(ValueError, match="bytes"):
        decode_depth_frame(encode_depth_frame(frame), 4, 4)
    view = simple.CreateRenderView()
    simple.Show(simple.Sphere(), view)
    image = view.connection.render(view, 20, 10, DEPTH_FORMAT)
    assert (image.width, image.height, image.format) == (20, 10, DEPTH_FORMAT)
    assert decode_depth_frame(image.data, 20, 10).depth.min() < 1.0
    with pytest.raises(RenderError, match="'depth'"):
        view.connection.render(view, 20, 10, "tiff")
    request = messages.RenderRequest(view.GlobalID, 20, 10, PICK_FORMAT)
    with pytest.raises(RenderError, match=r"one display position"):
        view.connection.request(request)  # a pick without its position
    chart = simple.CreateView("XYChartView")
    with pytest.raises(RenderError, match="only a render view"):
        chart.connection.render(chart, 20, 10, DEPTH_FORMAT)
