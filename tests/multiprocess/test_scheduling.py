"""Who waits for whom on rank 0: the master's edits before other clients' renders, chat while the ranks work,
and a stalled rank reported to every client while the server keeps answering."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pvclient.connection import Connection
from pvcore import messages
from pvcore.errors import ServerBusyError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]


def scene(conn: Connection) -> object:
    """A sphere shown in a view; returns the view."""
    sphere = conn.create("sources", "Sphere", {"ThetaResolution": 64, "PhiResolution": 64})
    view = conn.create("views", "RenderView", {"ViewSize": [64, 64]})
    rep = conn.create("representations", "GeometryRepresentation", {"Input": sphere})
    conn.update(view, {"Representations": [rep]})
    return view


def test_the_masters_edits_go_before_another_clients_queued_renders(server_factory) -> None:
    server = server_factory(2, "--multi-clients")
    alice = Connection.remote(server.host, server.port, user="alice")
    bob = Connection.remote(server.host, server.port, user="bob")
    view = scene(alice)
    cone = alice.create("sources", "Cone")
    bob.process_events(timeout=2)
    renders, done = 8, []
    with ThreadPoolExecutor(renders) as pool:  # bob queues eight large renders at once
        for _ in range(renders):
            pool.submit(lambda: done.append(bob.request(messages.RenderRequest(view.GlobalID, 1600, 1600))))
        while not done:  # the first of them runs
            time.sleep(0.005)
        alice.update(cone, {"Resolution": 33})  # the master's edit waits for that one render, not the queue
        finished_before_the_edit = len(done)
    assert len(done) == renders and all(isinstance(image, messages.Image) for image in done)
    assert finished_before_the_edit <= 3, f"the edit waited for {finished_before_the_edit} of bob's renders"


def test_chat_is_answered_while_an_update_runs(server_factory) -> None:
    server = server_factory(2, "--multi-clients")
    alice = Connection.remote(server.host, server.port, user="alice")
    bob = Connection.remote(server.host, server.port, user="bob")
    wavelet = alice.create("sources", "Wavelet", {"WholeExtent": [-110, 110] * 3})
    contour = alice.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [100 + i for i in range(16)]})
    running = threading.Thread(target=lambda: alice.invoke(contour, "UpdatePipeline"))
    running.start()
    time.sleep(0.3)  # the update has started on the ranks
    bob.request(messages.ChatRequest("still there?"))
    answered_during_the_update = running.is_alive()
    running.join(timeout=120)
    assert answered_during_the_update, "the update ended before the chat was answered: make it longer"


def test_a_stalled_rank_is_reported_and_the_server_keeps_answering(server_factory) -> None:
    server = server_factory(2, "--multi-clients", "--request-timeout", "2")
    alice = Connection.remote(server.host, server.port, user="alice")
    bob = Connection.remote(server.host, server.port, user="bob")
    sphere = alice.create("sources", "Sphere")
    worker = server.rank_pids()[1]
    os.kill(worker, signal.SIGSTOP)
    try:
        outcome: list[object] = []

        def update() -> None:
            try:
                outcome.append(alice.invoke(sphere, "UpdatePipeline"))
            except Exception as exc:
                outcome.append(exc)

        threading.Thread(target=update, daemon=True).start()
        deadline = time.monotonic() + 30
        while not any(n.kind == "ServerStalled" for n in bob.notices) and time.monotonic() < deadline:
            bob.process_events(timeout=0.2)
        stalled = [n for n in bob.notices if n.kind == "ServerStalled"]
        assert stalled and "rank(s) 1 of 2" in stalled[0].message, bob.notices
        bob.request(messages.ChatRequest("is rank 1 stuck?"))  # chat is answered during the stall
        with pytest.raises(ServerBusyError, match="do not answer"):  # other requests are refused, at once
            bob.create("sources", "Cone")
    finally:
        os.kill(worker, signal.SIGCONT)
    deadline = time.monotonic() + 30
    while not any(n.kind == "ServerResumed" for n in bob.notices) and time.monotonic() < deadline:
        bob.process_events(timeout=0.2)
    assert any(n.kind == "ServerResumed" for n in bob.notices)
    while not outcome and time.monotonic() < deadline:
        time.sleep(0.05)
    assert outcome, "the stalled update never answered"
    assert alice.create("sources", "Cone").GlobalID in alice.states  # and the server serves again
