"""The lifecycle of real servers under mpiexec: a single-client server refuses a second client and exits with
its first, SIGTERM stops every rank, a wrong connect-id is refused, ``--timeout`` stops the server, a port in use
is an error on every rank, and a client finds no server after its timeout or waits for one that starts late.

Servers that several tests can share (``--multi-clients``, so they outlive each client) are started once per
module (``server2``, ``server4``: tests/multiprocess/conftest.py); tests that need a server of their own use
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
from pathlib import Path

import pytest
from reference_data import vtk_sphere_output

from pvclient.connection import Connection
from pvcore.errors import (
    AuthenticationError,
    ConnectionClosedError,
    ServerBusyError,
    ServerUnreachableError,
)

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(90)]


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
