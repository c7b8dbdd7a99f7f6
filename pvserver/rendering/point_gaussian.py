"""The 'Point Gaussian' representation: every point of this rank's piece drawn as a splat by VTK's
vtkPointGaussianMapper, as ParaView's vtkPointGaussianRepresentation draws it.

How it fits the renderer (pvserver.rendering.views), which gives each representation one actor:

- each frame, :func:`place_point_gaussian` gives an actor shown as 'Point Gaussian' a vtkPointGaussianMapper of its
  own (kept per actor), fed with the points of the rank's data (:func:`splat_points`: every point of every dataset,
  composite data appended, without the points a rank holds as copies of a neighbour's, and with the point data);
  an actor shown otherwise gets its polygon mapper back;
- the mapper is set from the representation's properties as ParaView sets it: GaussianRadius (the splat's scale
  factor), ShaderPreset (its fragment shader and triangle scale; 'Custom': CustomShader and CustomTriangleScale),
  Emissive, ScaleByArray with SetScaleArray, ScaleArrayComponent, UseScaleFunction and ScaleTransferFunction,
  OpacityByArray with OpacityArray, OpacityArrayComponent and OpacityTransferFunction, and the colouring of the
  polygon mapper (point arrays only: cell colouring draws the solid colour, as in ParaView);
- splats whose opacity varies (an opacity array, the 'Gaussian Blur' and 'Custom' shaders, emissive ones) make the
  frame translucent (:func:`is_translucent_splat`), so that ranks are blended in visibility order.

As in ParaView, a point on the faces between two ranks' pieces belongs to both pieces (only the points of ghost
cells are marked as another rank's): it is drawn by both ranks, which shows where its splat is translucent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from pvcore.messages import ProxyState
from pvserver.pipeline.composite import is_composite, leaves

POINT_GAUSSIAN = "Point Gaussian"
#: vtkDataSetAttributes::DUPLICATEPOINT: a point this rank holds as a copy of a neighbour's.
DUPLICATE_POINT = 1

_CIRCLE_TEST = "//VTK::Color::Impl\nfloat dist = dot(offsetVCVSOutput.xy,offsetVCVSOutput.xy);\n"
#: ShaderPreset -> (fragment shader code, triangle scale), as ParaView 5.11's presets (an empty code: VTK's
#: own gaussian splat).
SHADER_PRESETS: dict[str, tuple[str, float]] = {
    "Gaussian Blur": ("", 3.0),
    "Sphere": (
        _CIRCLE_TEST + "if (dist > 1.0) {\n  discard;\n} else {\n  float scale = (1.0 - dist);\n"
        "  ambientColor *= scale;\n  diffuseColor *= scale;\n}\n",
        1.0,
    ),
    "Black-edged circle": (
        _CIRCLE_TEST + "if (dist > 1.0) {\n  discard;\n} else if (dist > 0.8) {\n"
        "  ambientColor = vec3(0.0, 0.0, 0.0);\n  diffuseColor = vec3(0.0, 0.0, 0.0);\n}\n",
        1.0,
    ),
    "Plain circle": (_CIRCLE_TEST + "if (dist > 1.0) {\n  discard;\n};\n", 1.0),
    "Triangle": ("//VTK::Color::Impl\n", 1.0),
    "Square Outline": (
        "//VTK::Color::Impl\nif (abs(offsetVCVSOutput.x) > 2.2 || abs(offsetVCVSOutput.y) > 2.2) {\n  discard;\n}\n"
        "if (abs(offsetVCVSOutput.x) < 1.5 && abs(offsetVCVSOutput.y) < 1.5) {\n  discard;\n}\n",
        3.0,
    ),
}
#: Component names as the component properties hold them ('' for a one-component array, 'Magnitude': -1).
_COMPONENTS = {"": 0, "X": 0, "Y": 1, "Z": 2, "Magnitude": -1}


@dataclass
class _Splats:
    mapper: Any
    data: Any = None  # the data the points were taken from, and its modification time
    data_mtime: int = -1
    functions: tuple = ()  # the (id, version) of the transfer functions applied


#: The splat mapper of each actor (by the actor's address), while the actor exists.
_splats: dict[str, _Splats] = {}


def _value(rep: ProxyState, name: str, default: Any) -> Any:
    values = rep.properties.get(name, (default,))
    return values[0] if values else default


def is_point_gaussian(rep: ProxyState) -> bool:
    """Whether a representation asks to be drawn as 'Point Gaussian'."""
    return _value(rep, "Representation", "") == POINT_GAUSSIAN


def is_translucent_splat(rep: ProxyState) -> bool:
    """Whether a 'Point Gaussian' representation draws splats of varying opacity."""
    if not is_point_gaussian(rep):
        return False
    by_array = bool(_value(rep, "OpacityByArray", 0)) and _array_name(rep, "OpacityArray") is not None
    preset = _value(rep, "ShaderPreset", "Sphere")
    return by_array or bool(_value(rep, "Emissive", 0)) or preset in ("Gaussian Blur", "Custom")


def splat_points(data: Any) -> Any:
    """The points of this rank's data as one vtkPolyData with one vertex per point and the point data (composite
    data: of all its datasets), less the points marked as copies of another rank's."""
    from vtkmodules.vtkCommonDataModel import vtkPolyData
    from vtkmodules.vtkFiltersCore import vtkAppendPolyData

    datasets = leaves(data) if data is not None and is_composite(data) else [data]
    pieces = [_points_of(d) for d in datasets if d is not None and d.IsA("vtkDataSet") and d.GetNumberOfPoints()]
    if not pieces:
        return vtkPolyData()
    if len(pieces) == 1:
        return pieces[0]
    append = vtkAppendPolyData()
    for piece in pieces:
        append.AddInputData(piece)
    append.Update()
    out = vtkPolyData()
    out.ShallowCopy(append.GetOutput())
    return out


