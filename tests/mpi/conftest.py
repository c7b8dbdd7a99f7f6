"""Fixtures shared by the tests that run on several MPI ranks (``mpiexec -n N python -m pytest --with-mpi``)."""

from __future__ import annotations

import pytest
from mpi4py import MPI

# The harness asserts too: its failures show the compared values, as in a test module.
pytest.register_assert_rewrite("worker_harness")


@pytest.fixture
def comm():
    """A private communicator per test, so that a stray message cannot leak into the next test."""
    dup = MPI.COMM_WORLD.Dup()
    yield dup
    dup.Free()
