"""Running the worker loop across real MPI ranks, for tests/mpi/test_worker_*.py: rank 0 drives the commands, as
the engine does; the other ranks serve in :func:`pvserver.worker.run_worker` until rank 0 sends Shutdown. And what
VTK computes serially in the test process, to compare with.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

from pvcore.messages import DataInformation
from pvserver import commands
from pvserver.commands import RankResult
from pvserver.parallel import CommandChannel
from pvserver.pipeline.executor import RankExecutor
from pvserver.pipeline.information import merge_information
from pvserver.session import Session
from pvserver.worker import run_worker

Collective = Callable[[Any], list[RankResult]]


def serve(comm: Any, rank0: Callable[[], Any]) -> tuple[Any, list[Any] | None]:
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

    return serve(comm, rank0)


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


def serial_wavelet():
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    src = vtkRTAnalyticSource()
    src.SetWholeExtent(-10, 10, -10, 10, -10, 10)
    src.Update()
    return src


def serial_sphere():
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    src = vtkSphereSource()
    src.Update()
    return src.GetOutput()
