"""Visibility order of the ranks' partitions, for compositing translucent images front to back.

The partitions of a parallel pipeline are spatially disjoint boxes (extent splits of structured data, spatial
splits of read data), up to the one-cell overlap of ghost cells. For two such boxes, the axis along which they
are separated by the widest gap holds a plane between them, and the box on the eye's side of that plane is in
front of the other for every ray. Sorting by the distance of box centres instead gets kd-tree partitions of
different sizes wrong.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

Box = Sequence[float]  # xmin, xmax, ymin, ymax, zmin, zmax


def _in_front(a: Box, b: Box, eye: Sequence[float]) -> int:
    """-1 when ``a`` is in front of ``b`` seen from ``eye``, 1 when behind, 0 when they cannot be told apart."""
    best_gap, best = -float("inf"), 0
    for axis in range(3):
        a_low, a_high, b_low, b_high = a[2 * axis], a[2 * axis + 1], b[2 * axis], b[2 * axis + 1]
        for gap, plane, a_below in (
            (b_low - a_high, (a_high + b_low) / 2, True),
            (a_low - b_high, (b_high + a_low) / 2, False),
        ):
            if gap > best_gap:
                eye_below = eye[axis] < plane
                best_gap, best = gap, -1 if eye_below == a_below else 1
    return best


def visibility_order(boxes: Sequence[Box | None], eye: Sequence[float]) -> list[int]:
    """Indices of ``boxes`` from nearest to farthest from ``eye``; ranks with no data (None) go last."""
    present = [i for i, box in enumerate(boxes) if box is not None]
    empty = [i for i, box in enumerate(boxes) if box is None]

    def compare(i: int, j: int) -> int:
        return _in_front(boxes[i], boxes[j], eye) or (i > j) - (i < j)

    return sorted(present, key=functools.cmp_to_key(compare)) + empty
