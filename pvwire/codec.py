"""Conversion between the wire's protobuf messages and the dataclasses of :mod:`pvcore.messages`.

One table per oneof says which field carries each message dataclass (see :mod:`pvwire.table`): a new message
whose fields are those of its protobuf message is one line here. The welcome, sent in parts, is in
:mod:`pvwire.welcome`; property values, states and deltas in :mod:`pvwire.values`.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError

from pvcore import messages as m
from pvcore.errors import ProtocolError
from pvwire import pvcollab_pb2 as pb
from pvwire.table import Entry, Field, Table, repeated
from pvwire.values import (
    ARRAYS,
    BLOCKS,
    CHATS,
    PROPERTIES,
    STATES,
    VALUES,
    decode_chat,
    decode_delta,
    decode_state,
    decode_users,
    decode_value,
    encode_chat,
    encode_delta,
    encode_state,
    encode_users,
    encode_value,
)
from pvwire.welcome import WELCOME_PART_BYTES, decode_welcome, encode_welcome, join_welcome

__all__ = [
    "EVENTS",
    "REPLIES",
    "REQUESTS",
    "WELCOME_PART_BYTES",
    "decode_delta",
    "decode_reply",
    "decode_request",
    "decode_state",
    "decode_value",
    "encode_delta",
    "encode_reply",
    "encode_request",
    "encode_state",
    "encode_value",
    "encode_welcome",
    "join_welcome",
]

NAME = {"name": Field("registration_name")}

#: The changes a Batch holds: the oneof ``item`` of BatchItem.
BATCH_ITEMS = Table(
    pb.BatchItem.DESCRIPTOR,
    "item",
    [
        Entry(m.CreateProxy, "create", fields={**NAME, "properties": PROPERTIES}),
        Entry(m.UpdateProxy, "update", fields={**NAME, "properties": PROPERTIES}),
        Entry(m.DeleteProxy, "delete"),
    ],
)


def _encode_batch_item(item: m.CreateProxy | m.UpdateProxy | m.DeleteProxy, out: pb.BatchItem) -> None:
    if not BATCH_ITEMS.encode(item, out):
        raise ProtocolError(f"A Batch holds creates, updates and deletes, not {type(item).__name__}.")


def _decode_batch_item(msg: pb.BatchItem) -> m.CreateProxy | m.UpdateProxy | m.DeleteProxy:
    item = BATCH_ITEMS.decode(msg)
    if item is None:
        raise ProtocolError("A Batch item holds no create, update or delete.")
    return item


#: What a client sends: the oneof ``body`` of ClientMessage.
REQUESTS = Table(
    pb.ClientMessage.DESCRIPTOR,
    "body",
    [
        Entry(m.Hello, "hello"),
        Entry(m.Authenticate, "authenticate"),
        Entry(m.CreateProxy, "create", fields={**NAME, "properties": PROPERTIES}),
        Entry(m.UpdateProxy, "update", fields={**NAME, "properties": PROPERTIES}),
        Entry(m.DeleteProxy, "delete"),
        Entry(m.Invoke, "invoke", fields={"arguments": VALUES}),
        Entry(m.GatherInformation, "gather_information"),
        Entry(m.RenderRequest, "render", fields={"format": Field(decode=lambda f: f or "png")}),
        Entry(m.Goodbye, "goodbye"),
        Entry(m.ChatRequest, "chat"),
        Entry(m.PromoteRequest, "promote"),
        Entry(m.FollowRequest, "follow"),
        Entry(m.DisableConnections, "disable_connections"),
        Entry(m.UndoRequest, "undo"),
        Entry(m.SaveDataRequest, "save_data"),
        Entry(m.FetchRequest, "fetch"),
        Entry(m.CancelRequest, "cancel"),
        Entry(m.Batch, "batch", fields={"items": repeated(_encode_batch_item, _decode_batch_item)}),
        Entry(m.TimerLogRequest, "timer_log"),
    ],
)

#: What an Event carries: the oneof ``body`` of Event.
EVENTS = Table(
    pb.Event.DESCRIPTOR,
    "body",
    [
        Entry(m.StateDelta, "delta", encode_delta, decode_delta),
        Entry(m.UserList, "users", encode_users, decode_users),
        Entry(m.ChatMessage, "chat", encode_chat, decode_chat),
        Entry(m.Progress, "progress"),
        Entry(m.Notice, "notice"),
    ],
)


def _encode_event(event: m.Event, out: pb.Event) -> None:
    out.sequence, out.origin_client = event.sequence, event.origin_client
    if not EVENTS.encode(event.body, out):
        raise ProtocolError(f"Cannot encode event {type(event.body).__name__}.")


def _decode_event(msg: pb.Event) -> m.Event:
    body = EVENTS.decode(msg)
    if body is None:
        body = m.Notice("ProtocolError", "The server sent an event this client does not understand.")
    return m.Event(msg.sequence, msg.origin_client, body)


def _refuse_welcome(welcome: m.Welcome, out: pb.Welcome) -> None:
    raise ProtocolError("A Welcome is sent in parts: use encode_welcome().")


#: What the server sends: the oneof ``body`` of ServerMessage.
REPLIES = Table(
    pb.ServerMessage.DESCRIPTOR,
    "body",
    [
        Entry(m.Challenge, "challenge"),
        Entry(m.Welcome, "welcome", _refuse_welcome, decode_welcome),
        Entry(m.WelcomePart, "welcome_part", fields={"states": STATES, "chat_history": CHATS}),
        Entry(m.StateDelta, "delta", encode_delta, decode_delta),
        Entry(
            m.DataInformation,
            "information",
            fields={**{f"{k}_arrays": ARRAYS for k in ("point", "cell", "field", "row")}, "blocks": BLOCKS},
        ),
        Entry(m.Image, "image"),
        Entry(m.ErrorReply, "error"),
        Entry(m.Event, "event", _encode_event, _decode_event),
        Entry(m.UndoStatus, "undo_status"),
        Entry(m.DataObject, "data_object"),
        Entry(m.BatchReply, "batch_reply", fields={"delta": Field(encode=encode_delta, decode=decode_delta)}),
        Entry(m.TimerLog, "timer_log"),
    ],
)

# ------------------------------------------------------------------------------------------ client side


def encode_request(request_id: int, request: m.Request) -> bytes:
    """Serialise a client request."""
    msg = pb.ClientMessage(request_id=request_id)
    if not REQUESTS.encode(request, msg):
        raise ProtocolError(f"Cannot encode request {type(request).__name__}.")
    return msg.SerializeToString()


def decode_reply(msg: pb.ServerMessage) -> m.Reply:
    """The dataclass a server message carries."""
    reply = REPLIES.decode(msg)
    if reply is None:
        return m.ErrorReply(
            "ProtocolError",
            "The server sent a message this client does not understand; is the client older than the server?",
        )
    return reply


# ------------------------------------------------------------------------------------------ server side


def decode_request(data: bytes) -> tuple[int, m.Request]:
    """Parse a client message; malformed bytes or an unknown kind raise ProtocolError."""
    msg = pb.ClientMessage()
    try:
        msg.ParseFromString(data)
    except (DecodeError, ValueError) as exc:
        raise ProtocolError(f"Malformed message ({len(data)} bytes): {exc}") from None
    request = REQUESTS.decode(msg)
    if request is None:
        raise ProtocolError(
            f"Unknown message kind in request {msg.request_id}; "
            f"this server speaks protocol {m.PROTOCOL_MAJOR}.{m.PROTOCOL_MINOR}.",
            rank=-1,
        )
    return msg.request_id, request


def encode_reply(request_id: int, reply: m.Reply) -> bytes:
    """Serialise a server message (a Welcome goes through :func:`encode_welcome`)."""
    msg = pb.ServerMessage(request_id=request_id)
    if not REPLIES.encode(reply, msg):
        raise ProtocolError(f"Cannot encode reply {type(reply).__name__}.")
    return msg.SerializeToString()
