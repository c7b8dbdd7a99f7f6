"""The loop of ranks 1..N-1: receive a command, apply it to the local objects, join the reductions.

Between commands a worker sleeps in :meth:`CommandChannel.receive` instead of spinning.
"""

from __future__ import annotations

import logging
import signal
from typing import Any

from pvserver import commands
from pvserver.parallel import CommandChannel
from pvserver.pipeline.executor import RankExecutor

log = logging.getLogger(__name__)


def run_worker(comm: Any) -> int:
    """Serve rank 0's commands until it sends Shutdown; returns the exit code."""
    # mpiexec forwards SIGINT/SIGTERM to every rank; rank 0 alone decides when to stop and tells the workers,
    # so that no rank leaves a collective that the others are still in.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    channel = CommandChannel(comm)
    executor = RankExecutor(comm, cancel=channel.cancel_pending)
    log.debug("worker ready")
    while True:
        command = channel.receive()
        if isinstance(command, commands.Shutdown):
            log.debug("worker shutting down")
            executor.close()
            return 0
        channel.gather(executor.run(command))
