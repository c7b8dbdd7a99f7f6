"""The size rules of the catalogue against VTK's own outputs, and the memory budget's refusals."""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersCore import vtkContourFilter
from vtkmodules.vtkFiltersSources import (
    vtkArrowSource,
    vtkConeSource,
    vtkCylinderSource,
    vtkDiskSource,
    vtkEllipseArcSource,
    vtkLineSource,
    vtkPlaneSource,
    vtkPointSource,
    vtkSphereSource,
    vtkSuperquadricSource,
)
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

from pvcore.errors import ResourceLimitError
from pvcore.messages import ProxyState
from pvcore.sizes import Size
from pvserver.pipeline import budget, catalogue

GiB = 2**30


def state(gid: int, group: str, type_name: str, **values: object) -> ProxyState:
    """A proxy state with the catalogue's defaults and ``values`` (scalars become 1-tuples)."""
    spec = catalogue.get(group, type_name)
    given = {k: v if isinstance(v, tuple) else (v,) for k, v in values.items()}
    return ProxyState(gid, group, type_name, f"{type_name}{gid}", {**spec.defaults(), **given})


# (group, type, its VTK class, properties: named as the VTK setters)
SOURCES = [
    ("sources", "Wavelet", vtkRTAnalyticSource, {"WholeExtent": (0, 99, 0, 49, 0, 9)}),
    ("sources", "Wavelet", vtkRTAnalyticSource, {"WholeExtent": (0, 99, 0, 49, 0, 9), "SubsampleRate": 3}),
    ("sources", "Sphere", vtkSphereSource, {"ThetaResolution": 300, "PhiResolution": 200}),
    ("sources", "Plane", vtkPlaneSource, {"XResolution": 300, "YResolution": 200}),
    ("sources", "Line", vtkLineSource, {"Resolution": 100_000}),
    ("sources", "PointSource", vtkPointSource, {"NumberOfPoints": 100_000}),
    ("sources", "Cone", vtkConeSource, {"Resolution": 500}),
    ("sources", "Cylinder", vtkCylinderSource, {"Resolution": 500}),
    ("glyph_sources", "Arrow", vtkArrowSource, {"TipResolution": 100, "ShaftResolution": 100}),
    ("sources", "Arrow", vtkArrowSource, {"TipResolution": 128, "ShaftResolution": 128}),
    ("sources", "Disk", vtkDiskSource, {"RadialResolution": 1000, "CircumferentialResolution": 1000}),
    ("sources", "Superquadric", vtkSuperquadricSource, {"ThetaResolution": 1000, "PhiResolution": 999}),
    ("sources", "Ellipse", vtkEllipseArcSource, {"Resolution": 1024, "Close": 1}),
]


def _vtk(cls: type, **values: object) -> object:
    source = cls()
    for name, value in values.items():
        getattr(source, f"Set{name}")(*(value if isinstance(value, tuple) else (value,)))
    source.Update()
    return source.GetOutputDataObject(0)


@pytest.mark.parametrize(("group", "type_name", "cls", "values"), SOURCES, ids=[s[1] for s in SOURCES])
def test_source_estimates_match_what_vtk_makes(group: str, type_name: str, cls: type, values: dict) -> None:
    size = budget.estimate(state(1, group, type_name, **values))
    data = _vtk(cls, **values)
    assert data.GetNumberOfPoints() <= size.points <= 1.01 * data.GetNumberOfPoints() + 1
    assert size.cells == data.GetNumberOfCells()
    assert 0.7 <= size.bytes / (data.GetActualMemorySize() * 1024) <= 1.4


def test_the_requests_that_crashed_the_server_are_refused_with_the_estimate_and_the_budget() -> None:
    limit = budget.Budget(3 * GiB, ranks=2)
    crashing = [
        (state(1, "sources", "Wavelet", WholeExtent=(0, 1499) * 3), "WholeExtent [0, 1499, 0, 1499, 0, 1499]"),
        (state(2, "sources", "Sphere", ThetaResolution=2**31 - 1, PhiResolution=2**31 - 1), "ThetaResolution"),
        (state(3, "sources", "Plane", XResolution=100_000, YResolution=100_000), "XResolution 100000"),
    ]
    for st, driver in crashing:
        with pytest.raises(ResourceLimitError) as refused:
            limit.check([st], {})
        message = refused.value.message
        assert message.startswith(f"{st.name}: ") and driver in message
        assert "points" in message and "3.0 GiB per rank (--max-memory-per-rank)" in message
        assert refused.value.proxy_name == st.name and refused.value.property
    limit.check([state(4, "sources", "Wavelet", WholeExtent=(0, 127) * 3)], {})  # large but sane: accepted


def test_split_outputs_count_per_rank_and_others_whole() -> None:
    cube = state(1, "sources", "Wavelet", WholeExtent=(0, 511) * 3)  # 512 MiB of RTData
    budget.Budget(300 * 2**20, ranks=2).check([cube], {})  # 256 MiB per rank fits
    with pytest.raises(ResourceLimitError, match="per rank on 1 rank"):
        budget.Budget(300 * 2**20, ranks=1).check([cube], {})
    plane = state(2, "sources", "Plane", XResolution=3000, YResolution=3000)  # ~300 MiB, all on rank 0
    with pytest.raises(ResourceLimitError, match="not split over ranks"):
        budget.Budget(200 * 2**20, ranks=8).check([plane], {})


