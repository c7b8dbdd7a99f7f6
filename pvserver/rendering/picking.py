"""Picking in a render view: the answers to renders of format ``"depth"`` and ``"pick"`` (pvcore.depth).

Every rank draws its piece opaque and reads its depth buffer; the buffers are merged by depth (the nearest
fragment wins, as in image compositing). A ``"depth"`` answer is that buffer with the camera, for the client to
read. For a ``"pick"``, every rank also casts the ray through the display position (from the near to the far
plane, as vtkRenderer's DisplayToWorld gives them) into the surfaces it draws, as ParaView's
vtkPVRayCastPickingHelper intersects the cell it picked; rank 0 takes the nearest hit of all ranks, unless the
depth buffer shows something nearer that has no area to hit (lines, points), whose point it estimates from the
depth (pvcore.depth_points). Where nothing is drawn: ParaView's point on the focal plane, and "not found".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pvcore.depth import DEPTH_FORMAT, DepthFrame, encode_depth_frame, encode_pick
from pvcore.depth_points import point_on_surface
from pvcore.errors import RenderError
from pvcore.messages import Image
from pvserver.rendering.compositing import composite_depth

#: A ray hit counts as the surface drawn at the pixel unless the depth buffer shows something nearer by more than
#: this fraction of the ray (near to far plane): the half pixel between a pixel's centre and its corner.
NEARER_TOLERANCE = 2e-3


def answer(comm: Any, fmt: str, renderer: Any, surfaces: list[Any], rgba: np.ndarray, depth: np.ndarray,
           position: tuple[int, int] | None) -> Image | None:  # fmt: skip
    """Collective: the ``"depth"`` or ``"pick"`` Image on rank 0 (None on the others) of a frame every rank drew
    (``rgba``, ``depth``: bottom row first) with ``renderer``; ``surfaces``: the (dataset, actor) it drew."""
    merged = composite_depth(comm, rgba, depth)
    hit, failure = None, ""
    if fmt != DEPTH_FORMAT:
        try:
            hit = _nearest_hit(renderer, surfaces, position)
        except Exception as exc:  # reported by rank 0, after every rank took part in the gather
            failure = f"{type(exc).__name__}: {exc}"
    reports = comm.gather((hit, failure), root=0) if comm.Get_size() > 1 else [(hit, failure)]
    if merged is None:
        return None
    frame = _frame(renderer.GetActiveCamera(), merged[1])
    width, height = frame.size
    if fmt == DEPTH_FORMAT:
        return Image(width, height, DEPTH_FORMAT, encode_depth_frame(frame))
    failures = [f"rank {rank}: {text}" for rank, (_, text) in enumerate(reports) if text]
    if failures:
        raise RenderError(f"Picking failed ({'; '.join(failures)}).")
    hits = [h for h, _ in reports if h is not None]
    found, point, normal = _decide(frame, position, min(hits, key=lambda h: h[0]) if hits else None)
    return Image(width, height, fmt, encode_pick(found, point, normal))


def _frame(camera: Any, depth: np.ndarray) -> DepthFrame:
    return DepthFrame(
        np.asarray(camera.GetPosition(), float),
        np.asarray(camera.GetFocalPoint(), float),
        np.asarray(camera.GetViewUp(), float),
        float(camera.GetViewAngle()),
        bool(camera.GetParallelProjection()),
        float(camera.GetParallelScale()),
        tuple(camera.GetClippingRange()),
        depth,
    )


def _decide(frame: DepthFrame, position: tuple[int, int], hit: tuple | None) -> tuple[bool, Any, Any]:
    """Rank 0's answer: the nearest ray hit, unless the depth buffer shows nothing there or something nearer."""
    x, y = position
    estimate, estimate_normal, drawn = point_on_surface(frame, x, y)
    if not drawn:
        return False, estimate, estimate_normal
    if hit is not None:
        near, far = frame.display_to_world(x, y, 0.0), frame.display_to_world(x, y, 1.0)
        along = far - near
        estimate_t = float(np.dot(estimate - near, along) / np.dot(along, along))
        if hit[0] <= estimate_t + NEARER_TOLERANCE:
            normal = np.asarray(hit[2], float)
            if np.dot(normal, frame.view_plane_normal()) < 0.0:  # a cell oriented away: turned, as ParaView does
                normal = -normal
            return True, hit[1], normal
    return True, estimate, estimate_normal


