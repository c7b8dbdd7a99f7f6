"""The bounds each rank puts on the work a request causes there, beyond what the engine's planning checks.

``pvserver`` sets them on every rank from its command line (``--request-timeout``, ``--max-memory-per-rank``);
the built-in session keeps the defaults. The clients' Python scripts (pvserver.pipeline.programmable_guard) and
the filters that gather a whole dataset on rank 0 (pvserver.pipeline.gathering) read them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RankLimits:
    """Bounds of the work of one request on this rank."""

    seconds: float = 300.0  # the default --request-timeout; 0: no limit
    memory_bytes: int = 0  # what one request may add to a rank's memory; 0: not bounded here


LIMITS = RankLimits()


def configure(seconds: float, memory_bytes: int) -> None:
    """Set the bounds of every later request on this rank."""
    LIMITS.seconds = max(float(seconds), 0.0)
    LIMITS.memory_bytes = max(int(memory_bytes), 0)
