"""The memory budget of one rank: a request whose output would not fit is refused before any rank runs it.

Each catalogue entry whose output size its properties set has a size rule (:mod:`pvcore.sizes`). Before
a change reaches the ranks, the service asks :meth:`Budget.check` to estimate the output of every proxy it touches
(and of the filters downstream, whose input grows with it), and refuses what one rank could not hold, naming the
proxy, the properties, the estimate and the budget. The budget is ``--max-memory-per-rank``; by default half of
this machine's physical memory shared by the ranks on it. It bounds each proxy's own output, not the sum of a
whole pipeline, nor what VTK allocates for a moment while it computes.
"""

from __future__ import annotations

import os
import re
from collections import ChainMap
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pvcore.errors import ResourceLimitError
from pvcore.messages import ProxyState
from pvcore.schema import PIPELINE_GROUPS, ProxySpec
from pvcore.sizes import SAME_AS_INPUT, Inputs, Size
from pvserver.pipeline import catalogue

#: Part of the physical memory that the default budget hands out to the ranks of a node.
DEFAULT_FRACTION = 0.5
_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def physical_memory() -> int:
    """Bytes of physical memory of this machine."""
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def ranks_on_this_node(world_size: int) -> int:
    """Ranks sharing this machine, as the MPI launcher tells them (MPICH, Open MPI, Slurm); else all of them."""
    for name in ("MPI_LOCALNRANKS", "OMPI_COMM_WORLD_LOCAL_SIZE", "SLURM_NTASKS_PER_NODE"):
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return min(int(value), world_size)
    return world_size


def default_budget(ranks_on_node: int) -> int:
    """Bytes per rank: DEFAULT_FRACTION of the physical memory, divided by the ranks on this node."""
    return int(physical_memory() * DEFAULT_FRACTION / max(ranks_on_node, 1))


def parse_size(text: str) -> int:
    """Bytes from '3G', '512MiB', '1.5 GB' or '1000000' (binary units: K, M, G, T = 2**10 ...)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*([kKmMgGtT]?)(?:i?[bB])?\s*", text)
    if not match:
        raise ValueError(f"not a size: {text!r} (write e.g. 3G, 512M or a number of bytes)")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def size_text(size: float) -> str:
    """Bytes for people: '812 bytes', '3.4 MiB', '27.0 GiB'."""
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}" if size < 1000 * scale else f"{size / scale:.3g} {unit}"
    return f"{int(size)} bytes"


@dataclass(frozen=True)
class Budget:
    """Bytes one rank may hold for one proxy's output, on a server of ``ranks`` ranks."""

    bytes_per_rank: int
    ranks: int

    def check(
        self,
        changed: Iterable[ProxyState],
        states: Mapping[int, ProxyState],
        measured: Callable[[int], Size | None] | None = None,
    ) -> None:
        """Refuse (ResourceLimitError) ``changed`` states, applied over ``states``, if an output would not fit.

        ``measured(global_id)`` gives the size of a live proxy that has no rule (a reader), when a filter
        downstream of it needs it; without it, such sizes are unknown and not checked.
        """
        changed = list(changed)
        ids = {st.global_id for st in changed}
        view = ChainMap({st.global_id: st for st in changed}, states)  # no copy: a session may hold 10,000
        sizes = _Estimator(view, _Unchanged(states, ids), measured)
        for gid in _affected(changed, view, states):
            spec = catalogue.get(view[gid].group, view[gid].type)
            if spec.size is None:
                continue
            size = sizes.of(gid)
            if size is not None and size.per_rank(self.ranks) > self.bytes_per_rank:
                raise self._refusal(view[gid], spec, size, sizes)

    def _refusal(self, st: ProxyState, spec: ProxySpec, size: Size, sizes: _Estimator) -> ResourceLimitError:
        where = (
            f"about {size_text(size.per_rank(self.ranks))} per rank on {self.ranks} rank{'s' * (self.ranks != 1)}"
            if size.split
            else f"about {size_text(size.bytes)} on one rank (it is not split over ranks)"
        )
        drivers = _drivers(st, spec, sizes)
        return ResourceLimitError(
            f"{st.name}: {drivers} makes {size.points:.3g} points and {size.cells:.3g} cells, {where}; the budget "
            f"is {size_text(self.bytes_per_rank)} per rank (--max-memory-per-rank). Ask for less.",
            proxy_id=st.global_id,
            proxy_name=st.name,
            property=spec.size.properties[0] if spec.size.properties else "",
        )


