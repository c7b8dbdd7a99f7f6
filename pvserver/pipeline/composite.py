"""Composite data (multiblock, partitioned datasets) on one rank: walking its blocks, and taking it apart into
datasets and putting it together again, so that the code written for one dataset (ghost cells, gathering,
writing, drawing) serves every block.

A composite dataset is a tree: inner nodes are vtkMultiBlockDataSet or vtkPartitionedDataSetCollection, and a
vtkPartitionedDataSet groups the partitions of one block. The blocks are numbered as VTK's composite index (the
"flat index") numbers them: the root is 0, then every node in depth-first order. A vtkPartitionedDataSet is one
block, whatever number of partitions a rank holds, so that every rank numbers the blocks alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: The composite types whose blocks are named and numbered as a tree.
TREE_TYPES = ("vtkMultiBlockDataSet", "vtkPartitionedDataSetCollection")


def is_composite(data: Any) -> bool:
    """True for a multiblock, partitioned dataset or collection (any vtkCompositeDataSet)."""
    return data is not None and data.IsA("vtkCompositeDataSet")


@dataclass
class Node:
    """One block of a composite dataset: its name, its data (a dataset, a vtkPartitionedDataSet, an inner
    composite node, or None), its parent's flat index (-1 for the root), and its own children's flat indices."""

    name: str
    data: Any
    parent: int
    children: list[int] = field(default_factory=list)


def block_name(parent: Any, index: int) -> str:
    """The name a multiblock or partitioned collection gives its child ``index`` ('' if none)."""
    if not parent.HasMetaData(index):
        return ""
    meta = parent.GetMetaData(index)
    key = parent.NAME()
    return meta.Get(key) or "" if meta.Has(key) else ""


def _children(data: Any) -> list[tuple[str, Any]]:
    if data is None or not any(data.IsA(t) for t in TREE_TYPES):
        return []  # a dataset, or a vtkPartitionedDataSet: one block
    if data.IsA("vtkMultiBlockDataSet"):
        return [(block_name(data, i), data.GetBlock(i)) for i in range(data.GetNumberOfBlocks())]
    return [(block_name(data, i), data.GetPartitionedDataSet(i)) for i in range(data.GetNumberOfPartitionedDataSets())]


def nodes(data: Any) -> list[Node]:
    """Every block of ``data`` by flat index (depth first, the root first; iteratively: trees may be deep)."""
    found: list[Node] = []
    stack: list[tuple[str, Any, int]] = [(data.GetClassName(), data, -1)]
    while stack:
        name, block, parent = stack.pop()
        if parent >= 0:
            found[parent].children.append(len(found))
        found.append(Node(name, block, parent))
        stack.extend((n, child, len(found) - 1) for n, child in reversed(_children(block)))
    return found


def partitions(data: Any) -> list[Any]:
    """The datasets a block holds on this rank: itself, or the non-null partitions of a vtkPartitionedDataSet."""
    if data is None:
        return []
    if data.IsA("vtkPartitionedDataSet"):
        return [p for p in (data.GetPartition(i) for i in range(data.GetNumberOfPartitions())) if p is not None]
    if data.IsA("vtkCompositeDataSet"):
        return list(leaves(data))
    return [data]


def leaves(data: Any) -> Iterator[Any]:
    """Every non-null dataset of a composite dataset (or the dataset itself), in flat-index order."""
    if not is_composite(data):
        if data is not None:
            yield data
        return
    iterator = data.NewIterator()
    iterator.SkipEmptyNodesOn()
    iterator.InitTraversal()
    while not iterator.IsDoneWithTraversal():
        yield iterator.GetCurrentDataObject()
        iterator.GoToNextItem()


def map_leaves(data: Any, transform: Callable[[Any], Any]) -> Any:
    """A composite dataset of the same shape and names whose datasets are ``transform(dataset)``; a dataset
    that is no composite is transformed itself."""
    if not is_composite(data):
        return transform(data)
    out = data.NewInstance()
    out.CopyStructure(data)
    iterator = data.NewIterator()
    iterator.SkipEmptyNodesOn()
    iterator.InitTraversal()
    while not iterator.IsDoneWithTraversal():
        out.SetDataSet(iterator, transform(iterator.GetCurrentDataObject()))
        iterator.GoToNextItem()
    return out


def common_type(data: Any) -> str:
    """ParaView's data set type of a composite dataset: the nearest class that all its datasets are ('' when it
    holds none)."""
    names = {leaf.GetClassName() for leaf in leaves(data)}
    if not names:
        return ""
    if len(names) == 1:
        return names.pop()
    for base in ("vtkPointSet", "vtkDataSet", "vtkDataObject"):
        if all(_isa(name, base) for name in names):
            return base
    return "vtkDataObject"


def _isa(class_name: str, base: str) -> bool:
    points = ("vtkPolyData", "vtkUnstructuredGrid", "vtkStructuredGrid", "vtkExplicitStructuredGrid", "vtkPointSet")
    datasets = (*points, "vtkImageData", "vtkUniformGrid", "vtkRectilinearGrid", "vtkDataSet")
    return base == "vtkDataObject" or class_name in (points if base == "vtkPointSet" else datasets)
