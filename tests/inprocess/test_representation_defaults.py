"""ParaView 5.11's first look of shown data: the Representation Show picks by data type, and the array (with its
colour map and range) it colours by.

The expected values are what real pvpython 5.11 prints for the same scripts (``Show(src)``, then
``rep.Representation``, ``rep.ColorArrayName`` and the ends of ``rep.LookupTable.RGBPoints``).
"""

from __future__ import annotations

import pytest

from pvcore.definitions.views_representation import (
    OUTLINE_THRESHOLD_CELLS,
    default_color_array,
    default_representation,
    default_unit_distance,
)

pytestmark = pytest.mark.timeout(60)

#: RTData over the Wavelet's default extent, and over its z = 0 slice (pvpython 5.11).
WAVELET_RANGE = (37.35310363769531, 276.8288269042969)
WAVELET_SLICE_RANGE = (77.22376251220703, 276.8288269042969)


def _lut_range(rep) -> tuple[float, float]:
    points = rep.LookupTable.RGBPoints
    return points[0], points[-4]


def test_image_data_is_shown_as_an_uncoloured_outline(simple) -> None:
    rep = simple.Show(simple.Wavelet())
    assert rep.Representation == "Outline"
    assert list(rep.ColorArrayName) == ["POINTS", ""]
    assert rep.LookupTable is None


def test_a_flat_image_is_shown_as_a_slice_coloured_by_its_scalars(simple) -> None:
    rep = simple.Show(simple.Wavelet(WholeExtent=[-10, 10, -10, 10, 0, 0]))
    assert rep.Representation == "Slice"
    assert list(rep.ColorArrayName) == ["POINTS", "RTData"]
    assert rep.LookupTable.ArrayName == "RTData"
    assert _lut_range(rep) == pytest.approx(WAVELET_SLICE_RANGE, rel=1e-6)


def test_polygonal_data_without_scalars_is_a_solid_surface(simple) -> None:
    for source in (simple.Sphere(), simple.PointSource(NumberOfPoints=50), simple.Cone()):
        rep = simple.Show(source)
        assert rep.Representation == "Surface"
        assert rep.ColorArrayName[1] == ""


def test_derived_data_is_coloured_and_a_shared_colour_map_grows(simple) -> None:
    wavelet = simple.Wavelet()
    flat = simple.Show(simple.Wavelet(WholeExtent=[-10, 10, -10, 10, 0, 0]))
    clip = simple.Show(simple.Clip(Input=wavelet))
    assert clip.Representation == "Surface"
    assert list(clip.ColorArrayName) == ["POINTS", "RTData"]
    assert clip.LookupTable == flat.LookupTable  # one colour map per array name
    assert _lut_range(clip) == pytest.approx(WAVELET_RANGE, rel=1e-6)  # widened to the whole wavelet
    source = simple.Elevation(Input=simple.Sphere())
    elevation = simple.Show(source)
    assert list(elevation.ColorArrayName) == ["POINTS", "Elevation"]
    assert _lut_range(elevation) == pytest.approx(source.PointData["Elevation"].GetRange(), rel=1e-6)


def test_what_show_is_given_wins_over_the_defaults(simple) -> None:
    rep = simple.Show(simple.Wavelet(), Representation="Surface")
    assert rep.Representation == "Surface"
    assert list(rep.ColorArrayName) == ["POINTS", "RTData"]
    rep = simple.Show(simple.Clip(Input=simple.Wavelet()), ColorArrayName=["POINTS", ""])
    assert rep.ColorArrayName[1] == ""


def test_show_is_one_undo_step(simple) -> None:
    clip = simple.Clip(Input=simple.Wavelet())
    view = simple.GetActiveViewOrCreate()
    simple.Show(clip, view)
    assert len(view.Representations) == 1
    simple.Undo()
    assert len(view.Representations) == 0
    assert not view.connection.proxies(("lookup_tables",))  # the colour map Show made is undone with it


def test_text_sources_get_a_text_representation(simple) -> None:
    rep = simple.Show(simple.Text(Text="hello"))
    assert rep.GetXMLName() == "TextSourceRepresentation"
    assert rep.WindowLocation == "Upper Left Corner"
    assert rep.FontSize == 18
    assert rep.Justification == "Center"
    assert simple.Show(simple.AnnotateTime()).GetXMLName() == "TextSourceRepresentation"


@pytest.mark.parametrize(
    ("data_type", "extent", "cells", "expected"),
    [
        ("vtkImageData", (0, 10, 0, 10, 0, 10), 1000, "Outline"),
        ("vtkImageData", (0, 10, 0, 10, 3, 3), 100, "Slice"),
        ("vtkStructuredGrid", (0, 10, 0, 10, 0, 10), 1000, "Outline"),
        ("vtkStructuredGrid", (0, 10, 0, 0, 0, 10), 100, "Surface"),
        ("vtkRectilinearGrid", (0, 10, 0, 10, 0, 10), 1000, "Outline"),
        ("vtkUnstructuredGrid", (), 1000, "Surface"),
        ("vtkPolyData", (), OUTLINE_THRESHOLD_CELLS, "Outline"),
    ],
)
def test_default_representation_follows_paraview(data_type, extent, cells, expected) -> None:
    assert default_representation(data_type, extent, cells, False) == expected


def test_default_colour_array_prefers_point_scalars() -> None:
    assert default_color_array([("Normals", 3), ("Normals", 1)], []) == ("POINTS", "")
    assert default_color_array([("V", 3)], [("Pressure", 1)]) == ("CELLS", "Pressure")
    assert default_color_array([("T", 1)], [("Pressure", 1)]) == ("POINTS", "T")
    assert default_color_array([], []) == ("POINTS", "")


def test_the_opacity_unit_distance_is_paraviews_approximate_cell_length(simple) -> None:
    rep = simple.Show(simple.Wavelet())
    assert rep.ScalarOpacityUnitDistance == pytest.approx(1.7320508075688774)  # pvpython 5.11
    assert default_unit_distance((0, 1, 0, 1, 0, 1), 0) == pytest.approx(3**0.5)
    assert default_unit_distance((), 10) == 1.0
