"""Adding a filter: one entry in a definitions module, and nothing else.

A plain VTK filter the project does not bundle is described in a plugin file (``pvserver --plugin FILE``) and a
real 2-rank server builds and runs it, on every rank, with no Python code of its own: a class from a VTK module
the bundled catalogue never imports, and a filter with two input ports. Raw requests only: what the client makes
of an unknown type is tests/multiprocess/test_unknown_types.py's subject. In-process, an extra entry beside the
bundled ones is all the server's objects need to run it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from servers import ServerProcess

from pvclient.connection import Connection
from pvcore import __version__, messages
from pvcore.definitions import bundled_definitions
from pvcore.definitions.builders import Bool, Double, Filter, Input
from pvcore.errors import DependencyError, PropertyError, UnknownProxyTypeError
from pvcore.schema import Catalogue
from pvserver.pipeline import catalogue

pytestmark = pytest.mark.timeout(120)

PLUGIN = """
from pvcore.definitions.builders import Bool, Double, Filter, Input, Int, Vec3

DEFINITIONS = (
    Filter(
        "ExtrudePlugin", "vtkLinearExtrusionFilter", "Sweeps polygonal data along a vector (from a plugin).",
        Input(data_types=("vtkPolyData",)),
        Int("ExtrusionType", 1, minimum=1, maximum=3, doc="1: along Vector, 2: along the normals, 3: from a point"),
        Double("ScaleFactor", 1.0),
        Vec3("Vector", (0, 0, 1)),
        Bool("Capping", True),
    ),
    Filter(
        "ProbePlugin", "vtkProbeFilter", "Samples Source's arrays at Input's points (from a plugin).",
        Input(),
        Input("Source", port=1, doc="The data to sample."),
    ),
)
"""


@pytest.fixture(scope="module")
def plugin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    plugin = tmp_path_factory.mktemp("plugin") / "my_filters.py"
    plugin.write_text(PLUGIN)
    with ServerProcess(2, "--multi-clients", "--plugin", str(plugin)) as server:
        yield server


@pytest.fixture
def raw(plugin_server: ServerProcess) -> Iterator[Any]:
    """A connection's transport: requests and replies as they cross the wire, no client-side catalogue."""
    conn = Connection.remote(plugin_server.host, plugin_server.port)
    yield conn.transport
    conn.close()


def wire(properties: dict[str, Any]) -> dict[str, tuple]:
    """Property values as they travel: always tuples."""
    return {k: tuple(v) if isinstance(v, (tuple, list)) else (v,) for k, v in properties.items()}


def create(transport: Any, group: str, type_name: str, **properties: Any) -> int:
    delta = transport.request(messages.CreateProxy(group, type_name, "", wire(properties)))
    return delta.states[-1].global_id


def update(transport: Any, global_id: int, **properties: Any) -> None:
    transport.request(messages.UpdateProxy(global_id, wire(properties)))


def test_the_server_builds_and_runs_a_plain_vtk_filter_from_a_plugin(raw: Any) -> None:
    sphere = create(raw, "sources", "Sphere", ThetaResolution=16)
    before = raw.request(messages.GatherInformation(sphere))
    extrude = create(raw, "filters", "ExtrudePlugin", Input=sphere, ScaleFactor=2.0)
    info = raw.request(messages.GatherInformation(extrude))
    assert info.data_type == "vtkPolyData" and info.number_of_partitions == 2  # both ranks ran it
    assert info.number_of_points == 2 * before.number_of_points  # swept: every point twice
    assert info.bounds[5] - info.bounds[4] == pytest.approx(3.0)  # a sphere of diameter 1 moved by 2 along z
    update(raw, extrude, Vector=(1.0, 0.0, 0.0), ScaleFactor=1.0)
    info = raw.request(messages.GatherInformation(extrude))
    width = before.bounds[1] - before.bounds[0]
    assert info.bounds[1] - info.bounds[0] == pytest.approx(width + 1.0) and info.bounds[5] - info.bounds[4] == 1.0
    with pytest.raises(PropertyError, match="ScaleFactor"):  # the server checks it against the plugin's entry
        update(raw, extrude, ScaleFactor="big")


