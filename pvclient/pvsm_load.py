"""Recreating translated state proxies on a connection: in dependency order, as one undo step, all or nothing.

Proxies go in batches (``Connection.batch()``): as few as the server allows. A batch can refer to the proxies it
creates, but a server cannot give data-dependent defaults from an input the same batch creates, and a helper
sub-proxy (a Clip's plane) gets its id only once its owner's batch is answered. So a filter with a helper, or
with a default taken from its input's data, waits for the next batch after its input's, and each batch sets the
helpers of the proxies the one before created. A state of sources, filters and their views is typically two or
three requests, all inside one undo set: a failure undoes what the earlier batches made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pvcore.errors import PVError, StateFileError
from pvcore.messages import ProxyState
from pvcore.schema import Catalogue, ProxySpec

if TYPE_CHECKING:
    from pvclient.connection import Connection
    from pvclient.proxy import Proxy


@dataclass
class Plan:
    """Translated proxies by the file's ids, in dependency order (references are file ids), their helpers as
    property -> (helper type, values), a label for messages, and the view to make active."""

    states: dict[int, ProxyState] = field(default_factory=dict)
    helpers: dict[int, dict[str, tuple[str, dict[str, tuple]]]] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    first_view: int | None = None


def needs_input_information(catalogue: Catalogue, spec: ProxySpec, given: dict[str, object]) -> bool:
    """Whether creating ``spec`` with ``given`` makes the server read its input's data (a property left to a
    data-dependent default, or a helper with one): then the input must exist before the batch."""
    for prop in spec.properties:
        if prop.kind == "subproxy":
            type_name = given.get(prop.name, prop.subproxy_default)
            if isinstance(type_name, str) and catalogue.has(prop.subproxy_group, type_name):
                helper = catalogue.get(prop.subproxy_group, type_name)
                if any(h.domain is not None and h.domain.needs_input for h in helper.properties):
                    return True
        elif prop.domain is not None and prop.domain.needs_input and prop.name not in given:
            return True
    return False


def load_plan(connection: Connection, plan: Plan, label: str) -> dict[int, Proxy]:
    """Create the plan's proxies on ``connection``; returns them by file id. On a refusal nothing stays."""
    created: dict[int, Proxy] = {}
    sent: list[int] = []  # one entry per batch the server applied
    connection.begin_undo_set(label)
    try:
        _create_all(connection, plan, label, created, sent)
    except PVError as exc:
        connection.end_undo_set()
        if sent:
            connection.undo()
        if isinstance(exc, StateFileError):
            raise
        what = f"{label}: {exc.message} Nothing of the state was kept."
        exc.message, exc.args = what, (what,)
        raise
    connection.end_undo_set()
    return created


def _create_all(connection: Connection, plan: Plan, label: str, created: dict[int, Proxy], sent: list[int]) -> None:
    remaining = list(plan.states.values())
    settled: set[int] = set()  # created by an earlier batch, helpers set: a later filter may read its data
    unset: list[int] = []  # created by the last batch, helpers not set yet
    for _ in range(2 * len(remaining) + 2):
        if not remaining and not unset:
            return
        made: list[int] = []
        with connection.batch(label):
            for gid in unset:
                _set_helpers(connection, plan, created[gid].GlobalID, gid, created)
            deferred = []
            for st in remaining:
                if _ready(connection, plan, st, created, settled):
                    created[st.global_id] = _create(connection, plan, st, created)
                    made.append(st.global_id)
                else:
                    deferred.append(st)
        if made or unset:  # the server applied a batch: a failure from now on has something to undo
            sent.append(len(made))
        if not made and not unset:
            names = ", ".join(plan.labels[st.global_id] for st in deferred)
            raise StateFileError(f"{label}: {names} cannot be created: their references make a cycle.")
        settled.update(unset)
        settled.update(g for g in made if not plan.helpers.get(g))
        unset = [g for g in made if plan.helpers.get(g)]
        remaining = deferred
    raise StateFileError(f"{label}: the proxies could not be ordered.")  # unreachable: each round makes progress


def _references(connection: Connection, st: ProxyState) -> tuple[list[int], list[int]]:
    """The file ids ``st`` references: all, and its inputs."""
    spec = connection.spec(st.group, st.type)
    refs, inputs = [], []
    for prop in spec.properties:
        if prop.kind == "proxy":
            refs.extend(st.properties.get(prop.name, ()))
            if prop.is_input:
                inputs.extend(st.properties.get(prop.name, ()))
    return refs, inputs


def _ready(connection: Connection, plan: Plan, st: ProxyState, created: dict[int, Proxy], settled: set[int]) -> bool:
    """Whether ``st`` can join this batch: what it references exists or is in the batch, and its inputs exist
    before the batch if the server reads their data to create it."""
    refs, inputs = _references(connection, st)
    if any(r not in created for r in refs):
        return False
    given = {**st.properties, **{k: t for k, (t, _values) in plan.helpers.get(st.global_id, {}).items()}}
    spec = connection.spec(st.group, st.type)
    return not (needs_input_information(connection.catalogue, spec, given) and any(r not in settled for r in inputs))


def _create(connection: Connection, plan: Plan, st: ProxyState, created: dict[int, Proxy]) -> Proxy:
    values = _with_proxies(connection.spec(st.group, st.type), st.properties, created)
    for key, (helper_type, _values) in plan.helpers.get(st.global_id, {}).items():
        values[key] = helper_type
    return connection.create(st.group, st.type, values, st.name)


def _with_proxies(spec: ProxySpec, properties: dict[str, tuple], created: dict[int, Proxy]) -> dict[str, object]:
    """Values with references (file ids) as the proxies made for them; a reference to one not made is dropped."""
    values: dict[str, object] = {}
    for key, value in properties.items():
        prop = spec.property(key)
        if prop.kind != "proxy":
            values[key] = value
            continue
        proxies = [created[r] for r in value if r in created]
        if prop.count != 1:
            values[key] = proxies
        elif proxies:  # a single reference left unset when what it named is not loaded
            values[key] = proxies[0]
    return values


def _set_helpers(connection: Connection, plan: Plan, global_id: int, file_id: int, created: dict[int, Proxy]) -> None:
    """Set the helpers' values of a proxy the previous batch created (their ids are known now)."""
    owner = connection.states[global_id]
    for key, (_type, values) in plan.helpers[file_id].items():
        if values:
            helper = connection.states[owner.properties[key][0]]
            spec = connection.spec(helper.group, helper.type)
            connection.update(connection.proxy(helper.global_id), _with_proxies(spec, values, created))
