"""The worker loop and the engine across real MPI ranks.

Run on several ranks: ``mpiexec -n 2 python -m pytest --with-mpi tests/mpi/test_worker.py`` (also -n 1, -n 3).
Rank 0 drives the commands, as the engine does; the other ranks serve in :func:`pvserver.worker.run_worker`
until rank 0 sends Shutdown. Expected values come from VTK run serially in the test process.
"""

from __future__ import annotations

import copy
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest
from mpi4py import MPI

from pvcore.errors import PipelineError, ProxyNotFoundError
from pvcore.messages import DataInformation, StateDelta
from pvserver import commands
from pvserver.commands import RankResult
from pvserver.engine import Engine
from pvserver.parallel import CommandChannel
from pvserver.pipeline.executor import RankExecutor
from pvserver.pipeline.information import merge_information
from pvserver.session import Session
from pvserver.worker import run_worker

pytestmark = pytest.mark.timeout(60)

Collective = Callable[[Any], list[RankResult]]


# ------------------------------------------------------------------------------------------ harness


def _serve(comm: Any, rank0: Callable[[], Any]) -> tuple[Any, list[Any] | None]:
    """Run ``rank0()`` on rank 0 while the other ranks serve in run_worker; every rank returns.

    ``rank0`` must make the workers leave (send Shutdown). Returns rank 0's result (None elsewhere) and, on
    rank 0, the exit code of every rank; rank 0's exception is re-raised after every rank finished.
    """
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    result, error, code = None, None, 0
    try:
        if comm.Get_rank() == 0:
            try:
                result = rank0()
            except BaseException as exc:  # re-raised once the workers are out
                error = exc
        else:
            code = run_worker(comm)
    finally:
        for sig, handler in saved.items():  # run_worker ignores SIGINT/SIGTERM; give pytest its own back
            signal.signal(sig, handler)
    codes = comm.gather(code, root=0)
    if error is not None:
        raise error
    return result, codes


def run_on_ranks(comm: Any, script: Callable[[Collective, RankExecutor], Any]) -> tuple[Any, list[Any] | None]:
    """Rank 0 runs ``script(collective, executor)`` with a CommandChannel and its own RankExecutor."""

    def rank0() -> Any:
        channel = CommandChannel(comm)
        executor = RankExecutor(comm)

        def collective(command: Any) -> list[RankResult]:
            channel.send(command)
            mine = executor.run(command)
            return channel.gather(mine)

        try:
            return script(collective, executor)
        finally:
            channel.send(commands.Shutdown())

    return _serve(comm, rank0)


@pytest.fixture
def comm():
    """A private communicator per test, so that a stray message cannot leak into the next test."""
    dup = MPI.COMM_WORLD.Dup()
    yield dup
    dup.Free()


def values(results: list[RankResult]) -> list[Any]:
    failed = [(rank, r.error_kind, r.message) for rank, r in enumerate(results) if not r.ok]
    assert not failed, failed
    return [r.value for r in results]


def create(session: Session, collective: Collective, group: str, type_name: str, info=None, **props) -> int:
    """Plan a creation, apply it on every rank, commit it; returns the new proxy's id."""
    delta = session.plan_create(group, type_name, props, "", info)
    values(collective(commands.ApplyDelta(delta)))
    session.commit(delta)
    return delta.states[-1].global_id


def information(collective: Collective, global_id: int) -> DataInformation:
    return merge_information(values(collective(commands.CollectInformation(global_id))))


# ------------------------------------------------------------------------------------------ serial VTK


def serial_wavelet():
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    src = vtkRTAnalyticSource()
    src.SetWholeExtent(-10, 10, -10, 10, -10, 10)
    src.Update()
    return src


def serial_contour(source, value: float):
    from vtkmodules.vtkFiltersCore import vtkContourFilter

    contour = vtkContourFilter()
    contour.SetInputConnection(source.GetOutputPort())
    contour.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    contour.SetValue(0, value)
    contour.Update()
    return contour.GetOutput()


def serial_sphere():
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    src = vtkSphereSource()
    src.Update()
    return src.GetOutput()


def wavelet_piece_points(size: int) -> int:
    """Points of the wavelet pieces that ``size`` ranks hold, counted piece by piece (shared planes repeat)."""
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    total = 0
    for piece in range(size):
        src = vtkRTAnalyticSource()
        src.SetWholeExtent(-10, 10, -10, 10, -10, 10)
        src.UpdatePiece(piece, size, 0)
        total += src.GetOutput().GetNumberOfPoints()
    return total


# ------------------------------------------------------------------------------------------ tests


