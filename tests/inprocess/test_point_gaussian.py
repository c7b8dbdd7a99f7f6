"""The 'Point Gaussian' representation on the built-in session: every point a splat of VTK's vtkPointGaussianMapper.

Five points on the x axis (a Line of resolution 4) are seen from the front with a parallel camera, so that each
point's splat is one run of lit pixels along the middle row; the checks measure those runs (their number, widths
and colours) and fail when a property stops reaching the mapper.
"""

from __future__ import annotations

import numpy as np
import pytest
from rendering_checks import BLACK, make_view, pixels
from vtkmodules.vtkCommonDataModel import vtkMultiBlockDataSet
from vtkmodules.vtkFiltersCore import vtkElevationFilter
from vtkmodules.vtkFiltersSources import vtkSphereSource

from pvcore.errors import PropertyError
from pvcore.messages import ProxyState
from pvserver.rendering.point_gaussian import is_translucent_splat, splat_points

pytestmark = pytest.mark.timeout(60)

WIDTH, HEIGHT = 200, 160
#: The pixel column of each point's centre with the camera of :func:`line_scene` (x from -0.5 to 4.5).
CENTRES = [20, 60, 100, 140, 180]


def line_scene(simple, **rep_props):
    """Points x = 0..4 on the x axis with a 'Distance' array (= x), drawn as 'Plain circle' splats of radius 0.3,
    white on black; returns (calculator, view, representation)."""
    line = simple.Line(Point1=[0, 0, 0], Point2=[4, 0, 0], Resolution=4)
    distance = simple.Calculator(Input=line, ResultArrayName="Distance", Function="coordsX")
    view = make_view(simple, WIDTH, HEIGHT)
    props = {"Representation": "Point Gaussian", "ShaderPreset": "Plain circle", "GaussianRadius": 0.3}
    rep = simple.Show(distance, view, **{**props, **rep_props})
    simple.ColorBy(rep, None)
    simple.Render(view)  # the first render fits the camera: set ours after it
    view.CameraPosition, view.CameraFocalPoint, view.CameraViewUp = [2, 0, 10], [2, 0, 0], [0, 1, 0]
    view.CameraParallelProjection, view.CameraParallelScale = 1, 2.0
    return distance, view, rep


