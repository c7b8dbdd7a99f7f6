"""Sort-last compositing against a numpy reference built on root.

Run on several ranks: ``mpiexec -n 4 python -m pytest --with-mpi tests/mpi/test_compositing.py``
(the tests without an ``mpi`` mark also run, on one rank, under plain pytest).

Every rank builds its image from a generator seeded with (case seed, rank), so root can rebuild every
rank's image and composite them directly with numpy.
"""

from __future__ import annotations

import numpy as np
import pytest
from mpi4py import MPI

from pvserver.rendering import compositing
from pvserver.rendering.compositing import (
    BACKGROUND_DEPTH,
    composite_depth,
    composite_over,
    last_stats,
    naive_gather_composite,
    wait_lazily,
)

pytestmark = pytest.mark.timeout(60)

COMM = MPI.COMM_WORLD
SIZE = COMM.Get_size()
RANK = COMM.Get_rank()

# odd sizes, fewer rows than ranks, a single row/column, a square power of two
SHAPES = [(37, 53), (53, 37), (2, 9), (1, 1), (3, 1), (64, 64)]


# --------------------------------------------------------------------------------------------------
# image makers


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


# --------------------------------------------------------------------------------------------------
# z-buffer


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", ["random", "ties", "patch"])
@pytest.mark.parametrize("root_last", [False, True])
def test_depth_matches_numpy(shape, kind, root_last):
    seed = 1000 + 17 * SHAPES.index(shape) + len(kind)
    root = SIZE - 1 if root_last else 0
    rgba, depth = depth_image(seed, RANK, shape, kind)
    rgba_before, depth_before = rgba.copy(), depth.copy()

    result = composite_depth(COMM, rgba, depth, root=root)

    # the inputs are left alone
    np.testing.assert_array_equal(rgba, rgba_before)
    np.testing.assert_array_equal(depth, depth_before)
    if root != RANK:
        assert result is None
        return
    out_rgba, out_depth = result
    assert out_rgba.dtype == np.uint8 and out_rgba.shape == (*shape, 4)
    assert out_depth.dtype == np.float32 and out_depth.shape == shape
    ref_rgba, ref_depth = reference_depth([depth_image(seed, r, shape, kind) for r in range(SIZE)])
    np.testing.assert_array_equal(out_depth, ref_depth)
    np.testing.assert_array_equal(out_rgba, ref_rgba)


@pytest.mark.parametrize("shape", [(37, 53), (3, 5)])
def test_depth_all_empty_sends_no_pixels(shape):
    rgba, depth = depth_image(7, RANK, shape, "empty")
    result = composite_depth(COMM, rgba, depth)
    if SIZE > 1:
        assert last_stats().pixel_bytes_sent == 0
        assert last_stats().pixel_bytes_received == 0
    if RANK == 0:
        out_rgba, out_depth = result
        assert np.all(out_rgba == 0)
        assert np.all(out_depth == BACKGROUND_DEPTH)


@pytest.mark.mpi(min_size=2)
@pytest.mark.parametrize("owner_is_last", [False, True])
def test_depth_only_one_rank_has_content(owner_is_last):
    shape = (37, 53)
    owner = SIZE - 1 if owner_is_last else 1
    patch = (slice(10, 15), slice(20, 31))  # 5 x 11 pixels
    rgba, depth = depth_image(11, RANK, shape, "empty")
    if owner == RANK:
        full_rgba, full_depth = depth_image(11, RANK, shape, "random")
        depth[patch] = np.minimum(full_depth[patch], 0.9)
        rgba[patch] = full_rgba[patch]
    expected_rgba, expected_depth = rgba.copy(), depth.copy()
    expected = COMM.bcast((expected_rgba, expected_depth) if owner == RANK else None, root=owner)

    result = composite_depth(COMM, rgba, depth, root=0)

    # only the patch travels: in each compositing round at most its 5 x 11 pixels (split among the
    # peers), in the final gather its 5 rows (rows go whole-width into place); there are at most
    # log2(SIZE) rounds
    sent = last_stats().pixel_bytes_sent
    steps = int(np.ceil(np.log2(SIZE)))
    bound = steps * 5 * 11 * 8 + 5 * 53 * 8
    assert sent <= bound
    if RANK == owner:
        assert sent > 0
    if RANK == 0:
        np.testing.assert_array_equal(result[0], expected[0])
        np.testing.assert_array_equal(result[1], expected[1])


