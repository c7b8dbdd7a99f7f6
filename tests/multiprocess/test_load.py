"""Load: 16 clients for 30 s against a real multi-rank ``--multi-clients`` server.

Each client is its own gRPC connection (a channel and a stream of its own), driven by a thread of this process.
The master changes properties of a shared pipeline, renders and chats; the 15 others render the shared view with
cameras of their own, gather data information and chat. Every client applies the events it receives as it goes.

Afterwards:

- every client's mirror equals the server's state (as a late joiner receives it);
- no event was lost: each client received, in order, every sequence number from its welcome to the last event,
  except for the master, whose only gaps are its own changes (the server does not echo a change to its author)
  and are exactly the events the others received from it;
- every client received every chat message, in the same order;
- the server answered every request, dropped nobody, and logged no traceback.

``PVCOLLAB_LOAD_SECONDS`` sets the duration (default 30, the issue's), ``PVCOLLAB_LOAD_CLIENTS`` the number of
clients (16) and ``PVCOLLAB_LOAD_RANKS`` the server's ranks (4).
"""

from __future__ import annotations

import os
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from collab_client import LOAD_IMAGE, build_load_pipeline

from pvclient.connection import Connection
from pvcore import messages
from pvcore.messages import StateDelta

SECONDS = float(os.environ.get("PVCOLLAB_LOAD_SECONDS", "30"))
CLIENTS = int(os.environ.get("PVCOLLAB_LOAD_CLIENTS", "16"))
RANKS = int(os.environ.get("PVCOLLAB_LOAD_RANKS", "4"))
LAST_WORDS = "load over"

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180 + 3 * SECONDS)]


@dataclass
class Client:
    """One connection and what happened to it."""

    name: str
    conn: Connection
    first_sequence: int  # the welcome's last sequence: events numbered after it are for this client
    received: list[tuple[int, int, str]] = field(default_factory=list)  # (sequence, origin, body type)
    counts: dict[str, int] = field(default_factory=dict)
    error: BaseException | None = None

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def record(self, event: messages.Event) -> None:
        self.received.append((event.sequence, event.origin_client, type(event.body).__name__))


def connect(server: Any, name: str) -> Client:
    conn = Connection.remote(server.host, server.port, user=name, timeout=60)
    client = Client(name, conn, conn.last_sequence)
    conn.event_listeners.append(client.record)
    return client


def render(client: Client, view_id: int) -> None:
    image = client.conn.request(messages.RenderRequest(view_id, *LOAD_IMAGE))
    assert (image.width, image.height) == LOAD_IMAGE and image.data.startswith(b"\x89PNG")
    client.count("renders")


def master_loop(client: Client, pipeline: dict[str, Any], stop: threading.Event) -> None:
    """Change properties (each change is an event for the 15 others), render, chat."""
    conn, rng, step = client.conn, random.Random(1), 0
    while not stop.is_set():
        step += 1
        which = step % 4
        if which == 0:
            conn.update(pipeline["contour"], {"Isosurfaces": [rng.uniform(100.0, 200.0)]})
        elif which == 1:
            conn.update(pipeline["sphere"], {"Radius": rng.uniform(0.5, 3.0), "ThetaResolution": rng.randint(8, 32)})
        elif which == 2:
            conn.update(pipeline["wavelet"], {"Maximum": rng.uniform(200.0, 300.0)})
        else:
            rep = rng.choice(pipeline["reps"])
            conn.update(rep, {"DiffuseColor": [rng.random(), rng.random(), rng.random()]})
        client.count("changes")
        render(client, pipeline["view"].GlobalID)
        if step % 10 == 0:
            conn.request(messages.ChatRequest(f"{client.name}: step {step}"))
            client.count("chats")
        conn.process_events()


def other_loop(client: Client, pipeline: dict[str, Any], stop: threading.Event, seed: int) -> None:
    """Move one's own camera, render, gather information, chat, apply events."""
    conn, rng, step = client.conn, random.Random(seed), 0
    view = pipeline["view"]
    while not stop.is_set():
        step += 1
        if step % 3 == 0:  # each client's own camera: allowed without being master, and no event for others
            conn.update(view, {"CameraPosition": [rng.uniform(-60, 60), rng.uniform(-60, 60), 60.0]})
            client.count("cameras")
        render(client, view.GlobalID)
        if step % 5 == 0:
            info = conn.information(rng.choice([pipeline["contour"], pipeline["sphere"]]))
            assert info.number_of_partitions == RANKS
            client.count("informations")
        if step % 7 == 0:
            conn.request(messages.ChatRequest(f"{client.name}: hello {step}"))
            client.count("chats")
        conn.process_events()


def guarded(client: Client, loop: Any, *args: Any) -> None:
    try:
        loop(client, *args)
    except BaseException as exc:  # reported by the test
        client.error = exc


