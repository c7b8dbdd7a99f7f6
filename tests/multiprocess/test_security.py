"""Nobody uninvited, nothing lost, no hang: tokens, TLS, slow clients, shutdown notices, limits."""

from __future__ import annotations

import contextlib
import queue
import subprocess
import threading
import time
from pathlib import Path

import grpc
import pytest
from servers import raw_join

from pvclient.connection import Connection
from pvcore import messages, tokens
from pvcore.errors import AuthenticationError, ConnectionClosedError, DependencyError, PropertyError, PVError
from pvwire import pvcollab_pb2 as pb

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]


def test_a_token_file_is_used_and_never_shown(server_factory, tmp_path) -> None:
    token_file = tmp_path / "token"
    server = server_factory(2, "--multi-clients", "--token-file", str(token_file))
    token = token_file.read_text().strip()
    assert len(token) >= 32 and (token_file.stat().st_mode & 0o077) == 0  # generated, readable by its owner only
    with pytest.raises(AuthenticationError, match="token") as refused:
        Connection.remote(server.host, server.port, token="", timeout=10)
    with pytest.raises(AuthenticationError, match="could not prove"):  # to this client, a server that does not
        Connection.remote(server.host, server.port, token="wrong" + token, timeout=10)  # know its token is a fake
    assert token not in str(refused.value)
    conn = Connection.remote(server.host, server.port, token=token, timeout=10)
    assert conn.create("sources", "Sphere").GlobalID in conn.states
    conn.close()
    assert token not in server.log()
    assert server.log().count("did not prove that it knows the token") == 1  # failed logins are logged


def test_listening_beyond_localhost_requires_a_token_never_printed_to_a_log(server_factory) -> None:
    server = server_factory(1, "--host", "127.0.0.2")
    assert "Token (" not in server.log()  # not on a terminal: never printed, only written to its files
    token = tokens.read(Path(f"{server.port_file}.token"))
    with pytest.raises(AuthenticationError):
        Connection.remote(server.host, server.port, token="", timeout=10)
    Connection.remote(server.host, server.port, token=token, timeout=10).close()


def test_tls(server_factory, tmp_path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server = server_factory(2, "--multi-clients", "--tls-cert", str(cert), "--tls-key", str(key))
    secure = Connection.remote(server.host, server.port, tls=str(cert), timeout=10)
    assert secure.GetNumberOfDataPartitions() == 2
    secure.close()
    with pytest.raises(ConnectionError):  # a plain-text client cannot talk to a TLS server
        Connection.remote(server.host, server.port, timeout=3)


def test_a_client_that_stops_reading_is_dropped_and_the_others_carry_on(server_factory) -> None:
    server = server_factory(2, "--multi-clients")
    master = Connection.remote(server.host, server.port, user="master")
    channel = grpc.insecure_channel(server.address)
    done = threading.Event()

    outgoing: queue.Queue = queue.Queue()

    def requests():  # join, then keep the stream open without sending or reading anything
        yield from iter(outgoing.get, None)
        done.wait(60)

    call = channel.stream_stream("/pvcollab.v1.DataServer/Session")(requests())
    raw_join(outgoing.put, lambda: pb.ServerMessage.FromString(next(call)), server.address, "sleeper")
    outgoing.put(None)  # after the welcome this client never sends or reads again
    master.process_events(timeout=5)
    assert [u.name for u in master.users.users] == ["master", "sleeper"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(u.name == "sleeper" for u in master.users.users):
        for _ in range(100):  # each chat is pushed to the sleeper, whose stream and queue fill up
            master.request(messages.ChatRequest("x" * 9_000))
        master.process_events()
    assert [u.name for u in master.users.users] == ["master"]
    assert "dropping" in server.log(), master.users.reason
    assert master.create("sources", "Cone").GlobalID in master.states  # the server still serves
    done.set()
    call.cancel()
    channel.close()
    master.close()


def test_sigterm_tells_the_clients(server_factory) -> None:
    server = server_factory(2, "--multi-clients")
    conn = Connection.remote(server.host, server.port)
    server.terminate()
    assert server.wait(timeout=30) == 0
    conn.process_events(timeout=2)
    assert any(n.kind == "ServerShutdown" for n in conn.notices)
    with pytest.raises(ConnectionClosedError):
        conn.create("sources", "Sphere")


def test_sigterm_cancels_a_long_update_and_stops_at_once(server_factory) -> None:
    server = server_factory(2, "--multi-clients")
    conn = Connection.remote(server.host, server.port)
    wavelet = conn.create("sources", "Wavelet", {"WholeExtent": [-150, 150] * 3})  # about 10 s to contour here
    contour = conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [100 + i for i in range(16)]})

    def update_pipeline() -> None:
        with contextlib.suppress(PVError):  # cancelled, or the connection closed under it
            conn.invoke(contour, "UpdatePipeline")

    update = threading.Thread(target=update_pipeline)
    update.start()
    time.sleep(1.0)  # the ranks are contouring
    server.terminate()
    assert server.wait(timeout=5) == 0  # the update was cancelled, not waited for
    update.join(timeout=10)
    assert not update.is_alive()


def test_timeout_warns_then_stops(server_factory) -> None:
    server = server_factory(2, "--multi-clients", "--timeout", "0.05")  # 3 seconds
    conn = Connection.remote(server.host, server.port)
    assert server.wait(timeout=30) == 0
    conn.process_events(timeout=1)
    kinds = [n.kind for n in conn.notices]
    assert kinds[:2] == ["ServerTimeout", "ServerShutdown"]


def test_limits_on_values_proxies_and_depth(simple_state) -> None:
    simple = simple_state
    wavelet = simple.Wavelet()
    with pytest.raises(PropertyError, match="at most"):
        simple.Contour(Input=wavelet, Isosurfaces=list(range(200_000)))
    with pytest.raises(PropertyError, match="finite"):
        wavelet.Maximum = float("nan")
    from pvserver import references

    source = simple.Sphere()
    old = references.MAX_PIPELINE_DEPTH
    references.MAX_PIPELINE_DEPTH = 5  # the built-in session: the checks of this process
    try:
        for _ in range(3):
            source = simple.Shrink(Input=source)
        with pytest.raises(DependencyError, match="chain"):
            for _ in range(3):
                source = simple.Shrink(Input=source)
    finally:
        references.MAX_PIPELINE_DEPTH = old
