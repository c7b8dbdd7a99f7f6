"""Images for the compositing tests (tests/mpi/test_compositing_*.py), and their numpy references.

Every rank builds its image from a generator seeded with (case seed, rank), so root can rebuild every
rank's image and composite them directly with numpy.
"""

from __future__ import annotations

import numpy as np
from mpi_world import SIZE

from pvserver.rendering.compositing import BACKGROUND_DEPTH

# odd sizes, fewer rows than ranks, a single row/column, a square power of two
SHAPES = [(37, 53), (53, 37), (2, 9), (1, 1), (3, 1), (64, 64)]


def depth_image(seed: int, rank: int, shape: tuple[int, int], kind: str) -> tuple[np.ndarray, np.ndarray]:
    """A deterministic RGBA uint8 + depth float32 image for `rank`; background is depth 1, RGBA 0."""
    rng = np.random.default_rng([seed, rank])
    h, w = shape
    rgba = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    if kind == "random":  # scattered fragments with continuous depths
        depth = rng.random((h, w), dtype=np.float32)
        depth[rng.random((h, w)) < 0.4] = BACKGROUND_DEPTH
    elif kind == "ties":  # a few depth levels: many equal depths across ranks
        depth = rng.choice(np.array([0.25, 0.5, 0.75, 1.0], np.float32), size=(h, w))
    elif kind == "patch":  # one rectangle per rank: exercises the bounding boxes
        depth = np.full((h, w), BACKGROUND_DEPTH, np.float32)
        r0, c0 = rng.integers(0, h), rng.integers(0, w)
        r1, c1 = rng.integers(r0, h) + 1, rng.integers(c0, w) + 1
        depth[r0:r1, c0:c1] = rng.random((r1 - r0, c1 - c0), dtype=np.float32) * 0.99
    elif kind == "empty":
        depth = np.full((h, w), BACKGROUND_DEPTH, np.float32)
    else:
        raise ValueError(kind)
    rgba[depth >= BACKGROUND_DEPTH] = 0
    return rgba, depth


def reference_depth(images: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Z-buffer composite in numpy: argmin picks the first (lowest) rank on ties."""
    rgbas = np.stack([im[0] for im in images])
    depths = np.stack([im[1] for im in images])
    winner = np.argmin(depths, axis=0)
    depth = np.take_along_axis(depths, winner[None], axis=0)[0]
    rgba = np.take_along_axis(rgbas, winner[None, ..., None], axis=0)[0]
    rgba[depth >= BACKGROUND_DEPTH] = 0
    return rgba, depth


def over_image(seed: int, rank: int, shape: tuple[int, int], dtype: type, empty: bool = False) -> np.ndarray:
    """A premultiplied RGBA image with some fully transparent pixels and a transparent border."""
    rng = np.random.default_rng([seed, rank])
    h, w = shape
    alpha = rng.random((h, w), dtype=np.float32)
    alpha[rng.random((h, w)) < 0.3] = 0.0
    if h > 4 and w > 4:  # a rank-dependent empty margin, so boxes differ between ranks
        alpha[: rank % 3] = 0.0
        alpha[:, w - rank % 4 :] = 0.0
    if empty:
        alpha[:] = 0.0
    rgba = np.empty((h, w, 4), np.float32)
    rgba[..., :3] = rng.random((h, w, 3), dtype=np.float32) * alpha[..., None]
    rgba[..., 3] = alpha
    if dtype == np.uint8:
        return np.rint(rgba * 255).astype(np.uint8)
    return rgba


def reference_over(images: list[np.ndarray], order: list[int]) -> np.ndarray:
    """Front-to-back premultiplied "over" in float64, in the units of the inputs' dtype."""
    scale = 255.0 if images[0].dtype == np.uint8 else 1.0
    acc = np.zeros(images[0].shape, np.float64)
    for r in order:
        img = images[r].astype(np.float64) / scale
        acc += img * (1.0 - acc[..., 3:4])
    return acc * scale


def shared_order(seed: int) -> list[int]:
    """A front-to-back order that is neither rank order nor its reverse when that is possible."""
    order = [int(r) for r in np.random.default_rng(seed).permutation(SIZE)]
    if SIZE > 2 and order in (list(range(SIZE)), list(range(SIZE))[::-1]):
        order[0], order[1] = order[1], order[0]
    return order
