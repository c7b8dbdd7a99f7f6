"""What the wire fuzzing tests (tests/multiprocess/test_fuzz*.py) send: hypothesis strategies for ClientMessages
from :mod:`pvwire.pvcollab_pb2` with random fields (unknown ids, huge or NaN values, values of the wrong type, unknown
proxy types and properties, file names outside the data directory or with NUL characters), and for valid messages
bit-flipped, truncated, spliced or followed by garbage, or random bytes.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from pvcore.definitions import views
from pvcore.values import MAX_VALUES
from pvserver.pipeline import catalogue
from pvwire import pvcollab_pb2 as pb

# ----------------------------------------------------------------------------------------------- strategies

SPECS = catalogue.specs()
GROUPS = sorted({s.group for s in SPECS})
TYPE_NAMES = sorted({s.name for s in SPECS})
PROPERTY_NAMES = sorted({p.name for s in SPECS for p in s.properties})
WORDS = sorted(
    {v for s in SPECS for p in s.properties for v in p.values}
    | {"POINTS", "CELLS", "FIELD", "RTData", "Normals", "UpdatePipeline", "ResetCamera", "png", "jpeg"}
)
INT_EDGES = [0, 1, -1, 2**31 - 1, -(2**31), 2**31, 2**32, 2**63 - 1, -(2**63)]
UINT_EDGES = [0, 1, 2**31, 2**32 - 1, 2**32, 2**63, 2**64 - 1]
FLOAT_EDGES = [math.nan, -math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0, 1e-300]

live_ids = st.integers(1, 8)  # the proxies built before fuzzing have the first ids
any_ids = st.one_of(st.integers(0, 30), st.sampled_from(UINT_EDGES), st.integers(0, 2**64 - 1))
ids = st.one_of(live_ids, live_ids, live_ids, any_ids)
# Updates and deletes carry signed ids (a batch's placeholders are negative).
signed_ids = st.one_of(live_ids, live_ids, st.integers(-30, 30), st.sampled_from(INT_EDGES))
int64s = st.one_of(st.integers(-5, 300), st.sampled_from(INT_EDGES), st.integers(-(2**63), 2**63 - 1))
doubles = st.one_of(st.floats(-1e3, 1e3), st.sampled_from(FLOAT_EDGES), st.floats())
texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=30), st.text(min_size=200, max_size=2000))
names = st.one_of(st.sampled_from(PROPERTY_NAMES), st.sampled_from(PROPERTY_NAMES), texts)
big_count = st.sampled_from([MAX_VALUES, MAX_VALUES + 1])


@st.composite
def values(draw: Any) -> pb.Value:
    """A property value: ints, doubles or strings (or nothing), of any length, sometimes past the limit."""
    out = pb.Value()
    kind = draw(st.sampled_from(["ints", "doubles", "strings", "none", "big"]))
    size = st.integers(0, 8)
    if kind == "ints":
        out.ints.values.extend(draw(st.lists(int64s, max_size=8)))
    elif kind == "doubles":
        out.doubles.values.extend(draw(st.lists(doubles, max_size=8)))
    elif kind == "strings":
        out.strings.values.extend(draw(st.lists(texts, max_size=draw(size))))
    elif kind == "big":
        out.doubles.values.extend([1.5] * draw(big_count))
    return out


def fill_properties(draw: Any, target: Any) -> None:
    for name in draw(st.lists(names, max_size=4, unique=True)):
        target[name].CopyFrom(draw(values()))


@st.composite
def client_messages(draw: Any, kinds: tuple[str, ...] | None = None) -> pb.ClientMessage:
    """A ClientMessage that protobuf accepts, with random (mostly wrong) content."""
    msg = pb.ClientMessage(request_id=draw(st.one_of(st.integers(1, 1000), st.sampled_from(UINT_EDGES))))
    kind = draw(st.sampled_from(kinds or WEIGHTED_KINDS))
    if kind == "hello":
        msg.hello.protocol_major = draw(st.sampled_from([1, 0, 2, 2**32 - 1]))
        msg.hello.user = draw(texts)
        msg.hello.connect_id = draw(int64s)
    elif kind == "create":
        msg.create.group = draw(st.one_of(st.sampled_from(GROUPS), texts))
        msg.create.type = draw(st.one_of(st.sampled_from(TYPE_NAMES), texts))
        msg.create.registration_name = draw(st.one_of(st.just(""), texts))
        fill_properties(draw, msg.create.properties)
    elif kind == "update":
        msg.update.global_id = draw(signed_ids)
        msg.update.registration_name = draw(st.one_of(st.just(""), texts))
        fill_properties(draw, msg.update.properties)
    elif kind == "camera":  # camera properties of a view: each client's own, so allowed to anyone
        msg.update.global_id = draw(signed_ids)
        cameras = [p.name for p in catalogue.get("views", "RenderView").properties if p.name.startswith("Camera")]
        for name in draw(st.lists(st.sampled_from([*cameras, "CameraFoo"]), min_size=1, max_size=3, unique=True)):
            msg.update.properties[name].CopyFrom(draw(values()))
    elif kind == "delete":
        msg.delete.global_id = draw(signed_ids)
    elif kind == "invoke":
        msg.invoke.global_id = draw(ids)
        methods = st.sampled_from(["UpdatePipeline", "ResetCamera"])
        msg.invoke.method = draw(st.one_of(methods, methods, methods, texts))
        for value in draw(st.lists(values(), max_size=2)):
            msg.invoke.arguments.add().CopyFrom(value)
    elif kind == "gather":
        msg.gather_information.global_id = draw(ids)
    elif kind == "render":
        msg.render.view_id = draw(ids)
        # Small sizes, or sizes the server must refuse before allocating anything: never a legal huge image.
        small = st.integers(1, 64)
        side = st.one_of(small, small, st.just(0), st.integers(views.MAX_VIEW_SIDE + 1, 2**32 - 1))
        msg.render.width, msg.render.height = draw(side), draw(side)
        msg.render.format = draw(st.one_of(st.sampled_from(["png", "jpeg", "", "PNG", "gif"]), texts))
        msg.render.quality = draw(st.one_of(st.integers(0, 100), st.sampled_from([101, 255, 2**31, 2**32 - 1])))
        msg.render.interactive = draw(st.booleans())
    elif kind == "goodbye":
        msg.goodbye.SetInParent()
    elif kind == "chat":
        msg.chat.text = draw(st.one_of(texts, st.just(""), st.just(" \n\t"), st.just("x" * 10_001)))
    elif kind == "promote":
        msg.promote.client_id = draw(ids)
    elif kind == "follow":
        msg.follow.client_id = draw(ids)
        msg.follow.everyone = draw(st.booleans())
    elif kind == "disable":
        msg.disable_connections.SetInParent()
    elif kind == "undo":
        msg.undo.action = draw(st.one_of(st.sampled_from(["undo", "redo", "begin", "end", "status"]), texts))
        msg.undo.label = draw(texts)
    elif kind == "save_data":  # the fuzz servers' --data-dir is a temporary folder
        msg.save_data.global_id = draw(ids)
        paths = st.sampled_from(
            ["out.vtp", "out.pvti", "out.csv", "../escape.vtp", "/tmp/absolute.vtp", "a/b.vtu", "nul\0.vtp", "n" * 300]
        )
        msg.save_data.path = draw(st.one_of(paths, paths, texts))
    elif kind == "fetch":
        msg.fetch.global_id = draw(ids)
        msg.fetch.max_bytes = draw(st.sampled_from([0, 1, 1000, 2**64 - 1]))
    elif kind == "cancel":
        msg.cancel.SetInParent()
    elif kind == "empty":
        pass  # no body at all
    return msg


KINDS = (
    "hello",
    "create",
    "update",
    "camera",
    "delete",
    "invoke",
    "gather",
    "render",
    "goodbye",
    "chat",
    "promote",
    "follow",
    "disable",
    "undo",
    "save_data",
    "fetch",
    "cancel",
    "empty",
)
#: A Goodbye ends the stream, and so the rest of its batch: make it rarer than the others.
WEIGHTED_KINDS = (*(k for k in KINDS if k != "goodbye" for _ in range(4)), "goodbye")


@st.composite
def corrupted(draw: Any) -> bytes:
    """A valid message bit-flipped, truncated, spliced or followed by garbage; or random bytes."""
    how = draw(st.sampled_from(["random", "flip", "truncate", "append", "splice", "unknown_field", "valid"]))
    if how == "random":
        return draw(st.binary(max_size=300))
    data = draw(client_messages()).SerializeToString()
    if how == "flip" and data:
        flipped = bytearray(data)
        for bit in draw(st.lists(st.integers(0, 8 * len(data) - 1), min_size=1, max_size=4)):
            flipped[bit // 8] ^= 1 << (bit % 8)
        return bytes(flipped)
    if how == "truncate" and data:
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "append":
        return data + draw(st.binary(min_size=1, max_size=40))
    if how == "splice":
        return data + draw(client_messages()).SerializeToString()  # protobuf merges: the last body wins
    if how == "unknown_field":  # a field this server does not know (a newer client's), varint or bytes
        field = draw(st.integers(23, 2**29 - 1))
        return data + _varint(field << 3) + _varint(draw(st.integers(0, 2**64 - 1)))
    return data


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


class Wire:
    """Bytes for the wire, with a short repr (hypothesis prints failing examples; some are megabytes)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        shown = repr(self.data[:160])
        return f"Wire({shown}{'...' if len(self.data) > 160 else ''}, {len(self.data)} bytes)"


wire_messages = st.one_of(client_messages().map(lambda m: m.SerializeToString()), corrupted()).map(Wire)
