#!/usr/bin/env python
"""How a session's cost grows with its size: the time of each block of proxy creations as the session fills.

Creates ``--blocks`` blocks of ``--block`` Spheres on the built-in session (each creation a real request through
the engine: planning, automatic naming, the pipeline object, the mirror) and prints each block's time; then the
time of one property change at the final size. A cost that does not grow with the session's size gives flat
blocks; the ratio of the last block to the first is the figure to watch (it was 12.8 before automatic names were
kept in O(1)). Measured in one run, on a shared machine: compare the ratio, not the absolute times.

Usage::

    python benchmarks/bench_session_scale.py [--block 1000] [--blocks 8] [--quick] [--json figures.json]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import table, write_figures  # noqa: E402 - this folder's helpers

from pvclient.connection import Connection  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--block", type=int, default=1000, help="creations per block")
    parser.add_argument("--blocks", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="4 blocks of 500")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args()
    block, blocks = (500, 4) if options.quick else (options.block, options.blocks)

    conn = Connection.builtin()
    try:
        times = []
        for _ in range(blocks):
            started = time.perf_counter()
            for _ in range(block):
                conn.create("sources", "Sphere")
            times.append(time.perf_counter() - started)
        sphere = conn.proxies(("sources",))[-1]
        changes = []
        for radius in range(1, 22):
            started = time.perf_counter()
            conn.update(sphere, {"Radius": float(radius)})
            changes.append(time.perf_counter() - started)
    finally:
        conn.close()

    rows = [[f"{i * block:,}-{(i + 1) * block:,}", f"{t:.2f}", f"{t / block * 1000:.2f}"] for i, t in enumerate(times)]
    table(f"{block:,} Sphere creations per block on the built-in session", ["proxies", "s", "ms each"], rows)
    ratio = times[-1] / times[0]
    change_ms = statistics.median(changes) * 1000
    print(f"\nlast block / first block: {ratio:.2f}")
    print(f"a property change at {block * blocks:,} proxies: {change_ms:.2f} ms (median of {len(changes)})")
    write_figures(
        {"block": block, "blocks_s": times, "last_over_first": ratio, "change_at_full_ms": change_ms},
        options.json,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
