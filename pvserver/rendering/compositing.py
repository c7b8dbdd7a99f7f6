"""Sort-last parallel image compositing over MPI buffers.

Every rank of the data server renders its own data partition into a full-size image; the functions
here merge those images into one on a root rank:

* :func:`composite_depth` - opaque geometry, z-buffer test per pixel (nearest fragment wins);
* :func:`composite_over` - translucent geometry, premultiplied "over" blending in a visibility order.

Algorithm
---------
Ranks are laid out in compositing order (rank order for the z-buffer, the caller's front-to-back
``order`` for "over"). When the count is not a power of two, the first ``2 * extra`` positions fold
pairwise (each odd position sends its image to the even one in front of it), leaving a power of two
that then runs *binary swap*: at every step a rank halves its current block of rows with a partner,
sends the half it gives away and blends the half it keeps with what the partner sent. Because the
folded pairs and the swap groups are always runs of consecutive positions, "over" stays exact (it is
associative) and z-buffer ties resolve to the lower rank. The final row blocks are gathered to root
with ``Igatherv`` straight into the output image.

Only the bounding box of the non-background pixels is ever sent: every message is preceded by a
four-integer header with the box (or an empty marker), so compositing empty images costs a few small
messages. Pixels travel as numpy buffers (upper-case mpi4py calls), never as pickled objects, and all
waits sleep with a short back-off (:func:`wait_lazily`) so that, on an oversubscribed node, ranks that
are waiting give the CPU to ranks that are still rendering or blending.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from mpi4py import MPI

__all__ = [
    "BACKGROUND_DEPTH",
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

# Tags of the point-to-point messages; distinctive so that they do not match the application's.
_TAG_HEADER = 0x5C0
_TAG_PLANE = 0x5C1  # + plane index

# A rectangle of pixels as half-open (row0, row1, col0, col1); empty when it has no pixel.
Rect = tuple[int, int, int, int]
_EMPTY: Rect = (0, 0, 0, 0)


# --------------------------------------------------------------------------------------------------
# waiting


def wait_lazily(
    requests: MPI.Request | Sequence[MPI.Request], max_sleep: float = 1e-3, min_sleep: float = 20e-6
) -> None:
    """Wait for MPI requests to complete without busy-polling the CPU.

    MPI implementations spin while blocked in ``Wait``; when more ranks than cores share a node the
    spinning ranks steal the CPU from the ranks they are waiting for. This tests the requests and
    sleeps between tests, doubling the sleep from `min_sleep` up to `max_sleep`.

    Parameters
    ----------
    requests : MPI.Request or sequence of MPI.Request
        One request or several (all must complete); any kind (point-to-point, ``Ibarrier``,
        ``Igatherv`` ...). Completed requests are set to ``MPI.REQUEST_NULL`` as by ``Wait``.
    max_sleep : float, optional
        Longest sleep between two tests, in seconds (the latency added at worst).
    min_sleep : float, optional
        First sleep, in seconds.
    """
    if isinstance(requests, MPI.Request):
        test: Callable[[], bool] = requests.Test
    else:
        pending = list(requests)
        if not pending:
            return

        def test() -> bool:
            return MPI.Request.Testall(pending)

    sleep = min_sleep
    while not test():
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
    def _covered(block: np.ndarray, axis: int) -> np.ndarray:
        return block.min(axis=axis) < BACKGROUND_DEPTH

    def box(self, planes: list[np.ndarray], r: Rect) -> Rect:
        return _tight_box(planes[1], r, self._covered)

    def blend(self, dst: list[np.ndarray], src: list[np.ndarray], src_in_front: bool) -> None:
        # the front group holds the lower ranks, so it also wins ties: the result is deterministic
        mask = _buffer("mask", src[1].shape, np.bool_)
        (np.less_equal if src_in_front else np.less)(src[1], dst[1], out=mask)
        np.copyto(dst[1], src[1], where=mask)
        np.copyto(dst[0], src[0], where=mask)

    def output(self, planes: list[np.ndarray], r0: int, r1: int) -> list[np.ndarray]:
        return [p[r0:r1] for p in planes]


class _OverMode:
    """Translucency: one float32 premultiplied RGBA plane; front over back."""

    background = (0.0,)

    def __init__(self, out_dtype: np.dtype) -> None:
        self.out_dtype = out_dtype

    @staticmethod
    def _covered(block: np.ndarray, axis: int) -> np.ndarray:
        return block.max(axis=axis) > 0

    def box(self, planes: list[np.ndarray], r: Rect) -> Rect:
        return _tight_box(planes[0][..., 3], r, self._covered)

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
        # back to 8 bits only for the final block, so the intermediate steps do not accumulate rounding
        scaled = _buffer("out8", rows.shape, np.float32)
        np.multiply(rows, 255.0, out=scaled)
        np.clip(scaled, 0.0, 255.0, out=scaled)
        np.rint(scaled, out=scaled)
        return [scaled.astype(np.uint8)]


# --------------------------------------------------------------------------------------------------
# the compositing engine


class _Compositor:
    """Fold + binary swap + gather of one frame on one rank (see the module docstring)."""

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
        self.stats = CompositeStats()
        self.header_out = np.zeros(4, np.int32)
        self.header_in = np.zeros(4, np.int32)

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

    def _fill(self, r: Rect) -> None:
        for plane, value in zip(self.cur, self.mode.background, strict=True):
            _sub(plane, r)[...] = value

    def _send_views(self, r: Rect) -> list[np.ndarray]:
        """Contiguous arrays holding the pixels of `r`; whole-width row blocks go without a copy."""
        if r[2] == 0 and r[3] == self.width:
            return [p[r[0] : r[1]] for p in self.cur]
        out = []
        for i, plane in enumerate(self.cur):
            block = _sub(plane, r)
            buf = _buffer(f"send{i}", block.shape, plane.dtype.type)
            buf[...] = block
            out.append(buf)
        return out

    # -- one exchange

    def exchange(
        self,
        partner: int,
        give: tuple[int, int] | None,
        keep: tuple[int, int] | None,
        src_in_front: bool,
    ) -> None:
        """Send the pixels of rows `give` to `partner`, receive and blend its pixels of rows `keep`.

        Either may be None (fold steps go one way). On return the box covers this rank's pixels in
        `keep` only.
        """
        comm, stats = self.comm, self.stats
        requests: list[MPI.Request] = []
        if give is not None:
            out = _intersect(self.box, self._full(give))
            if not self.tight:
                # the box grew by unions: shrink it before paying for the transfer
                out = self.mode.box(self.cur, out)
            self.header_out[:] = out
            requests.append(comm.Isend(self.header_out, partner, _TAG_HEADER))
            stats.messages += 1
            if not _is_empty(out):
                for i, data in enumerate(self._send_views(out)):
                    requests.append(comm.Isend(data, partner, _TAG_PLANE + i))
                    stats.pixel_bytes_sent += data.nbytes
                    stats.messages += 1
        if keep is None:
            wait_lazily(requests)
            self.box, self.tight, self.rows = _EMPTY, True, None
            return

        wait_lazily(comm.Irecv(self.header_in, partner, _TAG_HEADER))
        incoming: Rect = tuple(int(x) for x in self.header_in)  # type: ignore[assignment]
        mine = _intersect(self.box, self._full(keep))
        received: list[np.ndarray] = []
        if not _is_empty(incoming):
            h, w = incoming[1] - incoming[0], incoming[3] - incoming[2]
            for i, plane in enumerate(self.cur):
                buf = _buffer(f"recv{i}", (h, w, *plane.shape[2:]), plane.dtype.type)
                requests.append(comm.Irecv(buf, partner, _TAG_PLANE + i))
                stats.pixel_bytes_received += buf.nbytes
                received.append(buf)
        # copy our own pixels while the partner's are on their way
        self._materialise(mine)
        wait_lazily(requests)

        if not _is_empty(incoming):
            if _is_empty(mine):
                for plane, buf in zip(self.cur, received, strict=True):
                    _sub(plane, incoming)[...] = buf
            else:
                # pixels of the grown box outside our old one were never written: clear them first
                for part in _ring(_union(mine, incoming), mine):
                    self._fill(part)
                self.mode.blend([_sub(p, incoming) for p in self.cur], received, src_in_front)
        self.tight = self.tight and mine == self.box and _is_empty(incoming)
        self.box = _union(mine, incoming)
        self.rows = keep

    # -- the whole frame

    def run(self, root: int) -> list[np.ndarray] | None:
        """Composite and gather; the output planes on root, None elsewhere."""
        comm, size = self.comm, self.size
        self.rows: tuple[int, int] | None = (0, self.height)
        self.box = self.mode.box(self.cur, self._full(self.rows))
        self.tight = True
        # ranks that finished rendering early sleep here instead of spinning in the first exchange
        wait_lazily(comm.Ibarrier())

        pos = self.order.index(self.rank)
        pow2 = 1 << (size.bit_length() - 1)
        extra = size - pow2
        whole = (0, self.height)
        # fold: odd positions among the first 2*extra hand everything to the position in front
        if pos < 2 * extra:
            if pos % 2:
                self.exchange(self.order[pos - 1], whole, None, False)
            else:
                self.exchange(self.order[pos + 1], None, whole, False)
            vpos = pos // 2
        else:
            vpos = pos - extra
        if self.rows is not None:
            bit = 1
            while bit < pow2:
                vpartner = vpos ^ bit
                partner = self.order[2 * vpartner if vpartner < extra else vpartner + extra]
                r0, r1 = self.rows
                mid = (r0 + r1) // 2
                front_half, back_half = (r0, mid), (mid, r1)
                if vpos < vpartner:
                    self.exchange(partner, back_half, front_half, src_in_front=False)
                else:
                    self.exchange(partner, front_half, back_half, src_in_front=True)
                bit <<= 1
        _local.stats = self.stats
        return self._gather(root)

    def _gather(self, root: int) -> list[np.ndarray] | None:
        """Gather every rank's block rows (those inside its box) to root, into the output image."""
        comm, height, width = self.comm, self.height, self.width
        box = self.box
        if not _is_empty(box):
            # rows go whole-width straight into place: clear the columns beside the box
            self._materialise(box)
            r0, r1, _c0, _c1 = box
            for part in _ring((r0, r1, 0, width), box):
                self._fill(part)
            rows = (r0, r1)
        else:
            rows = (0, 0)
        sendrows = np.array(rows, np.int32)
        allrows = np.empty((self.size, 2), np.int32) if self.rank == root else None
        wait_lazily(comm.Igather(sendrows, allrows, root))

        data = self.mode.output(self.cur, *rows)
        self.stats.pixel_bytes_sent += sum(d.nbytes for d in data)
        outputs: list[np.ndarray] = []
        requests = []
        for d in data:
            recv = None
            if allrows is not None:
                out = np.empty((height, *d.shape[1:]), d.dtype)
                per_row = int(np.prod(d.shape[1:], dtype=np.int64))
                counts = (allrows[:, 1] - allrows[:, 0]) * per_row
                displs = allrows[:, 0] * per_row
                outputs.append(out)
                recv = [out, (counts, displs)]
            requests.append(comm.Igatherv(np.ascontiguousarray(d), recv, root))
        wait_lazily(requests)
        if allrows is None:
            return None
        # background in the rows that no rank sent
        covered = np.zeros(height + 1, np.int32)
        np.add.at(covered, allrows[:, 0], 1)
        np.add.at(covered, allrows[:, 1], -1)
        empty_rows = np.flatnonzero(np.cumsum(covered[:height]) == 0)
        if empty_rows.size:
            for out, value in zip(outputs, self.mode.background, strict=True):
                out[empty_rows] = value
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
    """Z-buffer composite of every rank's image onto `root` (sort-last, binary swap).

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
    compares with (it moves ``size`` full images to root and merges them serially there). It waits
    with :func:`wait_lazily` too, so that a comparison measures the algorithms, not the spinning.

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
    wait_lazily([comm.Igather(packed, all_rgba, root), comm.Igather(depth, all_depth, root)])
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