def drain(client: Client, timeout: float = 60.0) -> None:
    """Apply events until the master's last chat arrived: every event before it has arrived by then."""
    deadline = time.monotonic() + timeout
    while not any(c.text == LAST_WORDS for c in client.conn.chat):
        assert time.monotonic() < deadline, f"{client.name} did not receive the last chat within {timeout:g} s"
        client.conn.process_events(timeout=0.2)


def check_no_event_lost(client: Client, first: int, last: int, authored: set[int]) -> None:
    """Sequences first+1..last all arrived in order, except those of this client's own changes."""
    sequences = [s for s, _, _ in client.received]
    assert sequences == sorted(set(sequences)), f"{client.name}: events out of order or twice"
    sequences = [s for s in sequences if s > first]
    expected = [s for s in range(first + 1, last + 1) if s not in authored]
    missing = sorted(set(expected) - set(sequences))
    assert not missing, f"{client.name} lost {len(missing)} event(s), e.g. {missing[:10]}"
    assert sequences == expected, f"{client.name} received events that were not for it"


def test_sixteen_clients_for_thirty_seconds(server_factory) -> None:
    server = server_factory(RANKS, "--multi-clients")
    master = connect(server, "master")
    pipeline = build_load_pipeline(master.conn)
    others = [connect(server, f"user{i:02d}") for i in range(1, CLIENTS)]
    everyone = [master, *others]
    # Each connection's proxies: the same ids, made Python objects of that connection.
    pipelines = {c.name: {k: _mirror(c.conn, v) for k, v in pipeline.items()} for c in others}
    stop = threading.Event()
    threads = [threading.Thread(target=guarded, args=(master, master_loop, pipeline, stop), name="master")]
    threads += [
        threading.Thread(target=guarded, args=(c, other_loop, pipelines[c.name], stop, i), name=c.name)
        for i, c in enumerate(others)
    ]
    try:
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while time.monotonic() - started < SECONDS and not any(c.error for c in everyone):
            time.sleep(0.2)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.monotonic() - started
        assert not any(t.is_alive() for t in threads), "a client is stuck in a request"
        errors = {c.name: repr(c.error) for c in everyone if c.error is not None}
        assert not errors, errors

        master.conn.request(messages.ChatRequest(LAST_WORDS))  # to everyone, master included, after all else
        for client in everyone:
            drain(client)
        last = max(s for s, _, _ in master.received)
        assert all(max(s for s, _, _ in c.received) == last for c in everyone)

        # Since everyone joined, the master's own changes are the only events it did not receive, and everyone
        # else received them; the others received every event since their welcome.
        everyone_in = others[-1].first_sequence  # the last one joined: every event after it is for everyone
        from_master = {s for s, origin, _ in others[0].received if origin == master.conn.client_id}
        assert min(from_master) > everyone_in and len(from_master) == master.counts["changes"]
        assert all(kind == StateDelta.__name__ for s, _, kind in others[0].received if s in from_master)
        check_no_event_lost(master, everyone_in, last, from_master)
        for client in others:
            check_no_event_lost(client, client.first_sequence, last, set())

        probe = Connection.remote(server.host, server.port, user="probe", timeout=60)
        expected = probe.state_dump()
        history = [(c.user, c.text) for c in probe.chat]
        probe.close()
        for client in everyone:
            assert client.conn.state_dump() == expected, f"{client.name}'s mirror differs from the server's state"
            assert len(client.conn.users.users) == CLIENTS, f"{client.name}: {client.conn.users}"
        chats = [(c.user, c.text) for c in master.conn.chat]
        assert len(chats) == sum(c.counts.get("chats", 0) for c in everyone) + 1
        assert all([(c.user, c.text) for c in client.conn.chat] == chats for client in others)
        assert chats[-len(history) :] == history

        renders = sum(c.counts.get("renders", 0) for c in everyone)
        print(
            f"\n{CLIENTS} clients, {RANKS} ranks, {elapsed:.1f} s: {renders} renders ({renders / elapsed:.0f}/s), "
            f"{master.counts['changes']} changes, {len(chats)} chats, {last} events; "
            f"renders per client {min(c.counts['renders'] for c in everyone)}.."
            f"{max(c.counts['renders'] for c in everyone)}"
        )
        assert all(c.counts.get("renders", 0) > 0 for c in everyone), "a client was starved"
        log = server.log()
        assert "Traceback" not in log and "dropping" not in log, log[-4000:]
    finally:
        stop.set()
        for client in everyone:
            client.conn.close()


def _mirror(conn: Connection, value: Any) -> Any:
    """The same proxies (or list of proxies) as seen by another connection."""
    if isinstance(value, list):
        return [conn.proxy(v.GlobalID) for v in value]
    return conn.proxy(value.GlobalID)
