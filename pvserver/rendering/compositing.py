"""Sort-last parallel image compositing over MPI buffers.

Every rank of the data server renders its own data partition into a full-size image; the functions
here merge those images into one on a root rank:

* :func:`composite_depth` - opaque geometry, z-buffer test per pixel (nearest fragment wins);
* :func:`composite_over` - translucent geometry, premultiplied "over" blending in a visibility order.

Algorithm
---------
Ranks are laid out in compositing order (rank order for the z-buffer, the caller's front-to-back
``order`` for "over") and composite with *radix-k* (Peterka et al. 2009): the rank count is factored
into rounds of at most :data:`MAX_RADIX` ranks (8 ranks composite in one round of direct send, 12 in
rounds of 6 and 2, a prime count in one round). In a round, each group of ``k`` ranks splits its
current block of rows into ``k`` parts; every member sends part ``j`` to member ``j`` and blends the
``k - 1`` parts it receives into its own. Groups are always runs of consecutive positions and the
parts are blended nearest first, so "over" stays exact (it is associative) and z-buffer ties resolve
to the lower rank. Any rank count works, powers of two or not. Finally every rank sends its rows to
root, which receives them straight into the output image.

Only the bounding box of the non-background pixels is ever sent: every message starts with a
four-integer header giving the box of the pixels that follow (or an empty marker), so compositing
empty images costs a few small messages. Pixels travel as numpy buffers (upper-case mpi4py calls),
never as pickled objects, and all waits sleep with a short back-off (:func:`wait_lazily`) so that, on
an oversubscribed node, ranks that are waiting give the CPU to ranks still rendering or blending.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from mpi4py import MPI

__all__ = [
    "BACKGROUND_DEPTH",
    "MAX_RADIX",
    "CompositeStats",
    "composite_depth",
    "composite_over",
    "last_stats",
    "naive_gather_composite",
    "release_buffers",
    "wait_lazily",
]

#: Depth of a background pixel (the far plane). Pixels at or beyond it are empty.
BACKGROUND_DEPTH = 1.0

_BACKGROUND_BITS = int(np.array(BACKGROUND_DEPTH, np.float32).view(np.int32))

#: Largest group of ranks in one radix-k round (direct send among up to this many ranks).
MAX_RADIX = 8

# Tags of the point-to-point messages; distinctive so that they do not match the application's.
_TAG_PIECE = 0x5C0
_TAG_GATHER_HEADER = 0x5C8
_TAG_GATHER = 0x5C9  # + plane index

_T = TypeVar("_T")

# A rectangle of pixels as half-open (row0, row1, col0, col1); empty when it has no pixel.
Rect = tuple[int, int, int, int]
_EMPTY: Rect = (0, 0, 0, 0)
_HEADER_BYTES = 16  # four int32: the box of the pixels in a message


# --------------------------------------------------------------------------------------------------
# waiting


def wait_lazily(
    requests: MPI.Request | Sequence[MPI.Request], max_sleep: float = 1e-3, min_sleep: float = 20e-6
) -> None:
    """Wait for MPI requests to complete without busy-polling the CPU.

    MPI implementations spin while blocked in ``Wait``; when more ranks than cores share a node the
    spinning ranks steal the CPU from the ranks they are waiting for. This tests the requests and
    sleeps between tests, doubling the sleep from `min_sleep` up to `max_sleep`. Each time it wakes
    it tests repeatedly for `min_sleep` seconds, because one test moves the MPI progress engine by
    about one incoming message (MPICH), so a burst of messages would otherwise cost a sleep each.

    Parameters
    ----------
    requests : MPI.Request or sequence of MPI.Request
        One request or several (all must complete); any kind (point-to-point, ``Ibarrier``,
        ``Igatherv`` ...). Completed requests are set to ``MPI.REQUEST_NULL`` as by ``Wait``.
    max_sleep : float, optional
        Longest sleep between two bursts of tests, in seconds (the latency added at worst).
    min_sleep : float, optional
        First sleep, and the length of each burst of tests, in seconds.

    Notes
    -----
    Large messages must not need the receiver's attention chunk by chunk: with MPICH's default
    single-copy intra-node transfers (CMA) a message completes in one test, but with a copy-in /
    copy-out shared-memory transport (``MPIR_CVAR_CH4_CMA_ENABLE=0``) every chunk waits for a wake-up;
    pass a smaller `max_sleep` there.
    """
    if isinstance(requests, MPI.Request):
        _poll_lazily(requests.Test, max_sleep, min_sleep)
        return
    pending = list(requests)
    if pending:
        _poll_lazily(lambda: MPI.Request.Testall(pending), max_sleep, min_sleep)


def _wait_first_lazily(requests: list[MPI.Request], max_sleep: float = 1e-3, min_sleep: float = 20e-6) -> int:
    """Index of a request of `requests` that completed, waiting as :func:`wait_lazily` does."""

    def test() -> int | None:
        index, done = MPI.Request.Testany(requests)
        return index if done else None

    return _poll_lazily(test, max_sleep, min_sleep)


def _poll_lazily(test: Callable[[], _T], max_sleep: float, min_sleep: float) -> _T:
    """Call `test` until it returns something other than None or False, sleeping with back-off."""
    clock = time.perf_counter
    sleep = min_sleep
    while True:
        burst_end = clock() + min_sleep
        while True:
            result = test()
            if result is not None and result is not False:
                return result
            if clock() > burst_end:
                break
        time.sleep(sleep)
        sleep = min(sleep * 2.0, max_sleep)


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


_local = threading.local()


def last_stats() -> CompositeStats:
    """Return the traffic of the last :func:`composite_depth` / :func:`composite_over` on this rank.

    Returns
    -------
    CompositeStats
        A copy; all zero before the first call in this thread.
    """
    stats = getattr(_local, "stats", None)
    return CompositeStats() if stats is None else CompositeStats(**vars(stats))


# --------------------------------------------------------------------------------------------------
# buffer pool: the working image and the send/receive buffers are reused from call to call, so that a
# frame does not allocate (and page-fault in) tens of megabytes per rank


def _buffer(name: str, shape: tuple[int, ...], dtype: type) -> np.ndarray:
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


def _is_empty(r: Rect) -> bool:
    return r[0] >= r[1] or r[2] >= r[3]


def _intersect(a: Rect, b: Rect) -> Rect:
    r = (max(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), min(a[3], b[3]))
    return _EMPTY if _is_empty(r) else r


def _union(a: Rect, b: Rect) -> Rect:
    """The smallest rectangle holding both (a conservative box for the pixels of both)."""
    if _is_empty(a):
        return b
    if _is_empty(b):
        return a
    return (min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]))


def _area(r: Rect) -> int:
    return 0 if _is_empty(r) else (r[1] - r[0]) * (r[3] - r[2])


def _ring(outer: Rect, inner: Rect) -> list[Rect]:
    """Up to four rectangles covering `outer` minus `inner` (which lies inside `outer`)."""
    o0, o1, oc0, oc1 = outer
    i0, i1, ic0, ic1 = inner
    parts = [(o0, i0, oc0, oc1), (i1, o1, oc0, oc1), (i0, i1, oc0, ic0), (i0, i1, ic1, oc1)]
    return [p for p in parts if not _is_empty(p)]


def _sub(plane: np.ndarray, r: Rect) -> np.ndarray:
    return plane[r[0] : r[1], r[2] : r[3]]


def _tight_box(key: np.ndarray, r: Rect, covered: Callable[[np.ndarray, int], np.ndarray]) -> Rect:
    """Bounding box of the covered pixels of ``key`` inside `r`.

    ``covered(block, axis)`` reduces a block along an axis and says which rows/columns hold a
    covered pixel; reductions along whole rows are a single vectorised pass over the memory.
    """
    if _is_empty(r):
        return _EMPTY
    rows = np.flatnonzero(covered(_sub(key, r), 1))
    if rows.size == 0:
        return _EMPTY
    r0, r1 = r[0] + int(rows[0]), r[0] + int(rows[-1]) + 1
    cols = np.flatnonzero(covered(key[r0:r1, r[2] : r[3]], 0))
    return (r0, r1, r[2] + int(cols[0]), r[2] + int(cols[-1]) + 1)


# --------------------------------------------------------------------------------------------------
# blending modes: how pixels are stored (planes), which are empty and how two fragments combine


class _DepthMode:
    """Z-buffer: planes are RGBA packed in uint32 and float32 depth; nearest fragment wins."""

    background = (0, BACKGROUND_DEPTH)

    @staticmethod
    def covered(block: np.ndarray, axis: int) -> np.ndarray:
        return block.min(axis=axis) < _BACKGROUND_BITS

    @staticmethod
    def key(planes: list[np.ndarray]) -> np.ndarray:
        # non-negative floats order as their bit patterns, and integer minima are faster to take
        return planes[1].view(np.int32)

    def blend(self, dst: list[np.ndarray], src: list[np.ndarray], src_in_front: bool) -> None:
        # the front group holds the lower ranks, so it also wins ties: the result is deterministic
        mask = _buffer("mask", src[1].shape, np.bool_)
        (np.less_equal if src_in_front else np.less)(src[1], dst[1], out=mask)
        np.copyto(dst[1], src[1], where=mask)
        np.copyto(dst[0], src[0], where=mask)

    def output(self, planes: list[np.ndarray], r0: int, r1: int) -> list[np.ndarray]:
        rgba, depth = planes[0][r0:r1], planes[1][r0:r1]
        # inputs may carry a clear colour in their background pixels: the result's is transparent black
        np.copyto(rgba, 0, where=depth >= BACKGROUND_DEPTH)
        return [rgba, depth]


class _OverMode:
    """Translucency: one float32 premultiplied RGBA plane; front over back."""

    background = (0.0,)

    def __init__(self, out_dtype: np.dtype) -> None:
        self.out_dtype = out_dtype

    @staticmethod
    def covered(block: np.ndarray, axis: int) -> np.ndarray:
        return block.max(axis=axis) > 0

    @staticmethod
    def key(planes: list[np.ndarray]) -> np.ndarray:
        return planes[0][..., 3]

    def blend(self, dst: list[np.ndarray], src: list[np.ndarray], src_in_front: bool) -> None:
        d, s = dst[0], src[0]
        if src_in_front:  # d = s + d * (1 - alpha_s)
            d *= 1.0 - s[..., 3:4]
            d += s
        else:  # d = d + s * (1 - alpha_d)
            d += s * (1.0 - d[..., 3:4])

    def output(self, planes: list[np.ndarray], r0: int, r1: int) -> list[np.ndarray]:
        rows = planes[0][r0:r1]
        if self.out_dtype == np.float32:
            return [rows]
        # back to 8 bits only for the final block, so the rounds do not accumulate rounding errors
        scaled = _buffer("out8", rows.shape, np.float32)
        np.multiply(rows, 255.0, out=scaled)
        np.clip(scaled, 0.0, 255.0, out=scaled)
        np.rint(scaled, out=scaled)
        return [scaled.astype(np.uint8)]


# --------------------------------------------------------------------------------------------------
# the compositing engine


def _radix_rounds(size: int, max_radix: int) -> list[int]:
    """Round sizes whose product is `size`: its prime factors merged greedily up to `max_radix`.

    A prime factor above `max_radix` gets a round of its own (direct send among that many ranks).
    """
    primes, rest, p = [], size, 2
    while p * p <= rest:
        while rest % p == 0:
            primes.append(p)
            rest //= p
        p += 1
    if rest > 1:
        primes.append(rest)
    rounds: list[int] = []
    for prime in sorted(primes, reverse=True):
        for i, k in enumerate(rounds):
            if k * prime <= max_radix:
                rounds[i] = k * prime
                break
        else:
            rounds.append(prime)
    return rounds


class _Compositor:
    """Radix-k compositing and gather of one frame on one rank (see the module docstring).

    Pieces travel as one message each: a 16-byte header (the box of the pixels, int32) followed by
    the raw bytes of every plane for that box. Receives are posted before the sends, into buffers
    big enough for the whole part (MPI accepts a shorter message), so a round is one message per
    peer and one wait.
    """

    def __init__(
        self,
        comm: MPI.Comm,
        mode: _DepthMode | _OverMode,
        planes: list[np.ndarray],
        owned: bool,
        order: Sequence[int],
    ) -> None:
        self.comm = comm
        self.mode = mode
        self.order = list(order)
        self.rank = comm.Get_rank()
        self.size = comm.Get_size()
        self.height, self.width = planes[0].shape[:2]
        # `cur` holds this rank's pixels; while it still is the caller's input it must not be written
        self.cur = planes
        self.materialised = owned
        self.rows = (0, self.height)
        self.box: Rect = _EMPTY
        self.row_hits: np.ndarray | None = None  # rows of the input holding content
        # (dtype, trailing shape, bytes per pixel) of every plane, to lay pieces out in messages
        self.layout = [(p.dtype, p.shape[2:], p.dtype.itemsize * int(np.prod(p.shape[2:]))) for p in planes]
        self.pixel_bytes = sum(nbytes for _, _, nbytes in self.layout)
        self.stats = CompositeStats()
        self.pending: list[MPI.Request] = []  # sends, completed at the very end

    # -- helpers

    def _full(self, rows: tuple[int, int]) -> Rect:
        return (rows[0], rows[1], 0, self.width)

    def _materialise(self, keep: Rect) -> None:
        """Copy the kept pixels into the working buffers before the first write (never the input)."""
        if self.materialised:
            return
        work = []
        for i, plane in enumerate(self.cur):
            buf = _buffer(f"work{i}", plane.shape, plane.dtype.type)
            if not _is_empty(keep):
                _sub(buf, keep)[...] = _sub(plane, keep)
            work.append(buf)
        self.cur = work
        self.materialised = True

    def _tight(self, r: Rect) -> Rect:
        """The bounding box of the non-empty pixels inside `r`."""
        key, covered = self.mode.key(self.cur), self.mode.covered
        if self.row_hits is None or _is_empty(r):
            return _tight_box(key, r, covered)
        # still the input: which rows hold content is known from the first pass
        rows = np.flatnonzero(self.row_hits[r[0] : r[1]])
        if rows.size == 0:
            return _EMPTY
        r0, r1 = r[0] + int(rows[0]), r[0] + int(rows[-1]) + 1
        cols = np.flatnonzero(covered(key[r0:r1, r[2] : r[3]], 0))
        return (r0, r1, r[2] + int(cols[0]), r[2] + int(cols[-1]) + 1)

    def _fill(self, r: Rect) -> None:
        for plane, value in zip(self.cur, self.mode.background, strict=True):
            _sub(plane, r)[...] = value

    def _pack(self, name: str, r: Rect) -> np.ndarray:
        """A message with the header for `r` and the pixels of every plane inside it."""
        area = _area(r)
        msg = _buffer(name, (_HEADER_BYTES + area * self.pixel_bytes,), np.uint8)
        msg[:_HEADER_BYTES].view(np.int32)[:] = r if area else _EMPTY
        offset = _HEADER_BYTES
        for plane, (dtype, trailing, nbytes) in zip(self.cur, self.layout, strict=True):
            if area:
                dst = msg[offset : offset + area * nbytes].view(dtype)
                dst.reshape(r[1] - r[0], r[3] - r[2], *trailing)[...] = _sub(plane, r)
            offset += area * nbytes
        return msg

    def _unpack(self, msg: np.ndarray) -> tuple[Rect, list[np.ndarray]]:
        """The box and the plane views (into `msg`) of a received piece."""
        r: Rect = tuple(int(x) for x in msg[:_HEADER_BYTES].view(np.int32))  # type: ignore[assignment]
        if _is_empty(r):
            return _EMPTY, []
        h, w = r[1] - r[0], r[3] - r[2]
        planes, offset = [], _HEADER_BYTES
        for dtype, trailing, nbytes in self.layout:
            planes.append(msg[offset : offset + h * w * nbytes].view(dtype).reshape(h, w, *trailing))
            offset += h * w * nbytes
        return r, planes

    def _merge(self, box: Rect, r: Rect, src: list[np.ndarray], src_in_front: bool) -> Rect:
        """Blend the piece `src` covering `r` into the working image, whose pixels are in `box`.

        Returns the box of the result. Where the piece lies outside `box` the working image holds
        garbage: it is cleared to background there and the piece copied, not blended.
        """
        if _is_empty(box):
            for plane, s in zip(self.cur, src, strict=True):
                _sub(plane, r)[...] = s
            return r
        grown = _union(box, r)
        for part in _ring(grown, box):
            self._fill(part)
            inside = _intersect(part, r)
            if not _is_empty(inside):
                local = (inside[0] - r[0], inside[1] - r[0], inside[2] - r[2], inside[3] - r[2])
                for plane, s in zip(self.cur, src, strict=True):
                    _sub(plane, inside)[...] = _sub(s, local)
        both = _intersect(box, r)
        if not _is_empty(both):
            local = (both[0] - r[0], both[1] - r[0], both[2] - r[2], both[3] - r[2])
            self.mode.blend([_sub(p, both) for p in self.cur], [_sub(s, local) for s in src], src_in_front)
        return grown

    # -- one round

    def _round(self, round_index: int, members: list[int], me: int) -> None:
        """Direct send among `members` (in compositing order; this rank is ``members[me]``)."""
        comm, stats, k = self.comm, self.stats, len(members)
        r0, r1 = self.rows
        bounds = [r0 + (r1 - r0) * j // k for j in range(k + 1)]
        parts = [(bounds[j], bounds[j + 1]) for j in range(k)]
        keep = parts[me]

        capacity = _HEADER_BYTES + (keep[1] - keep[0]) * self.width * self.pixel_bytes
        receives: dict[int, tuple[np.ndarray, MPI.Request]] = {}
        for j, peer in enumerate(members):
            if j != me:
                msg = _buffer(f"recv{j}", (capacity,), np.uint8)
                receives[j] = (msg, comm.Irecv(msg, peer, _TAG_PIECE))
        for j, peer in enumerate(members):
            if j != me:
                # the tight box of what part j holds here: empty space is never sent
                piece = self._tight(_intersect(self.box, self._full(parts[j])))
                msg = self._pack(f"send{round_index}.{j}", piece)
                self.pending.append(comm.Isend(msg, peer, _TAG_PIECE))
                stats.pixel_bytes_sent += msg.nbytes - _HEADER_BYTES
                stats.messages += 1

        box = self._tight(_intersect(self.box, self._full(keep)))
        # copy our own pixels while the others' are on their way
        self._materialise(box)
        # blend outwards from our own position, in front and behind, each side nearest first: every
        # piece then lies wholly in front of, or wholly behind, all that is already blended, which
        # keeps "over" exact and gives depth ties to the front. The two sides go in arrival order.
        sides = [list(range(me - 1, -1, -1)), list(range(me + 1, k))]
        while sides[0] or sides[1]:
            heads = [side for side in sides if side]
            side = heads[_wait_first_lazily([receives[side[0]][1] for side in heads])]
            j = side.pop(0)
            r, src = self._unpack(receives[j][0])
            if not _is_empty(r):
                stats.pixel_bytes_received += _area(r) * self.pixel_bytes
                box = self._merge(box, r, src, src_in_front=j < me)
        self.box, self.rows = box, keep
        self.row_hits = None  # blending changed the pixels

    # -- the whole frame

    def run(self, root: int) -> list[np.ndarray] | None:
        """Composite and gather; the output planes on root, None elsewhere."""
        comm, size, rank = self.comm, self.size, self.rank
        # one pass finds the rows with content; columns are found per part, within those rows
        self.row_hits = self.mode.covered(self.mode.key(self.cur), 1)
        hit = np.flatnonzero(self.row_hits)
        self.box = (int(hit[0]), int(hit[-1]) + 1, 0, self.width) if hit.size else _EMPTY
        # root learns early which rows everyone will send, so the final gather needs no extra round
        gather_rows = np.zeros((size, 2), np.int32)
        header_requests = [
            comm.Irecv(gather_rows[r], r, _TAG_GATHER_HEADER) for r in range(size) if rank == root and r != rank
        ]
        # ranks that finished rendering early sleep here instead of spinning in the first exchange
        wait_lazily(comm.Ibarrier())

        pos = self.order.index(rank)
        stride = 1
        for round_index, k in enumerate(_radix_rounds(size, MAX_RADIX)):
            digit = (pos // stride) % k
            first = pos - digit * stride
            self._round(round_index, [self.order[first + j * stride] for j in range(k)], digit)
            stride *= k
        outputs = self._gather(root, gather_rows, header_requests)
        wait_lazily(self.pending)
        _local.stats = self.stats
        return outputs

    def _gather(
        self, root: int, gather_rows: np.ndarray, header_requests: list[MPI.Request]
    ) -> list[np.ndarray] | None:
        """Send every rank's block rows (those inside its box) to root, straight into the output."""
        comm, height, width = self.comm, self.height, self.width
        box = self.box
        rows = (0, 0)
        if not _is_empty(box):
            # rows go whole-width straight into place: clear the columns beside the box
            self._materialise(box)
            for part in _ring((box[0], box[1], 0, width), box):
                self._fill(part)
            rows = (box[0], box[1])
        data = self.mode.output(self.cur, *rows)

        if self.rank != root:
            header = np.array(rows, np.int32)
            requests = [comm.Isend(header, root, _TAG_GATHER_HEADER)]
            if rows[1] > rows[0]:
                for i, d in enumerate(data):
                    requests.append(comm.Isend(d, root, _TAG_GATHER + i))
                    self.stats.pixel_bytes_sent += d.nbytes
            self.stats.messages += len(requests)
            wait_lazily(requests)
            return None

        outputs = [np.empty((height, *d.shape[1:]), d.dtype) for d in data]
        for out, d in zip(outputs, data, strict=True):
            out[rows[0] : rows[1]] = d
        gather_rows[self.rank] = rows
        wait_lazily(header_requests)
        requests = []
        for r, (r0, r1) in enumerate(gather_rows.tolist()):
            if r != self.rank and r1 > r0:
                for i, out in enumerate(outputs):
                    requests.append(comm.Irecv(out[r0:r1], r, _TAG_GATHER + i))
        # while the rows arrive: background in the rows that no rank sends (the ranges are disjoint)
        sent = sorted((r0, r1) for r0, r1 in gather_rows.tolist() if r1 > r0)
        start = 0
        for r0, r1 in [*sent, (height, height)]:
            if r0 > start:
                for out, value in zip(outputs, self.mode.background, strict=True):
                    out[start:r0] = value
            start = max(start, r1)
        wait_lazily(requests)
        return outputs


