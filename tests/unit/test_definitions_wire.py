"""The proxy definitions in the welcome: Catalogue -> plain -> protobuf -> plain -> Catalogue gives back exactly what
the server has, and a client that holds the server's definitions (same digest) gets a welcome without them."""

from __future__ import annotations

import json
import queue

import pytest

from pvclient import catalogues
from pvcore import definitions, messages
from pvcore.definitions.builders import Bool, Double, Doubles, Filter, Input, Int, String
from pvcore.domains import ArrayRangeDomain
from pvcore.errors import ProtocolError
from pvcore.schema import Catalogue
from pvwire import codec
from pvwire import pvcollab_pb2 as pb
from pvwire.definitions import decode_definitions, encode_definitions


def through_the_wire(plain: list[dict]) -> list[dict]:
    msg = pb.Welcome()
    encode_definitions(plain, msg.definitions)
    return decode_definitions(pb.Welcome.FromString(msg.SerializeToString()).definitions)


def canonical(plain: list[dict]) -> str:
    return json.dumps(plain, sort_keys=True)


def test_the_bundled_definitions_round_trip_exactly() -> None:
    bundled = definitions.bundled()
    plain = bundled.to_plain()
    back = through_the_wire(plain)
    assert back == plain
    assert canonical(back) == canonical(plain)  # ints stay ints, floats floats: the same digest
    catalogue = Catalogue.from_plain(back)
    assert catalogue.to_plain() == plain
    assert catalogue.digest() == bundled.digest()
    assert [(s.group, s.name) for s in catalogue.specs()] == [(s.group, s.name) for s in bundled.specs()]


def test_what_a_property_may_say_round_trips() -> None:
    spec = Filter(
        "Odd",
        "vtkOdd",
        "Every optional part of a property.",
        Input(),
        Input("Source", port=1, data_types=("vtkPolyData",)),
        Int("Count", 3, minimum=0, maximum=10),
        Double("Scale", 1.5, minimum=0, maximum=2.5),
        Doubles("Values", (1.0, 2.0), domain=ArrayRangeDomain("mid", "Scalars")),
        Bool("Flag", True, read_only=True),
        String("Path", "", file_path=True, check="calculator_expression", doc=""),
    )
    plain = Catalogue([spec]).to_plain()
    back = through_the_wire(plain)
    assert canonical(back) == canonical(plain)
    props = {p["name"]: p for p in back[0]["properties"]}
    assert props["Count"]["minimum"] == 0 and isinstance(props["Count"]["minimum"], int)
    assert props["Scale"]["minimum"] == 0 and isinstance(props["Scale"]["maximum"], float)
    assert props["Values"]["count"] is None and props["Values"]["domain"]["kind"] == "array_range"
    assert props["Source"]["input_port"] == 1 and props["Input"]["input_port"] == 0
    restored = Catalogue.from_plain(back).get("filters", "Odd")
    assert [p.name for p in restored.inputs] == ["Input", "Source"]


def test_a_domain_parameter_that_is_not_a_string_is_refused() -> None:
    plain = Catalogue([Filter("Odd", "vtkOdd", "", Int("X", domain=ArrayRangeDomain()))]).to_plain()
    plain[0]["properties"][1]["domain"]["which"] = 3
    with pytest.raises(ProtocolError, match=r"Odd\.X"):
        through_the_wire(plain)


def test_a_welcome_carries_the_definitions_and_their_digest() -> None:
    bundled = definitions.bundled()
    welcome = messages.Welcome(1, 2, messages.StateDelta(), definitions=bundled.to_plain(), definitions_digest="d1")
    _, encoded = codec.encode_welcome(7, welcome)
    head, *parts = [codec.decode_reply(pb.ServerMessage.FromString(data)) for data in encoded]
    back = codec.join_welcome(head, parts)
    assert back.definitions == bundled.to_plain() and back.definitions_digest == "d1" and not back.definitions_cached


def test_hello_carries_the_digest_the_client_holds() -> None:
    data = codec.encode_request(3, messages.Hello(user="ann", definitions_digest="abc"))
    _, hello = codec.decode_request(data)
    assert hello.definitions_digest == "abc"


@pytest.fixture
def service():
    from pvserver.engine import Engine
    from pvserver.parallel import SerialComm
    from pvserver.service import ServerOptions, Service

    return Service(Engine(SerialComm()), ServerOptions(multi_clients=True))


