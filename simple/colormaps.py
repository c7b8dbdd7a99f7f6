"""Colour maps, opacity maps, scalar bars and palettes: ParaView's lookup-table functions.

GetColorTransferFunction and ColorBy are in simple.rendering. A colour map's opacity map is its own
``ScalarOpacityFunction``; its scalar bar in a view is a proxy of its own (GetScalarBar).
"""

from __future__ import annotations

from typing import Any

from pvclient import backcompat
from pvclient.colormap_presets import PRESETS
from pvclient.colormaps import UnknownPresetError, preset
from pvclient.proxy import Proxy
from pvclient.views import scalar_bar
from pvcore.definitions.views import PALETTE_ALIASES, PALETTES, PIECEWISE_FUNCTIONS
from pvcore.errors import PVError
from simple.connections import active_connection, state
from simple.rendering import GetActiveView, GetColorTransferFunction


def GetOpacityTransferFunction(arrayname: str, representation: Proxy | None = None, **properties: Any) -> Proxy:
    """The opacity map of an array: its colour map's ScalarOpacityFunction (made with the colour map). It makes
    surfaces translucent where the colour map's ``EnableOpacityMapping`` is 1."""
    pwf = GetColorTransferFunction(arrayname, representation).ScalarOpacityFunction
    if properties:
        pwf.connection.update(pwf, properties)
    return pwf


def GetTransferFunction2D(arrayname: str, representation: Proxy | None = None, **properties: Any) -> Proxy:
    """The 2D transfer function of an array (its colour map's TransferFunction2D; stored only: volume rendering
    is not drawn here)."""
    tf2d = GetColorTransferFunction(arrayname, representation).TransferFunction2D
    if properties:
        tf2d.connection.update(tf2d, properties)
    return tf2d


def GetLookupTableNames() -> list[str]:
    """The names of the colour map presets that ``ApplyPreset`` and ``AssignLookupTable`` take."""
    return list(PRESETS)


def AssignLookupTable(arrayInfo: Any, lutName: str, rangeOveride: list[float] | None = None) -> bool:
    """Give the colour map of ``arrayInfo``'s array (e.g. ``source.PointData['RTData']``) the preset ``lutName``,
    over the array's range (or ``rangeOveride``). RuntimeError (UnknownPresetError) for an unknown preset."""
    name, backwards = backcompat.old_preset(lutName)  # a preset of ParaView 5.8 or older: its name now
    preset(name)  # raises, naming the presets
    lut = GetColorTransferFunction(arrayInfo.GetName())
    low, high = rangeOveride if rangeOveride else arrayInfo.GetRange(-1 if arrayInfo.GetNumberOfComponents() > 1 else 0)
    if low > high:
        low, high = 0.0, 1.0
    lut.ApplyPreset(name, False)
    lut.RescaleTransferFunction(low, high)
    if backwards:
        lut.InvertTransferFunction()
    return True


def CreateLookupTable(**properties: Any) -> Proxy:
    """A colour map of its own (not one array's), with the properties given (RGBPoints, ColorSpace, ...)."""
    return active_connection().create("lookup_tables", "PVLookupTable", properties)


def CreatePiecewiseFunction(**properties: Any) -> Proxy:
    """A piecewise function (an opacity or scale map) of its own, with the properties given (Points, ...): e.g.
    a 'Point Gaussian' representation's ScaleTransferFunction or OpacityTransferFunction."""
    return active_connection().create(PIECEWISE_FUNCTIONS, "PiecewiseFunction", properties)


def MakeBlueToRedLT(min: float, max: float) -> Proxy:
    """A colour map from blue at ``min`` to red at ``max``, interpolated in HSV (ParaView's classic one)."""
    return CreateLookupTable(RGBPoints=[min, 0.0, 0.0, 1.0, max, 1.0, 0.0, 0.0], ColorSpace="HSV")


def _view(view: Proxy | None, what: str) -> Proxy:
    view = view if view is not None else GetActiveView()
    if view is None:
        raise PVError(f"{what}: no view given and there is no active view.")
    return view


def GetScalarBar(ctf: Proxy, view: Proxy | None = None) -> Proxy:
    """The scalar bar (colour legend) of colour map ``ctf`` in ``view`` (default: the active view); made, hidden
    and titled by the array's name, if it has none. Set its ``Visibility``, ``Title``, ``ComponentTitle``,
    ``WindowLocation``, ``Orientation``, ``ScalarBarLength``, colours and font sizes."""
    return scalar_bar(ctf.connection, ctf, _view(view, "GetScalarBar"))