def test_depth_patches_traffic_is_bounded_by_boxes():
    """Small patches in one band of rows: each rank sends far less than half its image."""
    shape = (64, 80)
    rgba, depth = depth_image(23, RANK, shape, "empty")
    depth[5:9, RANK * 9 % 76 : RANK * 9 % 76 + 4] = 0.25 + 0.1 * (RANK % 5)
    rgba[depth < 1] = 255 - RANK
    result = composite_depth(COMM, rgba, depth)
    everyone = COMM.gather((rgba, depth))  # before any assertion, so that a failure cannot hang the others
    if SIZE > 1:
        # every round (at most log2(SIZE)) and the final gather send at most the band: 4 rows of 80
        # pixels of 8 bytes, where sending without boxes would cost at least half an image (20 kB)
        steps = int(np.ceil(np.log2(SIZE)))
        assert last_stats().pixel_bytes_sent <= (steps + 1) * 4 * 80 * 8
    if RANK == 0:
        ref_rgba, ref_depth = reference_depth(everyone)
        np.testing.assert_array_equal(result[0], ref_rgba)
        np.testing.assert_array_equal(result[1], ref_depth)


@pytest.mark.parametrize("kind", ["random", "patch"])
def test_several_radix_rounds(monkeypatch, kind):
    """Groups of at most 2 ranks: 4 ranks composite in two rounds, 3 in one round of 3."""
    monkeypatch.setattr(compositing, "MAX_RADIX", 2)
    shape = (37, 53)
    rgba, depth = depth_image(61, RANK, shape, kind)
    result = composite_depth(COMM, rgba, depth)
    order = shared_order(62)
    image = over_image(62, RANK, shape, np.float32)
    blended = composite_over(COMM, image, order)
    if RANK == 0:
        ref_rgba, ref_depth = reference_depth([depth_image(61, r, shape, kind) for r in range(SIZE)])
        np.testing.assert_array_equal(result[0], ref_rgba)
        np.testing.assert_array_equal(result[1], ref_depth)
        ref = reference_over([over_image(62, r, shape, np.float32) for r in range(SIZE)], order)
        np.testing.assert_allclose(blended, ref, rtol=0, atol=1e-5)


def test_depth_background_colour_is_dropped():
    """Renderers clear to a colour: background pixels come out transparent black at depth 1."""
    if SIZE < 2:
        pytest.skip("a single rank returns its inputs unchanged")
    shape = (37, 53)
    rgba, depth = depth_image(71, RANK, shape, "random")
    rgba[depth >= BACKGROUND_DEPTH] = (10, 20, 30, 255)  # the clear colour, also inside the boxes
    result = composite_depth(COMM, rgba, depth)
    if RANK == 0:
        ref_rgba, ref_depth = reference_depth([depth_image(71, r, shape, "random") for r in range(SIZE)])
        np.testing.assert_array_equal(result[1], ref_depth)
        np.testing.assert_array_equal(result[0], ref_rgba)


@pytest.mark.parametrize("shape", [(37, 53), (2, 9)])
def test_naive_gather_matches_numpy(shape):
    rgba, depth = depth_image(31, RANK, shape, "ties")
    result = naive_gather_composite(COMM, rgba, depth)
    if RANK == 0:
        ref_rgba, ref_depth = reference_depth([depth_image(31, r, shape, "ties") for r in range(SIZE)])
        np.testing.assert_array_equal(result[0], ref_rgba)
        np.testing.assert_array_equal(result[1], ref_depth)
    else:
        assert result is None


def test_depth_repeated_calls_reuse_buffers_correctly():
    """Pooled buffers must not leak pixels of one frame into the next."""
    shape = (37, 53)
    for seed, kind in [(41, "random"), (42, "patch"), (43, "empty"), (44, "patch")]:
        rgba, depth = depth_image(seed, RANK, shape, kind)
        result = composite_depth(COMM, rgba, depth)
        if RANK == 0:
            ref_rgba, ref_depth = reference_depth([depth_image(seed, r, shape, kind) for r in range(SIZE)])
            np.testing.assert_array_equal(result[0], ref_rgba)
            np.testing.assert_array_equal(result[1], ref_depth)


