"""Undo/redo as pure session logic: recorded steps, grouped sets, redo branch, dependency order."""

from __future__ import annotations

import copy

import pytest

from pvcore.errors import UndoError
from pvserver.session import Session


def apply(session: Session, delta, label: str = "step") -> None:
    session.commit(delta, label)


def undo(session: Session, redo: bool = False) -> None:
    step, delta = session.history.plan(session.states, redo)
    session.commit(delta)
    session.history.done(step, redo)


def dump(session: Session) -> dict:
    return {gid: (st.group, st.type, st.name, st.parent_id, st.properties) for gid, st in session.states.items()}


def test_undo_and_redo_walk_back_and_forth_through_recorded_dumps(session: Session) -> None:
    dumps = [dump(session)]
    apply(session, session.plan_create("sources", "Wavelet", {}))
    dumps.append(dump(session))
    wavelet = max(session.states)
    apply(session, session.plan_create("filters", "Clip", {"Input": (wavelet,)}))
    dumps.append(dump(session))
    clip = max(gid for gid, st in session.states.items() if st.type == "Clip")
    apply(session, session.plan_update(clip, {"ClipType": ("Sphere",), "Invert": (0,)}))
    dumps.append(dump(session))
    apply(session, session.plan_delete(clip))
    dumps.append(dump(session))
    for expected in reversed(dumps[:-1]):
        undo(session)
        assert dump(session) == expected
    with pytest.raises(UndoError, match="Nothing to undo"):
        session.history.plan(session.states)
    for expected in dumps[1:]:
        undo(session, redo=True)
        assert dump(session) == expected


def test_undoing_a_deletion_restores_ids_links_and_order(session: Session) -> None:
    apply(session, session.plan_create("sources", "Sphere", {}))
    sphere = max(session.states)
    apply(session, session.plan_create("filters", "Slice", {"Input": (sphere,)}))
    before = copy.deepcopy(dump(session))
    slice_id = max(gid for gid, st in session.states.items() if st.type == "Slice")
    apply(session, session.plan_delete(slice_id))
    _, delta = session.history.plan(session.states)
    order = [st.global_id for st in delta.states]
    plane = session.history.undo[-1].before[slice_id].properties["SliceType"][0]
    assert order.index(plane) < order.index(slice_id)  # the helper proxy first, then its owner
    undo(session)
    assert dump(session) == before


def test_sets_group_steps_and_a_new_change_clears_redo(session: Session) -> None:
    history = session.history
    history.begin("Two sources")
    apply(session, session.plan_create("sources", "Cone", {}))
    history.begin("nested")
    apply(session, session.plan_create("sources", "Box", {}))
    history.end()
    history.end()
    assert [s.label for s in history.undo] == ["Two sources"]
    undo(session)
    assert session.states == {}
    assert [s.label for s in history.redo] == ["Two sources"]
    apply(session, session.plan_create("sources", "Line", {}), "Create Line1")
    assert history.redo == []
    with pytest.raises(UndoError, match="without BeginUndoSet"):
        history.end()


def test_undo_is_refused_inside_an_open_set(session: Session) -> None:
    apply(session, session.plan_create("sources", "Cone", {}))
    session.history.begin("open")
    with pytest.raises(UndoError, match="EndUndoSet"):
        session.history.plan(session.states)


@pytest.mark.parametrize("hand_over", ["leaves", "promotes"])
def test_a_set_left_open_by_the_master_closes_when_the_master_changes(session: Session, hand_over: str) -> None:
    alice, bob = session.add_client("alice"), session.add_client("bob")
    history = session.history
    history.begin("Alice's set")
    history.begin("nested")
    apply(session, session.plan_create("sources", "Cone", {}), "Create Cone1")
    if hand_over == "leaves":
        session.remove_client(alice.client_id)
    else:
        session.set_master(bob.client_id)
    assert session.master_id == bob.client_id
    assert [s.label for s in history.undo] == ["Alice's set"] and history.open_set is None
    apply(session, session.plan_create("sources", "Sphere", {}), "Create Sphere1")
    assert [s.label for s in history.undo] == ["Alice's set", "Create Sphere1"]
    with pytest.raises(UndoError, match="without BeginUndoSet"):
        history.end()  # the dead master's EndUndoSet would have nothing left to close
    undo(session)
    assert [st.type for st in session.states.values()] == ["Cone"]  # bob's change is its own step


def test_an_empty_set_left_open_leaves_no_step(session: Session) -> None:
    session.add_client("alice")
    bob = session.add_client("bob")
    session.history.begin("nothing")
    session.set_master(bob.client_id)
    assert session.history.undo == [] and session.history.depth == 0
    session.set_master(bob.client_id)  # no change of master: nothing to close
    session.history.begin("bob's")
    session.set_master(bob.client_id)
    assert session.history.depth == 1
