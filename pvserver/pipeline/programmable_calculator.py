"""ParaView's Python Calculator (vtkPythonCalculator with paraview/detail/calculator.py): a Python expression
evaluated on the input's arrays, its value stored as a new array.

The expression sees each array of the chosen association under its name made a valid Python name (ParaView's
``make_name_valid``: other characters dropped, an ``a`` in front of a leading digit), ``inputs`` (the wrapped
input), ``points``, ``time_value``/``t_value`` and ``time_index``/``t_index``, numpy (``np``, ``numpy``) and the
``vtkmodules.numpy_interface.algorithms`` functions (``sin``, ``mag``, ``gradient``...). As in ParaView, parts
joined by `` and `` are evaluated apart and combined element by element, and ``{timevalue}`` and ``{timeindex}``
are replaced by the input's time.

On several ranks each rank evaluates the expression on its piece. Where ParaView shares array names among the
ranks (an array a rank's empty piece lacks becomes ``NoneArray``) with a collective, a name that a rank's empty
piece lacks is ``NoneArray`` here, so that no rank waits on another. The reductions of the numpy_interface
algorithms (``max``, ``min``, ``sum``, ``mean``) are per rank: VTK's reduction over ranks needs its MPI controller,
which this VTK lacks.
"""

from __future__ import annotations

import builtins
import string
from typing import Any

from vtkmodules.numpy_interface import dataset_adapter as dsa
from vtkmodules.vtkCommonDataModel import vtkDataObject
from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp

from pvserver.pipeline import programmable_scripts as scripts
from pvserver.pipeline.programmable_base import ScriptedAlgorithm, initialize_output

#: ArrayAssociation labels -> dataset_adapter's association (vtkDataObject's FIELD_ASSOCIATION_*).
ASSOCIATIONS = {"Point Data": dsa.ArrayAssociation.POINT, "Cell Data": dsa.ArrayAssociation.CELL}
_VALID_CHARACTERS = frozenset("_" + string.ascii_letters + string.digits)


def make_name_valid(name: str) -> str:
    """An array name as a Python name, as ParaView makes it ("" for an empty name)."""
    name = "".join(c for c in name or "" if c in _VALID_CHARACTERS)
    return "a" + name if name and not name[0].isalpha() else name


class _ArrayNames(dict):
    """The expression's local names; on an empty piece, any other name that is no global either is NoneArray."""

    def __init__(self, values: dict[str, Any], globals_: dict[str, Any], empty_piece: bool) -> None:
        super().__init__(values)
        self._globals, self._empty_piece = globals_, empty_piece

    def __missing__(self, key: str) -> Any:
        if self._empty_piece and key not in self._globals and not hasattr(builtins, key):
            return dsa.NoneArray
        raise KeyError(key)


class PythonCalculatorAlgorithm(ScriptedAlgorithm):
    """One input; the output is the input's type, its arrays (CopyArrays) or structure, and the result array."""

    def __init__(self) -> None:
        super().__init__(inputs=1)
        self.expression = ""
        self.array_name = "result"
        self.association = "Point Data"
        self.copy_arrays = True
        self._compiled: tuple[str, list[Any]] = ("", [])

    # setters of the properties (pvcore.definitions.filters_programmable)
    def SetExpression(self, text: str) -> None:  # noqa: N802 - a VTK setter
        self.expression = text
        self.Modified()

    def SetArrayName(self, name: str) -> None:  # noqa: N802
        self.array_name = name
        self.Modified()

    def SetArrayAssociation(self, label: str) -> None:  # noqa: N802
        self.association = label
        self.Modified()

    def SetCopyArrays(self, flag: int) -> None:  # noqa: N802
        self.copy_arrays = bool(flag)
        self.Modified()

    def GetCopyArrays(self) -> int:  # noqa: N802
        return int(self.copy_arrays)

    # ----------------------------------------------------------------------------------- pipeline passes

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        data = vtkDataObject.GetData(in_info[0])
        if data is not None:
            out = out_info.GetInformationObject(0)
            current = out.Get(vtkDataObject.DATA_OBJECT())
            if current is None or not current.IsA(data.GetClassName()):
                out.Set(vtkDataObject.DATA_OBJECT(), data.NewInstance())
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
        data, output = vtkDataObject.GetData(in_info[0]), vtkDataObject.GetData(out_info)
        initialize_output(data, output, self.copy_arrays)
        if not self.expression.strip():
            return 1
        time_value, time_index = _data_time(data, in_info[0].GetInformationObject(0))
        text = self.expression.replace("{timevalue}", repr(time_value or 0.0))
        text = text.replace("{timeindex}", str(time_index or 0))

        def body() -> None:
            wrapped = dsa.WrapDataObject(data)
            wrapped.time_value = wrapped.t_value = time_value
            wrapped.time_index = wrapped.t_index = time_index
            names = scripts.namespace()
            association = ASSOCIATIONS[self.association]
            attributes = wrapped.GetAttributes(association)
            values: dict[str, Any] = {make_name_valid(k): attributes[k] for k in attributes.keys() if k}  # noqa: SIM118 - no __iter__
            values.update(time_value=time_value, t_value=time_value, time_index=time_index, t_index=time_index)
            values["inputs"] = [wrapped]
            if hasattr(wrapped, "Points"):
                values["points"] = wrapped.Points
            empty = _count(data, association) == 0
            result = None
            for part in self._parts(text):
                value = eval(part, names, _ArrayNames(values, names, empty))  # the master's, where allowed
                result = value if result is None else dsa.VTKArray([a & b for a, b in zip(result, value, strict=True)])
            if result is None:
                return
            target = result.Association if getattr(result, "Association", None) is not None else association
            dsa.WrapDataObject(output).GetAttributes(target).append(result, self.array_name)

        self.run_user_code("Expression", {"Expression": text}, body)
        return 1  # a failure is in self.errors, which the executor raises

    def _parts(self, text: str) -> list[Any]:
        """The compiled parts of the expression (split at " and ", as ParaView does), compiled once per text."""
        if self._compiled[0] != text:
            parts = [compile(p, scripts.file_name("Expression"), "eval") for p in text.split(" and ")]
            self._compiled = (text, parts)
        return self._compiled[1]


def _count(data: Any, association: int) -> int:
    if association == dsa.ArrayAssociation.CELL:
        return data.GetNumberOfCells() if hasattr(data, "GetNumberOfCells") else 1
    return data.GetNumberOfPoints() if hasattr(data, "GetNumberOfPoints") else 1


def _data_time(data: Any, info: Any) -> tuple[float | None, int | None]:
    """The input's time value (DATA_TIME_STEP) and its index among the input's TIME_STEPS, as ParaView gives them."""
    data_info = data.GetInformation() if data is not None else None
    time_value = (
        data_info.Get(vtkDataObject.DATA_TIME_STEP())
        if data_info and data_info.Has(vtkDataObject.DATA_TIME_STEP())
        else None
    )
    steps = list(info.Get(Sddp.TIME_STEPS())) if info is not None and info.Has(Sddp.TIME_STEPS()) else []
    index = steps.index(time_value) if time_value in steps else None
    return time_value, index
