"""How a representation looks: its colour map as a VTK lookup table, its actor's properties from its state (a
text representation is drawn by the overlay, rendering/text.py; a volume by rendering/volumes.py), where its actor
is placed (Position, Scale, Orientation, UserTransform) and the box that placement gives, and a structured grid's
outline (its own edges), all as ParaView's vtkGeometryRepresentation.

Used by the views (every rank) and by the annotations (rank 0's scalar bars).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkCommonExecutionModel import vtkTrivialProducer
from vtkmodules.vtkCommonTransforms import vtkTransform
from vtkmodules.vtkFiltersCore import vtkStructuredGridOutlineFilter
from vtkmodules.vtkRenderingCore import vtkActor

from pvcore.messages import ProxyState
from pvserver.rendering.text import is_text, remember_mapper
from pvserver.rendering.volumes import hide_volume, is_volume, remember_lookup_table, show_volume

IDENTITY = (1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0)
#: Representations ParaView draws unlit (ambient 1, diffuse 0: in their AmbientColor) unless drawn as spheres or
#: tubes; surfaces are lit.
UNLIT_KINDS = ("Points", "Wireframe", "Outline", "Feature Edges")
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
    # a vector array is coloured by its magnitude or by one component, as the colour map says
    if _value(state, "VectorMode", "Magnitude") == "Component":
        lut.SetVectorModeToComponent()
    else:
        lut.SetVectorModeToMagnitude()
    lut.SetVectorComponent(int(_value(state, "VectorComponent", 0)))
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


def structured_outline(data: Any, whole_extent: Sequence[int] | None) -> Any:
    """The outline ParaView draws of a structured grid: its 12 (curved) edges, as polylines, where this rank's
    piece lies on the boundary of ``whole_extent`` (all ranks' pieces together); None for any other data, whose
    outline is the box of its bounds."""
    if data is None or not data.IsA("vtkStructuredGrid"):
        return None
    producer = vtkTrivialProducer()
    producer.SetOutput(data)
    if whole_extent is not None and len(whole_extent) == 6:
        producer.SetWholeExtent(*(int(v) for v in whole_extent))
    outline = vtkStructuredGridOutlineFilter()
    outline.SetInputConnection(producer.GetOutputPort())
    outline.Update()
    edges = vtkPolyData()
    edges.ShallowCopy(outline.GetOutput())
    return edges


def show_outline_edges(outline_actor: Any, box_source: Any, edges: Any) -> None:
    """Show ``edges`` (a structured grid's outline, :func:`structured_outline`) with a representation's outline
    actor; with none, connect the actor back to its box source (``box_source``) and hide it until the box of all
    ranks' data is known."""
    mapper = outline_actor.GetMapper()
    if edges is not None:
        mapper.SetInputData(edges)
    elif mapper.GetInputAlgorithm() is not box_source:
        mapper.SetInputConnection(box_source.GetOutputPort())
    outline_actor.SetVisibility(edges is not None)


def place(actor: Any, rep: ProxyState) -> None:
    """Place ``actor`` as the representation says: Position, Scale, Orientation and Origin, then UserTransform
    (16 numbers, row by row, as vtkTransform::SetMatrix reads them), as ParaView's vtkGeometryRepresentation."""
    props = rep.properties
    actor.SetPosition(*props.get("Position", (0.0, 0.0, 0.0)))
    actor.SetScale(*props.get("Scale", (1.0, 1.0, 1.0)))
    actor.SetOrientation(*props.get("Orientation", (0.0, 0.0, 0.0)))
    actor.SetOrigin(*props.get("Origin", (0.0, 0.0, 0.0)))
    matrix = tuple(float(v) for v in props.get("UserTransform", IDENTITY))
    if len(matrix) != 16 or matrix == IDENTITY:
        actor.SetUserTransform(None)
        return
    transform = vtkTransform()
    transform.SetMatrix(matrix)
    actor.SetUserTransform(transform)


def placed_bounds(rep: ProxyState, bounds: Sequence[float]) -> list[float]:
    """The box that holds ``bounds`` once placed as the representation says (see :func:`place`): what ParaView
    gives its view for resetting the camera and for the view's axes grid."""
    props = rep.properties
    if any(bounds[2 * axis] > bounds[2 * axis + 1] for axis in range(3)):  # VTK's empty box stays empty
        return list(bounds)
    if all(
        tuple(float(v) for v in props.get(name, default)) == default
        for name, default in (("Position", (0.0,) * 3), ("Scale", (1.0,) * 3), ("Orientation", (0.0,) * 3),
                              ("UserTransform", IDENTITY))
    ):  # fmt: skip
        return list(bounds)
    actor = vtkActor()
    place(actor, rep)
    matrix = actor.GetMatrix()
    corners = [
        matrix.MultiplyPoint((bounds[i], bounds[2 + j], bounds[4 + k], 1.0))
        for i in (0, 1) for j in (0, 1) for k in (0, 1)
    ]  # fmt: skip
    points = [[c[axis] / c[3] for c in corners] for axis in range(3)]
    return [v for axis in points for v in (min(axis), max(axis))]


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
    ambient, diffuse = _value(rep, "Ambient", 0.0), _value(rep, "Diffuse", 1.0)
    if kind in UNLIT_KINDS and not (
        (kind == "Points" and _value(rep, "RenderPointsAsSpheres", 0))
        or (kind != "Points" and _value(rep, "RenderLinesAsTubes", 0))
    ):
        ambient, diffuse = 1.0, 0.0  # as vtkGeometryRepresentation: flat points and lines take AmbientColor
    prop.SetAmbient(ambient)
    prop.SetDiffuse(diffuse)
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
        place(target, rep)
    outline = outline_actor.GetProperty()
    outline.SetColor(*props["DiffuseColor"])
    outline.SetAmbientColor(*props["AmbientColor"])
    outline.SetAmbient(1.0)  # an outline's lines are unlit, in its AmbientColor, as ParaView draws them
    outline.SetDiffuse(0.0)
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
