"""Composite data over the ranks: every block's pieces gathered onto rank 0 and merged there, block by block, into
one composite dataset of the same tree (for Fetch and for the single files SaveData writes).

Each rank holds its piece of every block (a GroupDatasets of two sources, each split over the ranks); the tree
is the same on every rank, and rank 0's gives the shape of the result. A multiblock's dataset is merged from its
pieces; a vtkPartitionedDataSet keeps the non-empty partitions of every rank, as partitions.
"""

from __future__ import annotations

import pickle
from typing import Any

from pvserver.parallel import everyone
from pvserver.pipeline.composite import TREE_TYPES, is_composite, nodes, partitions
from pvserver.pipeline.fileio import merge, without_ghosts
from pvserver.pipeline.gathering import gather_on_rank_0, gather_to_rank_0
from pvserver.pipeline.transfer import dumps


def gather(comm: Any, data: Any) -> Any | None:
    """Collective: every rank's piece merged on rank 0 (None elsewhere): a dataset as one, composite data (which
    every rank's pipeline makes alike) block by block."""
    if everyone(comm, is_composite(data)):
        return gather_blocks(comm, data)
    return gather_on_rank_0(comm, data, "gather the data on rank 0")


def _is_leaf_block(data: Any) -> bool:
    """A block that holds data rather than other blocks: a dataset, a partitioned dataset, or nothing."""
    return data is None or not any(data.IsA(t) for t in TREE_TYPES)


def local_pieces(data: Any) -> dict[int, list[Any]]:
    """This rank's datasets of each leaf block, by flat index, ghost cells left out."""
    return {
        index: [without_ghosts(p) for p in partitions(node.data)]
        for index, node in enumerate(nodes(data))
        if _is_leaf_block(node.data)  # the root too, when it is a vtkPartitionedDataSet
    }


def gather_blocks(comm: Any, data: Any) -> Any | None:
    """The composite ``data`` of every rank as one composite dataset on rank 0 (None on the others): each block's
    pieces merged, in rank 0's tree with its block names."""
    if comm.Get_size() == 1:
        return assemble(data, local_pieces(data))
    sent = gather_to_rank_0(
        comm,
        lambda: {index: [dumps(p) for p in datasets] for index, datasets in local_pieces(data).items()},
        "gather the blocks on rank 0",
    )
    if sent is None:
        return None
    pieces: dict[int, list[Any]] = {}
    for rank_pieces in sent:  # the ranks' pieces, over MPI (see pvserver.parallel)
        for index, datasets in rank_pieces.items():
            pieces.setdefault(index, []).extend(pickle.loads(p) for p in datasets)
    return assemble(data, pieces)


def assemble(like: Any, pieces: dict[int, list[Any]]) -> Any:
    """A composite dataset of the tree of ``like`` whose leaf block ``i`` is ``pieces[i]`` merged (an empty block
    where no rank holds anything)."""
    out = like.NewInstance()
    out.CopyStructure(like)
    tree = nodes(out)
    place = {child: position for node in tree for position, child in enumerate(node.children)}
    for index, node in enumerate(tree):
        if not _is_leaf_block(node.data):
            continue
        datasets = [p for p in pieces.get(index, []) if p is not None]
        if node.data is not None and node.data.IsA("vtkPartitionedDataSet"):  # partitions stay partitions
            kept = [p for p in datasets if p.GetNumberOfPoints() or p.GetNumberOfCells()]
            node.data.SetNumberOfPartitions(len(kept))
            for position, partition in enumerate(kept):
                node.data.SetPartition(position, partition)
            continue
        merged = merge(datasets) if datasets else None
        parent = tree[node.parent].data
        if parent.IsA("vtkMultiBlockDataSet"):
            parent.SetBlock(place[index], merged)
    return out
