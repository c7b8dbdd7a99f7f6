"""VTK-side adapters of the sources family (see :mod:`pvserver.pipeline.adapters` for what an adapter is).

ParaView's own source classes that the pip VTK lacks (vtkPVTextSource, vtkTimeToTextConvertor,
vtkImageSimpleSource) are Python algorithms here; VTK sources whose setters differ from ParaView's properties (a
list of points, an enumeration whose values are VTK ids) are small subclasses; and sources that VTK makes whole on
every piece (vtkDataObjectGenerator, vtkTimeSourceExample) run on piece 0 alone, so that the ranks' totals are
those of one rank, as for every source that cannot split its output.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonComputationalGeometry import vtkParametricSpline
from vtkmodules.vtkCommonCore import vtkPoints, vtkStringArray
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkImageData, vtkTable
from vtkmodules.vtkCommonExecutionModel import vtkAlgorithm, vtkStreamingDemandDrivenPipeline
from vtkmodules.vtkFiltersCore import vtkDataObjectGenerator
from vtkmodules.vtkFiltersGeneral import vtkRandomAttributeGenerator, vtkTimeSourceExample
from vtkmodules.vtkFiltersSources import (
    vtkCellTypeSource,
    vtkGlyphSource2D,
    vtkPolyLineSource,
    vtkPolyPointSource,
)
from vtkmodules.vtkImagingSources import vtkImageMandelbrotSource
from vtkmodules.vtkRenderingFreeType import vtkVectorText

from pvcore.definitions.sources_menu import DATA_TYPES, GLYPH_2D_TYPES
from pvcore.errors import PipelineError
from pvserver.pipeline.context import Context

_SDDP = vtkStreamingDemandDrivenPipeline

# ----------------------------------------------------------------------------------------------- point lists


def _points(name: str, coordinates: tuple[float, ...]) -> vtkPoints:
    """``x0, y0, z0, x1, ...`` as vtkPoints; a PipelineError when the count is no multiple of three."""
    if len(coordinates) % 3:
        raise PipelineError(f"{name} takes x, y, z per point: {len(coordinates)} values is no whole number of points.")
    points = vtkPoints()
    points.SetDataTypeToDouble()
    points.SetNumberOfPoints(len(coordinates) // 3)
    for i in range(len(coordinates) // 3):
        points.SetPoint(i, *coordinates[3 * i : 3 * i + 3])
    return points


class PolyLineSource(vtkPolyLineSource):
    """ParaView's PolyLineSource: its Points property is one flat list of coordinates."""

    def SetPointList(self, *coordinates: float) -> None:  # noqa: N802 - a VTK setter
        self.SetPoints(_points("Points", coordinates))


class PolyPointSource(vtkPolyPointSource):
    """ParaView's PolyPointSource: its Points property is one flat list of coordinates."""

    def SetPointList(self, *coordinates: float) -> None:  # noqa: N802
        self.SetPoints(_points("Points", coordinates))


class SplineFunction(vtkParametricSpline):
    """ParaView's Spline (the SplineSource's parametric function): its Points property is one flat list."""

    def SetPointList(self, *coordinates: float) -> None:  # noqa: N802
        self.SetPoints(_points("Points", coordinates))


# ----------------------------------------------------------------------------------------------- enumerations

#: VTK's cell type ids of the labels of UnstructuredCellTypes' CellType (vtkCellType.h).
CELL_TYPE_IDS = {
    "Line": 3, "Quadratic Line": 21, "Cubic Line": 35, "Triangle": 5, "Quad": 9, "Quadratic Triangle": 22,
    "Quadratic Quad": 23, "Tet": 10, "Hex": 12, "Wedge": 13, "Pyramid": 14, "Quadratic Tet": 24,
    "Quadratic Hex": 25, "Quadratic Wedge": 26, "Quadratic Pyramid": 27, "Tri-Quadratic Pyramid": 37,
    "Lagrange Curve": 68, "Lagrange Triangle": 69, "Lagrange Quadrilateral": 70, "Lagrange Tetrahedron": 71,
    "Lagrange Hexahedron": 72, "Lagrange Wedge": 73, "Bezier Curve": 75, "Bezier Triangle": 76,
    "Bezier Quadrilateral": 77, "Bezier Tetrahedron": 78, "Bezier Hexahedron": 79, "Bezier Wedge": 80,
}  # fmt: skip


