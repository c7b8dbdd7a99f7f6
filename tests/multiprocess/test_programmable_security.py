"""The clients' Python on a real server (ProgrammableFilter, ProgrammableSource, PythonCalculator): who may run it,
its bounds, and its results on 3 ranks.

- only the master runs Python: another collaborator's create or script change is refused;
- a ``--no-token`` server refuses Python unless ``--allow-python``; ``--no-python`` refuses it on any server;
- an endless script, on every rank or on one worker only, is stopped within ``--request-timeout`` on every rank
  (the next collective request, which needs them all, is answered); meanwhile another client can join, and
  afterwards it is served;
- a script's error names its line and the rank where it happened;
- each rank runs the script on its piece, so that 3 ranks give the totals the same VTK/numpy code gives here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from servers import ServerProcess
from vtkmodules.numpy_interface import dataset_adapter as dsa
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

from pvclient.connection import Connection
from pvcore.errors import PermissionDeniedError, PipelineError, RequestTimeoutError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

REQUEST_TIMEOUT = 4.0
PIECE = "piece = self.GetOutputInformation(0).Get(vtk.vtkStreamingDemandDrivenPipeline.UPDATE_PIECE_NUMBER())"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    with ServerProcess(3, "--multi-clients", "--request-timeout", str(REQUEST_TIMEOUT)) as started:
        yield started


def _rtdata() -> np.ndarray:
    source = vtkRTAnalyticSource()
    source.Update()
    return np.asarray(dsa.WrapDataObject(source.GetOutput()).PointData["RTData"])


def test_three_ranks_give_the_totals_of_one(server, simple_state) -> None:
    simple = simple_state
    simple.Connect(server.url)
    wavelet = simple.Wavelet()
    calc = simple.PythonCalculator(Input=wavelet, Expression="sin(RTData) * 2")
    expected = np.sin(_rtdata()) * 2
    assert calc.GetDataInformation().GetNumberOfCells() == 8000
    assert calc.PointData["result"].GetRange() == pytest.approx((expected.min(), expected.max()), rel=1e-6)
    pf = simple.ProgrammableFilter(
        Input=wavelet, Script="output.PointData.append(inputs[0].PointData['RTData'] + 1, 'plus')"
    )
    assert pf.GetDataInformation().GetNumberOfCells() == 8000
    assert pf.PointData["plus"].GetRange() == pytest.approx((_rtdata().min() + 1, _rtdata().max() + 1), rel=1e-6)
    one_point = "\n".join(
        (PIECE, "points = vtk.vtkPoints()", "points.InsertNextPoint(piece, 0, 0)", "output.SetPoints(points)")
    )
    once = simple.ProgrammableSource(Script=one_point)  # as in ParaView, VTK runs a source on piece 0 only...
    assert once.GetDataInformation().GetNumberOfPoints() == 1
    pieces = simple.ProgrammableSource(  # ... unless it says that it can make any piece: one point per rank
        Script=one_point,
        ScriptRequestInformation="self.GetOutputInformation(0).Set(vtk.vtkAlgorithm.CAN_HANDLE_PIECE_REQUEST(), 1)",
    )
    info = pieces.GetDataInformation()
    assert info.GetNumberOfPoints() == 3 and list(info.GetBounds())[:2] == [0.0, 2.0]
    image = simple.ProgrammableSource(
        OutputDataSetType="vtkImageData",
        ScriptRequestInformation="\n".join((
            "executive = self.GetExecutive()",
            "executive.GetOutputInformation(0).Set(executive.WHOLE_EXTENT(), 0, 9, 0, 4, 0, 2)",
            "executive.GetOutputInformation(0).Set(vtk.vtkAlgorithm.CAN_PRODUCE_SUB_EXTENT(), 1)",
        )),
        Script="\n".join((
            "executive = self.GetExecutive()",
            "extent = executive.GetOutputInformation(0).Get(executive.UPDATE_EXTENT())",
            "output.SetExtent(extent)",
            "x = extent[0] + numpy.arange(output.GetNumberOfPoints()) % (extent[1] - extent[0] + 1)",
            "output.PointData.append(x * 10.0, 'x10')",
        )),
    )  # fmt: skip
    info = image.GetDataInformation()
    assert info.GetNumberOfCells() == 9 * 4 * 2 and list(info.GetBounds()) == [0, 9, 0, 4, 0, 2]
    assert image.PointData["x10"].GetRange() == (0.0, 90.0)


def test_an_error_names_the_line_and_the_rank(server, simple_state) -> None:
    simple = simple_state
    simple.Connect(server.url)
    script = f"{PIECE}\nif piece == 1:\n    raise ValueError('piece one is bad')\n"
    pf = simple.ProgrammableFilter(Input=simple.Wavelet(), Script=script)
    with pytest.raises(PipelineError, match=r"Script, line 3: ValueError: piece one is bad.*on rank 1 of 3"):
        pf.UpdatePipeline()


def test_a_collaborator_who_is_not_master_is_refused(server) -> None:
    alice = Connection.remote(server.host, server.port, user="alice", timeout=30)
    bob = Connection.remote(server.host, server.port, user="bob", timeout=30)
    try:
        assert alice.is_master() and not bob.is_master()
        wavelet = alice.create("sources", "Wavelet")
        pf = alice.create("filters", "ProgrammableFilter", {"Input": wavelet, "Script": "x = 1"})
        deadline = time.monotonic() + 10
        while pf.GlobalID not in bob.states and time.monotonic() < deadline:
            bob.process_events(timeout=0.2)
        with pytest.raises(PermissionDeniedError, match="Only the master"):
            bob.create("filters", "PythonCalculator", {"Input": bob.proxy(wavelet.GlobalID), "Expression": "1"})
        with pytest.raises(PermissionDeniedError, match="Only the master"):
            bob.update(bob.proxy(pf.GlobalID), {"Script": "import os"})
        assert alice.state_of(pf.GlobalID).properties["Script"] == ("x = 1",)
    finally:
        bob.close()
        alice.close()


def test_an_endless_script_is_stopped_on_every_rank(server, simple_state) -> None:
    simple = simple_state
    simple.Connect(server.url, user="alice")
    wavelet = simple.Wavelet()
    for script in ("while True:\n    pass", f"{PIECE}\nwhile piece == 2:\n    pass"):  # all ranks; one worker only
        pf = simple.ProgrammableFilter(Input=wavelet, Script=script)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError, match="request-timeout"):
            pf.UpdatePipeline()
        assert time.monotonic() - started < REQUEST_TIMEOUT + 6
        simple.Delete(pf)
        # every rank is back: a request that needs all three is answered
        assert simple.Wavelet().GetDataInformation().GetNumberOfCells() == 8000
    # while a script loops on rank 0, another client joins (the guard lets the engine answer light requests);
    # once it is stopped, that client's requests are served
    endless = simple.ProgrammableFilter(Input=wavelet, Script="while True:\n    pass")
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(endless.UpdatePipeline)
        time.sleep(0.5)
        other = Connection.remote(server.host, server.port, user="bob", timeout=30)
        try:
            assert not running.done()
            with pytest.raises(RequestTimeoutError):
                running.result(timeout=REQUEST_TIMEOUT + 10)
            other.process_events(timeout=0.5)
            assert other.information(other.proxy(wavelet.GlobalID)).number_of_cells == 8000
        finally:
            other.close()


@pytest.mark.parametrize(
    ("flags", "allowed"),
    [(("--no-token",), False), (("--no-token", "--allow-python"), True), (("--no-python",), False)],
)
def test_which_servers_run_python(server_factory, simple_state, flags, allowed) -> None:
    started = server_factory(1, *flags)
    simple = simple_state
    simple.Connect(started.url, token="" if "--no-token" in flags else None)
    wavelet = simple.Wavelet()
    if allowed:
        calc = simple.PythonCalculator(Input=wavelet, Expression="RTData * 0 + 3")
        assert calc.PointData["result"].GetRange() == (3.0, 3.0)
        return
    expected = "--no-python" if "--no-python" in flags else r"--no-token.*--allow-python"
    for make in (simple.PythonCalculator, simple.ProgrammableFilter):
        with pytest.raises(PermissionDeniedError, match=rf"runs Python .*{expected}"):
            make(Input=wavelet)
    with pytest.raises(PermissionDeniedError):
        simple.ProgrammableSource()
    assert simple.Calculator(Input=wavelet, Function="RTData*2").GetDataInformation().GetNumberOfCells() == 8000
