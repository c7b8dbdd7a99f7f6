"""Limits on what may be rendered, checked before anything is allocated (no VTK, no MPI here)."""

from __future__ import annotations

from pvcore.errors import RenderError
from pvserver.pipeline import catalogue


def check_view_size(width: int, height: int) -> None:
    """Refuse a view size that is zero, negative or absurd, with the allowed range in the message."""
    side = catalogue.MAX_VIEW_SIDE
    if not (1 <= width <= side and 1 <= height <= side):
        raise RenderError(f"View size {width} x {height} is not allowed: each side must be 1..{side} pixels.")
    if width * height > catalogue.MAX_VIEW_PIXELS:
        raise RenderError(
            f"View size {width} x {height} has {width * height} pixels; at most {catalogue.MAX_VIEW_PIXELS} "
            f"are allowed."
        )
