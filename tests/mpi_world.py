"""The MPI world of the tests under tests/mpi: its communicator, its size and this process's rank."""

from __future__ import annotations

from mpi4py import MPI

COMM = MPI.COMM_WORLD
SIZE = COMM.Get_size()
RANK = COMM.Get_rank()
