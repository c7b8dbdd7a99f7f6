"""What the parts of the service share: the server's options, a client's outbox, and the attributes and methods
each part of :class:`~pvserver.service.Service` may use (set and defined there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pvcore.messages import DataInformation, StateDelta
from pvserver.engine import Engine
from pvserver.session import Session


@dataclass
class ServerOptions:
    """Behaviour chosen on the pvserver command line."""

    multi_clients: bool = False
    connect_id: int = 0
    max_clients: int = 0  # 0: no limit
    token: str = field(default="", repr=False)  # when set, clients must prove they know it (the front end checks)
    data_dir: Path | None = None  # files are read and written only under it (None: anywhere, built-in session)
    fetch_limit: int = 256 * 1024 * 1024  # bytes of data Fetch() may bring to a client
    max_memory_per_rank: int = 0  # bytes one proxy's output may take on a rank (0: budget.default_budget)
    request_timeout: float = 300.0  # seconds one request may run before it is stopped (0: no limit)
    # Whether clients' Python may run (ProgrammableFilter, ProgrammableSource, PythonCalculator; master only).
    # pvserver: with a token unless --no-python; with --no-token only if --allow-python. Built-in session: yes.
    python_scripts: bool = True


class Outbox(Protocol):
    """Where a client's replies and events go: the gRPC front end's stream queue, or the built-in session's."""

    def put(self, item: Any) -> None: ...


class ServicePart:
    """A part of the service: the request handlers of one topic, mixed into :class:`~pvserver.service.Service`."""

    engine: Engine
    options: ServerOptions
    session: Session
    outboxes: dict[int, Outbox]

    def publish(self, origin: int, body: Any) -> None:
        """Queue an event for every client but ``origin`` (Service's)."""
        raise NotImplementedError

    def _information(self, global_id: int) -> DataInformation:
        """Gather a live proxy's data information from every rank (Service's)."""
        raise NotImplementedError

    def _execute(self, client_id: int, delta: StateDelta, undo_label: str = "") -> StateDelta:
        """Apply, commit and publish a planned delta (ChangeRequests')."""
        raise NotImplementedError

    def _set_camera(self, client_id: int, view: Any, values: dict[str, tuple]) -> None:
        """Store a client's camera and tell its followers (ViewRequests')."""
        raise NotImplementedError

    def _files(self, names: tuple) -> tuple[str, ...]:
        """Check a reader's file names against the data directory (FileRequests')."""
        raise NotImplementedError
