"""Shared fixtures: fresh ``simple`` state per test, real servers on free ports."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

from servers import ServerProcess


@pytest.fixture
def simple_state() -> Iterator[object]:
    """``simple`` with no connection; every connection a test opens is closed afterwards."""
    import simple

    simple.state.__init__()
    yield simple
    for conn in list(simple.state.connections):
        conn.close()
    simple.state.__init__()


@pytest.fixture
def server_factory() -> Iterator[object]:
    """Start servers with ``server_factory(ranks, *args)``; all are stopped after the test."""
    started: list[ServerProcess] = []

    def start(ranks: int = 2, *args: str) -> ServerProcess:
        server = ServerProcess(ranks, *args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
