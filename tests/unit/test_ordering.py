"""Visibility order of partitions for translucent compositing: pure geometry, no MPI."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pvserver.rendering.ordering import visibility_order

# A kd-tree split of [0, 10]^3 as VTK's extent translator makes it for 3 pieces: one half, then the other
# half split again along another axis.
LOWER = (0.0, 10.0, 0.0, 10.0, 0.0, 5.0)
UPPER_FRONT = (0.0, 10.0, 0.0, 5.0, 5.0, 10.0)
UPPER_BACK = (0.0, 10.0, 5.0, 10.0, 5.0, 10.0)


def test_kd_partitions_of_different_sizes_are_ordered_by_their_splitting_planes() -> None:
    eye = (5.0, 100.0, 6.0)  # just above the z = 5 plane, far along y
    # centre distances would put LOWER (centre z = 2.5) between the two upper boxes; every ray from this eye
    # meets the y >= 5 box first, then the y <= 5 box above z = 5, then the lower half.
    assert visibility_order([LOWER, UPPER_FRONT, UPPER_BACK], eye) == [2, 1, 0]
    assert visibility_order([LOWER, UPPER_FRONT, UPPER_BACK], (5.0, -100.0, -1.0)) == [0, 1, 2]


def test_ghost_overlap_of_one_cell_does_not_change_the_order() -> None:
    left = (-10.0, 1.0, -10.0, 10.0, -10.0, 10.0)  # both pieces reach one cell into the other
    right = (-1.0, 10.0, -10.0, 10.0, -10.0, 10.0)
    assert visibility_order([left, right], (50.0, 0.0, 0.0)) == [1, 0]
    assert visibility_order([left, right], (-50.0, 3.0, 2.0)) == [0, 1]


def test_ranks_without_data_go_last_and_ties_keep_rank_order() -> None:
    box = (0.0, 1.0, 0.0, 1.0, 0.0, 1.0)
    assert visibility_order([None, box, None], (5.0, 5.0, 5.0)) == [1, 0, 2]
    assert visibility_order([None, None], (0.0, 0.0, 0.0)) == [0, 1]


@pytest.mark.parametrize("eye", list(itertools.product([-30.0, 4.0, 30.0], repeat=3)))
def test_a_grid_of_blocks_is_ordered_front_to_back_along_every_ray(eye) -> None:
    """For a 2 x 2 x 2 grid of blocks, every ray must meet the blocks in the returned order."""
    blocks = [(x, x + 5.0, y, y + 5.0, z, z + 5.0) for x, y, z in itertools.product([0.0, 5.0], repeat=3)]
    order = visibility_order(blocks, eye)
    position = np.argsort(order)  # position[i]: where block i comes in the order
    lows, highs = np.array(blocks)[:, 0::2], np.array(blocks)[:, 1::2]
    steps = np.linspace(0.0, 1.5, 600)[:, None]
    for target in np.random.default_rng(0).uniform(0.0, 10.0, size=(60, 3)):
        points = np.asarray(eye) + steps * (target - np.asarray(eye))  # along the ray, away from the eye
        inside = np.all((points[:, None, :] > lows) & (points[:, None, :] < highs), axis=2)
        met = [int(np.argmax(row)) for row in inside if row.any()]
        met_positions = position[met]
        assert np.all(np.diff(met_positions) >= 0), f"ray to {target} from {eye} meets blocks {met}"
