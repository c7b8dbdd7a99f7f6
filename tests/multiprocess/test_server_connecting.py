"""Connecting to real servers under mpiexec, and parallel results: the number of ranks, Wavelet -> Contour
totals that agree across rank counts, a Sphere split across ranks, a Clip's sub-proxy, and pvpython running a
script against a server.

Servers that several tests can share (``--multi-clients``, so they outlive each client) are started once per
module (``server2``, ``server4``: tests/multiprocess/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from reference_data import vtk_sphere_output
from servers import ServerProcess

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(90)]


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
