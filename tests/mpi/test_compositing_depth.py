"""Sort-last z-buffer compositing against a numpy reference built on root.

Run on several ranks: ``mpiexec -n 4 python -m pytest --with-mpi tests/mpi/test_compositing_depth.py``
(the tests without an ``mpi`` mark also run, on one rank, under plain pytest).

Every rank builds its image from a generator seeded with (case seed, rank), so root can rebuild every
rank's image and composite them directly with numpy.
"""

from __future__ import annotations

import numpy as np
import pytest
from compositing_images import (
    SHAPES,
    depth_image,
    over_image,
    reference_depth,
    reference_over,
    shared_order,
)
from mpi_world import COMM, RANK, SIZE

from pvserver.rendering import compositing
from pvserver.rendering.compositing import (
    BACKGROUND_DEPTH,
    composite_depth,
    composite_over,
    last_stats,
    naive_gather_composite,
)

pytestmark = pytest.mark.timeout(60)


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
