"""Who may join, and what a client trusts: the token handshake, token files, fake servers on the port."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

import grpc
import pytest
from fake_server import FakeServer
from servers import ServerProcess
from vtkmodules.vtkCommonCore import vtkObject

from pvclient.connection import Connection
from pvcore import auth, definitions, messages, tokens
from pvcore.errors import AuthenticationError, ProtocolError
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

TOKEN = "the-real-servers-token-0123456789abcdef"


class _Payload:
    """Unpickling this runs code: it creates the file named in its argument."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (Path.touch, (self.marker,))


def _no_token_server(reply_to_fetch: messages.DataObject) -> FakeServer:
    """A squatter that needs no token, welcomes anyone and answers Fetch with ``reply_to_fetch``."""

    def answer(request: object) -> list[object]:
        if isinstance(request, messages.Hello):
            return [messages.Challenge(False, auth.nonce())]
        if isinstance(request, messages.Authenticate):  # as a real server's, with the definitions
            catalogue = definitions.bundled()
            plain, digest = catalogue.to_plain(), catalogue.digest()
            return [messages.Welcome(1, 1, messages.StateDelta(), definitions=plain, definitions_digest=digest)]
        if isinstance(request, messages.FetchRequest):
            return [reply_to_fetch]
        if isinstance(request, messages.CreateProxy):
            made = messages.ProxyState(1, request.group, request.type, "Made1", dict(request.properties))
            return [messages.StateDelta([made])]
        return [messages.StateDelta()]

    return FakeServer(answer)


def test_a_token_is_required_by_default_and_local_clients_find_it(server_factory) -> None:
    server = server_factory(2, "--multi-clients")
    path = tokens.runtime_token_path(server.port)
    assert (path.stat().st_mode & 0o777) == 0o600 and (path.parent.stat().st_mode & 0o077) == 0
    beside_port_file = Path(f"{server.port_file}.token")
    assert beside_port_file.read_text() == path.read_text() and (beside_port_file.stat().st_mode & 0o077) == 0
    with pytest.raises(AuthenticationError, match="requires its secret token"):
        Connection.remote(server.host, server.port, token="", timeout=10)  # e.g. another local user
    conn = Connection.remote(server.host, server.port, timeout=10)  # this user: the token file is found
    assert conn.GetNumberOfDataPartitions() == 2
    conn.close()
    server.stop()
    assert not path.exists()  # a server that stops takes its token files with it


def test_no_token_is_an_explicit_logged_choice_for_localhost_only(server_factory, tmp_path) -> None:
    server = server_factory(1, "--no-token")
    assert "--no-token: any local user can join" in server.log()
    Connection.remote(server.host, server.port, token="", timeout=10).close()
    with pytest.raises(RuntimeError, match="localhost only"):
        ServerProcess(1, "--no-token", "--host", "127.0.0.2")


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o622])
def test_a_token_file_others_can_read_or_write_is_refused(tmp_path, mode: int) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN)
    token_file.chmod(mode)
    with pytest.raises(RuntimeError, match="chmod 600"):
        ServerProcess(1, "--token-file", str(token_file))
    with pytest.raises(tokens.TokenFileError, match="chmod 600"):
        tokens.read(token_file)  # the client (pvpython --token-file) refuses it too


def test_a_token_file_that_is_a_link_is_refused(tmp_path) -> None:
    real = tmp_path / "real"
    real.write_text(TOKEN)
    real.chmod(0o600)
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(tokens.TokenFileError, match="links are not followed"):
        tokens.read(tmp_path / "link")


def test_the_token_never_crosses_the_wire_and_a_fake_server_is_refused() -> None:
    """A squatter that does not know the token learns nothing from a client that holds it."""

    def answer(request: object) -> list[object]:
        if isinstance(request, messages.Hello):  # a forged proof: the squatter does not know the token
            return [messages.Challenge(True, auth.nonce(), auth.nonce())]
        return [messages.Welcome(1, 1, messages.StateDelta())]

    fake = FakeServer(answer)
    try:
        with pytest.raises(AuthenticationError, match="could not prove that it knows the token"):
            Connection.remote("localhost", fake.port, token=TOKEN, timeout=10)
        assert [type(r).__name__ for r in fake.requests()] == ["Hello"]  # no proof was sent to it
        assert all(TOKEN.encode() not in data for data in fake.received)
    finally:
        fake.stop()


