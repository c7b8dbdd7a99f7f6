"""The machinery of the table-driven codec: an :class:`Entry` per message dataclass, a :class:`Table` per oneof.

A dataclass whose fields are the protobuf message's fields of the same names needs nothing but its entry: its
codec is made field by field (:func:`fields_codec`) from the dataclass's fields and the message's descriptor,
scalars copied, repeated scalars extended and listed, maps of scalars updated and copied into dicts. A field
that differs (another name, a message inside, a value to convert) gets a :class:`Field`; a message that differs
altogether gets its own encode and decode functions.
"""

from __future__ import annotations

import dataclasses
import keyword
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

#: Fills an (empty) protobuf message from a dataclass.
Encoder = Callable[[Any, Message], None]
#: The dataclass a protobuf message holds.
Decoder = Callable[[Message], Any]


class Field(NamedTuple):
    """How one dataclass field differs from the protobuf field of its name.

    ``name``: the protobuf field's name (default: the dataclass field's). ``encode(value, container)`` fills a
    repeated, map or message field (scalars are set as they are); ``decode(wire_value)`` converts what the
    protobuf field holds (a scalar, or the container) to the dataclass's value."""

    name: str | None = None
    encode: Callable[[Any, Any], None] | None = None
    decode: Callable[[Any], Any] | None = None


def repeated(encode_one: Encoder, decode_one: Decoder, name: str | None = None) -> Field:
    """The :class:`Field` of a list of dataclasses held by a ``repeated`` message field."""

    def encode(values: list[Any], out: Any) -> None:
        for value in values:
            encode_one(value, out.add())

    def decode(items: Any) -> list[Any]:
        return [decode_one(item) for item in items]

    return Field(name, encode, decode)


def fields_codec(
    cls: type, descriptor: Descriptor, fields: Mapping[str, Field] | None = None
) -> tuple[Encoder, Decoder]:
    """Encode and decode functions that map the dataclass ``cls`` field by field onto the protobuf message of
    ``descriptor``, as :class:`Field` s in ``fields`` say where they differ.

    The two are generated as one would write them by hand (as :mod:`dataclasses` makes ``__init__``): they are
    on the hot path, where a loop over the fields would cost more than the protobuf parsing."""
    fields = dict(fields or {})
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    if unknown := set(fields) - set(names):
        raise TypeError(f"{cls.__name__} has no fields {sorted(unknown)}")
    namespace: dict[str, Any] = {"cls": cls}
    sets: list[str] = []  # the encoder's statements
    gets: list[str] = []  # the decoder's arguments to cls, in the order of the dataclass's fields
    for name in names:
        spec = fields.get(name, Field())
        pb_name = spec.name or name
        pb_field = descriptor.fields_by_name.get(pb_name)
        if pb_field is None:
            raise TypeError(f"{descriptor.full_name} has no field {pb_name!r} for {cls.__name__}.{name}")
        fill, read = _field_code(cls, name, pb_field, spec, namespace)
        sets.append(fill.format(value=f"obj.{name}", out="out", field=_attr("out", pb_name), name=repr(pb_name)))
        gets.append(read.format(field=_attr("msg", pb_name)))
    source = f"def encode(obj, out):\n    {'; '.join(sets) or 'pass'}\n"
    source += f"def decode(msg):\n    return cls({', '.join(gets)})\n"
    exec(compile(source, f"<codec of {cls.__qualname__}>", "exec"), namespace)  # from names in descriptors only
    return namespace["encode"], namespace["decode"]


def _attr(obj: str, name: str) -> str:
    return f"getattr({obj}, {name!r})" if keyword.iskeyword(name) else f"{obj}.{name}"


