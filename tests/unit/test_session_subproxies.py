"""Pure session logic: sub-proxies (a Clip's plane, a Glyph's shape) are created, replaced and centred with their
owner.

No network, no MPI, no VTK: the session is driven directly, the way the service drives it.
"""

from __future__ import annotations

import pytest
from session_steps import create, filt, image_info, update

from pvcore.errors import PropertyError
from pvserver.pipeline import catalogue
from pvserver.session import Session

pytestmark = pytest.mark.timeout(30)


# ------------------------------------------------------------------------------------------ sub-proxies


def test_subproxy_is_created_before_its_owner(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    delta = session.plan_create("filters", "Clip", {"Input": (wavelet.global_id,)})
    sub, clip = delta.states
    assert (sub.group, sub.type) == ("implicit_functions", "Plane")
    assert sub.parent_id == clip.global_id
    assert clip.properties["ClipType"] == (sub.global_id,)
    assert clip.properties["Invert"] == (1,)
    assert sub.properties == catalogue.get("implicit_functions", "Plane").defaults()


def test_subproxy_of_a_chosen_type(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    clip = filt(session, "Clip", wavelet, ClipType=("Sphere",))
    sub = session.state(clip.properties["ClipType"][0])
    assert sub.type == "Sphere" and sub.group == "implicit_functions"


def test_subproxy_replacement_deletes_the_old_helper(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    clip = filt(session, "Clip", wavelet)
    old_plane = clip.properties["ClipType"][0]
    delta = session.plan_update(clip.global_id, {"ClipType": ("Sphere",)})
    assert old_plane in delta.deleted_ids
    new_sub = delta.states[0]
    assert new_sub.type == "Sphere" and new_sub.parent_id == clip.global_id
    session.commit(delta)
    clip = session.state(clip.global_id)
    assert clip.properties["ClipType"] == (new_sub.global_id,)
    assert old_plane not in session.states
    assert session.state(new_sub.global_id).type == "Sphere"


def test_subproxy_cannot_point_at_another_proxy(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    clip = filt(session, "Clip", wavelet)
    same = update(session, clip, ClipType=clip.properties["ClipType"])  # setting the current id is a no-op
    assert same.properties["ClipType"] == clip.properties["ClipType"]
    with pytest.raises(PropertyError, match="ClipType"):
        session.plan_update(clip.global_id, {"ClipType": (wavelet.global_id,)})


def test_subproxies_are_centred_on_the_input_bounds(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    info = image_info(bounds=(0.0, 4.0, -2.0, 2.0, 10.0, 20.0))
    clip = filt(session, "Clip", wavelet, info=info)
    plane = session.state(clip.properties["ClipType"][0])
    assert plane.properties["Origin"] == (2.0, 0.0, 15.0)
    assert plane.properties["Normal"] == (1.0, 0.0, 0.0)
    clip = update(session, clip, info=info, ClipType=("Sphere",))
    assert session.state(clip.properties["ClipType"][0]).properties["Center"] == (2.0, 0.0, 15.0)
    sliced = filt(session, "Slice", wavelet, info=info)
    assert session.state(sliced.properties["SliceType"][0]).properties["Origin"] == (2.0, 0.0, 15.0)


def test_subproxies_without_information_keep_their_defaults(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    clip = filt(session, "Clip", wavelet)
    assert session.state(clip.properties["ClipType"][0]).properties["Origin"] == (0.0, 0.0, 0.0)