def _id_of(labels: tuple[str, ...] | dict[str, int], label: str, what: str) -> int:
    if label not in labels:
        raise PipelineError(f"{what} must be one of {', '.join(labels)}; got {label!r}.")
    return labels[label] if isinstance(labels, dict) else labels.index(label) + 1


class CellTypeSource(vtkCellTypeSource):
    """vtkCellTypeSource with the cell type chosen by ParaView's label ("Hex")."""

    def SetCellTypeName(self, label: str) -> None:  # noqa: N802
        self.SetCellType(_id_of(CELL_TYPE_IDS, label, "CellType"))


class GlyphSource2D(vtkGlyphSource2D):
    """vtkGlyphSource2D with the glyph chosen by ParaView's label ("Arrow"; the labels are in VTK's order of ids
    1, 2, ...)."""

    def SetGlyphTypeName(self, label: str) -> None:  # noqa: N802
        self.SetGlyphType(_id_of(GLYPH_2D_TYPES, label, "GlyphType"))


class RandomAttributeGenerator(vtkRandomAttributeGenerator):
    """vtkRandomAttributeGenerator with the array type chosen by ParaView's label ("UnsignedChar"; the labels
    are in the order of VTK's type ids, VTK_BIT = 1 to VTK_ID_TYPE = 12)."""

    def SetDataTypeName(self, label: str) -> None:  # noqa: N802
        self.SetDataType(_id_of(DATA_TYPES, label, "DataType"))


# ----------------------------------------------------------------------------------------------- tables of text


def _piece(out_info: Any) -> int:
    return out_info.Get(_SDDP.UPDATE_PIECE_NUMBER()) if out_info.Has(_SDDP.UPDATE_PIECE_NUMBER()) else 0


def _text_table(output: vtkTable, text: str) -> None:
    column = vtkStringArray()
    column.SetName("Text")
    column.InsertNextValue(text)
    output.AddColumn(column)


class TextSource(VTKPythonAlgorithmBase):
    """ParaView's Text source: a table of one column "Text" holding one string, on rank 0 only."""

    def __init__(self) -> None:
        super().__init__(nInputPorts=0, nOutputPorts=1, outputType="vtkTable")
        self._text = "Text"

    def SetText(self, text: str) -> None:  # noqa: N802
        if text != self._text:
            self._text = text
            self.Modified()

    def RequestInformation(self, _request: Any, _inputs: Any, outputs: Any) -> int:  # noqa: N802
        outputs.GetInformationObject(0).Set(vtkAlgorithm.CAN_HANDLE_PIECE_REQUEST(), 1)  # empty on other ranks
        return 1

    def RequestData(self, _request: Any, _inputs: Any, outputs: Any) -> int:  # noqa: N802
        out_info = outputs.GetInformationObject(0)
        if _piece(out_info) == 0:
            _text_table(vtkTable.GetData(out_info), self._text)
        return 1


#: A replacement field of AnnotateTime's Format: {time} or {time:SPEC} with a plain number format (no nested
#: fields, no attribute access, a width of at most 3 digits so that a format cannot ask for gigabytes).
_TIME_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?\d{0,3}[,_]?(?:\.\d{1,2})?[eEfFgG%]?")


def check_time_format(text: str) -> list[tuple[str, str | None]]:
    """The literal texts and time specs of an AnnotateTime format; PipelineError naming what is not allowed."""
    text = text.replace("%f", "{time:f}")  # ParaView's legacy pattern, which it rewrites the same way
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise PipelineError(f"Format {text!r} is not a format: {exc}.") from None
    pieces = []
    for literal, field, spec, conversion in parts:
        if field is not None and (field != "time" or conversion or not _TIME_SPEC.fullmatch(spec or "")):
            raise PipelineError(
                f"Format {text!r}: only {{time}} or {{time:SPEC}} with a number format (such as {{time:.3f}}) may "
                f"be replaced; not {{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}."
            )
        pieces.append((literal, None if field is None else spec or ""))
    return pieces


