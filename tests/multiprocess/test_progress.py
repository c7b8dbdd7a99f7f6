"""Progress of long updates (in order, seen by every client) and cancelling an update on every rank."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pvclient.connection import Connection
from pvcore.errors import PipelineError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parent.parent.parent
BIG = [-100, 100, -100, 100, -100, 100]


@pytest.fixture(scope="module")
def server():
    from servers import ServerProcess

    with ServerProcess(2, "--multi-clients") as started:
        yield started


def test_progress_arrives_in_order_for_everyone(server) -> None:
    master = Connection.remote(server.host, server.port)
    watcher = Connection.remote(server.host, server.port)
    mine: list[float] = []
    master.progress_listeners.append(lambda p: mine.append(p.fraction))
    wavelet = master.create("sources", "Wavelet", {"WholeExtent": [-60, 60, -60, 60, -60, 60]})
    master.invoke(wavelet, "UpdatePipeline")
    assert len(mine) >= 5 and mine == sorted(mine) and mine[-1] == pytest.approx(1.0)
    theirs: list[float] = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (not theirs or theirs[-1] < 1.0):
        watcher.process_events(timeout=0.1)
        theirs = [e.fraction for e in [watcher.progress.get(wavelet.GlobalID)] if e]
    assert theirs and theirs[-1] == pytest.approx(1.0)
    master.close()
    watcher.close()


def test_a_long_update_can_be_cancelled_and_run_again(server) -> None:
    conn = Connection.remote(server.host, server.port)
    wavelet = conn.create("sources", "Wavelet", {"WholeExtent": BIG})
    contour = conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [100.0, 150.0, 200.0]})
    started = threading.Event()
    conn.progress_listeners.append(lambda p: p.proxy_id == contour.GlobalID and started.set())
    canceller = threading.Thread(target=lambda: started.wait(30) and conn.cancel())
    canceller.start()
    with pytest.raises(PipelineError, match="cancelled"):
        conn.invoke(contour, "UpdatePipeline")
    canceller.join()
    cells = conn.information(contour).number_of_cells  # runs again in full: the partial result was dropped
    twin = conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [100.0, 150.0, 200.0]})
    assert cells == conn.information(twin).number_of_cells > 0
    conn.close()


@pytest.mark.parametrize("asked", [False, True])
def test_pvpython_scripts_log_progress_only_when_asked(server, tmp_path, asked: bool) -> None:
    script = tmp_path / "run.py"
    script.write_text("from simple import *\nWavelet(WholeExtent=[-40, 40, -40, 40, -40, 40]).UpdatePipeline()\n")
    out = subprocess.run(
        [sys.executable, "-m", "pvclient.cli", "--url", server.url, *(["--progress"] if asked else []), str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("progress: Wavelet")]
    if asked:
        assert lines and lines[-1].endswith("100%")
    else:  # stderr is not a terminal: a batch job's log stays clean
        assert not lines and "progress" not in out.stderr
