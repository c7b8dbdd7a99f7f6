"""``Delete`` as ParaView's on a 3-rank server: an unregistered filter keeps feeding its user on every rank, and a
collaborator sees it leave the pipeline as the deleting client does."""

from __future__ import annotations

import time

import pytest
from vtkmodules.vtkFiltersCore import vtkElevationFilter
from vtkmodules.vtkFiltersGeneral import vtkShrinkFilter
from vtkmodules.vtkFiltersSources import vtkSphereSource

from pvclient.connection import Connection
from pvcore.errors import ProxyNotFoundError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]


def vtk_elevation_of_shrunk_sphere():
    sphere = vtkSphereSource()
    shrink = vtkShrinkFilter()
    shrink.SetInputConnection(sphere.GetOutputPort())
    elevation = vtkElevationFilter()
    elevation.SetInputConnection(shrink.GetOutputPort())
    elevation.SetLowPoint(0.0, 0.0, -0.5)
    elevation.SetHighPoint(0.0, 0.0, 0.5)
    elevation.Update()
    return elevation.GetOutput()


def test_an_unregistered_filter_still_computes_on_every_rank(simple_state, server3) -> None:
    simple = simple_state
    simple.Connect(server3.url)
    shrink = simple.Shrink(Input=simple.Sphere())
    elevation = simple.Elevation(Input=shrink, LowPoint=[0, 0, -0.5], HighPoint=[0, 0, 0.5])
    simple.Delete(shrink)
    assert {name for name, _ in simple.GetSources()} == {"Sphere1", "Elevation1"}
    expected = vtk_elevation_of_shrunk_sphere()
    info = elevation.GetDataInformation()
    assert info.GetNumberOfCells() == expected.GetNumberOfCells()
    assert info.GetBounds() == pytest.approx(expected.GetBounds(), abs=1e-6)
    wanted = expected.GetPointData().GetArray("Elevation").GetRange()
    assert elevation.PointData["Elevation"].GetRange() == pytest.approx(wanted, abs=1e-6)
    simple.Delete(elevation)
    with pytest.raises(ProxyNotFoundError):
        shrink.ShrinkFactor  # noqa: B018 - gone with its last user, on the server too
    simple.Disconnect()


def test_a_collaborator_sees_the_same(server3) -> None:
    alice = Connection.remote(server3.host, server3.port, user="alice")
    bob = Connection.remote(server3.host, server3.port, user="bob")
    try:
        sphere = alice.create("sources", "Sphere")
        shrink = alice.create("filters", "Shrink", {"Input": sphere})
        alice.delete(sphere)
        wait_until(bob, lambda: bob.state_dump() == alice.state_dump())
        listed = {p.GlobalID for p in bob.proxies()}  # (the module's first test left its sphere on the server)
        assert shrink.GlobalID in listed and sphere.GlobalID not in listed
        assert bob.proxy(shrink.GlobalID).Input.GlobalID == sphere.GlobalID
        alice.delete(shrink)
        wait_until(bob, lambda: bob.state_dump() == alice.state_dump())
        assert sphere.GlobalID not in bob.states and shrink.GlobalID not in bob.states
    finally:
        alice.close()
        bob.close()


def wait_until(connection: Connection, done, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        connection.process_events(timeout=0.05)
    assert done()
