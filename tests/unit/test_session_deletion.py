"""Delete as ParaView's, in the pure session logic: a proxy a filter still uses is unregistered (no name, its
representations gone) and deleted for good, in the same delta, once its last user goes or lets go of it. A helper
property holding a proxy it does not own (a shared PiecewiseFunction) gets a fresh helper when that proxy goes.

No network, no MPI, no VTK: the session is driven the way the service drives it.
"""

from __future__ import annotations

import itertools

import pytest
from session_steps import create, delete, filt, update

from pvcore import messages
from pvcore.errors import DependencyError
from pvcore.messages import ProxyState
from pvserver.batches import plan_batch
from pvserver.session import Session

pytestmark = pytest.mark.timeout(60)


def show(session: Session, source: ProxyState, view: ProxyState) -> ProxyState:
    """A representation of ``source`` in ``view``, listed in the view's Representations (as simple.Show does)."""
    rep = create(session, "GeometryRepresentation", "representations", Input=(source.global_id,))
    reps = session.state(view.global_id).properties.get("Representations", ())
    update(session, session.state(view.global_id), Representations=(*reps, rep.global_id))
    return rep


def undo(session: Session, redo: bool = False) -> None:
    step, delta = session.history.plan(session.states, redo)
    session.commit(delta)
    session.history.done(step, redo)


def dump(session: Session) -> dict:
    return {gid: (st.name, st.parent_id, st.properties) for gid, st in session.states.items()}


def registered(session: Session) -> set[str]:
    return {st.name for st in session.states.values() if st.group in ("sources", "filters") and st.name}


@pytest.fixture
def pipeline(session: Session) -> dict[str, ProxyState]:
    """Wavelet -> Contour -> Clip, Wavelet shown in a view."""
    view = create(session, "RenderView", "views")
    wavelet = create(session, "Wavelet")
    contour = filt(session, "Contour", wavelet)
    clip = filt(session, "Clip", contour)
    rep = show(session, wavelet, view)
    return {"view": view, "wavelet": wavelet, "contour": contour, "clip": clip, "rep": rep}


def test_a_used_source_is_unregistered_and_its_representations_go(session: Session, pipeline) -> None:
    wavelet, contour, view, rep = (pipeline[k] for k in ("wavelet", "contour", "view", "rep"))
    delta = session.plan_delete(wavelet.global_id)
    assert rep.global_id in delta.deleted_ids and wavelet.global_id not in delta.deleted_ids
    session.commit(delta)
    left = session.state(wavelet.global_id)
    assert left.name == "" and left.properties == wavelet.properties and left.version == wavelet.version + 1
    assert session.state(contour.global_id).properties["Input"] == (wavelet.global_id,)  # still its input
    assert rep.global_id not in session.states
    assert session.state(view.global_id).properties["Representations"] == ()
    assert registered(session) == {"Contour1", "Clip1"}
    assert session.plan_delete(wavelet.global_id).deleted_ids == []  # deleting it again changes nothing


def test_the_last_user_takes_the_unregistered_inputs_along_in_one_delta(session: Session, pipeline) -> None:
    wavelet, contour, clip = (pipeline[k] for k in ("wavelet", "contour", "clip"))
    delete(session, wavelet)
    delete(session, contour)
    assert session.state(contour.global_id).name == ""
    delta = session.plan_delete(clip.global_id)
    helpers = {gid for gid, st in session.states.items() if st.parent_id in (contour.global_id, clip.global_id)}
    assert set(delta.deleted_ids) == {wavelet.global_id, contour.global_id, clip.global_id, *helpers}
    session.commit(delta)
    view = pipeline["view"].global_id
    assert {gid for gid, st in session.states.items() if st.parent_id != view} == {view}  # the view (and its own)


