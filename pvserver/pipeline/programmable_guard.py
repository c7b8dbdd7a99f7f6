"""The bounds on a user's Python script (ProgrammableFilter, ProgrammableSource, PythonCalculator): time, cancel,
memory.

A script runs on the rank's own thread (rank 0's engine thread, a worker's main thread), under a trace function
that line-traces the script's own code only (frames compiled under a :data:`SCRIPT_PREFIX` file name: the script
and the functions it defines; numpy, VTK and library code run untraced, at full speed). Every few thousand lines,
at most every :data:`POLL_SECONDS`, the guard looks:

- at the server: it reports progress on the algorithm, which is where the executor passes a cancel or the
  request's deadline on (rank 0: the engine, which also answers chat meanwhile; a worker: rank 0's cancel
  message) by setting the algorithm's abort flag;
- at the clock: a script may run at most :data:`LIMITS` ``.seconds`` (the server's --request-timeout) on its own,
  which also bounds the RequestInformation and RequestUpdateExtent scripts, which run outside any progress report;
- at memory: the rank's resident memory may grow by at most ``LIMITS.memory_bytes`` (the server's
  --max-memory-per-rank) while the script runs (read from ``/proc/self/statm``; where that does not exist, memory
  is not watched).

Past a bound the guard raises :class:`ScriptInterrupted` in the script. Python then turns the trace off: a script
that catches it (a bare ``except:`` or ``except BaseException`` inside its loop) runs on unguarded. What the guard
cannot stop: a single long call into C (``time.sleep``, one huge numpy operation, an MPI call that other ranks
never join), or a loop inside a library function the script calls; they are stopped when they return into the
script's code. A single allocation larger than the machine can give is refused by
numpy (``MemoryError``, reported as the script's error) or, with overcommitted memory, may end the rank.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from pvserver.pipeline.rank_limits import LIMITS, RankLimits

#: File names of compiled user code start with this: the guard line-traces those frames only.
SCRIPT_PREFIX = "<pvscript:"
#: Seconds between two looks at the server, the clock and memory while a script runs.
POLL_SECONDS = 0.02
#: Traced lines between two looks at the clock (a look costs a clock read).
LINES_PER_LOOK = 2000


class ScriptInterrupted(BaseException):
    """A script stopped by its guard. A BaseException, so that a script's ``except Exception`` does not swallow it."""


def resident_bytes() -> int | None:
    """This process's resident memory, or None where /proc/self/statm does not exist."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class ScriptGuard:
    """Watches one script run on the calling thread; use :meth:`running` around the call of the script.

    ``algorithm`` is the VTK algorithm the script belongs to: its progress reports reach the executor, whose
    answer (a cancel, a deadline passed) comes back as its abort flag.
    """

    def __init__(self, algorithm: Any, what: str, limits: RankLimits = LIMITS) -> None:
        self.algorithm = algorithm
        self.what = what
        self.seconds = limits.seconds
        self.memory_bytes = limits.memory_bytes
        self.reason = ""  # why the script was stopped ("" while it was not)
        self._deadline = 0.0
        self._baseline: int | None = None
        self._next_look = 0.0
        self._countdown = LINES_PER_LOOK

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Trace the script's code while the block runs (the trace function before it is restored after)."""
        now = time.monotonic()
        self._deadline = now + self.seconds if self.seconds > 0 else 0.0
        self._next_look = now + POLL_SECONDS
        self._baseline = resident_bytes() if self.memory_bytes else None
        previous = sys.gettrace()
        sys.settrace(self._on_call)
        try:
            yield
        finally:
            sys.settrace(previous)

    # ----------------------------------------------------------------------------------- trace functions

    def _on_call(self, frame: Any, _event: str, _arg: Any) -> Any:
        """Called at each new frame: line-trace the script's own frames only."""
        if frame.f_code.co_filename.startswith(SCRIPT_PREFIX):
            self._look()  # a call is a moment too: recursion and short functions in a loop are seen
            return self._on_line
        return None

    def _on_line(self, _frame: Any, _event: str, _arg: Any) -> Any:
        self._countdown -= 1
        if self._countdown <= 0:
            self._countdown = LINES_PER_LOOK
            self._look()
        return self._on_line

    def _look(self) -> None:
        """Raise ScriptInterrupted in the script once a bound is passed."""
        now = time.monotonic()
        if now < self._next_look:
            return
        self._next_look = now + POLL_SECONDS
        if self.passed_bound():
            raise ScriptInterrupted(self.reason)

    def passed_bound(self) -> bool:
        """Look at the server, the clock and memory now; True (and :attr:`reason` says why) once a bound is passed."""
        if self.reason:
            return True
        self.algorithm.UpdateProgress(self.algorithm.GetProgress())  # the executor answers through the abort flag
        if self.algorithm.GetAbortExecute():
            self.reason = f"{self.what} was stopped: the request was cancelled or ran past its time limit."
        elif self._deadline and time.monotonic() > self._deadline:
            self.reason = (
                f"{self.what} was stopped: it ran past the server's time limit of {self.seconds:g} s "
                f"(pvserver --request-timeout)."
            )
        elif self._baseline is not None:
            grown = (resident_bytes() or 0) - self._baseline
            if grown > self.memory_bytes:
                self.reason = (
                    f"{self.what} was stopped: it took {grown / 2**20:.0f} MiB more memory on this rank, past the "
                    f"server's {self.memory_bytes / 2**20:.0f} MiB per rank (pvserver --max-memory-per-rank)."
                )
        return bool(self.reason)
