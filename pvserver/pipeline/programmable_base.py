"""What the programmable algorithms share (ProgrammableFilter, ProgrammableSource, PythonCalculator): user code
run under a guard (:mod:`pvserver.pipeline.programmable_guard`), its errors kept in words for the client, the
``self.GetOutput()``-style accessors ParaView's scripts call on ``self``, and vtkProgrammableFilter's way of
starting the output from the input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonDataModel import vtkCompositeDataSet

from pvserver.pipeline import programmable_scripts as scripts
from pvserver.pipeline.programmable_guard import ScriptGuard, ScriptInterrupted


class ScriptedAlgorithm(VTKPythonAlgorithmBase):
    """What the programmable algorithms share: user code run under a guard, its errors kept for the client, and
    the ``self.GetOutput()``-style accessors ParaView's scripts call on ``self``."""

    def __init__(self, inputs: int) -> None:
        super().__init__(nInputPorts=inputs, inputType="vtkDataObject", nOutputPorts=1, outputType="vtkDataObject")
        self.errors: list[str] = []
        self.python_path = ""

    def SetPythonPath(self, text: str) -> None:  # noqa: N802 - a VTK setter
        """Folders (separated by ;) put in front of ``sys.path`` while the scripts run."""
        self.python_path = text
        self.Modified()

    @contextmanager
    def _python_path(self) -> Iterator[None]:
        folders = [p.strip("\"' ") for p in self.python_path.split(";") if p.strip("\"' ")]
        saved = list(sys.path)
        sys.path[:0] = [p for p in folders if p not in sys.path]
        try:
            yield
        finally:
            sys.path[:] = saved

    def run_user_code(self, what: str, sources: dict[str, str], body: Callable[[], Any]) -> bool:
        """Run ``body`` (which runs the user code called ``what``) under a guard; on an error or a stop, keep
        the error in words (with the script's line) for the client and return False."""
        guard = ScriptGuard(self, what)
        try:
            with self._python_path(), guard.running():
                body()
        except (Exception, ScriptInterrupted) as exc:
            self.errors.append(scripts.describe_error(exc, sources, guard.reason))
            return False
        return True

    # ----------------------------------------------------------------------------------- what scripts call

    def GetInput(self, port: int = 0) -> Any:  # noqa: N802 - ParaView's names
        """The first input data object of ``port`` (None for a source)."""
        return self.GetInputDataObject(port, 0) if self.GetNumberOfInputPorts() > port else None

    def GetOutput(self, port: int = 0) -> Any:  # noqa: N802
        """The output data object."""
        return self.GetOutputDataObject(port)

    def _output_as(self, class_name: str) -> Any:
        data = self.GetOutputDataObject(0)
        return data if data is not None and data.IsA(class_name) else None

    def GetPolyDataOutput(self) -> Any:  # noqa: N802
        return self._output_as("vtkPolyData")

    def GetImageDataOutput(self) -> Any:  # noqa: N802
        return self._output_as("vtkImageData")

    def GetStructuredPointsOutput(self) -> Any:  # noqa: N802
        return self._output_as("vtkImageData")

    def GetStructuredGridOutput(self) -> Any:  # noqa: N802
        return self._output_as("vtkStructuredGrid")

    def GetUnstructuredGridOutput(self) -> Any:  # noqa: N802
        return self._output_as("vtkUnstructuredGrid")

    def GetRectilinearGridOutput(self) -> Any:  # noqa: N802
        return self._output_as("vtkRectilinearGrid")

    def GetTableOutput(self) -> Any:  # noqa: N802
        return self._output_as("vtkTable")

    def GetMultiBlockDataSetOutput(self) -> Any:  # noqa: N802
        return self._output_as("vtkMultiBlockDataSet")


def initialize_output(data: Any, output: Any, copy_arrays: bool) -> None:
    """As vtkProgrammableFilter: an output of the input's type starts as the input (CopyArrays) or its structure;
    a composite one block by block."""
    if data is None or output is None or data.GetDataObjectType() != output.GetDataObjectType():
        return
    if isinstance(data, vtkCompositeDataSet):
        output.CopyStructure(data)
        blocks = data.NewIterator()
        blocks.InitTraversal()
        while not blocks.IsDoneWithTraversal():
            block = blocks.GetCurrentDataObject()
            copy = block.NewInstance()
            initialize_output(block, copy, copy_arrays)
            output.SetDataSet(blocks, copy)
            blocks.GoToNextItem()
    elif copy_arrays:
        output.ShallowCopy(data)
    elif hasattr(data, "CopyStructure"):
        output.CopyStructure(data)
