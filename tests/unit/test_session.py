"""Pure session logic: planning and committing changes, names, sub-proxies, dependencies, snapshots.

No network, no MPI, no VTK: the session is driven directly, the way the service drives it.
"""

from __future__ import annotations

import copy
import sys

import pytest

from pvcore.errors import DependencyError, PropertyError, ProxyNotFoundError, UnknownProxyTypeError
from pvcore.messages import ArrayInformation, DataInformation, ProxyState
from pvserver import session as session_module
from pvserver.pipeline import catalogue
from pvserver.session import Session, data_dependent_default
from pvserver.undo import dependency_order

pytestmark = pytest.mark.timeout(30)


def create(session: Session, type_name: str, group: str = "sources", name: str = "", info=None, **props) -> ProxyState:
    """Plan and commit a creation, as the service does after the ranks applied it; returns the new state."""
    delta = session.plan_create(group, type_name, props, name, info)
    session.commit(delta)
    return session.state(delta.states[-1].global_id)


def filt(session: Session, type_name: str, source: ProxyState, info=None, **props) -> ProxyState:
    return create(session, type_name, "filters", Input=(source.global_id,), info=info, **props)


def update(session: Session, proxy: ProxyState, name: str = "", info=None, **props) -> ProxyState:
    session.commit(session.plan_update(proxy.global_id, props, name, info))
    return session.state(proxy.global_id)


def delete(session: Session, proxy: ProxyState) -> None:
    session.commit(session.plan_delete(proxy.global_id))


def image_info(bounds=(0.0, 4.0, -2.0, 2.0, 10.0, 20.0)) -> DataInformation:
    """Data information like a Wavelet's: a 1-component point array RTData, a 3-component one first."""
    return DataInformation(
        data_type="vtkImageData",
        number_of_points=10,
        number_of_cells=4,
        bounds=list(bounds),
        point_arrays=[
            ArrayInformation("Normals", 3, [-1, 1, -1, 1, -1, 1, 0, 1]),
            ArrayInformation("RTData", 1, [40.0, 260.0]),
        ],
        cell_arrays=[ArrayInformation("CellId", 1, [0.0, 3.0])],
    )


@pytest.fixture
def session() -> Session:
    return Session()


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
        lambda s, ids: s.plan_create("filters", "Clip", {"Input": (ids["sphere"],), "ClipType": ("Cylinder",)}),
        lambda s, ids: s.plan_create("filters", "Clip", {"Input": (ids["sphere"],), "ClipType": (ids["plane"],)}),
        lambda s, ids: s.plan_update(ids["sphere"], {"Radius": ("big",)}),
        lambda s, ids: s.plan_update(ids["shrink"], {"Input": (ids["shrink"],)}),
        lambda s, ids: s.plan_update(ids["clip"], {"ClipType": ("Cylinder",)}),
        lambda s, ids: s.plan_update(ids["clip"], {"ClipType": (ids["sphere"],)}),
        lambda s, ids: s.plan_update(12345, {"Radius": (1.0,)}),
        lambda s, ids: s.plan_delete(ids["sphere"]),
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


# ------------------------------------------------------------------------------------------ dependencies


def test_delete_refused_while_consumed_names_the_consumer(session: Session) -> None:
    sphere = create(session, "Sphere")
    shrink = filt(session, "Shrink", sphere)
    with pytest.raises(DependencyError) as info:
        session.plan_delete(sphere.global_id)
    assert "Shrink1" in str(info.value)
    assert "Sphere1" in str(info.value)
    assert info.value.proxy_id == sphere.global_id
    delete(session, shrink)
    delete(session, sphere)
    assert session.states == {}


