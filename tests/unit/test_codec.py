"""The wire codec: every request and reply survives encode -> decode, and bad bytes are a ProtocolError."""

from __future__ import annotations

import pytest
from codec_samples import PROPERTIES, REPLIES, REQUESTS, WELCOMES, decode_reply_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from pvcore import messages as m
from pvcore.errors import ProtocolError
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: type(r).__name__)
def test_requests_round_trip(request_: m.Request) -> None:
    data = codec.encode_request(77, request_)
    assert isinstance(data, bytes)
    request_id, decoded = codec.decode_request(data)
    assert request_id == 77
    assert decoded == request_
    assert type(decoded) is type(request_)


@pytest.mark.parametrize("reply", REPLIES, ids=lambda r: type(r).__name__)
def test_replies_round_trip(reply: m.Reply) -> None:
    data = codec.encode_reply(12, reply)
    msg = pb.ServerMessage.FromString(data)
    assert msg.request_id == 12
    decoded = codec.decode_reply(msg)
    assert decoded == reply
    assert type(decoded) is type(reply)


@pytest.mark.parametrize("part_bytes", [1, 200, codec.WELCOME_PART_BYTES])
@pytest.mark.parametrize("welcome", WELCOMES, ids=lambda w: f"welcome{w.client_id}")
def test_a_welcome_round_trips_in_parts(welcome: m.Welcome, part_bytes: int) -> None:
    count, messages_ = codec.encode_welcome(12, welcome, part_bytes)
    wire = list(messages_)
    assert len(wire) == count
    head, *parts = [pb.ServerMessage.FromString(data) for data in wire]
    assert all(msg.request_id == 12 for msg in [head, *parts])
    decoded = codec.decode_reply(head)
    assert decoded.parts == len(parts)
    items = len(welcome.state.states) + len(welcome.chat_history)
    if part_bytes == 1:  # each state and chat message alone: the Welcome holds the first, a part each of the rest
        assert len(parts) == max(items - 1, 0)
    assert codec.join_welcome(decoded, [codec.decode_reply(p) for p in parts]) == welcome


def test_a_large_welcome_is_split_below_the_part_size() -> None:
    big = [
        m.ProxyState(i, "filters", "Contour", f"C{i}", {"Isosurfaces": tuple(float(v) for v in range(20_000))})
        for i in range(1, 60)
    ]
    wire = list(codec.encode_welcome(1, m.Welcome(1, 2, m.StateDelta(big)))[1])
    assert len(wire) >= 3 and max(len(data) for data in wire) < codec.WELCOME_PART_BYTES + 300_000
    with pytest.raises(ProtocolError, match="encode_welcome"):
        codec.encode_reply(1, m.Welcome(1, 2, m.StateDelta()))


def test_every_message_type_is_covered() -> None:
    """A new request or reply dataclass must be added to the round-trip lists of tests/codec_samples.py."""
    assert {type(r) for r in REQUESTS} == set(m.Request.__args__)
    assert {type(r) for r in REPLIES + WELCOMES} == set(m.Reply.__args__)
    event_bodies = {type(r.body) for r in REPLIES if isinstance(r, m.Event)}
    assert {t.__name__ for t in event_bodies} == set(m.Event.__annotations__["body"].split(" | "))


def test_value_types_survive() -> None:
    _, decoded = codec.decode_request(codec.encode_request(1, m.CreateProxy("sources", "X", "", dict(PROPERTIES))))
    props = decoded.properties
    assert all(isinstance(v, int) for v in props["ThetaResolution"] + props["Input"] + props["WholeExtent"])
    assert all(isinstance(v, float) for v in props["Center"] + props["Radius"])
    assert all(isinstance(v, str) for v in props["ContourBy"])
    assert props["Isosurfaces"] == ()


def test_mixed_numbers_travel_as_doubles() -> None:
    _, decoded = codec.decode_request(codec.encode_request(1, m.UpdateProxy(1, {"Center": (1, 2.5, 3)})))
    assert decoded.properties["Center"] == (1.0, 2.5, 3.0)
    assert all(isinstance(v, float) for v in decoded.properties["Center"])


@settings(max_examples=60, deadline=None, database=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=12),
        st.one_of(
            st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=6).map(tuple),
            st.lists(st.floats(allow_nan=False, width=64), min_size=1, max_size=6).map(tuple),
            st.lists(st.text(max_size=10), min_size=1, max_size=4).map(tuple),
        ),
        max_size=5,
    )
)
def test_any_property_values_round_trip(props: dict[str, tuple]) -> None:
    state = m.ProxyState(1, "sources", "Sphere", "S", props)
    decoded = decode_reply_bytes(codec.encode_reply(0, m.StateDelta([state])))
    assert decoded.states[0].properties == props


@pytest.mark.parametrize("value", [(1, "a"), (None,), ([1],), (object(),)], ids=repr)
def test_unencodable_values_are_a_protocol_error(value: tuple) -> None:
    with pytest.raises(ProtocolError):
        codec.encode_request(1, m.UpdateProxy(1, {"X": value}))


@pytest.mark.parametrize(
    "data",
    [b"\xff\xff\xff\xff", b"\x08", b"\x12\x05ab", b"\x0a\xff\xff\xff\xff\x0f", b"garbage that is not protobuf"],
    ids=["bad-tag", "truncated-varint", "truncated-field", "huge-length", "text"],
)
def test_malformed_bytes_are_a_protocol_error(data: bytes) -> None:
    with pytest.raises(ProtocolError) as info:
        codec.decode_request(data)
    assert "Malformed" in str(info.value) or "Unknown" in str(info.value)


def test_an_empty_client_message_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="Unknown message kind"):
        codec.decode_request(b"")
    with pytest.raises(ProtocolError, match="request 9"):
        codec.decode_request(pb.ClientMessage(request_id=9).SerializeToString())


def test_unknown_objects_cannot_be_encoded() -> None:
    with pytest.raises(ProtocolError):
        codec.encode_request(1, object())
    with pytest.raises(ProtocolError):
        codec.encode_reply(1, m.Hello())


def test_an_empty_server_message_decodes_to_an_error() -> None:
    reply = codec.decode_reply(pb.ServerMessage(request_id=3))
    assert isinstance(reply, m.ErrorReply)
    assert reply.kind == "ProtocolError"


def test_render_request_format_defaults_to_png() -> None:
    _, decoded = codec.decode_request(codec.encode_request(1, m.RenderRequest(1, format="")))
    assert decoded.format == "png"