def test_a_glyph_multiplies_its_input_and_is_checked_when_its_input_grows() -> None:
    wavelet = state(1, "sources", "Wavelet", WholeExtent=(0, 99) * 3)  # 1e6 points
    shape = ProxyState(
        2, "glyph_sources", "Sphere", "GlyphType", catalogue.get("glyph_sources", "Sphere").defaults(), 1, 3
    )
    shape.properties.update(ThetaResolution=(64,), PhiResolution=(64,))
    glyph = state(3, "filters", "Glyph", Input=(1,), GlyphType=(2,))
    size = budget.estimate(glyph, {1: wavelet, 2: shape})
    assert size.points == 1_000_000 * (64 * 62 + 2) and size.split
    limit = budget.Budget(GiB, ranks=2)
    with pytest.raises(ResourceLimitError, match=r"Glyph3: Input Wavelet1 \(1e\+06 points\), GlyphType Sphere"):
        limit.check([wavelet, shape, glyph], {})
    live = {1: state(1, "sources", "Wavelet", WholeExtent=(0, 9) * 3), 2: shape, 3: glyph}
    limit.check([], live)
    with pytest.raises(ResourceLimitError, match="Glyph3"):  # only the Wavelet changes; the Glyph downstream grows
        limit.check([wavelet], live)
    every_nth = state(3, "filters", "Glyph", Input=(1,), GlyphType=(2,), GlyphMode="Every Nth Point", Stride=1000)
    limit.check([wavelet, shape, every_nth], {})


def test_filters_without_a_rule_pass_their_input_size_on_and_readers_are_measured() -> None:
    reader = ProxyState(1, "sources", "FileReader", "big.vtu", {"FileName": ("big.vtu",)})
    calc = state(2, "filters", "Calculator", Input=(1,), Function="1")
    shrink = state(3, "filters", "Shrink", Input=(2,))
    states = {1: reader, 2: calc}
    measured = {1: Size(10**8, 10**8, 10**9, split=True)}
    budget.Budget(GiB, ranks=4).check([shrink], states)  # without a measure, the reader's size is unknown
    with pytest.raises(ResourceLimitError, match="Shrink3"):
        budget.Budget(GiB, ranks=4).check([shrink], states, measured.get)


def test_sizes_and_the_default_budget() -> None:
    assert budget.parse_size("3G") == 3 * GiB == budget.parse_size("3GiB") == budget.parse_size(" 3 gb ")
    assert budget.parse_size("512M") == 512 * 2**20 and budget.parse_size("1.5k") == 1536
    assert budget.parse_size("1000") == 1000
    with pytest.raises(ValueError, match="not a size"):
        budget.parse_size("lots")
    assert budget.size_text(3 * GiB) == "3.0 GiB" and budget.size_text(812) == "812 bytes"
    memory = budget.physical_memory()
    assert budget.default_budget(2) == int(memory * budget.DEFAULT_FRACTION / 2)


def test_ranks_on_this_node_come_from_the_launcher(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MPI_LOCALNRANKS", "OMPI_COMM_WORLD_LOCAL_SIZE", "SLURM_NTASKS_PER_NODE"):
        monkeypatch.delenv(name, raising=False)
    assert budget.ranks_on_this_node(8) == 8
    monkeypatch.setenv("MPI_LOCALNRANKS", "4")
    assert budget.ranks_on_this_node(8) == 4


def test_contours_and_slices_grow_with_their_values() -> None:
    """Each value is one more surface through the input: a surface through an n^3 volume is about a plane's size,
    which the estimate follows (checked against VTK's contour of a 64^3 wavelet), and 100,000 values are refused."""
    source = vtkRTAnalyticSource()
    source.SetWholeExtent(0, 63, 0, 63, 0, 63)
    contour = vtkContourFilter()
    contour.SetInputConnection(source.GetOutputPort())
    for i, value in enumerate((100.0, 150.0, 200.0)):
        contour.SetValue(i, value)
    contour.Update()
    wavelet = state(1, "sources", "Wavelet", WholeExtent=(0, 63, 0, 63, 0, 63))
    three = state(2, "filters", "Contour", Input=1, Isosurfaces=(100.0, 150.0, 200.0))
    estimated = budget.estimate(three, {1: wavelet})
    assert 0.2 < contour.GetOutput().GetNumberOfCells() / estimated.cells < 2.0
    limit = budget.Budget(GiB, ranks=2)
    limit.check([three], {1: wavelet})
    many = state(2, "filters", "Contour", Input=1, Isosurfaces=tuple(float(v) for v in range(100_000)))
    with pytest.raises(ResourceLimitError, match="Contour2: Input Wavelet1"):
        limit.check([many], {1: wavelet})
    slices = state(3, "filters", "Slice", Input=1, SliceOffsetValues=tuple(float(v) for v in range(100_000)))
    with pytest.raises(ResourceLimitError, match="Slice3"):
        limit.check([slices], {1: wavelet})
