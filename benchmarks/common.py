"""What the benchmarks of this folder share: servers stopped whatever happens, summaries and tables, /proc readings,
and the set-up and ending of a benchmark's ``main()``.

The benchmarks run as scripts (``python benchmarks/bench_x.py``), so this folder is first on ``sys.path`` and they
import this module as ``common``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


# ----------------------------------------------------------------------------------------------- set-up and ending


def use_checkout() -> None:
    """Import this checkout's packages (pvclient, pvserver, simple) and render offscreen with EGL unless told not."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, which unwinds through the with-blocks that stop the servers and processes."""

    def on_signal(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)


def chosen_sections(parser: argparse.ArgumentParser, only: str, sections: tuple[str, ...]) -> list[str]:
    """The sections an ``--only a,b`` option names; an unknown one ends the program, naming those that exist."""
    chosen = [s.strip() for s in only.split(",") if s.strip()]
    unknown = set(chosen) - set(sections)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {sections}")
    return chosen


def machine_meta() -> dict[str, Any]:
    """Python version, machine, cores, load average and start time, for the "meta" figures of a run."""
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


def write_figures(figures: Any, path: Path | None) -> None:
    """Write the figures as JSON to ``path`` (the --json option), if given."""
    if path:
        path.write_text(json.dumps(figures, indent=2, default=str) + "\n")
        print(f"figures written to {path}")


def finish(figures: dict[str, Any], started: float, path: Path | None) -> None:
    """Record and print the run's elapsed time since ``started`` (perf_counter), then write the figures."""
    figures["meta"]["elapsed_s"] = time.perf_counter() - started
    print(f"\nfinished in {figures['meta']['elapsed_s']:.0f} s", flush=True)
    write_figures(figures, path)


# ----------------------------------------------------------------------------------------------- servers


class Servers:
    """Starts servers and guarantees that every one is stopped, whatever happens (Ctrl-C and SIGTERM included)."""

    def __init__(self, announce: bool = True) -> None:
        sys.path.insert(0, str(ROOT / "tests"))
        from servers import ServerProcess

        self._cls = ServerProcess
        self._announce = announce  # print how long each start took
        self.live: list[Any] = []

    @contextlib.contextmanager
    def start(self, ranks: int, *args: str) -> Iterator[Any]:
        """A running ``mpiexec -n ranks pvserver *args`` (tests/servers.py), stopped when the block ends."""
        t0 = time.perf_counter()
        server = self._cls.__new__(self._cls)
        self.live.append(server)  # before __init__ starts mpiexec: an interrupted start is cleaned up too
        try:
            server.__init__(ranks, *args)
        except BaseException:
            self.live.remove(server)
            with contextlib.suppress(Exception):
                server.stop()
            raise
        if self._announce:
            print(f"  [started a {ranks}-rank server in {time.perf_counter() - t0:.1f} s]", flush=True)
        try:
            yield server
        finally:
            self.live.remove(server)
            server.stop()

    def stop_all(self) -> None:
        """Stop every server still running (for a ``finally``)."""
        for server in list(self.live):
            with contextlib.suppress(Exception):
                server.stop()
        self.live.clear()


@contextlib.contextmanager
def connected(url: str | None) -> Iterator[Any]:
    """A ``simple`` connection (built-in when url is None) that is closed afterwards."""
    import simple

    conn = simple.Connect(url) if url else simple.Connect()
    try:
        yield conn
    finally:
        with contextlib.suppress(Exception):
            simple.Disconnect(conn)


# ----------------------------------------------------------------------------------------------- figures


def summary(samples: list[float]) -> dict[str, float]:
    """Median, p90, min and count of samples given in seconds, in milliseconds."""
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median_ms": 1e3 * statistics.median(ordered),
        "p90_ms": 1e3 * p90,
        "min_ms": 1e3 * ordered[0],
    }


def fmt_ms(value: float | None) -> str:
    """Milliseconds with 2 decimals below 10, 1 above; "-" for None."""
    return "-" if value is None else (f"{value:.1f}" if value >= 10 else f"{value:.2f}")


def table(title: str, header: list[str], rows: list[list[Any]], left: int = 1) -> None:
    """Print a plain-text table: the first ``left`` columns left-aligned, the others right-aligned, a rule under
    the header."""
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n{title}")
    for n, row in enumerate(cells):
        print(
            "  "
            + "  ".join(
                c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


# ----------------------------------------------------------------------------------------------- /proc


def process_children() -> dict[int, list[int]]:
    """Parent pid -> the pids of its children, for every process in /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(pid: int) -> list[int]:
    """A process and all its descendants (mpiexec, its proxy, the ranks), from /proc."""
    children = process_children()
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """utime + stime of each process (all its threads), from /proc; processes gone are left out."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out
