"""Rendering on the built-in session as ParaView 5.11 draws it: each test pins one way this project's pictures had
differed from ParaView's (vector colouring, axes grids, UserTransform, FXAA, outlines of structured grids, unlit
wireframes, the orientation axes), by pixels or by numbers VTK computes directly in the test.
"""

from __future__ import annotations

import numpy as np
import pytest
from rendering_checks import BLACK, changed, foreground, make_view, pixels
from vtkmodules.vtkCommonExecutionModel import vtkTrivialProducer
from vtkmodules.vtkFiltersCore import vtkStructuredGridOutlineFilter
from vtkmodules.vtkFiltersExtraction import vtkExtractGrid
from vtkmodules.vtkFiltersGeneral import vtkWarpScalar
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

from pvcore.messages import ProxyState
from pvserver.rendering.appearance import build_lookup_table, placed_bounds, structured_outline
from pvserver.rendering.axes import grid_bounds

pytestmark = pytest.mark.timeout(60)


def test_vector_magnitude_colouring_spreads_over_the_colour_map(simple) -> None:
    # a sphere's normals all have a magnitude of about 1: rescaled to that narrow range, the magnitudes still span
    # the whole colour map (blue to red), not one end of it (as colouring by the X component would)
    sphere = simple.Sphere()
    view = make_view(simple, 200, 200)
    rep = simple.Show(sphere, view)
    simple.ColorBy(rep, ("POINTS", "Normals", "Magnitude"))
    rep.RescaleTransferFunctionToDataRange(True, False)
    image = pixels(view)
    shown = image[foreground(image, BLACK)]
    reddish = (shown[:, 0] > shown[:, 2] + 40).mean()
    bluish = (shown[:, 2] > shown[:, 0] + 40).mean()
    assert reddish > 0.1 and bluish > 0.1


def test_colour_map_vector_mode_reaches_vtk() -> None:
    def lut(**props) -> ProxyState:
        return ProxyState(1, "lookup_tables", "PVLookupTable", "lut", {k: (v,) for k, v in props.items()})

    assert build_lookup_table(lut()).GetVectorMode() == 0  # magnitude
    component = build_lookup_table(lut(VectorMode="Component", VectorComponent=2))
    assert (component.GetVectorMode(), component.GetVectorComponent()) == (1, 2)


def test_axes_grid_is_drawn_around_an_empty_view_and_culls_its_front_faces(simple) -> None:
    # ParaView draws a view's axes grid around [-1, 1]^3 when the view shows no data, its near faces left out
    view = make_view(simple, 240, 240)
    view.CameraPosition = [3.0, 2.5, 4.0]
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    empty = pixels(view)
    view.AxesGrid.Visibility = 1
    culled = pixels(view)
    assert foreground(culled, BLACK).mean() > 0.01
    view.AxesGrid.CullFrontface = 0
    every_face = pixels(view)
    assert not foreground(empty, BLACK).any()
    assert changed(culled, every_face).sum() > 200  # the near faces' edges and ticks come back


def test_axes_grid_box_follows_paraviews_scale_factor() -> None:
    box, position, scale = grid_bounds({"DataBoundsScaleFactor": (1.5,)}, [0.0, 2.0, -1.0, 1.0, 4.0, 4.0])
    assert box == pytest.approx([-0.5, 2.5, -1.5, 1.5, 4.0, 4.0])
    box, position, scale = grid_bounds(
        {"DataScale": (2.0, 1.0, 1.0), "DataPosition": (1.0, 0.0, 0.0)}, [1, 5, 0, 1, 0, 1]
    )
    assert box[:2] == pytest.approx([0.0 - 0.0008, 2.0 + 0.0008]) and position[0] == 1.0 and scale[0] == 2.0


