"""What rendering needs from the pipeline, and nothing more: the typed interface between the two.

The rank's executor (pvserver.pipeline.executor.RankExecutor) satisfies it as it is; rendering never imports the
executor, and calls nothing of it but what is listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pvcore.messages import ProxyState


class PipelineAccess(Protocol):
    """This rank's pipeline, as rendering sees it."""

    @property
    def comm(self) -> Any:
        """The communicator of the data server's ranks (an mpi4py communicator, or pvserver.parallel.SerialComm)."""
        ...

    @property
    def view_states(self) -> Mapping[int, ProxyState]:
        """The committed states of the views, representations and colour maps, by global id."""
        ...

    def update(self, global_id: int, ghost_levels: int = 0, time: float | None = None) -> Any:
        """Update a proxy's output for this rank's piece (``time``: None for the pipeline time of the last update
        that named one) and return the VTK data object; may be collective, so every rank makes the same calls."""
        ...

    def output_type(self, global_id: int) -> str:
        """The VTK class name of a proxy's output, known alike on every rank without computing data ("" if none)."""
        ...

    def whole_extent(self, global_id: int) -> list[int] | None:
        """The extent of all ranks' structured data of a proxy together, else None."""
        ...
