"""Layouts on the built-in session: ParaView's cells, splits and assignments, and screenshots of a whole layout.

A layout's screenshot must be its views' own pictures, each rendered at the size of its cell, joined with
separators: the test renders each view at that size directly and compares the pixels.
"""

from __future__ import annotations

import numpy as np
import pytest
from rendering_checks import make_view, pixels

from pvcore.errors import PVError
from pvserver.rendering.imaging import decode_image, decode_png_alpha

pytestmark = pytest.mark.timeout(90)

SEPARATOR = np.round(np.array([0.937, 0.922, 0.906]) * 255)


def two_views(simple):
    left = make_view(simple, 150, 100, Background=[0.0, 0.0, 0.3])
    simple.Show(simple.Sphere(), left)
    right = make_view(simple, 150, 100, Background=[0.3, 0.0, 0.0])
    simple.Show(simple.Cone(), right)
    for view in (left, right):
        simple.ResetCamera(view)  # only the session's first Render() would (ParaView's rule)
        simple.Render(view)
    return left, right


def test_cells_splits_and_assignments(simple) -> None:
    left, right = two_views(simple)
    layout = simple.CreateLayout("Main")
    assert layout.GetRegistrationName() == "Main" and simple.GetLayoutByName("Main") is layout
    assert simple.GetLayoutByName("Other") is None
    assert layout.AssignView(0, left)
    assert layout.SplitHorizontal(0, 0.5) == 1  # the view moves to the first half
    assert layout.GetViewLocation(left) == 1 and layout.GetView(2) is None
    assert simple.AssignViewToLayout(view=right, layout=layout, hint=2)
    assert layout.GetViewLocation(right) == 2 and simple.GetViewsInLayout(layout) == [left, right]
    assert simple.GetLayout(right) is layout
    third = make_view(simple)
    assert simple.AssignViewToLayout(third, layout)  # no free cell: the last view's cell is split
    assert layout.GetViewLocation(third) in (5, 6) and layout.GetViewLocation(right) in (5, 6)
    with pytest.raises(PVError, match="not an unsplit cell"):
        layout.AssignView(0, third)
    with pytest.raises(PVError, match="between 0 and 1"):
        layout.SplitVertical(1, 1.5)
    other = simple.CreateLayout()
    assert other.GetRegistrationName() == "Layout #2"
    with pytest.raises(PVError, match="one layout at most"):
        simple.AssignViewToLayout(left, other)
    assert [key[0] for key in simple.GetLayouts()] == ["Main", "Layout #2"]
    simple.RemoveLayout(other)
    simple.RemoveLayout(layout)  # the last one: an empty one of the same name replaces it
    (name, _), replacement = next(iter(simple.GetLayouts().items()))
    assert name == "Main" and replacement.GetViews() == []


def test_a_layout_screenshot_joins_its_views(simple, tmp_path) -> None:
    left, right = two_views(simple)
    layout = simple.CreateLayout()
    layout.AssignView(0, left)
    layout.SplitHorizontal(0, 0.4)
    layout.AssignView(2, right)
    layout.SetSize(301, 100)
    path = tmp_path / "layout.png"
    assert simple.SaveScreenshot(str(path), layout)
    image = decode_image(path.read_bytes()).astype(np.int32)
    assert image.shape == (100, 301, 3)
    first = round(300 * 0.4)
    assert (image[:, :first] == pixels(left, width=first, height=100)).all()
    assert (image[:, first] == SEPARATOR).all()
    assert (image[:, first + 1 :] == pixels(right, width=300 - first, height=100)).all()
    # a view with SaveAllViews stands for its whole layout; the resolution and separator may be chosen
    simple.SaveScreenshot(path, left, SaveAllViews=1, ImageResolution=[200, 81], SeparatorWidth=3,
                          SeparatorColor=[1.0, 0.0, 0.0])  # fmt: skip
    image = decode_image(path.read_bytes()).astype(np.int32)
    assert image.shape == (81, 200, 3) and (image[:, 79:82] == [255, 0, 0]).all()


def test_a_layout_screenshot_splits_vertically_and_keeps_transparency(simple, tmp_path) -> None:
    top, bottom = two_views(simple)
    layout = simple.CreateLayout()
    simple.AssignViewToLayout(top, layout)
    layout.SplitVertical(0, 0.5)
    layout.AssignView(2, bottom)
    path = tmp_path / "stack.png"
    simple.SaveScreenshot(path, layout, ImageResolution=[120, 201], TransparentBackground=1)
    image, alpha = decode_image(path.read_bytes()).astype(np.int32), decode_png_alpha(path.read_bytes())
    assert image.shape == (201, 120, 3)
    assert (image[:100] == pixels(top, width=120, height=100))[alpha[:100] == 255].all()
    assert (alpha[100] == 255).all()  # the separator is opaque
    for half in (alpha[:100], alpha[101:]):
        assert 0.2 < (half == 0).mean() < 0.95  # each view's background is transparent, its geometry is not


def test_a_screenshot_named_only_by_its_extension_is_written(simple, tmp_path) -> None:
    view = simple.CreateRenderView(ViewSize=[64, 48])
    simple.Show(simple.Sphere(), view)
    simple.SaveScreenshot(str(tmp_path / ".png"), view)  # '%s/%s.png' % (TempDir, '') in ParaView's scripts
    assert (tmp_path / ".png").read_bytes()[:4] == b"\x89PNG"
