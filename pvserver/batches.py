"""A batch: several creates, updates and deletes planned as one change, all or nothing.

Pure logic, like the session: :func:`plan_batch` plans each item on the state the items before it leave (a
scratch copy of the session's states, so that nothing a light job sees meanwhile is half a batch), and returns
one delta over the session's states. The service applies that delta on the ranks and commits it as one undo
step, or, if any item is refused, nothing at all.

A proxy the batch's k-th create makes (counting creates only, from 1) is named ``-k`` by the items after it:
as the ``global_id`` of an update or delete, or in a proxy property's value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from pvcore import messages
from pvcore.definitions.views import is_camera_property
from pvcore.errors import PropertyError, PVError
from pvcore.messages import DataInformation, ProxyState, StateDelta
from pvcore.schema import PIPELINE_GROUPS, ProxySpec
from pvcore.values import coerce
from pvserver.pipeline import catalogue
from pvserver.session import Session, needs_input_info, without_unchanged
from pvserver.undo import dependency_order

#: Items one batch may hold.
MAX_ITEMS = 10_000

Item = messages.CreateProxy | messages.UpdateProxy | messages.DeleteProxy


@dataclass
class BatchPlan:
    """What a batch does: the delta over the session's states, the id of each proxy its creates make (in
    order), and the camera values its updates set (each client's own: stored apart, as UpdateProxy's are)."""

    delta: StateDelta = field(default_factory=StateDelta)
    created_ids: list[int] = field(default_factory=list)
    cameras: dict[int, dict[str, tuple]] = field(default_factory=dict)


def is_camera_only(item: Item, states: dict[int, ProxyState]) -> bool:
    """Whether an item only moves the camera of a view (each client's own: it needs no master)."""
    target = states.get(item.global_id) if isinstance(item, messages.UpdateProxy) else None
    return (
        target is not None
        and target.group == "views"
        and not item.name
        and bool(item.properties)
        and all(is_camera_property(k) for k in item.properties)
    )


def plan_batch(
    session: Session,
    items: list[Item],
    information: Callable[[int], DataInformation],
    files: Callable[[tuple], tuple] = lambda names: names,
    single: bool = False,
) -> BatchPlan:
    """Plan ``items`` in order; raise the first item's error (saying which item, unless ``single``: one plain
    create, update or delete) and change nothing.

    ``information(global_id)`` gathers a live proxy's data information, for data-dependent defaults;
    ``files(names)`` checks a reader's file names (the service's sandbox). Only ids and automatic names are
    reserved in ``session``, as by ``plan_create``.
    """
    if len(items) > MAX_ITEMS:
        raise PropertyError(f"A batch holds at most {MAX_ITEMS} changes; got {len(items)}.")
    session.registered_names()  # built on the session, so that the scratch copy shares it
    scratch = copy.copy(session)  # shares the id counters and the committed names; its own states
    scratch.states = dict(session.states)
    scratch.batch_names = set()
    plan = BatchPlan()
    touched: dict[int, None] = {}  # global ids in the order the items touched them
    for number, item in enumerate(items, 1):
        try:
            delta = _plan_item(scratch, item, plan, information, files)
        except PVError as exc:
            if single:
                raise
            exc.message = f"Batch item {number} ({_describe(item)}): {exc.message} Nothing in the batch was changed."
            exc.args = (exc.message,)
            raise
        for st in delta.states:
            scratch.states[st.global_id] = st
            scratch.batch_names.add(st.name)  # taken for the batch's next automatic names too
            touched[st.global_id] = None
        for gid in delta.deleted_ids:
            scratch.states.pop(gid, None)
            touched[gid] = None
    changed = {gid: scratch.states[gid] for gid in touched if gid in scratch.states}
    deleted = [gid for gid in touched if gid not in scratch.states and gid in session.states]
    plan.delta = StateDelta(dependency_order(changed), deleted)
    return plan


def _plan_item(
    scratch: Session,
    item: Item,
    plan: BatchPlan,
    information: Callable[[int], DataInformation],
    files: Callable[[tuple], tuple],
) -> StateDelta:
    created = plan.created_ids
    if isinstance(item, messages.CreateProxy):
        spec = catalogue.get(item.group, item.type)
        properties = _resolved(spec, item.properties, created)
        for prop in spec.properties:  # paths beneath the data directory, checked here and opened in the sandbox
            if prop.file_path:
                properties[prop.name] = files(properties.get(prop.name, ()))
        info = None
        if spec.has_input and "Input" in properties and needs_input_info(spec, properties):
            input_id = int(coerce(spec.property("Input"), properties["Input"])[0])
            info = _input_information(scratch, input_id, created, spec.name, information)
        delta = scratch.plan_create(item.group, item.type, properties, item.name, info)
        created.append(delta.states[-1].global_id)
        return delta
    global_id = _resolved_id(item.global_id, created)
    if isinstance(item, messages.DeleteProxy):
        return scratch.plan_delete(global_id)
    state = scratch.state(global_id)
    spec = catalogue.get(state.group, state.type)
    properties = _resolved(spec, item.properties, created)
    if state.group == "views":
        camera = {k: v for k, v in properties.items() if is_camera_property(k)}
        if camera:
            values = {k: coerce(spec.property(k), v) for k, v in camera.items()}
            plan.cameras.setdefault(global_id, {}).update(values)
            properties = {k: v for k, v in properties.items() if k not in camera}
    for key in [k for k in properties if spec.property(k).file_path]:
        properties[key] = files(properties[key])
    request = without_unchanged(messages.UpdateProxy(global_id, properties, item.name), state, spec)
    if not request.properties and not request.name:
        return StateDelta()
    info = None
    if any(spec.property(k).kind == "subproxy" for k in request.properties) and "Input" in state.properties:
        info = _input_information(scratch, int(state.properties["Input"][0]), created, state.name, information)
    return scratch.plan_update(global_id, request.properties, request.name, info)


def _input_information(
    scratch: Session, input_id: int, created: list[int], consumer: str, information: Callable[[int], DataInformation]
) -> DataInformation | None:
    """The input's data information, gathered from the ranks, which know only what existed before the batch."""
    if input_id in created:
        raise PropertyError(
            f"{consumer} takes defaults from its input's data, and this batch creates that input: create the "
            "input before the batch, or give those properties explicitly.",
            property="Input",
        )
    source = scratch.states.get(input_id)
    if source is None or source.group not in PIPELINE_GROUPS:
        return None  # plan_create / plan_update say why
    return information(input_id)


def _resolved_id(global_id: int, created: list[int]) -> int:
    """A global id, or the proxy an earlier create of the batch made for ``-k``."""
    if global_id >= 0:
        return global_id
    if -global_id > len(created):
        raise PropertyError(
            f"Id {global_id} names the batch's create number {-global_id}, but only {len(created)} create(s) come "
            "before this item."
        )
    return created[-global_id - 1]


def _resolved(spec: ProxySpec, properties: dict[str, tuple], created: list[int]) -> dict[str, tuple]:
    """The properties with the batch's placeholders in proxy references replaced by global ids."""
    resolved = dict(properties)
    for key, value in properties.items():
        if spec.property(key).kind in ("proxy", "subproxy") and any(
            isinstance(v, int) and not isinstance(v, bool) and v < 0 for v in value
        ):
            resolved[key] = tuple(
                _resolved_id(v, created) if isinstance(v, int) and not isinstance(v, bool) else v for v in value
            )
    return resolved


def _describe(item: Item) -> str:
    if isinstance(item, messages.CreateProxy):
        return f"create {item.type}"
    if isinstance(item, messages.DeleteProxy):
        return f"delete {item.global_id}"
    return f"update {item.global_id}: {', '.join(item.properties) or 'name'}"
