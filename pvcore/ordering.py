"""Proxy states in dependency order, and how deep a pipeline may be: shared by the server (its snapshots, undo,
validation) and the client (state files), each with its own catalogue."""

from __future__ import annotations

from typing import Protocol

from pvcore.messages import ProxyState
from pvcore.schema import ProxySpec

#: The longest chain of filters a session accepts: a bound on server memory and recursion.
MAX_PIPELINE_DEPTH = 500


class Specs(Protocol):
    """What ordering needs of a catalogue: the spec of a type (a :class:`pvcore.schema.Catalogue` has it)."""

    def get(self, group: str, name: str) -> ProxySpec: ...


def dependency_order(states: dict[int, ProxyState], catalogue: Specs) -> list[ProxyState]:
    """States ordered so that every proxy comes after the proxies of this set it references (by the proxy and
    sub-proxy properties of its type in ``catalogue``).

    Iterative (a depth-first walk with its own stack): a pipeline may be deeper than Python's recursion limit.
    """
    ordered: list[ProxyState] = []
    seen: set[int] = set()
    for root in sorted(states):
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(references(states[root], states, catalogue)))]
        while stack:
            gid, refs = stack[-1]
            for ref in refs:
                if ref not in seen:
                    seen.add(ref)
                    stack.append((ref, iter(references(states[ref], states, catalogue))))
                    break
            else:
                stack.pop()
                ordered.append(states[gid])
    return ordered


def references(st: ProxyState, states: dict[int, ProxyState], catalogue: Specs) -> list[int]:
    """The ids of ``states`` that ``st`` references through its proxy and sub-proxy properties."""
    spec = catalogue.get(st.group, st.type)
    return [
        ref
        for prop in spec.properties
        if prop.kind in ("proxy", "subproxy")
        for ref in st.properties.get(prop.name, ())
        if isinstance(ref, int) and ref in states
    ]
