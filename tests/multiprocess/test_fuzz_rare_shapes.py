"""The shapes a wire fuzzer rarely reaches, built on purpose against a real 2-rank ``--multi-clients`` server: a
filter as its own input, a cycle, a chain as deep as allowed (computed) and one deeper, values past every limit, a
message past gRPC's size limit, and proxies up to the session's limit of 10,000, with the ranks' memory measured
before and after.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

import grpc
import pytest
from fuzz_session import RANKS, RawStream, assert_clean_log

from pvclient.connection import Connection
from pvcore import messages, values
from pvcore.definitions import views
from pvcore.errors import DependencyError, PropertyError, RenderError
from pvcore.ordering import MAX_PIPELINE_DEPTH
from pvserver import session

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

# ----------------------------------------------------------------------------------------------- shapes and sizes


def ranks_rss(server: Any) -> int:
    """Resident memory of the server's rank processes together, in bytes (they carry the port file's path)."""
    total, marker = 0, str(server.port_file).encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                cmdline = (entry / "cmdline").read_bytes()
                if marker in cmdline and b"pvserver.cli" in cmdline and b"mpiexec" not in cmdline:
                    total += int((entry / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return total


def test_cycles_deep_pipelines_huge_values_and_thousands_of_proxies_are_refused_with_bounded_memory(
    server_factory,
) -> None:
    server = server_factory(RANKS, "--multi-clients")
    conn = Connection.remote(server.host, server.port, user="master", timeout=30)
    observer = Connection.remote(server.host, server.port, user="observer", timeout=30)
    start_rss = ranks_rss(server)
    assert start_rss > 0
    sphere = conn.create("sources", "Sphere", {"ThetaResolution": 8, "PhiResolution": 8})
    first = conn.create("filters", "Shrink", {"Input": sphere})
    second = conn.create("filters", "Shrink", {"Input": first})
    with pytest.raises(DependencyError, match="cycle"):  # a filter as its own input
        conn.update(first, {"Input": first})
    with pytest.raises(DependencyError, match="cycle"):  # or through another
        conn.update(first, {"Input": second})

    # A chain as deep as allowed is computed on every rank; one more filter is refused.
    tip = second
    for _ in range(MAX_PIPELINE_DEPTH - 3):
        tip = conn.create("filters", "Shrink", {"Input": tip})
    info = conn.information(tip)
    assert info.number_of_cells == conn.information(sphere).number_of_cells and info.number_of_partitions == RANKS
    with pytest.raises(DependencyError, match="chain"):
        conn.create("filters", "Shrink", {"Input": tip})

    # Values past the limits are refused before they are stored or sent to any rank or client.
    huge = [
        ("Isosurfaces", [1.0] * (values.MAX_VALUES + 1), "at most"),
        ("Function", "x" * (values.MAX_STRING_LENGTH + 1), "at most"),
    ]
    for name, value, message in huge:
        with pytest.raises(PropertyError, match=message):
            conn.create("filters", "Calculator" if name == "Function" else "Contour", {"Input": sphere, name: value})
    with pytest.raises(PropertyError, match="registration name"):
        conn.update(sphere, {}, name="n" * (session.MAX_NAME_LENGTH + 1))
    with pytest.raises(RenderError, match=r"View size|pixels"):
        view = conn.create("views", "RenderView")
        conn.request(messages.RenderRequest(view.GlobalID, views.MAX_VIEW_SIDE, views.MAX_VIEW_SIDE))
    with pytest.raises(PropertyError):
        conn.update(view, {"ViewSize": [views.MAX_VIEW_SIDE + 1, 10]})

    # A message past the server's size limit ends that stream alone.
    channel = grpc.insecure_channel(server.address)
    stream = RawStream(channel)
    assert stream.join(server.address, "flood").WhichOneof("body") == "welcome"
    stream.send(b"\x0a" + b"\xff" * (65 * 2**20))
    assert stream.answer() is None and stream.ended == "RESOURCE_EXHAUSTED"
    stream.close()
    channel.close()

    # Thousands of proxies: up to the session's limit, then a clear refusal, and no growth from refusals.
    made = len(conn.states)
    with pytest.raises(PropertyError, match="the most it allows"):
        while True:
            conn.create("sources", "Sphere")
            made += 1
            assert made <= session.MAX_PROXIES
    assert made == session.MAX_PROXIES
    full_rss = ranks_rss(server)
    for _ in range(200):
        with pytest.raises(PropertyError):
            conn.create("sources", "Cone", {"Resolution": 64})
    assert ranks_rss(server) - full_rss < 32 * 2**20  # refused requests leave nothing behind
    assert full_rss - start_rss < 2 * 2**30, (start_rss, full_rss)  # ~20 KiB per proxy and rank at most

    # Everyone's mirror holds the same 10,000 proxies; a late joiner gets them in its welcome.
    deadline = time.monotonic() + 30
    while len(observer.states) < made and time.monotonic() < deadline:
        observer.process_events(timeout=0.2)
    late = Connection.remote(server.host, server.port, user="late", timeout=30)
    assert late.state_dump() == conn.state_dump() == observer.state_dump()
    late.close()
    observer.close()
    conn.delete(conn.proxy(max(conn.states)))  # room for one more: the server serves again
    conn.create("sources", "Cone")
    print(f"ranks' memory: {start_rss / 2**20:.0f} MiB at start, {full_rss / 2**20:.0f} MiB with {made} proxies")
    assert_clean_log(server)
    conn.close()
