"""The authoritative session state: proxy states, clients, the master, the event sequence.

Pure logic: no network, no MPI, no VTK. Every change is planned first (``plan_*`` returns a
:class:`~pvcore.messages.StateDelta` and changes nothing), applied on the ranks by the service, then
committed here. A change that fails validation or execution therefore leaves the session untouched.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, deque
from dataclasses import dataclass, field

from pvcore.domains import InputNamesDomain
from pvcore.errors import PermissionDeniedError, PropertyError, ProxyNotFoundError
from pvcore.messages import ChatMessage, DataInformation, ProxyState, StateDelta, UpdateProxy, User, UserList, Values
from pvcore.schema import Property, ProxySpec
from pvcore.values import changes_nothing, coerce
from pvserver.deletion import plan_deletion, with_released
from pvserver.pipeline import catalogue
from pvserver.references import check_references
from pvserver.undo import UndoStack, dependency_order

#: Chat messages kept for late joiners.
CHAT_HISTORY = 1000
#: Proxies one session may hold: a bound on server memory.
MAX_PROXIES = 10_000
MAX_NAME_LENGTH = 1000  # characters of a registration name


@dataclass
class ClientInfo:
    """One connected client."""

    client_id: int
    user: str
    joined: int  # order of arrival, to pick the longest-connected client


@dataclass
class Session:
    """Proxy states and clients of one server session."""

    states: dict[int, ProxyState] = field(default_factory=dict)
    clients: dict[int, ClientInfo] = field(default_factory=dict)
    sequence: int = 0
    master_id: int = 0
    accepting: bool = True  # False once the master disabled further connections
    following: dict[int, int] = field(default_factory=dict)  # client -> the client whose camera it takes
    cameras: dict[int, dict[int, dict[str, tuple]]] = field(default_factory=dict)  # client -> view -> camera
    chat: deque = field(default_factory=lambda: deque(maxlen=CHAT_HISTORY))
    history: UndoStack = field(default_factory=UndoStack)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _client_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    # The registration names of the committed states, kept by commit (None until first needed), and per type
    # the lowest N whose "<Type><N>" may be free in them (any name freed clears it): _next_name in O(1).
    _names: Counter | None = field(default=None, repr=False, compare=False)
    _name_hints: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    #: On a batch's scratch copy (pvserver.batches): the names its items have given so far; None on the session.
    batch_names: set[str] | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------------------------------ queries

    def state(self, global_id: int) -> ProxyState:
        """The state of a live proxy, or ProxyNotFoundError."""
        try:
            return self.states[global_id]
        except KeyError:
            if global_id < 0:  # a batch's placeholder, outside a batch (or naming no earlier create of it)
                raise ProxyNotFoundError(
                    f"Id {global_id} names no proxy: negative ids stand for a batch's own creates, inside a batch."
                ) from None
            raise ProxyNotFoundError(
                f"No proxy with id {global_id} exists in this session.", proxy_id=global_id
            ) from None

    def spec_of(self, global_id: int) -> ProxySpec:
        """The catalogue spec of a live proxy."""
        st = self.state(global_id)
        return catalogue.get(st.group, st.type)

    def consumers(self, global_id: int) -> list[ProxyState]:
        """Proxies (other than its own sub-proxies) that reference ``global_id`` through a proxy property."""
        found = []
        for st in self.states.values():
            spec = catalogue.get(st.group, st.type)
            for prop in spec.properties:
                if prop.kind == "proxy" and global_id in st.properties.get(prop.name, ()):
                    found.append(st)
                    break
        return found

    def snapshot(self) -> StateDelta:
        """The whole current state, in an order where every proxy comes after those it references."""
        return StateDelta(states=[s.copy() for s in self._dependency_order()])

    def _dependency_order(self) -> list[ProxyState]:
        return dependency_order(self.states)

    # ------------------------------------------------------------------------------------ planning

    def plan_create(
        self,
        group: str,
        type_name: str,
        properties: dict[str, Values],
        name: str = "",
        input_info: DataInformation | None = None,
    ) -> StateDelta:
        """Plan the creation of a proxy (and its sub-proxies); the new proxy's state comes last.

        ``input_info`` is the data information of the ``Input``, used for data-dependent defaults.
        """
        spec = catalogue.get(group, type_name)
        if len(self.states) >= MAX_PROXIES:
            raise PropertyError(
                f"This session already holds {len(self.states)} proxies, the most it allows; delete some first."
            )
        values = spec.defaults()
        given = self._validated(spec, properties, name)
        values.update(given)
        delta = StateDelta()
        if spec.has_input and "Input" not in given:
            raise PropertyError(f"{type_name} needs an Input: pass Input=<source>.", property="Input")
        for key, value in given.items():
            if spec.property(key).kind == "proxy":
                check_references(self.states, spec.property(key), value, type_name)
        for prop in spec.properties:
            if prop.kind == "subproxy":
                requested = given.get(prop.name, (prop.subproxy_default,))[0]
                if isinstance(requested, int):
                    raise PropertyError(
                        f"{prop.name} of a new {type_name} must be a type name, {prop.domain_text()}.",
                        property=prop.name,
                    )
                sub = self._new_subproxy(prop, requested, input_info)
                delta.states.append(sub)
                values[prop.name] = (sub.global_id,)
            elif isinstance(prop.domain, InputNamesDomain) and prop.name not in given:  # GroupDatasets' names
                refs = values.get(prop.domain.input_property, ())
                names = [st.name if (st := self.states.get(int(ref))) else "" for ref in refs]
                values[prop.name] = prop.domain.from_names(names)
            elif prop.domain is not None and prop.name not in given:  # a default from the data, as ParaView's
                values[prop.name] = prop.domain.default(values, input_info, prop.default)
        gid = next(self._ids)
        for sub in delta.states:
            sub.parent_id = gid
        if not name:
            name = self._next_name(type_name)
        delta.states.append(ProxyState(gid, group, type_name, name, values))
        return delta

    def plan_update(
        self,
        global_id: int,
        properties: dict[str, Values],
        name: str = "",
        input_info: DataInformation | None = None,
    ) -> StateDelta:
        """Plan a change of properties and/or registration name of a live proxy."""
        old = self.state(global_id)
        spec = catalogue.get(old.group, old.type)
        given = self._validated(spec, properties, name)
        new = old.copy()
        delta = StateDelta()
        for key, value in given.items():
            prop = spec.property(key)
            if prop.kind == "proxy":
                check_references(self.states, prop, value, old.name, consumer_id=global_id)
            if prop.kind == "subproxy":
                current = old.properties[key][0]
                holder = self.states.get(current)
                owned = holder is not None and holder.parent_id == global_id  # else shared: only the reference goes
                if isinstance(value[0], str):  # a type name: replace the helper by a fresh one of that type
                    sub = self._new_subproxy(prop, value[0], input_info)
                    sub.parent_id = global_id
                    delta.states.append(sub)
                    if owned:
                        delta.deleted_ids.append(current)
                    value = (sub.global_id,)
                elif value[0] != current:
                    # or a proxy of its group and types of its own (ParaView's proxy properties: a representation's
                    # ScaleTransferFunction = CreatePiecewiseFunction(...)); the helper it owned goes
                    other = self.states.get(int(value[0]))
                    if other is None or other.group != prop.subproxy_group or other.type not in prop.values:
                        raise PropertyError(
                            f"{key} can only be set by naming a type, {prop.domain_text()}, or to a proxy of one of "
                            f"those types of group {prop.subproxy_group!r}.",
                            property=key,
                        )
                    if owned:
                        delta.deleted_ids.append(current)
            new.properties[key] = value
        if name:
            new.name = name
        new.version += 1
        delta.states.append(new)
        # an unregistered input it no longer takes goes; another's helper property that held a helper it deletes
        # gets a fresh one
        return with_released(self.states, delta, self._default_helper)

    def plan_delete(self, global_id: int) -> StateDelta:
        """Plan ``Delete`` of a proxy, as ParaView's (see :mod:`pvserver.deletion`): it goes with what only exists
        for it (helpers, representations), or, while a source or filter still uses it as input, it is unregistered
        (listed nowhere, its representations gone) and goes once its last user does. A filter's helper is refused.
        Views and representations that referenced what goes are updated to drop the reference.
        """
        self.state(global_id)
        return plan_deletion(self.states, global_id, self._default_helper)

    def _default_helper(self, prop: Property) -> ProxyState:
        """A fresh helper of the default type of ``prop``: for a helper property whose proxy goes."""
        return self._new_subproxy(prop, prop.subproxy_default, None)

    # ------------------------------------------------------------------------------------ commit

    def commit(self, delta: StateDelta, undo_label: str = "") -> None:
        """Store a delta that the ranks applied successfully; with a label it becomes an undo step."""
        if undo_label:
            self.history.record(undo_label, self.states, delta)
        names = self.registered_names()
        for st in delta.states:
            old = self.states.get(st.global_id)
            if old is not None:
                self._forget_name(names, old.name)
            names[st.name] += 1
            self.states[st.global_id] = st.copy()
        for gid in delta.deleted_ids:
            old = self.states.pop(gid, None)
            if old is not None:
                self._forget_name(names, old.name)

    def registered_names(self) -> Counter:
        """How many committed proxies have each registration name (built once, then kept by commit)."""
        if self._names is None or self._names.total() != len(self.states):  # states set up by other means
            self._names = Counter(st.name for st in self.states.values())
            self._name_hints.clear()
        return self._names

    def _forget_name(self, names: Counter, name: str) -> None:
        names[name] -= 1
        if names[name] <= 0:  # free again: the first free number of its type may be lower now
            del names[name]
            self._name_hints.clear()

    def next_sequence(self) -> int:
        """Number the next event."""
        self.sequence += 1
        return self.sequence

    # ------------------------------------------------------------------------------------ clients

    def add_client(self, user: str = "") -> ClientInfo:
        """Register a new client; the default user name is "User <id>" as in ParaView; the first is master."""
        cid = next(self._client_ids)
        info = ClientInfo(cid, user or f"User {cid}", joined=cid)
        self.clients[cid] = info
        if not self.master_id:
            self.master_id = cid
        return info

    def remove_client(self, client_id: int) -> str:
        """Forget a client; if it was master, the longest-connected remaining client becomes master.

        Returns a sentence saying what happened, for the other clients.
        """
        info = self.clients.pop(client_id, None)
        self.cameras.pop(client_id, None)
        self.following.pop(client_id, None)
        for follower, followed in list(self.following.items()):
            if followed == client_id:
                del self.following[follower]
        name = info.user if info else f"User {client_id}"
        reason = f"{name} left"
        if client_id == self.master_id:
            remaining = sorted(self.clients.values(), key=lambda c: c.joined)
            self.set_master(remaining[0].client_id if remaining else 0)
            if remaining:
                reason += f"; {remaining[0].user} is now master"
        return reason

    def set_master(self, client_id: int) -> None:
        """Make a client master (0: nobody). An undo set the old master left open is closed first, as a step of
        its own, so that the new master's changes are never part of it."""
        if client_id != self.master_id:
            self.history.close_open_set()
            self.master_id = client_id

    def user_list(self, reason: str = "") -> UserList:
        """Every client in order of arrival, with the master."""
        users = [
            User(c.client_id, c.user, self.following.get(c.client_id, 0))
            for c in sorted(self.clients.values(), key=lambda c: c.joined)
        ]
        return UserList(users, self.master_id, reason)

    def check_master(self, client_id: int, what: str) -> None:
        """Refuse a change from a client that is not master, naming the master and how to get control."""
        if client_id != self.master_id and self.master_id in self.clients:
            master = self.clients[self.master_id]
            raise PermissionDeniedError(
                f"Only the master can {what}; the master is {master.user} (user {master.client_id}). "
                f"Ask them to hand over with PromoteToMaster({self.clients[client_id].user!r})."
            )

    def client(self, client_id: int) -> ClientInfo:
        """A connected client, or PropertyError naming the users."""
        try:
            return self.clients[client_id]
        except KeyError:
            names = ", ".join(f"{c.user} ({c.client_id})" for c in self.clients.values())
            raise PropertyError(f"No user with id {client_id}; users are: {names}.") from None

    def add_chat(self, client_id: int, text: str) -> ChatMessage:
        """Store a chat message for late joiners and return it."""
        message = ChatMessage(client_id, self.client(client_id).user, text, time.time())
        self.chat.append(message)
        return message

    # ------------------------------------------------------------------------------------ cameras

    def camera(self, client_id: int, view_id: int) -> dict[str, tuple]:
        """A client's camera of a view (empty until it sets one: the view's shared values apply)."""
        return self.cameras.get(client_id, {}).get(view_id, {})

    def set_camera(self, client_id: int, view_id: int, values: dict[str, tuple]) -> list[int]:
        """Store a client's camera and pass it on to its followers; returns the clients whose camera changed."""
        changed = [client_id]
        self.cameras.setdefault(client_id, {}).setdefault(view_id, {}).update(values)
        for follower, followed in self.following.items():
            if followed == client_id and follower in self.clients:
                self.cameras.setdefault(follower, {})[view_id] = dict(self.camera(client_id, view_id))
                changed.append(follower)
        return changed

    def as_seen_by(self, client_id: int, state: ProxyState) -> ProxyState:
        """A view's state with this client's own camera; other states as they are."""
        camera = self.camera(client_id, state.global_id) if state.group == "views" else {}
        if not camera:
            return state
        seen = state.copy()
        seen.properties.update(camera)
        return seen

    def delta_for(self, client_id: int, delta: StateDelta) -> StateDelta:
        """A delta as one client sees it (its own cameras in views); the same object when that changes nothing."""
        seen = [self.as_seen_by(client_id, st) for st in delta.states]
        if all(a is b for a, b in zip(seen, delta.states, strict=True)):
            return delta
        return StateDelta(seen, list(delta.deleted_ids))

    # ------------------------------------------------------------------------------------ helpers

    def _validated(self, spec: ProxySpec, properties: dict[str, Values], name: str = "") -> dict[str, tuple]:
        if len(name) > MAX_NAME_LENGTH:
            raise PropertyError(f"A registration name has at most {MAX_NAME_LENGTH} characters; got {len(name)}.")
        for key in properties:
            if spec.property(key).read_only:
                raise PropertyError(f"{spec.name}.{key} is read-only: the server computes it.", property=key)
        return {key: coerce(spec.property(key), value) for key, value in properties.items()}

    def _new_subproxy(self, prop: Property, type_name: str, input_info: DataInformation | None) -> ProxyState:
        sub_spec = catalogue.subproxy_spec(prop, type_name)
        values = sub_spec.defaults()
        for sub_prop in sub_spec.properties:  # from its owner's input: a cutting function centred on its bounds
            if sub_prop.domain is not None:
                values[sub_prop.name] = sub_prop.domain.default(values, input_info, sub_prop.default)
        return ProxyState(next(self._ids), sub_spec.group, sub_spec.name, f"{prop.name}", values)

    def _next_name(self, type_name: str) -> str:
        """The first free "<Type><N>", as ParaView's GetUniqueProxyName: a deleted proxy's name is free again."""
        # a batch's scratch copy shares the session's committed names (its own states run ahead of them)
        committed = self._names if self.batch_names is not None and self._names is not None else self.registered_names()
        n = self._name_hints.get(type_name, 1)
        while f"{type_name}{n}" in committed:
            n += 1
        self._name_hints[type_name] = n  # the committed names are shared with a batch's scratch copy
        if self.batch_names is not None:
            while f"{type_name}{n}" in self.batch_names:
                n += 1
            self.batch_names.add(f"{type_name}{n}")
        return f"{type_name}{n}"


