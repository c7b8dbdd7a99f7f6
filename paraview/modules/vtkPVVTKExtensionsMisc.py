"""``paraview.modules.vtkPVVTKExtensionsMisc``: ParaView's vtkCleanArrays, as a Python VTK algorithm.

vtkCleanArrays makes every dataset of its input carry the same arrays: those that all of them have
(``FillPartialArraysOff()``, the default), or those that any of them has, the missing ones added filled with zeros
(``FillPartialArraysOn()``; ``MarkFilledPartialArraysOn()`` also adds, for each, an unsigned-char
``__vtkValidMask__<name>`` array: 1 where the values are the data's own, 0 where filled). The datasets are the
non-empty blocks of composite data and, across processes, every process's piece: the controller (ParaView's
SetController, by default ``vtkMultiProcessController.GetGlobalController()``) says which processes take part.
Here that is a vtkDummyController (this process alone, as in pvpython and pvbatch) or an mpi4py communicator,
whose ranks then all call Update() together; the pip VTK has no MPI controller.
"""

# ruff: noqa: N999 - the module is named as ParaView's C++ module, which scripts import by that name
from __future__ import annotations

from typing import Any

from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonCore import vtkAbstractArray, vtkUnsignedCharArray
from vtkmodules.vtkCommonDataModel import vtkDataObject
from vtkmodules.vtkParallelCore import vtkMultiProcessController

from simple.servermanager import NotSupportedException, Unsupported

#: vtkDataObject's attribute types cleaned (POINT_THEN_CELL, 3, is not one).
_ATTRIBUTE_TYPES = (0, 1, 2, 4, 5, 6)
VALID_MASK_PREFIX = "__vtkValidMask__"

#: An array's identity here: (name, number of components, VTK type), ordered as ParaView orders them.
ArrayKey = tuple[str, int, int]


class _ArraySet:
    """The arrays of one attribute type, or None until some dataset with such elements was seen."""

    def __init__(self, arrays: set[ArrayKey] | None = None) -> None:
        self.arrays = arrays

    @staticmethod
    def of(fields: Any) -> _ArraySet:
        found: set[ArrayKey] = set()
        if fields.GetNumberOfTuples() > 0:
            for i in range(fields.GetNumberOfArrays()):
                array = fields.GetAbstractArray(i)
                if array is not None and array.GetName():
                    found.add((array.GetName(), array.GetNumberOfComponents(), array.GetDataType()))
        return _ArraySet(found)

    def merge(self, other: set[ArrayKey] | None, union: bool) -> None:
        if other is None:
            return
        if self.arrays is None:
            self.arrays = set(other)
        else:
            self.arrays = self.arrays | other if union else self.arrays & other

    def apply(self, fields: Any, mark_filled: bool) -> None:
        """Remove the arrays not in the set and add the missing ones (zeros), with their validity masks."""
        if self.arrays is None:
            return
        missing = set(self.arrays)
        flags: list[tuple[str, bool]] = []
        for i in reversed(range(fields.GetNumberOfArrays())):
            array = fields.GetAbstractArray(i)
            if array is None or not array.GetName():
                continue
            key = (array.GetName(), array.GetNumberOfComponents(), array.GetDataType())
            if key in missing:
                missing.discard(key)
                flags.append((key[0], True))
            else:
                fields.RemoveArray(array.GetName())
        count = fields.GetNumberOfTuples()
        for name, components, data_type in sorted(missing):
            array = vtkAbstractArray.CreateArray(data_type)
            array.SetName(name)
            array.SetNumberOfComponents(components)
            array.SetNumberOfTuples(count)
            if array.IsA("vtkDataArray"):
                for c in range(components):
                    array.FillComponent(c, 0.0)
            fields.AddArray(array)
            flags.append((name, False))
        if mark_filled:
            for name, own in flags:
                mask_name = VALID_MASK_PREFIX + name
                if name.startswith(VALID_MASK_PREFIX) or fields.GetAbstractArray(mask_name) is not None:
                    continue
                mask = vtkUnsignedCharArray()
                mask.SetName(mask_name)
                mask.SetNumberOfTuples(count)
                mask.FillValue(1 if own else 0)
                fields.AddArray(mask)


