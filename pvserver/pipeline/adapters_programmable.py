"""VTK-side adapters of the programmable family (see :mod:`pvserver.pipeline.adapters` for what an adapter is):
ParaView's vtkPythonProgrammableFilter (ProgrammableFilter, ProgrammableSource) and vtkPythonCalculator
(:mod:`pvserver.pipeline.programmable_calculator`).

Each rank runs the user's Python on its own piece, as ParaView does, under the bounds of
:mod:`pvserver.pipeline.programmable_guard`. Only a server that allows it lets a client create these (the gate in
:mod:`pvserver.handlers.changes`); here they run what they are given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vtkmodules.numpy_interface import dataset_adapter
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkDataObjectTypes

from pvserver.pipeline import programmable_scripts as scripts
from pvserver.pipeline.context import Context
from pvserver.pipeline.programmable_base import ScriptedAlgorithm, initialize_output
from pvserver.pipeline.programmable_calculator import PythonCalculatorAlgorithm

#: OutputDataSetType labels (ParaView's) whose VTK class is spelled otherwise.
_CLASS_OF_LABEL = {"vtkMultiblockDataSet": "vtkMultiBlockDataSet"}
SAME_AS_INPUT = "Same as Input"


class ProgrammableAlgorithm(ScriptedAlgorithm):
    """ParaView's vtkPythonProgrammableFilter: a filter (one input) or a source (none) whose RequestData,
    RequestInformation and RequestUpdateExtent are the user's scripts, run as functions of
    ``(self, inputs, output, request)`` (see :mod:`pvserver.pipeline.programmable_scripts`)."""

    def __init__(self, inputs: int) -> None:
        super().__init__(inputs)
        # keyed by the property names the user knows, which name the script in its errors
        self._information = "RequestInformationScript" if inputs else "ScriptRequestInformation"
        self.scripts = {"Script": "", self._information: "", "RequestUpdateExtentScript": ""}
        self.output_type = SAME_AS_INPUT if inputs else "vtkPolyData"
        self.copy_arrays = False
        self.parameter_pairs: tuple[str, ...] = ()
        self._compiled: dict[tuple[str, str], Any] = {}

    # setters of the properties (pvcore.definitions.filters_programmable)
    def SetScript(self, text: str) -> None:  # noqa: N802
        self.scripts["Script"] = text
        self.Modified()

    def SetInformationScript(self, text: str) -> None:  # noqa: N802
        self.scripts[self._information] = text
        self.Modified()

    def SetUpdateExtentScript(self, text: str) -> None:  # noqa: N802
        self.scripts["RequestUpdateExtentScript"] = text
        self.Modified()

    def SetOutputDataSetType(self, label: str) -> None:  # noqa: N802
        self.output_type = label
        self.Modified()

    def SetCopyArrays(self, flag: int) -> None:  # noqa: N802
        self.copy_arrays = bool(flag)
        self.Modified()

    def SetParameters(self, *pairs: str) -> None:  # noqa: N802
        """ParaView's Parameters: name, value, name, value... (each value a Python expression)."""
        self.parameter_pairs = tuple(pairs)
        self.Modified()

    def GetCopyArrays(self) -> int:  # noqa: N802
        return int(self.copy_arrays)

    # ----------------------------------------------------------------------------------- pipeline passes

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        if self.output_type == SAME_AS_INPUT:
            data = vtkDataObject.GetData(in_info[0]) if in_info else None
            if data is None:
                self.errors.append("OutputDataSetType 'Same as Input' needs an input.")
                return 0
            class_name, make = data.GetClassName(), data.NewInstance
        else:
            class_name = _CLASS_OF_LABEL.get(self.output_type, self.output_type)
            make = lambda: vtkDataObjectTypes.NewDataObject(class_name)  # noqa: E731
        out = out_info.GetInformationObject(0)
        current = out.Get(vtkDataObject.DATA_OBJECT())
        if current is None or not current.IsA(class_name):
            made = make()
            if made is None:
                self.errors.append(f"Cannot make an output of type {class_name}.")
                return 0
            out.Set(vtkDataObject.DATA_OBJECT(), made)
        return 1

    def RequestInformation(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        return self._run(self._information, "RequestInformation", request)

    def RequestUpdateExtent(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        return self._run("RequestUpdateExtentScript", "RequestUpdateExtent", request)

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        if in_info:
            initialize_output(vtkDataObject.GetData(in_info[0]), vtkDataObject.GetData(out_info), self.copy_arrays)
        return self._run("Script", "RequestData", request)

    def _run(self, what: str, function: str, request: Any) -> int:
        if not self.scripts[what].strip():
            return 1

        def body() -> None:
            key = (what, self.scripts[what])
            if key not in self._compiled:
                self._compiled = {k: v for k, v in self._compiled.items() if k[0] != what}
                self._compiled[key] = scripts.compile_function(self.scripts[what], what, function)
            names = scripts.namespace()
            names.update(scripts.parameters(self.parameter_pairs, names))
            exec(self._compiled[key], names)  # the master's script, where the server allows it
            count = self.GetNumberOfInputConnections(0) if self.GetNumberOfInputPorts() else 0
            inputs = [dataset_adapter.WrapDataObject(self.GetInputDataObject(0, i)) for i in range(count)]
            output = dataset_adapter.WrapDataObject(self.GetOutputDataObject(0))
            names[function](self, inputs, output, request)

        self.run_user_code(what, self.scripts, body)
        return 1  # a failure is in self.errors, which the executor raises: no second message from VTK


#: Adapter name (a spec's ``vtk_class``) -> factory of the VTK object, given the rank's context.
ADAPTERS: dict[str, Callable[[Context], Any]] = {
    "ProgrammableFilterAlgorithm": lambda _context: ProgrammableAlgorithm(inputs=1),
    "ProgrammableSourceAlgorithm": lambda _context: ProgrammableAlgorithm(inputs=0),
    "PythonCalculatorAlgorithm": lambda _context: PythonCalculatorAlgorithm(),
}
