"""Small VTK-side adapters: VTK objects that take ParaView's properties where a plain VTK class does not.

As ParaView's ``vtkPV*`` classes do, each adapter is a VTK object (a Python subclass of a VTK class, or a Python
algorithm) with one setter per property, so that the definitions apply it like any VTK class and no proxy needs
code of its own elsewhere. A spec's ``vtk_class`` names an adapter of :data:`ADAPTERS` or else a VTK class.

An adapter that needs to know where it runs (the reader: the communicator its ranks share the reading on) gets it
from the one :class:`Context` every adapter factory is passed. A composite adapter (the Glyph's mask in front of
the glyph filter) says which of its algorithms take its input connections with ``input_algorithms()``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from vtkmodules.vtkCommonDataModel import vtkBox
from vtkmodules.vtkCommonTransforms import vtkTransform
from vtkmodules.vtkFiltersCore import vtkGlyph3D, vtkMaskPoints

from pvcore.errors import PipelineError
from pvserver.pipeline import (
    adapters_analysis,
    adapters_composite,
    adapters_filters,
    adapters_more,
    adapters_programmable,
    adapters_readers,
    adapters_selection,
    adapters_sources,
    adapters_temporal,
)
from pvserver.pipeline.context import ASSOCIATION_IDS, Context

__all__ = ["ADAPTERS", "ASSOCIATION_IDS", "Context", "create", "vtk_class"]


class BoxFunction(vtkBox):
    """An axis-aligned box given by its lower corner (Position) and edge lengths (Length), as ParaView's Box."""

    def __init__(self) -> None:
        super().__init__()
        self._position, self._length = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
        self._update()

    def SetPosition(self, x: float, y: float, z: float) -> None:  # noqa: N802 - a VTK setter
        self._position = (x, y, z)
        self._update()

    def SetLength(self, x: float, y: float, z: float) -> None:  # noqa: N802
        self._length = (x, y, z)
        self._update()

    def _update(self) -> None:
        (x, y, z), (lx, ly, lz) = self._position, self._length
        self.SetBounds(x, x + lx, y, y + ly, z, z + lz)


