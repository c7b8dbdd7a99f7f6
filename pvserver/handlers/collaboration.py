"""Collaboration requests: chat, the master role, following cameras, closing the door, leaving."""

from __future__ import annotations

from pvcore import messages
from pvcore.errors import PropertyError
from pvcore.messages import StateDelta
from pvserver.handlers.base import ServicePart

MAX_CHAT_LENGTH = 10_000


class CollaborationRequests(ServicePart):
    """Who is master, who follows whom, what was said."""

    def _chat(self, client_id: int, req: messages.ChatRequest) -> StateDelta:
        text = req.text.strip()
        if not text or len(text) > MAX_CHAT_LENGTH:
            raise PropertyError(f"A chat message must have 1..{MAX_CHAT_LENGTH} characters.")
        self.publish(0, self.session.add_chat(client_id, text))  # origin 0: the sender gets it too
        return StateDelta()

    def _promote(self, client_id: int, req: messages.PromoteRequest) -> StateDelta:
        self.session.check_master(client_id, "hand over the master role")
        target = self.session.client(req.client_id)
        self.session.set_master(target.client_id)
        self.publish(0, self.session.user_list(f"{target.user} is now master"))
        return StateDelta()

    def _follow(self, client_id: int, req: messages.FollowRequest) -> StateDelta:
        session = self.session
        if req.everyone:
            session.check_master(client_id, "make everyone follow its camera")
            followers = [c for c in session.clients if c != client_id]
            followed, reason = client_id, f"everyone follows {session.client(client_id).user}'s camera"
        else:
            followers, followed = [client_id], req.client_id
            if followed == client_id:
                raise PropertyError("A client cannot follow its own camera.")
            target = session.client(followed).user if followed else "nobody"
            reason = f"{session.client(client_id).user} follows {target}"
        for follower in followers:
            if followed:
                session.following[follower] = followed
                for view_id, values in session.cameras.get(followed, {}).items():  # take the camera now
                    if view_id in session.states:  # (a camera of a view deleted since is left alone)
                        self._set_camera(followed, session.state(view_id), values)
            else:
                session.following.pop(follower, None)
        self.publish(0, session.user_list(reason))
        return StateDelta()

    def _disable_connections(self, client_id: int, req: messages.DisableConnections) -> StateDelta:
        self.session.check_master(client_id, "disable further connections")
        self.session.accepting = False
        return StateDelta()

    def _goodbye(self, client_id: int, req: messages.Goodbye) -> StateDelta:
        self.disconnect(client_id)  # type: ignore[attr-defined] - Service's
        return StateDelta()
