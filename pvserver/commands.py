"""Collective commands: what rank 0 broadcasts and every rank executes.

Commands are small dataclasses (pickled by mpi4py's bcast); bulk data such as images never travels in them.
Each rank answers with a :class:`RankResult`, gathered on rank 0, so that an error on any rank is reported with
its rank and no rank is ever left waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pvcore.messages import StateDelta


@dataclass
class ApplyDelta:
    """Create, change and delete the objects behind proxies."""

    delta: StateDelta


@dataclass
class UpdatePipeline:
    """Execute the pipeline up to a proxy on every rank."""

    global_id: int
    time: float | None = None


@dataclass
class CollectInformation:
    """Update a proxy and gather its data information on rank 0."""

    global_id: int


@dataclass
class CollectViewBounds:
    """Update all that a view shows and gather each rank's bounds of it on rank 0 (ResetCamera: one command for
    all the view's visible representations)."""

    view_id: int


@dataclass
class CollectTimerLog:
    """Each rank's log of its pipeline executions (see pvserver.pipeline.timer_log), those shorter than
    ``threshold`` seconds left out."""

    threshold: float = 0.0
    #: At most this many bytes of each rank's log (its newest lines), so that the reply on rank 0 stays bounded.
    max_bytes: int = 1 << 20


@dataclass
class RenderView:
    """Render a view on every rank and composite the images on rank 0."""

    view_id: int
    width: int
    height: int
    format: str = "png"
    quality: int = 85
    interactive: bool = False
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class WriteData:
    """Write a proxy's data: a piece per rank for partitioned formats, else gathered on rank 0."""

    global_id: int
    path: str
    time: float | None = None
    overwrite: bool = False  # replace an existing file that this server did not write


@dataclass
class FetchData:
    """Gather a proxy's data, merged, on rank 0 (serialised)."""

    global_id: int
    time: float | None = None


@dataclass
class Shutdown:
    """Leave the worker loop."""


Command = (
    ApplyDelta
    | UpdatePipeline
    | CollectInformation
    | CollectViewBounds
    | CollectTimerLog
    | RenderView
    | WriteData
    | FetchData
    | Shutdown
)


@dataclass
class RankResult:
    """One rank's answer to a command: a value, or the error it raised there."""

    ok: bool = True
    value: Any = None
    error_kind: str = ""
    message: str = ""
    proxy_id: int = 0
    proxy_name: str = ""
    property: str = ""
