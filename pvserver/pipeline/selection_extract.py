"""ExtractSelection's VTK side: vtkExtractSelection of its input by the selection on its second port, with the
query nodes of a SelectionQuerySource evaluated here.

vtkExtractSelection cannot evaluate queries (ParaView's vtkPythonSelector runs them as Python). Each query node is
evaluated with :mod:`pvserver.pipeline.selection_query` on each block of the input, its mask stored as a temporary
array, and the node replaced by a threshold of that array, so that queries combine with other nodes in an
AppendSelections expression and work on composite data; the temporary array is removed from the output.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
from vtkmodules.vtkCommonCore import vtkDoubleArray
from vtkmodules.vtkCommonDataModel import (
    vtkCompositeDataSet,
    vtkDataObject,
    vtkDataObjectTree,
    vtkSelection,
    vtkSelectionNode,
)
from vtkmodules.vtkCommonExecutionModel import vtkAlgorithm
from vtkmodules.vtkFiltersExtraction import vtkExtractSelection

from pvcore.errors import PeerFailedError, PipelineError
from pvserver.pipeline import selection_query
from pvserver.pipeline.adapters_analysis_reduce import allgather

#: The temporary array that carries a query's mask through vtkExtractSelection.
_MASK_PREFIX = "__pvcollab_query_mask_"
#: vtkSelectionNode field type -> vtkDataObject attribute type, for the elements a query looks at.
_ATTRIBUTE_OF_FIELD = {0: vtkDataObject.CELL, 1: vtkDataObject.POINT, 2: vtkDataObject.FIELD, 5: vtkDataObject.ROW}


class ExtractSelectionAdapter(VTKPythonAlgorithmBase):
    """vtkExtractSelection of input 0 by the selection on port 1 (none: an empty output), with query nodes."""

    #: Its RequestData takes part in a collective (a query's max() and min()): see RankExecutor.update.
    collective = True

    def __init__(self, comm: Any = None) -> None:
        super().__init__(nInputPorts=2, nOutputPorts=1, outputType="vtkDataObject")
        self.comm = comm
        self.preserve_topology = 0
        self.errors: list[Any] = []  # read (and cleared) by the executor: a failed query's message for the client

    def SetPreserveTopology(self, on: int) -> None:  # noqa: N802
        self.preserve_topology = int(on)
        self.Modified()

    def FillInputPortInformation(self, port: int, info: Any) -> int:  # noqa: N802
        if port == 1:
            info.Set(vtkAlgorithm.INPUT_REQUIRED_DATA_TYPE(), "vtkSelection")
            info.Set(vtkAlgorithm.INPUT_IS_OPTIONAL(), 1)
        else:
            info.Set(vtkAlgorithm.INPUT_REQUIRED_DATA_TYPE(), "vtkDataObject")
        return 1

    def RequestDataObject(self, _request: Any, input_vector: Any, output_vector: Any) -> int:  # noqa: N802
        data = vtkDataObject.GetData(input_vector[0], 0)
        if data is None:
            return 0
        extract = self._extractor(data, vtkSelection())
        extract.UpdateDataObject()
        made = extract.GetOutputDataObject(0)
        output = vtkDataObject.GetData(output_vector, 0)
        if output is None or output.GetClassName() != made.GetClassName():
            output_vector.GetInformationObject(0).Set(vtkDataObject.DATA_OBJECT(), made.NewInstance())
        return 1

    def RequestData(self, _request: Any, input_vector: Any, output_vector: Any) -> int:  # noqa: N802
        data = vtkDataObject.GetData(input_vector[0], 0)
        selection = (
            vtkSelection.GetData(input_vector[1], 0) if input_vector[1].GetNumberOfInformationObjects() else None
        )
        output = vtkDataObject.GetData(output_vector, 0)
        if selection is None or selection.GetNumberOfNodes() == 0:
            output.Initialize()  # ParaView's ExtractSelection without a selection: nothing extracted
            return 1
        try:
            data, selection, masks = _with_query_masks(data, selection, self.comm)
        except PeerFailedError as exc:
            self.errors.append(exc)
        except PipelineError as exc:
            self.errors.append(exc.message)
        if self.errors:
            output.Initialize()
            return 1
        extract = self._extractor(data, selection)
        extract.Update()
        output.ShallowCopy(extract.GetOutputDataObject(0))
        if masks:
            _remove_arrays(output, masks)
        return 1

    def _extractor(self, data: Any, selection: Any) -> vtkExtractSelection:
        own = data.NewInstance()  # a copy: giving the pipeline's own input to another filter would re-parent it
        own.ShallowCopy(data)
        extract = vtkExtractSelection()
        extract.SetInputDataObject(0, own)
        extract.SetInputDataObject(1, selection)
        extract.SetPreserveTopology(self.preserve_topology)
        return extract


def _with_query_masks(data: Any, selection: Any, comm: Any) -> tuple[Any, Any, list[str]]:
    """The input and selection, with each query node replaced by a threshold of a mask array on the input.

    Collective when there are queries: the ranks combine the queries' reductions, and learn whether any of their
    blocks has the arrays a query names (a block that lacks them selects nothing; if none has them, every rank
    reports the query's error)."""
    indices = [
        i
        for i in range(selection.GetNumberOfNodes())
        if selection.GetNode(i).GetContentType() == vtkSelectionNode.QUERY
    ]
    if not indices:
        return data, selection, []
    copy = data.NewInstance()
    copy.ShallowCopy(data)  # the masks must not reach the input's own arrays
    blocks = _datasets(copy)
    queries = []
    for index in indices:
        node = selection.GetNode(index)
        attribute = _ATTRIBUTE_OF_FIELD.get(node.GetFieldType())
        if attribute is None:  # the same on every rank: no rank enters the collective
            raise PipelineError("A query selects points, cells, field data or rows only.")
        queries.append((index, node, attribute, node.GetQueryString()))
    facts = allgather(comm, lambda: [_local_facts(blocks, a, q) for _, _, a, q in queries], "ExtractSelection")
    converted = vtkSelection()
    converted.ShallowCopy(selection)
    converted.SetExpression(selection.GetExpression())
    masks = []
    for k, (index, node, attribute, query) in enumerate(queries):
        if not any(rank[k][1] for rank in facts):
            missing = sorted(selection_query.names_used(query) - {"id"})
            raise PipelineError(f"The selection query {query[:80]!r} names {', '.join(missing)}: no such array.")
        reduced = selection_query.combine(query, [values for rank in facts for values in rank[k][0]])
        name = f"{_MASK_PREFIX}{index}"
        for block in blocks:
            _add_mask(block, attribute, query, name, reduced)
        converted.SetNode(selection.GetNodeNameAtIndex(index), _mask_threshold(node, name))
        masks.append(name)
    return copy, converted, masks


def _local_facts(blocks: list[Any], attribute: int, query: str) -> tuple[list[list[float | None]], bool]:
    """This rank's part of a query: each block's reductions, and whether some block has every array it names."""
    needed = selection_query.names_used(query) - {"id"}
    values, found = [], False
    for block in blocks:
        arrays = _arrays(block, attribute)
        found = found or needed <= {selection_query.valid_name(n) for n in arrays}
        values.append(selection_query.local_reductions(query, arrays, block.GetNumberOfElements(attribute)))
    return values, found


def _mask_threshold(node: Any, name: str) -> vtkSelectionNode:
    """A node that selects where the mask ``name`` is 1, with the query node's properties (inverse...)."""
    threshold = vtkSelectionNode()
    threshold.GetProperties().Copy(node.GetProperties())
    threshold.SetContentType(vtkSelectionNode.THRESHOLDS)
    threshold.SetFieldType(node.GetFieldType())
    bounds = vtkDoubleArray()
    bounds.SetNumberOfComponents(2)
    bounds.SetName(name)
    bounds.InsertNextTuple((0.5, 1.5))
    threshold.SetSelectionList(bounds)
    return threshold


def _datasets(data: Any) -> list[Any]:
    """The leaves of a composite dataset (shallow copies put in its place, so that arrays can be added), or the
    dataset itself."""
    if not isinstance(data, vtkCompositeDataSet):
        return [data]
    leaves = []
    iterator = data.NewIterator()
    iterator.InitTraversal()
    while not iterator.IsDoneWithTraversal():
        leaf = iterator.GetCurrentDataObject()
        own = leaf.NewInstance()
        own.ShallowCopy(leaf)
        if isinstance(data, vtkDataObjectTree):
            data.SetDataSet(iterator, own)
        leaves.append(own)
        iterator.GoToNextItem()
    return leaves


def _arrays(block: Any, attribute: int) -> dict[str, Any]:
    attributes = block.GetAttributes(attribute)
    arrays = {}
    for i in range(attributes.GetNumberOfArrays()):
        array = attributes.GetArray(i)
        if array is not None and array.GetName():
            arrays[array.GetName()] = numpy_support.vtk_to_numpy(array)
    return arrays


def _add_mask(block: Any, attribute: int, query: str, name: str, reduced: list[float]) -> None:
    """Add the query's mask to one dataset (nothing selected where it lacks an array the query names)."""
    count = block.GetNumberOfElements(attribute)
    try:
        mask = selection_query.evaluate(query, _arrays(block, attribute), count, reduced) if count else np.zeros(0)
    except selection_query.UnknownNameError:
        mask = np.zeros(count, bool)
    except (ValueError, TypeError, IndexError) as exc:
        raise PipelineError(f"The selection query failed: {exc}") from None
    values = numpy_support.numpy_to_vtk(mask.astype(np.int8), deep=1)
    values.SetName(name)
    block.GetAttributes(attribute).AddArray(values)


def _remove_arrays(output: Any, names: list[str]) -> None:
    for block in _datasets(output) if isinstance(output, vtkCompositeDataSet) else [output]:
        for attribute in (vtkDataObject.POINT, vtkDataObject.CELL, vtkDataObject.FIELD, vtkDataObject.ROW):
            attributes = block.GetAttributes(attribute) if block is not None else None
            if attributes is None:
                continue
            for name in names:
                attributes.RemoveArray(name)


__all__ = ["ExtractSelectionAdapter"]