def _nearest_hit(renderer: Any, surfaces: list[tuple[Any, Any]], position: tuple[int, int]) -> tuple | None:
    """This rank's nearest intersection of the ray through ``position`` with the cells of ``surfaces`` (each
    dataset where its actor places it: Position, Scale, Orientation...): (parametric distance from the near plane,
    world point, world normal), or None."""
    from vtkmodules.vtkCommonCore import mutable
    from vtkmodules.vtkCommonDataModel import vtkCellLocator

    ends = []
    for z in (0.0, 1.0):
        renderer.SetDisplayPoint(float(position[0]), float(position[1]), z)
        renderer.DisplayToWorld()
        world = renderer.GetWorldPoint()
        ends.append([world[i] / world[3] for i in range(3)])
    best: tuple | None = None
    for data, actor in surfaces:
        if data is None or data.GetNumberOfCells() == 0:
            continue
        placed = _matrix(actor.GetMatrix())
        identity = np.array_equal(placed, np.eye(4))
        local = np.linalg.inv(placed) if not identity else placed
        a, b = ends if identity else [_apply(local, end) for end in ends]
        locator = vtkCellLocator()
        locator.SetDataSet(data)
        locator.BuildLocator()
        t, point, pcoords = mutable(0.0), [0.0] * 3, [0.0] * 3
        sub_id, cell_id = mutable(0), mutable(-1)
        if not locator.IntersectWithLine(a, b, 0.0, t, point, pcoords, sub_id, cell_id):
            continue
        if best is None or float(t) < best[0]:  # t is along the segment, alike in both frames (affine map)
            normal = _normal(data, int(cell_id), int(sub_id), pcoords)
            if not identity:  # normals map by the inverse transpose
                point = _apply(placed, point)
                normal = (local[:3, :3].T @ np.asarray(normal)).tolist()
                normal = (np.asarray(normal) / (np.linalg.norm(normal) or 1.0)).tolist()
            best = (float(t), list(point), normal)
    return best


def _matrix(vtk_matrix: Any) -> np.ndarray:
    return np.array([[vtk_matrix.GetElement(i, j) for j in range(4)] for i in range(4)])


def _apply(matrix: np.ndarray, point: Any) -> list[float]:
    moved = matrix @ np.append(np.asarray(point, float), 1.0)
    return (moved[:3] / moved[3]).tolist()


def _normal(data: Any, cell_id: int, sub_id: int, pcoords: list[float]) -> list[float]:
    """The surface normal at a point of a cell: the point normals interpolated where the data has them (as
    ParaView's picking helper), else the cell's own normal."""
    from vtkmodules.vtkCommonCore import mutable
    from vtkmodules.vtkCommonDataModel import VTK_TRIANGLE_STRIP, vtkPolygon, vtkTriangle

    cell = data.GetCell(cell_id)
    normals = data.GetPointData().GetNormals()
    if normals is not None:
        weights = [0.0] * cell.GetNumberOfPoints()
        cell.EvaluateLocation(mutable(sub_id), pcoords, [0.0] * 3, weights)
        value = np.zeros(3)
        for i, weight in enumerate(weights):
            value += weight * np.asarray(normals.GetTuple3(cell.GetPointId(i)))
        length = np.linalg.norm(value)
        if length > 0:
            return (value / length).tolist()
    normal = [0.0] * 3
    if cell.GetCellType() == VTK_TRIANGLE_STRIP:  # the normal of the strip's triangle that was hit
        order = (0, 1, 2) if sub_id % 2 == 0 else (1, 0, 2)
        corners = [data.GetPoint(cell.GetPointId(sub_id + k)) for k in order]
        vtkTriangle.ComputeNormal(*corners, normal)
    else:
        vtkPolygon.ComputeNormal(cell.GetPoints(), normal)
    return normal
