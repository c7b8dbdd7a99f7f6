"""How a representation looks: its colour map as a VTK lookup table, and its actor's properties from its state
(a text representation is drawn by the overlay, rendering/text.py; a volume by rendering/volumes.py).

Used by the views (every rank) and by the annotations (rank 0's scalar bars).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pvcore.messages import ProxyState
from pvserver.rendering.text import is_text, remember_mapper
from pvserver.rendering.volumes import hide_volume, is_volume, remember_lookup_table, show_volume

INTERPOLATIONS = {"Flat": 0, "Gouraud": 1, "PBR": 1}  # PBR needs textures and lights this renderer lacks: Gouraud


def _value(state: ProxyState, name: str, default: Any) -> Any:
    values = state.properties.get(name, (default,))
    return values[0] if values else default


def opacity_function(lut: ProxyState, states: Mapping[int, ProxyState]) -> ProxyState | None:
    """The opacity map of a colour map when its opacity mapping is on, else None."""
    if not _value(lut, "EnableOpacityMapping", 0):
        return None
    refs = lut.properties.get("ScalarOpacityFunction", ())
    return states.get(int(refs[0])) if refs else None


def build_lookup_table(state: ProxyState, states: Mapping[int, ProxyState] | None = None) -> Any:
    """A vtkDiscretizableColorTransferFunction from a PVLookupTable state (``states``: to find its opacity map)."""
    from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction
    from vtkmodules.vtkRenderingCore import vtkDiscretizableColorTransferFunction

    lut = vtkDiscretizableColorTransferFunction()
    space = _value(state, "ColorSpace", "Diverging")
    spaces = {"Lab/CIEDE2000": "CIEDE2000", "Step": "Step"}
    getattr(lut, f"SetColorSpaceTo{spaces.get(space, space)}")()
    lut.SetHSVWrap(bool(_value(state, "HSVWrap", 0)))
    points = state.properties.get("RGBPoints", ())
    for i in range(0, len(points) - 3, 4):
        lut.AddRGBPoint(*points[i : i + 4])
    lut.SetNanColor(*state.properties.get("NanColor", (1.0, 1.0, 0.0)))
    lut.SetNanOpacity(_value(state, "NanOpacity", 1.0))
    lut.SetUseBelowRangeColor(bool(_value(state, "UseBelowRangeColor", 0)))
    lut.SetBelowRangeColor(*state.properties.get("BelowRangeColor", (0.0, 0.0, 0.0)))
    lut.SetUseAboveRangeColor(bool(_value(state, "UseAboveRangeColor", 0)))
    lut.SetAboveRangeColor(*state.properties.get("AboveRangeColor", (0.5, 0.5, 0.5)))
    lut.SetDiscretize(bool(_value(state, "Discretize", 1)))
    lut.SetNumberOfValues(int(_value(state, "NumberOfTableValues", 256)))
    lut.SetUseLogScale(bool(_value(state, "UseLogScale", 0)))
    opacity = opacity_function(state, states or {})
    if opacity is not None:
        function = vtkPiecewiseFunction()
        values = opacity.properties.get("Points", ())
        for i in range(0, len(values) - 3, 4):
            function.AddPoint(*values[i : i + 4])
        lut.SetScalarOpacityFunction(function)
        lut.EnableOpacityMappingOn()
    lut.Build()
    remember_lookup_table(lut, state, states or {})
    return lut


def is_translucent(rep: ProxyState, lut: ProxyState | None, states: Mapping[int, ProxyState]) -> bool:
    """Whether a representation draws translucent pixels: its Opacity, or an opacity map of its colour map (a text
    draws nothing in the scene: the overlay blends it)."""
    if is_text(rep):
        return False
    if is_volume(rep) or _value(rep, "Opacity", 1.0) < 1.0:  # volumes are blended across ranks as translucent
        return True
    colored = len(rep.properties.get("ColorArrayName", ())) == 2 and rep.properties["ColorArrayName"][1]
    return bool(colored and lut is not None and opacity_function(lut, states) is not None)


def apply_style(actor: Any, mapper: Any, outline_actor: Any, rep: ProxyState, lut: Any) -> None:
    """Set a representation's actor, mapper and outline actor from its state (``lut``: its colour map, or None)."""
    if is_text(rep):  # its mapper draws nothing; rank 0's overlay reads the text from the mapper's input
        remember_mapper(rep, mapper)
        return
    if is_volume(rep) and show_volume(rep, actor, mapper, lut):
        return
    hide_volume(rep, actor, mapper)
    props = rep.properties
    prop = actor.GetProperty()
    kind = props.get("Representation", ("Surface",))[0]
    prop.SetRepresentation({"Points": 0, "Wireframe": 1}.get(kind, 2))
    prop.SetEdgeVisibility(kind == "Surface With Edges")
    prop.SetEdgeColor(*props["EdgeColor"])
    prop.SetColor(*props["DiffuseColor"])
    prop.SetAmbientColor(*props["AmbientColor"])
    prop.SetDiffuseColor(*props["DiffuseColor"])
    prop.SetAmbient(_value(rep, "Ambient", 0.0))
    prop.SetDiffuse(_value(rep, "Diffuse", 1.0))
    prop.SetSpecular(_value(rep, "Specular", 0.0))
    prop.SetSpecularColor(*props.get("SpecularColor", (1.0, 1.0, 1.0)))
    prop.SetSpecularPower(_value(rep, "SpecularPower", 100.0))
    prop.SetInterpolation(INTERPOLATIONS[_value(rep, "Interpolation", "Gouraud")])
    prop.SetOpacity(props["Opacity"][0])
    prop.SetPointSize(props["PointSize"][0])
    prop.SetLineWidth(props["LineWidth"][0])
    prop.SetRenderPointsAsSpheres(bool(_value(rep, "RenderPointsAsSpheres", 0)))
    prop.SetRenderLinesAsTubes(bool(_value(rep, "RenderLinesAsTubes", 0)))
    for target in (actor, outline_actor):
        target.SetPosition(*props.get("Position", (0.0, 0.0, 0.0)))
        target.SetScale(*props.get("Scale", (1.0, 1.0, 1.0)))
        target.SetOrientation(*props.get("Orientation", (0.0, 0.0, 0.0)))
        target.SetOrigin(*props.get("Origin", (0.0, 0.0, 0.0)))
    outline = outline_actor.GetProperty()
    outline.SetColor(*props["DiffuseColor"])
    outline.SetLineWidth(props["LineWidth"][0])
    assoc, name = props.get("ColorArrayName", ("POINTS", ""))
    if name and lut is not None:
        mapper.ScalarVisibilityOn()
        if assoc == "CELLS":
            mapper.SetScalarModeToUseCellFieldData()
        else:
            mapper.SetScalarModeToUsePointFieldData()
        mapper.SelectColorArray(name)
        mapper.SetLookupTable(lut)
        mapper.UseLookupTableScalarRangeOn()
        # MapScalars off: ParaView's default colour mode, which draws unsigned-char colour arrays as they are
        mapper.SetColorModeToMapScalars() if _value(rep, "MapScalars", 1) else mapper.SetColorModeToDefault()
        mapper.SetInterpolateScalarsBeforeMapping(bool(_value(rep, "InterpolateScalarsBeforeMapping", 1)))
    else:
        mapper.ScalarVisibilityOff()
