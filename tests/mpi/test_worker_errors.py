"""The worker loop and the engine across real MPI ranks: errors on some or all ranks are gathered, named, and
leave every rank able to go on.

Run on several ranks: ``mpiexec -n 2 python -m pytest --with-mpi tests/mpi/test_worker_errors.py`` (also -n 1, -n 3).
Rank 0 drives the commands, as the engine does; the other ranks serve in :func:`pvserver.worker.run_worker`
until rank 0 sends Shutdown (tests/worker_harness.py). Expected values come from VTK run serially in the test process.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from worker_harness import (
    Collective,
    create,
    information,
    run_on_ranks,
    serial_sphere,
    serial_wavelet,
    serve,
    values,
)

from pvcore.errors import PipelineError, ProxyNotFoundError
from pvcore.messages import DataInformation, StateDelta
from pvserver import commands
from pvserver.commands import RankResult
from pvserver.engine import Engine
from pvserver.pipeline.executor import RankExecutor
from pvserver.pipeline.information import merge_information
from pvserver.session import Session

pytestmark = pytest.mark.timeout(60)


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

    found, codes = serve(comm, rank0)
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

    found, codes = serve(comm, rank0)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size
    error, wavelet = found
    assert error.proxy_name == "Triangulate1"
    assert "vtkImageData" in str(error)
    assert error.rank == 0
    assert wavelet.number_of_cells == serial_wavelet().GetOutput().GetNumberOfCells()