def test_user_transform_scales_the_picture_and_the_camera_reset(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=32, PhiResolution=32)
    view = make_view(simple, 300, 300)
    rep = simple.Show(sphere, view)
    rep.UserTransform = [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    view.ResetCamera()
    mask = foreground(pixels(view), BLACK)
    rows, cols = np.nonzero(mask)
    aspect = (cols.max() - cols.min()) / (rows.max() - rows.min())
    assert aspect == pytest.approx(2.0, rel=0.1)
    assert cols.max() - cols.min() > 0.6 * 300  # the camera was reset to the stretched sphere


def test_placed_bounds_apply_position_scale_and_user_transform() -> None:
    rep = ProxyState(
        1, "representations", "GeometryRepresentation", "rep",
        {"Position": (1.0, 0.0, 0.0), "UserTransform": (1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)},
    )  # fmt: skip
    assert placed_bounds(rep, [-1, 1, -1, 1, 0, 0]) == pytest.approx([0, 2, -3, 3, 0, 0])
    assert placed_bounds(rep, [1, -1, 1, -1, 1, -1]) == [1, -1, 1, -1, 1, -1]  # VTK's empty box stays empty


def test_fxaa_smooths_edges_as_paraviews_default(simple) -> None:
    assert simple.CreateRenderView().UseFXAA == 1
    simple.Line(Point1=[-1.0, -0.3, 0.0], Point2=[1.0, 0.3, 0.0])
    view = make_view(simple, 160, 120, UseFXAA=1)  # on by default, as in ParaView's settings
    simple.Show(view=view)
    view.ResetCamera()
    smoothed = pixels(view)
    view.UseFXAA = 0
    aliased = pixels(view)
    assert changed(smoothed, aliased, threshold=8).any()
    # FXAA blends the line into its neighbours: more pixels are touched, some with in-between values
    assert foreground(smoothed, BLACK).sum() > foreground(aliased, BLACK).sum()


def test_outline_of_a_structured_grid_is_its_edges(simple) -> None:
    # a grid bulging in its middle: its 12 edges stay low, so ParaView's outline (and the camera reset to what is
    # drawn) lies below the data's bounds
    wavelet = simple.Wavelet(WholeExtent=[-5, 5, -5, 5, -5, 5])
    bump = simple.Calculator(Input=wavelet, ResultArrayName="bump", Function="(50-coordsX^2-coordsY^2)*0.1*kHat")
    warp = simple.WarpByVector(Input=bump, Vectors=["POINTS", "bump"])
    view = make_view(simple, 200, 200)
    rep = simple.Show(warp, view)
    rep.SetRepresentationType("Outline")
    view.ResetCamera()
    grid = simple.Fetch(warp)
    producer = vtkTrivialProducer()
    producer.SetOutput(grid)
    edges = vtkStructuredGridOutlineFilter()
    edges.SetInputConnection(producer.GetOutputPort())
    edges.Update()
    expected = edges.GetOutput().GetBounds()
    assert edges.GetOutput().GetNumberOfCells() == 12 * 10
    assert expected[5] < grid.GetBounds()[5] - 1.0
    assert view.CameraFocalPoint[2] == pytest.approx((expected[4] + expected[5]) / 2, abs=1e-6)
    assert foreground(pixels(view), BLACK).any()


def test_outline_of_a_rank_piece_leaves_out_the_edges_inside_the_whole_grid() -> None:
    # each rank outlines its own piece: only the edges on the whole grid's boundary, so that the pieces together
    # draw the twelve edges of the whole, with no seam where two pieces meet
    source = vtkRTAnalyticSource()
    source.SetWholeExtent(-4, 4, -4, 4, -4, 4)
    grid = vtkWarpScalar()  # image data in, structured grid out
    grid.SetInputConnection(source.GetOutputPort())
    grid.SetScaleFactor(0.0)
    half = vtkExtractGrid()
    half.SetInputConnection(grid.GetOutputPort())
    half.SetVOI(-4, 0, -4, 4, -4, 4)
    half.Update()
    piece = half.GetOutput()
    whole = structured_outline(piece, [-4, 4, -4, 4, -4, 4])
    alone = structured_outline(piece, None)
    # 4 edges along x, half of them each (4 x 4 segments), and the 4 edges of the x = -4 face (4 x 8)
    assert whole.GetNumberOfCells() == 4 * 4 + 4 * 8
    assert alone.GetNumberOfCells() == 4 * 4 + 8 * 8  # as a grid of its own: its x = 0 face outlined too
    assert structured_outline(source.GetOutput(), None) is None  # image data: outlined by its box


def test_wireframe_is_drawn_unlit_in_its_ambient_colour(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=16, PhiResolution=16)
    view = make_view(simple, 200, 200, UseFXAA=0)
    rep = simple.Show(sphere, view, DiffuseColor=[0.5, 0.5, 0.5], AmbientColor=[1.0, 1.0, 1.0])
    rep.SetRepresentationType("Wireframe")
    image = pixels(view)
    lines = image[foreground(image, BLACK)]
    assert len(lines) > 500 and (lines == 255).all()  # every line pixel white: no shading, AmbientColor
    rep.SetRepresentationType("Surface")
    surface = pixels(view)
    assert surface[foreground(surface, BLACK)].max() < 200  # the surface is lit, in its DiffuseColor


def test_orientation_axes_sit_in_paraviews_corner_viewport(simple) -> None:
    # ParaView's orientation axes: a viewport of a quarter of the view, the camera fitted to the axes about their
    # origin, which so lies at the viewport's centre
    simple.Sphere()
    view = make_view(simple, 400, 400, OrientationAxesVisibility=1)
    simple.Show(view=view)
    view.CameraPosition = [0.0, 0.0, 5.0]
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    corner = foreground(pixels(view), BLACK)[300:, :100]  # the lower-left quarter's viewport
    rows, cols = np.nonzero(corner)
    assert abs(cols.min() - 50) <= 4  # the Y axis climbs from the centre of the 100-pixel viewport
    assert abs((rows.max() + 300) - 350) <= 4  # the X axis runs right from it
