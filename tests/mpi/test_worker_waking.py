"""The worker loop across real MPI ranks: idle workers sleep, and wake for commands with or without the doorbell.

Run on several ranks: ``mpiexec -n 2 python -m pytest --with-mpi tests/mpi/test_worker_waking.py`` (also -n 3).
Rank 0 drives the commands, as the engine does; the other ranks serve in :func:`pvserver.worker.run_worker`
until rank 0 sends Shutdown (tests/worker_harness.py).
"""

from __future__ import annotations

import time

import pytest
from worker_harness import (
    Collective,
    create,
    information,
    run_on_ranks,
)

from pvserver.parallel import CommandChannel
from pvserver.pipeline.executor import RankExecutor
from pvserver.session import Session

pytestmark = pytest.mark.timeout(60)


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
