"""Adapters of the temporal filters (pvcore/definitions/filters_temporal.py): VTK's classes with one setter per
list property, where VTK takes a count and an array (or one value per call)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vtkmodules.vtkFiltersExtraction import vtkExtractTimeSteps
from vtkmodules.vtkFiltersHybrid import vtkForceTime, vtkGenerateTimeSteps, vtkTemporalShiftScale

from pvserver.pipeline.context import Context


class GenerateTimeStepsAdapter(vtkGenerateTimeSteps):
    """vtkGenerateTimeSteps with ParaView's TimeStepValues: the whole list in one setter, in ascending order (as
    VTK's pipeline requires of time steps: a list given in another order is sorted)."""

    def SetTimeStepValues(self, *values: float) -> None:  # noqa: N802 - a VTK setter
        self.ClearTimeStepValues()
        for value in sorted(values):
            self.AddTimeStepValue(float(value))
        self.Modified()


class ExtractTimeStepsAdapter(vtkExtractTimeSteps):
    """vtkExtractTimeSteps with ParaView's TimeStepIndices: the whole list in one setter."""

    def SetTimeStepIndices(self, *indices: int) -> None:  # noqa: N802
        self.ClearTimeStepIndices()
        for index in indices:
            self.AddTimeStepIndex(int(index))
        self.Modified()


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object; the plain VTK classes are of modules the
#: registry does not search.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "GenerateTimeStepsAdapter": lambda _context: GenerateTimeStepsAdapter(),
    "ExtractTimeStepsAdapter": lambda _context: ExtractTimeStepsAdapter(),
    "vtkForceTime": lambda _context: vtkForceTime(),
    "vtkTemporalShiftScale": lambda _context: vtkTemporalShiftScale(),
}