def test_a_client_with_a_token_refuses_a_server_that_asks_for_none() -> None:
    fake = _no_token_server(messages.DataObject("vtkPolyData", b""))
    try:
        with pytest.raises(AuthenticationError, match="does not ask for a token"):
            Connection.remote("localhost", fake.port, token=TOKEN, timeout=10)
        assert [type(r).__name__ for r in fake.requests()] == ["Hello"]
    finally:
        fake.stop()


def test_a_stale_token_file_is_detected(server_factory) -> None:
    """A crashed server's token file stays behind; whatever listens on its port next cannot prove the token."""
    server = server_factory(1)
    stale = tokens.read(tokens.runtime_token_path(server.port))
    server.stop()
    fake = _no_token_server(messages.DataObject("vtkPolyData", b""))
    try:
        with pytest.raises(AuthenticationError, match="does not ask for a token"):
            Connection.remote("localhost", fake.port, token=stale, timeout=10)
    finally:
        fake.stop()


@pytest.fixture
def squatter():
    """Start fake servers with ``squatter(reply_to_fetch)``; each is stopped after the test."""
    started: list[FakeServer] = []

    def start(reply_to_fetch: messages.DataObject) -> FakeServer:
        started.append(_no_token_server(reply_to_fetch))
        return started[-1]

    yield start
    for fake in started:
        fake.stop()


@pytest.mark.parametrize("data_type", ["vtkPolyData", "builtins.object"])
def test_fetched_data_is_never_unpickled(simple_state, squatter, tmp_path, data_type: str) -> None:
    """Fetch from a squatter that answers with a pickle: the client reads data, and nothing runs."""
    marker = tmp_path / "code-ran"
    fake = squatter(messages.DataObject(data_type, pickle.dumps(_Payload(marker))))
    simple_state.Connect(f"cs://localhost:{fake.port}", token="")
    with pytest.raises(ProtocolError):
        simple_state.Fetch(simple_state.Sphere())
    assert not marker.exists()


def test_fetched_garbage_is_refused_even_with_vtk_warnings_off(simple_state, squatter) -> None:
    fake = squatter(messages.DataObject("vtkPolyData", b'<VTKFile type="PolyData"><PolyData/>'))
    simple_state.Connect(f"cs://localhost:{fake.port}", token="")
    vtkObject.GlobalWarningDisplayOff()  # as many scripts do: VTK then reports no error events
    try:
        with pytest.raises(ProtocolError, match="could not be read"):
            simple_state.Fetch(simple_state.Sphere())
    finally:
        vtkObject.GlobalWarningDisplayOn()


def test_fetch_brings_empty_data(simple_state, server_factory) -> None:
    server = server_factory(2)
    simple = simple_state
    simple.Connect(server.url)
    nothing = simple.Contour(Input=simple.Wavelet(), Isosurfaces=[1e6])  # no point reaches it: empty data
    assert simple.Fetch(nothing).GetNumberOfPoints() == 0


def test_a_connection_that_says_nothing_is_closed_and_logged(server_factory) -> None:
    server = server_factory(1, "--multi-clients")
    channel = grpc.insecure_channel(server.address)
    started = time.monotonic()
    call = channel.stream_stream("/pvcollab.v1.DataServer/Session")(iter(lambda: time.sleep(60), 0))
    with pytest.raises(StopIteration):
        next(call)  # the server ends the stream by itself
    assert time.monotonic() - started < 30
    deadline = time.monotonic() + 10
    while "no handshake within" not in server.log() and time.monotonic() < deadline:
        time.sleep(0.05)  # the line is written as the stream closes
    assert "no handshake within" in server.log()
    channel.close()
    Connection.remote(server.host, server.port, timeout=10).close()  # and it still serves


def test_a_proof_for_another_challenge_is_refused(server_factory) -> None:
    """A proof is bound to both nonces: one made for an earlier handshake does not open a new session."""
    server = server_factory(1, "--multi-clients")
    token = tokens.read(tokens.runtime_token_path(server.port))
    channel = grpc.insecure_channel(server.address)
    stale_proof = auth.client_proof(token, auth.nonce(), auth.nonce())
    requests = [
        codec.encode_request(1, messages.Hello(client_nonce=auth.nonce())),
        codec.encode_request(2, messages.Authenticate(stale_proof)),
    ]
    call = channel.stream_stream("/pvcollab.v1.DataServer/Session")
    replies = [pb.ServerMessage.FromString(data) for data in call(iter(requests), timeout=30)]
    assert [r.WhichOneof("body") for r in replies] == ["challenge", "error"]
    assert replies[1].error.kind == "AuthenticationError"
    channel.close()
