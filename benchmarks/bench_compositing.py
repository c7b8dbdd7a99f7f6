"""Benchmark sort-last z-buffer compositing against gathering every image to root.

Run under MPI, e.g.::

    mpiexec -n 8 python benchmarks/bench_compositing.py --width 1920 --height 1080 --repeat 20

Every rank draws a shaded sphere (a disc of geometry covering part of the frame, at a random depth;
the rest is background), then both methods composite the same images; a third row composites empty
frames. Each repetition starts after a Barrier; the time is root's, from leaving the barrier to
holding the full composite. Root prints the median and 90th percentile in milliseconds and the ratio
naive / ours. The ranks leave an MPI Barrier at different times on an oversubscribed node, so the
"after last" column also gives root's time counted from the moment the last rank entered the call
(one node: the monotonic clock is shared by the ranks).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

import numpy as np
from common import ROOT
from mpi4py import MPI

sys.path.insert(0, str(ROOT))

from pvserver.rendering.compositing import (
    BACKGROUND_DEPTH,
    composite_depth,
    naive_gather_composite,
)


def sphere_image(rank: int, width: int, height: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A rank's rendering: one lit sphere of random size, place and depth on a background.

    Parameters
    ----------
    rank : int
        Seeds the sphere together with `seed`.
    width, height : int
        Image size in pixels.
    seed : int
        Base seed shared by all ranks.

    Returns
    -------
    tuple of numpy.ndarray
        RGBA uint8 (height, width, 4) and depth float32 (height, width), background at depth 1.
    """
    rng = np.random.default_rng([seed, rank])
    radius = rng.uniform(0.15, 0.35) * height
    cy, cx = rng.uniform(0.1, 0.9) * height, rng.uniform(0.1, 0.9) * width
    z0 = rng.uniform(0.3, 0.9)
    y, x = np.ogrid[:height, :width]
    d2 = ((y - cy) ** 2 + (x - cx) ** 2) / radius**2
    inside = d2 < 1.0
    bulge = np.sqrt(np.clip(1.0 - d2, 0.0, 1.0))  # the sphere's height over its silhouette
    depth = np.where(inside, z0 - 0.1 * bulge, BACKGROUND_DEPTH).astype(np.float32)
    color = rng.uniform(0.3, 1.0, 3)
    shade = 0.2 + 0.8 * bulge
    rgba = np.zeros((height, width, 4), np.uint8)
    rgba[..., :3] = np.where(inside[..., None], 255 * color * shade[..., None], 0).astype(np.uint8)
    rgba[..., 3] = np.where(inside, 255, 0).astype(np.uint8)
    return rgba, depth


def time_method(
    comm: MPI.Comm, method: Callable[..., object], rgba: np.ndarray, depth: np.ndarray, repeat: int
) -> tuple[np.ndarray, np.ndarray]:
    """Root's milliseconds for `repeat` calls of ``method(comm, rgba, depth)``.

    Returns
    -------
    tuple of numpy.ndarray
        From leaving the Barrier, and from the last rank's entry into the call (meaningful on root).
    """
    method(comm, rgba, depth)  # warm-up: buffers, first-touch page faults, MPI connections
    since_barrier = np.empty(repeat)
    since_last = np.empty(repeat)
    for i in range(repeat):
        comm.Barrier()
        start = time.perf_counter()
        method(comm, rgba, depth)
        end = time.perf_counter()
        last_start = comm.allreduce(start, op=MPI.MAX)
        since_barrier[i] = (end - start) * 1e3
        since_last[i] = (end - last_start) * 1e3
    return since_barrier, since_last


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit status (1 when the two methods disagree)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)

    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    rgba, depth = sphere_image(rank, args.width, args.height, args.seed)
    coverage = comm.reduce(float(np.mean(depth < BACKGROUND_DEPTH)), op=MPI.SUM, root=0)

    # both methods must agree before their times mean anything
    ours = composite_depth(comm, rgba, depth)
    naive = naive_gather_composite(comm, rgba, depth)
    agree = True
    if rank == 0:
        agree = bool(np.array_equal(ours[0], naive[0]) and np.array_equal(ours[1], naive[1]))
    agree = comm.bcast(agree, root=0)

    empty_rgba = np.zeros_like(rgba)
    empty_depth = np.full_like(depth, BACKGROUND_DEPTH)
    cases = [
        ("radix-k (ours)", composite_depth, rgba, depth),
        ("naive gather", naive_gather_composite, rgba, depth),
        ("ours, empty", composite_depth, empty_rgba, empty_depth),
    ]
    rows = []
    for name, method, image, zbuffer in cases:
        since_barrier, since_last = time_method(comm, method, image, zbuffer, args.repeat)
        rows.append((name, since_barrier, since_last))

    if rank == 0:
        print(
            f"z-buffer compositing {args.width}x{args.height} on {size} ranks ({os.cpu_count()} cores), "
            f"{args.repeat} repetitions, mean coverage per rank {coverage / size:.0%}"
        )
        print(f"{'method':<16}{'median ms':>11}{'p90 ms':>9}{'after last':>12}")
        for name, since_barrier, since_last in rows:
            median, p90 = np.median(since_barrier), np.percentile(since_barrier, 90)
            print(f"{name:<16}{median:>11.1f}{p90:>9.1f}{np.median(since_last):>12.1f}")
        ratio = np.median(rows[1][1]) / np.median(rows[0][1])
        print(f"speed-up naive / ours (median): {ratio:.1f}x")
        print("results identical" if agree else "RESULTS DIFFER")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
