"""The surface point under a display position estimated from a depth buffer alone (pvcore.depth's frames).

Used where no ray cast finds the surface drawn there (lines, points: what has no area to hit), and where nothing
is drawn (ParaView's answer: the point on the focal plane). Pure numpy.
"""

from __future__ import annotations

import numpy as np

from pvcore.depth import DepthFrame


def point_on_surface(frame: DepthFrame, x: int, y: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """The world point and normal at display position (``x``, ``y``) of ``frame``, and whether a surface is there.

    A pixel's depth is that of its centre, half a pixel away from the position asked: the point is where the ray
    through the position meets the surface through the centres of that pixel and its drawn neighbours (exact on a
    flat facet), or that pixel's point where too few neighbours are drawn. Where nothing was drawn, as ParaView:
    the point at that position on the plane of the focal point, facing the camera, with the view plane normal,
    and False.
    """
    depth = frame.depth_at(x, y)
    if depth is None:
        return frame.display_to_world(x, y, frame.focal_plane_depth()), frame.view_plane_normal(), False
    centre = _centre_point(frame, x, y)
    normal = _surface_normal(frame, x, y, centre)
    near, far = frame.display_to_world(x, y, 0.0), frame.display_to_world(x, y, 1.0)
    along = far - near
    facing = float(np.dot(normal, along))
    if normal is _FLAT or abs(facing) < 1e-12 * float(np.linalg.norm(along)):
        return frame.display_to_world(x, y, depth), frame.view_plane_normal(), True
    return near + along * (float(np.dot(normal, centre - near)) / facing), normal, True


#: The normal given when the drawn neighbours do not make a surface (the view plane normal is used).
_FLAT = np.zeros(3)


def _centre_point(frame: DepthFrame, x: int, y: int) -> np.ndarray | None:
    """The world point of the centre of pixel (x, y), or None where nothing is drawn there."""
    depth = frame.depth_at(x, y)
    return None if depth is None else frame.display_to_world(x + 0.5, y + 0.5, depth)


def _surface_normal(frame: DepthFrame, x: int, y: int, centre: np.ndarray) -> np.ndarray:
    """The normal of the surface through the centres of pixel (x, y) and two drawn neighbours (one beside it, one
    above or below), facing the camera: of the four such corners, the one whose diagonal neighbour lies nearest
    its plane (the pixels of one facet, where the pixel is near an edge); ``_FLAT`` where none is drawn."""
    best: tuple[float, np.ndarray] | None = None
    for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
        beside, above, diagonal = (_centre_point(frame, x + a, y + b) for a, b in ((dx, 0), (0, dy), (dx, dy)))
        if beside is None or above is None:
            continue
        normal = np.cross(beside - centre, above - centre) * (dx * dy)
        length = float(np.linalg.norm(normal))
        if length == 0.0:
            continue
        normal = normal / length
        spacing = float(np.linalg.norm(beside - centre))
        residual = abs(float(np.dot(diagonal - centre, normal))) / spacing if diagonal is not None else 1.0
        if best is None or residual < best[0]:
            best = (residual, normal)
    if best is None:
        return _FLAT
    normal = best[1]
    return -normal if np.dot(normal, frame.view_plane_normal()) < 0.0 else normal