def runs(image: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) columns of each run of lit pixels along the middle row."""
    lit = np.abs(image[HEIGHT // 2] - np.round(np.asarray(BLACK) * 255)).max(axis=1) > 3
    found, start = [], None
    for x, on in enumerate([*lit, False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            found.append((start, x - 1))
            start = None
    return found


def widths(image: np.ndarray) -> list[int]:
    return [last - first + 1 for first, last in runs(image)]


def test_point_gaussian_is_one_of_the_representation_types(simple) -> None:
    rep = simple.Show(simple.Sphere())
    assert "Point Gaussian" in rep.GetProperty("Representation").Available
    assert rep.GaussianRadius == pytest.approx(0.005)  # 0.005 of the longest side, as ParaView sets it
    assert rep.ShaderPreset == "Sphere" and rep.UseScaleFunction == 1
    assert "opacity = opacity*gaussian;" in rep.CustomShader  # ParaView's default custom shader


def test_every_point_is_drawn_as_a_splat_of_gaussian_radius(simple) -> None:
    _, view, rep = line_scene(simple)
    image = pixels(view)
    found = runs(image)
    assert len(found) == 5, found
    assert [round((a + b) / 2) for a, b in found] == pytest.approx(CENTRES, abs=1)
    assert widths(image) == pytest.approx([24] * 5, abs=2)  # 2 * 0.3 world units at 40 pixels per unit
    rep.GaussianRadius = 0.15
    assert widths(pixels(view)) == pytest.approx([12] * 5, abs=2)
    rep.Representation = "Surface"  # the polyline again: one continuous run
    assert len(runs(pixels(view))) == 1


def test_scale_array_sizes_the_splats_through_the_scale_function(simple) -> None:
    _, view, rep = line_scene(simple, GaussianRadius=1.0)
    made = simple.CreatePiecewiseFunction(Points=[0.0, 0.05, 0.5, 0.0, 4.0, 0.45, 0.5, 0.0])
    rep.ScaleTransferFunction = made
    assert rep.ScaleTransferFunction.GlobalID == made.GlobalID  # that very proxy, not a copy
    rep.SetScaleArray = ["POINTS", "Distance"]
    rep.ScaleByArray = 1
    sized = widths(pixels(view))
    expected = [2 * 40 * (0.05 + 0.1 * x) for x in range(5)]  # radius 0.05..0.45 units, 40 pixels per unit
    assert sized == pytest.approx(expected, abs=3)
    function = rep.ScaleTransferFunction
    assert function.GetXMLName() == "PiecewiseFunction" and function.GetXMLGroup() == "piecewise_functions"
    function.Points = [0.0, 0.45, 0.5, 0.0, 4.0, 0.05, 0.5, 0.0]  # the map itself changed: the splats follow
    assert widths(pixels(view)) == pytest.approx(expected[::-1], abs=3)
    with pytest.raises(PropertyError, match="PiecewiseFunction"):
        rep.ScaleTransferFunction = simple.CreateLookupTable()
    rep.ScaleTransferFunction = function  # the same again
    rep.UseScaleFunction, rep.GaussianRadius = 0, 0.1  # the array's values times 0.1: 0 draws nothing
    assert widths(pixels(view)) == pytest.approx([8, 16, 24, 32], abs=3)
    rep.ScaleByArray = 0
    assert widths(pixels(view)) == pytest.approx([8] * 5, abs=3)


def test_opacity_array_fades_the_splats_through_the_opacity_function(simple) -> None:
    _, view, rep = line_scene(simple)
    simple.ColorBy(rep, ("POINTS", "Distance"))  # VTK's splat mapper applies opacity to mapped colours only
    rep.LookupTable.RGBPoints = [0.0, 1.0, 1.0, 1.0, 4.0, 1.0, 1.0, 1.0]  # all white
    opaque = pixels(view)
    rep.OpacityTransferFunction = simple.CreatePiecewiseFunction(Points=[0.0, 0.2, 0.5, 0.0, 4.0, 1.0, 0.5, 0.0])
    rep.OpacityArray = ["POINTS", "Distance"]
    rep.OpacityByArray = 1
    faded = pixels(view)
    row = HEIGHT // 2
    brightness = [int(faded[row, x].max()) for x in CENTRES]
    assert [int(opaque[row, x].max()) for x in CENTRES] == [255] * 5
    assert brightness == pytest.approx([255 * (0.2 + 0.2 * x) for x in range(5)], abs=8)


def test_splats_are_coloured_by_point_arrays_with_the_colour_map(simple) -> None:
    _, view, rep = line_scene(simple)
    simple.ColorBy(rep, ("POINTS", "Distance"))
    rep.RescaleTransferFunctionToDataRange(False, True)
    image = pixels(view)
    row = HEIGHT // 2
    first, last = image[row, CENTRES[0]], image[row, CENTRES[-1]]
    assert first[2] > first[0] + 50 and last[0] > last[2] + 50  # Cool to Warm: blue at 0, red at 4
    lut = rep.LookupTable
    expected = [255 * c for c in lut.RGBPoints[1:4]]
    assert list(first) == pytest.approx(expected, abs=12)


def test_shader_presets_draw_different_splats(simple) -> None:
    _, view, rep = line_scene(simple)
    images = {}
    for preset in ("Plain circle", "Black-edged circle", "Sphere", "Square Outline", "Gaussian Blur"):
        rep.ShaderPreset = preset
        images[preset] = pixels(view)
    row = HEIGHT // 2
    centre, edge = CENTRES[2], CENTRES[2] + 11
    assert images["Black-edged circle"][row, edge].max() < 20 < images["Plain circle"][row, edge].max()
    assert images["Sphere"][row, edge].max() < images["Sphere"][row, centre].max()  # shaded towards the rim
    assert images["Square Outline"][row, centre].max() < 20  # the square's inside is cut out
    rep.ShaderPreset, rep.GaussianRadius = "Square Outline", 0.15
    assert len(runs(pixels(view))) == 10  # two sides of each square (apart at this radius)
    rep.GaussianRadius = 0.3
    rep.ShaderPreset = "Custom"  # ParaView's custom code: discs of three times the radius
    rep.CustomShader = (
        "//VTK::Color::Impl\nfloat dist = dot(offsetVCVSOutput.xy,offsetVCVSOutput.xy);\n"
        "if (dist > 1.0) {\n  discard;\n}\n"
    )
    rep.CustomTriangleScale = 1
    assert widths(pixels(view)) == widths(images["Plain circle"])


# ------------------------------------------------------------------------------------------ the points drawn


def _elevated_sphere():
    source = vtkSphereSource()
    elevation = vtkElevationFilter()
    elevation.SetInputConnection(source.GetOutputPort())
    elevation.Update()
    return elevation.GetOutput()


def test_splat_points_are_every_point_with_its_point_data() -> None:
    sphere = _elevated_sphere()
    points = splat_points(sphere)
    assert points.GetNumberOfPoints() == sphere.GetNumberOfPoints() == points.GetNumberOfVerts()
    assert points.GetBounds() == sphere.GetBounds()
    assert (
        points.GetPointData().GetArray("Elevation").GetRange() == sphere.GetPointData().GetArray("Elevation").GetRange()
    )
    blocks = vtkMultiBlockDataSet()
    blocks.SetBlock(0, sphere)
    blocks.SetBlock(2, _elevated_sphere())
    assert splat_points(blocks).GetNumberOfPoints() == 2 * sphere.GetNumberOfPoints()


def test_points_copied_from_a_neighbour_rank_are_left_out() -> None:
    from vtkmodules.vtkCommonCore import vtkUnsignedCharArray

    sphere = _elevated_sphere()
    ghosts = vtkUnsignedCharArray()
    ghosts.SetName("vtkGhostType")
    ghosts.SetNumberOfTuples(sphere.GetNumberOfPoints())
    ghosts.Fill(0)
    for i in range(0, sphere.GetNumberOfPoints(), 2):
        ghosts.SetValue(i, 1)  # DUPLICATEPOINT
    sphere.GetPointData().AddArray(ghosts)
    points = splat_points(sphere)
    assert points.GetNumberOfPoints() == sphere.GetNumberOfPoints() // 2
    assert points.GetPointData().GetArray("vtkGhostType") is None
    assert points.GetPoint(0) == sphere.GetPoint(1)
    kept = points.GetPointData().GetArray("Elevation")
    assert kept.GetValue(0) == sphere.GetPointData().GetArray("Elevation").GetValue(1)


def test_splats_of_varying_opacity_make_the_frame_translucent() -> None:
    def rep(**props) -> ProxyState:
        base = {"Representation": ("Point Gaussian",), "ShaderPreset": ("Sphere",), "OpacityArray": ("POINTS", "a")}
        return ProxyState(1, "representations", "GeometryRepresentation", "", {**base, **props})

    assert not is_translucent_splat(rep())
    assert not is_translucent_splat(rep(Representation=("Surface",), OpacityByArray=(1,)))
    assert is_translucent_splat(rep(OpacityByArray=(1,)))
    assert is_translucent_splat(rep(ShaderPreset=("Gaussian Blur",)))
    assert is_translucent_splat(rep(Emissive=(1,)))
