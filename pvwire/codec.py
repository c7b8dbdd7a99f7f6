"""Conversion between the wire's protobuf messages and the dataclasses of :mod:`pvcore.messages`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.protobuf.message import DecodeError

from pvcore import messages as m
from pvcore.errors import ProtocolError
from pvwire import pvcollab_pb2 as pb

#: Bytes of proxy states and chat messages in one message of a welcome (see :func:`encode_welcome`).
WELCOME_PART_BYTES = 4 * 2**20

# ------------------------------------------------------------------------------------------ values


def encode_value(values: tuple, out: pb.Value) -> None:
    """Fill ``out`` from a property value tuple (all strings, all ints/bools, or numbers)."""
    kinds = set(map(type, values))
    if kinds <= {int}:  # the empty tuple lands here too
        out.ints.values.extend(values)
    elif kinds <= {float, int}:  # the common cases first, without a Python loop over the values
        out.doubles.values.extend(values)
    elif values and all(isinstance(v, str) for v in values):
        out.strings.values.extend(values)
    elif all(isinstance(v, int) for v in values):  # bools are ints
        out.ints.values.extend(int(v) for v in values)
    elif all(isinstance(v, (int, float)) for v in values):
        out.doubles.values.extend(float(v) for v in values)
    else:
        raise ProtocolError(f"A property value must be a list of numbers or of strings, not {values!r}.")


def decode_value(value: pb.Value) -> tuple:
    """The tuple a protobuf Value holds."""
    kind = value.WhichOneof("kind")
    return tuple(getattr(value, kind).values) if kind else ()


def _encode_props(props: dict[str, tuple], out: Any) -> None:
    for key, values in props.items():
        encode_value(tuple(values), out[key])


def _decode_props(props: Any) -> dict[str, tuple]:
    return {key: decode_value(value) for key, value in props.items()}


def encode_state(state: m.ProxyState, out: pb.ProxyState) -> None:
    out.global_id, out.group, out.type = state.global_id, state.group, state.type
    out.registration_name, out.version, out.parent_id = state.name, state.version, state.parent_id
    _encode_props(state.properties, out.properties)


def decode_state(msg: pb.ProxyState) -> m.ProxyState:
    return m.ProxyState(
        msg.global_id,
        msg.group,
        msg.type,
        msg.registration_name,
        _decode_props(msg.properties),
        msg.version,
        msg.parent_id,
    )


def encode_delta(delta: m.StateDelta, out: pb.StateDelta) -> None:
    for state in delta.states:
        encode_state(state, out.states.add())
    out.deleted_ids.extend(delta.deleted_ids)


def decode_delta(msg: pb.StateDelta) -> m.StateDelta:
    return m.StateDelta([decode_state(s) for s in msg.states], list(msg.deleted_ids))


def _encode_arrays(arrays: list[m.ArrayInformation], out: Any) -> None:
    for a in arrays:
        out.add(name=a.name, number_of_components=a.number_of_components, ranges=a.ranges, data_type=a.data_type)


def _decode_arrays(arrays: Any) -> list[m.ArrayInformation]:
    return [m.ArrayInformation(a.name, a.number_of_components, list(a.ranges), a.data_type) for a in arrays]


def _encode_users(users: m.UserList, out: pb.UserList) -> None:
    out.master_id, out.reason = users.master_id, users.reason
    for u in users.users:
        out.users.add(client_id=u.client_id, name=u.name, following=u.following)


def _decode_users(msg: pb.UserList) -> m.UserList:
    return m.UserList([m.User(u.client_id, u.name, u.following) for u in msg.users], msg.master_id, msg.reason)


def _encode_chat(chat: m.ChatMessage, out: pb.ChatMessage) -> None:
    out.client_id, out.user, out.text, out.time = chat.client_id, chat.user, chat.text, chat.time


def _decode_chat(msg: pb.ChatMessage) -> m.ChatMessage:
    return m.ChatMessage(msg.client_id, msg.user, msg.text, msg.time)


# ------------------------------------------------------------------------------------------ client side


def encode_request(request_id: int, request: m.Request) -> bytes:
    """Serialise a client request."""
    msg = pb.ClientMessage(request_id=request_id)
    if isinstance(request, m.Hello):
        msg.hello.CopyFrom(
            pb.Hello(
                protocol_major=request.protocol_major,
                protocol_minor=request.protocol_minor,
                connect_id=request.connect_id,
                user=request.user,
                client_version=request.client_version,
                client_nonce=request.client_nonce,
            )
        )
    elif isinstance(request, m.Authenticate):
        msg.authenticate.client_proof = request.client_proof
        msg.authenticate.SetInParent()
    elif isinstance(request, m.CreateProxy):
        msg.create.group, msg.create.type, msg.create.registration_name = (
            request.group,
            request.type,
            request.name,
        )
        _encode_props(request.properties, msg.create.properties)
    elif isinstance(request, m.UpdateProxy):
        msg.update.global_id, msg.update.registration_name = request.global_id, request.name
        _encode_props(request.properties, msg.update.properties)
    elif isinstance(request, m.DeleteProxy):
        msg.delete.global_id = request.global_id
    elif isinstance(request, m.Invoke):
        msg.invoke.global_id, msg.invoke.method = request.global_id, request.method
        for arg in request.arguments:
            encode_value(tuple(arg), msg.invoke.arguments.add())
    elif isinstance(request, m.GatherInformation):
        msg.gather_information.global_id = request.global_id
    elif isinstance(request, m.RenderRequest):
        msg.render.CopyFrom(
            pb.RenderRequest(
                view_id=request.view_id,
                width=request.width,
                height=request.height,
                format=request.format,
                quality=request.quality,
                interactive=request.interactive,
            )
        )
    elif isinstance(request, m.Goodbye):
        msg.goodbye.SetInParent()
    elif isinstance(request, m.ChatRequest):
        msg.chat.text = request.text
    elif isinstance(request, m.PromoteRequest):
        msg.promote.client_id = request.client_id
    elif isinstance(request, m.FollowRequest):
        msg.follow.client_id, msg.follow.everyone = request.client_id, request.everyone
        msg.follow.SetInParent()
    elif isinstance(request, m.DisableConnections):
        msg.disable_connections.SetInParent()
    elif isinstance(request, m.SaveDataRequest):
        msg.save_data.global_id, msg.save_data.path = request.global_id, request.path
        msg.save_data.overwrite = request.overwrite
    elif isinstance(request, m.FetchRequest):
        msg.fetch.global_id, msg.fetch.max_bytes = request.global_id, request.max_bytes
        msg.fetch.SetInParent()
    elif isinstance(request, m.CancelRequest):
        msg.cancel.SetInParent()
    elif isinstance(request, m.UndoRequest):
        msg.undo.action, msg.undo.label = request.action, request.label
    else:
        raise ProtocolError(f"Cannot encode request {type(request).__name__}.")
    return msg.SerializeToString()


def decode_reply(msg: pb.ServerMessage) -> m.Reply:
    """The dataclass a server message carries."""
    kind = msg.WhichOneof("body")
    body = getattr(msg, kind) if kind else None
    if kind == "challenge":
        return m.Challenge(
            body.token_required, body.server_nonce, body.server_proof, body.protocol_major, body.protocol_minor
        )
    if kind == "welcome_part":
        return m.WelcomePart([decode_state(s) for s in body.states], [_decode_chat(c) for c in body.chat_history])
    if kind == "welcome":
        return m.Welcome(
            body.client_id,
            body.number_of_ranks,
            decode_delta(body.state),
            body.last_sequence,
            body.multi_clients,
            body.server_version,
            body.protocol_major,
            body.protocol_minor,
            _decode_users(body.users),
            [_decode_chat(c) for c in body.chat_history],
            body.parts,
        )
    if kind == "delta":
        return decode_delta(body)
    if kind == "information":
        return m.DataInformation(
            body.data_type,
            body.number_of_points,
            body.number_of_cells,
            list(body.bounds),
            _decode_arrays(body.point_arrays),
            _decode_arrays(body.cell_arrays),
            _decode_arrays(body.field_arrays),
            body.number_of_partitions,
            list(body.extent),
            body.memory_bytes,
        )
    if kind == "image":
        return m.Image(body.width, body.height, body.format, body.data, dict(body.timings_ms))
    if kind == "data_object":
        return m.DataObject(body.data_type, body.data)
    if kind == "undo_status":
        return m.UndoStatus(list(body.undo_labels), list(body.redo_labels))
    if kind == "error":
        return m.ErrorReply(body.kind, body.message, body.rank, body.proxy_id, body.proxy_name, body.property)
    if kind == "event":
        kind = body.WhichOneof("body")
        inner = getattr(body, kind) if kind else None
        if kind == "delta":
            content: Any = decode_delta(inner)
        elif kind == "users":
            content = _decode_users(inner)
        elif kind == "chat":
            content = _decode_chat(inner)
        elif kind == "progress":
            content = m.Progress(inner.proxy_id, inner.proxy_name, inner.fraction, inner.client_id)
        elif kind == "notice":
            content = m.Notice(inner.kind, inner.message, inner.client_id)
        else:
            content = m.Notice("ProtocolError", "The server sent an event this client does not understand.")
        return m.Event(body.sequence, body.origin_client, content)
    return m.ErrorReply(
        "ProtocolError",
        "The server sent a message this client does not understand; is the client older than the server?",
    )


# ------------------------------------------------------------------------------------------ server side


def decode_request(data: bytes) -> tuple[int, m.Request]:
    """Parse a client message; malformed bytes or an unknown kind raise ProtocolError."""
    msg = pb.ClientMessage()
    try:
        msg.ParseFromString(data)
    except (DecodeError, ValueError) as exc:
        raise ProtocolError(f"Malformed message ({len(data)} bytes): {exc}") from None
    kind = msg.WhichOneof("body")
    body = getattr(msg, kind) if kind else None
    rid = msg.request_id
    if kind == "hello":
        return rid, m.Hello(
            body.protocol_major, body.protocol_minor, body.connect_id, body.user, body.client_version, body.client_nonce
        )
    if kind == "authenticate":
        return rid, m.Authenticate(body.client_proof)
    if kind == "create":
        return rid, m.CreateProxy(body.group, body.type, body.registration_name, _decode_props(body.properties))
    if kind == "update":
        return rid, m.UpdateProxy(body.global_id, _decode_props(body.properties), body.registration_name)
    if kind == "delete":
        return rid, m.DeleteProxy(body.global_id)
    if kind == "invoke":
        return rid, m.Invoke(body.global_id, body.method, [decode_value(v) for v in body.arguments])
    if kind == "gather_information":
        return rid, m.GatherInformation(body.global_id)
    if kind == "render":
        return rid, m.RenderRequest(
            body.view_id, body.width, body.height, body.format or "png", body.quality, body.interactive
        )
    if kind == "goodbye":
        return rid, m.Goodbye()
    if kind == "chat":
        return rid, m.ChatRequest(body.text)
    if kind == "promote":
        return rid, m.PromoteRequest(body.client_id)
    if kind == "follow":
        return rid, m.FollowRequest(body.client_id, body.everyone)
    if kind == "disable_connections":
        return rid, m.DisableConnections()
    if kind == "save_data":
        return rid, m.SaveDataRequest(body.global_id, body.path, body.overwrite)
    if kind == "fetch":
        return rid, m.FetchRequest(body.global_id, body.max_bytes)
    if kind == "cancel":
        return rid, m.CancelRequest()
    if kind == "undo":
        return rid, m.UndoRequest(body.action, body.label)
    raise ProtocolError(
        f"Unknown message kind in request {rid}; this server speaks protocol {m.PROTOCOL_MAJOR}.{m.PROTOCOL_MINOR}.",
        rank=-1,
    )


def encode_welcome(
    request_id: int, welcome: m.Welcome, part_bytes: int = WELCOME_PART_BYTES
) -> tuple[int, Iterator[bytes]]:
    """A welcome as a Welcome message and the WelcomeParts after it, none much over ``part_bytes`` (a proxy
    state or chat message larger than that travels alone), so that no session is too large to join.

    Returns the number of messages and an iterator that encodes each as it is taken: a large session is never
    held encoded all at once."""
    groups = _welcome_groups(welcome, part_bytes)
    head, rest = groups[0], groups[1:]
    msg = pb.ServerMessage(request_id=request_id)
    msg.welcome.CopyFrom(
        pb.Welcome(
            protocol_major=welcome.protocol_major,
            protocol_minor=welcome.protocol_minor,
            client_id=welcome.client_id,
            number_of_ranks=welcome.number_of_ranks,
            server_version=welcome.server_version,
            last_sequence=welcome.last_sequence,
            multi_clients=welcome.multi_clients,
            parts=len(rest),
        )
    )
    _encode_users(welcome.users, msg.welcome.users)
    msg.welcome.state.deleted_ids.extend(welcome.state.deleted_ids)

    def messages() -> Iterator[bytes]:
        _fill(msg.welcome.state.states, msg.welcome.chat_history, head)
        yield msg.SerializeToString()
        for group in rest:
            part = pb.ServerMessage(request_id=request_id)
            part.welcome_part.SetInParent()
            _fill(part.welcome_part.states, part.welcome_part.chat_history, group)
            yield part.SerializeToString()

    return 1 + len(rest), messages()


def _welcome_groups(welcome: m.Welcome, part_bytes: int) -> list[list[Any]]:
    """The welcome's states and chat messages in groups of at most ``part_bytes`` (by an upper bound of their
    encoded size, counted without encoding them), the first for the Welcome itself."""
    groups: list[list[Any]] = [[]]
    size = 0
    for item in [*welcome.state.states, *welcome.chat_history]:
        weight = _size_bound(item)
        if size and size + weight > part_bytes:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += weight
    return groups


def _size_bound(item: m.ProxyState | m.ChatMessage) -> int:
    """At least the bytes ``item`` encodes to: 10 per number (a varint's most), each string's UTF-8 at most."""
    if isinstance(item, m.ChatMessage):
        return 64 + 4 * (len(item.user) + len(item.text))
    size = 64 + 4 * (len(item.group) + len(item.type) + len(item.name))
    for key, values in item.properties.items():
        size += 16 + 4 * len(key)
        if values and isinstance(values[0], str):
            size += sum(8 + 4 * len(v) for v in values)
        else:
            size += 10 * len(values)
    return size


def _fill(states: Any, chats: Any, items: list[Any]) -> None:
    for item in items:
        if isinstance(item, m.ChatMessage):
            _encode_chat(item, chats.add())
        else:
            encode_state(item, states.add())


def join_welcome(welcome: m.Welcome, parts: list[m.WelcomePart]) -> m.Welcome:
    """The whole welcome, from its Welcome and the ``welcome.parts`` WelcomeParts that followed it."""
    for part in parts:
        welcome.state.states.extend(part.states)
        welcome.chat_history.extend(part.chat_history)
    welcome.parts = 0
    return welcome


def encode_reply(request_id: int, reply: m.Reply) -> bytes:
    """Serialise a server message (a Welcome goes through :func:`encode_welcome`)."""
    msg = pb.ServerMessage(request_id=request_id)
    if isinstance(reply, m.Challenge):
        msg.challenge.CopyFrom(
            pb.Challenge(
                protocol_major=reply.protocol_major,
                protocol_minor=reply.protocol_minor,
                token_required=reply.token_required,
                server_nonce=reply.server_nonce,
                server_proof=reply.server_proof,
            )
        )
    elif isinstance(reply, m.WelcomePart):
        msg.welcome_part.SetInParent()
        for state in reply.states:
            encode_state(state, msg.welcome_part.states.add())
        for chat in reply.chat_history:
            _encode_chat(chat, msg.welcome_part.chat_history.add())
    elif isinstance(reply, m.Welcome):
        raise ProtocolError("A Welcome is sent in parts: use encode_welcome().")
    elif isinstance(reply, m.StateDelta):
        msg.delta.SetInParent()
        encode_delta(reply, msg.delta)
    elif isinstance(reply, m.DataInformation):
        info = msg.information
        info.data_type, info.number_of_points, info.number_of_cells = (
            reply.data_type,
            reply.number_of_points,
            reply.number_of_cells,
        )
        info.bounds.extend(reply.bounds)
        info.extent.extend(reply.extent)
        info.number_of_partitions, info.memory_bytes = reply.number_of_partitions, reply.memory_bytes
        _encode_arrays(reply.point_arrays, info.point_arrays)
        _encode_arrays(reply.cell_arrays, info.cell_arrays)
        _encode_arrays(reply.field_arrays, info.field_arrays)
    elif isinstance(reply, m.Image):
        msg.image.CopyFrom(
            pb.Image(
                width=reply.width,
                height=reply.height,
                format=reply.format,
                data=reply.data,
                timings_ms=reply.timings_ms,
            )
        )
    elif isinstance(reply, m.DataObject):
        msg.data_object.data_type, msg.data_object.data = reply.data_type, reply.data
    elif isinstance(reply, m.UndoStatus):
        msg.undo_status.undo_labels.extend(reply.undo_labels)
        msg.undo_status.redo_labels.extend(reply.redo_labels)
        msg.undo_status.SetInParent()
    elif isinstance(reply, m.ErrorReply):
        msg.error.CopyFrom(
            pb.Error(
                kind=reply.kind,
                message=reply.message,
                rank=reply.rank,
                proxy_id=reply.proxy_id,
                proxy_name=reply.proxy_name,
                property=reply.property,
            )
        )
    elif isinstance(reply, m.Event):
        msg.event.sequence, msg.event.origin_client = reply.sequence, reply.origin_client
        body = reply.body
        if isinstance(body, m.StateDelta):
            msg.event.delta.SetInParent()
            encode_delta(body, msg.event.delta)
        elif isinstance(body, m.UserList):
            msg.event.users.SetInParent()
            _encode_users(body, msg.event.users)
        elif isinstance(body, m.ChatMessage):
            _encode_chat(body, msg.event.chat)
        elif isinstance(body, m.Progress):
            msg.event.progress.CopyFrom(
                pb.Progress(
                    proxy_id=body.proxy_id, proxy_name=body.proxy_name, fraction=body.fraction, client_id=body.client_id
                )
            )
        elif isinstance(body, m.Notice):
            msg.event.notice.CopyFrom(pb.Notice(kind=body.kind, message=body.message, client_id=body.client_id))
        else:
            raise ProtocolError(f"Cannot encode event {type(body).__name__}.")
    else:
        raise ProtocolError(f"Cannot encode reply {type(reply).__name__}.")
    return msg.SerializeToString()
