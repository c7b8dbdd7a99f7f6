"""Server-side objects: each proxy state becomes one VTK object on every rank.

A :class:`PipelineObject` owns the VTK algorithm (or implicit function, or transform) of one proxy and applies
property values to it. Plain properties go through the setter that the catalogue names; the few that need more
than one VTK call have a handler here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from pvcore.errors import PipelineError, ProxyNotFoundError
from pvcore.messages import ProxyState
from pvserver.pipeline import catalogue

# VTK modules that hold the catalogue's classes; importing these few costs a fraction of `import vtk`.
_VTK_MODULES = (
    "vtkFiltersSources",
    "vtkFiltersCore",
    "vtkFiltersGeneral",
    "vtkFiltersGeometry",
    "vtkImagingCore",
    "vtkCommonDataModel",
    "vtkCommonTransforms",
    "vtkFiltersGeneral",
)

ASSOCIATION_IDS = {"POINTS": 0, "CELLS": 1, "FIELD": 2}


def vtk_class(name: str) -> type:
    """The VTK class called ``name`` from the modules the catalogue uses."""
    for module in _VTK_MODULES:
        cls = getattr(importlib.import_module(f"vtkmodules.{module}"), name, None)
        if cls is not None:
            return cls
    raise PipelineError(f"VTK class {name} is not available in this VTK build.")


class PipelineObject:
    """The VTK object behind one proxy on one rank."""

    def __init__(self, state: ProxyState, objects: dict[int, PipelineObject]) -> None:
        self.global_id = state.global_id
        self.name = state.name
        self.spec = catalogue.get(state.group, state.type)
        self.objects = objects
        self.vtk = self._make_vtk()
        self.values: dict[str, tuple] = {}

    # ----------------------------------------------------------------------------------- structure

    def _make_vtk(self) -> Any:
        return vtk_class(self.spec.vtk_class)()

    @property
    def algorithm(self) -> Any:
        """The algorithm whose output is this proxy's output (None for helper objects)."""
        return self.vtk if hasattr(self.vtk, "GetOutputPort") else None

    def output_port(self) -> Any:
        """The VTK output port that consumers connect to."""
        return self.algorithm.GetOutputPort()

    def input_algorithms(self) -> list[Any]:
        """The algorithms the input connections are set on (the first stage of a small pipeline)."""
        return [self.algorithm]

    # ----------------------------------------------------------------------------------- properties

    def apply(self, state: ProxyState) -> None:
        """Apply every property whose value differs from the last one applied."""
        self.name = state.name
        for prop in self.spec.properties:
            value = state.properties.get(prop.name, prop.default)
            if self.values.get(prop.name) == value:
                continue
            self._set(prop, value)
            self.values[prop.name] = value
        self._after_apply()

    def restore(self, values: dict[str, tuple]) -> None:
        """Re-apply earlier values after a change failed part-way."""
        for prop in self.spec.properties:
            if prop.name in values and self.values.get(prop.name) != values[prop.name]:
                self._set(prop, values[prop.name])
        self.values = dict(values)
        self._after_apply()

    def _set(self, prop: catalogue.Property, value: tuple) -> None:
        handler = _HANDLERS.get((self.spec.name, prop.name)) or _HANDLERS.get(("*", prop.kind))
        if handler is not None:
            handler(self, prop, value)
        elif prop.setter:
            getattr(self.vtk, prop.setter)(*value)
        # properties without setter or handler are applied as a whole in _after_apply

    def _after_apply(self) -> None:
        after = _AFTER_APPLY.get(self.spec.vtk_class)
        if after is not None:
            after(self)

    def referenced(self, value: tuple) -> PipelineObject:
        """The object a proxy property points at."""
        try:
            return self.objects[int(value[0])]
        except KeyError:  # the session checks references: this is a bug, reported without a traceback
            raise ProxyNotFoundError(
                f"{self.name} refers to proxy {int(value[0])}, which this rank does not hold.",
                proxy_id=self.global_id,
                proxy_name=self.name,
            ) from None


class GlyphObject(PipelineObject):
    """Glyph: an optional vtkMaskPoints (Every Nth Point) in front of vtkGlyph3D."""

    def _make_vtk(self) -> Any:
        self.mask = vtk_class("vtkMaskPoints")()
        self.mask.SetRandomMode(False)
        self.mask.SetOnRatio(1)
        self.mask.SetMaximumNumberOfPoints(2**62)
        self.mask.GenerateVerticesOff()
        glyph = vtk_class("vtkGlyph3D")()
        glyph.SetInputConnection(self.mask.GetOutputPort())
        return glyph

    def input_algorithms(self) -> list[Any]:
        return [self.mask]


class CalculatorObject(PipelineObject):
    """Calculator: declares every input array as a variable before each execution, as ParaView does."""

    def _make_vtk(self) -> Any:
        from pvserver.pipeline.calculator import CalculatorAlgorithm

        return CalculatorAlgorithm()

    def _after_apply(self) -> None:
        self.vtk.configure(self.values["AttributeType"][0], self.values["ResultArrayType"][0])


class ReaderObject(PipelineObject):
    """A file reader whose ranks share the reading (see pvserver.pipeline.reader)."""

    def _make_vtk(self) -> Any:
        from pvserver.pipeline.reader import DistributedReader

        return DistributedReader(self.comm)


OBJECT_TYPES: dict[tuple[str, str], type[PipelineObject]] = {
    ("filters", "Glyph"): GlyphObject,
    ("filters", "Calculator"): CalculatorObject,
    ("sources", "FileReader"): ReaderObject,
}


