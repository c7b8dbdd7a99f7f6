"""Axes grids: a labelled box of axes around a view's visible data (the view's AxesGrid) or around one
representation's data (its DataAxesGrid), drawn by rank 0 with the bounds of all ranks' data.

They are actors of rank 0's renderer, so that geometry in front of them hides them and the compositing merges them
by depth like any geometry of rank 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pvcore.messages import ProxyState

#: The helper property of a view and of a representation, and the property of that helper that shows it.
AXES_GRID = ("AxesGrid", "Visibility")
DATA_AXES_GRID = ("DataAxesGrid", "GridAxesVisibility")


def grid_state(states: Mapping[int, ProxyState], owner: ProxyState, which: tuple[str, str]) -> ProxyState | None:
    """The axes grid helper of ``owner`` (``which``: AXES_GRID or DATA_AXES_GRID) if it is to be drawn."""
    refs = owner.properties.get(which[0], ())
    grid = states.get(int(refs[0])) if refs else None
    if grid is None or not grid.properties.get(which[1], (0,))[0]:
        return None
    return grid


def _configure(actor: Any, grid: ProxyState, bounds: list[float]) -> None:
    props = grid.properties
    if props.get("UseCustomBounds", (0,))[0]:
        bounds = list(props["CustomBounds"])
    scale = props.get("DataScale", (1.0, 1.0, 1.0))
    actor.SetBounds(*(b * scale[i // 2] for i, b in enumerate(bounds)))
    grid_color = props.get("GridColor", (1.0, 1.0, 1.0))
    show_grid = bool(props.get("ShowGrid", (0,))[0])
    actor.SetFlyModeToStaticEdges()
    for i, axis in enumerate("XYZ"):
        getattr(actor, f"Set{axis}Title")(props.get(f"{axis}Title", (f"{axis} Axis",))[0])
        actor.GetTitleTextProperty(i).SetColor(*props.get(f"{axis}TitleColor", (1.0, 1.0, 1.0)))
        actor.GetTitleTextProperty(i).SetFontSize(int(props.get(f"{axis}TitleFontSize", (12,))[0]))
        actor.GetLabelTextProperty(i).SetColor(*props.get(f"{axis}LabelColor", (1.0, 1.0, 1.0)))
        actor.GetLabelTextProperty(i).SetFontSize(int(props.get(f"{axis}LabelFontSize", (12,))[0]))
        getattr(actor, f"SetDraw{axis}Gridlines")(show_grid)
        getattr(actor, f"Get{axis}AxesLinesProperty")().SetColor(*grid_color)
        getattr(actor, f"Get{axis}AxesGridlinesProperty")().SetColor(*grid_color)
        getattr(actor, f"Set{axis}AxisTickVisibility")(bool(props.get("ShowTicks", (1,))[0]))
    actor.SetGridLineLocation(actor.VTK_GRID_LINES_FURTHEST)


class AxesGrids:
    """The axes grid actors of one view on rank 0, one per owner (the view, or a representation)."""

    def __init__(self, renderer: Any) -> None:
        self.renderer = renderer
        self.actors: dict[int, Any] = {}

    def show(self, wanted: dict[int, tuple[ProxyState, list[float]]]) -> None:
        """Draw exactly the grids of ``wanted`` (owner id -> (grid helper state, bounds of all ranks' data))."""
        import vtkmodules.vtkRenderingFreeType  # noqa: F401 - the axes' titles and labels
        from vtkmodules.vtkRenderingAnnotation import vtkCubeAxesActor

        for owner in set(self.actors) - set(wanted):
            self.renderer.RemoveActor(self.actors.pop(owner))
        for owner, (grid, bounds) in wanted.items():
            actor = self.actors.get(owner)
            if actor is None:
                actor = self.actors[owner] = vtkCubeAxesActor()
                self.renderer.AddActor(actor)
            actor.SetCamera(self.renderer.GetActiveCamera())
            _configure(actor, grid, bounds)
