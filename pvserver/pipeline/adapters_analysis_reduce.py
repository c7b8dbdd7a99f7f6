"""What the analysis adapters share: collectives that survive a failing rank, and the Python algorithm they build on.

The pip VTK has no MPI controller, so a filter whose answer depends on every rank's piece (a sum, a histogram, a
probe that may hit another rank's piece) combines the ranks itself, through the communicator of its
:class:`~pvserver.pipeline.context.Context`. Every rank enters every collective, also when its own piece is empty
or its own part failed: it then contributes a failure flag, and after the collective every rank raises (its own
error, or a :class:`~pvcore.errors.PeerFailedError` naming the filter), so that nobody waits for a rank that gave up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonDataModel import vtkDataObject
from vtkmodules.vtkParallelCore import vtkDummyController

from pvcore.errors import PeerFailedError
from pvserver.parallel import sync_lazily

T = TypeVar("T")

#: The controller of VTK's parallel filters used on one rank's piece alone (the ranks are combined here). Kept for
#: the life of the process: some of those filters hold their controller without a reference of their own.
LOCAL_CONTROLLER = vtkDummyController()


def rank_and_size(comm: Any) -> tuple[int, int]:
    """This rank and the number of ranks (0 and 1 without a communicator: the built-in session)."""
    if comm is None:
        return 0, 1
    return comm.Get_rank(), comm.Get_size()


def _checked(results: list[tuple[str, Any]], own_failure: BaseException | None, what: str) -> list[Any]:
    if own_failure is not None:
        raise own_failure
    failed = [i for i, (error, _) in enumerate(results) if error]
    if failed:
        raise PeerFailedError(f"{what}: rank {failed[0]} failed: {results[failed[0]][0]}")
    return [value for _, value in results]


def _attempt(compute: Callable[[], T]) -> tuple[T | None, BaseException | None]:
    try:
        return compute(), None
    except Exception as exc:  # reported after the collective, so that the other ranks are not left waiting
        return None, exc


def allgather(comm: Any, compute: Callable[[], T], what: str) -> list[T]:
    """Collective: ``compute()`` on this rank, everyone's results in rank order on every rank.

    Raises on every rank when any rank's ``compute`` raised (``what`` names the filter for the others)."""
    value, failure = _attempt(compute)
    if rank_and_size(comm)[1] == 1:
        return _checked([("", value)], failure, what)
    sync_lazily(comm)
    results = comm.allgather((_describe(failure), value if failure is None else None))
    return _checked(results, failure, what)


def alltoall(comm: Any, compute: Callable[[], list[Any]], what: str) -> list[Any]:
    """Collective: ``compute()`` gives one value per rank; returns what each rank sent to this one, in rank order."""
    values, failure = _attempt(compute)
    _rank, size = rank_and_size(comm)
    if size == 1:
        return _checked([("", (values or [None])[0])], failure, what)
    if failure is None and (not isinstance(values, list) or len(values) != size):
        failure = ValueError(f"{what}: expected one value per rank")
    sync_lazily(comm)
    error = _describe(failure)
    results = comm.alltoall([(error, None if failure else v) for v in (values if failure is None else [None] * size)])
    return _checked(results, failure, what)


def _describe(failure: BaseException | None) -> str:
    return "" if failure is None else (str(failure) or type(failure).__name__)


def global_bounds(comm: Any, local: Callable[[], list[float] | None], what: str) -> list[float] | None:
    """Collective: the bounds of all ranks' pieces together (None when every piece is empty)."""
    pieces = [b for b in allgather(comm, local, what) if b]
    if not pieces:
        return None
    stacked = np.array(pieces, dtype=float)
    return [float(stacked[:, i].min() if i % 2 == 0 else stacked[:, i].max()) for i in range(6)]


def dataset_bounds(data: Any) -> list[float] | None:
    """A dataset's bounds, or None when it holds no points."""
    if data is None or not hasattr(data, "GetNumberOfPoints") or data.GetNumberOfPoints() == 0:
        return None
    return list(data.GetBounds())


class AnalysisAlgorithm(VTKPythonAlgorithmBase):
    """A Python algorithm that keeps its errors for the client (``errors``, read by the executor) and knows its
    communicator. Subclasses implement :meth:`execute` (with their collectives) and the property setters."""

    collective = True  # its RequestData takes part in collectives: see RankExecutor.update

    def __init__(self, comm: Any, inputs: int, input_type: str, output_type: str) -> None:
        super().__init__(nInputPorts=inputs, inputType=input_type, nOutputPorts=1, outputType=output_type)
        self.comm = comm
        self.rank, self.size = rank_and_size(comm)
        self.errors: list[Any] = []

    def _setter(self, name: str, value: Any) -> None:
        """Set an attribute, marking the algorithm modified when it changed."""
        if getattr(self, name, None) != value:
            setattr(self, name, value)
            self.Modified()

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802 - VTK's name
        # VTK would print a Python exception and a bare failure of its own; keep the message for the client
        # instead (the executor reports ``errors`` and marks the algorithm modified, so that it runs again).
        try:
            self.execute(in_info, out_info)
        except PeerFailedError as exc:
            self.errors.append(exc)
        except Exception as exc:
            self.errors.append(str(exc) or type(exc).__name__)
        if self.errors:
            output = out_info.GetInformationObject(0).Get(vtkDataObject.DATA_OBJECT())
            if output is not None:
                output.Initialize()  # no half-made result
        return 1

    def execute(self, in_info: Any, out_info: Any) -> None:
        """Compute the output (on every rank: the collectives need them all)."""
        raise NotImplementedError
