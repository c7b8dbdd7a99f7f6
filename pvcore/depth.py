"""A view's composited depth buffer as it crosses the wire, the answer to a pick, and display-to-world points.

A render request of format ``"depth"`` answers with an Image whose data is, in this order (little endian):
the camera the frame was drawn with, 14 float64 (position, focal point, view-up, view angle, parallel
projection 0/1, parallel scale, near and far clipping distances), then ``width * height`` float32 window depths
(0: the near plane, 1: nothing drawn), the bottom row first, as OpenGL reads them and as VTK's display
coordinates count (origin at the bottom left).

Pure numpy: the transforms are vtkCamera's (perspective from the vertical view angle, or parallel from the
parallel scale) and vtkRenderer's display-to-world conversion, so that a point is where VTK puts it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: The render format whose answer is the depth buffer (see the module's docstring).
DEPTH_FORMAT = "depth"
#: The render format whose answer is the surface point under the request's ``pick`` position: 7 float64 (1 if a
#: surface is drawn there else 0, the point, its normal); see pvserver.rendering.picking.
PICK_FORMAT = "pick"
#: Window depth at and beyond which nothing was drawn.
BACKGROUND_DEPTH = 1.0
_HEADER = np.dtype("<f8")
_HEADER_VALUES = 14
_DEPTH = np.dtype("<f4")


@dataclass
class DepthFrame:
    """One frame's depth buffer (``depth[y, x]``, row 0 at the bottom) and the camera it was drawn with."""

    position: np.ndarray
    focal_point: np.ndarray
    view_up: np.ndarray
    view_angle: float
    parallel: bool
    parallel_scale: float
    clipping_range: tuple[float, float]
    depth: np.ndarray

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.depth.shape[1]), int(self.depth.shape[0])

    def view_plane_normal(self) -> np.ndarray:
        """vtkCamera's view plane normal: the unit vector from the focal point towards the camera."""
        normal = self.position - self.focal_point
        return normal / (np.linalg.norm(normal) or 1.0)

    def composite_matrix(self) -> np.ndarray:
        """World to normalized device coordinates (x, y, z in -1..1), as vtkCamera's composite projection."""
        backward = self.view_plane_normal()
        right = np.cross(self.view_up, backward)
        right = right / (np.linalg.norm(right) or 1.0)
        up = np.cross(backward, right)
        view = np.eye(4)
        view[0, :3], view[1, :3], view[2, :3] = right, up, backward
        view[:3, 3] = -view[:3, :3] @ self.position
        width, height = self.size
        aspect = width / max(height, 1)
        near, far = self.clipping_range
        projection = np.zeros((4, 4))
        if self.parallel:
            top = self.parallel_scale
            projection[0, 0] = 1.0 / (top * aspect)
            projection[1, 1] = 1.0 / top
            projection[2, 2] = -2.0 / (far - near)
            projection[2, 3] = -(far + near) / (far - near)
            projection[3, 3] = 1.0
        else:
            top = math.tan(math.radians(self.view_angle) / 2.0)
            projection[0, 0] = 1.0 / (top * aspect)
            projection[1, 1] = 1.0 / top
            projection[2, 2] = -(far + near) / (far - near)
            projection[2, 3] = -2.0 * far * near / (far - near)
            projection[3, 2] = -1.0
        return projection @ view

    def display_to_world(self, x: float, y: float, depth: float) -> np.ndarray:
        """The world point at display position (x, y) (pixels from the bottom left) and window depth ``depth``."""
        width, height = self.size
        device = np.array([2.0 * x / width - 1.0, 2.0 * y / height - 1.0, 2.0 * depth - 1.0, 1.0])
        world = np.linalg.solve(self.composite_matrix(), device)
        return world[:3] / world[3]

    def depth_at(self, x: int, y: int) -> float | None:
        """The window depth of pixel (x, y), or None where nothing was drawn or the pixel is outside the frame."""
        width, height = self.size
        if not (0 <= x < width and 0 <= y < height):
            return None
        value = float(self.depth[y, x])
        return None if value >= BACKGROUND_DEPTH else value

    def focal_plane_depth(self) -> float:
        """The window depth of the focal point (where a position with nothing drawn is placed, as ParaView does)."""
        device = self.composite_matrix() @ np.append(self.focal_point, 1.0)
        return float((device[2] / device[3] + 1.0) / 2.0)


def encode_depth_frame(frame: DepthFrame) -> bytes:
    """The bytes of a ``"depth"`` render answer (see the module's docstring)."""
    header = np.array(
        [
            *frame.position,
            *frame.focal_point,
            *frame.view_up,
            frame.view_angle,
            float(frame.parallel),
            frame.parallel_scale,
            *frame.clipping_range,
        ],
        dtype=_HEADER,
    )
    return header.tobytes() + np.ascontiguousarray(frame.depth, dtype=_DEPTH).tobytes()


def encode_pick(found: bool, point: Sequence[float], normal: Sequence[float]) -> bytes:
    """The bytes of a ``"pick"`` render answer."""
    return np.array([float(found), *point, *normal], dtype=_HEADER).tobytes()


def decode_pick(data: bytes) -> tuple[bool, list[float], list[float]]:
    """(whether a surface is drawn there, point, normal) from the bytes of a ``"pick"`` render answer; ValueError
    when they are not such an answer."""
    if len(data) != 7 * _HEADER.itemsize:
        raise ValueError(f"A pick answer has {7 * _HEADER.itemsize} bytes; got {len(data)}.")
    values = np.frombuffer(data, _HEADER).tolist()
    return bool(values[0]), values[1:4], values[4:7]


def decode_depth_frame(data: bytes, width: int, height: int) -> DepthFrame:
    """A DepthFrame from the bytes of a ``"depth"`` render answer of ``width`` x ``height`` pixels; ValueError
    when their length is not that of such an answer."""
    header_bytes = _HEADER_VALUES * _HEADER.itemsize
    expected = header_bytes + width * height * _DEPTH.itemsize
    if len(data) != expected:
        raise ValueError(f"A {width}x{height} depth frame has {expected} bytes; got {len(data)}.")
    values = np.frombuffer(data, _HEADER, _HEADER_VALUES)
    depth = np.frombuffer(data, _DEPTH, width * height, header_bytes).reshape(height, width)
    return DepthFrame(
        values[0:3].copy(),
        values[3:6].copy(),
        values[6:9].copy(),
        float(values[9]),
        bool(values[10]),
        float(values[11]),
        (float(values[12]), float(values[13])),
        depth.copy(),
    )
