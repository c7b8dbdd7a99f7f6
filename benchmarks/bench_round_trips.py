#!/usr/bin/env python
"""Round trips per ``simple`` call: how many requests each call sends, on a real 2-rank server and on the
built-in session.

Every request of a connection goes through ``Connection.request`` and from there through
``connection.transport.request_stamped``; the benchmark wraps the latter and counts. Measured, on a fresh
connection with a ``Sphere``: the first ``Show`` (which creates the view), a second ``Show`` (another source),
``ColorBy`` (creates the colour map), the first ``Render`` (which resets the camera), a later ``Render``,
``ResetCamera``, a property change (``sphere.Radius = 2``), and a set to the current value (200 of them: the
requests they send and the median time of one).

The "before" column is the baseline measured on commit 2f326be (before issue 13's "fewer round trips"), with
this same script run on that tree (``git worktree add /tmp/before 2f326be``, then
``cd /tmp/before && python /work/main/benchmarks/bench_round_trips.py``: the script measures the checkout it is
run from, see ``--tree``). Request counts do not depend on the machine; times do, so compare the times of one run.

Usage::

    python benchmarks/bench_round_trips.py [--json figures.json] [--tree PATH] [--only builtin,remote]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from common import chosen_sections, exit_on_sigterm, finish, fmt_ms, machine_meta, table

SECTIONS = ("builtin", "remote")
RANKS = 2
NO_OP_SETS = 200

#: Requests per call and the median no-op set time measured at commit 2f326be (before this change), with this
#: script, on the build machine (times are the median of three runs; counts are exact).
BASELINE_2F326BE: dict[str, dict[str, Any]] = {
    "builtin": {
        "first Show (creates the view)": 5,
        "second Show": 4,
        "ColorBy (creates the colour map)": 7,
        "first Render": 2,
        "later Render": 1,
        "ResetCamera": 1,
        "property change (Radius = 2)": 1,
        "no-op set (per set)": 1.0,
        "no-op set median ms": 0.10,
    },
    "remote": {
        "first Show (creates the view)": 5,
        "second Show": 4,
        "ColorBy (creates the colour map)": 7,
        "first Render": 2,
        "later Render": 1,
        "ResetCamera": 1,
        "property change (Radius = 2)": 1,
        "no-op set (per set)": 1.0,
        "no-op set median ms": 0.90,
    },
}


class Counter:
    """Counts the requests a connection sends, by wrapping its transport's ``request_stamped``."""

    def __init__(self, connection: Any) -> None:
        self.count = 0
        self.kinds: list[str] = []
        inner = connection.transport.request_stamped

        def counted(request: Any) -> Any:
            self.count += 1
            self.kinds.append(type(request).__name__)
            return inner(request)

        connection.transport.request_stamped = counted

    @contextlib.contextmanager
    def measure(self, into: dict[str, Any], label: str) -> Any:
        start, kinds = self.count, len(self.kinds)
        yield
        into[label] = self.count - start
        into.setdefault("_kinds", {})[label] = self.kinds[kinds:]


def measure(simple: Any, url: str | None) -> dict[str, Any]:
    """The request counts of each call on a fresh connection (built-in when url is None)."""
    conn = simple.Connect(url) if url else simple.Connect()
    try:
        counter = Counter(conn)
        figures: dict[str, Any] = {}
        sphere = simple.Sphere()
        cone = simple.Cone()
        with counter.measure(figures, "first Show (creates the view)"):
            rep = simple.Show(sphere)
        with counter.measure(figures, "second Show"):
            simple.Show(cone)
        with counter.measure(figures, "ColorBy (creates the colour map)"):
            simple.ColorBy(rep, ("POINTS", "Normals"))
        with counter.measure(figures, "first Render"):
            simple.Render()
        with counter.measure(figures, "later Render"):
            simple.Render()
        with counter.measure(figures, "ResetCamera"):
            simple.ResetCamera()
        with counter.measure(figures, "property change (Radius = 2)"):
            sphere.Radius = 2
        times = []
        start = counter.count
        for _ in range(NO_OP_SETS):
            t0 = time.perf_counter()
            sphere.Radius = 2
            times.append(time.perf_counter() - t0)
        figures["no-op set (per set)"] = (counter.count - start) / NO_OP_SETS
        figures["no-op set median ms"] = 1e3 * statistics.median(times)
        return figures
    finally:
        simple.Disconnect(conn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--tree", type=Path, default=Path.cwd() if (Path.cwd() / "simple").is_dir() else None)
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections: {','.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true", help="accepted for report.py; the run is short anyway")
    args = parser.parse_args()
    sections = chosen_sections(parser, args.only, SECTIONS)
    tree = (args.tree or Path(__file__).resolve().parent.parent).resolve()
    sys.path.insert(0, str(tree))
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    exit_on_sigterm()
    started = time.perf_counter()
    import simple

    print(f"measuring the tree {tree} ({Path(simple.__file__).parent})")
    figures: dict[str, Any] = {"meta": {**machine_meta(), "tree": str(tree)}}
    sys.path.insert(0, str(tree / "tests"))
    from servers import ServerProcess  # the measured tree's: its server runs that tree's code

    for section in sections:
        if section == "builtin":
            figures["builtin"] = measure(simple, None)
            continue
        server = ServerProcess(RANKS)
        try:
            figures["remote"] = measure(simple, server.url)
        finally:
            server.stop()
    for section in sections:
        now, before = figures[section], BASELINE_2F326BE[section]
        rows = []
        for label, value in now.items():
            if label.startswith("_"):
                continue
            shown = fmt_ms(value) if label.endswith("ms") else f"{value:g}"
            old = before.get(label)
            old_shown = "-" if old is None else fmt_ms(old) if label.endswith("ms") else f"{old:g}"
            rows.append([label, old_shown, shown, " ".join(now["_kinds"].get(label, []))])
        where = "built-in session" if section == "builtin" else f"{RANKS}-rank pvserver"
        table(
            f"Requests per call, {where} (before: commit 2f326be)",
            ["call", "before", "now", "requests sent now"],
            rows,
        )
    finish(figures, started, args.json)


if __name__ == "__main__":
    main()
