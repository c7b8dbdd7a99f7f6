"""The bounds of what a view shows, reduced across the ranks in one collective.

Run on several ranks: ``mpiexec -n 4 python -m pytest --with-mpi tests/mpi/test_view_bounds.py``
(the tests without an ``mpi`` mark also run, on one rank, under plain pytest).
"""

from __future__ import annotations

import pytest
from mpi_world import COMM, RANK, SIZE

from pvserver.rendering.bounds import reduce_bounds, union_bounds

pytestmark = pytest.mark.timeout(60)


# --------------------------------------------------------------------------------------------------
# bounds of what a view shows


class CountingComm:
    """Passes every call on to a communicator, counting the collectives."""

    COLLECTIVES = ("allreduce", "Allreduce", "Iallreduce", "allgather", "Allgather", "gather", "bcast", "Ibarrier")

    def __init__(self, comm):
        self.comm = comm
        self.calls = []

    def __getattr__(self, name):
        if name in self.COLLECTIVES:
            self.calls.append(name)
        return getattr(self.comm, name)


def test_the_bounds_of_many_boxes_are_one_collective():
    """Three boxes (one of them on no rank, one on some ranks only) reduced in one Iallreduce, to the union."""
    mine = [
        [RANK, RANK + 1.0, -RANK, 0.5, 0.0, 2.0 * RANK],
        None,
        [-1.0, 1.0, -2.0, 2.0, -3.0, 3.0 + RANK] if RANK % 2 == 0 else None,
    ]
    comm = CountingComm(COMM)
    whole = reduce_bounds(comm, mine)
    assert comm.calls == (["Iallreduce"] if SIZE > 1 else [])
    everyone = COMM.allgather(mine)
    assert whole == [union_bounds([boxes[i] for boxes in everyone]) for i in range(3)]
    assert whole[0] == [0.0, float(SIZE), -(SIZE - 1.0), 0.5, 0.0, 2.0 * (SIZE - 1)]
    assert whole[1] is None
    assert whole[2] == [-1.0, 1.0, -2.0, 2.0, -3.0, 3.0 + 2 * ((SIZE - 1) // 2)]
    assert reduce_bounds(comm, []) == []
