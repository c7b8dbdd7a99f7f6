"""The frustum behind a rectangle of a render view's pixels, as ParaView computes it for SelectPointsThrough and
SelectCellsThrough: the rectangle's four corners taken to the near and to the far clipping plane of the view's
camera. Only the camera and the view size are needed, no rendering.

ParaView (vtkSMRenderViewProxy) takes display points (x, y, 0) and (x, y, 1) to world coordinates through VTK's
renderer, whose clipping range covers the bounds of what it shows; here the near and far planes are put just in
front of and just behind the given bounds, which selects the same elements.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def frustum_corners(
    position: Sequence[float],
    focal_point: Sequence[float],
    view_up: Sequence[float],
    view_angle: float,
    view_size: Sequence[int],
    rectangle: Sequence[float],
    bounds: Sequence[float],
    parallel_scale: float | None = None,
) -> list[float]:
    """The 8 corners (x, y, z, 1) of the frustum through the pixel ``rectangle`` (x0, y0, x1, y1; the origin is
    the view's lower left corner), in ParaView's order: (x0, y0), (x0, y1), (x1, y0), (x1, y1), each at the near
    then the far plane. ``parallel_scale`` (half the view's height in world units) for a parallel projection."""
    eye, focal = np.asarray(position, float), np.asarray(focal_point, float)
    direction = focal - eye
    if not np.linalg.norm(direction):
        raise ValueError("the camera's position and focal point are the same point.")
    direction /= np.linalg.norm(direction)
    right = np.cross(direction, np.asarray(view_up, float))
    if not np.linalg.norm(right):
        raise ValueError("the camera's view up is parallel to its direction of view.")
    right /= np.linalg.norm(right)
    up = np.cross(right, direction)
    near, far = _clipping_range(eye, direction, bounds)
    width, height = float(view_size[0]), float(view_size[1])
    x0, y0, x1, y1 = (float(v) for v in rectangle)
    x1 += 1.0 if x0 == x1 else 0.0  # a click selects through one pixel, as ParaView's
    y1 += 1.0 if y0 == y1 else 0.0
    corners: list[float] = []
    for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
        u, v = 2.0 * x / width - 1.0, 2.0 * y / height - 1.0  # normalized device coordinates
        for depth in (near, far):
            half_height = parallel_scale if parallel_scale is not None else depth * np.tan(np.radians(view_angle) / 2)
            point = eye + direction * depth + right * (u * half_height * width / height) + up * (v * half_height)
            corners.extend((*point.tolist(), 1.0))
    return corners


#: The corners of each face of a frustum, by their index in frustum_corners' order.
_FACES = ((0, 1, 2), (4, 6, 5), (0, 4, 1), (2, 3, 6), (0, 2, 4), (1, 5, 3))


def box_meets_frustum(corners: Sequence[float], bounds: Sequence[float]) -> bool:
    """False if the box ``bounds`` lies wholly outside one face of the frustum (ParaView's bounds test that picks
    the representation a frustum selects in); True otherwise."""
    points = np.asarray(corners, float).reshape(8, 4)[:, :3]
    centre = points.mean(axis=0)
    box = np.array([[bounds[i], bounds[2 + j], bounds[4 + k]] for i in (0, 1) for j in (0, 1) for k in (0, 1)])
    for a, b, c in _FACES:
        normal = np.cross(points[b] - points[a], points[c] - points[a])
        if (centre - points[a]) @ normal < 0:
            normal = -normal  # inwards
        if np.all((box - points[a]) @ normal < 0):
            return False
    return True


def _clipping_range(eye: np.ndarray, direction: np.ndarray, bounds: Sequence[float]) -> tuple[float, float]:
    """Near and far distances that bracket the bounds, as VTK's ResetCameraClippingRange (with a margin)."""
    box = np.array([[bounds[i], bounds[2 + j], bounds[4 + k]] for i in (0, 1) for j in (0, 1) for k in (0, 1)])
    depths = (box - eye) @ direction
    span = max(float(np.ptp(depths)), 1e-6)
    far = max(float(depths.max()) + 0.01 * span, 1e-6)  # all behind the camera: a frustum that holds nothing
    near = max(float(depths.min()) - 0.01 * span, far * 1e-3)
    return near, far


__all__ = ["box_meets_frustum", "frustum_corners"]
