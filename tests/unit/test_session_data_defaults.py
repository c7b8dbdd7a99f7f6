"""Pure session logic: defaults that come from the input's data information (arrays, ranges, bounds).

No network, no MPI, no VTK: the session is driven directly, the way the service drives it.
"""

from __future__ import annotations

import pytest
from session_steps import create, filt, image_info

from pvcore.domains import ArrayListDomain, ArrayRangeDomain, BoundsDomain
from pvcore.messages import ArrayInformation, DataInformation
from pvserver.session import Session

pytestmark = pytest.mark.timeout(30)


# ------------------------------------------------------------------------------------------ data-dependent defaults


def test_contour_defaults_come_from_the_input(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    contour = filt(session, "Contour", wavelet, info=image_info())
    assert contour.properties["ContourBy"] == ("POINTS", "RTData")  # the first 1-component point array
    assert contour.properties["Isosurfaces"] == (150.0,)  # the middle of its range


def test_given_values_win_over_data_dependent_defaults(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    contour = filt(session, "Contour", wavelet, info=image_info(), Isosurfaces=(1.0, 2.0))
    assert contour.properties["Isosurfaces"] == (1.0, 2.0)


def test_threshold_defaults_span_the_array_range(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    threshold = filt(session, "Threshold", wavelet, info=image_info())
    assert threshold.properties["Scalars"] == ("POINTS", "RTData")
    assert threshold.properties["LowerThreshold"] == (40.0,)
    assert threshold.properties["UpperThreshold"] == (260.0,)
    by_cells = filt(session, "Threshold", wavelet, info=image_info(), Scalars=("CELLS", "CellId"))
    assert by_cells.properties["LowerThreshold"] == (0.0,)
    assert by_cells.properties["UpperThreshold"] == (3.0,)


def test_data_dependent_default_rules() -> None:
    """The domains of pvcore.domains, as the session uses them for a property the user left out."""
    info = image_info(bounds=(0.0, 3.0, 0.0, 4.0, 0.0, 0.0))
    fallback = ("fallback",)
    first = ArrayListDomain()
    assert first.default({}, info, fallback) == ("POINTS", "RTData")
    only_vectors = DataInformation(point_arrays=[ArrayInformation("Normals", 3, [0, 1] * 4)])
    assert first.default({}, only_vectors, fallback) == ("POINTS", "Normals")
    assert first.default({}, DataInformation(), fallback) == fallback
    selected = {"ContourBy": ("POINTS", "RTData")}
    assert ArrayRangeDomain("mid", "ContourBy").default(selected, info, fallback) == (150.0,)
    assert ArrayRangeDomain("min", "ContourBy").default(selected, info, fallback) == (40.0,)
    assert ArrayRangeDomain("max", "ContourBy").default(selected, info, fallback) == (260.0,)
    cells = {"Scalars": ("CELLS", "CellId")}
    assert ArrayRangeDomain("max", "Scalars").default(cells, info, fallback) == (3.0,)
    assert ArrayRangeDomain("mid", "ContourBy").default(selected, DataInformation(), fallback) == fallback
    tenth = BoundsDomain("diagonal")
    assert tenth.default({}, info, fallback) == pytest.approx((0.5,))
    flat = DataInformation(bounds=[1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    assert tenth.default({}, flat, fallback) == (1.0,)
    assert BoundsDomain("center").default({}, info, fallback) == (1.5, 2.0, 0.0)
    for domain in (first, ArrayRangeDomain("mid", "ContourBy"), tenth, BoundsDomain("center")):
        assert domain.default(selected, None, fallback) == fallback


def test_glyph_scale_factor_from_bounds(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    glyph = filt(session, "Glyph", wavelet, info=image_info(bounds=(0.0, 3.0, 0.0, 4.0, 0.0, 0.0)))
    assert glyph.properties["ScaleFactor"] == pytest.approx((0.5,))
    assert session.state(glyph.properties["GlyphType"][0]).type == "Arrow"