@pytest.mark.mpi(min_size=1)
def test_merged_information_equals_serial_vtk(comm) -> None:
    size = comm.Get_size()

    def script(collective: Collective, executor: RankExecutor) -> dict:
        session = Session()
        wavelet = create(session, collective, "sources", "Wavelet")
        winfo = information(collective, wavelet)
        contour = create(session, collective, "filters", "Contour", info=winfo, Input=(wavelet,))
        return {
            "wavelet": winfo,
            "contour": information(collective, contour),
            "iso": session.state(contour).properties["Isosurfaces"],
            "contour_by": session.state(contour).properties["ContourBy"],
        }

    found, codes = run_on_ranks(comm, script)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size
    source = serial_wavelet()
    ref = source.GetOutput()
    winfo: DataInformation = found["wavelet"]
    assert winfo.number_of_partitions == size
    assert winfo.number_of_cells == ref.GetNumberOfCells()
    assert winfo.number_of_points == wavelet_piece_points(size)
    assert winfo.bounds == pytest.approx(ref.GetBounds())
    (rtdata,) = [a for a in winfo.point_arrays if a.name == "RTData"]
    lo, hi = ref.GetPointData().GetArray("RTData").GetRange()
    assert rtdata.ranges == pytest.approx([lo, hi])
    assert found["contour_by"] == ("POINTS", "RTData")
    assert found["iso"] == pytest.approx(((lo + hi) / 2,))
    contour_ref = serial_contour(source, found["iso"][0])
    cinfo: DataInformation = found["contour"]
    assert cinfo.number_of_cells == contour_ref.GetNumberOfCells()
    assert cinfo.bounds == pytest.approx(contour_ref.GetBounds())
    if size == 1:
        assert cinfo.number_of_points == contour_ref.GetNumberOfPoints()
    else:
        assert cinfo.number_of_points >= contour_ref.GetNumberOfPoints()


@pytest.mark.mpi(min_size=1)
def test_sphere_pieces_add_up_to_the_serial_sphere(comm) -> None:
    size = comm.Get_size()

    def script(collective: Collective, executor: RankExecutor) -> tuple[list[DataInformation], DataInformation]:
        session = Session()
        sphere = create(session, collective, "sources", "Sphere")
        pieces = values(collective(commands.CollectInformation(sphere)))
        return pieces, merge_information(pieces)

    found, codes = run_on_ranks(comm, script)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size
    pieces, total = found
    ref = serial_sphere()
    assert len(pieces) == size
    assert total.number_of_cells == ref.GetNumberOfCells()
    assert total.bounds == pytest.approx(ref.GetBounds(), abs=1e-6)
    assert total.number_of_partitions == sum(1 for p in pieces if p.number_of_cells) >= min(size, 2)


@pytest.mark.mpi(min_size=2)
def test_an_error_on_some_ranks_is_gathered_and_every_rank_goes_on(comm) -> None:
    size = comm.Get_size()

    def script(collective: Collective, executor: RankExecutor) -> tuple[list[RankResult], DataInformation]:
        session = Session()
        delta = session.plan_create("sources", "Sphere", {})
        sphere = delta.states[-1].global_id
        assert executor.run(commands.ApplyDelta(delta)).ok  # on rank 0 only
        failed = collective(commands.CollectInformation(sphere))
        values(collective(commands.ApplyDelta(delta)))  # now on every rank
        session.commit(delta)
        return failed, information(collective, sphere)

    found, codes = run_on_ranks(comm, script)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size  # every worker left its loop normally
    failed, after = found
    assert failed[0].ok
    assert failed[0].value.number_of_cells > 0
    for rank in range(1, size):
        assert not failed[rank].ok
        assert failed[rank].error_kind == "ProxyNotFoundError"
        assert f"rank {rank}" in failed[rank].message
    assert after.number_of_cells == serial_sphere().GetNumberOfCells()


@pytest.mark.mpi(min_size=1)
def test_a_vtk_failure_is_reported_by_every_rank_with_the_proxy(comm) -> None:
    size = comm.Get_size()

    def script(collective: Collective, executor: RankExecutor) -> tuple[list[RankResult], DataInformation]:
        session = Session()
        wavelet = create(session, collective, "sources", "Wavelet")
        calc = create(session, collective, "filters", "Calculator", Input=(wavelet,), Function=("RTData*",))
        failed = collective(commands.UpdatePipeline(calc))
        fix = session.plan_update(calc, {"Function": ("RTData*2",)})
        values(collective(commands.ApplyDelta(fix)))
        return failed, information(collective, calc)

    found, codes = run_on_ranks(comm, script)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size
    failed, fixed = found
    for result in failed:
        assert not result.ok
        assert result.error_kind == "PipelineError"
        assert result.proxy_name == "Calculator1"
    (result,) = [a for a in fixed.point_arrays if a.name == "Result"]
    lo, hi = serial_wavelet().GetOutput().GetPointData().GetArray("RTData").GetRange()
    assert result.ranges == pytest.approx([2 * lo, 2 * hi], rel=1e-6)


