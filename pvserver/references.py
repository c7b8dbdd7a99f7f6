"""The references between proxies: each must name a live proxy of an allowed group, inputs must not make a
cycle, and no chain of inputs may be longer than :data:`~pvcore.ordering.MAX_PIPELINE_DEPTH` (pure logic over the
session's states, used when a change is planned)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pvcore.errors import DependencyError, PropertyError
from pvcore.messages import ProxyState
from pvcore.ordering import MAX_PIPELINE_DEPTH
from pvcore.schema import Property
from pvserver.pipeline import catalogue


def check_references(
    states: dict[int, ProxyState], prop: Property, ids: tuple, consumer: str, consumer_id: int = 0
) -> None:
    """Referenced proxies must be live, of the right group, and not make the pipeline a cycle."""
    for ref in ids:
        st = states.get(ref)
        if st is None or st.group not in prop.values:
            raise PropertyError(
                f"{prop.name} of {consumer} must be {prop.domain_text()}; id {ref} is not.", property=prop.name
            )
        if prop.is_input:  # on any input port: VTK's pipeline must stay acyclic
            _check_no_cycle(states, ref, consumer, consumer_id)
    if prop.is_input:
        _check_depth(states, ids, consumer, consumer_id)


def inputs_of(states: dict[int, ProxyState], global_id: int) -> list[int]:
    """The proxies that ``global_id`` takes on its input ports (``Input``, and a second port's)."""
    st = states[global_id]
    return [ref for p in catalogue.get(st.group, st.type).inputs for ref in st.properties.get(p.name, ())]


def _check_no_cycle(states: dict[int, ProxyState], input_id: int, consumer: str, consumer_id: int) -> None:
    # A filter may not (indirectly) consume itself: walk up from the new input.
    pending, seen = [input_id], set()
    while pending:
        gid = pending.pop()
        if gid == consumer_id:
            raise DependencyError(
                f"{consumer} cannot take {states[input_id].name} as input: that would make a cycle.",
                proxy_id=consumer_id,
                proxy_name=consumer,
                property="Input",
            )
        if gid in seen or gid not in states:
            continue
        seen.add(gid)
        pending.extend(inputs_of(states, gid))


def _check_depth(states: dict[int, ProxyState], input_ids: tuple, consumer: str, consumer_id: int) -> None:
    """Refuse new inputs that would make the longest chain through the consumer longer than the limit.

    Re-linking the upstream end of a chain lengthens everything downstream of it, so the chain counted is the
    longest path upstream of the new inputs plus the longest path downstream from the consumer (itself
    included; a proxy being created has nothing downstream yet).
    """
    upstream = _longest_path(states, input_ids, lambda gid: inputs_of(states, gid))
    downstream = 1
    if consumer_id in states:
        users: dict[int, list[int]] = {}
        for gid in states:
            for ref in inputs_of(states, gid):
                users.setdefault(ref, []).append(gid)
        downstream = _longest_path(states, (consumer_id,), lambda gid: users.get(gid, ()))
    if upstream + downstream > MAX_PIPELINE_DEPTH:
        raise DependencyError(
            f"{consumer} would make a chain of {upstream + downstream} proxies, more than the "
            f"{MAX_PIPELINE_DEPTH} a pipeline may have.",
            proxy_id=consumer_id,
            proxy_name=consumer,
            property="Input",
        )


def _longest_path(states: dict[int, ProxyState], starts: tuple, links: Callable[[int], Iterable[int]]) -> int:
    """The most proxies on a path that begins at one of ``starts`` and follows ``links`` (iteratively: a
    pipeline may be deeper than Python's recursion limit)."""
    longest: dict[int, int] = {}
    for start in starts:
        stack, entered = [(start, False)], set()
        while stack:
            gid, done = stack.pop()
            if gid in longest or gid not in states:
                continue
            nexts = [n for n in links(gid) if n in states]
            if done:
                longest[gid] = 1 + max((longest.get(n, 0) for n in nexts), default=0)
            elif gid not in entered:  # a cycle (which the cycle check refuses) must not loop forever
                entered.add(gid)
                stack.append((gid, True))
                stack.extend((n, False) for n in nexts if n not in longest)
    return max((longest.get(s, 0) for s in starts), default=0)
