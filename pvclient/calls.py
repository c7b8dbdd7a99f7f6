"""The typed requests of a connection beyond proxies: collaboration, undo, rendering, files and data.

:class:`Calls` is a base of :class:`pvclient.connection.Connection`; ``simple`` calls these methods and never
builds a message itself. Each one is one request (the reply's state changes reach the mirror, as any reply's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pvcore import messages
from pvcore.errors import PropertyError

if TYPE_CHECKING:
    from pvclient.proxy import Proxy


class Calls:
    """Requests that need no proxy class, and who is who in the session: the mixin needs ``request(message)``,
    ``users`` and ``client_id``."""

    users: messages.UserList
    client_id: int

    def request(self, request: Any) -> Any:  # pragma: no cover - Connection's
        raise NotImplementedError

    # ----------------------------------------------------------------------------------- collaboration

    def user_id(self, user: int | str) -> int:
        """A user's client id, from its id or name."""
        for u in self.users.users:
            if user in (u.client_id, u.name):
                return u.client_id
        names = ", ".join(f"{u.name} ({u.client_id})" for u in self.users.users)
        raise PropertyError(f"No user {user!r} in this session; users are: {names}.")

    def user_name(self, client_id: int | None = None) -> str:
        """The name of a user (default: this client)."""
        cid = self.client_id if client_id is None else client_id
        return next((u.name for u in self.users.users if u.client_id == cid), f"User {cid}")

    def is_master(self) -> bool:
        """True if this client is the session's master."""
        return self.users.master_id == self.client_id

    def promote(self, user: int | str) -> None:
        """Master only: hand the master role to a user (name or client id)."""
        self.request(messages.PromoteRequest(self.user_id(user)))

    def follow(self, user: int | str | None) -> None:
        """Take a user's camera from now on (name or client id); None to keep one's own camera again."""
        self.request(messages.FollowRequest(0 if user is None else self.user_id(user)))

    def make_everyone_follow(self) -> None:
        """Master only: every other client takes this client's camera."""
        self.request(messages.FollowRequest(self.client_id, everyone=True))  # type: ignore[attr-defined]

    def send_chat(self, text: str) -> None:
        """Send a chat message to every client of the session (this one gets it back as an event)."""
        self.request(messages.ChatRequest(text))

    def disable_connections(self) -> None:
        """Master only: the server accepts no further clients."""
        self.request(messages.DisableConnections())

    # ----------------------------------------------------------------------------------- undo

    def undo(self) -> None:
        """Undo the session's last step (master only); every client gets the states it restores."""
        self.request(messages.UndoRequest("undo"))

    def redo(self) -> None:
        """Redo the last undone step (master only)."""
        self.request(messages.UndoRequest("redo"))

    def undo_status(self) -> messages.UndoStatus:
        """The labels of the steps that can be undone and redone, oldest first."""
        return self.request(messages.UndoRequest("status"))

    def begin_undo_set(self, label: str = "") -> None:
        """Group the following changes into one undo step until :meth:`end_undo_set` (sets nest)."""
        self.request(messages.UndoRequest("begin", label))

    def end_undo_set(self) -> None:
        """Close the undo set :meth:`begin_undo_set` opened."""
        self.request(messages.UndoRequest("end"))

    # ----------------------------------------------------------------------------------- views, files, data

    def reset_camera(self, view: Proxy) -> None:
        """Fit a view's camera (this client's) to the bounds of what it shows."""
        self.request(messages.Invoke(view.GlobalID, "ResetCamera"))

    def render(
        self,
        view: Proxy,
        width: int = 0,
        height: int = 0,
        fmt: str = "png",
        quality: int = 90,
        interactive: bool = False,
    ) -> messages.Image:
        """Render a view on the server at a size (0: its ViewSize) and return the encoded image."""
        return self.request(messages.RenderRequest(view.GlobalID, int(width), int(height), fmt, quality, interactive))

    def save_data(self, proxy: Proxy, path: str, overwrite: bool = False) -> None:
        """Master only: write a proxy's data on the server (under its --data-dir); every client is told."""
        self.request(messages.SaveDataRequest(proxy.GlobalID, str(path), bool(overwrite)))

    def fetch(self, proxy: Proxy, max_bytes: int = 0) -> messages.DataObject:
        """A proxy's data merged over all ranks, as the bytes of a VTK XML file (0: the server's size limit)."""
        return self.request(messages.FetchRequest(proxy.GlobalID, int(max_bytes)))