class TransformAdapter(vtkTransform):
    """Scale, then rotate about x, y and z (degrees), then translate: ParaView's Transform properties."""

    def __init__(self) -> None:
        super().__init__()
        self._translate, self._rotate, self._scale = (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
        self._update()

    def SetTranslate(self, x: float, y: float, z: float) -> None:  # noqa: N802
        self._translate = (x, y, z)
        self._update()

    def SetRotate(self, x: float, y: float, z: float) -> None:  # noqa: N802
        self._rotate = (x, y, z)
        self._update()

    def SetScale(self, x: float, y: float, z: float) -> None:  # noqa: N802
        self._scale = (x, y, z)
        self._update()

    def _update(self) -> None:
        self.Identity()
        self.PostMultiply()
        self.Scale(*self._scale)
        rx, ry, rz = self._rotate
        self.RotateX(rx)
        self.RotateY(ry)
        self.RotateZ(rz)
        self.Translate(*self._translate)


class GlyphFilter(vtkGlyph3D):
    """ParaView's Glyph: a vtkMaskPoints (Every Nth Point) in front of vtkGlyph3D, arrays chosen by name with a
    label for none (which arrives as ""). Its input (port 0) goes to the mask; the glyph's shape is port 1 of
    vtkGlyph3D."""

    def __init__(self) -> None:
        super().__init__()
        self.mask = vtkMaskPoints()
        self.mask.SetRandomMode(False)
        self.mask.SetOnRatio(1)
        self.mask.SetMaximumNumberOfPoints(2**62)
        self.mask.GenerateVerticesOff()
        super().SetInputConnection(0, self.mask.GetOutputPort())
        self._every_nth, self._stride = False, 1

    def SetInputConnection(self, *args: Any) -> None:  # noqa: N802 - port 0 is the mask's
        port, connection = (0, args[0]) if len(args) == 1 else args
        if port == 0:
            self.mask.SetInputConnection(connection)
        else:
            super().SetInputConnection(port, connection)

    def input_algorithms(self) -> list[Any]:
        """The algorithms that take this adapter's input connection."""
        return [self.mask]

    def SetOrientationArray(self, association: str, name: str) -> None:  # noqa: N802
        if not name:
            self.OrientOff()
        else:
            self.OrientOn()
            self.SetVectorModeToUseVector()
            self.SetInputArrayToProcess(1, 0, 0, ASSOCIATION_IDS[association], name)

    def SetScaleArray(self, association: str, name: str) -> None:  # noqa: N802
        if not name:
            self.SetScaleModeToDataScalingOff()
        else:
            self.SetScaleModeToScaleByScalar()
            self.SetInputArrayToProcess(0, 0, 0, ASSOCIATION_IDS[association], name)

    def SetGlyphMode(self, mode: str) -> None:  # noqa: N802
        self._every_nth = mode == "Every Nth Point"
        self.mask.SetOnRatio(self._stride if self._every_nth else 1)

    def SetStride(self, stride: int) -> None:  # noqa: N802
        self._stride = int(stride)
        self.mask.SetOnRatio(self._stride if self._every_nth else 1)


def _calculator(_context: Context) -> Any:
    from pvserver.pipeline.calculator import CalculatorAlgorithm

    return CalculatorAlgorithm()


def _reader(context: Context) -> Any:
    from pvserver.pipeline.reader import DistributedReader

    return DistributedReader(context.comm)


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "BoxFunction": lambda _context: BoxFunction(),
    "TransformAdapter": lambda _context: TransformAdapter(),
    "GlyphFilter": lambda _context: GlyphFilter(),
    "CalculatorAlgorithm": _calculator,
    "DistributedReader": _reader,
}
# Each family of adapters lives in a module of its own, beside its definitions module.
for _family in (
    adapters_sources, adapters_filters, adapters_analysis, adapters_composite, adapters_programmable,
    adapters_temporal, adapters_readers, adapters_selection, adapters_more,
):  # fmt: skip
    ADAPTERS.update(_family.ADAPTERS)

# VTK modules that hold the bundled catalogue's classes; importing these few costs a fraction of `import vtk`.
_VTK_MODULES = (
    "vtkFiltersSources",
    "vtkFiltersCore",
    "vtkFiltersGeneral",
    "vtkFiltersGeometry",
    "vtkImagingCore",
    "vtkImagingGeneral",  # vtkImageGradient (GradientLegacy)
    "vtkCommonDataModel",
    "vtkCommonExecutionModel",  # vtkTrivialProducer (TrivialProducer, PVTrivialProducer)
    "vtkCommonTransforms",
    "vtkFiltersParallel",  # vtkPPolyDataNormals (GenerateSurfaceNormals)
    "vtkFiltersModeling",  # extrusions, ribbons, subdivisions
    "vtkFiltersTexture",
    "vtkFiltersPoints",
)


def vtk_class(name: str) -> type:
    """The VTK class called ``name``: from the modules the bundled catalogue uses, else from all of VTK (a
    plugin's class). Every bundled type's class must be in :data:`_VTK_MODULES`: importing all of VTK also
    registers its MPI classes as overrides (vtkPExodusIIWriter for vtkExodusIIWriter), which crash a process
    without VTK's MPI (tests/unit/test_catalogue.py checks)."""
    for module in _VTK_MODULES:
        cls = getattr(importlib.import_module(f"vtkmodules.{module}"), name, None)
        if cls is not None:
            return cls
    if name.startswith("vtk"):
        cls = getattr(importlib.import_module("vtkmodules.all"), name, None)
        if cls is not None:
            return cls
    raise PipelineError(f"VTK class {name} is not available in this VTK build.")


def create(name: str, context: Context) -> Any:
    """A new VTK object for a spec's ``vtk_class``: the adapter of that name, else the VTK class."""
    factory = ADAPTERS.get(name)
    return factory(context) if factory is not None else vtk_class(name)()
