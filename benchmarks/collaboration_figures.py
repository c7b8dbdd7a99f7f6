"""Figures of benchmarks/bench_collaboration.py: timing summaries with p99, table cells, a digest of a mirror, and
the CPU time per event of the server's rank 0, its workers, the observer processes and the master (from /proc).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import statistics
from pathlib import Path
from typing import Any

from common import cpu_seconds, descendants, fmt_ms


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted samples."""
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def summary(samples: list[float]) -> dict[str, Any]:
    """Median, p90, p99, min, max and count of samples given in seconds, in milliseconds."""
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "median_ms": 1e3 * statistics.median(ordered),
        "p90_ms": 1e3 * percentile(ordered, 0.90),
        "p99_ms": 1e3 * percentile(ordered, 0.99),
        "min_ms": 1e3 * ordered[0],
        "max_ms": 1e3 * ordered[-1],
    }


def stat_cells(s: dict[str, Any]) -> list[str]:
    if not s.get("n"):
        return ["-"] * 5
    return [str(s["n"]), fmt_ms(s["median_ms"]), fmt_ms(s["p90_ms"]), fmt_ms(s["p99_ms"]), fmt_ms(s["max_ms"])]


def dump_digest(conn: Any) -> str:
    """A short digest of a connection's mirrored state (views' cameras left out, as state_dump does)."""
    return hashlib.sha1(repr(conn.state_dump()).encode()).hexdigest()[:16]


def mpi_rank(pid: int) -> int | None:
    """The MPI rank of a server process (MPICH's launcher gives each rank PMI_RANK), or None."""
    with contextlib.suppress(OSError, ValueError):
        for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
            if item.startswith(b"PMI_RANK="):
                return int(item[9:])
    return None


class CpuMeter:
    """CPU time per event of the server's rank 0, its workers, the observer processes and this process."""

    def __init__(self, server: Any, observers: Any) -> None:
        self.ranks = {pid: rank for pid in descendants(server.process.pid) if (rank := mpi_rank(pid)) is not None}
        self.groups = {
            "rank0": [p for p, r in self.ranks.items() if r == 0],
            "workers": [p for p, r in self.ranks.items() if r != 0],
            "observer_processes": [p.process.pid for p in observers.procs],
            "master_process": [os.getpid()],
        }
        self.before: dict[int, float] = {}

    def start(self) -> None:
        self.before = cpu_seconds([p for pids in self.groups.values() for p in pids])

    def per_event_ms(self, events: int) -> dict[str, float]:
        """Milliseconds of CPU per event of each group since start() (one core = 1 ms per ms)."""
        after = cpu_seconds([p for pids in self.groups.values() for p in pids])
        return {
            group: 1e3 * sum(after.get(p, 0.0) - self.before.get(p, 0.0) for p in pids) / max(1, events)
            for group, pids in self.groups.items()
            if pids
        }


def cpu_rows(cpu: dict[str, float]) -> list[list[str]]:
    labels = {
        "rank0": "server rank 0 (gRPC, engine, fan-out)",
        "workers": "server ranks 1-3 together",
        "observer_processes": "observer processes together",
        "master_process": "master process (benchmark included)",
    }
    return [[labels[k], f"{v:.2f}"] for k, v in cpu.items()]