def make_object(state: ProxyState, objects: dict[int, PipelineObject], comm: Any = None) -> PipelineObject:
    """Create the right kind of object for a proxy state (properties are applied separately)."""
    cls = OBJECT_TYPES.get((state.group, state.type), PipelineObject)
    obj = cls.__new__(cls)
    obj.comm = comm  # before __init__: a reader's VTK object needs it
    obj.__init__(state, objects)
    return obj


# ----------------------------------------------------------------------------------- property handlers


def _set_input(obj: PipelineObject, prop: catalogue.Property, value: tuple) -> None:
    for alg in obj.input_algorithms():
        alg.SetInputConnection(obj.referenced(value).output_port())


def _set_array(index: int) -> Callable[[PipelineObject, catalogue.Property, tuple], None]:
    def handler(obj: PipelineObject, prop: catalogue.Property, value: tuple) -> None:
        if value[1]:
            obj.vtk.SetInputArrayToProcess(index, 0, 0, ASSOCIATION_IDS[value[0]], value[1])

    return handler


def _set_values(obj: PipelineObject, prop: catalogue.Property, value: tuple) -> None:
    obj.vtk.SetNumberOfContours(len(value))
    for i, v in enumerate(value):
        obj.vtk.SetValue(i, v)


def _set_function(setter: str) -> Callable[[PipelineObject, catalogue.Property, tuple], None]:
    def handler(obj: PipelineObject, prop: catalogue.Property, value: tuple) -> None:
        getattr(obj.vtk, setter)(obj.referenced(value).vtk)

    return handler


def _set_glyph_source(obj: PipelineObject, prop: catalogue.Property, value: tuple) -> None:
    obj.vtk.SetSourceConnection(obj.referenced(value).output_port())


def _set_glyph_array(kind: str) -> Callable[[PipelineObject, catalogue.Property, tuple], None]:
    def handler(obj: PipelineObject, prop: catalogue.Property, value: tuple) -> None:
        glyph = obj.vtk
        if kind == "orientation":
            if value[1] == "No orientation array":
                glyph.OrientOff()
            else:
                glyph.OrientOn()
                glyph.SetVectorModeToUseVector()
                glyph.SetInputArrayToProcess(1, 0, 0, ASSOCIATION_IDS[value[0]], value[1])
        elif value[1] == "No scale array":
            glyph.SetScaleModeToDataScalingOff()
        else:
            glyph.SetScaleModeToScaleByScalar()
            glyph.SetInputArrayToProcess(0, 0, 0, ASSOCIATION_IDS[value[0]], value[1])

    return handler


def _set_glyph_mode(obj: PipelineObject, prop: catalogue.Property, value: tuple) -> None:
    pass  # applied with Stride in _after_glyph


def _after_glyph(obj: PipelineObject) -> None:
    every_nth = obj.values.get("GlyphMode", ("All Points",))[0] == "Every Nth Point"
    obj.mask.SetOnRatio(int(obj.values.get("Stride", (1,))[0]) if every_nth else 1)


_THRESHOLD_METHODS = {"Between": 0, "Below Lower Threshold": 1, "Above Upper Threshold": 2}


def _set_threshold_method(obj: PipelineObject, prop: catalogue.Property, value: tuple) -> None:
    obj.vtk.SetThresholdFunction(_THRESHOLD_METHODS[value[0]])


def _after_box(obj: PipelineObject) -> None:
    (x, y, z), (lx, ly, lz) = obj.values["Position"], obj.values["Length"]
    obj.vtk.SetBounds(x, x + lx, y, y + ly, z, z + lz)


def _after_transform(obj: PipelineObject) -> None:
    t = obj.vtk
    t.Identity()
    t.PostMultiply()
    t.Scale(*obj.values["Scale"])
    rx, ry, rz = obj.values["Rotate"]
    t.RotateX(rx)
    t.RotateY(ry)
    t.RotateZ(rz)
    t.Translate(*obj.values["Translate"])


def _noop(obj: PipelineObject, prop: catalogue.Property, value: tuple) -> None:
    pass


_HANDLERS: dict[tuple[str, str], Callable[[PipelineObject, catalogue.Property, tuple], None]] = {
    ("*", "proxy"): _set_input,
    ("*", "array"): _set_array(0),
    ("Contour", "Isosurfaces"): _set_values,
    ("Slice", "SliceOffsetValues"): _set_values,
    ("Clip", "ClipType"): _set_function("SetClipFunction"),
    ("Slice", "SliceType"): _set_function("SetCutFunction"),
    ("Transform", "Transform"): _set_function("SetTransform"),
    ("Glyph", "GlyphType"): _set_glyph_source,
    ("Glyph", "OrientationArray"): _set_glyph_array("orientation"),
    ("Glyph", "ScaleArray"): _set_glyph_array("scale"),
    ("Glyph", "GlyphMode"): _set_glyph_mode,
    ("Glyph", "Stride"): _set_glyph_mode,
    ("Threshold", "ThresholdMethod"): _set_threshold_method,
    ("Calculator", "AttributeType"): _noop,  # read by CalculatorAlgorithm at execution
    ("Calculator", "ResultArrayType"): _noop,
}

_AFTER_APPLY: dict[str, Callable[[PipelineObject], None]] = {
    "vtkGlyph3D": _after_glyph,
    "vtkBox": _after_box,
    "vtkTransform": _after_transform,
}

# Read-only properties that the server computes for the client: nothing to apply.
_HANDLERS[("FileReader", "TimestepValues")] = _noop