class TimeToTextSource(VTKPythonAlgorithmBase):
    """ParaView's Annotate Time source: a table of one string, Format with {time} replaced by the time of the
    update ("?" when the update names none), on rank 0 only."""

    def __init__(self) -> None:
        super().__init__(nInputPorts=0, nOutputPorts=1, outputType="vtkTable")
        self._format = check_time_format("Time: {time:f}")

    def SetFormat(self, text: str) -> None:  # noqa: N802
        self._format = check_time_format(text)
        self.Modified()

    def RequestInformation(self, _request: Any, _inputs: Any, outputs: Any) -> int:  # noqa: N802
        out_info = outputs.GetInformationObject(0)
        out_info.Set(vtkAlgorithm.CAN_HANDLE_PIECE_REQUEST(), 1)
        out_info.Set(_SDDP.TIME_RANGE(), (-1e299, 1e299), 2)  # any time: it follows the one it is asked for
        return 1

    def RequestData(self, _request: Any, _inputs: Any, outputs: Any) -> int:  # noqa: N802
        out_info = outputs.GetInformationObject(0)
        if _piece(out_info) != 0:
            return 1
        text = "?"
        if out_info.Has(_SDDP.UPDATE_TIME_STEP()):
            time = out_info.Get(_SDDP.UPDATE_TIME_STEP())
            text = "".join(literal + ("" if spec is None else format(time, spec)) for literal, spec in self._format)
        _text_table(vtkTable.GetData(out_info), text)
        return 1


# ----------------------------------------------------------------------------------------------- images


class FastUniformGrid(VTKPythonAlgorithmBase):
    """ParaView's Fast Uniform Grid (vtkImageSimpleSource): an image of unit spacing whose point arrays are X (the
    x index, active scalars), DistanceSquared (x² + y² + z²) and Swirl ((y, z, x), active vectors); split by
    extent across ranks."""

    def __init__(self) -> None:
        super().__init__(nInputPorts=0, nOutputPorts=1, outputType="vtkImageData")
        self._extent = (-10, 10, -10, 10, -10, 10)
        self._distance, self._swirl = True, True

    def SetWholeExtent(self, *extent: int) -> None:  # noqa: N802
        self._extent = tuple(int(e) for e in extent)
        self.Modified()

    def SetEnableDistanceSquaredData(self, on: int) -> None:  # noqa: N802
        self._distance = bool(on)
        self.Modified()

    def SetEnableSwirlData(self, on: int) -> None:  # noqa: N802
        self._swirl = bool(on)
        self.Modified()

    def SetEnableSMP(self, _on: int) -> None:  # noqa: N802 - threading inside one rank: numpy needs none
        pass

    def SetDesiredBytesPerPiece(self, _size: int) -> None:  # noqa: N802 - the threads' pieces, as EnableSMP
        pass

    def RequestInformation(self, _request: Any, _inputs: Any, outputs: Any) -> int:  # noqa: N802
        out_info = outputs.GetInformationObject(0)
        out_info.Set(_SDDP.WHOLE_EXTENT(), self._extent, 6)
        out_info.Set(vtkDataObject.SPACING(), (1.0, 1.0, 1.0), 3)
        out_info.Set(vtkDataObject.ORIGIN(), (0.0, 0.0, 0.0), 3)
        out_info.Set(vtkAlgorithm.CAN_PRODUCE_SUB_EXTENT(), 1)
        return 1

    def RequestData(self, _request: Any, _inputs: Any, outputs: Any) -> int:  # noqa: N802
        out_info = outputs.GetInformationObject(0)
        extent = out_info.Get(_SDDP.UPDATE_EXTENT())
        output = vtkImageData.GetData(out_info)
        output.SetExtent(extent)
        output.SetSpacing(1.0, 1.0, 1.0)
        output.SetOrigin(0.0, 0.0, 0.0)
        if any(extent[2 * a + 1] < extent[2 * a] for a in range(3)):
            return 1  # an empty piece
        axes = [np.arange(extent[2 * a], extent[2 * a + 1] + 1, dtype=np.float32) for a in range(3)]
        z, y, x = (v.ravel() for v in np.meshgrid(axes[2], axes[1], axes[0], indexing="ij"))  # x fastest
        attributes = output.GetPointData()
        arrays = {"X": x}
        if self._distance:
            arrays["DistanceSquared"] = x * x + y * y + z * z
        if self._swirl:
            arrays["Swirl"] = np.column_stack((y, z, x))
        for name, values in arrays.items():
            array = numpy_to_vtk(values, deep=True)
            array.SetName(name)
            attributes.AddArray(array)
        attributes.SetActiveScalars("X")
        if self._swirl:
            attributes.SetActiveVectors("Swirl")
        return 1


# ----------------------------------------------------------------------------------------------- on piece 0