def _field_code(
    cls: type, name: str, pb_field: FieldDescriptor, spec: Field, namespace: dict[str, Any]
) -> tuple[str, str]:
    """The statement that encodes the field ``name`` and the expression that decodes it, as templates, with the
    functions of ``spec`` they call put in ``namespace``."""
    where = f"{cls.__name__}.{name}"
    if spec.decode is not None:
        namespace[f"read_{name}"] = spec.decode
    if spec.encode is not None:
        namespace[f"fill_{name}"] = spec.encode
    if not pb_field.is_repeated and pb_field.message_type is None:  # a scalar
        if spec.encode is not None:
            raise TypeError(f"{where} is a scalar: it is set as it is (its Field may only decode it)")
        fill = "setattr({out}, {name}, {value})" if keyword.iskeyword(pb_field.name) else "{field} = {value}"
        return fill, f"read_{name}({{field}})" if spec.decode else "{field}"
    is_map = pb_field.is_repeated and pb_field.message_type is not None and pb_field.message_type.GetOptions().map_entry
    item = pb_field.message_type.fields_by_name["value"] if is_map else pb_field
    if spec.encode is not None:
        fill = f"fill_{name}({{value}}, {{field}})"
    elif item.message_type is None:  # repeated scalars, or a map of them
        fill = "{field}.update({value})" if is_map else "{field}.extend({value})"
    else:
        raise TypeError(
            f"{where} {'holds messages' if pb_field.is_repeated else 'is a message'}: give its Field an encode"
        )
    if spec.decode is not None:
        read = f"read_{name}({{field}})"
    elif pb_field.is_repeated:
        read = "dict({field})" if is_map else "list({field})"
    else:
        raise TypeError(f"{where} is a message: give its Field a decode")
    return fill, read


@dataclasses.dataclass(frozen=True)
class Entry:
    """A message dataclass, the field of the oneof that carries it, and how it is encoded and decoded: by
    ``encode``/``decode`` where given, otherwise field by field (see :func:`fields_codec`)."""

    cls: type
    field: str
    encode: Encoder | None = None
    decode: Decoder | None = None
    fields: Mapping[str, Field] = dataclasses.field(default_factory=dict)


class Table:
    """The entries of one oneof: encoding looks the dataclass's type up, decoding the field ``WhichOneof`` names
    (one dict lookup each)."""

    def __init__(self, envelope: Descriptor, oneof: str, entries: Iterable[Entry]) -> None:
        self.oneof = oneof
        carriers = {f.name: f.message_type for f in envelope.oneofs_by_name[oneof].fields}
        self.by_type: dict[type, Entry] = {}
        self.by_field: dict[str, Entry] = {}
        for entry in entries:
            if entry.field not in carriers:
                raise TypeError(f"{envelope.full_name}.{oneof} has no field {entry.field!r}")
            if entry.cls in self.by_type or entry.field in self.by_field:
                raise TypeError(f"{entry.cls.__name__} or {entry.field!r} has two entries in {envelope.full_name}")
            if entry.encode is None or entry.decode is None:
                encode, decode = fields_codec(entry.cls, carriers[entry.field], entry.fields)
                entry = dataclasses.replace(entry, encode=entry.encode or encode, decode=entry.decode or decode)
            self.by_type[entry.cls] = self.by_field[entry.field] = entry

    def entry_of(self, cls: type) -> Entry | None:
        """The entry of ``cls`` (or of its nearest base class that has one)."""
        entry = self.by_type.get(cls)
        if entry is None:
            entry = next((self.by_type[base] for base in cls.__mro__ if base in self.by_type), None)
        return entry

    def encode(self, obj: Any, envelope: Message) -> bool:
        """Put ``obj`` into ``envelope``'s oneof; False when the table has no entry for it."""
        entry = self.entry_of(type(obj))
        if entry is None:
            return False
        out = getattr(envelope, entry.field)
        out.SetInParent()  # an empty message is still the one the oneof holds
        entry.encode(obj, out)
        return True

    def decode(self, envelope: Message) -> Any:
        """The dataclass ``envelope``'s oneof holds; None when it holds nothing the table knows."""
        kind = envelope.WhichOneof(self.oneof)
        entry = self.by_field.get(kind)  # type: ignore[arg-type]
        return None if entry is None else entry.decode(getattr(envelope, kind))
