"""Pipeline changes: create, update, delete, a batch of them, undo and redo.

A create, update or delete is a batch of one: :func:`pvserver.batches.plan_batch` plans every change (paths checked
against the data directory, data-dependent defaults from the input, camera values set apart as each client's
own, a set to the value a property has dropped), then :meth:`ChangeRequests._execute` applies the delta on every
rank, commits it as one undo step and tells the other clients.
"""

from __future__ import annotations

from pvcore import messages
from pvcore.definitions.filters_programmable import python_properties
from pvcore.errors import PermissionDeniedError, PipelineError, ProtocolError
from pvcore.messages import StateDelta
from pvcore.sizes import Size
from pvserver import commands
from pvserver.batches import Item, is_camera_only, plan_batch
from pvserver.handlers.base import ServicePart
from pvserver.pipeline import budget, catalogue


class ChangeRequests(ServicePart):
    """Changes to the session's pipeline, made only by the master (a client's own camera excepted)."""

    budget: budget.Budget

    def _create(self, client_id: int, req: messages.CreateProxy) -> StateDelta:
        delta, _ = self._change(client_id, [req], "", single=True)
        return delta

    def _update(self, client_id: int, req: messages.UpdateProxy) -> StateDelta:
        state = self.session.state(req.global_id)
        if not req.properties and not req.name:  # nothing to change: not a new version, nor an undo step
            return StateDelta([self.session.as_seen_by(client_id, state)])
        delta, _ = self._change(client_id, [req], "", single=True)
        if not delta.states and req.global_id in self.session.states:  # every value as it was: no version, no event
            return StateDelta([self.session.as_seen_by(client_id, self.session.state(req.global_id))])
        return delta

    def _delete(self, client_id: int, req: messages.DeleteProxy) -> StateDelta:
        delta, _ = self._change(client_id, [req], "", single=True)
        return delta

    def _batch(self, client_id: int, req: messages.Batch) -> messages.BatchReply:
        """Several changes as one: planned in order (pvserver.batches), applied on the ranks at once, one undo
        step, one event for the other clients; an item refused changes nothing."""
        delta, created = self._change(client_id, req.items, req.label)
        return messages.BatchReply(delta, created)

    def _change(self, client_id: int, items: list[Item], label: str, single: bool = False) -> tuple[StateDelta, list]:
        """Plan, apply and commit ``items`` as one undo step; the delta as this client sees it, and the new ids."""
        if not all(is_camera_only(item, self.session.states) for item in items):
            self.session.check_master(client_id, "change the pipeline")
        self._check_python_allowed(items)
        plan = plan_batch(self.session, items, self._information, self._files, single)
        delta = plan.delta
        if delta.states or delta.deleted_ids:
            delta = self._execute(client_id, delta, label or self._label(items, delta))
        cameras = {gid: values for gid, values in plan.cameras.items() if gid in self.session.states}
        for view_id, values in cameras.items():
            self._set_camera(client_id, self.session.state(view_id), values)
        seen = [st for st in delta.states if st.global_id not in cameras]
        seen += [self.session.as_seen_by(client_id, self.session.state(gid)) for gid in cameras]
        return StateDelta(seen, list(delta.deleted_ids)), plan.created_ids

    def _check_python_allowed(self, items: list[Item]) -> None:
        """Refuse to create a proxy that runs the client's Python, or to change its Python, where this server does
        not run clients' Python (--no-token without --allow-python, or --no-python). Where it does, the master
        check above applies, as to every pipeline change: only the master (a token holder) gets here."""
        if self.options.python_scripts:
            return
        for item in items:
            if isinstance(item, messages.CreateProxy) and catalogue.CATALOGUE.has(item.group, item.type):
                spec, names = catalogue.get(item.group, item.type), None
            elif isinstance(item, messages.UpdateProxy) and item.global_id in self.session.states:
                state = self.session.states[item.global_id]
                spec, names = catalogue.get(state.group, state.type), set(item.properties)
            else:
                continue
            python = [name for name in python_properties(spec) if names is None or name in names]
            if python:
                why = "--no-token (anyone on this machine could join it)" if not self.options.token else "--no-python"
                raise PermissionDeniedError(
                    f"{spec.name} runs Python ({', '.join(python)}) on the server, which this pvserver refuses: it "
                    f"was started with {why}. Start it with a token (the default), without --no-python, or with "
                    "--no-token --allow-python on a machine whose users you all trust.",
                    property=python[0],
                )

    def _label(self, items: list[Item], planned: StateDelta) -> str:
        """The undo step's name: "Create Sphere1", "Change Radius of Sphere1", "Delete Sphere1", "3 changes"."""
        if len(items) != 1:
            return f"{len(items)} changes"
        item = items[0]
        if isinstance(item, messages.CreateProxy):
            return f"Create {planned.states[-1].name}"
        old = self.session.state(item.global_id)
        if isinstance(item, messages.DeleteProxy):
            return f"Delete {old.name}"
        new = next((st for st in planned.states if st.global_id == item.global_id), old)
        changed = [k for k in item.properties if old.properties.get(k) != new.properties.get(k)]
        return f"Change {', '.join(changed) or 'name'} of {old.name}"

    def _undo(self, client_id: int, req: messages.UndoRequest) -> StateDelta | messages.UndoStatus:
        history = self.session.history
        if req.action == "status":
            return messages.UndoStatus([s.label for s in history.undo], [s.label for s in history.redo])
        if req.action not in ("undo", "redo", "begin", "end"):
            raise ProtocolError(f"Unknown undo action {req.action!r}; use undo, redo, begin, end or status.")
        self.session.check_master(client_id, f"{req.action} changes")
        if req.action == "begin":
            history.begin(req.label)
            return StateDelta()
        if req.action == "end":
            history.end()
            return StateDelta()
        redo = req.action == "redo"
        step, delta = history.plan(self.session.states, redo)
        self._check_budget(delta)
        self.engine.run(commands.ApplyDelta(delta))
        self.session.commit(delta)
        history.done(step, redo)
        self.publish(client_id, delta)  # an undo reaches every client as ordinary state events
        return self.session.delta_for(client_id, delta)

    def _execute(self, client_id: int, delta: StateDelta, undo_label: str = "") -> StateDelta:
        """Apply a planned delta on every rank, commit it (as an undo step if labelled), tell the other clients."""
        self._check_budget(delta)
        self.engine.run(commands.ApplyDelta(delta))
        self.session.commit(delta, undo_label)
        self.publish(client_id, delta)
        return self.session.delta_for(client_id, delta)

    def _check_budget(self, delta: StateDelta) -> None:
        """Refuse a delta whose outputs would not fit in a rank's memory budget, before any rank sees it."""
        self.budget.check(delta.states, self.session.states, self._measured)

    def _measured(self, global_id: int) -> Size | None:
        """The size of a live proxy's output, from its data information (for readers, which have no size rule);
        None when it cannot be computed: that failure is reported when the pipeline runs, not as a budget matter."""
        try:
            info = self._information(global_id)
        except PipelineError:
            return None
        return Size(info.number_of_points, info.number_of_cells, info.memory_bytes, split=True)
