"""Errors across the wire with real servers under mpiexec: malformed bytes, a stream that does not start with
Hello, an incompatible protocol major, a VTK failure that names its rank and proxy, and proxies used after a
disconnect.

Servers that several tests can share (``--multi-clients``, so they outlive each client) are started once per
module (``server2``, ``server4``: tests/multiprocess/conftest.py).
"""

from __future__ import annotations

import queue

import pytest
from reference_data import vtk_sphere_output
from servers import raw_join

from pvcore import auth, messages
from pvcore.errors import (
    ConnectionClosedError,
    PipelineError,
)
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(90)]

# ------------------------------------------------------------------------------------------ errors on the wire


class RawStream:
    """The Session RPC spoken with raw bytes, to send what a well-behaved client never would."""

    def __init__(self, address: str) -> None:
        import grpc

        self.channel = grpc.insecure_channel(address)
        self.outgoing: queue.Queue = queue.Queue()
        call = self.channel.stream_stream("/pvcollab.v1.DataServer/Session")  # no (de)serializers: bytes
        self.responses = call(iter(self.outgoing.get, None), timeout=60)

    def send(self, data: bytes) -> None:
        self.outgoing.put(data)

    def next_message(self) -> pb.ServerMessage:
        """The next message that is not an event from another client."""
        while True:
            msg = pb.ServerMessage.FromString(next(self.responses))
            if msg.WhichOneof("body") != "event":
                return msg

    def receive(self) -> tuple[int, messages.Reply]:
        """The next reply that is not an event from another client."""
        msg = self.next_message()
        return msg.request_id, codec.decode_reply(msg)

    def close(self) -> None:
        self.outgoing.put(None)
        self.channel.close()


def test_malformed_bytes_get_an_error_and_the_stream_goes_on(server2) -> None:
    stream = RawStream(server2.address)
    try:
        welcome = codec.decode_reply(raw_join(stream.send, stream.next_message, server2.address))
        assert isinstance(welcome, messages.Welcome)
        assert welcome.number_of_ranks == 2
        for bad in (b"\x08", b"\xff\xff\xff\xff", b""):
            stream.send(bad)
            rid, error = stream.receive()
            assert isinstance(error, messages.ErrorReply), error
            assert error.kind == "ProtocolError"
            assert rid == 0
        stream.send(codec.encode_request(2, messages.CreateProxy("sources", "Sphere")))
        rid, delta = stream.receive()
        assert rid == 2 and isinstance(delta, messages.StateDelta)
        sphere_id = delta.states[-1].global_id
        stream.send(codec.encode_request(3, messages.GatherInformation(sphere_id)))
        rid, info = stream.receive()
        assert rid == 3 and isinstance(info, messages.DataInformation)
        assert info.number_of_cells == vtk_sphere_output().GetNumberOfCells()
        stream.send(codec.encode_request(4, messages.Goodbye()))
        rid, _ = stream.receive()
        assert rid == 4
    finally:
        stream.close()


def test_a_stream_must_start_with_hello(server2) -> None:
    for first in (b"\x08", codec.encode_request(5, messages.GatherInformation(1))):
        stream = RawStream(server2.address)
        try:
            stream.send(first)
            _, error = stream.receive()
            assert isinstance(error, messages.ErrorReply)
            assert error.kind == "ProtocolError"
            with pytest.raises(StopIteration):
                stream.receive()  # the server ended the stream
        finally:
            stream.close()


def test_an_incompatible_protocol_major_is_refused(server2) -> None:
    stream = RawStream(server2.address)
    try:
        hello = messages.Hello(protocol_major=messages.PROTOCOL_MAJOR + 1, client_nonce=auth.nonce())
        stream.send(codec.encode_request(1, hello))
        rid, error = stream.receive()
        assert rid == 1
        assert isinstance(error, messages.ErrorReply)
        assert error.kind == "ProtocolError"
        assert "major" in error.message
    finally:
        stream.close()


def test_vtk_failure_reaches_the_client_with_rank_and_proxy(simple_state, server2) -> None:
    simple_state.Connect(server2.url)
    wavelet = simple_state.Wavelet()
    calc = simple_state.Calculator(Input=wavelet, Function="RTData*", registrationName="BadCalc")
    with pytest.raises(PipelineError) as info:
        calc.UpdatePipeline()
    err = info.value
    assert 0 <= err.rank < 2
    assert f"rank {err.rank}" in str(err)
    assert err.proxy_name == "BadCalc"
    assert "BadCalc" in str(err)
    # The server still serves, the same proxy included.
    calc.Function = "RTData*2"
    lo, hi = wavelet.PointData["RTData"].GetRange()
    assert calc.PointData["Result"].GetRange() == pytest.approx((2 * lo, 2 * hi), rel=1e-6)
    assert simple_state.Sphere().GetDataInformation().GetNumberOfCells() == vtk_sphere_output().GetNumberOfCells()


def test_proxy_after_disconnect_is_connection_closed(simple_state, server2) -> None:
    simple_state.Connect(server2.url)
    sphere = simple_state.Sphere()
    assert sphere.Radius == 0.5
    simple_state.Disconnect()
    assert simple_state.GetActiveConnection() is None
    with pytest.raises(ConnectionClosedError):
        sphere.Radius  # noqa: B018
    with pytest.raises(ConnectionClosedError):
        sphere.Radius = 1.0
    with pytest.raises(ConnectionClosedError):
        sphere.GetDataInformation()
    with pytest.raises(ConnectionClosedError):
        sphere.UpdatePipeline()
