"""The codec's building blocks: property values, proxy states, deltas, and the small messages inside others."""

from __future__ import annotations

from typing import Any

from pvcore import messages as m
from pvcore.errors import ProtocolError
from pvwire import pvcollab_pb2 as pb
from pvwire.table import Field, fields_codec, repeated


def encode_value(values: tuple, out: pb.Value) -> None:
    """Fill ``out`` from a property value tuple (all strings, all ints/bools, or numbers)."""
    kinds = set(map(type, values))
    if kinds <= {int}:  # the empty tuple lands here too
        out.ints.values.extend(values)
    elif kinds <= {float, int}:  # the common cases first, without a Python loop over the values
        out.doubles.values.extend(values)
    elif values and all(isinstance(v, str) for v in values):
        out.strings.values.extend(values)
    elif all(isinstance(v, int) for v in values):  # bools are ints
        out.ints.values.extend(int(v) for v in values)
    elif all(isinstance(v, (int, float)) for v in values):
        out.doubles.values.extend(float(v) for v in values)
    else:
        raise ProtocolError(f"A property value must be a list of numbers or of strings, not {values!r}.")


def decode_value(value: pb.Value) -> tuple:
    """The tuple a protobuf Value holds."""
    kind = value.WhichOneof("kind")
    return tuple(getattr(value, kind).values) if kind else ()


def encode_props(props: dict[str, tuple], out: Any) -> None:
    """Fill a ``map<string, Value>`` from a properties dict."""
    for key, values in props.items():
        encode_value(tuple(values), out[key])


def decode_props(props: Any) -> dict[str, tuple]:
    """The properties dict a ``map<string, Value>`` holds."""
    return {key: decode_value(value) for key, value in props.items()}


def encode_values(arguments: list[tuple], out: Any) -> None:
    """Fill a ``repeated Value`` from a list of value tuples."""
    for values in arguments:
        encode_value(tuple(values), out.add())


def decode_values(values: Any) -> list[tuple]:
    return [decode_value(value) for value in values]


#: The fields of the table (see :mod:`pvwire.codec`) that hold property values.
PROPERTIES = Field(encode=encode_props, decode=decode_props)
VALUES = Field(encode=encode_values, decode=decode_values)

# ------------------------------------------------------------------------------------------ states


def encode_state(state: m.ProxyState, out: pb.ProxyState) -> None:
    out.global_id, out.group, out.type = state.global_id, state.group, state.type
    out.registration_name, out.version, out.parent_id = state.name, state.version, state.parent_id
    encode_props(state.properties, out.properties)


def decode_state(msg: pb.ProxyState) -> m.ProxyState:
    return m.ProxyState(
        msg.global_id,
        msg.group,
        msg.type,
        msg.registration_name,
        decode_props(msg.properties),
        msg.version,
        msg.parent_id,
    )


STATES = repeated(encode_state, decode_state)


def encode_delta(delta: m.StateDelta, out: pb.StateDelta) -> None:
    for state in delta.states:
        encode_state(state, out.states.add())
    out.deleted_ids.extend(delta.deleted_ids)


def decode_delta(msg: pb.StateDelta) -> m.StateDelta:
    return m.StateDelta([decode_state(s) for s in msg.states], list(msg.deleted_ids))


# ------------------------------------------------------------------------------------------ inside other messages

encode_array, decode_array = fields_codec(m.ArrayInformation, pb.ArrayInformation.DESCRIPTOR)
ARRAYS = repeated(encode_array, decode_array)

encode_block, decode_block = fields_codec(m.BlockInformation, pb.BlockInformation.DESCRIPTOR)
BLOCKS = repeated(encode_block, decode_block)

encode_chat, decode_chat = fields_codec(m.ChatMessage, pb.ChatMessage.DESCRIPTOR)
CHATS = repeated(encode_chat, decode_chat)

encode_user, decode_user = fields_codec(m.User, pb.User.DESCRIPTOR)
encode_users, decode_users = fields_codec(
    m.UserList, pb.UserList.DESCRIPTOR, {"users": repeated(encode_user, decode_user)}
)