class vtkCleanArrays(VTKPythonAlgorithmBase):
    """Partial arrays removed (or filled) over the blocks of composite data and over processes (see the module)."""

    def __init__(self) -> None:
        super().__init__(nInputPorts=1, inputType="vtkDataObject", nOutputPorts=1, outputType="vtkDataObject")
        self._fill = False
        self._mark = False
        self._controller: Any = None
        self.SetController(vtkMultiProcessController.GetGlobalController())

    # ----------------------------------------------------------------------------------- ParaView's settings

    def SetController(self, controller: Any) -> None:
        """The processes whose pieces are cleaned together: a vtkMultiProcessController of this process alone
        (vtkDummyController), an mpi4py communicator, or None (this process)."""
        if isinstance(controller, vtkMultiProcessController) and controller.GetNumberOfProcesses() > 1:
            raise NotSupportedException(
                f"vtkCleanArrays takes a controller of one process here ({controller.GetClassName()} has "
                f"{controller.GetNumberOfProcesses()}): the pip VTK has no MPI controller; pass an mpi4py "
                "communicator (mpi4py.MPI.COMM_WORLD) to clean across processes."
            )
        if controller is not self._controller:
            self._controller = controller
            self.Modified()

    def GetController(self) -> Any:
        return self._controller

    def SetFillPartialArrays(self, fill: bool) -> None:
        if bool(fill) != self._fill:
            self._fill = bool(fill)
            self.Modified()

    def GetFillPartialArrays(self) -> bool:
        return self._fill

    def FillPartialArraysOn(self) -> None:
        self.SetFillPartialArrays(True)

    def FillPartialArraysOff(self) -> None:
        self.SetFillPartialArrays(False)

    def SetMarkFilledPartialArrays(self, mark: bool) -> None:
        if bool(mark) != self._mark:
            self._mark = bool(mark)
            self.Modified()

    def GetMarkFilledPartialArrays(self) -> bool:
        return self._mark

    def MarkFilledPartialArraysOn(self) -> None:
        self.SetMarkFilledPartialArrays(True)

    def MarkFilledPartialArraysOff(self) -> None:
        self.SetMarkFilledPartialArrays(False)

    # ----------------------------------------------------------------------------------- the pipeline

    def _processes(self) -> int:
        controller = self._controller
        if controller is None:
            return 1
        if isinstance(controller, vtkMultiProcessController):
            return controller.GetNumberOfProcesses()
        return controller.Get_size()

    def RequestDataObject(self, request: Any, in_info: Any, out_info: Any) -> int:
        data = vtkDataObject.GetData(in_info[0], 0)
        output = vtkDataObject.GetData(out_info, 0)
        if data is not None and (output is None or output.GetClassName() != data.GetClassName()):
            out_info.GetInformationObject(0).Set(vtkDataObject.DATA_OBJECT(), data.NewInstance())
        return 1

    def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:
        data = vtkDataObject.GetData(in_info[0], 0)
        output = vtkDataObject.GetData(out_info, 0)
        composite = data.IsA("vtkCompositeDataSet")
        datasets = _shallow_copy(output, data) if composite else [output]
        if not composite:
            output.ShallowCopy(data)
        processes = self._processes()
        if processes <= 1 and not composite:
            return 1
        sets = {kind: _ArraySet() for kind in _ATTRIBUTE_TYPES}
        failure: Exception | None = None
        try:
            for dataset in datasets:
                for kind in _ATTRIBUTE_TYPES:
                    if dataset.GetNumberOfElements(kind) > 0:
                        sets[kind].merge(_ArraySet.of(dataset.GetAttributesAsFieldData(kind)).arrays, self._fill)
        except Exception as exc:  # reported after the collective, which every rank must enter
            failure = exc
        if processes > 1:
            sets = self._merge_ranks(sets, failure is not None)
        if failure is not None:
            raise failure
        for dataset in datasets:
            for kind in _ATTRIBUTE_TYPES:
                sets[kind].apply(dataset.GetAttributesAsFieldData(kind), self._mark)
        return 1

    def _merge_ranks(self, sets: dict[int, _ArraySet], failed: bool) -> dict[int, _ArraySet]:
        """Every rank's sets merged alike on every rank (one collective); raises on all ranks if one failed."""
        mine = {kind: sorted(s.arrays) if s.arrays is not None else None for kind, s in sets.items()}
        gathered = self._controller.allgather((failed, mine))
        broken = [rank for rank, (rank_failed, _) in enumerate(gathered) if rank_failed]
        if broken and not failed:
            raise RuntimeError(f"vtkCleanArrays failed on rank(s) {broken}: arrays were left as they are.")
        merged = {kind: _ArraySet() for kind in _ATTRIBUTE_TYPES}
        for _, rank_sets in gathered:
            for kind in _ATTRIBUTE_TYPES:
                arrays = rank_sets[kind]
                merged[kind].merge({tuple(a) for a in arrays} if arrays is not None else None, self._fill)
        return merged


def _shallow_copy(output: Any, data: Any) -> list[Any]:
    """``output`` made a copy of composite ``data`` whose blocks are shallow copies; returns those blocks."""
    output.CopyStructure(data)
    blocks = []
    iterator = data.NewIterator()
    iterator.InitTraversal()
    while not iterator.IsDoneWithTraversal():
        block = iterator.GetCurrentDataObject()
        clone = block.NewInstance()
        clone.ShallowCopy(block)
        output.SetDataSet(iterator, clone)
        blocks.append(clone)
        iterator.GoToNextItem()
    return blocks


def __getattr__(name: str) -> Any:
    """ParaView's other vtkPVVTKExtensionsMisc classes: a use says what to use instead."""
    if name.startswith("vtk"):
        return Unsupported(name, "the filters of paraview.simple; here vtkPVVTKExtensionsMisc offers vtkCleanArrays")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["vtkCleanArrays"]
