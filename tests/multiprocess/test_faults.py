"""Faults survived, against real multi-rank servers: clients killed mid-update and mid-render, a VTK failure on one
rank only, a worker rank that dies, and SIGTERM while an update runs.

Faults already covered elsewhere are not repeated: a client that stops reading, SIGTERM to an idle server and
``--timeout`` (test_security.py); killing an idle master (test_collaboration.py); a failure on every rank, and a
killed client of a single-client server (test_server_lifecycle.py); a missing piece of a partitioned file
(test_data_io_bad_input.py).

Every wait is bounded: a request that should fail must fail within REQUEST_TIMEOUT, a server that should stop
must be gone, ranks included, within EXIT_TIMEOUT.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from pvclient.connection import Connection
from pvcore import messages
from pvcore.errors import ConnectionClosedError, DataAccessError, PipelineError, RenderError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parent.parent.parent
RANKS = 3
REQUEST_TIMEOUT = 30.0
EXIT_TIMEOUT = 30.0
#: A pipeline whose update takes about a second on this machine's ranks (progress events come all along).
BIG = [-90, 90] * 3
ISOSURFACES = [60.0 + 10.0 * i for i in range(16)]

#: A client in its own process, to be killed with SIGKILL: ``python -c VICTIM ROOT HOST PORT MODE ARGUMENT``.
#: "update": it connects first (so it is master), builds a long pipeline (ARGUMENT: its extent and isosurfaces, in
#: JSON), prints its ids, then changes and updates it again and again; "render": it renders a large image of a
#: view (ARGUMENT: its id), again and again, printing a line each time; "queue": it sends twenty such renders at once,
#: prints a line when the first is answered (the others wait in the server's queue) and sleeps.
VICTIM = """
import json, sys
sys.path.insert(0, sys.argv[1])
from pvclient.connection import Connection
from pvcore import messages
host, port, mode, argument = sys.argv[2], int(sys.argv[3]), sys.argv[4], json.loads(sys.argv[5])
conn = Connection.remote(host, port, user="victim", timeout=30)
step = 0
if mode == "update":
    wavelet = conn.create("sources", "Wavelet", {"WholeExtent": argument["extent"]})
    contour = conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": argument["isosurfaces"]})
    print(json.dumps({"wavelet": wavelet.GlobalID, "contour": contour.GlobalID}), flush=True)
    while True:
        step += 1
        conn.update(wavelet, {"Maximum": 255.0 + step % 2})
        conn.information(contour)
if mode == "queue":
    import time
    queued = [conn.transport._submit(messages.RenderRequest(argument, 1600, 1200)) for _ in range(20)]
    queued[0].result()
    print(json.dumps({"queued": len(queued) - 1}), flush=True)
    time.sleep(3600)
while True:
    step += 1
    conn.request(messages.RenderRequest(argument, 1600, 1200))
    print(json.dumps({"rendered": step}), flush=True)
"""


# ----------------------------------------------------------------------------------------------- helpers


class Victim:
    """A client process that reports on stdout; killed with SIGKILL, always reaped."""

    def __init__(self, server: Any, mode: str, argument: Any) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", VICTIM, str(ROOT), server.host, str(server.port), mode, json.dumps(argument)],
            stdout=subprocess.PIPE,
            text=True,
        )

    def line(self) -> str:
        line = self.process.stdout.readline()
        assert line, f"the victim exited with {self.process.wait()}"
        return line

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process.stdout.close()


def rank_pids(server: Any) -> dict[int, int]:
    """MPI rank -> pid of the server's rank processes (found by the port file on their command line)."""
    found = {}
    marker = str(server.port_file).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        rank = re.search(rb"(?:^|\0)PMI_RANK=(\d+)", environ)
        if marker in cmdline and b"pvserver.cli" in cmdline and rank and b"mpiexec" not in cmdline:
            found[int(rank.group(1))] = int(entry.name)
    return found


