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
never as pickled objects, and all waits sleep with the server's one back-off (pvserver.waiting) so that,
on an oversubscribed node, ranks that are waiting give the CPU to ranks still rendering or blending.

Modules: this one checks the inputs and is the API; :mod:`~pvserver.rendering.radixk` exchanges and gathers the
pieces, :mod:`~pvserver.rendering.blending` says how two pieces combine, :mod:`~pvserver.rendering.pixels` holds
the rectangles, the reusable buffers and the statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from pvserver.rendering.blending import DepthMode, OverMode
from pvserver.rendering.pixels import BACKGROUND_DEPTH, CompositeStats, last_stats, release_buffers
from pvserver.rendering.radixk import Compositor

if TYPE_CHECKING:
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
]

#: Largest group of ranks in one radix-k round (direct send among up to this many ranks).
MAX_RADIX = 8


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
    out = Compositor(comm, DepthMode(), [packed, depth], False, range(comm.Get_size()), MAX_RADIX).run(root)
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
    out = Compositor(comm, OverMode(rgba.dtype), [plane], owned, order, MAX_RADIX).run(root)
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
