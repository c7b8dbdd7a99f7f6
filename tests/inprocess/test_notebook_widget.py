"""The notebook view widget's Python side: mouse events move this client's camera, frames come from the server."""

from __future__ import annotations

import math

import pytest

from pvclient import notebook

pytestmark = pytest.mark.skipif(notebook.anywidget is None, reason="the notebook extra (anywidget) is not installed")


@pytest.fixture
def widget(simple):
    simple.Sphere()
    simple.Show()
    view = simple.Render()
    return notebook.ViewWidget(view, view.current_image())


def _send(widget, kind: str, **content) -> None:
    widget._on_message(widget, {"kind": kind, **content}, [])


def test_the_first_frame_is_the_views_png(widget) -> None:
    assert widget.mime == "image/png" and widget.frame.startswith(b"\x89PNG")
    assert (widget.width, widget.height) == tuple(widget.view.ViewSize)


def test_dragging_rotates_with_jpeg_frames_then_a_png_still(widget) -> None:
    view = widget.view
    before = tuple(view.CameraPosition)
    _send(widget, "down", x=100, y=100, button=0)
    _send(widget, "move", x=140, y=100, button=0)
    assert widget.mime == "image/jpeg" and widget.frame.startswith(b"\xff\xd8")  # interactive quality
    after = tuple(view.CameraPosition)
    assert after != before
    focal = view.CameraFocalPoint
    assert math.dist(after, focal) == pytest.approx(math.dist(before, focal))  # a rotation about the focal point
    index = widget.index
    _send(widget, "up", x=140, y=100)
    assert widget.mime == "image/png" and widget.index == index + 1


def test_middle_drag_pans_and_the_wheel_zooms(widget) -> None:
    view = widget.view
    focal, position = tuple(view.CameraFocalPoint), tuple(view.CameraPosition)
    _send(widget, "down", x=100, y=100, button=1)
    _send(widget, "move", x=130, y=100, button=1)
    moved = [a - b for a, b in zip(view.CameraFocalPoint, focal, strict=True)]
    assert moved == pytest.approx([a - b for a, b in zip(view.CameraPosition, position, strict=True)])
    assert math.hypot(*moved) > 0
    _send(widget, "up", x=130, y=100)
    distance = math.dist(view.CameraPosition, view.CameraFocalPoint)
    _send(widget, "wheel", delta=-100, x=0, y=0)
    assert math.dist(view.CameraPosition, view.CameraFocalPoint) < distance


def test_a_view_just_rendered_displays_without_a_second_render(simple, monkeypatch) -> None:
    simple.Cone()
    simple.Show()
    view = simple.Render()
    renders = []
    original = view.connection.render
    monkeypatch.setattr(view.connection, "render", lambda *a, **k: renders.append(a) or original(*a, **k))
    bundle = notebook.mimebundle(view)
    assert bundle["image/png"].startswith(b"\x89PNG") and renders == []
    view.CameraPosition = [0, 0, 5]  # a change: the next display renders
    notebook.mimebundle(view)
    assert len(renders) == 1


def test_sources_show_an_html_summary(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=12)
    summary = sphere._repr_html_()
    assert "Sphere" in summary and "ThetaResolution" in summary and "12" in summary
    assert "points" in summary and "Normals" in summary
    assert simple.GetActiveViewOrCreate("RenderView")._repr_html_() is None  # a view shows its image instead
