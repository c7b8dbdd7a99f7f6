"""Fewer round trips (issue 13): requests per ``simple`` call, batches, and sets to the current value, on the
built-in session."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from pvcore import messages
from pvcore.errors import DependencyError, PropertyError, PVError

pytestmark = pytest.mark.timeout(120)


class Requests:
    """Every request a connection sends (wrapping its transport, as benchmarks/bench_round_trips.py does)."""

    def __init__(self, connection: Any) -> None:
        self.sent: list[Any] = []
        inner = connection.transport.request_stamped

        def counted(request: Any) -> Any:
            self.sent.append(request)
            return inner(request)

        connection.transport.request_stamped = counted

    @contextlib.contextmanager
    def counting(self) -> Iterator[list[Any]]:
        start = len(self.sent)
        kinds: list[Any] = []
        yield kinds
        kinds.extend(type(r).__name__ for r in self.sent[start:])


def undo_labels(conn: Any) -> list[str]:
    return conn.undo_status().undo_labels


def test_show_color_by_and_render_take_at_most_three_requests(simple_state) -> None:
    simple = simple_state
    conn = simple.Connect()
    requests = Requests(conn)
    sphere, cone = simple.Sphere(), simple.Cone()
    with requests.counting() as first_show:
        rep = simple.Show(sphere)
    with requests.counting() as second_show:
        cone_rep = simple.Show(cone)
    with requests.counting() as color_by:
        simple.ColorBy(rep, ("POINTS", "Normals"))
    with requests.counting() as first_render:
        simple.Render()
    with requests.counting() as later_render:
        simple.Render()
    # The view; the data's information (which picks the representation type and colouring, as in ParaView);
    # then the representation, its colour map and the view's list in one batch.
    assert first_show == ["CreateProxy", "GatherInformation", "Batch"]
    assert second_show == ["GatherInformation", "Batch"]
    assert color_by == ["GatherInformation", "Batch"]
    assert len(first_render) <= 2 and later_render == ["RenderRequest"]
    view = simple.GetActiveView()
    assert view.Representations == [rep, cone_rep] and rep.Input == sphere
    # ParaView's behaviour kept: the colour map is created on first use, fitted to the data's range...
    lut = rep.LookupTable
    low, high = sphere.PointData["Normals"].GetRange(-1)
    assert lut.ArrayName == "Normals" and lut.ScalarRangeInitialized
    assert (lut.RGBPoints[0], lut.RGBPoints[-4]) == pytest.approx((low, high))
    # ...and shared per array name, widened to cover other data coloured by it.
    wide = simple.Sphere(Radius=5)
    wide_rep = simple.Show(wide)
    with requests.counting() as second_color_by:
        simple.ColorBy(wide_rep, ("POINTS", "Normals"))
    assert second_color_by == ["GatherInformation", "Batch"]
    assert wide_rep.LookupTable == lut and len(conn.proxies(("lookup_tables",))) == 1
    assert lut.RGBPoints[0] <= low and lut.RGBPoints[-4] >= high


def test_show_and_color_by_are_one_undo_step_each(simple_state) -> None:
    simple = simple_state
    conn = simple.Connect()
    sphere = simple.Sphere()
    rep = simple.Show(sphere)
    simple.ColorBy(rep, ("POINTS", "Normals"))
    assert undo_labels(conn)[-2:] == ["Show Sphere1", "Color by Normals"]
    simple.Undo()  # the colour map goes, the representation is solid again
    assert rep.ColorArrayName[1] == "" and rep.LookupTable is None
    assert conn.proxies(("lookup_tables",)) == []
    simple.Undo()  # the representation goes, and the view's list is as before
    assert simple.GetActiveView().Representations == []
    assert conn.proxies(("representations",)) == []


def test_a_set_to_the_current_value_sends_nothing(simple_state) -> None:
    simple = simple_state
    conn = simple.Connect()
    requests = Requests(conn)
    sphere = simple.Sphere(Radius=2)
    version = sphere.state.version
    with requests.counting() as sent:
        sphere.Radius = 2
        sphere.Radius = 2.0
        sphere.Center = [0, 0, 0]
        simple.RenameSource("Sphere1", sphere)
        conn.update(sphere, {"Radius": 2, "ThetaResolution": sphere.ThetaResolution})
    assert sent == [] and sphere.state.version == version
    with requests.counting() as sent:
        sphere.Radius = 3
    assert sent == ["UpdateProxy"] and sphere.Radius == 3


def test_a_set_is_sent_while_an_event_for_that_proxy_waits(simple_state) -> None:
    simple = simple_state
    conn = simple.Connect()
    requests = Requests(conn)
    sphere, cone = simple.Sphere(Radius=2), simple.Cone()
    # An event not yet applied by processServerEvents: the mirror of the sphere may be behind the server.
    conn.transport.events.put(messages.Event(99, 0, messages.StateDelta([sphere.state.copy()])))
    with requests.counting() as sent:
        sphere.Radius = 2  # the mirror says 2, but it may be stale: sent (the server drops a true no-op)
        cone.Height = cone.Height  # no event waits for the cone: dropped
    assert sent == ["UpdateProxy"]
    simple.processServerEvents()
    with requests.counting() as sent:
        sphere.Radius = 2  # the queue is applied: the mirror is current again
    assert sent == []


def test_a_batch_is_one_request_and_one_undo_step(simple_state) -> None:
    simple = simple_state
    conn = simple.Connect()
    requests = Requests(conn)
    cone = simple.Cone()
    labels = undo_labels(conn)
    with requests.counting() as sent, simple.Batch("Build"):
        sphere = simple.Sphere(Radius=3)
        shrink = simple.Shrink(Input=sphere, ShrinkFactor=0.25)  # a reference to a proxy of the same batch
        shrink.ShrinkFactor = 0.75  # an update of one
        simple.Delete(cone)
        with pytest.raises(PVError, match="when its batch is sent"):
            _ = sphere.Radius  # not created yet
    assert sent == ["Batch"]
    # The proxies the batch created are ordinary proxies once the block ended.
    assert sphere.GlobalID > 0 and sphere.Radius == 3
    assert shrink.Input == sphere and shrink.ShrinkFactor == 0.75
    assert simple.FindSource("Cone1") is None
    assert shrink.GetDataInformation().GetNumberOfCells() == sphere.GetDataInformation().GetNumberOfCells()
    assert undo_labels(conn) == [*labels, "Build"]
    simple.Undo()  # the whole batch at once
    assert sorted(n for n, _ in simple.GetSources()) == ["Cone1"]
    simple.Redo()
    assert sorted(n for n, _ in simple.GetSources()) == ["Shrink1", "Sphere1"]


def test_a_batch_with_a_bad_item_changes_nothing(simple_state) -> None:
    simple = simple_state
    conn = simple.Connect()
    sphere = simple.Sphere()
    shrink = simple.Shrink(Input=sphere)
    before, labels = conn.state_dump(), undo_labels(conn)
    with pytest.raises(DependencyError, match="Batch item 3") as raised, conn.batch():
        cone = simple.Cone()
        sphere.Radius = 4
        shrink.Input = shrink  # the server refuses: a cycle
        simple.Delete(cone)
    assert "Nothing in the batch was changed" in str(raised.value)
    assert conn.state_dump() == before and undo_labels(conn) == labels
    with pytest.raises(PVError):
        _ = cone.Height  # never created
    assert sphere.Radius == 0.5
    requests = Requests(conn)
    with requests.counting() as sent, pytest.raises(PropertyError), conn.batch():
        simple.Cone()
        sphere.Radius = -1  # refused here, inside the block: the block ends with it, and sends nothing
    assert sent == [] and conn.state_dump() == before


def test_an_exception_inside_a_batch_sends_nothing_and_batches_nest(simple_state) -> None:
    simple = simple_state
    conn = simple.Connect()
    requests = Requests(conn)
    with requests.counting() as sent, pytest.raises(RuntimeError), conn.batch():
        simple.Sphere()
        raise RuntimeError("changed my mind")
    assert sent == [] and simple.GetSources() == {}
    with requests.counting() as sent, conn.batch("Outer"):
        simple.Sphere()
        with conn.batch("Inner"):
            simple.Cone()
        assert sent == []  # the inner block joined the outer one
    assert sent == ["Batch"] and undo_labels(conn)[-1] == "Outer"
    with requests.counting() as sent, conn.batch():
        pass
    assert sent == []


def test_a_reference_to_a_create_the_batch_has_not_made_yet_is_refused(simple_state) -> None:
    simple = simple_state
    conn = simple.Connect()
    sphere = simple.Sphere()
    with pytest.raises(PropertyError, match="create number 2"):
        conn.request(messages.Batch([messages.CreateProxy("sources", "Cone"), messages.UpdateProxy(-2, {})]))
    with pytest.raises(PropertyError, match="this batch creates that input"), conn.batch():
        wavelet = simple.Wavelet()
        simple.Contour(Input=wavelet)  # its defaults come from the input's data, which the ranks lack yet
    assert [p.type_name for p in conn.proxies()] == ["Sphere"] and sphere.GlobalID in conn.states
