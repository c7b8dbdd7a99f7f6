"""The wire codec's tables: built from the message dataclasses themselves, every field of every message survives
encode -> decode, and every table covers its dataclasses and its protobuf oneof."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import types
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from codec_samples import decode_reply_bytes

from pvcore import messages as m
from pvwire import codec
from pvwire import pvcollab_pb2 as pb
from pvwire.table import Entry, Field, Table, fields_codec

pytestmark = pytest.mark.timeout(60)


class _UnsampledError(Exception):
    """A type that says too little to make a value of it (``Any``): the field keeps its default."""


def _sample(tp: Any, count: Iterator[int]) -> Any:
    """A value of ``tp`` unlike its default and unlike every other sample (so a swapped or dropped field shows)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        alternatives = [a for a in args if a is not type(None)]
        if len(alternatives) == 1:
            return _sample(alternatives[0], count)
        raise _UnsampledError(tp)  # several kinds: _variants() makes one message of each
    if origin is list:
        (item,) = args
        kinds = [a for a in typing.get_args(item) if a is not type(None)] or [item]
        return [_sample(kind, count) for kind in kinds for _ in range(2)]
    if origin is dict:
        key, value = args
        return {_sample(key, count): _sample(value, count) for _ in range(2)}
    n = next(count)
    if tp is bool:
        return True
    if tp is int:
        return n
    if tp is float:
        return n + 0.5
    if tp is str:
        return f"s{n}✓"
    if tp is bytes:
        return bytes([n % 256]) * 3
    if tp is tuple:  # a property value
        return (float(n), n + 0.5) if n % 2 else (n, -n)
    if dataclasses.is_dataclass(tp):
        return next(_variants(tp, count))
    raise _UnsampledError(tp)


def _variants(cls: type, count: Iterator[int]) -> Iterator[Any]:
    """Instances of the dataclass ``cls`` with every field set, one for each kind a field of several kinds
    (an Event's body) may hold."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    choices: tuple[str, list[type]] | None = None
    for f in dataclasses.fields(cls):
        if not f.init or not f.compare or (cls, f.name) in WIRE_ONLY:
            continue
        tp = hints[f.name]
        if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(typing.get_args(tp)) > 1:
            choices = (f.name, list(typing.get_args(tp)))
            continue
        with contextlib.suppress(_UnsampledError):
            values[f.name] = _sample(tp, count)
    if choices is None:
        yield cls(**values)
        return
    name, kinds = choices
    for kind in kinds:
        yield cls(**values, **{name: _sample(kind, count)})


#: Fields that say how a message travels, not what it holds: a decoded (joined) welcome has no parts left.
WIRE_ONLY = {(m.Welcome, "parts")}


def _round_trip_reply(reply: m.Reply) -> m.Reply:
    if isinstance(reply, m.Welcome):  # a Welcome only travels in parts
        count, wire = codec.encode_welcome(5, reply, part_bytes=1)
        head, *parts = [decode_reply_bytes(data) for data in wire]
        assert len(parts) == count - 1 == head.parts
        return codec.join_welcome(head, parts)
    return decode_reply_bytes(codec.encode_reply(5, reply))


MESSAGE_TYPES = [*m.Request.__args__, *m.Reply.__args__]


@pytest.mark.parametrize("cls", MESSAGE_TYPES, ids=lambda c: c.__name__)
def test_every_message_dataclass_round_trips_through_the_table(cls: type) -> None:
    """Built from the dataclasses themselves, with every field set: a new message without a table entry, or a
    field the table drops, fails here."""
    count = itertools.count(1)
    for message in _variants(cls, count):
        if cls in m.Request.__args__:
            request_id, decoded = codec.decode_request(codec.encode_request(5, message))
            assert request_id == 5
        else:
            decoded = _round_trip_reply(message)
        assert decoded == message
        assert type(decoded) is cls


@pytest.mark.parametrize(
    ("table", "classes"),
    [
        (codec.REQUESTS, set(m.Request.__args__)),
        (codec.REPLIES, set(m.Reply.__args__)),
        (codec.EVENTS, {t for t in typing.get_args(typing.get_type_hints(m.Event)["body"])}),
    ],
    ids=["requests", "replies", "events"],
)
def test_the_tables_cover_the_dataclasses_and_the_oneofs(table: Table, classes: set[type]) -> None:
    """Each table has an entry for each dataclass of its kind and for each field of its oneof."""
    assert set(table.by_type) == classes
    envelope = {codec.REQUESTS: pb.ClientMessage, codec.REPLIES: pb.ServerMessage, codec.EVENTS: pb.Event}[table]
    assert set(table.by_field) == {f.name for f in envelope.DESCRIPTOR.oneofs_by_name[table.oneof].fields}


def test_a_table_decodes_by_one_lookup() -> None:
    """Decoding looks the oneof's field up in a dict: no scan over the entries."""
    assert all(entry.field == kind for kind, entry in codec.REQUESTS.by_field.items())
    assert codec.REQUESTS.decode(pb.ClientMessage()) is None


@dataclasses.dataclass
class _Odd:
    global_id: int
    elsewhere: str = ""


@dataclasses.dataclass
class _Nested:
    state: m.StateDelta = dataclasses.field(default_factory=m.StateDelta)


def test_an_entry_that_does_not_fit_its_message_fails_at_import() -> None:
    with pytest.raises(TypeError, match="no field 'elsewhere'"):
        fields_codec(_Odd, pb.DeleteProxy.DESCRIPTOR)
    with pytest.raises(TypeError, match="has no fields"):
        fields_codec(m.DeleteProxy, pb.DeleteProxy.DESCRIPTOR, {"nothing": Field("x")})
    with pytest.raises(TypeError, match="is a message"):
        fields_codec(_Nested, pb.Welcome.DESCRIPTOR)
    with pytest.raises(TypeError, match="is a scalar"):
        fields_codec(m.DeleteProxy, pb.DeleteProxy.DESCRIPTOR, {"global_id": Field(encode=print)})
    with pytest.raises(TypeError, match="no field 'nowhere'"):
        Table(pb.ClientMessage.DESCRIPTOR, "body", [Entry(m.Goodbye, "nowhere")])
    with pytest.raises(TypeError, match="two entries"):
        Table(pb.ClientMessage.DESCRIPTOR, "body", [Entry(m.Goodbye, "goodbye"), Entry(m.Goodbye, "cancel")])


def test_a_subclass_is_encoded_as_its_base() -> None:
    @dataclasses.dataclass
    class Special(m.DeleteProxy):
        pass

    assert codec.decode_request(codec.encode_request(1, Special(4)))[1] == m.DeleteProxy(4)
