"""Servers shared by the tests of one module (module scope, ``--multi-clients`` so that they outlive each client).

``server2``, ``server3`` and ``server4`` are plain collaborative servers of 2, 3 and 4 ranks. ``data_server2``,
``data_server3`` and ``data_server4`` serve ``data_dir`` (``--data-dir``), into which ``data_files`` first writes
every dataset of the data I/O tests (tests/data_io_datasets.py); ``data_files`` maps an extension to its file there.

A module that defines a fixture of the same name uses its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# The helper modules of these tests assert too: their failures show the compared values, as in a test module.
pytest.register_assert_rewrite("data_io_checks", "data_io_datasets", "fuzz_session", "fuzz_strategies")

from data_io_datasets import write_datasets  # noqa: E402 - after the registration above
from servers import ServerProcess  # noqa: E402


@pytest.fixture(scope="module")
def server2() -> Iterator[ServerProcess]:
    """A 2-rank collaborative server shared by a module's tests."""
    with ServerProcess(2, "--multi-clients") as server:
        yield server


@pytest.fixture(scope="module")
def server3() -> Iterator[ServerProcess]:
    """A 3-rank collaborative server shared by a module's tests (an odd count: pieces of unequal size)."""
    with ServerProcess(3, "--multi-clients") as server:
        yield server


@pytest.fixture(scope="module")
def server4() -> Iterator[ServerProcess]:
    """A 4-rank collaborative server shared by a module's tests."""
    with ServerProcess(4, "--multi-clients") as server:
        yield server


# ------------------------------------------------------------------------------------------ data I/O


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def data_files(data_dir: Path) -> dict[str, Path]:
    return write_datasets(data_dir)


def _server(ranks: int, data_dir: Path) -> Iterator[ServerProcess]:
    with ServerProcess(ranks, "--multi-clients", "--data-dir", str(data_dir)) as server:
        yield server


@pytest.fixture(scope="module")
def data_server2(data_dir: Path, data_files: dict[str, Path]) -> Iterator[ServerProcess]:
    yield from _server(2, data_dir)


@pytest.fixture(scope="module")
def data_server3(data_dir: Path, data_files: dict[str, Path]) -> Iterator[ServerProcess]:
    yield from _server(3, data_dir)


@pytest.fixture(scope="module")
def data_server4(data_dir: Path, data_files: dict[str, Path]) -> Iterator[ServerProcess]:
    yield from _server(4, data_dir)
