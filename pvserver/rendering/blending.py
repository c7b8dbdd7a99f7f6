"""Blending modes of the compositor: how pixels are stored (planes), which are empty, and how two fragments combine.

* :class:`DepthMode` - opaque geometry: RGBA packed in uint32 and a float32 depth plane; the nearest fragment wins;
* :class:`OverMode` - translucent geometry: one float32 premultiplied RGBA plane; front over back.
"""

from __future__ import annotations

import numpy as np

from pvserver.rendering.pixels import BACKGROUND_BITS, BACKGROUND_DEPTH, buffer


class DepthMode:
    """Z-buffer: planes are RGBA packed in uint32 and float32 depth; nearest fragment wins."""

    background = (0, BACKGROUND_DEPTH)

    @staticmethod
    def covered(block: np.ndarray, axis: int) -> np.ndarray:
        return block.min(axis=axis) < BACKGROUND_BITS

    @staticmethod
    def key(planes: list[np.ndarray]) -> np.ndarray:
        # non-negative floats order as their bit patterns, and integer minima are faster to take
        return planes[1].view(np.int32)

    def blend(self, dst: list[np.ndarray], src: list[np.ndarray], src_in_front: bool) -> None:
        # the front group holds the lower ranks, so it also wins ties: the result is deterministic
        mask = buffer("mask", src[1].shape, np.bool_)
        (np.less_equal if src_in_front else np.less)(src[1], dst[1], out=mask)
        np.copyto(dst[1], src[1], where=mask)
        np.copyto(dst[0], src[0], where=mask)

    def output(self, planes: list[np.ndarray], r0: int, r1: int) -> list[np.ndarray]:
        rgba, depth = planes[0][r0:r1], planes[1][r0:r1]
        # inputs may carry a clear colour in their background pixels: the result's is transparent black
        np.copyto(rgba, 0, where=depth >= BACKGROUND_DEPTH)
        return [rgba, depth]


class OverMode:
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
        scaled = buffer("out8", rows.shape, np.float32)
        np.multiply(rows, 255.0, out=scaled)
        np.clip(scaled, 0.0, 255.0, out=scaled)
        np.rint(scaled, out=scaled)
        return [scaled.astype(np.uint8)]
