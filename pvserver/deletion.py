"""Deleting proxies as ParaView does: what goes, what is only unregistered, and what goes later.

ParaView's ``Delete(source)`` unregisters a source: it leaves the pipeline browser and ``GetSources()``, and its
representations go, but a filter that takes it as input keeps it as its input (and keeps computing from it). It
goes for good once nothing uses it any more. Here a proxy that is deleted while a source or filter still uses it
becomes *unregistered*: its state stays, with an empty registration name (``ProxyState.name == ""``, which no
registered proxy has), and clients list it nowhere. When its last user is deleted, or stops taking it as input,
it is deleted in the same delta, and so on up the pipeline. Everything is planned as state deltas, so undo, redo
and other clients see exactly the same.

A helper property (a representation's ScaleTransferFunction...) may hold a proxy it does not own: one made by
``CreatePiecewiseFunction``, or another proxy's helper. That is a reference like an input: when the proxy it
holds goes, the property gets a fresh helper of its default type in the same delta, never a dangling id.

Pure logic: no network, no MPI, no VTK.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pvcore.errors import DependencyError
from pvcore.messages import ProxyState, StateDelta
from pvcore.schema import PIPELINE_GROUPS, Property
from pvserver.pipeline import catalogue

States = dict[int, ProxyState]
#: Makes a fresh helper (a new id, no owner yet) of the default type of a helper property.
NewHelper = Callable[[Property], ProxyState]


def is_unregistered(state: ProxyState) -> bool:
    """Whether a proxy was deleted but lives on as the input of a source or filter (it has no registration name;
    a filter's helper always has one)."""
    return not state.name and not state.parent_id


def references(state: ProxyState, states: States | None = None) -> set[int]:
    """The ids a proxy references through its proxy properties (inputs, a view's representations...); with
    ``states``, also the proxies of ``states`` its helper properties hold without owning them."""
    spec = catalogue.get(state.group, state.type)
    found = {int(ref) for p in spec.properties if p.kind == "proxy" for ref in state.properties.get(p.name, ())}
    if states is not None:
        found |= shared_helpers(state, states)
    return found


def shared_helpers(state: ProxyState, states: States) -> set[int]:
    """The proxies of ``states`` that the helper properties of ``state`` hold without owning them (a function
    made by CreatePiecewiseFunction, another proxy's helper)."""
    spec = catalogue.get(state.group, state.type)
    held = (int(ref) for p in spec.properties if p.kind == "subproxy" for ref in state.properties.get(p.name, ()))
    return {ref for ref in held if ref in states and states[ref].parent_id != state.global_id}


class _Graph:
    """Who references whom, computed once per plan."""

    def __init__(self, states: States) -> None:
        self.states = states
        self.refs = {gid: references(st, states) for gid, st in states.items()}
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


def plan_deletion(states: States, global_id: int, new_helper: NewHelper) -> StateDelta:
    """Plan ``Delete`` of a live proxy (``states`` holds it): gone with what only exists for it, or unregistered
    while a source or filter uses it. A filter's helper (ClipType...) is refused: it lives and dies with its
    filter. Deleting an unregistered proxy again changes nothing. A helper property of another proxy that held
    what goes gets a fresh helper made by ``new_helper``."""
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
        return _removal(graph, graph.closure([global_id]), {}, new_helper)
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
            # a source or filter: only proxy properties hold it, no helper property
            changed[gid] = _without(states[gid], {global_id})[0]
    return _removal(graph, gone_with_it, changed, new_helper)


def with_released(states: States, delta: StateDelta, new_helper: NewHelper) -> StateDelta:
    """``delta`` (an update, planned on ``states``) plus a fresh helper (made by ``new_helper``) for every helper
    property of another proxy that held a helper the update deletes, and the deletion of the unregistered proxies
    it lets go of: those its changed proxies referenced before and no source or filter uses after it."""
    delta = _with_helpers_replaced(states, delta, new_helper)
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
    extra = _removal(graph, graph.closure(orphans), {st.global_id: st for st in delta.states}, new_helper)
    deleted = list(dict.fromkeys([*delta.deleted_ids, *extra.deleted_ids]))
    return StateDelta(extra.states, deleted)


def _with_helpers_replaced(states: States, delta: StateDelta, new_helper: NewHelper) -> StateDelta:
    """``delta`` with a fresh helper in every helper property (of a proxy it keeps) that held one it deletes."""
    gone = set(delta.deleted_ids)
    if not gone:  # the common case: no helper replaced, no look at the whole session
        return delta
    planned = {st.global_id: st for st in delta.states}
    fresh: dict[int, list[ProxyState]] = {}
    for gid, st in states.items():
        base = planned.get(gid, st)
        if gid not in gone and shared_helpers(base, states) & gone:
            planned[gid], fresh[gid] = _without(base, gone, new_helper, bump=gid not in planned)
    if not fresh:
        return delta
    order = list(dict.fromkeys([*(st.global_id for st in delta.states), *fresh]))
    return StateDelta(_with_new_helpers_first(planned, fresh, order), list(delta.deleted_ids))


def _removal(graph: _Graph, doomed: list[int], changed: dict[int, ProxyState], new_helper: NewHelper) -> StateDelta:
    """The delta deleting ``doomed`` (in reverse order of the closure), with the ``changed`` states and every
    surviving proxy that referenced one of them let go of it (a helper property gets a fresh helper)."""
    gone = set(doomed)
    fresh: dict[int, list[ProxyState]] = {}
    for gid, refs in graph.refs.items():
        if gid not in gone and refs & gone:
            base = changed.get(gid)  # already a new state of this plan: no second version step
            if base is None:
                stripped, fresh[gid] = _without(graph.states[gid], gone, new_helper)
            else:
                stripped, fresh[gid] = _without(base, gone, new_helper, bump=False)
            if stripped.properties != graph.states[gid].properties or base is not None:
                changed[gid] = stripped
    kept = [gid for gid in changed if gid not in gone]
    return StateDelta(_with_new_helpers_first(changed, fresh, kept), list(reversed(list(dict.fromkeys(doomed)))))


def _with_new_helpers_first(
    states: dict[int, ProxyState], fresh: dict[int, list[ProxyState]], order: list[int]
) -> list[ProxyState]:
    """The states of ``order``, each after the new helpers made for it (an owner comes after its helpers)."""
    return [st for gid in order for st in (*fresh.get(gid, ()), states[gid])]


def _without(
    state: ProxyState, gone: set[int], new_helper: NewHelper | None = None, bump: bool = True
) -> tuple[ProxyState, list[ProxyState]]:
    """A copy of ``state`` whose proxy properties no longer reference ``gone``, and whose helper properties that
    held one of ``gone`` hold a fresh helper of their default type instead (with ``new_helper``); and those new
    helpers, owned by ``state``."""
    changed = state.copy()
    helpers = []
    for prop in catalogue.get(state.group, state.type).properties:
        refs = state.properties.get(prop.name, ())
        if prop.kind not in ("proxy", "subproxy") or not set(refs) & gone:
            continue
        if prop.kind == "proxy":
            changed.properties[prop.name] = tuple(r for r in refs if r not in gone)
        elif prop.kind == "subproxy" and new_helper is not None:
            helper = new_helper(prop)
            helper.parent_id = state.global_id
            helpers.append(helper)
            changed.properties[prop.name] = (helper.global_id,)
    if bump and changed.properties != state.properties:
        changed.version += 1
    return changed, helpers
