"""Sort-last "over" compositing of premultiplied RGBA images in a given order, against a numpy reference built on
root.

Run on several ranks: ``mpiexec -n 4 python -m pytest --with-mpi tests/mpi/test_compositing_over.py``
(the tests without an ``mpi`` mark also run, on one rank, under plain pytest).

Every rank builds its image from a generator seeded with (case seed, rank), so root can rebuild every
rank's image and composite them directly with numpy.
"""

from __future__ import annotations

import numpy as np
import pytest
from compositing_images import (
    SHAPES,
    over_image,
    reference_over,
    shared_order,
)
from mpi_world import COMM, RANK, SIZE

from pvserver.rendering.compositing import (
    composite_over,
    last_stats,
)

pytestmark = pytest.mark.timeout(60)


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