def alive(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def wait_gone(pids: list[int], timeout: float = EXIT_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in pids):
        assert time.monotonic() < deadline, f"rank processes {[p for p in pids if alive(p)]} still run"
        time.sleep(0.05)


def in_thread(fn: Any) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``fn`` on a thread; the dict gets its result or exception and how long it took."""
    out: dict[str, Any] = {}

    def run() -> None:
        started = time.monotonic()
        try:
            out["result"] = fn()
        except BaseException as exc:  # examined by the test
            out["error"] = exc
        out["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def wait_for_progress(conn: Connection, proxy_id: int, timeout: float = REQUEST_TIMEOUT) -> None:
    """Apply events until a progress event of ``proxy_id`` short of 1 arrives: an update of it is running."""
    deadline = time.monotonic() + timeout
    conn.progress.pop(proxy_id, None)
    while True:
        assert time.monotonic() < deadline, "no update started"
        conn.process_events(timeout=0.05)
        progress = conn.progress.get(proxy_id)
        if progress is not None and progress.fraction < 1.0:
            return
        conn.progress.pop(proxy_id, None)


def wait_until(condition: Any, conn: Connection, timeout: float = REQUEST_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        conn.process_events(timeout=0.1)


def server_state(server: Any) -> dict:
    probe = Connection.remote(server.host, server.port, user="probe", timeout=30)
    try:
        return probe.state_dump()
    finally:
        probe.close()


def assert_serves(conn: Connection, ranks: int = RANKS) -> None:
    """Create, update, gather and render (a composited image over every rank)."""
    sphere = conn.create("sources", "Sphere", {"ThetaResolution": 24})
    info = conn.information(sphere)
    assert info.number_of_partitions == ranks and info.number_of_cells > 0
    view = conn.create("views", "RenderView")
    rep = conn.create("representations", "GeometryRepresentation", {"Input": sphere})
    conn.update(view, {"Representations": [rep]})
    image = conn.request(messages.RenderRequest(view.GlobalID, 80, 60))
    assert (image.width, image.height) == (80, 60) and image.data.startswith(b"\x89PNG")


def assert_no_traceback(server: Any) -> None:
    log = server.log()
    assert "Traceback" not in log, log[-4000:]


# ----------------------------------------------------------------------------------------------- clients killed


def test_a_master_killed_mid_update_leaves_the_others_served(server_factory) -> None:
    server = server_factory(RANKS, "--multi-clients")
    victim = Victim(server, "update", {"extent": BIG, "isosurfaces": ISOSURFACES})
    try:
        ids = json.loads(victim.line())
        bob = Connection.remote(server.host, server.port, user="bob", timeout=30)
        wait_for_progress(bob, ids["contour"])  # the victim's update runs on every rank now
        victim.kill()
        wait_until(lambda: bob.is_master() and len(bob.users.users) == 1, bob)
        assert "victim left" in bob.users.reason
        bob.process_events(timeout=0.5)
        assert bob.state_dump() == server_state(server)  # the victim's last change, made or not, is everyone's
        contour = bob.proxy(ids["contour"])
        bob.update(contour, {"Isosurfaces": [150.0]})  # bob is master now: the pipeline is his to change
        assert bob.information(contour).number_of_cells > 0
        assert_serves(bob)
        assert_no_traceback(server)
        bob.close()
    finally:
        victim.kill()


def test_a_client_killed_mid_render_leaves_the_others_served(server_factory) -> None:
    server = server_factory(RANKS, "--multi-clients", "-v")
    alice = Connection.remote(server.host, server.port, user="alice", timeout=30)
    wavelet = alice.create("sources", "Wavelet", {"WholeExtent": [-40, 40] * 3})
    contour = alice.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [100.0, 150.0, 200.0]})
    view = alice.create("views", "RenderView")
    rep = alice.create("representations", "GeometryRepresentation", {"Input": contour})
    alice.update(view, {"Representations": [rep]})
    alice.invoke(view, "ResetCamera")
    before = alice.state_dump()
    victims = [Victim(server, "queue", view.GlobalID)] + [Victim(server, "render", view.GlobalID) for _ in range(2)]
    try:
        victims[0].line()
        victims[0].kill()  # it leaves renders behind in the server's queue
        for victim in victims[1:]:  # each is rendering back to back: killed in the middle of one render or another
            victim.line()
            victim.line()
        for victim in victims:
            victim.kill()
        wait_until(lambda: len(alice.users.users) == 1, alice)
        assert alice.is_master() and alice.state_dump() == before == server_state(server)
        image = alice.request(messages.RenderRequest(view.GlobalID, 1600, 1200))
        assert (image.width, image.height) == (1600, 1200)
        assert_serves(alice)
        assert_no_traceback(server)
        skipped = re.search(r"client \d+ left; (\d+) request\(s\) it had queued were skipped", server.log())
        assert skipped and 0 < int(skipped.group(1)) < 20, server.log()[-3000:]
    finally:
        for victim in victims:
            victim.kill()
        alice.close()


# ----------------------------------------------------------------------------------------------- one rank fails


def test_a_vtk_failure_on_one_rank_names_it_and_no_rank_hangs(server_factory, tmp_path) -> None:
    """A reader whose piece for rank 1 is corrupt: VTK fails on rank 1 only, while ranks 0 and 2 read theirs."""
    server = server_factory(RANKS, "--multi-clients", "--data-dir", str(tmp_path))
    alice = Connection.remote(server.host, server.port, user="alice", timeout=30)
    bob = Connection.remote(server.host, server.port, user="bob", timeout=30)
    wavelet = alice.create("sources", "Wavelet")
    cells = alice.create("filters", "Shrink", {"Input": wavelet, "ShrinkFactor": 1.0})  # an unstructured grid
    alice.request(messages.SaveDataRequest(cells.GlobalID, "wave.pvtu"))  # a piece per rank
    pieces = re.findall(r'Source="([^"]+)"', (tmp_path / "wave.pvtu").read_text())
    assert len(pieces) == RANKS
    broken = tmp_path / pieces[1]
    data = broken.read_bytes()
    broken.write_bytes(data[: len(data) // 2] + b"\0garbage" * 64)  # a valid header, then nonsense

    reader = alice.create("sources", "FileReader", {"FileName": ["wave.pvtu"]}, name="Broken")
    shrink = alice.create("filters", "Shrink", {"Input": reader}, name="AfterBroken")
    view = alice.create("views", "RenderView", {"ViewSize": [96, 64]})
    # A representation whose defaults need no data (GaussianRadius follows the input's bounds otherwise).
    rep = alice.create("representations", "GeometryRepresentation", {"Input": shrink, "GaussianRadius": 0.05})
    alice.update(view, {"Representations": [rep]})
    attempts = [
        lambda: alice.invoke(reader, "UpdatePipeline"),
        lambda: alice.create("filters", "Contour", {"Input": reader}),  # its defaults come from the input's data
        lambda: alice.create("representations", "GeometryRepresentation", {"Input": shrink}),  # so do these
        lambda: alice.information(shrink),  # downstream of the failure
        lambda: alice.request(messages.RenderRequest(view.GlobalID, 96, 64)),  # every rank composites
        lambda: alice.request(messages.FetchRequest(shrink.GlobalID)),  # every rank sends its piece to rank 0
        lambda: alice.request(messages.SaveDataRequest(shrink.GlobalID, "out.vtu")),  # gathered on rank 0
        lambda: alice.request(messages.SaveDataRequest(shrink.GlobalID, "out.pvtu")),  # rank 0 lists the pieces
        lambda: alice.invoke(reader, "UpdatePipeline"),  # and again: nothing was left half done
    ]
    for attempt in attempts:
        thread, out = in_thread(attempt)
        thread.join(REQUEST_TIMEOUT)
        assert not thread.is_alive(), "a request hung after a failure on one rank"
        err = out.get("error")
        assert isinstance(err, (PipelineError, RenderError)), out
        assert err.rank == 1 and "on rank 1 of 3" in str(err), str(err)
        assert "wave.pvtu" in str(err) and "Broken" in str(err), str(err)
    # The other clients are told whose update failed, and where.
    wait_until(lambda: any("rank 1" in n.message for n in bob.notices), bob)
    assert any(n.kind == "PipelineError" and "alice" in n.message for n in bob.notices)
    assert_serves(alice)  # every rank is back in step: collectives and compositing work
    with pytest.raises(DataAccessError):  # a file name changed later stays inside --data-dir too
        alice.update(reader, {"FileName": [str(tmp_path.parent / "elsewhere.vti")]})
    broken.write_bytes(data)  # repaired: the same reader reads it, on every rank
    alice.update(reader, {"FileName": ["wave.pvtu"]})
    info = alice.information(reader)
    assert info.number_of_partitions == RANKS and info.number_of_cells == 20**3
    assert alice.information(shrink).number_of_cells == 20**3
    assert alice.request(messages.RenderRequest(view.GlobalID, 96, 64)).data.startswith(b"\x89PNG")
    bob.close()
    alice.close()


# ----------------------------------------------------------------------------------------------- rank death


def test_a_worker_rank_that_dies_stops_the_server_without_a_hang(server_factory) -> None:
    """MPICH's process manager ends every rank when one dies, rank 0 included: the server cannot send a word
    after that. What must hold is that nothing hangs: the clients' pending requests fail at once with
    ConnectionClosedError, later ones too, and every rank and mpiexec exit."""
    server = server_factory(RANKS, "--multi-clients")
    pids = rank_pids(server)
    assert sorted(pids) == list(range(RANKS)), pids
    alice = Connection.remote(server.host, server.port, user="alice", timeout=30)
    bob = Connection.remote(server.host, server.port, user="bob", timeout=30)
    wavelet = alice.create("sources", "Wavelet", {"WholeExtent": BIG})
    contour = alice.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": ISOSURFACES})
    thread, out = in_thread(lambda: alice.information(contour))
    wait_for_progress(bob, contour.GlobalID)  # mid-update: every rank is working on it
    os.kill(pids[RANKS - 1], signal.SIGKILL)
    started = time.monotonic()
    assert server.wait(timeout=EXIT_TIMEOUT) != 0
    wait_gone(list(pids.values()))
    thread.join(REQUEST_TIMEOUT)
    assert not thread.is_alive(), "the request in flight hung"
    assert isinstance(out.get("error"), ConnectionClosedError), out
    assert "connection was lost" in str(out["error"])
    for conn in (alice, bob):
        wait_until(lambda conn=conn: conn.closed, conn)
        with pytest.raises(ConnectionClosedError):
            conn.create("sources", "Sphere")
    print(f"server gone {time.monotonic() - started:.2f} s after rank {RANKS - 1} died: {out['error']}")


# ----------------------------------------------------------------------------------------------- SIGTERM


def test_sigterm_during_an_update_tells_every_client_and_every_rank_exits(server_factory) -> None:
    server = server_factory(RANKS, "--multi-clients")
    pids = list(rank_pids(server).values())
    assert len(pids) == RANKS
    alice = Connection.remote(server.host, server.port, user="alice", timeout=30)
    bob = Connection.remote(server.host, server.port, user="bob", timeout=30)
    wavelet = alice.create("sources", "Wavelet", {"WholeExtent": BIG})
    contour = alice.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": ISOSURFACES})
    thread, out = in_thread(lambda: alice.information(contour))
    wait_for_progress(bob, contour.GlobalID)
    started = time.monotonic()
    server.terminate()
    assert server.wait(timeout=EXIT_TIMEOUT) == 0
    stopped = time.monotonic() - started
    wait_gone(pids)
    thread.join(REQUEST_TIMEOUT)
    assert not thread.is_alive(), "the request in flight hung"
    # The update in flight is cancelled on every rank (or, if it had just finished, answered): it does not hold
    # the shutdown up, nor does its client wait forever.
    if "error" in out:
        assert isinstance(out["error"], PipelineError) and "cancelled" in str(out["error"]), out
    for conn in (alice, bob):
        wait_until(lambda conn=conn: conn.closed, conn)
        conn.process_events()
        assert [n.kind for n in conn.notices][-1:] == ["ServerShutdown"], conn.notices
        with pytest.raises(ConnectionClosedError):
            conn.create("sources", "Sphere")
    print(f"stopped {stopped:.2f} s after SIGTERM; the update in flight: {out.get('error', 'answered')!s:.120}")
    assert stopped < 10.0
