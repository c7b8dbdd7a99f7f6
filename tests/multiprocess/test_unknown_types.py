"""A client uses the proxy types its server defines, not its own: a server started with a definitions plugin
(``pvserver --plugin FILE``) offers a type this client's code has never seen, and ``simple`` creates it, checks
its values and explains it from the definitions in the welcome; a server without the plugin refuses it clearly."""

from __future__ import annotations

import pydoc
from collections.abc import Iterator

import pytest
from servers import ServerProcess

from pvclient import catalogues
from pvcore.errors import PropertyError, UnknownProxyTypeError

PLUGIN = """
from pvcore.definitions.builders import Bool, Filter

DEFINITIONS = (
    Filter(
        "CleanPolyDataPlugin",
        "vtkCleanPolyData",
        "Merges coincident points of polygonal data (a type from a plugin).",
        Bool("PointMerging", True, doc="Merge points that coincide"),
    ),
)
"""


@pytest.fixture(scope="module")
def plugin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    plugin = tmp_path_factory.mktemp("plugin") / "clean_plugin.py"
    plugin.write_text(PLUGIN)
    with ServerProcess(2, "--multi-clients", "--plugin", str(plugin)) as server:
        yield server


def test_a_type_only_the_server_defines_is_created_through_simple(simple_state, plugin_server) -> None:
    simple = simple_state
    catalogues.forget()  # this process holds no definitions: the welcome carries them
    conn = simple.Connect(plugin_server.url)
    assert conn.transport.welcome.definitions and not conn.transport.welcome.definitions_cached
    assert conn.catalogue.has("filters", "CleanPolyDataPlugin")

    surface = simple.ExtractSurface(Input=simple.Shrink(Input=simple.Sphere(), ShrinkFactor=1.0))
    duplicated = surface.GetDataInformation().GetNumberOfPoints()
    clean = simple.CleanPolyDataPlugin(Input=surface)
    assert type(clean).__name__ == "CleanPolyDataPlugin" and clean.PointMerging == 1
    merged = clean.GetDataInformation()
    assert merged.GetDataSetTypeAsString() == "vtkPolyData"
    assert 0 < merged.GetNumberOfPoints() < duplicated

    clean.PointMerging = False
    assert clean.PointMerging == 0
    assert clean.GetDataInformation().GetNumberOfPoints() == duplicated
    with pytest.raises(PropertyError, match="PointMerging must be a boolean"):
        clean.PointMerging = "yes"  # checked against the server's definition before anything is sent
    with pytest.raises(PropertyError, match="no property 'Tolerance'"):
        clean.Tolerance = 0.1

    for text in (pydoc.render_doc(clean), pydoc.render_doc(simple.CleanPolyDataPlugin)):
        assert "PointMerging" in text and "Merge points that coincide" in text and "a type from a plugin" in text
    namespace: dict = {}
    exec("from simple import *", namespace)
    assert "CleanPolyDataPlugin" in namespace


def test_a_second_client_of_the_same_server_gets_no_definitions_again(simple_state, plugin_server) -> None:
    simple = simple_state
    first = simple.Connect(plugin_server.url)
    second = simple.Connect(plugin_server.url)  # replaces the first: its Hello names the digest it holds
    welcome = second.transport.welcome
    assert welcome.definitions_cached and welcome.definitions == []
    assert second.catalogue is first.catalogue and second.definitions_digest == first.definitions_digest
    assert simple.CleanPolyDataPlugin(Input=simple.Sphere()).GetDataInformation().GetNumberOfPoints() > 0


def test_a_server_without_the_type_refuses_it_clearly(simple_state, plugin_server, server2) -> None:
    simple = simple_state
    simple.EnableMultiServer()
    simple.Connect(plugin_server.url)  # makes simple.CleanPolyDataPlugin
    plain = simple.Connect(server2.url)  # active: a server of the bundled types only
    assert not plain.catalogue.has("filters", "CleanPolyDataPlugin")
    sphere = simple.Sphere()
    with pytest.raises(UnknownProxyTypeError) as raised:
        simple.CleanPolyDataPlugin(Input=sphere)
    message = str(raised.value)
    assert server2.url in message and "'CleanPolyDataPlugin'" in message
    assert "Available:" in message and "Shrink" in message and "--plugin" in message
    with pytest.raises(UnknownProxyTypeError, match=server2.url):
        plain.create("filters", "CleanPolyDataPlugin", {"Input": sphere})
    assert len(plain.proxies()) == 1  # nothing was sent


def test_a_name_the_active_server_offers_is_found_on_first_use(simple_state, plugin_server) -> None:
    simple = simple_state
    simple.Connect(plugin_server.url)
    simple.__dict__.pop("CleanPolyDataPlugin", None)  # as if simple had not made it yet
    assert simple.CleanPolyDataPlugin.__name__ == "CleanPolyDataPlugin"  # module __getattr__
    with pytest.raises(AttributeError):
        simple.NoSuchTypeAnywhere  # noqa: B018