def test_delete_takes_the_subproxies_along(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    clip = filt(session, "Clip", wavelet)
    plane = clip.properties["ClipType"][0]
    delta = session.plan_delete(clip.global_id)
    assert set(delta.deleted_ids) == {plane, clip.global_id}
    session.commit(delta)
    assert set(session.states) == {wavelet.global_id}


def test_a_subproxy_cannot_be_deleted_on_its_own(session: Session) -> None:
    """Its filter would point at nothing (the ranks would fail on every later change of it)."""
    wavelet = create(session, "Wavelet")
    clip = filt(session, "Clip", wavelet)
    plane = clip.properties["ClipType"][0]
    with pytest.raises(DependencyError, match="part of Clip1") as info:
        session.plan_delete(plane)
    assert info.value.proxy_id == plane
    assert session.state(plane).parent_id == clip.global_id


def test_a_filter_cannot_be_its_own_input(session: Session) -> None:
    sphere = create(session, "Sphere")
    shrink = filt(session, "Shrink", sphere)
    with pytest.raises(DependencyError, match="cycle"):
        session.plan_update(shrink.global_id, {"Input": (shrink.global_id,)})
    assert session.state(shrink.global_id).properties["Input"] == (sphere.global_id,)


def test_an_indirect_cycle_is_refused(session: Session) -> None:
    sphere = create(session, "Sphere")
    a = filt(session, "Shrink", sphere)
    b = filt(session, "Elevation", a)
    c = filt(session, "Shrink", b)
    with pytest.raises(DependencyError) as info:
        session.plan_update(a.global_id, {"Input": (c.global_id,)})
    assert info.value.proxy_id == a.global_id
    assert "cycle" in str(info.value)
    # Re-wiring without a cycle is fine.
    assert update(session, c, Input=(sphere.global_id,)).properties["Input"] == (sphere.global_id,)
    assert update(session, a, Input=(c.global_id,)).properties["Input"] == (c.global_id,)


def chain(session: Session, length: int) -> tuple[ProxyState, ProxyState]:
    """A Sphere and ``length - 1`` Shrinks on it; returns the first and last proxy of the chain."""
    head = tip = create(session, "Sphere")
    for _ in range(length - 1):
        tip = filt(session, "Shrink", tip)
    return head, tip


def test_a_chain_may_be_as_long_as_the_limit_and_no_longer(session: Session) -> None:
    _, tip = chain(session, session_module.MAX_PIPELINE_DEPTH)
    with pytest.raises(DependencyError, match=f"more than the {session_module.MAX_PIPELINE_DEPTH}"):
        filt(session, "Shrink", tip)


def test_linking_chains_is_refused_once_the_whole_chain_would_exceed_the_limit(session: Session) -> None:
    # Three chains of a bit more than a half of the limit each: linking the second below the first makes a
    # chain within the limit only if checked link by link; the whole resulting depth is what counts.
    half = session_module.MAX_PIPELINE_DEPTH // 2 + 2
    (_, tip1), (head2, tip2), (head3, _) = chain(session, half), chain(session, half), chain(session, half)
    second = session.consumers(head2.global_id)[0]  # the first Shrink of chain 2: re-link it onto chain 1
    with pytest.raises(DependencyError, match="chain of") as info:
        session.plan_update(second.global_id, {"Input": (tip1.global_id,)})
    assert info.value.property == "Input" and info.value.proxy_id == second.global_id
    # The upstream end of chain 3 re-linked onto chain 2: everything downstream of it counts too.
    third = session.consumers(head3.global_id)[0]
    shorter_tip = session.state(tip2.properties["Input"][0])
    with pytest.raises(DependencyError, match="chain of"):
        session.plan_update(third.global_id, {"Input": (shorter_tip.global_id,)})
    assert session.state(third.global_id).properties["Input"] == (head3.global_id,)
    # What fits is allowed: a short chain linked below a long one.
    _, short_tip = chain(session, 3)
    head4, _ = chain(session, session_module.MAX_PIPELINE_DEPTH - 3)
    first4 = session.consumers(head4.global_id)[0]
    assert update(session, first4, Input=(short_tip.global_id,)).properties["Input"] == (short_tip.global_id,)


def test_snapshots_of_pipelines_deeper_than_the_recursion_limit(session: Session) -> None:
    # Each proxy's input has a higher id than the proxy: the worst case for a recursive walk.
    depth = 3 * sys.getrecursionlimit()
    session.states = {depth: ProxyState(depth, "sources", "Sphere", "s", catalogue.get("sources", "Sphere").defaults())}
    for gid in range(depth - 1, 0, -1):
        properties = {**catalogue.get("filters", "Shrink").defaults(), "Input": (gid + 1,)}
        session.states[gid] = ProxyState(gid, "filters", "Shrink", f"f{gid}", properties)
    ordered = [st.global_id for st in session.snapshot().states]
    assert ordered == list(range(depth, 0, -1))
    assert [st.global_id for st in dependency_order(session.states)] == ordered


def test_input_must_be_a_source_or_filter(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    clip = filt(session, "Clip", wavelet)
    with pytest.raises(PropertyError) as info:
        filt(session, "Shrink", session.state(clip.properties["ClipType"][0]))  # an implicit function
    assert info.value.property == "Input"


def test_consumers(session: Session) -> None:
    sphere = create(session, "Sphere")
    a = filt(session, "Shrink", sphere)
    b = filt(session, "Elevation", sphere)
    filt(session, "Shrink", a)
    assert {c.global_id for c in session.consumers(sphere.global_id)} == {a.global_id, b.global_id}


# ------------------------------------------------------------------------------------------ snapshot


def test_snapshot_puts_inputs_before_consumers(session: Session) -> None:
    s1 = create(session, "Sphere")
    f = filt(session, "Shrink", s1)
    s2 = create(session, "Wavelet")  # created after f, with a higher id
    clip = filt(session, "Clip", s2)
    update(session, f, Input=(clip.global_id,))  # f (low id) now consumes clip (higher id)
    order = [s.global_id for s in session.snapshot().states]
    assert sorted(order) == sorted(session.states)
    for st in session.snapshot().states:
        spec = catalogue.get(st.group, st.type)
        for p in spec.properties:
            if p.kind in ("proxy", "subproxy"):
                for ref in st.properties.get(p.name, ()):
                    assert order.index(ref) < order.index(st.global_id), f"{st.name} before {ref}"
    assert order.index(s2.global_id) < order.index(clip.global_id) < order.index(f.global_id)


def test_snapshot_is_a_copy(session: Session) -> None:
    sphere = create(session, "Sphere")
    snap = session.snapshot()
    snap.states[0].properties["Radius"] = (7.0,)
    assert session.state(sphere.global_id).properties["Radius"] == (0.5,)


# ------------------------------------------------------------------------------------------ data-dependent defaults


def test_contour_defaults_come_from_the_input(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    contour = filt(session, "Contour", wavelet, info=image_info())
    assert contour.properties["ContourBy"] == ("POINTS", "RTData")  # the first 1-component point array
    assert contour.properties["Isosurfaces"] == (150.0,)  # the middle of its range


def test_given_values_win_over_data_dependent_defaults(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    contour = filt(session, "Contour", wavelet, info=image_info(), Isosurfaces=(1.0, 2.0))
    assert contour.properties["Isosurfaces"] == (1.0, 2.0)


def test_threshold_defaults_span_the_array_range(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    threshold = filt(session, "Threshold", wavelet, info=image_info())
    assert threshold.properties["Scalars"] == ("POINTS", "RTData")
    assert threshold.properties["LowerThreshold"] == (40.0,)
    assert threshold.properties["UpperThreshold"] == (260.0,)
    by_cells = filt(session, "Threshold", wavelet, info=image_info(), Scalars=("CELLS", "CellId"))
    assert by_cells.properties["LowerThreshold"] == (0.0,)
    assert by_cells.properties["UpperThreshold"] == (3.0,)


def test_data_dependent_default_rules() -> None:
    info = image_info(bounds=(0.0, 3.0, 0.0, 4.0, 0.0, 0.0))
    fallback = ("fallback",)
    assert data_dependent_default("first_point_array", {}, info, fallback) == ("POINTS", "RTData")
    only_vectors = DataInformation(point_arrays=[ArrayInformation("Normals", 3, [0, 1] * 4)])
    assert data_dependent_default("first_point_array", {}, only_vectors, fallback) == ("POINTS", "Normals")
    assert data_dependent_default("first_point_array", {}, DataInformation(), fallback) == fallback
    selected = {"ContourBy": ("POINTS", "RTData")}
    assert data_dependent_default("array_range_mid", selected, info, fallback) == (150.0,)
    assert data_dependent_default("array_range_min", selected, info, fallback) == (40.0,)
    assert data_dependent_default("array_range_max", selected, info, fallback) == (260.0,)
    cells = {"Scalars": ("CELLS", "CellId")}
    assert data_dependent_default("array_range_max", cells, info, fallback) == (3.0,)
    assert data_dependent_default("array_range_mid", selected, DataInformation(), fallback) == fallback
    assert data_dependent_default("bounds_diagonal_tenth", {}, info, fallback) == pytest.approx((0.5,))
    flat = DataInformation(bounds=[1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    assert data_dependent_default("bounds_diagonal_tenth", {}, flat, fallback) == (1.0,)
    for rule in ("first_point_array", "array_range_mid", "bounds_diagonal_tenth"):
        assert data_dependent_default(rule, selected, None, fallback) == fallback


def test_glyph_scale_factor_from_bounds(session: Session) -> None:
    wavelet = create(session, "Wavelet")
    glyph = filt(session, "Glyph", wavelet, info=image_info(bounds=(0.0, 3.0, 0.0, 4.0, 0.0, 0.0)))
    assert glyph.properties["ScaleFactor"] == pytest.approx((0.5,))
    assert session.state(glyph.properties["GlyphType"][0]).type == "Arrow"


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