def test_depth_rejects_bad_inputs():
    with pytest.raises(ValueError, match="uint8"):
        composite_depth(COMM, np.zeros((4, 4, 3), np.uint8), np.ones((4, 4), np.float32))
    with pytest.raises(ValueError, match="depth"):
        composite_depth(COMM, np.zeros((4, 4, 4), np.uint8), np.ones((4, 5), np.float32))
    with pytest.raises(ValueError, match="root"):
        composite_depth(COMM, np.zeros((4, 4, 4), np.uint8), np.ones((4, 4), np.float32), root=SIZE)


# --------------------------------------------------------------------------------------------------
# over


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
def test_over_matches_numpy(shape, dtype):
    seed = 500 + SHAPES.index(shape)
    order = shared_order(seed)
    root = order[-1]  # not necessarily 0, nor the front
    image = over_image(seed, RANK, shape, dtype)
    before = image.copy()

    result = composite_over(COMM, image, order, root=root)

    np.testing.assert_array_equal(image, before)
    if root != RANK:
        assert result is None
        return
    assert result.dtype == dtype and result.shape == (*shape, 4)
    ref = reference_over([over_image(seed, r, shape, dtype) for r in range(SIZE)], order)
    if dtype == np.uint8:
        # blended in float32 and rounded once: within one level of the exact value
        assert np.abs(result.astype(np.float64) - ref).max() <= 1.0
    else:
        np.testing.assert_allclose(result, ref, rtol=0, atol=1e-5)


def test_over_order_matters():
    """Reversing the order changes the picture: the blending really is ordered."""
    if SIZE < 2:
        pytest.skip("needs two images")
    shape = (16, 16)
    # every rank paints an opaque, rank-coloured image: the front rank alone must show
    image = np.zeros((*shape, 4), np.float32)
    image[..., RANK % 3] = 1.0
    image[..., 3] = 1.0
    order = shared_order(3)
    front = composite_over(COMM, image, order)
    back = composite_over(COMM, image, order[::-1])
    if RANK == 0:
        np.testing.assert_array_equal(front[..., order[0] % 3], 1.0)
        np.testing.assert_array_equal(back[..., order[-1] % 3], 1.0)


@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
def test_over_all_empty(dtype):
    image = over_image(5, RANK, (37, 53), dtype, empty=True)
    result = composite_over(COMM, image, list(range(SIZE))[::-1])
    if SIZE > 1:
        assert last_stats().pixel_bytes_sent == 0
    if RANK == 0:
        assert result.dtype == dtype
        assert not result.any()


@pytest.mark.mpi(min_size=2)
def test_over_only_one_rank_has_content():
    shape = (37, 53)
    owner = SIZE // 2
    image = over_image(9, RANK, shape, np.float32, empty=owner != RANK)
    expected = COMM.bcast(image if owner == RANK else None, root=owner)
    result = composite_over(COMM, image, shared_order(9))
    if RANK == 0:
        np.testing.assert_allclose(result, expected, rtol=0, atol=1e-6)


def test_over_rejects_bad_order():
    image = np.zeros((4, 4, 4), np.float32)
    with pytest.raises(ValueError, match="order"):
        composite_over(COMM, image, [*range(SIZE), 0])
    with pytest.raises(ValueError, match="uint8 or float32"):
        composite_over(COMM, image.astype(np.float64), list(range(SIZE)))


# --------------------------------------------------------------------------------------------------
# waiting


def test_wait_lazily_completes_point_to_point_and_collectives():
    right, left = (RANK + 1) % SIZE, (RANK - 1) % SIZE
    out = np.arange(1000, dtype=np.float64) + RANK
    into = np.empty_like(out)
    wait_lazily([COMM.Irecv(into, left, 77), COMM.Isend(out, right, 77)])
    np.testing.assert_array_equal(into, np.arange(1000) + left)
    wait_lazily(COMM.Ibarrier())  # a single request
    wait_lazily([])  # nothing to wait for
    total = np.zeros(1, np.int64)
    wait_lazily(COMM.Iallreduce(np.array([RANK], np.int64), total))
    assert total[0] == SIZE * (SIZE - 1) // 2