def _used_tables(view: Proxy) -> set[int]:
    """The colour maps that visible, coloured representations of ``view`` use, by id."""
    return {
        rep.LookupTable.GlobalID
        for rep in view.Representations
        if rep.Visibility and rep.ColorArrayName[1] and rep.LookupTable is not None
    }


def HideScalarBarIfNotNeeded(lut: Proxy, view: Proxy | None = None) -> bool:
    """Hide the scalar bar of ``lut`` in the view if nothing shown there is coloured by it; True if hidden."""
    view = _view(view, "HideScalarBarIfNotNeeded")
    if lut.GlobalID in _used_tables(view):
        return False
    bar = scalar_bar(lut.connection, lut, view, create=False)
    if bar is not None:
        bar.Visibility = 0
    for rep in view.Representations:
        if rep.LookupTable == lut:
            rep.ScalarBarVisibility = 0
    return True


def UpdateScalarBars(view: Proxy | None = None) -> bool:
    """Show the scalar bars of the colour maps the view's visible data is coloured by, hide the others."""
    view = _view(view, "UpdateScalarBars")
    used = _used_tables(view)
    conn = view.connection
    for bar in conn.proxies(("scalar_bars",)):
        if bar.View == view and bar.LookupTable is not None and bar.LookupTable.GlobalID not in used:
            bar.Visibility = 0
    for lut_id in used:
        scalar_bar(conn, conn.proxy(lut_id), view).Visibility = 1
    return True


def UpdateScalarBarsComponentTitle(ctf: Proxy, representation: Proxy | None = None) -> bool:
    """Title every scalar bar of ``ctf`` with the component it shows: 'Magnitude' (or 'X', 'Y', ... with
    VectorMode 'Component') for an array of several components, none for a scalar one."""
    components = 1
    if representation is not None and representation.ColorArrayName[1]:
        assoc, name = representation.ColorArrayName
        info = representation.Input.GetDataInformation()
        arrays = {"POINTS": info.PointData, "CELLS": info.CellData, "FIELD": info.FieldData}[assoc]
        if name in arrays:
            components = arrays[name].GetNumberOfComponents()
    title = ""
    if components > 1:
        index = int(ctf.VectorComponent)
        title = "Magnitude" if ctf.VectorMode == "Magnitude" else ("X", "Y", "Z")[index] if index < 3 else str(index)
    for bar in ctf.connection.proxies(("scalar_bars",)):
        if bar.LookupTable == ctf:
            bar.ComponentTitle = title
    return True


def LoadPalette(paletteName: str) -> None:
    """Use a colour palette of ParaView's ('BlueGrayBackground', 'WhiteBackground', 'BlackBackground',
    'WarmGrayBackground', 'NeutralGrayBackground', 'LightGrayBackground', 'GradientBackground'): the background of
    every render view that follows the palette (UseColorPaletteForBackground = 1) and of new views, and the text
    colour of scalar bars."""
    name = PALETTE_ALIASES.get(paletteName, paletteName)
    if name not in PALETTES:
        raise PVError(f"Unknown palette {paletteName!r}; palettes are: {', '.join(PALETTES)}.")
    background, text = PALETTES[name]
    state.palette = name
    conn = state.active_connection
    if conn is None or conn.closed:
        return
    with conn.batch(f"Load palette {name}"):
        for view in conn.proxies(("views",)):
            if view.UseColorPaletteForBackground:
                conn.update(view, {"Background": list(background), "OrientationAxesLabelColor": list(text)})
        for bar in conn.proxies(("scalar_bars",)):
            conn.update(bar, {"TitleColor": list(text), "LabelColor": list(text)})


__all__ = [
    "AssignLookupTable",
    "CreateLookupTable",
    "CreatePiecewiseFunction",
    "GetLookupTableNames",
    "GetOpacityTransferFunction",
    "GetScalarBar",
    "GetTransferFunction2D",
    "HideScalarBarIfNotNeeded",
    "LoadPalette",
    "MakeBlueToRedLT",
    "UnknownPresetError",
    "UpdateScalarBars",
    "UpdateScalarBarsComponentTitle",
]
