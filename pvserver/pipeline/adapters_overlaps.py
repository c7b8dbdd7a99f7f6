"""ParaView's Overlapping Cells Detector on any number of ranks.

VTK's vtkOverlappingCellsDetector finds overlaps across pieces through a VTK controller, which this server does
not set; so the ranks' pieces are gathered on rank 0 (pvserver.pipeline.gathering), which detects the overlaps of
the whole: every cell's count is then the same as on one rank, and the output lies on rank 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonDataModel import vtkDataObject
from vtkmodules.vtkFiltersParallelDIY2 import vtkOverlappingCellsDetector

from pvserver.pipeline.context import Context
from pvserver.pipeline.gathering import gather_on_rank_0


class OverlappingCellsAdapter(VTKPythonAlgorithmBase):
    """Counts, per cell, the other cells it overlaps (cell array NumberOfOverlapsPerCell), over all ranks."""

    collective = True  # its RequestData takes part in collectives: see RankExecutor.update

    def __init__(self, comm: Any) -> None:
        # The output type is the input's (RequestDataObject); declared as their common base.
        super().__init__(nInputPorts=1, inputType="vtkPointSet", nOutputPorts=1, outputType="vtkPointSet")
        self.comm = comm
        self.detector = vtkOverlappingCellsDetector()
        self.errors: list[Exception] = []

    def SetTolerance(self, tolerance: float) -> None:  # noqa: N802 - the definitions' setter
        self.detector.SetTolerance(tolerance)
        self.Modified()

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        """The output is of the input's type (a surface stays a surface)."""
        data = vtkDataObject.GetData(in_info[0])
        output = vtkDataObject.GetData(out_info)
        if data is not None and (output is None or output.GetClassName() != data.GetClassName()):
            out_info.GetInformationObject(0).Set(vtkDataObject.DATA_OBJECT(), data.NewInstance())
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        piece = vtkDataObject.GetData(in_info[0])
        output = vtkDataObject.GetData(out_info)
        try:
            if self.comm is not None and self.comm.Get_size() > 1:
                piece = gather_on_rank_0(self.comm, piece, "detect overlapping cells")
            if piece is None:  # not rank 0: the whole result is there
                output.Initialize()
                return 1
            self.detector.SetInputData(piece)
            self.detector.Update()
            output.ShallowCopy(self.detector.GetOutputDataObject(0))
            return 1
        except Exception as exc:  # the executor reports it with this rank's number
            self.errors.append(exc)
            return 0


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "OverlappingCellsAdapter": lambda context: OverlappingCellsAdapter(context.comm),
}
