"""Bounds on one request, against a real 2-rank server: the memory budget and the request timeout.

Each request that used to abort every rank with std::bad_alloc is refused with its estimate and the budget,
before any rank runs it, and the server carries on serving everyone; so is a state file that holds one. A
Calculator loop is refused at once. An update that runs past --request-timeout is stopped on every rank with
an error naming it, and the other clients are served afterwards.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest

from pvclient import statefile
from pvclient.connection import Connection
from pvcore import messages
from pvcore.errors import PropertyError, PVError, RequestTimeoutError, ResourceLimitError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(240)]

BUDGET = "2G"
CRASHING = [
    ("Wavelet", {"WholeExtent": [0, 1499] * 3}, "WholeExtent [0, 1499, 0, 1499, 0, 1499]"),
    ("Sphere", {"ThetaResolution": 2**31 - 1, "PhiResolution": 2**31 - 1}, "ThetaResolution 2147483647, PhiResolution"),
    ("Plane", {"XResolution": 1e5, "YResolution": 1e5}, "XResolution 100000, YResolution 100000"),
]
#: An update that takes several seconds on this machine's ranks and reports progress all along (so it can stop).
SLOW_EXTENT = [-150, 150] * 3
SLOW_ISOSURFACES = [60.0 + 10.0 * i for i in range(16)]


@pytest.fixture(scope="module")
def server():
    from servers import ServerProcess

    with ServerProcess(2, "--multi-clients", "--max-memory-per-rank", BUDGET) as started:
        yield started


@pytest.fixture(scope="module")
def impatient():
    from servers import ServerProcess

    with ServerProcess(2, "--multi-clients", "--request-timeout", "2") as started:
        yield started


@pytest.fixture
def connect():
    """``connect(server, user)`` opens a client; all are closed after the test, even a failed one (the next test's
    first client must be master)."""
    opened: list[Connection] = []

    def open_one(server, user: str = "") -> Connection:
        opened.append(Connection.remote(server.host, server.port, user=user))
        return opened[-1]

    yield open_one
    for conn in opened:
        conn.close()


def still_serves(conn: Connection, other: Connection) -> None:
    """A Sphere updates and renders for ``conn``, and ``other`` (another client) chats and updates."""
    sphere = conn.create("sources", "Sphere", {"ThetaResolution": 32})
    conn.invoke(sphere, "UpdatePipeline")
    assert conn.information(sphere).number_of_cells == 2 * 32 * 6
    view = conn.create("views", "RenderView", {"ViewSize": [200, 150]})
    rep = conn.create("representations", "GeometryRepresentation", {"Input": sphere})
    conn.update(view, {"Representations": [rep]})
    image = conn.request(messages.RenderRequest(view.GlobalID, 200, 150))
    assert (image.width, image.height) == (200, 150) and image.data
    other.request(messages.ChatRequest("still here"))
    assert other.request(messages.GatherInformation(sphere.GlobalID)).number_of_cells == 2 * 32 * 6
    for proxy in (rep, view, sphere):
        conn.request(messages.DeleteProxy(proxy.GlobalID))


@pytest.mark.parametrize(("type_name", "values", "driver"), CRASHING, ids=[c[0] for c in CRASHING])
def test_a_request_that_would_exhaust_memory_is_refused_and_the_server_serves_on(
    server, connect, type_name: str, values: dict, driver: str
) -> None:
    master = connect(server, "alice")
    other = connect(server, "bob")
    started = time.monotonic()
    with pytest.raises(ResourceLimitError) as refused:
        master.create("sources", type_name, values)
    assert time.monotonic() - started < 10
    message = str(refused.value)
    assert re.match(rf"{type_name}\d+: {re.escape(driver)}.* makes \d", message), message
    assert "points" in message and "GiB" in message
    assert "the budget is 2.0 GiB per rank (--max-memory-per-rank)" in message
    assert not [p for p in master.proxies() if p.type_name == type_name]  # nothing was created
    # The same refusal when a small proxy is made big afterwards.
    small = master.create("sources", type_name)
    with pytest.raises(ResourceLimitError, match=r"--max-memory-per-rank"):
        master.update(small, values)
    master.invoke(small, "UpdatePipeline")  # the refused change left it as it was
    master.request(messages.DeleteProxy(small.GlobalID))
    still_serves(master, other)


def test_a_large_but_allowed_wavelet_still_works(server, connect) -> None:
    conn = connect(server)
    wavelet = conn.create("sources", "Wavelet", {"WholeExtent": [0, 127] * 3})
    assert conn.information(wavelet).number_of_points == 128**3 + 128 * 128  # the ranks share one plane
    conn.request(messages.DeleteProxy(wavelet.GlobalID))


def test_a_state_file_with_such_values_is_refused_and_changes_nothing(server, connect, tmp_path: Path) -> None:
    conn = connect(server)
    other = connect(server)
    wavelet = conn.create("sources", "Wavelet")
    conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [150.0]})
    path = tmp_path / "big.json"
    statefile.save_state(conn, path)
    for proxy in reversed(conn.proxies()):
        conn.request(messages.DeleteProxy(proxy.GlobalID))
    document = json.loads(path.read_text())
    for entry in document["proxies"]:
        if entry["type"] == "Wavelet":
            entry["properties"]["WholeExtent"] = [0, 1499] * 3
    path.write_text(json.dumps(document))
    before = conn.state_dump()
    with pytest.raises(PVError, match=r"WholeExtent \[0, 1499, 0, 1499, 0, 1499\] makes .*--max-memory-per-rank"):
        statefile.load_state(conn, path)
    conn.process_events(timeout=0.2)
    assert conn.state_dump() == before
    still_serves(conn, other)


def test_a_calculator_loop_is_refused_at_once(server, connect) -> None:
    conn = connect(server)
    wavelet = conn.create("sources", "Wavelet")
    started = time.monotonic()
    with pytest.raises(PropertyError, match=r"may not contain 'while'.*Allowed: numbers"):
        conn.create("filters", "Calculator", {"Input": wavelet, "Function": "while(RTData>0){1}"})
    calc = conn.create("filters", "Calculator", {"Input": wavelet, "Function": "RTData*2"})
    with pytest.raises(PropertyError, match="'repeat'"):
        conn.update(calc, {"Function": "repeat 1 until (RTData < 0)"})
    # The server itself refuses it too, whatever the client checked.
    reply = conn.transport._submit(messages.UpdateProxy(calc.GlobalID, {"Function": ("while(1){1}",)})).result()
    assert isinstance(reply, messages.ErrorReply) and reply.kind == "PropertyError" and "'while'" in reply.message
    assert time.monotonic() - started < 10
    conn.invoke(calc, "UpdatePipeline")
    for proxy in (calc, wavelet):
        conn.request(messages.DeleteProxy(proxy.GlobalID))


def test_a_request_past_the_timeout_is_stopped_and_others_are_served(impatient, connect) -> None:
    slow = connect(impatient, "slow")
    other = connect(impatient, "other")
    wavelet = slow.create("sources", "Wavelet", {"WholeExtent": SLOW_EXTENT})
    # Every value given: a data-dependent default would update the Wavelet, and run out of time, at creation.
    contour = slow.create(
        "filters", "Contour", {"Input": wavelet, "ContourBy": ["POINTS", "RTData"], "Isosurfaces": SLOW_ISOSURFACES}
    )
    answered: dict[str, float] = {}

    def chat_meanwhile() -> None:  # queued behind the slow update: served once it is stopped
        time.sleep(0.5)
        other.request(messages.ChatRequest("waiting"))
        answered["chat"] = time.monotonic()

    chatter = threading.Thread(target=chat_meanwhile)
    started = time.monotonic()
    chatter.start()
    with pytest.raises(RequestTimeoutError) as stopped:
        slow.invoke(contour, "UpdatePipeline")
    took = time.monotonic() - started
    chatter.join(30)
    message = str(stopped.value)
    assert message.startswith("Invoke UpdatePipeline of Contour1: ") and "--request-timeout of 2 s" in message
    assert 2 <= took < 15, took
    assert "chat" in answered
    small = slow.create("sources", "Sphere")
    other.request(messages.Invoke(small.GlobalID, "UpdatePipeline", []))
    assert other.request(messages.GatherInformation(small.GlobalID)).number_of_cells == 96
    # The interrupted pipeline was left not up to date: a cheaper request on it runs in full.
    slow.update(wavelet, {"WholeExtent": [-20, 20] * 3})
    assert slow.information(contour).number_of_cells > 0
