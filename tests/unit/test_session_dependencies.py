"""Pure session logic: dependencies between proxies (deletion, cycles, chain depth) and snapshots in dependency
order.

No network, no MPI, no VTK: the session is driven directly, the way the service drives it.
"""

from __future__ import annotations

import sys

import pytest
from session_steps import create, delete, filt, update

from pvcore.errors import DependencyError, PropertyError
from pvcore.messages import ProxyState
from pvcore.ordering import MAX_PIPELINE_DEPTH
from pvserver.pipeline import catalogue
from pvserver.session import Session
from pvserver.undo import dependency_order

pytestmark = pytest.mark.timeout(30)


# ------------------------------------------------------------------------------------------ dependencies


def test_delete_while_consumed_unregisters_until_the_consumer_goes(session: Session) -> None:
    """ParaView's: the consumer keeps its input (see test_session_deletion.py for the whole behaviour)."""
    sphere = create(session, "Sphere")
    shrink = filt(session, "Shrink", sphere)
    delete(session, sphere)
    assert session.state(sphere.global_id).name == ""
    assert session.state(shrink.global_id).properties["Input"] == (sphere.global_id,)
    delete(session, shrink)
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
    _, tip = chain(session, MAX_PIPELINE_DEPTH)
    with pytest.raises(DependencyError, match=f"more than the {MAX_PIPELINE_DEPTH}"):
        filt(session, "Shrink", tip)


def test_linking_chains_is_refused_once_the_whole_chain_would_exceed_the_limit(session: Session) -> None:
    # Three chains of a bit more than a half of the limit each: linking the second below the first makes a
    # chain within the limit only if checked link by link; the whole resulting depth is what counts.
    half = MAX_PIPELINE_DEPTH // 2 + 2
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
    head4, _ = chain(session, MAX_PIPELINE_DEPTH - 3)
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
