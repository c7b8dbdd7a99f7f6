"""The proxy definitions of a welcome: between the plain list of :meth:`pvcore.schema.Catalogue.to_plain` and the
typed ``ProxyDefinition`` messages (which a browser reads as well).

The plain form leaves out what a property does not have (no ``doc``, no ``minimum``...); so does the wire, by
proto3's defaults and, where "absent" and "zero" differ (``count``, ``minimum``, ``input_port``), by presence.
Decoding gives back exactly the list that was encoded: ints stay ints and floats floats (``Value``, ``Number``).
"""

from __future__ import annotations

from typing import Any

from pvcore.errors import ProtocolError
from pvwire import pvcollab_pb2 as pb
from pvwire.values import decode_value, encode_value

#: Optional plain keys that travel as proto3 scalars or repeated strings: absent in the plain form when empty.
_STRINGS = ("doc", "none_label", "check", "subproxy_group", "subproxy_default")
_FLAGS = ("file_path", "read_only")
_LISTS = ("values", "data_types", "numbers")
_NUMBERS = ("minimum", "maximum")


def encode_definitions(plain: list[dict[str, Any]], out: Any) -> None:
    """Fill a ``repeated ProxyDefinition`` from the plain definitions."""
    for d in plain:
        msg = out.add()
        msg.group, msg.name, msg.doc, msg.outputs = d["group"], d["name"], d.get("doc", ""), int(d.get("outputs", 1))
        for p in d["properties"]:
            _encode_property(p, msg.properties.add(), d["name"])


def decode_definitions(items: Any) -> list[dict[str, Any]]:
    """The plain definitions a ``repeated ProxyDefinition`` holds."""
    return [
        {
            "group": msg.group,
            "name": msg.name,
            "doc": msg.doc,
            "outputs": msg.outputs,
            "properties": [_decode_property(p) for p in msg.properties],
        }
        for msg in items
    ]


def _encode_property(p: dict[str, Any], out: pb.PropertyDefinition, type_name: str) -> None:
    out.name, out.kind = p["name"], p["kind"]
    try:
        encode_value(tuple(p.get("default", ())), out.default)
    except ProtocolError:
        raise ProtocolError(f"{type_name}.{p['name']}: a default must be numbers or strings.") from None
    if p.get("count") is not None:
        out.count = p["count"]
    for key in _STRINGS:
        setattr(out, key, p.get(key, ""))
    for key in _FLAGS:
        setattr(out, key, bool(p.get(key, False)))
    for key in _LISTS:
        getattr(out, key).extend(p.get(key, ()))
    for key in _NUMBERS:
        value = p.get(key)
        if value is not None:
            number = getattr(out, key)
            if isinstance(value, int) and not isinstance(value, bool):
                number.integer = value
            else:
                number.real = float(value)
    domain = p.get("domain")
    if domain:
        out.domain.kind = domain["kind"]
        for key, value in domain.items():
            if key == "kind":
                continue
            if not isinstance(value, str):
                raise ProtocolError(f"{type_name}.{p['name']}: a domain's parameters are strings, not {value!r}.")
            out.domain.parameters[key] = value
    if p.get("input_port") is not None:
        out.input_port = p["input_port"]


def _decode_property(msg: pb.PropertyDefinition) -> dict[str, Any]:
    plain: dict[str, Any] = {
        "name": msg.name,
        "kind": msg.kind,
        "default": list(decode_value(msg.default)),
        "count": msg.count if msg.HasField("count") else None,
    }
    for key in _STRINGS:
        if value := getattr(msg, key):
            plain[key] = value
    for key in _FLAGS:
        if getattr(msg, key):
            plain[key] = True
    for key in _LISTS:
        if values := list(getattr(msg, key)):
            plain[key] = values
    for key in _NUMBERS:
        if msg.HasField(key):
            number = getattr(msg, key)
            kind = number.WhichOneof("kind")
            if kind is not None:
                plain[key] = getattr(number, kind)
    if msg.HasField("domain"):
        plain["domain"] = {"kind": msg.domain.kind, **dict(sorted(msg.domain.parameters.items()))}
    if msg.HasField("input_port"):
        plain["input_port"] = msg.input_port
    return plain
