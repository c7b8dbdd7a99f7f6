"""How a representation looks: its colour map as a VTK lookup table, and its actor's properties from its state.

Used by the views (every rank) and by the annotations (rank 0's scalar bars).
"""

from __future__ import annotations

from typing import Any

from pvcore.messages import ProxyState


def build_lookup_table(state: ProxyState) -> Any:
    """A vtkColorTransferFunction from a PVLookupTable state."""
    from vtkmodules.vtkRenderingCore import vtkColorTransferFunction

    lut = vtkColorTransferFunction()
    space = state.properties.get("ColorSpace", ("Diverging",))[0]
    getattr(lut, f"SetColorSpaceTo{space}")()
    points = state.properties.get("RGBPoints", ())
    for i in range(0, len(points) - 3, 4):
        lut.AddRGBPoint(*points[i : i + 4])
    lut.SetNanColor(*state.properties.get("NanColor", (1.0, 1.0, 0.0)))
    lut.Build()
    return lut


def apply_style(actor: Any, mapper: Any, outline_actor: Any, rep: ProxyState, lut: Any) -> None:
    """Set a representation's actor, mapper and outline actor from its state (``lut``: its colour map, or None)."""
    props = rep.properties
    prop = actor.GetProperty()
    kind = props.get("Representation", ("Surface",))[0]
    prop.SetRepresentation({"Points": 0, "Wireframe": 1}.get(kind, 2))
    prop.SetEdgeVisibility(kind == "Surface With Edges")
    prop.SetEdgeColor(*props["EdgeColor"])
    prop.SetColor(*props["DiffuseColor"])
    prop.SetAmbientColor(*props["AmbientColor"])
    prop.SetOpacity(props["Opacity"][0])
    prop.SetPointSize(props["PointSize"][0])
    prop.SetLineWidth(props["LineWidth"][0])
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
    else:
        mapper.ScalarVisibilityOff()