def test_an_unregistered_proxy_used_twice_stays_until_both_users_go(session: Session) -> None:
    sphere = create(session, "Sphere")
    clip = filt(session, "Clip", sphere)
    group = create(session, "GroupDatasets", "filters", Input=(sphere.global_id, clip.global_id))
    delete(session, sphere)
    delete(session, clip)  # the group still takes it: unregistered too
    assert {session.state(g).name for g in (sphere.global_id, clip.global_id)} == {""}
    delta = session.plan_delete(group.global_id)
    assert {sphere.global_id, clip.global_id, group.global_id} <= set(delta.deleted_ids)
    session.commit(delta)
    assert session.states == {}


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_any_order_of_deletion_empties_the_pipeline_and_undo_restores_every_step(session: Session, order) -> None:
    sphere = create(session, "Sphere")
    shrink = filt(session, "Shrink", sphere)
    clip = filt(session, "Clip", shrink)
    group = create(session, "GroupDatasets", "filters", Input=(sphere.global_id, clip.global_id))
    proxies = [sphere, shrink, clip, group]
    dumps = [dump(session)]
    for index in order:
        gid = proxies[index].global_id
        if gid in session.states:  # else gone with the last of its users
            session.commit(session.plan_delete(gid), f"Delete {index}")
            dumps.append(dump(session))
        for st in session.states.values():  # every proxy left is registered or still used
            assert st.name or any(
                st.global_id in c.properties.get("Input", ()) for c in session.consumers(st.global_id)
            )
    assert session.states == {}
    for expected in reversed(dumps[:-1]):
        undo(session)
        assert dump(session) == expected
    for expected in dumps[1:]:
        undo(session, redo=True)
        assert dump(session) == expected


def test_a_user_that_takes_another_input_lets_go_of_the_unregistered_one(session: Session) -> None:
    sphere, cone = create(session, "Sphere"), create(session, "Cone")
    shrink = filt(session, "Shrink", sphere)
    delete(session, sphere)
    delta = session.plan_update(shrink.global_id, {"Input": (cone.global_id,)})
    assert delta.deleted_ids == [sphere.global_id]
    assert [st.global_id for st in delta.states] == [shrink.global_id]
    session.commit(delta, "rewire")
    assert sphere.global_id not in session.states
    undo(session)
    assert session.state(sphere.global_id).name == ""
    assert session.state(shrink.global_id).properties["Input"] == (sphere.global_id,)
    # A group that drops one of its inputs lets go of that one only.
    group = create(session, "GroupDatasets", "filters", Input=(sphere.global_id, cone.global_id))
    delete(session, cone)
    update(session, group, Input=(sphere.global_id,))
    assert cone.global_id not in session.states and sphere.global_id in session.states


def test_only_a_filters_helper_is_still_refused(session: Session, pipeline) -> None:
    plane = pipeline["clip"].properties["ClipType"][0]
    with pytest.raises(DependencyError, match="part of Clip1"):
        session.plan_delete(plane)


def test_a_freed_name_is_given_again_as_paraviews_get_unique_proxy_name(session: Session) -> None:
    first, second = create(session, "Sphere"), create(session, "Sphere")
    assert (first.name, second.name) == ("Sphere1", "Sphere2")
    delete(session, first)
    assert create(session, "Sphere").name == "Sphere1"
    assert create(session, "Sphere").name == "Sphere3"
    update(session, second, name="Ball")
    assert create(session, "Sphere").name == "Sphere2"
    used = create(session, "Cone")
    filt(session, "Shrink", used)
    delete(session, used)  # unregistered: its name is free
    assert create(session, "Cone").name == "Cone1"


def test_a_batch_names_its_creates_apart_and_a_dropped_batch_uses_up_no_name(session: Session) -> None:
    create(session, "Sphere")
    items = [messages.CreateProxy("sources", "Sphere", "", {}), messages.CreateProxy("sources", "Sphere", "", {})]
    plan = plan_batch(session, items, None, None)
    assert [st.name for st in plan.delta.states] == ["Sphere2", "Sphere3"]
    assert create(session, "Sphere").name == "Sphere2"  # the batch was never committed


# ------------------------------------------------------------------ helper properties holding a shared proxy

POINTS = (0.0, 0.05, 0.5, 0.0, 4.0, 0.45, 0.5, 0.0)


