"""One client, several servers: connections as first-class objects (real servers on free ports)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pvcore.errors import ConnectionClosedError, PropertyError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parent.parent.parent


def vtk_sphere_cells(theta: int) -> int:
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    sphere = vtkSphereSource()
    sphere.SetThetaResolution(theta)
    sphere.Update()
    return sphere.GetOutput().GetNumberOfCells()


@pytest.fixture(scope="module")
def servers():
    from servers import ServerProcess

    two, three = ServerProcess(2, "--multi-clients"), ServerProcess(3, "--multi-clients")
    yield two, three
    two.stop()
    three.stop()


def test_builtin_and_two_servers_at_once(simple_state, servers) -> None:
    simple = simple_state
    two, three = servers
    simple.EnableMultiServer()
    builtin = simple.Connect()
    a = simple.Connect(two.url)
    b = simple.Connect(three.url)
    assert simple.GetConnections() == [builtin, a, b]
    assert simple.GetActiveConnection() is b and simple.servermanager.ActiveConnection is b
    assert [c.GetNumberOfDataPartitions() for c in (builtin, a, b)] == [1, 2, 3]
    assert not builtin.IsRemote() and a.IsRemote() and b.GetURI() == three.url

    on_b = simple.Sphere(ThetaResolution=24)
    simple.SetActiveConnection(a)
    on_a = simple.Wavelet()
    simple.SetActiveConnection(builtin, globals())
    on_builtin = simple.Cone()
    assert on_b.connection is b and on_a.connection is a and on_builtin.connection is builtin
    assert sorted(n for n, _ in simple.GetSources()) == ["Cone1"]
    simple.SetActiveConnection(a)
    assert sorted(n for n, _ in simple.GetSources()) == ["Wavelet1"]
    # each server computes on its own ranks, with the totals plain VTK gives
    assert on_b.GetDataInformation().GetNumberOfCells() == vtk_sphere_cells(24)
    assert on_a.GetDataInformation().GetNumberOfCells() == 20**3
    assert on_builtin.GetDataInformation().GetNumberOfCells() == 7  # 6 side triangles and the cap


def test_proxies_cannot_cross_connections(simple_state, servers) -> None:
    simple = simple_state
    two, three = servers
    simple.EnableMultiServer()
    a = simple.Connect(two.url)
    wavelet = simple.Wavelet()
    b = simple.Connect(three.url)
    with pytest.raises(PropertyError, match=f"connection {a.id}.*connection {b.id}"):
        simple.Contour(Input=wavelet)
    with pytest.raises(PropertyError, match="cannot be mixed"):
        simple.Show(wavelet, simple.CreateRenderView())
    simple.SetActiveConnection(a)
    assert simple.Contour(Input=wavelet).GetDataInformation().GetNumberOfCells() > 0


@pytest.mark.parametrize("order", ["active first", "oldest first", "by object"])
def test_disconnecting_in_every_order(simple_state, servers, order) -> None:
    simple = simple_state
    two, three = servers
    simple.EnableMultiServer()
    builtin, a, b = simple.Connect(), simple.Connect(two.url), simple.Connect(three.url)
    sphere = simple.Sphere()
    if order == "active first":
        simple.Disconnect()
        assert simple.GetActiveConnection() is a
        simple.Disconnect(globals())
        assert simple.GetActiveConnection() is builtin
    elif order == "oldest first":
        simple.Disconnect(builtin)
        assert simple.GetActiveConnection() is b
        simple.Disconnect(a)
        assert simple.GetConnections() == [b]
        simple.Disconnect(b)
        assert simple.GetActiveConnection() is None
    else:
        simple.Disconnect(a)
        assert simple.GetActiveConnection() is b and simple.GetConnections() == [builtin, b]
        simple.Disconnect(b)
    assert b.closed
    with pytest.raises(ConnectionClosedError, match="closed"):
        sphere.Radius = 2.0
    with pytest.raises(ConnectionClosedError):
        sphere.GetDataInformation()
    again = simple.Connect(three.url)  # reconnecting gives a fresh, working connection
    assert simple.GetActiveConnection() is again and again is not b
    assert simple.Sphere().GetDataInformation().GetNumberOfCells() > 0


def test_without_multi_server_connect_replaces(simple_state, servers) -> None:
    simple = simple_state
    two, three = servers
    first = simple.Connect(two.url)
    second = simple.Connect(three.url)
    assert first.closed and simple.GetConnections() == [second]


def test_collaboration_on_two_servers_at_once(simple_state, servers) -> None:
    from pvclient.connection import Connection
    from simple import collaboration

    simple = simple_state
    two, three = servers
    simple.EnableMultiServer()
    a, b = simple.Connect(two.url, user="me"), simple.Connect(three.url, user="me")
    peers = [Connection.remote(s.host, s.port, user="peer") for s in servers]
    try:
        simple.SetActiveConnection(a)
        simple.Cone(registrationName="FromA")
        simple.SetActiveConnection(b)
        simple.Cylinder(registrationName="FromB")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            for p in peers:
                p.process_events(timeout=0.1)
            names = [{st.name for st in p.states.values()} for p in peers]
            if "FromA" in names[0] and "FromB" in names[1]:
                break
        assert "FromA" in names[0] and "FromB" in names[1] and "FromA" not in names[1]
        # and the peers' chat reaches this client on both servers through one processServerEvents()
        for p in peers:
            collaboration.SendChatMessage("hello", p)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not (a.chat and b.chat):
            simple.processServerEvents(0.05)
        assert [m.text for m in a.chat] == ["hello"] and [m.text for m in b.chat] == ["hello"]
    finally:
        for p in peers:
            p.close()


def test_the_multi_server_example_runs_unchanged(servers) -> None:
    two, three = servers
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pvclient.cli",
            "--multi-servers",
            str(ROOT / "scripts/examples/multi_servers.py"),
            two.url,
            three.url,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert f"remote sphere cells: {vtk_sphere_cells(32)} on 2 ranks" in out.stdout
    assert "built-in sources: ['Cone1', 'Shrink1']" in out.stdout
    assert "active after the second Disconnect: None" in out.stdout
