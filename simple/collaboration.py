"""Collaboration calls of a shared server (``pvserver --multi-clients``), as in ParaView's collaboration.

The first client is master: only the master changes the pipeline, hands the role over with
``PromoteToMaster(user)``, and can make everyone follow its camera. Every client applies the others' changes
in ``processServerEvents()`` (or continuously with ``EnableBackgroundEvents()``). ``user`` arguments take a
user name or a client id. Every call acts on the active connection unless one is passed.
"""

from __future__ import annotations

from typing import Any

from pvclient.connection import Connection
from pvcore.errors import PVError
from simple.connections import active_connection, processServerEvents, state


def _conn(connection: Connection | None) -> Connection:
    if state.batch_comm is not None:
        raise PVError("pvbatch has no server and no other clients: collaboration calls are for pvpython.")
    return connection or active_connection()


def EnableBackgroundEvents(connection: Connection | None = None) -> None:
    """Apply other clients' changes as they arrive, without calling processServerEvents()."""
    _conn(connection).start_background_events()


def GetUsers(connection: Connection | None = None) -> list[dict[str, Any]]:
    """The users of the session in order of arrival: id, name, master, and whose camera they follow."""
    conn = _conn(connection)
    master = conn.users.master_id
    return [
        {"id": u.client_id, "name": u.name, "master": u.client_id == master, "following": u.following}
        for u in conn.users.users
    ]


def GetUserName(user: int | str | None = None, connection: Connection | None = None) -> str:
    """The name of a user (default: this client)."""
    conn = _conn(connection)
    return conn.user_name(None if user is None else conn.user_id(user))


def GetUserId(connection: Connection | None = None) -> int:
    """This client's id in the session."""
    return _conn(connection).client_id


def IsMaster(connection: Connection | None = None) -> bool:
    """True if this client is the master."""
    return _conn(connection).is_master()


def GetMasterName(connection: Connection | None = None) -> str:
    """The name of the master."""
    conn = _conn(connection)
    return conn.user_name(conn.users.master_id)


def PromoteToMaster(user: int | str, connection: Connection | None = None) -> None:
    """Master only: hand the master role to another user."""
    _conn(connection).promote(user)


def FollowUser(user: int | str | None, connection: Connection | None = None) -> None:
    """Take ``user``'s camera on every processServerEvents(); None to keep one's own camera again."""
    _conn(connection).follow(user)


def MakeEveryoneFollowMe(connection: Connection | None = None) -> None:
    """Master only: every other client takes the master's camera."""
    _conn(connection).make_everyone_follow()


def SendChatMessage(text: str, connection: Connection | None = None) -> None:
    """Send a chat message to every client of the session."""
    _conn(connection).send_chat(text)


def GetChatMessages(connection: Connection | None = None) -> list[tuple[str, str]]:
    """The chat so far (history included for late joiners) as (user name, text), oldest first."""
    return [(m.user, m.text) for m in _conn(connection).chat]


def DisableFurtherConnections(connection: Connection | None = None) -> None:
    """Master only: the server accepts no further clients."""
    _conn(connection).disable_connections()


__all__ = [
    "DisableFurtherConnections",
    "EnableBackgroundEvents",
    "FollowUser",
    "GetChatMessages",
    "GetMasterName",
    "GetUserId",
    "GetUserName",
    "GetUsers",
    "IsMaster",
    "MakeEveryoneFollowMe",
    "PromoteToMaster",
    "SendChatMessage",
    "processServerEvents",
]