@pytest.mark.mpi(min_size=1)
def test_a_failed_update_leaves_every_rank_as_before(comm) -> None:
    """An update whose apply fails part-way must not leave the ranks with half of it (the session keeps none)."""
    size = comm.Get_size()

    def script(collective: Collective, executor: RankExecutor) -> tuple[list[RankResult], DataInformation]:
        session = Session()
        sphere = create(session, collective, "sources", "Sphere")
        bad = copy.deepcopy(session.state(sphere))
        bad.properties["Radius"] = (2.0,)  # applied first, and valid
        bad.properties["ThetaResolution"] = (2**40,)  # fails in VTK's setter (built by hand, past validation)
        failed = collective(commands.ApplyDelta(StateDelta([bad])))
        return failed, information(collective, sphere)

    found, codes = run_on_ranks(comm, script)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size
    failed, after = found
    assert not any(r.ok for r in failed)
    ref = serial_sphere()
    assert after.number_of_cells == ref.GetNumberOfCells()
    assert after.bounds == pytest.approx(ref.GetBounds(), abs=1e-6)  # the radius is still 0.5 everywhere


@pytest.mark.mpi(min_size=2)
def test_engine_raises_the_first_failing_rank(comm) -> None:
    size = comm.Get_size()

    def rank0() -> tuple[ProxyNotFoundError, DataInformation]:
        engine = Engine(comm).start()
        try:
            session = Session()
            delta = session.plan_create("sources", "Sphere", {})
            sphere = delta.states[-1].global_id
            assert engine.call(lambda: engine.executor.run(commands.ApplyDelta(delta))).ok  # rank 0 only
            with pytest.raises(ProxyNotFoundError) as info:
                engine.call(engine.run, commands.CollectInformation(sphere))
            engine.call(engine.run, commands.ApplyDelta(delta))
            merged = merge_information(engine.call(engine.run, commands.CollectInformation(sphere)))
            return info.value, merged
        finally:
            engine.stop()  # sends Shutdown

    found, codes = _serve(comm, rank0)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size
    error, merged = found
    assert error.rank == 1
    assert f"(on rank 1 of {size})" in str(error)
    assert merged.number_of_cells == serial_sphere().GetNumberOfCells()


@pytest.mark.mpi(min_size=1)
def test_engine_pipeline_error_names_the_proxy(comm) -> None:
    size = comm.Get_size()

    def rank0() -> tuple[PipelineError, DataInformation]:
        engine = Engine(comm).start()
        try:
            session = Session()

            def create_on_engine(group: str, type_name: str, **props: Any) -> int:
                delta = session.plan_create(group, type_name, props)
                engine.call(engine.run, commands.ApplyDelta(delta))
                session.commit(delta)
                return delta.states[-1].global_id

            wavelet = create_on_engine("sources", "Wavelet")
            tri = create_on_engine("filters", "Triangulate", Input=(wavelet,))
            with pytest.raises(PipelineError) as info:
                engine.call(engine.run, commands.UpdatePipeline(tri))
            return info.value, merge_information(engine.call(engine.run, commands.CollectInformation(wavelet)))
        finally:
            engine.stop()

    found, codes = _serve(comm, rank0)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size
    error, wavelet = found
    assert error.proxy_name == "Triangulate1"
    assert "vtkImageData" in str(error)
    assert error.rank == 0
    assert wavelet.number_of_cells == serial_wavelet().GetOutput().GetNumberOfCells()


@pytest.mark.mpi(min_size=2)
def test_idle_workers_do_not_spin(comm) -> None:
    idle = 1.0
    rank = comm.Get_rank()

    def script(collective: Collective, executor: RankExecutor) -> None:
        time.sleep(idle)  # the workers wait for the first command all this time

    cpu, wall = time.process_time(), time.monotonic()
    _, codes = run_on_ranks(comm, script)
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    used = comm.gather(cpu / wall, root=0)
    if rank == 0:
        assert codes == [0] * comm.Get_size()
        assert all(share < 0.5 for share in used[1:]), used  # a spinning rank would use ~100 % of a core


@pytest.mark.mpi(min_size=2)
@pytest.mark.parametrize("doorbell", [True, False], ids=["doorbell", "polling"])
def test_workers_wake_for_commands_with_or_without_the_doorbell(comm, monkeypatch, doorbell: bool) -> None:
    """Every rank agrees on having the doorbell (or not, when turned off), and commands reach the workers both
    ways, including after the workers have waited long enough to fall asleep."""
    monkeypatch.setenv("PVSERVER_DOORBELL", "1" if doorbell else "0")
    probe = CommandChannel(comm)  # collective: every rank builds one
    have = comm.allgather(probe.doorbell is not None)
    probe.close()
    assert have == [doorbell] * comm.Get_size()

    def script(collective: Collective, executor: RankExecutor) -> list[int]:
        session = Session()
        sphere = create(session, collective, "sources", "Sphere")
        time.sleep(1.2)  # longer than a worker's wait for a ring: it looks at MPI, then sleeps again
        return [information(collective, sphere).number_of_cells for _ in range(3)]

    cells, codes = run_on_ranks(comm, script)
    if comm.Get_rank() == 0:
        assert codes == [0] * comm.Get_size()
        assert len(set(cells)) == 1 and cells[0] > 0