class _Estimator:
    """Sizes of the proxies of one view of the session, each estimated once."""

    def __init__(
        self,
        view: Mapping[int, ProxyState],
        live: Container[int],
        measured: Callable[[int], Size | None] | None,
    ) -> None:
        self.view, self.live, self.measured = view, live, measured
        self._known: dict[int, Size | None] = {}

    def of(self, gid: int) -> Size | None:
        """The estimated size of a proxy's output (None: unknown), its inputs first, without recursion: a chain
        may be as deep as the session allows."""
        stack, opened = [gid], set()
        while stack:
            top = stack[-1]
            if top in self._known:
                stack.pop()
                continue
            waiting = [dep for dep in self._dependencies(top) if dep not in self._known]
            if waiting and top not in opened:  # a cycle (refused elsewhere) ends with the size unknown
                opened.add(top)
                stack.extend(waiting)
                continue
            self._known[top] = self._estimate(top)
            stack.pop()
        return self._known[gid]

    def _rule(self, st: ProxyState) -> tuple[ProxySpec, Any]:
        spec = catalogue.get(st.group, st.type)
        return spec, spec.size or (SAME_AS_INPUT if spec.has_input else None)

    def _dependencies(self, gid: int) -> list[int]:
        """The proxies (input, helpers) whose sizes the estimate of ``gid`` needs."""
        st = self.view.get(gid)
        if st is None or self._rule(st)[1] is None:
            return []
        spec = catalogue.get(st.group, st.type)
        values = {**spec.defaults(), **st.properties}
        names = [p.name for p in spec.properties if p.is_input or p.kind == "subproxy"]  # every input port
        return [int(ref) for name in names for ref in values.get(name, ())]  # a multiple-input port: all of them

    def _estimate(self, gid: int) -> Size | None:
        st = self.view.get(gid)
        if st is None:
            return None
        spec, rule = self._rule(st)
        if rule is None:
            live = gid in self.live and st.group in PIPELINE_GROUPS and self.measured is not None
            return self.measured(gid) if live else None
        values = {**spec.defaults(), **st.properties}
        known = self._known.get
        inputs = Inputs(
            _together([known(int(ref)) for ref in values.get("Input", ())]),
            {
                p.name: known(int(values[p.name][0]))
                for p in spec.properties
                if p.kind == "subproxy" and values.get(p.name)
            },
        )
        return rule.estimate(values, inputs)


def _together(sizes: list[Size | None]) -> Size | None:
    """The size of the inputs of one port together (GroupDatasets' several), of those whose size is known."""
    known = [s for s in sizes if s is not None]
    if len(known) <= 1:
        return known[0] if known else None
    return Size(
        sum(s.points for s in known), sum(s.cells for s in known), sum(s.bytes for s in known),
        all(s.split for s in known),
    )  # fmt: skip


def _affected(changed: list[ProxyState], view: Mapping[int, ProxyState], before: Mapping[int, ProxyState]) -> list[int]:
    """The changed proxies, the owners of changed helpers, and every filter downstream of them (``before``: the
    states the change applies to; proxies it creates have nothing downstream yet)."""
    if not any(st.global_id in before or st.parent_id in before for st in changed):
        return [st.global_id for st in changed]
    consumers: dict[int, list[int]] = {}
    ports: dict[tuple[str, str], list[str]] = {}  # the input ports of each type (a session may hold 10,000 proxies)
    for st in view.values():
        if st.group not in PIPELINE_GROUPS:
            continue
        names = ports.get((st.group, st.type))
        if names is None:
            names = ports[(st.group, st.type)] = [p.name for p in catalogue.get(st.group, st.type).inputs]
        for name in names:
            for ref in st.properties.get(name, ()):
                consumers.setdefault(int(ref), []).append(st.global_id)
    pending = [st.global_id for st in changed] + [st.parent_id for st in changed if st.parent_id in view]
    seen: list[int] = []
    while pending:
        gid = pending.pop(0)
        if gid not in seen:
            seen.append(gid)
            pending.extend(consumers.get(gid, ()))
    return seen


def _drivers(st: ProxyState, spec: ProxySpec, sizes: _Estimator) -> str:
    """The properties that make the size, in words: 'WholeExtent [0, 1499, 0, 1499, 0, 1499]'."""
    parts = []
    for name in spec.size.properties:
        prop, value = spec.property(name), st.properties.get(name, spec.property(name).default)
        if prop.kind in ("proxy", "subproxy") and value:
            other = sizes.view.get(int(value[0]))
            size = sizes.of(int(value[0]))
            label = other.name if prop.kind == "proxy" and other else (other.type if other else "?")
            parts.append(f"{name} {label}" + (f" ({size.points:.3g} points)" if size else ""))
        elif value != prop.default or name == spec.size.properties[0]:
            shown = str(value[0]) if len(value) == 1 else "[" + ", ".join(map(str, value)) + "]"
            parts.append(f"{name} {shown}")
    return ", ".join(parts)


def estimate(st: ProxyState, states: Mapping[int, ProxyState] | None = None) -> Size | None:
    """The estimated whole output of one proxy state (its input and helpers looked up in ``states``)."""
    view = {**(states or {}), st.global_id: st}
    return _Estimator(view, set(), None).of(st.global_id)


class _Unchanged:
    """The ids of ``states`` that a change leaves as they are (live proxies, measurable), without a copy."""

    def __init__(self, states: Mapping[int, ProxyState], changed: set[int]) -> None:
        self.states, self.changed = states, changed

    def __contains__(self, gid: object) -> bool:
        return gid in self.states and gid not in self.changed