def test_a_client_with_the_servers_digest_gets_no_definitions(service) -> None:
    first = service.connect(messages.Hello(user="a"), queue.SimpleQueue())
    assert first.definitions and first.definitions_digest and not first.definitions_cached
    assert Catalogue.from_plain(first.definitions).digest() == first.definitions_digest
    again = service.connect(messages.Hello(user="b", definitions_digest=first.definitions_digest), queue.SimpleQueue())
    assert again.definitions == [] and again.definitions_cached and again.definitions_digest == first.definitions_digest
    _, encoded = codec.encode_welcome(1, again)
    assert not pb.ServerMessage.FromString(next(iter(encoded))).welcome.definitions
    other = service.connect(messages.Hello(user="c", definitions_digest="not-this-one"), queue.SimpleQueue())
    assert other.definitions == first.definitions and not other.definitions_cached


def test_the_client_keeps_catalogues_by_digest(service) -> None:
    catalogues.forget()
    first = service.connect(messages.Hello(user="a"), queue.SimpleQueue())
    catalogue = catalogues.from_welcome(first, "host:1")
    assert catalogues.known_digest("host:1") == first.definitions_digest and catalogues.known_digest("host:2") == ""
    cached = service.connect(
        messages.Hello(user="b", definitions_digest=catalogues.known_digest("host:1")), queue.SimpleQueue()
    )
    assert catalogues.from_welcome(cached, "host:1") is catalogue
    catalogues.forget()
    with pytest.raises(ProtocolError, match="does not"):
        catalogues.from_welcome(cached, "host:1")
    with pytest.raises(ProtocolError, match="no proxy definitions"):
        catalogues.from_welcome(messages.Welcome(1, 1, messages.StateDelta()), "host:1")


def test_a_server_cannot_pass_its_definitions_off_as_anothers(service) -> None:
    """A catalogue is kept only under the digest it hashes to: a hostile server that claims another's digest for
    its own (smaller) definitions poisons nothing."""
    catalogues.forget()
    honest = service.connect(messages.Hello(user="a"), queue.SimpleQueue())
    catalogues.from_welcome(honest, "honest:1")
    forged = messages.Welcome(
        1, 1, messages.StateDelta(), definitions=honest.definitions[:1], definitions_digest=honest.definitions_digest
    )
    assert len(catalogues.from_welcome(forged, "hostile:1")) == 1  # that server's own, for that server only
    assert catalogues.known_digest("hostile:1") == ""
    cached = service.connect(
        messages.Hello(user="b", definitions_digest=honest.definitions_digest), queue.SimpleQueue()
    )
    assert len(catalogues.from_welcome(cached, "honest:1")) == len(Catalogue.from_plain(honest.definitions))


def _hostile(group: str, name: str, prop: str) -> messages.Welcome:
    plain = [{"group": group, "name": name, "properties": [{"name": prop, "kind": "int", "default": [1]}]}]
    return messages.Welcome(1, 1, messages.StateDelta(), definitions=plain, definitions_digest="x")


@pytest.mark.parametrize(
    ("group", "name", "prop"),
    [
        ("sources", "__class__", "Radius"),  # a type name that is no identifier of the kind
        ("sources", "Evil", "__slots__"),  # a property that would break the class
        ("sources", "Evil", "_spec"),
        ("sources", "Evil", "1bad"),
        ("sources", "Evil", "x" * 200),
        ("Sources; rm", "Evil", "Radius"),
    ],
)
def test_a_hostile_servers_names_are_refused_as_a_protocol_error(group: str, name: str, prop: str) -> None:
    with pytest.raises(ProtocolError, match="cannot read"):
        catalogues.from_welcome(_hostile(group, name, prop), "hostile:1")


def test_a_property_may_not_hide_a_method_of_the_proxy_classes() -> None:
    from pvclient.proxy import proxy_class

    catalogue = catalogues.from_welcome(_hostile("views", "RenderView", "ResetCamera"), "hostile:2")
    with pytest.raises(ProtocolError, match="hide the method"):
        proxy_class(catalogue, "hostile", "views", "RenderView")
    catalogue = catalogues.from_welcome(_hostile("sources", "Evil", "GetDataInformation"), "hostile:3")
    with pytest.raises(ProtocolError, match="hide the method"):
        proxy_class(catalogue, "hostile", "sources", "Evil")
