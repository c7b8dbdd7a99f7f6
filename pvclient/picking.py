"""Picking in a render view: the world point (and surface normal) under a display position.

The server renders the view at its ViewSize, composites the depth buffers of all ranks, and casts the ray
through the position into the geometry each rank draws (pvserver.rendering.picking): the point is where the ray
meets the nearest surface drawn there, as ParaView's ray-cast picking helper finds it.
"""

from __future__ import annotations

from collections.abc import MutableSequence, Sequence
from typing import Any

from pvclient.properties import NotSupportedException
from pvcore import messages
from pvcore.depth import PICK_FORMAT, decode_pick
from pvcore.errors import PVError


def pick(view: Any, x: int, y: int) -> tuple[bool, list[float], list[float]]:
    """(whether a surface is drawn at display position (x, y) of ``view``, the point, its normal), from the
    server; where nothing is drawn, the point on the focal plane and the view plane normal, as ParaView."""
    if not view.CameraInitialized:
        view.ResetCamera()
    width, height = (int(v) for v in view.ViewSize)
    request = messages.RenderRequest(view.GlobalID, width, height, PICK_FORMAT, pick=[int(x), int(y)])
    image = view.connection.request(request)
    return decode_pick(image.data)


def convert_display_to_point_on_surface(
    view: Any,
    display_position: Sequence[int],
    world_position: MutableSequence[float] | None = None,
    world_normal: MutableSequence[float] | None = None,
    snap_on_mesh_point: bool = False,
) -> bool:
    """ParaView's ``ConvertDisplayToPointOnSurface``: fill ``world_position`` and ``world_normal`` (lists of 3,
    changed in place) with the point and normal under ``display_position`` (pixels from the bottom left of the
    view); True when a surface is drawn there (see pick for what is given where none is)."""
    if snap_on_mesh_point:
        raise NotSupportedException(
            "ConvertDisplayToPointOnSurface(snapOnMeshPoint=True) needs ParaView's hardware selection of mesh "
            "points, which is not offered here; without it, the point is the one on the surface drawn there."
        )
    if len(display_position) != 2:
        raise PVError(f"ConvertDisplayToPointOnSurface takes a display position [x, y]; got {display_position!r}.")
    found, point, normal = pick(view, *(int(v) for v in display_position))
    for target, values in ((world_position, point), (world_normal, normal)):
        if target is not None:
            target[:3] = values
    return found