# --------------------------------------------------------------------------------------------------
# public API


def _check_root(comm: MPI.Comm, root: int) -> None:
    if not 0 <= root < comm.Get_size():
        raise ValueError(f"root {root} is not a rank of a communicator of size {comm.Get_size()}")


def _depth_planes(rgba: np.ndarray, depth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Check the z-buffer inputs; RGBA comes back as packed uint32 (one element per pixel)."""
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"rgba must be uint8 of shape (H, W, 4), got {rgba.dtype} {rgba.shape}")
    if np.shape(depth) != rgba.shape[:2]:
        raise ValueError(f"depth must have shape {rgba.shape[:2]}, got {np.shape(depth)}")
    height, width = rgba.shape[:2]
    packed = np.ascontiguousarray(rgba).view(np.uint32).reshape(height, width)
    return packed, np.ascontiguousarray(depth, dtype=np.float32)


def composite_depth(
    comm: MPI.Comm, rgba: np.ndarray, depth: np.ndarray, root: int = 0
) -> tuple[np.ndarray, np.ndarray] | None:
    """Z-buffer composite of every rank's image onto `root` (sort-last, radix-k).

    Collective: every rank of `comm` calls it with an image of the same size.

    Parameters
    ----------
    comm : MPI.Comm
        The ranks whose images are merged.
    rgba : numpy.ndarray
        This rank's colours, uint8 of shape (H, W, 4).
    depth : numpy.ndarray
        This rank's depth buffer, float32 of shape (H, W), 0 = near plane; pixels at
        ``BACKGROUND_DEPTH`` (1.0) or beyond are background and their colour is ignored.
    root : int, optional
        The rank that receives the result.

    Returns
    -------
    tuple of numpy.ndarray or None
        On `root`, new arrays ``(rgba, depth)`` of the input shapes: for every pixel the fragment with
        the smallest depth (ties go to the lower rank); background pixels are (0, 0, 0, 0) at depth 1.
        On a single rank, copies of the inputs. None on the other ranks.
    """
    _check_root(comm, root)
    packed, depth = _depth_planes(rgba, depth)
    if comm.Get_size() == 1:
        return np.array(rgba, copy=True), depth.copy()
    height, width = depth.shape
    out = _Compositor(comm, _DepthMode(), [packed, depth], False, range(comm.Get_size())).run(root)
    if out is None:
        return None
    return out[0].view(np.uint8).reshape(height, width, 4), out[1]


def composite_over(comm: MPI.Comm, rgba: np.ndarray, order: Sequence[int], root: int = 0) -> np.ndarray | None:
    """Composite translucent images front to back with the premultiplied "over" operator.

    Collective: every rank of `comm` calls it with an image of the same size and the same `order`.
    The ranks must own spatially disjoint partitions, so that whole images can be stacked in
    visibility order; the result is then exact.

    Parameters
    ----------
    comm : MPI.Comm
        The ranks whose images are merged.
    rgba : numpy.ndarray
        This rank's image, PREMULTIPLIED alpha, float32 (alpha in [0, 1]) or uint8 (alpha in 0..255),
        shape (H, W, 4). Pixels with alpha 0 are empty.
    order : sequence of int
        Every rank of `comm` once, from front (nearest the camera) to back.
    root : int, optional
        The rank that receives the result.

    Returns
    -------
    numpy.ndarray or None
        On `root`, a new premultiplied image of the input's shape and dtype:
        ``I[order[0]] over I[order[1]] over ...``. uint8 images are blended in float32 and rounded
        once at the end. On a single rank, a copy of the input. None on the other ranks.
    """
    _check_root(comm, root)
    size = comm.Get_size()
    order = [int(r) for r in order]
    if sorted(order) != list(range(size)):
        raise ValueError(f"order must list every rank of the communicator once (0..{size - 1}), got {order}")
    rgba = np.asarray(rgba)
    if rgba.dtype not in (np.uint8, np.float32) or rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"rgba must be uint8 or float32 of shape (H, W, 4), got {rgba.dtype} {rgba.shape}")
    if size == 1:
        return rgba.copy()
    if rgba.dtype == np.uint8:
        plane = rgba.astype(np.float32)
        plane *= np.float32(1.0 / 255.0)
        owned = True
    else:
        plane, owned = np.ascontiguousarray(rgba), False
    out = _Compositor(comm, _OverMode(rgba.dtype), [plane], owned, order).run(root)
    return None if out is None else out[0]


def naive_gather_composite(
    comm: MPI.Comm, rgba: np.ndarray, depth: np.ndarray, root: int = 0
) -> tuple[np.ndarray, np.ndarray] | None:
    """Baseline z-buffer composite: gather every full image to `root` and merge them there.

    Same contract and result as :func:`composite_depth`; kept only as the reference the benchmark
    compares with (it moves ``size`` full images to root with MPI's own ``Gather`` and merges them
    serially there).

    Parameters
    ----------
    comm : MPI.Comm
        The ranks whose images are merged.
    rgba : numpy.ndarray
        This rank's colours, uint8 of shape (H, W, 4).
    depth : numpy.ndarray
        This rank's depth buffer, float32 of shape (H, W), 1.0 = background.
    root : int, optional
        The rank that receives the result.

    Returns
    -------
    tuple of numpy.ndarray or None
        ``(rgba, depth)`` on `root`, None on the other ranks.
    """
    _check_root(comm, root)
    packed, depth = _depth_planes(rgba, depth)
    size, height, width = comm.Get_size(), *depth.shape
    is_root = comm.Get_rank() == root
    all_rgba = np.empty((size, height, width), np.uint32) if is_root else None
    all_depth = np.empty((size, height, width), np.float32) if is_root else None
    comm.Gather(packed, all_rgba, root)
    comm.Gather(depth, all_depth, root)
    if all_rgba is None or all_depth is None:
        return None
    out_rgba = np.zeros((height, width), np.uint32)
    out_depth = np.full((height, width), BACKGROUND_DEPTH, np.float32)
    mask = np.empty((height, width), np.bool_)
    for r in range(size):  # strict test in rank order: ties go to the lower rank
        np.less(all_depth[r], out_depth, out=mask)
        np.copyto(out_depth, all_depth[r], where=mask)
        np.copyto(out_rgba, all_rgba[r], where=mask)
    return out_rgba.view(np.uint8).reshape(height, width, 4), out_depth