def needs_input_info(spec: ProxySpec, given: dict) -> bool:
    """Whether creating ``spec`` with the ``given`` properties needs its input's data information: a property
    left to its domain, or a helper (named or by default) whose properties have domains."""
    for p in spec.properties:
        if p.kind == "subproxy":
            requested = given.get(p.name, p.subproxy_default)
            type_name = requested[0] if isinstance(requested, (tuple, list)) and requested else requested
            if isinstance(type_name, str) and type_name in p.values:  # else an id, or a name plan_create refuses
                helper = catalogue.subproxy_spec(p, type_name)
                if any(h.domain is not None and h.domain.needs_input for h in helper.properties):
                    return True
        elif p.domain is not None and p.domain.needs_input and p.name not in given:
            return True
    return False


def without_unchanged(req: UpdateProxy, state: ProxyState, spec: ProxySpec) -> UpdateProxy:
    """The update without the properties it sets to the values they have (a helper named by type is always new)."""
    changed = {
        key: value
        for key, value in req.properties.items()
        if not changes_nothing(spec.property(key), coerce(spec.property(key), value), state.properties.get(key))
    }
    name = req.name if req.name != state.name else ""
    unchanged = len(changed) == len(req.properties) and name == req.name
    return req if unchanged else UpdateProxy(req.global_id, changed, name)