class FirstPieceSource(VTKPythonAlgorithmBase):
    """A VTK source that makes its whole output on every piece, run on piece 0 alone (the other pieces are empty),
    passing its time steps on and the time of each update to it."""

    def __init__(self, inner: Any) -> None:
        super().__init__(nInputPorts=0, nOutputPorts=1, outputType="vtkDataObject")
        self.inner = inner

    def _set(self, method: str, *values: Any) -> None:
        getattr(self.inner, method)(*values)
        self.Modified()

    def RequestDataObject(self, _request: Any, _inputs: Any, outputs: Any) -> int:  # noqa: N802
        self.inner.UpdateDataObject()
        made = self.inner.GetOutputDataObject(0)
        out_info = outputs.GetInformationObject(0)
        current = out_info.Get(vtkDataObject.DATA_OBJECT())
        if made is not None and (current is None or current.GetClassName() != made.GetClassName()):
            out_info.Set(vtkDataObject.DATA_OBJECT(), made.NewInstance())
        return 1

    def RequestInformation(self, _request: Any, _inputs: Any, outputs: Any) -> int:  # noqa: N802
        self.inner.UpdateInformation()
        inner_info, out_info = self.inner.GetOutputInformation(0), outputs.GetInformationObject(0)
        for key in (_SDDP.TIME_STEPS(), _SDDP.TIME_RANGE()):
            if inner_info.Has(key):
                out_info.CopyEntry(inner_info, key)
        out_info.Set(vtkAlgorithm.CAN_HANDLE_PIECE_REQUEST(), 1)
        return 1

    def RequestData(self, _request: Any, _inputs: Any, outputs: Any) -> int:  # noqa: N802
        out_info = outputs.GetInformationObject(0)
        if _piece(out_info) != 0:
            return 1
        if out_info.Has(_SDDP.UPDATE_TIME_STEP()):
            self.inner.UpdateTimeStep(out_info.Get(_SDDP.UPDATE_TIME_STEP()))
        else:
            self.inner.Update()
        made, output = self.inner.GetOutputDataObject(0), vtkDataObject.GetData(out_info)
        if made is None or made.GetClassName() != output.GetClassName():
            return 0  # the generator failed (an invalid program): VTK has said why
        output.ShallowCopy(made)
        if made.GetInformation().Has(vtkDataObject.DATA_TIME_STEP()):
            output.GetInformation().Set(vtkDataObject.DATA_TIME_STEP(), made.GetInformation().Get(
                vtkDataObject.DATA_TIME_STEP()))  # fmt: skip
        return 1


class DataObjectGenerator(FirstPieceSource):
    """vtkDataObjectGenerator (its Program, such as "ID1" or "MB{ID1 PD1}"), on rank 0."""

    def __init__(self) -> None:
        super().__init__(vtkDataObjectGenerator())

    def SetProgram(self, program: str) -> None:  # noqa: N802
        self._set("SetProgram", program)


class TimeSource(FirstPieceSource):
    """vtkTimeSourceExample: one hexahedron (a growing row of them with Growing) whose values follow the time,
    on rank 0."""

    def __init__(self) -> None:
        super().__init__(vtkTimeSourceExample())

    def SetAnalytic(self, on: int) -> None:  # noqa: N802
        self._set("SetAnalytic", on)

    def SetGrowing(self, on: int) -> None:  # noqa: N802
        self._set("SetGrowing", on)

    def SetXAmplitude(self, value: float) -> None:  # noqa: N802
        self._set("SetXAmplitude", value)

    def SetYAmplitude(self, value: float) -> None:  # noqa: N802
        self._set("SetYAmplitude", value)


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context. The last two are
#: plain VTK classes of modules the registry does not search (a class name, so that the spec reads as VTK's).
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "PolyLineSource": lambda _context: PolyLineSource(),
    "PolyPointSource": lambda _context: PolyPointSource(),
    "SplineFunction": lambda _context: SplineFunction(),
    "CellTypeSource": lambda _context: CellTypeSource(),
    "GlyphSource2D": lambda _context: GlyphSource2D(),
    "RandomAttributeGenerator": lambda _context: RandomAttributeGenerator(),
    "TextSource": lambda _context: TextSource(),
    "TimeToTextSource": lambda _context: TimeToTextSource(),
    "FastUniformGrid": lambda _context: FastUniformGrid(),
    "DataObjectGenerator": lambda _context: DataObjectGenerator(),
    "TimeSource": lambda _context: TimeSource(),
    "vtkVectorText": lambda _context: vtkVectorText(),
    "vtkImageMandelbrotSource": lambda _context: vtkImageMandelbrotSource(),
}
