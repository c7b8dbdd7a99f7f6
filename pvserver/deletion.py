"""Deleting proxies as ParaView does: what goes, what is only unregistered, and what goes later.

ParaView's ``Delete(source)`` unregisters a source: it leaves the pipeline browser and ``GetSources()``, and its
representations go, but a filter that takes it as input keeps it as its input (and keeps computing from it). It
goes for good once nothing uses it any more. Here a proxy that is deleted while a source or filter still uses it
becomes *unregistered*: its state stays, with an empty registration name (``ProxyState.name == ""``, which no
registered proxy has), and clients list it nowhere. When its last user is deleted, or stops taking it as input,
it is deleted in the same delta, and so on up the pipeline. Everything is planned as state deltas, so undo, redo
and other clients see exactly the same.

Pure logic: no network, no MPI, no VTK.
"""

from __future__ import annotations

from collections.abc import Iterable

from pvcore.errors import DependencyError
from pvcore.messages import ProxyState, StateDelta
from pvcore.schema import PIPELINE_GROUPS
from pvserver.pipeline import catalogue

States = dict[int, ProxyState]


def is_unregistered(state: ProxyState) -> bool:
    """Whether a proxy was deleted but lives on as the input of a source or filter (it has no registration name;
    a filter's helper always has one)."""
    return not state.name and not state.parent_id


def references(state: ProxyState) -> set[int]:
    """The ids a proxy references through its proxy properties (inputs, a view's representations...)."""
    spec = catalogue.get(state.group, state.type)
    return {int(ref) for p in spec.properties if p.kind == "proxy" for ref in state.properties.get(p.name, ())}


class _Graph:
    """Who references whom, computed once per plan."""

    def __init__(self, states: States) -> None:
        self.states = states
        self.refs = {gid: references(st) for gid, st in states.items()}
        self.referrers: dict[int, set[int]] = {}
        self.children: dict[int, list[int]] = {}  # a proxy's helpers
        for gid, st in states.items():
            if st.parent_id:
                self.children.setdefault(st.parent_id, []).append(gid)
        for gid, refs in self.refs.items():
            for ref in refs:
                self.referrers.setdefault(ref, set()).add(gid)

    def users(self, global_id: int, gone: Iterable[int] = ()) -> list[ProxyState]:
        """The sources and filters (other than those in ``gone``) that take ``global_id`` as an input."""
        skip = set(gone) | {global_id}
        found = (self.states[r] for r in sorted(self.referrers.get(global_id, ())) if r not in skip)
        return [st for st in found if st.group in PIPELINE_GROUPS]

    def closure(self, roots: Iterable[int]) -> list[int]:
        """``roots`` and what goes with them: a view's representations, the representations of what goes, the
        helpers of what goes, and the unregistered proxies that only what goes still used; in that order."""
        doomed = dict.fromkeys(roots)
        pending = list(doomed)
        while pending:
            gid = pending.pop(0)
            st = self.states[gid]
            found = [int(r) for r in st.properties.get("Representations", ())] if st.group == "views" else []
            for other in sorted(self.referrers.get(gid, ())):
                shown = self.states[other]
                if shown.group == "representations" and gid in {int(r) for r in shown.properties.get("Input", ())}:
                    found.append(other)
            found.extend(self.children.get(gid, ()))
            for ref in sorted(self.refs[gid]):
                held = self.states.get(ref)
                if held is not None and is_unregistered(held) and not self.users(ref, gone=[*doomed, *found]):
                    found.append(ref)  # its last user goes: so does it
            for new in found:
                if new in self.states and new not in doomed:
                    doomed[new] = None
                    pending.append(new)
        return list(doomed)


def plan_deletion(states: States, global_id: int) -> StateDelta:
    """Plan ``Delete`` of a live proxy (``states`` holds it): gone with what only exists for it, or unregistered
    while a source or filter uses it. A filter's helper (ClipType...) is refused: it lives and dies with its
    filter. Deleting an unregistered proxy again changes nothing."""
    st = states[global_id]
    parent = states.get(st.parent_id) if st.parent_id else None
    if parent is not None:
        raise DependencyError(
            f"Cannot delete {st.name}: it is part of {parent.name} ({parent.type}). Delete {parent.name}, or "
            f"give it a helper of another type.",
            proxy_id=global_id,
            proxy_name=st.name,
        )
    if is_unregistered(st):
        return StateDelta()
    graph = _Graph(states)
    users = graph.users(global_id)
    if not users:
        return _removal(graph, graph.closure([global_id]), {})
    # Unregistered: its representations go, and whatever but its users referenced it lets go of it.
    gone_with_it = graph.closure(
        r for r in sorted(graph.referrers.get(global_id, ())) if states[r].group == "representations"
    )
    kept = {u.global_id for u in users}
    kept |= {child for user in list(kept) for child in graph.children.get(user, ())}
    unregistered = st.copy()
    unregistered.name = ""
    unregistered.version += 1
    changed = {global_id: unregistered}
    for gid, refs in graph.refs.items():
        if global_id in refs and gid not in kept and gid not in gone_with_it and gid != global_id:
            changed[gid] = _without(states[gid], {global_id})
    return _removal(graph, gone_with_it, changed)


def with_released(states: States, delta: StateDelta) -> StateDelta:
    """``delta`` (an update, planned on ``states``) plus the deletion of the unregistered proxies it lets go of:
    those its changed proxies referenced before and no source or filter uses after it."""
    dropped = set()
    for st in delta.states:
        if st.global_id in states:
            dropped |= references(states[st.global_id]) - references(st)
    dropped = {gid for gid in dropped if gid in states and is_unregistered(states[gid])}
    if not dropped:  # the common case: no look at the whole session
        return delta
    after = {gid: st for gid, st in states.items() if gid not in delta.deleted_ids}
    after.update((st.global_id, st) for st in delta.states)
    graph = _Graph(after)
    orphans = [gid for gid in sorted(dropped) if gid in after and not graph.users(gid)]
    if not orphans:
        return delta
    extra = _removal(graph, graph.closure(orphans), {st.global_id: st for st in delta.states})
    deleted = list(dict.fromkeys([*delta.deleted_ids, *extra.deleted_ids]))
    return StateDelta(extra.states, deleted)


def _removal(graph: _Graph, doomed: list[int], changed: dict[int, ProxyState]) -> StateDelta:
    """The delta deleting ``doomed`` (in reverse order of the closure), with the ``changed`` states and every
    surviving proxy that referenced one of them let go of it."""
    gone = set(doomed)
    for gid, refs in graph.refs.items():
        if gid not in gone and refs & gone:
            base = changed.get(gid)  # already a new state of this plan: no second version step
            stripped = _without(graph.states[gid], gone) if base is None else _without(base, gone, bump=False)
            if stripped.properties != graph.states[gid].properties or base is not None:
                changed[gid] = stripped
    kept = [st for gid, st in changed.items() if gid not in gone]
    return StateDelta(kept, list(reversed(list(dict.fromkeys(doomed)))))


def _without(state: ProxyState, gone: set[int], bump: bool = True) -> ProxyState:
    """A copy of ``state`` whose proxy properties no longer reference ``gone``."""
    changed = state.copy()
    for prop in catalogue.get(state.group, state.type).properties:
        refs = state.properties.get(prop.name, ())
        if prop.kind == "proxy" and set(refs) & gone:
            changed.properties[prop.name] = tuple(r for r in refs if r not in gone)
    if bump and changed.properties != state.properties:
        changed.version += 1
    return changed
