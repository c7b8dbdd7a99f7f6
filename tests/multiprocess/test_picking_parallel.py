"""Picking and the benchmark logs on a 3-rank server: ``ConvertDisplayToPointOnSurface`` finds ParaView's points
where the pieces of several ranks are drawn (each rank casts the ray into its own piece; rank 0 takes the nearest
hit, checked against the composited depth buffer), and paraview.benchmark gets one log per server rank, each with
that rank's execution of the source."""

from __future__ import annotations

import numpy as np
import pytest

import paraview.benchmark as pvb

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]


@pytest.fixture
def remote(simple_state, server3):
    simple_state.Connect(server3.url)
    return simple_state


def test_picking_uses_the_depth_of_every_rank(remote) -> None:
    simple = remote
    wavelet = simple.Wavelet()
    cut = simple.Slice(Input=wavelet)
    cut.SliceType.Origin = [0, 0, 3]
    cut.SliceType.Normal = [0, 0, 1]
    view = simple.CreateRenderView()
    simple.Show(wavelet, view)  # its outline: the camera is reset to the wavelet's box, as in ParaView's test
    simple.Show(cut, view)
    view.ViewSize = [400, 400]
    view.ResetCamera()
    assert cut.GetDataInformation().GetNumberOfPartitions() >= 2  # the ranks draw pieces of it
    # ParaView's two points, and two more of the built-in session, over the pieces of different ranks.
    expected = {
        (100, 100): [-8.563830933033852, -8.563830933033852, 3.0],
        (245, 215): [3.853723919865235, 1.284574639955077, 3.0],
        (300, 110): [8.563830933033852, -7.707447839730467, 3.0],
        (120, 300): [-6.851064746427082, 8.563830933033852, 3.0],
    }
    for display, goal in expected.items():
        point, normal = [0.0] * 3, [0.0] * 3
        assert view.ConvertDisplayToPointOnSurface(list(display), point, normal)
        np.testing.assert_allclose(point, goal, rtol=0, atol=1e-9)
        np.testing.assert_allclose(normal, [0, 0, 1], atol=1e-3)
    assert view.ConvertDisplayToPointOnSurface([2, 2], [0, 0, 0], [0, 0, 0]) is False  # outside the slice


def test_benchmark_logs_have_one_log_per_server_rank(remote) -> None:
    simple = remote
    pvb.logbase.maximize_logs()
    sphere = simple.Sphere(ThetaResolution=17)
    sphere.UpdatePipeline()
    pvb.logbase.get_logs()
    logs = pvb.logbase.logs
    expected = [("Client", 0), ("Servers", 0), ("Servers", 1), ("Servers", 2)]
    assert [(log.component, log.rank) for log in logs] == expected
    assert logs[0].lines == [""]  # this client ran no pipeline itself
    for log in logs[1:]:
        ran = [line for line in log.lines if line.startswith("Execute ") and f" id: {sphere.GlobalID}," in line]
        assert len(ran) == 1
    parsed = pvb.logparser.process_logs()
    assert len(parsed["Servers"]) == 3
