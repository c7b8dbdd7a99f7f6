"""Pieces of images for compositing: rectangles of pixels, the reusable buffers, and the traffic statistics.

A rectangle is half-open ``(row0, row1, col0, col1)``; it is empty when it holds no pixel. The working image and
the send/receive buffers of a frame come from a per-thread pool (:func:`buffer`), so that a frame does not
allocate (and page-fault in) tens of megabytes per rank.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Depth of a background pixel (the far plane). Pixels at or beyond it are empty.
BACKGROUND_DEPTH = 1.0
#: The bits of BACKGROUND_DEPTH as a float32 read as an int32 (non-negative floats order as their bits).
BACKGROUND_BITS = int(np.array(BACKGROUND_DEPTH, np.float32).view(np.int32))

# A rectangle of pixels as half-open (row0, row1, col0, col1); empty when it has no pixel.
Rect = tuple[int, int, int, int]
EMPTY: Rect = (0, 0, 0, 0)

# --------------------------------------------------------------------------------------------------
# statistics


@dataclass
class CompositeStats:
    """What the last compositing call on this rank sent and received.

    Attributes
    ----------
    pixel_bytes_sent : int
        Pixel bytes this rank sent to partners and to root (headers excluded).
    pixel_bytes_received : int
        Pixel bytes this rank received from partners (the final gather on root excluded).
    messages : int
        Point-to-point messages this rank sent, headers included.
    """

    pixel_bytes_sent: int = 0
    pixel_bytes_received: int = 0
    messages: int = 0


_local = threading.local()  # per thread: the last stats, the buffers


def last_stats() -> CompositeStats:
    """Return the traffic of the last :func:`composite_depth` / :func:`composite_over` on this rank.

    Returns
    -------
    CompositeStats
        A copy; all zero before the first call in this thread.
    """
    stats = getattr(_local, "stats", None)
    return CompositeStats() if stats is None else CompositeStats(**vars(stats))


def record_stats(stats: CompositeStats) -> None:
    """Keep ``stats`` as this thread's last compositing traffic (see :func:`last_stats`)."""
    _local.stats = stats


# --------------------------------------------------------------------------------------------------
# buffer pool


def buffer(name: str, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """A reusable buffer of `shape`; contents are undefined. One per name and dtype per thread."""
    cache: dict[tuple[str, str], np.ndarray] = _local.__dict__.setdefault("buffers", {})
    key = (name, np.dtype(dtype).str)
    size = int(np.prod(shape))
    buf = cache.get(key)
    if buf is None or buf.size < size:
        buf = np.empty(size, dtype)
        cache[key] = buf
    return buf[:size].reshape(shape)


def release_buffers() -> None:
    """Free the compositing buffers kept for reuse by this thread (they are reallocated on demand)."""
    _local.__dict__.pop("buffers", None)


# --------------------------------------------------------------------------------------------------
# rectangles


def is_empty(r: Rect) -> bool:
    return r[0] >= r[1] or r[2] >= r[3]


def intersect(a: Rect, b: Rect) -> Rect:
    r = (max(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), min(a[3], b[3]))
    return EMPTY if is_empty(r) else r


def union(a: Rect, b: Rect) -> Rect:
    """The smallest rectangle holding both (a conservative box for the pixels of both)."""
    if is_empty(a):
        return b
    if is_empty(b):
        return a
    return (min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]))


def area(r: Rect) -> int:
    return 0 if is_empty(r) else (r[1] - r[0]) * (r[3] - r[2])


def ring(outer: Rect, inner: Rect) -> list[Rect]:
    """Up to four rectangles covering `outer` minus `inner` (which lies inside `outer`)."""
    o0, o1, oc0, oc1 = outer
    i0, i1, ic0, ic1 = inner
    parts = [(o0, i0, oc0, oc1), (i1, o1, oc0, oc1), (i0, i1, oc0, ic0), (i0, i1, ic1, oc1)]
    return [p for p in parts if not is_empty(p)]


def sub(plane: np.ndarray, r: Rect) -> np.ndarray:
    return plane[r[0] : r[1], r[2] : r[3]]


def tight_box(key: np.ndarray, r: Rect, covered: Callable[[np.ndarray, int], np.ndarray]) -> Rect:
    """Bounding box of the covered pixels of ``key`` inside `r`.

    ``covered(block, axis)`` reduces a block along an axis and says which rows/columns hold a
    covered pixel; reductions along whole rows are a single vectorised pass over the memory.
    """
    if is_empty(r):
        return EMPTY
    rows = np.flatnonzero(covered(sub(key, r), 1))
    if rows.size == 0:
        return EMPTY
    r0, r1 = r[0] + int(rows[0]), r[0] + int(rows[-1]) + 1
    cols = np.flatnonzero(covered(key[r0:r1, r[2] : r[3]], 0))
    return (r0, r1, r[2] + int(cols[0]), r[2] + int(cols[-1]) + 1)
