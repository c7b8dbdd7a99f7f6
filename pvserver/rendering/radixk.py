"""Radix-k exchange of image pieces among the ranks, and the final gather on root (see pvserver.rendering.compositing).

Pieces travel as one message each: a 16-byte header (the box of the pixels, four int32, or the empty box)
followed by the raw bytes of every plane for that box, so only the bounding box of the non-background pixels is
ever sent and compositing empty images costs a few small messages. Every wait is lazy (pvserver.waiting), with
the back-off that yields the CPU to the ranks still blending (YIELDING).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from pvserver.rendering.blending import DepthMode, OverMode
from pvserver.rendering.pixels import (
    EMPTY,
    CompositeStats,
    Rect,
    area,
    buffer,
    intersect,
    is_empty,
    record_stats,
    ring,
    sub,
    tight_box,
    union,
)
from pvserver.waiting import YIELDING, wait_any_lazily, wait_lazily

if TYPE_CHECKING:
    from mpi4py import MPI

# Tags of the point-to-point messages; distinctive so that they do not match the application's.
_TAG_PIECE = 0x5C0
_TAG_GATHER_HEADER = 0x5C8
_TAG_GATHER = 0x5C9  # + plane index

HEADER_BYTES = 16  # four int32: the box of the pixels in a message


def radix_rounds(size: int, max_radix: int) -> list[int]:
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


class Compositor:
    """Radix-k compositing and gather of one frame on one rank, in rounds of at most ``max_radix`` ranks.

    Receives are posted before the sends, into buffers big enough for the whole part (MPI accepts a shorter
    message), so a round is one message per peer and one wait.
    """

    def __init__(
        self,
        comm: MPI.Comm,
        mode: DepthMode | OverMode,
        planes: list[np.ndarray],
        owned: bool,
        order: Sequence[int],
        max_radix: int,
    ) -> None:
        self.comm = comm
        self.max_radix = max_radix
        self.mode = mode
        self.order = list(order)
        self.rank = comm.Get_rank()
        self.size = comm.Get_size()
        self.height, self.width = planes[0].shape[:2]
        # `cur` holds this rank's pixels; while it still is the caller's input it must not be written
        self.cur = planes
        self.materialised = owned
        self.rows = (0, self.height)
        self.box: Rect = EMPTY
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
            buf = buffer(f"work{i}", plane.shape, plane.dtype.type)
            if not is_empty(keep):
                sub(buf, keep)[...] = sub(plane, keep)
            work.append(buf)
        self.cur = work
        self.materialised = True

    def _tight(self, r: Rect) -> Rect:
        """The bounding box of the non-empty pixels inside `r`."""
        key, covered = self.mode.key(self.cur), self.mode.covered
        if self.row_hits is None or is_empty(r):
            return tight_box(key, r, covered)
        # still the input: which rows hold content is known from the first pass
        rows = np.flatnonzero(self.row_hits[r[0] : r[1]])
        if rows.size == 0:
            return EMPTY
        r0, r1 = r[0] + int(rows[0]), r[0] + int(rows[-1]) + 1
        cols = np.flatnonzero(covered(key[r0:r1, r[2] : r[3]], 0))
        return (r0, r1, r[2] + int(cols[0]), r[2] + int(cols[-1]) + 1)

    def _fill(self, r: Rect) -> None:
        for plane, value in zip(self.cur, self.mode.background, strict=True):
            sub(plane, r)[...] = value

    def _pack(self, name: str, r: Rect) -> np.ndarray:
        """A message with the header for `r` and the pixels of every plane inside it."""
        pixels = area(r)
        msg = buffer(name, (HEADER_BYTES + pixels * self.pixel_bytes,), np.uint8)
        msg[:HEADER_BYTES].view(np.int32)[:] = r if pixels else EMPTY
        offset = HEADER_BYTES
        for plane, (dtype, trailing, nbytes) in zip(self.cur, self.layout, strict=True):
            if pixels:
                dst = msg[offset : offset + pixels * nbytes].view(dtype)
                dst.reshape(r[1] - r[0], r[3] - r[2], *trailing)[...] = sub(plane, r)
            offset += pixels * nbytes
        return msg

    def _unpack(self, msg: np.ndarray) -> tuple[Rect, list[np.ndarray]]:
        """The box and the plane views (into `msg`) of a received piece."""
        r: Rect = tuple(int(x) for x in msg[:HEADER_BYTES].view(np.int32))  # type: ignore[assignment]
        if is_empty(r):
            return EMPTY, []
        h, w = r[1] - r[0], r[3] - r[2]
        planes, offset = [], HEADER_BYTES
        for dtype, trailing, nbytes in self.layout:
            planes.append(msg[offset : offset + h * w * nbytes].view(dtype).reshape(h, w, *trailing))
            offset += h * w * nbytes
        return r, planes

    def _merge(self, box: Rect, r: Rect, src: list[np.ndarray], src_in_front: bool) -> Rect:
        """Blend the piece `src` covering `r` into the working image, whose pixels are in `box`.

        Returns the box of the result. Where the piece lies outside `box` the working image holds
        garbage: it is cleared to background there and the piece copied, not blended.
        """
        if is_empty(box):
            for plane, s in zip(self.cur, src, strict=True):
                sub(plane, r)[...] = s
            return r
        grown = union(box, r)
        for part in ring(grown, box):
            self._fill(part)
            inside = intersect(part, r)
            if not is_empty(inside):
                local = (inside[0] - r[0], inside[1] - r[0], inside[2] - r[2], inside[3] - r[2])
                for plane, s in zip(self.cur, src, strict=True):
                    sub(plane, inside)[...] = sub(s, local)
        both = intersect(box, r)
        if not is_empty(both):
            local = (both[0] - r[0], both[1] - r[0], both[2] - r[2], both[3] - r[2])
            self.mode.blend([sub(p, both) for p in self.cur], [sub(s, local) for s in src], src_in_front)
        return grown

    # -- one round

    def _round(self, round_index: int, members: list[int], me: int) -> None:
        """Direct send among `members` (in compositing order; this rank is ``members[me]``)."""
        comm, stats, k = self.comm, self.stats, len(members)
        r0, r1 = self.rows
        bounds = [r0 + (r1 - r0) * j // k for j in range(k + 1)]
        parts = [(bounds[j], bounds[j + 1]) for j in range(k)]
        keep = parts[me]

        capacity = HEADER_BYTES + (keep[1] - keep[0]) * self.width * self.pixel_bytes
        receives: dict[int, tuple[np.ndarray, MPI.Request]] = {}
        for j, peer in enumerate(members):
            if j != me:
                msg = buffer(f"recv{j}", (capacity,), np.uint8)
                receives[j] = (msg, comm.Irecv(msg, peer, _TAG_PIECE))
        for j, peer in enumerate(members):
            if j != me:
                # the tight box of what part j holds here: empty space is never sent
                piece = self._tight(intersect(self.box, self._full(parts[j])))
                msg = self._pack(f"send{round_index}.{j}", piece)
                self.pending.append(comm.Isend(msg, peer, _TAG_PIECE))
                stats.pixel_bytes_sent += msg.nbytes - HEADER_BYTES
                stats.messages += 1

        box = self._tight(intersect(self.box, self._full(keep)))
        # copy our own pixels while the others' are on their way
        self._materialise(box)
        # blend outwards from our own position, in front and behind, each side nearest first: every
        # piece then lies wholly in front of, or wholly behind, all that is already blended, which
        # keeps "over" exact and gives depth ties to the front. The two sides go in arrival order.
        sides = [list(range(me - 1, -1, -1)), list(range(me + 1, k))]
        while sides[0] or sides[1]:
            heads = [side for side in sides if side]
            side = heads[wait_any_lazily([receives[side[0]][1] for side in heads], backoff=YIELDING)]
            j = side.pop(0)
            r, src = self._unpack(receives[j][0])
            if not is_empty(r):
                stats.pixel_bytes_received += area(r) * self.pixel_bytes
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
        self.box = (int(hit[0]), int(hit[-1]) + 1, 0, self.width) if hit.size else EMPTY
        # root learns early which rows everyone will send, so the final gather needs no extra round
        gather_rows = np.zeros((size, 2), np.int32)
        header_requests = [
            comm.Irecv(gather_rows[r], r, _TAG_GATHER_HEADER) for r in range(size) if rank == root and r != rank
        ]
        # ranks that finished rendering early sleep here instead of spinning in the first exchange
        wait_lazily(comm.Ibarrier(), backoff=YIELDING)

        pos = self.order.index(rank)
        stride = 1
        for round_index, k in enumerate(radix_rounds(size, self.max_radix)):
            digit = (pos // stride) % k
            first = pos - digit * stride
            self._round(round_index, [self.order[first + j * stride] for j in range(k)], digit)
            stride *= k
        outputs = self._gather(root, gather_rows, header_requests)
        wait_lazily(self.pending, backoff=YIELDING)
        record_stats(self.stats)
        return outputs

    def _gather(
        self, root: int, gather_rows: np.ndarray, header_requests: list[MPI.Request]
    ) -> list[np.ndarray] | None:
        """Send every rank's block rows (those inside its box) to root, straight into the output."""
        comm, height, width = self.comm, self.height, self.width
        box = self.box
        rows = (0, 0)
        if not is_empty(box):
            # rows go whole-width straight into place: clear the columns beside the box
            self._materialise(box)
            for part in ring((box[0], box[1], 0, width), box):
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
            wait_lazily(requests, backoff=YIELDING)
            return None

        outputs = [np.empty((height, *d.shape[1:]), d.dtype) for d in data]
        for out, d in zip(outputs, data, strict=True):
            out[rows[0] : rows[1]] = d
        gather_rows[self.rank] = rows
        wait_lazily(header_requests, backoff=YIELDING)
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
        wait_lazily(requests, backoff=YIELDING)
        return outputs