def _points_of(data: Any) -> Any:
    from vtkmodules.util.numpy_support import numpy_to_vtk, numpy_to_vtkIdTypeArray, vtk_to_numpy
    from vtkmodules.vtkCommonCore import vtkPoints
    from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData

    count = data.GetNumberOfPoints()
    coordinates = np.array([data.GetPoint(i) for i in range(count)]) if not data.IsA("vtkPointSet") else None
    if coordinates is None:
        coordinates = vtk_to_numpy(data.GetPoints().GetData())
    point_data = data.GetPointData()
    ghosts = point_data.GetArray("vtkGhostType")
    keep = np.flatnonzero((vtk_to_numpy(ghosts) & DUPLICATE_POINT) == 0) if ghosts is not None else None
    out = vtkPolyData()
    points = vtkPoints()
    points.SetData(numpy_to_vtk(np.ascontiguousarray(coordinates if keep is None else coordinates[keep]), deep=1))
    out.SetPoints(points)
    kept = count if keep is None else len(keep)
    vertices = vtkCellArray()
    ids = np.arange(kept + 1, dtype=np.int64)
    vertices.SetData(numpy_to_vtkIdTypeArray(ids, deep=1), numpy_to_vtkIdTypeArray(ids[:-1].copy(), deep=1))
    out.SetVerts(vertices)
    if keep is None:
        out.GetPointData().ShallowCopy(point_data)
    else:
        for i in range(point_data.GetNumberOfArrays()):
            array = point_data.GetArray(i)  # numeric arrays only: the splats are sized, coloured by them
            if array is None or not array.GetName() or array.GetName() == "vtkGhostType":
                continue
            values = vtk_to_numpy(array)
            copy = numpy_to_vtk(np.ascontiguousarray(values[keep]), deep=1, array_type=array.GetDataType())
            copy.SetName(array.GetName())
            out.GetPointData().AddArray(copy)
        for attribute in ("Scalars", "Vectors", "Normals"):
            active = getattr(point_data, f"Get{attribute}")()
            if active is not None and active.GetName():
                getattr(out.GetPointData(), f"SetActive{attribute}")(active.GetName())
    return out


def _address(obj: Any) -> str:
    return obj.GetAddressAsString("vtkObject")


def _array_name(rep: ProxyState, name: str) -> str | None:
    values = rep.properties.get(name, ())
    return str(values[-1]) if values and values[-1] else None


def _component(rep: ProxyState, name: str) -> int:
    value = _value(rep, name, "")
    if isinstance(value, (int, float)):
        return int(value)
    return _COMPONENTS.get(value, int(value) if str(value).lstrip("-").isdigit() else 0)


def _function(rep: ProxyState, name: str, states: Mapping[int, ProxyState]) -> ProxyState | None:
    refs = rep.properties.get(name, ())
    return states.get(int(refs[0])) if refs else None


