"""Undo in a collaboration and state files across servers of different rank counts."""

from __future__ import annotations

import time

import numpy as np
import pytest

from pvclient.connection import Connection
from pvcore.errors import PermissionDeniedError
from pvcore.messages import UndoRequest
from pvserver.rendering.imaging import decode_image

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]


def settle(*connections: Connection, timeout: float = 5.0) -> None:
    """Process events until every connection mirrors what the first one (the master) has."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(c.state_dump() != connections[0].state_dump() for c in connections):
        for c in connections[1:]:
            c.process_events(timeout=0.05)


def test_undo_in_a_three_client_collaboration(server_factory) -> None:
    server = server_factory(4, "--multi-clients")
    master, bob, carol = (Connection.remote(server.host, server.port, user=u) for u in ("alice", "bob", "carol"))
    wavelet = master.create("sources", "Wavelet")
    contour = master.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [150.0]})
    master.update(contour, {"Isosurfaces": [90.0]})
    settle(master, bob, carol)
    before_change = bob.state_dump()
    with pytest.raises(PermissionDeniedError, match="alice"):
        bob.request(UndoRequest("undo"))
    master.request(UndoRequest("undo"))
    master.process_events()
    settle(master, bob, carol)
    for client in (bob, carol):  # the undo reached everyone as ordinary state events
        assert client.proxy(contour.GlobalID).Isosurfaces == [150.0]
        assert client.state_dump() == master.state_dump() != before_change
    master.request(UndoRequest("redo"))
    settle(master, bob, carol)
    assert carol.proxy(contour.GlobalID).Isosurfaces == [90.0]
    master.request(UndoRequest("undo"))
    master.create("sources", "Sphere")  # a new change clears the redo branch for the whole session
    status = master.request(UndoRequest("status"))
    assert status.redo_labels == [] and status.undo_labels[-1] == "Create Sphere1"
    for conn in (master, bob, carol):
        conn.close()


def render_state(simple, path) -> np.ndarray:
    simple.LoadState(path)
    return decode_image(simple.GetActiveView().CaptureImage().data)


def test_a_state_saved_on_two_ranks_loads_on_one_and_four(simple_state, server_factory, tmp_path) -> None:
    simple = simple_state
    two, four = server_factory(2), server_factory(4)
    simple.Connect(two.url)
    wavelet = simple.Wavelet(WholeExtent=[-16, 16, -16, 16, -16, 16])
    contour = simple.Contour(Input=wavelet, Isosurfaces=[140.0, 200.0])
    view = simple.CreateRenderView(ViewSize=[240, 180])
    rep = simple.Show(contour, view)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    simple.Render(view)
    simple.GetActiveCamera().Azimuth(30)
    original = decode_image(view.CaptureImage().data)
    path = tmp_path / "two-ranks.json"
    simple.SaveState(path)
    simple.Disconnect()
    simple.Connect()
    on_builtin = render_state(simple, path)
    simple.Connect(four.url)
    on_four = render_state(simple, path)
    covered = np.any(original != original[0, 0], axis=-1).mean()
    assert covered > 0.05  # the picture is not just background
    for other in (on_builtin, on_four):
        differs = np.abs(original.astype(int) - other.astype(int)).max(axis=-1) > 40
        assert differs.mean() < 0.01
