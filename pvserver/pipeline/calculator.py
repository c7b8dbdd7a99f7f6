"""The Calculator filter: vtkArrayCalculator with every input array declared as a variable.

vtkArrayCalculator only knows the variables it is told about; ParaView's calculator declares all arrays of the
input (and the point coordinates) before each execution, so that a user can write ``RTData*2`` or
``coordsX+coordsY`` at once. This algorithm does the same.
"""

from __future__ import annotations

from typing import Any

from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonCore import VTK_DOUBLE, VTK_FLOAT, VTK_INT
from vtkmodules.vtkCommonDataModel import vtkDataSet
from vtkmodules.vtkFiltersCore import vtkArrayCalculator

RESULT_TYPES = {"Double": VTK_DOUBLE, "Float": VTK_FLOAT, "Int": VTK_INT}


class CalculatorAlgorithm(VTKPythonAlgorithmBase):
    """A dataset-to-dataset algorithm wrapping vtkArrayCalculator."""

    def __init__(self) -> None:
        super().__init__(nInputPorts=1, inputType="vtkDataSet", nOutputPorts=1, outputType="vtkDataSet")
        self.function = ""
        self.result_name = "Result"
        self.attribute_type = "Point Data"
        self.result_type = "Double"
        self.errors: list[str] = []

    # setters of the Calculator's properties (pvcore.definitions.filters_core)
    def SetFunction(self, text: str) -> None:
        self.function = text
        self.Modified()

    def SetResultArrayName(self, name: str) -> None:
        self.result_name = name
        self.Modified()

    def SetAttributeType(self, attribute_type: str) -> None:
        """ "Point Data" or "Cell Data": which arrays are the variables, and where the result goes."""
        self.attribute_type = attribute_type
        self.Modified()

    def SetResultArrayType(self, result_type: str) -> None:
        """ "Double", "Float" or "Int"."""
        self.result_type = result_type
        self.Modified()

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:
        data = vtkDataSet.GetData(in_info[0])
        if data is not None:
            out = out_info.GetInformationObject(0)
            current = out.Get(vtkDataSet.DATA_OBJECT())
            if current is None or not current.IsA(data.GetClassName()):
                out.Set(vtkDataSet.DATA_OBJECT(), data.NewInstance())
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:
        # VTK would print a Python exception and report a bare failure; keep the message for the client.
        try:
            return self._execute(in_info, out_info)
        except Exception as exc:
            self.errors.append(str(exc))
            return 0

    def _execute(self, in_info: Any, out_info: Any) -> int:
        data = vtkDataSet.GetData(in_info[0])
        output = vtkDataSet.GetData(out_info)
        if data.GetNumberOfPoints() == 0 or not self.function:
            output.ShallowCopy(data)
            return 1
        calc = vtkArrayCalculator()
        calc.SetInputData(data)
        cells = self.attribute_type == "Cell Data"
        calc.SetAttributeTypeToCellData() if cells else calc.SetAttributeTypeToPointData()
        attributes = data.GetCellData() if cells else data.GetPointData()
        for i in range(attributes.GetNumberOfArrays()):
            array = attributes.GetAbstractArray(i)
            if array is None or not array.GetName() or not array.IsNumeric():
                continue
            if array.GetNumberOfComponents() == 1:
                calc.AddScalarArrayName(array.GetName())
            elif array.GetNumberOfComponents() == 3:
                calc.AddVectorArrayName(array.GetName())
        if not cells:
            for axis, name in enumerate(("coordsX", "coordsY", "coordsZ")):
                calc.AddCoordinateScalarVariable(name, axis)
            calc.AddCoordinateVectorVariable("coords", 0, 1, 2)
        calc.SetFunction(self.function)
        calc.SetResultArrayName(self.result_name)
        calc.SetResultArrayType(RESULT_TYPES[self.result_type])
        calc.Update()
        result = calc.GetOutput()
        if (
            result is None
            or (result.GetPointData() if not cells else result.GetCellData()).GetArray(self.result_name) is None
        ):
            raise ValueError(
                f"Calculator could not evaluate {self.function!r}; variables are the input's "
                f"arrays and coordsX, coordsY, coordsZ, coords."
            )
        output.ShallowCopy(result)
        return 1
