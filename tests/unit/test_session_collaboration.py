"""Pure session logic of collaboration: master, failover, follow, per-client cameras, chat history."""

from __future__ import annotations

import pytest

from pvcore.errors import PermissionDeniedError, PropertyError
from pvcore.messages import ProxyState, StateDelta
from pvserver.session import CHAT_HISTORY, Session


def test_first_client_is_master_and_others_are_refused() -> None:
    s = Session()
    alice, bob = s.add_client("alice"), s.add_client()
    assert s.master_id == alice.client_id
    assert bob.user == f"User {bob.client_id}"
    s.check_master(alice.client_id, "change the pipeline")
    with pytest.raises(PermissionDeniedError, match="alice"):
        s.check_master(bob.client_id, "change the pipeline")


def test_the_longest_connected_client_takes_over() -> None:
    s = Session()
    a, b, c = s.add_client("a"), s.add_client("b"), s.add_client("c")
    s.master_id = c.client_id
    s.remove_client(b.client_id)
    assert s.master_id == c.client_id  # a non-master leaving changes nothing
    reason = s.remove_client(c.client_id)
    assert s.master_id == a.client_id and "a is now master" in reason
    s.remove_client(a.client_id)
    assert s.master_id == 0


def test_cameras_are_per_client_and_pass_to_followers() -> None:
    s = Session()
    a, b, c = s.add_client("a"), s.add_client("b"), s.add_client("c")
    view = ProxyState(7, "views", "RenderView", "RenderView1", {"CameraPosition": (0.0, 0.0, 1.0), "ViewSize": (4, 4)})
    s.commit(StateDelta([view]))
    s.following[b.client_id] = a.client_id
    changed = s.set_camera(a.client_id, 7, {"CameraPosition": (1.0, 2.0, 3.0)})
    assert sorted(changed) == [a.client_id, b.client_id]
    assert s.as_seen_by(b.client_id, view).properties["CameraPosition"] == (1.0, 2.0, 3.0)
    assert s.as_seen_by(c.client_id, view).properties["CameraPosition"] == (0.0, 0.0, 1.0)
    assert s.states[7].properties["CameraPosition"] == (0.0, 0.0, 1.0)  # shared state untouched
    s.remove_client(a.client_id)
    assert b.client_id not in s.following


def test_chat_keeps_a_bounded_history_and_checks_users() -> None:
    s = Session()
    a = s.add_client("a")
    for i in range(CHAT_HISTORY + 5):
        s.add_chat(a.client_id, str(i))
    assert len(s.chat) == CHAT_HISTORY and s.chat[0].text == "5"
    with pytest.raises(PropertyError, match="users are"):
        s.add_chat(99, "who?")
