"""Axes grids: a labelled box of axes around a view's visible data (the view's AxesGrid) or around one
representation's data (its DataAxesGrid), drawn by rank 0 with the bounds of all ranks' data, as ParaView's
vtkPVGridAxes3DActor draws it: VTK's vtkGridAxesActor3D, its near faces culled, each axis labelled once.

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
#: The box of a render view that shows no data (ParaView's vtkPVRenderView): its axes grid is drawn around it.
NO_DATA_BOUNDS = [-1.0, 1.0, -1.0, 1.0, -1.0, 1.0]


def grid_state(states: Mapping[int, ProxyState], owner: ProxyState, which: tuple[str, str]) -> ProxyState | None:
    """The axes grid helper of ``owner`` (``which``: AXES_GRID or DATA_AXES_GRID) if it is to be drawn."""
    refs = owner.properties.get(which[0], ())
    grid = states.get(int(refs[0])) if refs else None
    if grid is None or not grid.properties.get(which[1], (0,))[0]:
        return None
    return grid


#: ParaView's number notations of an axis' labels, as vtkGridAxesActor3D numbers them.
NOTATIONS = {"Mixed": 0, "Scientific": 1, "Fixed": 2}


def _value(props: Mapping[str, tuple], name: str, default: Any) -> Any:
    values = props.get(name, (default,))
    return values[0] if values else default


def _style_text(text: Any, props: Mapping[str, tuple], prefix: str) -> None:
    """Set one title's or labels' text property from the font properties named ``prefix`` (``XTitleColor``,
    ``XTitleFontSize``, ...); a FontFile is not read here (it stays stored)."""
    text.SetColor(*props.get(f"{prefix}Color", (1.0, 1.0, 1.0)))
    text.SetOpacity(float(_value(props, f"{prefix}Opacity", 1.0)))
    text.SetFontSize(int(_value(props, f"{prefix}FontSize", 12)))
    text.SetBold(bool(_value(props, f"{prefix}Bold", 0)))
    text.SetItalic(bool(_value(props, f"{prefix}Italic", 0)))
    text.SetShadow(bool(_value(props, f"{prefix}Shadow", 0)))
    family = _value(props, f"{prefix}FontFamily", "Arial")
    if family in ("Arial", "Courier", "Times"):
        getattr(text, f"SetFontFamilyTo{family}")()


def grid_bounds(props: Mapping[str, tuple], bounds: list[float]) -> tuple[list[float], list[float], list[float]]:
    """The box the grid is drawn on, with the actor position and scale that place it, as ParaView's
    vtkPVGridAxes3DActor computes them: the data bounds (or CustomBounds) less DataPosition, divided by DataScale,
    and grown about their centre by DataBoundsScaleFactor (so that the grid does not fight the data's faces)."""
    if _value(props, "UseCustomBounds", 0):
        bounds = list(props["CustomBounds"])
    position = [float(v) for v in props.get("DataPosition", (0.0, 0.0, 0.0))]
    scale = [float(v) for v in props.get("DataScale", (1.0, 1.0, 1.0))]
    factor = float(_value(props, "DataBoundsScaleFactor", 1.0008))
    box = []
    for axis in range(3):
        low, high = ((bounds[2 * axis + k] - position[axis]) / (scale[axis] or 1.0) for k in (0, 1))
        centre = (low + high) / 2
        box += [centre - (centre - low) * factor, centre + (high - centre) * factor]
    return box, position, scale


def _configure(actor: Any, grid: ProxyState, bounds: list[float]) -> None:
    props = grid.properties
    box, position, scale = grid_bounds(props, bounds)
    actor.SetGridBounds(*box)
    actor.SetPosition(*position)
    actor.SetScale(*scale)
    actor.SetFaceMask(int(_value(props, "FacesToRender", 63)))
    actor.SetLabelMask(int(_value(props, "AxesToLabel", 63)))
    actor.SetLabelUniqueEdgesOnly(bool(_value(props, "LabelUniqueEdgesOnly", 1)))
    actor.SetGenerateGrid(bool(_value(props, "ShowGrid", 0)))
    actor.SetGenerateEdges(bool(_value(props, "ShowEdges", 1)))
    actor.SetGenerateTicks(bool(_value(props, "ShowTicks", 1)))
    prop = actor.GetProperty()
    prop.SetColor(*props.get("GridColor", (1.0, 1.0, 1.0)))
    prop.SetBackfaceCulling(bool(_value(props, "CullBackface", 0)))
    prop.SetFrontfaceCulling(bool(_value(props, "CullFrontface", 1)))
    for i, axis in enumerate("XYZ"):
        actor.SetTitle(i, str(_value(props, f"{axis}Title", f"{axis} Axis")))
        _style_text(actor.GetTitleTextProperty(i), props, f"{axis}Title")
        _style_text(actor.GetLabelTextProperty(i), props, f"{axis}Label")
        actor.SetNotation(i, NOTATIONS.get(_value(props, f"{axis}AxisNotation", "Mixed"), 0))
        actor.SetPrecision(i, int(_value(props, f"{axis}AxisPrecision", 2)))
        custom = bool(_value(props, f"{axis}AxisUseCustomLabels", 0))
        actor.SetUseCustomLabels(i, custom)
        if custom:
            labels = props.get(f"{axis}AxisLabels", ())
            actor.SetNumberOfLabels(i, len(labels))
            for index, label in enumerate(labels):
                actor.SetLabel(i, index, float(label))


class AxesGrids:
    """The axes grid actors of one view on rank 0, one per owner (the view, or a representation)."""

    def __init__(self, renderer: Any) -> None:
        self.renderer = renderer
        self.actors: dict[int, Any] = {}

    def show(self, wanted: dict[int, tuple[ProxyState, list[float]]]) -> None:
        """Draw exactly the grids of ``wanted`` (owner id -> (grid helper state, bounds of all ranks' data))."""
        import vtkmodules.vtkRenderingFreeType  # noqa: F401 - the axes' titles and labels
        from vtkmodules.vtkRenderingCore import vtkProperty
        from vtkmodules.vtkRenderingGridAxes import vtkGridAxesActor3D

        for owner in set(self.actors) - set(wanted):
            self.renderer.RemoveActor(self.actors.pop(owner))
        for owner, (grid, bounds) in wanted.items():
            actor = self.actors.get(owner)
            if actor is None:
                actor = self.actors[owner] = vtkGridAxesActor3D()
                actor.SetProperty(vtkProperty())  # one property for its six faces: culling and colour apply to all
                self.renderer.AddActor(actor)
            _configure(actor, grid, bounds)
