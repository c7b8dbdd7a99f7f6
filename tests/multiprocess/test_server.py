"""Real servers under mpiexec: connections, parallel results, lifecycle, errors across the wire.

Servers that several tests can share (``--multi-clients``, so they outlive each client) are started once per
module; tests that need a server of their own (single-client exit, SIGTERM, connect-id, late start) use
``server_factory``.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import ServerProcess, raw_join

from pvclient.connection import Connection
from pvcore import auth, messages
from pvcore.errors import (
    AuthenticationError,
    ConnectionClosedError,
    PipelineError,
    ServerBusyError,
    ServerUnreachableError,
)
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(90)]


@pytest.fixture(scope="module")
def server2() -> Iterator[ServerProcess]:
    """A 2-rank collaborative server shared by this module's tests."""
    with ServerProcess(2, "--multi-clients") as server:
        yield server


@pytest.fixture(scope="module")
def server4() -> Iterator[ServerProcess]:
    """A 4-rank collaborative server shared by this module's tests."""
    with ServerProcess(4, "--multi-clients") as server:
        yield server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


def processes_mentioning(text: str) -> list[int]:
    """Pids of live processes whose command line contains ``text`` (the ranks carry the port-file path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = (entry / "status").read_text()
        except OSError:
            continue
        if text in cmdline and "State:\tZ" not in status:
            found.append(int(entry.name))
    return found


def vtk_sphere_output():
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    src = vtkSphereSource()
    src.Update()
    return src.GetOutput()


def contour_summary(simple) -> dict:
    """Wavelet -> Contour on the active connection, as numbers to compare across rank counts."""
    wavelet = simple.Wavelet()
    contour = simple.Contour(Input=wavelet)
    info = contour.GetDataInformation()
    winfo = wavelet.GetDataInformation()
    return {
        "iso": contour.Isosurfaces,
        "cells": info.GetNumberOfCells(),
        "points": info.GetNumberOfPoints(),
        "bounds": info.GetBounds(),
        "rtdata": contour.PointData["RTData"].GetRange(),
        "wavelet_cells": winfo.GetNumberOfCells(),
        "wavelet_bounds": winfo.GetBounds(),
        "wavelet_rtdata": wavelet.PointData["RTData"].GetRange(),
        "partitions": winfo.GetNumberOfPartitions(),
    }


# ------------------------------------------------------------------------------------------ connecting


@pytest.mark.parametrize("fixture", ["server2", "server4"])
def test_connect_reports_the_number_of_ranks(simple_state, request, fixture: str) -> None:
    server: ServerProcess = request.getfixturevalue(fixture)
    conn = simple_state.Connect(server.url)
    assert conn.IsRemote()
    assert conn.GetURI() == server.url
    assert conn.GetNumberOfDataPartitions() == server.ranks
    assert simple_state.GetActiveConnection() is conn
    conn2 = simple_state.Connect(server.host, server.port)  # host and port given separately
    assert conn2.GetNumberOfDataPartitions() == server.ranks
    assert conn.closed  # not in multi-server mode: the new connection replaced the old one


def test_wavelet_contour_totals_agree_across_rank_counts(simple_state, server2, server4) -> None:
    simple_state.Connect()
    serial = contour_summary(simple_state)
    for server in (server2, server4):
        simple_state.Connect(server.url)
        parallel = contour_summary(simple_state)
        assert parallel["partitions"] == server.ranks
        assert parallel["wavelet_cells"] == serial["wavelet_cells"]
        assert parallel["wavelet_bounds"] == pytest.approx(serial["wavelet_bounds"])
        assert parallel["wavelet_rtdata"] == pytest.approx(serial["wavelet_rtdata"])
        assert parallel["iso"] == pytest.approx(serial["iso"])  # computed from the merged range
        assert parallel["cells"] == serial["cells"]
        assert parallel["points"] >= serial["points"]  # points on partition boundaries count once per rank
        assert parallel["bounds"] == pytest.approx(serial["bounds"])
        assert parallel["rtdata"] == pytest.approx(serial["rtdata"])


@pytest.mark.parametrize("fixture", ["server2", "server4"])
def test_sphere_is_split_across_ranks(simple_state, request, fixture: str) -> None:
    server: ServerProcess = request.getfixturevalue(fixture)
    ref = vtk_sphere_output()
    simple_state.Connect(server.url)
    info = simple_state.Sphere().GetDataInformation()
    assert info.GetNumberOfPartitions() > 1
    assert info.GetNumberOfPartitions() <= server.ranks
    assert info.GetNumberOfCells() == ref.GetNumberOfCells()
    assert info.GetBounds() == pytest.approx(ref.GetBounds(), abs=1e-6)


def test_clip_subproxy_on_a_server(simple_state, server2) -> None:
    simple_state.Connect(server2.url)
    wavelet = simple_state.Wavelet(WholeExtent=[0, 10, 0, 20, 0, 4])
    clip = simple_state.Clip(Input=wavelet)
    assert clip.ClipType.Origin == pytest.approx([5.0, 10.0, 2.0])  # centred on the merged bounds
    clip.ClipType = "Sphere"
    assert clip.ClipType.Center == pytest.approx([5.0, 10.0, 2.0])
    assert clip.GetDataInformation().GetNumberOfCells() > 0


# ------------------------------------------------------------------------------------------ lifecycle


def test_single_client_server_refuses_a_second_client_and_exits_with_the_first(simple_state, server_factory) -> None:
    server = server_factory(2)
    first = simple_state.Connect(server.url)
    with pytest.raises(ServerBusyError) as info:
        Connection.remote(server.host, server.port, timeout=10)
    assert "--multi-clients" in str(info.value)
    sphere = simple_state.Sphere()  # the first client is unaffected
    assert sphere.GetDataInformation().GetNumberOfCells() == vtk_sphere_output().GetNumberOfCells()
    assert server.process.poll() is None
    simple_state.Disconnect()
    assert first.closed
    assert server.wait(timeout=30) == 0
    assert not server.port_file.exists()


def test_sigterm_stops_every_rank(simple_state, server_factory) -> None:
    server = server_factory(2, "--multi-clients")
    simple_state.Connect(server.url)
    sphere = simple_state.Sphere()
    sphere.UpdatePipeline()
    marker = str(server.port_file)  # on the command line of mpiexec and of every rank
    ranks = [pid for pid in processes_mentioning(marker) if pid != server.process.pid]
    assert len(ranks) == server.ranks
    started = time.monotonic()
    server.terminate()
    assert server.wait(timeout=30) == 0
    assert time.monotonic() - started < 30
    deadline = time.monotonic() + 10
    while processes_mentioning(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_mentioning(marker) == [], server.log()
    with pytest.raises(ConnectionClosedError):
        sphere.GetDataInformation()


def test_wrong_connect_id_is_refused(simple_state, server_factory) -> None:
    server = server_factory(1, "--connect-id", "7")
    with pytest.raises(AuthenticationError) as info:
        simple_state.Connect(server.url, timeout=10)
    assert "connect-id" in str(info.value)
    with pytest.raises(AuthenticationError):
        simple_state.Connect(server.url, timeout=10, connect_id=8)
    conn = simple_state.Connect(server.url, timeout=10, connect_id=7)
    assert conn.GetNumberOfDataPartitions() == 1
    simple_state.Disconnect()
    assert server.wait(timeout=30) == 0


def test_single_client_server_exits_when_its_client_is_killed(server_factory) -> None:
    server = server_factory(2)
    client = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import simple, time; simple.Connect({server.url!r}); simple.Sphere().UpdatePipeline();"
            " print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert client.stdout.readline().strip() == "ready"
        client.kill()  # no Goodbye: the connection just drops
        client.wait(timeout=10)
        assert server.wait(timeout=30) == 0
    finally:
        if client.poll() is None:
            client.kill()
        client.wait()
        client.stdout.close()


def test_server_timeout_option_stops_the_server(server_factory) -> None:
    server = server_factory(2, "--timeout", "0.01")  # minutes, as in ParaView
    assert server.wait(timeout=30) == 0
    assert not server.port_file.exists()


def test_port_in_use_exits_with_an_error_on_every_rank(server2) -> None:
    from servers import mpiexec

    cmd = [mpiexec(), "-n", "2", sys.executable, "-m", "pvserver.cli", "--port", str(server2.port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        pytest.fail(f"pvserver on a port in use did not exit within 15 s:\n{output}")
    assert proc.returncode == 1, output
    assert "in use" in output
    assert "Traceback" not in output


@pytest.mark.timeout(30)
def test_no_server_is_unreachable_after_the_timeout(simple_state) -> None:
    port = free_port()
    started = time.monotonic()
    with pytest.raises(ServerUnreachableError) as info:
        simple_state.Connect("localhost", port, timeout=1)
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 10
    assert str(port) in str(info.value)
    assert simple_state.GetActiveConnection() is None


def test_connect_waits_for_a_server_that_starts_late(server_factory) -> None:
    port = free_port()
    result: queue.Queue = queue.Queue()

    def connect() -> None:
        try:
            result.put(Connection.remote("localhost", port, timeout=60))
        except Exception as exc:  # handed to the test thread
            result.put(exc)

    client = threading.Thread(target=connect, daemon=True)
    client.start()
    time.sleep(0.3)  # let the client start retrying before the server exists
    assert result.empty()
    server = server_factory(2, "--port", str(port))  # the last --port wins over the helper's --port 0
    assert server.port == port
    conn = result.get(timeout=60)
    assert isinstance(conn, Connection), conn
    try:
        assert conn.GetNumberOfDataPartitions() == 2
    finally:
        conn.close()
    assert server.wait(timeout=30) == 0


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


# ------------------------------------------------------------------------------------------ pvpython


def test_pvpython_runs_a_script_against_a_server(server2, tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        "import sys\n"
        "from simple import *\n"
        "conn = GetActiveConnection()\n"
        "sphere = Sphere(ThetaResolution=int(sys.argv[1]))\n"
        "info = sphere.GetDataInformation()\n"
        "print('REMOTE', conn.IsRemote())\n"
        "print('RANKS', conn.GetNumberOfDataPartitions())\n"
        "print('CELLS', info.GetNumberOfCells())\n"
    )
    pvpython = Path(sys.executable).parent / "pvpython"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    done = subprocess.run(
        [str(pvpython), "--url", server2.url, "--timeout", "20", str(script), "16"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    ref = vtkSphereSource()
    ref.SetThetaResolution(16)
    ref.Update()
    assert lines["REMOTE"] == "True"
    assert lines["RANKS"] == "2"
    assert int(lines["CELLS"]) == ref.GetOutput().GetNumberOfCells()
    assert server2.process.poll() is None  # a multi-client server outlives the script's connection
