"""Undo and redo, built on the same proxy states that cross the wire.

Each committed change is recorded as the states before and after it of every proxy it touched (None where a
proxy did not exist). Undoing plays the "before" states back as an ordinary :class:`StateDelta` (deleted
proxies come back with their old global id and their place in the pipeline; created ones go); redoing plays
the "after" states. Pure logic: no network, no MPI, no VTK.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pvcore import ordering
from pvcore.errors import UndoError
from pvcore.messages import ProxyState, StateDelta
from pvserver.pipeline import catalogue

#: Steps kept; the oldest are dropped beyond this.
MAX_STEPS = 200


@dataclass
class UndoStep:
    """One undoable step: what every touched proxy was before and after."""

    label: str
    before: dict[int, ProxyState | None] = field(default_factory=dict)
    after: dict[int, ProxyState | None] = field(default_factory=dict)

    def add(self, states: dict[int, ProxyState], delta: StateDelta) -> None:
        """Record a delta about to be committed on top of ``states`` (first 'before' wins, last 'after')."""
        for st in delta.states:
            self.before.setdefault(st.global_id, _copy(states.get(st.global_id)))
            self.after[st.global_id] = st.copy()
        for gid in delta.deleted_ids:
            self.before.setdefault(gid, _copy(states.get(gid)))
            self.after[gid] = None


@dataclass
class UndoStack:
    """The session's undo and redo stacks, with grouping into sets."""

    undo: list[UndoStep] = field(default_factory=list)
    redo: list[UndoStep] = field(default_factory=list)
    open_set: UndoStep | None = None
    depth: int = 0  # nesting of BeginUndoSet

    def record(self, label: str, states: dict[int, ProxyState], delta: StateDelta) -> None:
        """Record a change about to be committed; a new change clears the redo branch."""
        if not delta.states and not delta.deleted_ids:
            return
        self.redo.clear()
        if self.open_set is not None:
            self.open_set.add(states, delta)
            return
        step = UndoStep(label)
        step.add(states, delta)
        self._push(step)

    def begin(self, label: str) -> None:
        """Group the following changes into one step (sets nest; the outermost label is kept)."""
        if self.open_set is None:
            self.open_set = UndoStep(label or "Changes")
        self.depth += 1

    def end(self) -> None:
        """Close the set opened by :meth:`begin`."""
        if self.depth == 0:
            raise UndoError("EndUndoSet() without BeginUndoSet().")
        self.depth -= 1
        if self.depth == 0:
            step, self.open_set = self.open_set, None
            if step.before:
                self._push(step)

    def close_open_set(self) -> None:
        """Close the open set however deeply nested, keeping what it recorded as one finished step.

        Called when the master changes: a set left open by a master that left (or handed over) must not swallow
        the new master's changes.
        """
        step, self.open_set, self.depth = self.open_set, None, 0
        if step is not None and step.before:
            self._push(step)

    def _push(self, step: UndoStep) -> None:
        self.undo.append(step)
        del self.undo[:-MAX_STEPS]

    def plan(self, states: dict[int, ProxyState], redo: bool = False) -> tuple[UndoStep, StateDelta]:
        """The step to undo (or redo) and the delta that does it; nothing changes until :meth:`done`."""
        if self.depth:
            raise UndoError("Close the open undo set with EndUndoSet() before undoing.")
        stack = self.redo if redo else self.undo
        if not stack:
            raise UndoError(f"Nothing to {'redo' if redo else 'undo'}.")
        step = stack[-1]
        target = step.after if redo else step.before
        return step, delta_to(states, target)

    def done(self, step: UndoStep, redo: bool = False) -> None:
        """Move a step to the other stack once its delta was applied and committed."""
        (self.redo if redo else self.undo).pop()
        (self.undo if redo else self.redo).append(step)


def delta_to(states: dict[int, ProxyState], target: dict[int, ProxyState | None]) -> StateDelta:
    """The delta that brings the touched proxies from ``states`` to ``target``, in dependency order."""
    delta = StateDelta()
    wanted = {gid: st for gid, st in target.items() if st is not None}
    for gid, st in wanted.items():
        restored = st.copy()
        current = states.get(gid)
        restored.version = (current.version if current else st.version) + 1
        wanted[gid] = restored
    delta.states = dependency_order(wanted)
    delta.deleted_ids = [gid for gid, st in target.items() if st is None and gid in states]
    return delta


def dependency_order(states: dict[int, ProxyState]) -> list[ProxyState]:
    """States ordered so that every proxy comes after the proxies of this set it references (by the server's
    catalogue; see :func:`pvcore.ordering.dependency_order`)."""
    return ordering.dependency_order(states, catalogue)


def _copy(state: ProxyState | None) -> ProxyState | None:
    return None if state is None else state.copy()