def test_every_input_port_is_connected(raw: Any) -> None:
    wavelet = create(raw, "sources", "Wavelet")
    line = create(raw, "sources", "Line", Point1=(-10.0, 0.0, 0.0), Point2=(10.0, 0.0, 0.0), Resolution=20)
    probe = create(raw, "filters", "ProbePlugin", Input=line, Source=wavelet)
    info = raw.request(messages.GatherInformation(probe))
    arrays = {a.name: a for a in info.point_arrays}
    assert info.number_of_points == 21 and "RTData" in arrays  # Input's points, Source's array
    assert arrays["RTData"].ranges[1] > 200.0  # sampled, not zeros: the wavelet peaks at the centre


def test_a_type_of_the_plugin_is_refused_its_input_type(raw: Any) -> None:
    wavelet = create(raw, "sources", "Wavelet")
    extrude = create(raw, "filters", "ExtrudePlugin", Input=wavelet)
    with pytest.raises(Exception, match="needs vtkPolyData input"):  # the plugin's data_types, checked
        raw.request(messages.GatherInformation(extrude))


def test_a_server_without_the_plugin_does_not_know_the_type(server2: ServerProcess) -> None:
    conn = Connection.remote(server2.host, server2.port)
    try:
        sphere = create(conn.transport, "sources", "Sphere")
        with pytest.raises(UnknownProxyTypeError, match="ExtrudePlugin"):
            create(conn.transport, "filters", "ExtrudePlugin", Input=sphere)
    finally:
        conn.close()


def test_a_broken_plugin_stops_the_server_with_the_reason(tmp_path: Path) -> None:
    plugin = tmp_path / "broken.py"
    plugin.write_text(
        "from pvcore.definitions.builders import Filter\nDEFINITIONS = (Filter('Nope', 'vtkNoSuchFilter', 'x'),)\n"
    )
    with pytest.raises(RuntimeError, match="vtkNoSuchFilter is not available"):
        ServerProcess(2, "--plugin", str(plugin))
    clash = tmp_path / "clash.py"
    clash.write_text(
        "from pvcore.definitions.builders import Filter\nDEFINITIONS = (Filter('Shrink', 'vtkShrinkFilter', 'x'),)\n"
    )
    with pytest.raises(RuntimeError, match="exist already: filters/Shrink"):
        ServerProcess(2, "--plugin", str(clash))


def test_help_documents_the_option() -> None:
    from pvserver.cli import build_parser

    text = build_parser().format_help()
    assert "--plugin FILE" in text and "DEFINITIONS" in text


# ------------------------------------------------------------------------------------------- in-process


def test_one_entry_beside_the_bundled_ones_is_all_a_filter_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new entry (as it would be added to pvcore/definitions/filters_general.py) runs in the server's objects:
    created, validated, applied, executed, with no other code."""
    from pvclient.transport import BuiltinTransport

    entry = Filter(
        "CleanExtra", "vtkCleanPolyData", "Merges coincident points.",
        Input(data_types=("vtkPolyData",)),
        Bool("PointMerging", True),
        Double("Tolerance", 0.0, minimum=0.0, maximum=1.0),
    )  # fmt: skip
    probe = Filter("ProbeExtra", "vtkProbeFilter", "Samples Source at Input's points.", Input(), Input("Source", 1))
    monkeypatch.setattr(catalogue, "CATALOGUE", Catalogue((*bundled_definitions(), entry, probe)))
    transport = BuiltinTransport(messages.Hello(client_version=__version__))
    try:
        sphere = create(transport, "sources", "Sphere")
        shrink = create(transport, "filters", "Shrink", Input=sphere, ShrinkFactor=1.0)
        surface = create(transport, "filters", "ExtractSurface", Input=shrink)
        duplicated = transport.request(messages.GatherInformation(surface)).number_of_points
        clean = create(transport, "filters", "CleanExtra", Input=surface)
        assert 0 < transport.request(messages.GatherInformation(clean)).number_of_points < duplicated
        update(transport, clean, PointMerging=0)
        assert transport.request(messages.GatherInformation(clean)).number_of_points == duplicated
        with pytest.raises(PropertyError, match="Tolerance"):
            update(transport, clean, Tolerance=2.0)
        sampler = create(transport, "filters", "ProbeExtra", Input=clean, Source=sphere)
        shrunk = create(transport, "filters", "Shrink", Input=sampler)
        with pytest.raises(DependencyError, match="cycle"):  # a second input port may not close a loop either
            update(transport, sampler, Source=shrunk)
    finally:
        transport.close()