def _piecewise(state: ProxyState | None) -> Any:
    from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction

    if state is None:
        return None
    function = vtkPiecewiseFunction()
    values = state.properties.get("Points", ())
    for i in range(0, len(values) - 3, 4):
        function.AddPoint(*values[i : i + 4])
    return function


def place_point_gaussian(actor: Any, mapper: Any, rep: ProxyState, data: Any, states: Mapping[int, ProxyState]) -> None:
    """Before a frame: draw ``rep`` with a splat mapper of ``data``'s points if it is 'Point Gaussian' (the polygon
    ``mapper``, already styled, gives the colouring); else give its actor ``mapper`` back if it had splats."""
    key = _address(actor)
    splats = _splats.get(key)
    if not is_point_gaussian(rep):
        if splats is not None and actor.GetMapper() is splats.mapper:
            actor.SetMapper(mapper)
        return
    if splats is None:
        from vtkmodules.vtkRenderingCore import vtkPointGaussianMapper

        splats = _splats[key] = _Splats(vtkPointGaussianMapper())
        actor.AddObserver("DeleteEvent", lambda *_: _splats.pop(key, None))
    mtime = data.GetMTime() if data is not None else 0
    if splats.data is not data or splats.data_mtime != mtime:
        splats.mapper.SetInputData(splat_points(data))
        splats.data, splats.data_mtime = data, mtime
    _configure(splats, rep, mapper, states)
    if actor.GetMapper() is not splats.mapper:
        actor.SetMapper(splats.mapper)


def _configure(splats: _Splats, rep: ProxyState, styled: Any, states: Mapping[int, ProxyState]) -> None:
    """Set the splat mapper from the representation (and the colouring of the styled polygon mapper)."""
    mapper = splats.mapper
    mapper.SetScaleFactor(float(_value(rep, "GaussianRadius", 0.05)))
    preset = _value(rep, "ShaderPreset", "Sphere")
    if preset == "Custom":
        code, scale = str(_value(rep, "CustomShader", "")), float(_value(rep, "CustomTriangleScale", 3))
    else:
        code, scale = SHADER_PRESETS.get(preset, SHADER_PRESETS["Sphere"])
    if (mapper.GetSplatShaderCode() or "") != code:
        mapper.SetSplatShaderCode(code)
    mapper.SetBoundScale(scale)  # VTK's name since 9.2 for the triangle scale ParaView sets
    mapper.SetEmissive(int(bool(_value(rep, "Emissive", 0))))
    by_scale = bool(_value(rep, "ScaleByArray", 0))
    mapper.SetScaleArray(_array_name(rep, "SetScaleArray") if by_scale else None)
    mapper.SetScaleArrayComponent(_component(rep, "ScaleArrayComponent") if by_scale else 0)
    by_opacity = bool(_value(rep, "OpacityByArray", 0))
    mapper.SetOpacityArray(_array_name(rep, "OpacityArray") if by_opacity else None)
    mapper.SetOpacityArrayComponent(_component(rep, "OpacityArrayComponent") if by_opacity else 0)
    scale_state = _function(rep, "ScaleTransferFunction", states)
    opacity_state = _function(rep, "OpacityTransferFunction", states)
    use_scale = bool(_value(rep, "UseScaleFunction", 1))
    versions = tuple((s.global_id, s.version) if s is not None else None for s in (scale_state, opacity_state))
    wanted = (use_scale, *versions)
    if splats.functions != wanted:  # rebuilt only when a transfer function changed
        mapper.SetScaleFunction(_piecewise(scale_state) if use_scale else None)
        mapper.SetScalarOpacityFunction(_piecewise(opacity_state))
        splats.functions = wanted
    assoc, name = [*rep.properties.get("ColorArrayName", ()), "POINTS", ""][:2]
    if styled.GetScalarVisibility() and name and assoc != "CELLS":
        mapper.ScalarVisibilityOn()
        mapper.SetScalarModeToUsePointFieldData()
        mapper.SelectColorArray(name)
        mapper.SetLookupTable(styled.GetLookupTable())
        mapper.UseLookupTableScalarRangeOn()
        mapper.SetColorMode(styled.GetColorMode())
    else:  # ParaView draws cell colouring of splats in the solid colour
        mapper.ScalarVisibilityOff()
        mapper.SelectColorArray(None)
