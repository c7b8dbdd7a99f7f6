"""Nobody is locked out: user names and chat are bounded, and a late joiner receives a session of any size."""

from __future__ import annotations

import queue

import grpc
import pytest
from servers import raw_join

from pvclient.connection import Connection
from pvcore import messages
from pvcore.errors import ProtocolError
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(300)]

MiB = 2**20


def test_a_huge_user_name_is_refused_and_others_still_join(server_factory) -> None:
    server = server_factory(1, "--multi-clients")
    with pytest.raises(ProtocolError, match="at most 256 printable characters"):
        Connection.remote(server.host, server.port, user="x" * MiB, timeout=30)
    conn = Connection.remote(server.host, server.port, user="alice", timeout=30)
    for _ in range(20):  # chat as long as allowed
        conn.request(messages.ChatRequest("y" * 10_000))
    late = Connection.remote(server.host, server.port, user="bob", timeout=30)
    assert [u.name for u in late.users.users] == ["alice", "bob"] and len(late.chat) == 20
    late.close()
    conn.close()


def test_a_late_joiner_receives_a_session_larger_than_any_message(server_factory) -> None:
    """300 MiB of colour-map points, more than a gRPC message may hold (256 MiB): the welcome comes in parts."""
    server = server_factory(1, "--multi-clients")
    channel = grpc.insecure_channel(server.address, options=[("grpc.max_receive_message_length", 64 * MiB)])
    outgoing: queue.Queue = queue.Queue()
    call = channel.stream_stream("/pvcollab.v1.DataServer/Session")(iter(outgoing.get, None))
    replies = (pb.ServerMessage.FromString(data) for data in call)
    assert raw_join(outgoing.put, lambda: next(replies), server.address, "builder").WhichOneof("body") == "welcome"
    points = tuple(float(i % 997) for i in range(100_000))  # 800 kB on the wire per colour map
    proxies = 300 * MiB // (8 * len(points)) + 1
    create = messages.CreateProxy("lookup_tables", "PVLookupTable", "", {"RGBPoints": points})
    request = codec.encode_request(1, create)  # encoded once: the builder holds no copy of the state
    for _ in range(proxies):
        outgoing.put(request)
    answered = 0
    while answered < proxies:
        reply = next(replies)
        if reply.WhichOneof("body") == "event":
            continue
        assert reply.WhichOneof("body") == "delta", reply.error
        answered += 1
    late = Connection.remote(server.host, server.port, user="late", timeout=120)
    maps = [st for st in late.states.values() if st.type == "PVLookupTable"]
    assert len(maps) == proxies and all(st.properties["RGBPoints"] == points for st in maps[:3])
    assert sum(8 * len(st.properties["RGBPoints"]) for st in maps) > 300 * MiB
    late.close()
    outgoing.put(None)
    channel.close()