@pytest.fixture
def shared(session: Session, pipeline) -> dict[str, ProxyState]:
    """Two representations of the Wavelet whose ScaleTransferFunction is one PiecewiseFunction of the user's."""
    function = create(session, "PiecewiseFunction", "piecewise_functions", Points=POINTS)
    first = update(session, pipeline["rep"], ScaleTransferFunction=(function.global_id,))
    second = show(session, pipeline["wavelet"], pipeline["view"])
    second = update(session, second, ScaleTransferFunction=(function.global_id,))
    return {**pipeline, "function": function, "first": first, "second": second}


def fresh_helper(session: Session, owner: ProxyState, replaced: int) -> ProxyState:
    """The helper ``owner`` now holds: a new default PiecewiseFunction of its own, in place of ``replaced``."""
    helper = session.state(session.state(owner.global_id).properties["ScaleTransferFunction"][0])
    assert helper.global_id != replaced and helper.parent_id == owner.global_id
    assert (helper.group, helper.type) == ("piecewise_functions", "PiecewiseFunction")
    assert helper.properties["Points"] == (0.0, 0.0, 0.5, 0.0, 1.0, 1.0, 0.5, 0.0)
    return helper


def assert_undo_and_redo_restore(session: Session, before: dict, after: dict) -> None:
    undo(session)
    assert dump(session) == before
    undo(session, redo=True)
    assert dump(session) == after


def test_naming_a_type_drops_a_shared_function_without_deleting_it(session: Session, shared) -> None:
    function, first, second = (shared[k] for k in ("function", "first", "second"))
    delta = session.plan_update(first.global_id, {"ScaleTransferFunction": "PiecewiseFunction"})
    assert delta.deleted_ids == []
    session.commit(delta)
    fresh_helper(session, first, function.global_id)
    assert session.state(function.global_id).properties["Points"] == POINTS  # the user's function stays
    assert session.state(second.global_id).properties["ScaleTransferFunction"] == (function.global_id,)


def test_deleting_a_shared_function_gives_its_holders_fresh_helpers_and_undo_restores_it(
    session: Session, shared
) -> None:
    function, first, second = (shared[k] for k in ("function", "first", "second"))
    before = dump(session)
    delta = session.plan_delete(function.global_id)
    assert delta.deleted_ids == [function.global_id]
    session.commit(delta, "Delete")
    after = dump(session)
    helpers = {fresh_helper(session, rep, function.global_id).global_id for rep in (first, second)}
    assert len(helpers) == 2 and function.global_id not in session.states
    assert_undo_and_redo_restore(session, before, after)


def test_deleting_the_owner_of_a_shared_helper_gives_the_other_holder_a_fresh_one(session: Session, shared) -> None:
    view, wavelet, second = (shared[k] for k in ("view", "wavelet", "second"))
    cone = create(session, "Cone")
    owner = show(session, cone, view)
    owned = owner.properties["ScaleTransferFunction"][0]
    update(session, second, ScaleTransferFunction=(owned,))
    before = dump(session)
    session.commit(session.plan_delete(cone.global_id), "Delete")  # its representation and helpers go with it
    after = dump(session)
    assert owner.global_id not in session.states and owned not in session.states
    fresh_helper(session, second, owned)
    assert_undo_and_redo_restore(session, before, after)
    assert session.state(wavelet.global_id).name == "Wavelet1"


def test_an_owner_replacing_a_helper_another_holds_gives_that_one_a_fresh_helper(session: Session, shared) -> None:
    first, second = shared["first"], shared["second"]
    owner = update(session, first, ScaleTransferFunction="PiecewiseFunction")
    owned = owner.properties["ScaleTransferFunction"][0]
    update(session, second, ScaleTransferFunction=(owned,))
    before = dump(session)
    session.commit(session.plan_update(owner.global_id, {"ScaleTransferFunction": "PiecewiseFunction"}), "Set")
    after = dump(session)
    assert owned not in session.states
    fresh_helper(session, owner, owned)
    fresh_helper(session, second, owned)
    assert_undo_and_redo_restore(session, before, after)
