"""Pure session logic: planning and committing changes, registration names, read-only properties, clients.

No network, no MPI, no VTK: the session is driven directly, the way the service drives it.
"""

from __future__ import annotations

import copy

import pytest
from session_steps import create, filt, update

from pvcore.errors import DependencyError, PropertyError, ProxyNotFoundError, UnknownProxyTypeError
from pvserver.session import Session

pytestmark = pytest.mark.timeout(30)


# ------------------------------------------------------------------------------------------ plan / commit


def test_plan_changes_nothing_until_committed(session: Session) -> None:
    delta = session.plan_create("sources", "Sphere", {"Radius": (2.0,)})
    assert session.states == {}
    (st,) = delta.states
    assert st.type == "Sphere" and st.group == "sources"
    assert st.properties["Radius"] == (2.0,)
    assert st.properties["ThetaResolution"] == (8,)  # unset properties take their defaults
    session.commit(delta)
    assert session.state(st.global_id).properties["Radius"] == (2.0,)


def test_commit_stores_a_copy(session: Session) -> None:
    delta = session.plan_create("sources", "Sphere", {})
    session.commit(delta)
    delta.states[0].properties["Radius"] = (99.0,)
    assert session.state(delta.states[0].global_id).properties["Radius"] == (0.5,)


def test_plan_update_changes_nothing_until_committed(session: Session) -> None:
    sphere = create(session, "Sphere")
    before = copy.deepcopy(session.states)
    delta = session.plan_update(sphere.global_id, {"Radius": (3.0,)})
    assert session.states == before
    assert delta.states[-1].properties["Radius"] == (3.0,)
    assert delta.states[-1].version == sphere.version + 1
    after = update(session, sphere, Radius=(3.0,))
    assert after.properties["Radius"] == (3.0,)
    assert after.version == sphere.version + 1


@pytest.mark.parametrize(
    "plan",
    [
        lambda s, ids: s.plan_create("sources", "Sphere", {"Radius": (-1.0,)}),
        lambda s, ids: s.plan_create("sources", "Sphere", {"Radus": (1.0,)}),
        lambda s, ids: s.plan_create("sources", "Spheer", {}),
        lambda s, ids: s.plan_create("filters", "Shrink", {}),  # no Input
        lambda s, ids: s.plan_create("filters", "Shrink", {"Input": (999,)}),
        lambda s, ids: s.plan_create("filters", "Clip", {"Input": (ids["sphere"],), "ClipType": ("Torus",)}),
        lambda s, ids: s.plan_create("filters", "Clip", {"Input": (ids["sphere"],), "ClipType": (ids["plane"],)}),
        lambda s, ids: s.plan_update(ids["sphere"], {"Radius": ("big",)}),
        lambda s, ids: s.plan_update(ids["shrink"], {"Input": (ids["shrink"],)}),
        lambda s, ids: s.plan_update(ids["clip"], {"ClipType": ("Torus",)}),
        lambda s, ids: s.plan_update(ids["clip"], {"ClipType": (ids["sphere"],)}),
        lambda s, ids: s.plan_update(12345, {"Radius": (1.0,)}),
        lambda s, ids: s.plan_delete(ids["plane"]),  # a filter's helper lives and dies with it
        lambda s, ids: s.plan_delete(12345),
    ],
)
def test_a_refused_plan_changes_nothing(session: Session, plan) -> None:
    sphere = create(session, "Sphere")
    shrink = filt(session, "Shrink", sphere)
    clip = filt(session, "Clip", sphere)
    ids = {"sphere": sphere.global_id, "shrink": shrink.global_id, "clip": clip.global_id}
    ids["plane"] = clip.properties["ClipType"][0]
    before = copy.deepcopy(session.states)
    snapshot = session.snapshot()
    with pytest.raises((PropertyError, DependencyError, ProxyNotFoundError, UnknownProxyTypeError)):
        plan(session, ids)
    assert session.states == before
    assert session.snapshot() == snapshot
    assert create(session, "Sphere").name == "Sphere2"  # the refused plan used up no name


def test_a_plan_that_is_never_committed_uses_up_no_name(session: Session) -> None:
    """The service drops a plan whose execution failed on the ranks: the session must be as before."""
    session.plan_create("sources", "Sphere", {})  # e.g. the ranks failed to apply it
    assert create(session, "Sphere").name == "Sphere1"


def test_proxy_not_found(session: Session) -> None:
    with pytest.raises(ProxyNotFoundError) as info:
        session.state(42)
    assert info.value.proxy_id == 42
    assert "42" in str(info.value)


# ------------------------------------------------------------------------------------------ names


def test_registration_names_count_per_type(session: Session) -> None:
    names = [create(session, t).name for t in ("Sphere", "Sphere", "Cone", "Sphere", "Cone")]
    assert names == ["Sphere1", "Sphere2", "Cone1", "Sphere3", "Cone2"]
    wavelet = create(session, "Wavelet")
    assert filt(session, "Contour", wavelet).name == "Contour1"
    assert filt(session, "Contour", wavelet).name == "Contour2"


def test_explicit_names_and_taken_names(session: Session) -> None:
    assert create(session, "Sphere", name="Ball").name == "Ball"
    assert create(session, "Sphere", name="Sphere2").name == "Sphere2"
    assert create(session, "Sphere").name == "Sphere1"
    assert create(session, "Sphere").name == "Sphere3"  # Sphere2 is taken


def test_rename(session: Session) -> None:
    sphere = create(session, "Sphere")
    renamed = update(session, sphere, name="Earth")
    assert renamed.name == "Earth"
    assert renamed.properties == sphere.properties


def test_ids_are_unique(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    clip = filt(session, "Clip", wavelet)
    ids = [s.global_id for s in session.states.values()]
    assert len(ids) == len(set(ids)) == 3
    assert clip.properties["ClipType"][0] not in (wavelet.global_id, clip.global_id)


# ------------------------------------------------------------------------------------------ clients


def test_clients_get_paraview_default_names(session: Session) -> None:
    first = session.add_client()
    second = session.add_client("alice")
    assert first.user == f"User {first.client_id}"
    assert second.user == "alice"
    assert first.client_id != second.client_id
    session.remove_client(first.client_id)
    assert set(session.clients) == {second.client_id}


def test_sequence_numbers_increase(session: Session) -> None:
    assert [session.next_sequence() for _ in range(3)] == [1, 2, 3]
    assert session.sequence == 3


def test_a_read_only_property_is_computed_not_set(session: Session) -> None:
    """TimestepValues comes from the file series (its domain); a client's value is refused, at creation and later."""
    files = {"FileName": ("/data/a_0.vti", "/data/a_1.vti")}
    with pytest.raises(PropertyError, match="TimestepValues is read-only"):
        session.plan_create("sources", "FileReader", {**files, "TimestepValues": (5.0,)})
    delta = session.plan_create("sources", "FileReader", files)
    session.commit(delta)
    assert delta.states[-1].properties["TimestepValues"] == (0.0, 1.0)
    with pytest.raises(PropertyError, match="read-only"):
        session.plan_update(delta.states[-1].global_id, {"TimestepValues": (7.0,)})
