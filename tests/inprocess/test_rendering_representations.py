"""Rendering on the built-in session: representation types, visibility, colour, opacity, background, axes.

Every check looks at pixels (decoded with ``pvserver.rendering.imaging.decode_image``) or at numbers computed by
VTK called directly, so that it fails when the feature breaks, not only when an exception is raised.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from rendering_checks import BLACK, changed, foreground, make_view, pixels, sphere_scene

from pvcore.errors import PropertyError
from pvserver.rendering.annotations import AXES_FRACTION

pytestmark = pytest.mark.timeout(60)


# ------------------------------------------------------------------------------------------ representations


def test_hide_and_visibility_remove_the_data_from_the_image(simple) -> None:
    sphere, view, rep = sphere_scene(simple)
    assert foreground(pixels(view), BLACK).mean() > 0.1
    simple.Hide(sphere, view)
    assert rep.Visibility == 0
    assert not foreground(pixels(view), BLACK).any()
    simple.Show(sphere, view)
    assert rep.Visibility == 1
    assert foreground(pixels(view), BLACK).mean() > 0.1
    rep.Visibility = 0
    assert not foreground(pixels(view), BLACK).any()


@pytest.mark.parametrize("kind", ["Surface", "Wireframe", "Points", "Outline", "Surface With Edges"])
def test_hiding_any_representation_type_leaves_an_empty_image(simple, kind: str) -> None:
    sphere, view, _rep = sphere_scene(simple, Representation=kind)
    assert foreground(pixels(view), BLACK).any()
    simple.Hide(sphere, view)
    assert not foreground(pixels(view), BLACK).any(), f"a hidden {kind} representation is still drawn"


def test_representation_types_change_the_image(simple) -> None:
    _, view, rep = sphere_scene(simple)
    surface = pixels(view)
    covered = foreground(surface, BLACK).mean()
    images = {}
    for kind in ("Wireframe", "Points", "Outline", "Surface With Edges"):
        rep.Representation = kind
        images[kind] = pixels(view)
        assert changed(surface, images[kind]).mean() > 0.01, kind
    assert foreground(images["Outline"], BLACK).mean() < 0.3 * covered  # twelve lines, no surface
    assert foreground(images["Points"], BLACK).mean() < 0.8 * covered
    assert foreground(images["Wireframe"], BLACK).mean() < covered
    assert changed(images["Wireframe"], images["Points"]).mean() > 0.01
    rep.Representation = "Surface With Edges"
    rep.EdgeColor = [1.0, 0.0, 0.0]  # red edges on a white surface
    image = pixels(view)
    reddish = (image[..., 0] > 100) & (image[..., 0] > image[..., 1] + 60)
    assert reddish.mean() > 0.01
    rep.Representation = "Surface"
    assert not changed(surface, pixels(view)).any()  # back to the first picture exactly
    with pytest.raises(PropertyError, match="Wireframe"):
        rep.Representation = "Hologram"


def test_diffuse_color_shows_in_the_pixels(simple) -> None:
    _, view, rep = sphere_scene(simple, DiffuseColor=[1.0, 0.0, 0.0])
    image = pixels(view)
    mask = foreground(image, BLACK)
    red = image[mask]
    assert red[:, 0].mean() > 100
    assert red[:, 1].max() <= 3
    assert red[:, 2].max() <= 3
    rep.DiffuseColor = [0.0, 0.0, 1.0]
    blue = pixels(view)[mask]
    assert blue[:, 2].mean() > 100
    assert blue[:, 0].max() <= 3


def test_opacity_blends_with_the_background(simple) -> None:
    _, view, rep = sphere_scene(simple, DiffuseColor=[1.0, 0.0, 0.0])
    view.Background = [0.0, 0.0, 1.0]
    h, w = view.ViewSize[1] // 2, view.ViewSize[0] // 2
    opaque = pixels(view)[h, w]
    assert opaque[0] > 200 and opaque[2] < 10
    rep.Opacity = 0.4
    blended = pixels(view)[h, w]
    assert 40 < blended[0] < opaque[0] - 40  # less of the red sphere
    assert blended[2] > 40  # some of the blue background shows through
    rep.Opacity = 0.0
    assert not foreground(pixels(view), [0.0, 0.0, 1.0]).any()


def test_background_colour_appears_in_the_corners(simple) -> None:
    _, view, _ = sphere_scene(simple)
    for colour in ([0.0, 1.0, 0.0], [0.2, 0.4, 0.6]):
        view.Background = colour
        image = pixels(view)
        expected = np.round(np.asarray(colour) * 255)
        for corner in (image[0, 0], image[0, -1], image[-1, 0], image[-1, -1]):
            assert corner == pytest.approx(expected, abs=1)


def test_orientation_axes_are_drawn_in_the_bottom_left_corner(simple) -> None:
    _, view, _ = sphere_scene(simple)
    without = pixels(view)
    view.OrientationAxesVisibility = 1
    with_axes = pixels(view)
    height, width = with_axes.shape[:2]
    side = math.ceil(AXES_FRACTION * min(width, height))
    diff = changed(without, with_axes, threshold=8)
    assert diff[height - side :, :side].mean() > 0.05
    diff[height - side :, :side] = False
    assert not diff.any(), "the orientation axes changed pixels outside their corner"
    view.OrientationAxesVisibility = 0
    assert not changed(without, pixels(view), threshold=0).any()


def test_paraviews_light_kit_is_warm_and_the_headlight_white(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=48, PhiResolution=48)
    kit = make_view(simple, UseLight=1, LightSwitch=0)  # ParaView's default lighting
    simple.Show(sphere, kit)
    image = pixels(kit)
    lit = foreground(image, BLACK)
    red, blue = image[lit][:, 0].astype(float).mean(), image[lit][:, 2].astype(float).mean()
    assert red > blue + 4  # the key light's warmth tints a white surface (168 against 161 on average)
    headlight = make_view(simple)  # the tests' lighting: a white headlight alone
    simple.Show(sphere, headlight)
    plain = pixels(headlight)
    assert np.abs(plain[lit][:, 0].astype(int) - plain[lit][:, 2].astype(int)).max() <= 2
    kit.KeyLightIntensity = 0.2  # the kit's settings are the view's properties
    assert changed(image, pixels(kit)).mean() > 0.05
