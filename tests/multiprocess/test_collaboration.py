"""Collaboration against a real 4-rank server: shared state, master/slave, hand-over, failover, cameras, chat.

Clients are real processes (tests/collab_client.py) or in-process connections; every assertion is about what
a client mirrors after processServerEvents, compared with the server's state as a late joiner receives it.
"""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pvclient.connection import Connection
from pvcore.errors import PermissionDeniedError, ServerBusyError
from simple import collaboration

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

CLIENT = Path(__file__).resolve().parent.parent / "collab_client.py"


class ClientProcess:
    """A client in its own process, driven by JSON lines."""

    def __init__(self, server, user: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(CLIENT), server.host, str(server.port), user],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.client_id = self._next(30)["ready"]

    def _read(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _next(self, timeout: float) -> dict:
        line = self._lines.get(timeout=timeout)
        if line is None:
            raise RuntimeError(f"client process exited with {self.process.wait()}")
        return json.loads(line)

    def call(self, op: str, timeout: float = 30, **args) -> dict:
        self.process.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.process.stdin.flush()
        return self._next(timeout)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.call("quit", timeout=10)
            except Exception:
                self.process.kill()
        try:
            self.process.wait(timeout=30)  # an interpreter's exit on a loaded machine (a CI run beside others)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def server(server_factory):
    return server_factory(4, "--multi-clients")


@pytest.fixture
def clients():
    started: list = []
    yield started
    for client in started:
        client.close()


def connect(server, user: str) -> Connection:
    return Connection.remote(server.host, server.port, user=user, timeout=30)


def server_dump(server) -> dict:
    """The server's state, as a late joiner receives it."""
    probe = connect(server, "probe")
    try:
        return {str(gid): list(map(repr, entry)) for gid, entry in probe.state_dump().items()}
    finally:
        probe.close()


def converge(client: ClientProcess, expected: dict, timeout: float = 10.0) -> dict:
    """Process events until the client's dump equals ``expected`` (or the timeout); returns the last dump."""
    deadline = time.monotonic() + timeout
    while True:
        client.call("process", timeout=0.2)
        dump = client.call("dump")["dump"]
        if dump == expected or time.monotonic() > deadline:
            return dump


def poll_until(condition, process, timeout: float = 10.0) -> bool:
    """Call ``process()`` until ``condition()`` holds: events reach different clients at different moments."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        process()
    return True


def build_pipeline(conn: Connection) -> dict[str, int]:
    wavelet = conn.create("sources", "Wavelet")
    contour = conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [150.0]})
    clip = conn.create("filters", "Clip", {"Input": wavelet})
    conn.update(clip, {"ClipType": "Sphere"})
    conn.update(contour, {"Isosurfaces": [120.0, 180.0]}, name="Shells")
    sphere = conn.create("sources", "Sphere", {"Radius": 2.0})
    conn.delete(sphere)
    view = conn.create("views", "RenderView")
    rep = conn.create("representations", "GeometryRepresentation", {"Input": contour})
    conn.update(view, {"Representations": [rep]})
    return {"wavelet": wavelet.GlobalID, "contour": contour.GlobalID, "clip": clip.GlobalID, "view": view.GlobalID}


def test_three_clients_share_one_state(server, clients) -> None:
    master = connect(server, "alice")
    bob, carol = ClientProcess(server, "bob"), ClientProcess(server, "carol")
    clients += [bob, carol]
    build_pipeline(master)
    expected = server_dump(server)
    # The deleted Sphere and the replaced Plane are gone (helpers of other kinds, such as the Contour's point
    # locator and the view's axes grid, are counted apart).
    kinds = ("sources", "filters", "implicit_functions", "views", "representations")
    groups = sorted(entry[0] for entry in expected.values() if entry[0] in map(repr, kinds))
    assert groups == sorted(
        repr(g) for g in ("sources", "filters", "filters", "implicit_functions", "views", "representations")
    )
    assert {str(k): list(map(repr, v)) for k, v in master.state_dump().items()} == expected
    assert converge(bob, expected) == expected
    assert converge(carol, expected) == expected
    master.close()


def test_a_non_master_write_is_refused_and_changes_nothing(server, clients) -> None:
    master = connect(server, "alice")
    ids = build_pipeline(master)
    bob = ClientProcess(server, "bob")
    clients.append(bob)
    before = server_dump(server)
    answer = bob.call("set", id=ids["contour"], props={"Isosurfaces": [1.0]})
    assert answer["error"] == "PermissionDeniedError"
    assert "alice" in answer["message"] and "PromoteToMaster" in answer["message"]
    assert bob.call("create", type="Sphere")["error"] == "PermissionDeniedError"
    assert server_dump(server) == before
    master.close()


def test_the_master_hands_over(server, clients) -> None:
    master = connect(server, "alice")
    bob = ClientProcess(server, "bob")
    clients.append(bob)
    assert poll_until(lambda: len(master.users.users) == 2, lambda: master.process_events(timeout=0.2))
    collaboration.PromoteToMaster("bob", master)
    assert poll_until(lambda: bob.call("users")["master"], lambda: bob.call("process", timeout=0.2))
    created = bob.call("create", type="Cone")
    assert "id" in created
    assert poll_until(lambda: created["id"] in master.states, lambda: master.process_events(timeout=0.2))
    assert not collaboration.IsMaster(master)
    with pytest.raises(PermissionDeniedError, match="bob"):
        master.create("sources", "Sphere")
    master.close()


def test_killing_the_master_promotes_the_next_client_and_loses_nothing(server, clients) -> None:
    alice = ClientProcess(server, "alice")
    clients.append(alice)
    bob = connect(server, "bob")
    carol = ClientProcess(server, "carol")
    clients.append(carol)
    wavelet = alice.call("create", type="Wavelet")["id"]
    assert alice.call("set", id=wavelet, props={"Maximum": 300.0}) == {"ok": True}
    before = server_dump(server)
    alice.kill()
    deadline = time.monotonic() + 15
    while not collaboration.IsMaster(bob) and time.monotonic() < deadline:
        bob.process_events(timeout=0.5)
    assert collaboration.IsMaster(bob), "the longest-connected remaining client becomes master"
    assert "alice left" in bob.users.reason
    deadline = time.monotonic() + 10
    while len(carol.call("users")["users"]) != 2 and time.monotonic() < deadline:
        carol.call("process", timeout=0.5)  # the news may reach carol a moment after bob
    users = carol.call("users")["users"]
    assert [u["name"] for u in users] == ["bob", "carol"] and users[0]["master"]
    assert server_dump(server) == before  # nothing lost
    assert bob.proxy(wavelet).Maximum == 300.0
    sphere = bob.create("sources", "Sphere")  # the server carries on with the new master
    assert converge(carol, server_dump(server))[str(sphere.GlobalID)]
    bob.close()


def test_a_late_joiner_sees_everything_at_once(server) -> None:
    master = connect(server, "alice")
    build_pipeline(master)
    collaboration.SendChatMessage("first", master)
    collaboration.SendChatMessage("second", master)
    late = connect(server, "zoe")
    assert {k: v for k, v in late.state_dump().items()} == master.state_dump()
    assert collaboration.GetChatMessages(late) == [("alice", "first"), ("alice", "second")]
    assert [u["name"] for u in collaboration.GetUsers(late)] == ["alice", "zoe"]
    late.close()
    master.close()


def test_cameras_are_own_unless_following(server, clients) -> None:
    master = connect(server, "alice")
    ids = build_pipeline(master)
    bob, carol = ClientProcess(server, "bob"), ClientProcess(server, "carol")
    clients += [bob, carol]
    assert bob.call("follow", user="alice") == {"ok": True}
    view = master.proxy(ids["view"])
    master.update(view, {"CameraPosition": [3.0, 4.0, 5.0]})
    deadline = time.monotonic() + 10
    while bob.call("camera", view=ids["view"])["position"] != [3.0, 4.0, 5.0] and time.monotonic() < deadline:
        bob.call("process", timeout=0.2)  # events may still be on their way after the first poll
    carol.call("process", timeout=0.3)
    assert bob.call("camera", view=ids["view"])["position"] == [3.0, 4.0, 5.0]
    assert carol.call("camera", view=ids["view"])["position"] != [3.0, 4.0, 5.0]
    # bob's own camera change stays his; alice keeps hers
    assert bob.call("set", id=ids["view"], props={"CameraPosition": [9.0, 9.0, 9.0]}) == {"ok": True}
    master.process_events(timeout=0.3)
    assert list(view.CameraPosition) == [3.0, 4.0, 5.0]
    master.close()


def test_everyone_sees_progress_and_failures_and_chat(server) -> None:
    master = connect(server, "alice")
    watcher = connect(server, "bob")
    wavelet = master.create("sources", "Wavelet", {"WholeExtent": [-40, 40, -40, 40, -40, 40]})
    master.invoke(wavelet, "UpdatePipeline")
    bad = master.create("filters", "Calculator", {"Input": wavelet, "Function": "RTData+"})
    with pytest.raises(Exception, match="Calculator"):
        master.invoke(bad, "UpdatePipeline")
    collaboration.SendChatMessage("look at this", watcher)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (watcher.notices and watcher.chat):
        watcher.process_events(timeout=0.2)
    assert watcher.progress[wavelet.GlobalID].fraction == pytest.approx(1.0)
    assert any("alice" in n.message and "Calculator" in n.message for n in watcher.notices)
    assert poll_until(lambda: collaboration.GetChatMessages(master), lambda: master.process_events(timeout=0.2))
    assert collaboration.GetChatMessages(master) == [("bob", "look at this")]
    master.close()
    watcher.close()


def test_joining_can_be_limited(server_factory) -> None:
    server = server_factory(2, "--multi-clients", "--max-clients", "2")
    a, b = connect(server, "a"), connect(server, "b")
    with pytest.raises(ServerBusyError, match="at most 2"):
        connect(server, "c")
    with pytest.raises(PermissionDeniedError, match="master"):
        collaboration.DisableFurtherConnections(b)
    b.close()
    collaboration.DisableFurtherConnections(a)
    with pytest.raises(ServerBusyError, match="disabled"):
        connect(server, "d")
    a.close()


def test_background_mode_and_everyone_following_the_master(server) -> None:
    master, bob, carol = connect(server, "alice"), connect(server, "bob"), connect(server, "carol")
    view = master.create("views", "RenderView")
    collaboration.EnableBackgroundEvents(bob)
    collaboration.EnableBackgroundEvents(carol)
    collaboration.MakeEveryoneFollowMe(master)
    master.update(view, {"CameraPosition": [7.0, 8.0, 9.0]})
    deadline = time.monotonic() + 5
    seen = []
    while time.monotonic() < deadline:  # nobody calls process_events: the background threads apply events
        seen = [list(c.proxy(view.GlobalID).CameraPosition) for c in (bob, carol) if view.GlobalID in c.states]
        if seen == [[7.0, 8.0, 9.0]] * 2:
            break
        time.sleep(0.02)
    assert seen == [[7.0, 8.0, 9.0]] * 2
    assert [u["following"] for u in collaboration.GetUsers(bob)] == [0, master.client_id, master.client_id]
    with pytest.raises(PermissionDeniedError):
        collaboration.MakeEveryoneFollowMe(bob)
    for conn in (master, bob, carol):
        conn.close()
