"""The welcome in parts: a Welcome and the WelcomeParts after it, so that no session is too large to join."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from pvcore import messages as m
from pvwire import pvcollab_pb2 as pb
from pvwire.definitions import decode_definitions, encode_definitions
from pvwire.table import Field, fields_codec
from pvwire.values import CHATS, decode_delta, decode_users, encode_chat, encode_delta, encode_state, encode_users

#: Bytes of proxy states and chat messages in one message of a welcome (see :func:`encode_welcome`).
WELCOME_PART_BYTES = 4 * 2**20

encode_head, decode_welcome = fields_codec(
    m.Welcome,
    pb.Welcome.DESCRIPTOR,
    {
        "state": Field(None, encode_delta, decode_delta),
        "users": Field(None, encode_users, decode_users),
        "chat_history": CHATS,
        "definitions": Field(None, encode_definitions, decode_definitions),
    },
)


def encode_welcome(
    request_id: int, welcome: m.Welcome, part_bytes: int = WELCOME_PART_BYTES
) -> tuple[int, Iterator[bytes]]:
    """A welcome as a Welcome message and the WelcomeParts after it, none much over ``part_bytes`` (a proxy
    state or chat message larger than that travels alone), so that no session is too large to join.

    Returns the number of messages and an iterator that encodes each as it is taken: a large session is never
    held encoded all at once."""
    groups = _welcome_groups(welcome, part_bytes)
    head, rest = groups[0], groups[1:]
    msg = pb.ServerMessage(request_id=request_id)
    bare = m.StateDelta([], welcome.state.deleted_ids)
    encode_head(dataclasses.replace(welcome, state=bare, chat_history=[], parts=len(rest)), msg.welcome)

    def messages() -> Iterator[bytes]:
        _fill(msg.welcome.state.states, msg.welcome.chat_history, head)
        yield msg.SerializeToString()
        for group in rest:
            part = pb.ServerMessage(request_id=request_id)
            part.welcome_part.SetInParent()
            _fill(part.welcome_part.states, part.welcome_part.chat_history, group)
            yield part.SerializeToString()

    return 1 + len(rest), messages()


def _welcome_groups(welcome: m.Welcome, part_bytes: int) -> list[list[Any]]:
    """The welcome's states and chat messages in groups of at most ``part_bytes`` (by an upper bound of their
    encoded size, counted without encoding them), the first for the Welcome itself."""
    groups: list[list[Any]] = [[]]
    size = 0
    for item in [*welcome.state.states, *welcome.chat_history]:
        weight = _size_bound(item)
        if size and size + weight > part_bytes:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += weight
    return groups


def _size_bound(item: m.ProxyState | m.ChatMessage) -> int:
    """At least the bytes ``item`` encodes to: 10 per number (a varint's most), each string's UTF-8 at most."""
    if isinstance(item, m.ChatMessage):
        return 64 + 4 * (len(item.user) + len(item.text))
    size = 64 + 4 * (len(item.group) + len(item.type) + len(item.name))
    for key, values in item.properties.items():
        size += 16 + 4 * len(key)
        if values and isinstance(values[0], str):
            size += sum(8 + 4 * len(v) for v in values)
        else:
            size += 10 * len(values)
    return size


def _fill(states: Any, chats: Any, items: list[Any]) -> None:
    for item in items:
        if isinstance(item, m.ChatMessage):
            encode_chat(item, chats.add())
        else:
            encode_state(item, states.add())


def join_welcome(welcome: m.Welcome, parts: list[m.WelcomePart]) -> m.Welcome:
    """The whole welcome, from its Welcome and the ``welcome.parts`` WelcomeParts that followed it."""
    for part in parts:
        welcome.state.states.extend(part.states)
        welcome.chat_history.extend(part.chat_history)
    welcome.parts = 0
    return welcome
