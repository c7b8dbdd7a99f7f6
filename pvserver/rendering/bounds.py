"""Bounding boxes of what a view shows, and their reduction over the ranks: one collective for any number of boxes.

A box is VTK's ``[xmin, xmax, ymin, ymax, zmin, zmax]``, or None for no data. Resetting a camera needs the union
of the boxes of all of a view's visible representations: every rank computes its own union
(:func:`local_view_bounds`, as the answer of one command) and rank 0 merges the ranks' answers
(:func:`union_bounds`). A render reduces its view's box and those of its outline representations together
(:func:`reduce_bounds`, one ``Iallreduce``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pvcore.messages import ProxyState
from pvserver.pipeline.information import local_information
from pvserver.rendering.appearance import placed_bounds, structured_outline
from pvserver.rendering.pipeline_access import PipelineAccess
from pvserver.waiting import wait_lazily

Box = list[float]


def visible_representations(states: Mapping[int, ProxyState], view: ProxyState) -> list[ProxyState]:
    """The states of the view's representations that are shown, in the view's order."""
    reps = [states[r] for r in view.properties.get("Representations", ()) if r in states]
    return [r for r in reps if r.properties.get("Visibility", (1,))[0]]


def union_bounds(boxes: Sequence[Sequence[float] | None]) -> Box | None:
    """The smallest box holding all the given ones (None entries count for nothing); None if there are none."""
    found = [b for b in boxes if b]
    if not found:
        return None
    b = np.array(found, dtype=np.float64)
    return [float(b[:, i].min()) if i % 2 == 0 else float(b[:, i].max()) for i in range(6)]


def reduce_bounds(comm: Any, boxes: Sequence[Sequence[float] | None]) -> list[Box | None]:
    """Collective: for each position of ``boxes``, the union of every rank's box there (None where no rank has
    one). Every rank passes as many boxes; they all travel in one ``Iallreduce``, waited for lazily."""
    if comm.Get_size() == 1 or not boxes:
        return [list(b) if b else None for b in boxes]
    from mpi4py import MPI

    # As maxima only: -xmin, xmax, -ymin, ... (negating is exact), so one reduction with one operator.
    mine = np.empty((len(boxes), 6), np.float64)
    for row, box in zip(mine, boxes, strict=True):
        row[:] = box if box else (np.inf, -np.inf) * 3
    mine[:, 0::2] *= -1.0
    total = np.empty_like(mine)
    wait_lazily(comm.Iallreduce(mine, total, op=MPI.MAX))
    total[:, 0::2] *= -1.0
    return [[float(v) for v in row] if np.all(np.isfinite(row)) else None for row in total]


def local_view_bounds(pipeline: PipelineAccess, view_id: int) -> Box | None:
    """This rank's union of the bounds of the view's visible representations' inputs, as their data information
    gives them (updated at the pipeline time, no ghost levels), for ResetCamera; rank 0 merges the ranks' boxes
    with :func:`union_bounds`.

    Every representation is updated even after one failed (updates may be collective: every rank must make the
    same ones), and the first failure is raised at the end."""
    states = pipeline.view_states
    view = states.get(view_id)
    if view is None or view.group != "views":
        return None
    boxes: list[Sequence[float] | None] = []
    failure: Exception | None = None
    for rep in visible_representations(states, view):
        try:
            data = pipeline.update(int(rep.properties["Input"][0]))
        except Exception as exc:
            failure = failure or exc
            continue
        box = local_information(data).bounds
        if rep.properties.get("Representation", ("Surface",))[0] == "Outline":  # a structured grid's: its edges
            edges = structured_outline(data, pipeline.whole_extent(int(rep.properties["Input"][0])))
            box = list(edges.GetBounds()) if edges is not None and edges.GetNumberOfPoints() else box
        boxes.append(placed_bounds(rep, box) if box else box)
    if failure is not None:
        raise failure
    return union_bounds(boxes)
