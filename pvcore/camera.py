"""Camera arithmetic on view properties, shared by the server (reset) and the client (Azimuth, Zoom...).

Pure numpy: the same formulas as vtkCamera and vtkRenderer::ResetCamera, applied to the view's
CameraPosition / CameraFocalPoint / CameraViewUp / CameraViewAngle / CameraParallelScale properties.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Camera = dict[str, tuple]


def _vector(values: Sequence[float]) -> tuple[float, ...]:
    """Plain floats (not numpy's), so that a camera prints as ParaView's does."""
    return tuple(float(v) for v in values)


def reset_camera(camera: Camera, bounds: Sequence[float], aspect: float = 1.0) -> Camera:
    """Look at ``bounds`` from the current direction, at the distance that fits them in the view angle.

    ``aspect`` is the view's width / height: a tall view fits the bounds in its narrower horizontal angle.
    """
    b = np.asarray(bounds, dtype=float)
    center = (b[0::2] + b[1::2]) / 2
    radius = float(np.linalg.norm(b[1::2] - b[0::2]) / 2) or 0.5
    angle = math.radians(camera["CameraViewAngle"][0])
    direction = np.subtract(camera["CameraPosition"], camera["CameraFocalPoint"])
    direction = direction / (np.linalg.norm(direction) or 1.0)
    parallel_scale = radius
    if 0 < aspect < 1:
        angle = 2 * math.atan(math.tan(angle / 2) * aspect)
        parallel_scale = radius / aspect
    distance = radius / math.sin(angle / 2)
    up = np.asarray(camera["CameraViewUp"], dtype=float)
    if abs(float(np.dot(up, direction))) > 0.999:  # up parallel to the view direction: pick another
        up = np.array([0.0, 0.0, 1.0]) if abs(direction[2]) < 0.999 else np.array([0.0, 1.0, 0.0])
    return {
        "CameraFocalPoint": _vector(center),
        "CameraPosition": _vector(center + distance * direction),
        "CameraViewUp": _vector(up),
        "CameraParallelScale": (float(parallel_scale),),
    }


def _rotate(vector: np.ndarray, axis: np.ndarray, degrees: float) -> np.ndarray:
    axis = axis / (np.linalg.norm(axis) or 1.0)
    theta = math.radians(degrees)
    return (
        vector * math.cos(theta)
        + np.cross(axis, vector) * math.sin(theta)
        + axis * np.dot(axis, vector) * (1 - math.cos(theta))
    )


def azimuth(camera: Camera, degrees: float) -> Camera:
    """Rotate the position about the view-up vector centred at the focal point."""
    focal, pos, up = (np.asarray(camera[k], float) for k in ("CameraFocalPoint", "CameraPosition", "CameraViewUp"))
    return {"CameraPosition": _vector(focal + _rotate(pos - focal, up, degrees))}


def elevation(camera: Camera, degrees: float) -> Camera:
    """Rotate the position about the cross product of direction and view-up, centred at the focal point.

    As vtkCamera does, the view-up is left as it was: call ``orthogonalize_view_up`` (the camera's
    ``OrthogonalizeViewUp()``) before an elevation near 90 degrees.
    """
    focal, pos, up = (np.asarray(camera[k], float) for k in ("CameraFocalPoint", "CameraPosition", "CameraViewUp"))
    axis = np.cross(pos - focal, up)
    return {"CameraPosition": _vector(focal + _rotate(pos - focal, axis, degrees))}


def orthogonalize_view_up(camera: Camera) -> Camera:
    """Make view-up perpendicular to the direction of projection, keeping its plane (vtkCamera's)."""
    focal, pos, up = (np.asarray(camera[k], float) for k in ("CameraFocalPoint", "CameraPosition", "CameraViewUp"))
    direction = (focal - pos) / (np.linalg.norm(focal - pos) or 1.0)
    ortho = up - np.dot(up, direction) * direction
    norm = np.linalg.norm(ortho)
    return {"CameraViewUp": _vector(ortho / norm) if norm > 1e-12 else _vector(up)}


def roll(camera: Camera, degrees: float) -> Camera:
    """Rotate view-up about the direction of projection."""
    focal, pos, up = (np.asarray(camera[k], float) for k in ("CameraFocalPoint", "CameraPosition", "CameraViewUp"))
    return {"CameraViewUp": _vector(_rotate(up, focal - pos, degrees))}


def dolly(camera: Camera, factor: float) -> Camera:
    """Move the position towards (factor > 1) or away from the focal point."""
    if factor <= 0:
        raise ValueError(f"Dolly factor must be positive, not {factor}.")
    focal, pos = (np.asarray(camera[k], float) for k in ("CameraFocalPoint", "CameraPosition"))
    return {"CameraPosition": _vector(focal + (pos - focal) / factor)}


def zoom(camera: Camera, factor: float) -> Camera:
    """Narrow the view angle (perspective) or the parallel scale by ``factor``."""
    if factor <= 0:
        raise ValueError(f"Zoom factor must be positive, not {factor}.")
    if camera.get("CameraParallelProjection", (0,))[0]:
        return {"CameraParallelScale": (camera["CameraParallelScale"][0] / factor,)}
    return {"CameraViewAngle": (min(179.0, max(1.0, camera["CameraViewAngle"][0] / factor)),)}


def pan(camera: Camera, right: float, up: float) -> Camera:
    """Move the position and focal point together across the view: ``right`` and ``up`` are fractions of the
    view's height at the focal point (a drag of ``dx, dy`` pixels in a view ``h`` pixels high: ``-dx/h, dy/h``)."""
    focal, pos, view_up = (np.asarray(camera[k], float) for k in ("CameraFocalPoint", "CameraPosition", "CameraViewUp"))
    forward = focal - pos
    distance = float(np.linalg.norm(forward))
    if camera.get("CameraParallelProjection", (0,))[0]:
        height = 2.0 * camera["CameraParallelScale"][0]
    else:
        height = 2.0 * distance * math.tan(math.radians(camera["CameraViewAngle"][0]) / 2)
    side = np.cross(forward, view_up)
    side /= np.linalg.norm(side) or 1.0
    true_up = np.cross(side, forward)
    true_up /= np.linalg.norm(true_up) or 1.0
    shift = (side * right + true_up * up) * height
    return {"CameraPosition": _vector(pos + shift), "CameraFocalPoint": _vector(focal + shift)}
