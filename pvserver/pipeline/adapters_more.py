"""VTK-side adapters of pvcore/definitions/filters_more.py and filters_more_arrays.py.

Outline and Outline Corners lie at the bounds of all ranks' pieces together, and Texture Map to Sphere centres its
sphere on the mean of all ranks' points (what ParaView's vtkPOutlineFilter and vtkPTextureMapToSphere compute
through a VTK controller, which this server does not set): these combine the ranks through the communicator of
their :class:`~pvserver.pipeline.context.Context`, and the outline exists once, on rank 0. The others are VTK
objects with ParaView's setters (Linear Extrusion's vector sweep, Mesh Quality's measures by their labels) or
small Python algorithms for ParaView classes the pip VTK lacks (vtkProcessIdScalars, vtkPVExtractComponent).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonCore import vtkFloatArray, vtkIntArray, vtkMath
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkDataSet
from vtkmodules.vtkFiltersCore import vtkArrayRename
from vtkmodules.vtkFiltersExtraction import vtkExtractCellsByType
from vtkmodules.vtkFiltersModeling import vtkLinearExtrusionFilter
from vtkmodules.vtkFiltersSources import vtkOutlineCornerSource, vtkOutlineSource
from vtkmodules.vtkFiltersTexture import vtkTextureMapToSphere
from vtkmodules.vtkFiltersVerdict import vtkMeshQuality

from pvcore.errors import PipelineError
from pvserver.pipeline.adapters_analysis_reduce import AnalysisAlgorithm, allgather, dataset_bounds, global_bounds
from pvserver.pipeline.adapters_more_arrays import ADAPTERS as _ARRAY_ADAPTERS
from pvserver.pipeline.adapters_more_arrays import same_type_as_input
from pvserver.pipeline.adapters_more_images import ADAPTERS as _IMAGE_ADAPTERS
from pvserver.pipeline.context import Context


class OutlineAdapter(AnalysisAlgorithm):
    """ParaView's Outline (``corners`` false) or Outline Corners: the box of all ranks' bounds, on rank 0."""

    def __init__(self, comm: Any, corners: bool) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkPolyData")
        self.source = vtkOutlineCornerSource() if corners else vtkOutlineSource()
        self.name = "Outline Corners" if corners else "Outline"

    def SetCornerFactor(self, factor: float) -> None:  # noqa: N802 - the definitions' setter
        self.source.SetCornerFactor(factor)
        self.Modified()

    def execute(self, in_info: Any, out_info: Any) -> None:
        piece = vtkDataSet.GetData(in_info[0])
        bounds = global_bounds(self.comm, lambda: dataset_bounds(piece), self.name)
        if bounds is None or self.rank != 0:  # the one outline is rank 0's; the others hold none
            return
        self.source.SetBounds(*bounds)
        self.source.Update()
        vtkDataObject.GetData(out_info).ShallowCopy(self.source.GetOutput())


class TextureMapToSphereAdapter(AnalysisAlgorithm):
    """vtkTextureMapToSphere about the mean of all ranks' points (each rank's piece keeps its own points)."""

    def __init__(self, comm: Any) -> None:
        super().__init__(comm, 1, "vtkDataSet", "vtkDataSet")
        self.mapper = vtkTextureMapToSphere()
        self.mapper.AutomaticSphereGenerationOff()

    def SetPreventSeam(self, prevent: int) -> None:  # noqa: N802
        self.mapper.SetPreventSeam(prevent)
        self.Modified()

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        same_type_as_input(in_info, out_info)
        return 1

    def execute(self, in_info: Any, out_info: Any) -> None:
        piece = vtkDataSet.GetData(in_info[0])

        def sums() -> tuple[list[float], int]:
            if piece is None or piece.GetNumberOfPoints() == 0:
                return [0.0, 0.0, 0.0], 0
            points = vtk_to_numpy(piece.GetPoints().GetData()).astype(float)
            return points.sum(axis=0).tolist(), len(points)

        parts = allgather(self.comm, sums, "Texture Map to Sphere")
        count = sum(n for _, n in parts)
        if piece is None or piece.GetNumberOfPoints() == 0 or count == 0:
            return
        self.mapper.SetCenter(*(np.sum([s for s, _ in parts], axis=0) / count))
        self.mapper.SetInputData(piece)
        self.mapper.Update()
        vtkDataObject.GetData(out_info).ShallowCopy(self.mapper.GetOutput())
        self.mapper.RemoveAllInputConnections(0)  # hold no piece between updates


class ProcessIdScalars(VTKPythonAlgorithmBase):
    """ParaView's Process Id Scalars (vtkProcessIdScalars): an int array ProcessId holding the rank's number at
    every point (or cell), or with RandomMode one random float per rank (seeded by the rank, as VTK's)."""

    def __init__(self, rank: int) -> None:
        super().__init__(nInputPorts=1, inputType="vtkDataSet", nOutputPorts=1, outputType="vtkDataSet")
        self.rank = rank
        self.random, self.cells = False, False

    def SetRandomMode(self, random: int) -> None:  # noqa: N802
        self.random = bool(random)
        self.Modified()

    def SetCellScalars(self, cells: int) -> None:  # noqa: N802
        self.cells = bool(cells)
        self.Modified()

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        same_type_as_input(in_info, out_info)
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        piece = vtkDataSet.GetData(in_info[0])
        output = vtkDataSet.GetData(out_info)
        output.ShallowCopy(piece)
        count = piece.GetNumberOfCells() if self.cells else piece.GetNumberOfPoints()
        if self.random:
            vtkMath.RandomSeed(self.rank)
            array, value = vtkFloatArray(), vtkMath.Random()
        else:
            array, value = vtkIntArray(), self.rank
        array.SetName("ProcessId")
        array.SetNumberOfTuples(count)
        array.Fill(value)
        attributes = output.GetCellData() if self.cells else output.GetPointData()
        attributes.AddArray(array)
        attributes.SetActiveScalars("ProcessId")
        return 1


class LinearExtrusionAdapter(vtkLinearExtrusionFilter):
    """vtkLinearExtrusionFilter sweeping along Vector, as ParaView's vtkPVLinearExtrusionFilter does (VTK's own
    default sweeps along the normals)."""

    def __init__(self) -> None:
        super().__init__()
        self.SetExtrusionTypeToVectorExtrusion()


#: ParaView's labels of vtkMeshQuality's measures -> VTK's ids (its QualityMeasureTypes).
_MEASURE_IDS = {
    "Edge Ratio": 0, "Aspect Ratio": 1, "Radius Ratio": 2, "Aspect Frobenius": 3, "Mean Aspect Frobenius": 4,
    "Maximum Aspect Frobenius": 5, "Minimum Angle": 6, "Minimum Dihedral Angle": 6, "Collapse Ratio": 7,
    "Maximum Angle": 8, "Condition": 9, "Scaled Jacobian": 10, "Shear": 11, "Relative Size Squared": 12,
    "Shape": 13, "Shape and Size": 14, "Distortion": 15, "Maximum Edge Ratio": 16, "Skew": 17, "Taper": 18,
    "Volume": 19, "Stretch": 20, "Diagonal": 21, "Dimension": 22, "Oddy": 23, "Shear and Size": 24, "Jacobian": 25,
    "Warpage": 26, "Aspect Gamma": 27, "Area": 28, "Equiangle Skew": 29, "Equivolume Skew": 30,
    "Maximum Stretch": 31, "Mean Ratio": 33, "Nodal Jacobian Ratio": 34, "Normalized Inradius": 35,
    "Squish Index": 36,
}  # fmt: skip
#: A wedge's mean aspect Frobenius is a measure of its own.
_WEDGE_MEASURE_IDS = {**_MEASURE_IDS, "Mean Aspect Frobenius": 32}


def _measure_setter(cell: str, ids: dict[str, int]) -> Callable[[Any, str], None]:
    def setter(self: Any, label: str) -> None:
        if label not in ids:
            raise PipelineError(f"MeshQuality: {label!r} is not a {cell} quality measure.")
        getattr(super(MeshQualityAdapter, self), f"Set{cell}QualityMeasure")(ids[label])

    return setter


class MeshQualityAdapter(vtkMeshQuality):
    """vtkMeshQuality whose measures are set by ParaView's labels ("Radius Ratio")."""

    SetTriangleQualityMeasure = _measure_setter("Triangle", _MEASURE_IDS)
    SetQuadQualityMeasure = _measure_setter("Quad", _MEASURE_IDS)
    SetTetQualityMeasure = _measure_setter("Tet", _MEASURE_IDS)
    SetPyramidQualityMeasure = _measure_setter("Pyramid", _MEASURE_IDS)
    SetWedgeQualityMeasure = _measure_setter("Wedge", _WEDGE_MEASURE_IDS)
    SetHexQualityMeasure = _measure_setter("Hex", _MEASURE_IDS)


#: ParaView's labels of the cell types Extract Cells By Type keeps -> VTK's cell type ids.
CELL_TYPE_IDS = {
    "Vertex": 1, "Polyvertex": 2, "Line": 3, "Polyline": 4, "Triangle": 5, "Triangle Strip": 6, "Polygon": 7,
    "Pixel": 8, "Quadrilateral": 9, "Tetrahedron": 10, "Voxel": 11, "Hexahedron": 12, "Wedge": 13, "Pyramid": 14,
    "Pentagonal Prism": 15, "Hexagonal Prism": 16, "Polyhedron": 42,
}  # fmt: skip


class ExtractCellsByTypeAdapter(vtkExtractCellsByType):
    """vtkExtractCellsByType keeping the cell types named by ParaView's labels ("Triangle", "Hexahedron")."""

    def __init__(self) -> None:
        super().__init__()
        self.RemoveAllCellTypes()

    def SetCellTypes(self, *labels: str) -> None:  # noqa: N802
        unknown = [label for label in labels if label not in CELL_TYPE_IDS]
        if unknown:
            raise PipelineError(
                f"ExtractCellsByType: unknown cell type {unknown[0]!r}; the types are: {', '.join(CELL_TYPE_IDS)}."
            )
        self.RemoveAllCellTypes()
        for label in labels:
            self.AddCellType(CELL_TYPE_IDS[label])


class RenameArraysAdapter(vtkArrayRename):
    """vtkArrayRename given ParaView's lists of (name, new name) pairs, one list per association."""

    def _pairs(self, association: str, names: tuple[str, ...]) -> None:
        if len(names) % 2:
            raise PipelineError(f"RenameArrays.{association}Arrays: give pairs of a name and its new name.")
        getattr(self, f"Clear{association}Mapping")()
        for old, new in zip(names[::2], names[1::2], strict=True):
            getattr(self, f"Set{association}ArrayName")(old, new)
        self.Modified()

    def SetPointArrays(self, *names: str) -> None:  # noqa: N802
        self._pairs("Point", names)

    def SetCellArrays(self, *names: str) -> None:  # noqa: N802
        self._pairs("Cell", names)

    def SetFieldArrays(self, *names: str) -> None:  # noqa: N802
        self._pairs("Field", names)


def _rank(context: Context) -> int:
    return context.comm.Get_rank() if context.comm is not None else 0


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "OutlineAdapter": lambda context: OutlineAdapter(context.comm, corners=False),
    "OutlineCornersAdapter": lambda context: OutlineAdapter(context.comm, corners=True),
    "TextureMapToSphereAdapter": lambda context: TextureMapToSphereAdapter(context.comm),
    "ProcessIdScalarsAdapter": lambda context: ProcessIdScalars(_rank(context)),
    "LinearExtrusionAdapter": lambda _context: LinearExtrusionAdapter(),
    "MeshQualityAdapter": lambda _context: MeshQualityAdapter(),
    "ExtractCellsByTypeAdapter": lambda _context: ExtractCellsByTypeAdapter(),
    "RenameArraysAdapter": lambda _context: RenameArraysAdapter(),
    **_ARRAY_ADAPTERS,
    **_IMAGE_ADAPTERS,
}
