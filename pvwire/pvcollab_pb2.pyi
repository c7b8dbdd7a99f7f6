from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Ints(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, values: _Optional[_Iterable[int]] = ...) -> None: ...

class Doubles(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, values: _Optional[_Iterable[float]] = ...) -> None: ...

class Strings(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, values: _Optional[_Iterable[str]] = ...) -> None: ...

class Value(_message.Message):
    __slots__ = ("ints", "doubles", "strings")
    INTS_FIELD_NUMBER: _ClassVar[int]
    DOUBLES_FIELD_NUMBER: _ClassVar[int]
    STRINGS_FIELD_NUMBER: _ClassVar[int]
    ints: Ints
    doubles: Doubles
    strings: Strings
    def __init__(self, ints: _Optional[_Union[Ints, _Mapping]] = ..., doubles: _Optional[_Union[Doubles, _Mapping]] = ..., strings: _Optional[_Union[Strings, _Mapping]] = ...) -> None: ...

class ProxyState(_message.Message):
    __slots__ = ("global_id", "group", "type", "registration_name", "properties", "version", "parent_id")
    class PropertiesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Value, _Mapping]] = ...) -> None: ...
    GLOBAL_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_NAME_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    global_id: int
    group: str
    type: str
    registration_name: str
    properties: _containers.MessageMap[str, Value]
    version: int
    parent_id: int
    def __init__(self, global_id: _Optional[int] = ..., group: _Optional[str] = ..., type: _Optional[str] = ..., registration_name: _Optional[str] = ..., properties: _Optional[_Mapping[str, Value]] = ..., version: _Optional[int] = ..., parent_id: _Optional[int] = ...) -> None: ...

class StateDelta(_message.Message):
    __slots__ = ("states", "deleted_ids")
    STATES_FIELD_NUMBER: _ClassVar[int]
    DELETED_IDS_FIELD_NUMBER: _ClassVar[int]
    states: _containers.RepeatedCompositeFieldContainer[ProxyState]
    deleted_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, states: _Optional[_Iterable[_Union[ProxyState, _Mapping]]] = ..., deleted_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class Hello(_message.Message):
    __slots__ = ("protocol_major", "protocol_minor", "connect_id", "user", "client_version", "client_nonce", "definitions_digest")
    PROTOCOL_MAJOR_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_MINOR_FIELD_NUMBER: _ClassVar[int]
    CONNECT_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    CLIENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NONCE_FIELD_NUMBER: _ClassVar[int]
    DEFINITIONS_DIGEST_FIELD_NUMBER: _ClassVar[int]
    protocol_major: int
    protocol_minor: int
    connect_id: int
    user: str
    client_version: str
    client_nonce: bytes
    definitions_digest: str
    def __init__(self, protocol_major: _Optional[int] = ..., protocol_minor: _Optional[int] = ..., connect_id: _Optional[int] = ..., user: _Optional[str] = ..., client_version: _Optional[str] = ..., client_nonce: _Optional[bytes] = ..., definitions_digest: _Optional[str] = ...) -> None: ...

class Authenticate(_message.Message):
    __slots__ = ("client_proof",)
    CLIENT_PROOF_FIELD_NUMBER: _ClassVar[int]
    client_proof: bytes
    def __init__(self, client_proof: _Optional[bytes] = ...) -> None: ...

class CreateProxy(_message.Message):
    __slots__ = ("group", "type", "registration_name", "properties")
    class PropertiesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Value, _Mapping]] = ...) -> None: ...
    GROUP_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_NAME_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    group: str
    type: str
    registration_name: str
    properties: _containers.MessageMap[str, Value]
    def __init__(self, group: _Optional[str] = ..., type: _Optional[str] = ..., registration_name: _Optional[str] = ..., properties: _Optional[_Mapping[str, Value]] = ...) -> None: ...

class UpdateProxy(_message.Message):
    __slots__ = ("global_id", "properties", "registration_name")
    class PropertiesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Value, _Mapping]] = ...) -> None: ...
    GLOBAL_ID_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_NAME_FIELD_NUMBER: _ClassVar[int]
    global_id: int
    properties: _containers.MessageMap[str, Value]
    registration_name: str
    def __init__(self, global_id: _Optional[int] = ..., properties: _Optional[_Mapping[str, Value]] = ..., registration_name: _Optional[str] = ...) -> None: ...

class DeleteProxy(_message.Message):
    __slots__ = ("global_id",)
    GLOBAL_ID_FIELD_NUMBER: _ClassVar[int]
    global_id: int
    def __init__(self, global_id: _Optional[int] = ...) -> None: ...

class Invoke(_message.Message):
    __slots__ = ("global_id", "method", "arguments")
    GLOBAL_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    ARGUMENTS_FIELD_NUMBER: _ClassVar[int]
    global_id: int
    method: str
    arguments: _containers.RepeatedCompositeFieldContainer[Value]
    def __init__(self, global_id: _Optional[int] = ..., method: _Optional[str] = ..., arguments: _Optional[_Iterable[_Union[Value, _Mapping]]] = ...) -> None: ...

class GatherInformation(_message.Message):
    __slots__ = ("global_id",)
    GLOBAL_ID_FIELD_NUMBER: _ClassVar[int]
    global_id: int
    def __init__(self, global_id: _Optional[int] = ...) -> None: ...

class RenderRequest(_message.Message):
    __slots__ = ("view_id", "width", "height", "format", "quality", "interactive", "pick")
    VIEW_ID_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    INTERACTIVE_FIELD_NUMBER: _ClassVar[int]
    PICK_FIELD_NUMBER: _ClassVar[int]
    view_id: int
    width: int
    height: int
    format: str
    quality: int
    interactive: bool
    pick: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, view_id: _Optional[int] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., format: _Optional[str] = ..., quality: _Optional[int] = ..., interactive: _Optional[bool] = ..., pick: _Optional[_Iterable[int]] = ...) -> None: ...

class Goodbye(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ChatRequest(_message.Message):
    __slots__ = ("text",)
    TEXT_FIELD_NUMBER: _ClassVar[int]
    text: str
    def __init__(self, text: _Optional[str] = ...) -> None: ...

class PromoteRequest(_message.Message):
    __slots__ = ("client_id",)
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    client_id: int
    def __init__(self, client_id: _Optional[int] = ...) -> None: ...

class FollowRequest(_message.Message):
    __slots__ = ("client_id", "everyone")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVERYONE_FIELD_NUMBER: _ClassVar[int]
    client_id: int
    everyone: bool
    def __init__(self, client_id: _Optional[int] = ..., everyone: _Optional[bool] = ...) -> None: ...

class DisableConnections(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SaveDataRequest(_message.Message):
    __slots__ = ("global_id", "path", "overwrite")
    GLOBAL_ID_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    OVERWRITE_FIELD_NUMBER: _ClassVar[int]
    global_id: int
    path: str
    overwrite: bool
    def __init__(self, global_id: _Optional[int] = ..., path: _Optional[str] = ..., overwrite: _Optional[bool] = ...) -> None: ...

class FetchRequest(_message.Message):
    __slots__ = ("global_id", "max_bytes")
    GLOBAL_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_BYTES_FIELD_NUMBER: _ClassVar[int]
    global_id: int
    max_bytes: int
    def __init__(self, global_id: _Optional[int] = ..., max_bytes: _Optional[int] = ...) -> None: ...

class CancelRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TimerLogRequest(_message.Message):
    __slots__ = ("threshold",)
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    threshold: float
    def __init__(self, threshold: _Optional[float] = ...) -> None: ...

class UndoRequest(_message.Message):
    __slots__ = ("action", "label")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    action: str
    label: str
    def __init__(self, action: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class BatchItem(_message.Message):
    __slots__ = ("create", "update", "delete")
    CREATE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_FIELD_NUMBER: _ClassVar[int]
    DELETE_FIELD_NUMBER: _ClassVar[int]
    create: CreateProxy
    update: UpdateProxy
    delete: DeleteProxy
    def __init__(self, create: _Optional[_Union[CreateProxy, _Mapping]] = ..., update: _Optional[_Union[UpdateProxy, _Mapping]] = ..., delete: _Optional[_Union[DeleteProxy, _Mapping]] = ...) -> None: ...

class Batch(_message.Message):
    __slots__ = ("items", "label")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[BatchItem]
    label: str
    def __init__(self, items: _Optional[_Iterable[_Union[BatchItem, _Mapping]]] = ..., label: _Optional[str] = ...) -> None: ...

class ClientMessage(_message.Message):
    __slots__ = ("request_id", "hello", "create", "update", "delete", "invoke", "gather_information", "render", "goodbye", "chat", "promote", "follow", "disable_connections", "undo", "save_data", "fetch", "cancel", "authenticate", "batch", "timer_log")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    HELLO_FIELD_NUMBER: _ClassVar[int]
    CREATE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_FIELD_NUMBER: _ClassVar[int]
    DELETE_FIELD_NUMBER: _ClassVar[int]
    INVOKE_FIELD_NUMBER: _ClassVar[int]
    GATHER_INFORMATION_FIELD_NUMBER: _ClassVar[int]
    RENDER_FIELD_NUMBER: _ClassVar[int]
    GOODBYE_FIELD_NUMBER: _ClassVar[int]
    CHAT_FIELD_NUMBER: _ClassVar[int]
    PROMOTE_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_FIELD_NUMBER: _ClassVar[int]
    DISABLE_CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    UNDO_FIELD_NUMBER: _ClassVar[int]
    SAVE_DATA_FIELD_NUMBER: _ClassVar[int]
    FETCH_FIELD_NUMBER: _ClassVar[int]
    CANCEL_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATE_FIELD_NUMBER: _ClassVar[int]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    TIMER_LOG_FIELD_NUMBER: _ClassVar[int]
    request_id: int
    hello: Hello
    create: CreateProxy
    update: UpdateProxy
    delete: DeleteProxy
    invoke: Invoke
    gather_information: GatherInformation
    render: RenderRequest
    goodbye: Goodbye
    chat: ChatRequest
    promote: PromoteRequest
    follow: FollowRequest
    disable_connections: DisableConnections
    undo: UndoRequest
    save_data: SaveDataRequest
    fetch: FetchRequest
    cancel: CancelRequest
    authenticate: Authenticate
    batch: Batch
    timer_log: TimerLogRequest
    def __init__(self, request_id: _Optional[int] = ..., hello: _Optional[_Union[Hello, _Mapping]] = ..., create: _Optional[_Union[CreateProxy, _Mapping]] = ..., update: _Optional[_Union[UpdateProxy, _Mapping]] = ..., delete: _Optional[_Union[DeleteProxy, _Mapping]] = ..., invoke: _Optional[_Union[Invoke, _Mapping]] = ..., gather_information: _Optional[_Union[GatherInformation, _Mapping]] = ..., render: _Optional[_Union[RenderRequest, _Mapping]] = ..., goodbye: _Optional[_Union[Goodbye, _Mapping]] = ..., chat: _Optional[_Union[ChatRequest, _Mapping]] = ..., promote: _Optional[_Union[PromoteRequest, _Mapping]] = ..., follow: _Optional[_Union[FollowRequest, _Mapping]] = ..., disable_connections: _Optional[_Union[DisableConnections, _Mapping]] = ..., undo: _Optional[_Union[UndoRequest, _Mapping]] = ..., save_data: _Optional[_Union[SaveDataRequest, _Mapping]] = ..., fetch: _Optional[_Union[FetchRequest, _Mapping]] = ..., cancel: _Optional[_Union[CancelRequest, _Mapping]] = ..., authenticate: _Optional[_Union[Authenticate, _Mapping]] = ..., batch: _Optional[_Union[Batch, _Mapping]] = ..., timer_log: _Optional[_Union[TimerLogRequest, _Mapping]] = ...) -> None: ...

class Challenge(_message.Message):
    __slots__ = ("protocol_major", "protocol_minor", "token_required", "server_nonce", "server_proof")
    PROTOCOL_MAJOR_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_MINOR_FIELD_NUMBER: _ClassVar[int]
    TOKEN_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    SERVER_NONCE_FIELD_NUMBER: _ClassVar[int]
    SERVER_PROOF_FIELD_NUMBER: _ClassVar[int]
    protocol_major: int
    protocol_minor: int
    token_required: bool
    server_nonce: bytes
    server_proof: bytes
    def __init__(self, protocol_major: _Optional[int] = ..., protocol_minor: _Optional[int] = ..., token_required: _Optional[bool] = ..., server_nonce: _Optional[bytes] = ..., server_proof: _Optional[bytes] = ...) -> None: ...

class Welcome(_message.Message):
    __slots__ = ("protocol_major", "protocol_minor", "client_id", "number_of_ranks", "server_version", "state", "last_sequence", "multi_clients", "users", "chat_history", "parts", "definitions", "definitions_digest", "definitions_cached")
    PROTOCOL_MAJOR_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_MINOR_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_RANKS_FIELD_NUMBER: _ClassVar[int]
    SERVER_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MULTI_CLIENTS_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    CHAT_HISTORY_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    DEFINITIONS_FIELD_NUMBER: _ClassVar[int]
    DEFINITIONS_DIGEST_FIELD_NUMBER: _ClassVar[int]
    DEFINITIONS_CACHED_FIELD_NUMBER: _ClassVar[int]
    protocol_major: int
    protocol_minor: int
    client_id: int
    number_of_ranks: int
    server_version: str
    state: StateDelta
    last_sequence: int
    multi_clients: bool
    users: UserList
    chat_history: _containers.RepeatedCompositeFieldContainer[ChatMessage]
    parts: int
    definitions: _containers.RepeatedCompositeFieldContainer[ProxyDefinition]
    definitions_digest: str
    definitions_cached: bool
    def __init__(self, protocol_major: _Optional[int] = ..., protocol_minor: _Optional[int] = ..., client_id: _Optional[int] = ..., number_of_ranks: _Optional[int] = ..., server_version: _Optional[str] = ..., state: _Optional[_Union[StateDelta, _Mapping]] = ..., last_sequence: _Optional[int] = ..., multi_clients: _Optional[bool] = ..., users: _Optional[_Union[UserList, _Mapping]] = ..., chat_history: _Optional[_Iterable[_Union[ChatMessage, _Mapping]]] = ..., parts: _Optional[int] = ..., definitions: _Optional[_Iterable[_Union[ProxyDefinition, _Mapping]]] = ..., definitions_digest: _Optional[str] = ..., definitions_cached: _Optional[bool] = ...) -> None: ...

class WelcomePart(_message.Message):
    __slots__ = ("states", "chat_history")
    STATES_FIELD_NUMBER: _ClassVar[int]
    CHAT_HISTORY_FIELD_NUMBER: _ClassVar[int]
    states: _containers.RepeatedCompositeFieldContainer[ProxyState]
    chat_history: _containers.RepeatedCompositeFieldContainer[ChatMessage]
    def __init__(self, states: _Optional[_Iterable[_Union[ProxyState, _Mapping]]] = ..., chat_history: _Optional[_Iterable[_Union[ChatMessage, _Mapping]]] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ("client_id", "name", "following")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FOLLOWING_FIELD_NUMBER: _ClassVar[int]
    client_id: int
    name: str
    following: int
    def __init__(self, client_id: _Optional[int] = ..., name: _Optional[str] = ..., following: _Optional[int] = ...) -> None: ...

class UserList(_message.Message):
    __slots__ = ("users", "master_id", "reason")
    USERS_FIELD_NUMBER: _ClassVar[int]
    MASTER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[User]
    master_id: int
    reason: str
    def __init__(self, users: _Optional[_Iterable[_Union[User, _Mapping]]] = ..., master_id: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class ChatMessage(_message.Message):
    __slots__ = ("client_id", "user", "text", "time")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    client_id: int
    user: str
    text: str
    time: float
    def __init__(self, client_id: _Optional[int] = ..., user: _Optional[str] = ..., text: _Optional[str] = ..., time: _Optional[float] = ...) -> None: ...

class Progress(_message.Message):
    __slots__ = ("proxy_id", "proxy_name", "fraction", "client_id")
    PROXY_ID_FIELD_NUMBER: _ClassVar[int]
    PROXY_NAME_FIELD_NUMBER: _ClassVar[int]
    FRACTION_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    proxy_id: int
    proxy_name: str
    fraction: float
    client_id: int
    def __init__(self, proxy_id: _Optional[int] = ..., proxy_name: _Optional[str] = ..., fraction: _Optional[float] = ..., client_id: _Optional[int] = ...) -> None: ...

class Notice(_message.Message):
    __slots__ = ("kind", "message", "client_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    message: str
    client_id: int
    def __init__(self, kind: _Optional[str] = ..., message: _Optional[str] = ..., client_id: _Optional[int] = ...) -> None: ...

class ArrayInformation(_message.Message):
    __slots__ = ("name", "number_of_components", "ranges", "data_type", "partial")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_COMPONENTS_FIELD_NUMBER: _ClassVar[int]
    RANGES_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    PARTIAL_FIELD_NUMBER: _ClassVar[int]
    name: str
    number_of_components: int
    ranges: _containers.RepeatedScalarFieldContainer[float]
    data_type: str
    partial: bool
    def __init__(self, name: _Optional[str] = ..., number_of_components: _Optional[int] = ..., ranges: _Optional[_Iterable[float]] = ..., data_type: _Optional[str] = ..., partial: _Optional[bool] = ...) -> None: ...

class DataInformation(_message.Message):
    __slots__ = ("data_type", "number_of_points", "number_of_cells", "bounds", "point_arrays", "cell_arrays", "field_arrays", "number_of_partitions", "extent", "memory_bytes", "leaf_type", "blocks", "time_steps", "number_of_rows", "row_arrays")
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_POINTS_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_CELLS_FIELD_NUMBER: _ClassVar[int]
    BOUNDS_FIELD_NUMBER: _ClassVar[int]
    POINT_ARRAYS_FIELD_NUMBER: _ClassVar[int]
    CELL_ARRAYS_FIELD_NUMBER: _ClassVar[int]
    FIELD_ARRAYS_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_PARTITIONS_FIELD_NUMBER: _ClassVar[int]
    EXTENT_FIELD_NUMBER: _ClassVar[int]
    MEMORY_BYTES_FIELD_NUMBER: _ClassVar[int]
    LEAF_TYPE_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    TIME_STEPS_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_ROWS_FIELD_NUMBER: _ClassVar[int]
    ROW_ARRAYS_FIELD_NUMBER: _ClassVar[int]
    data_type: str
    number_of_points: int
    number_of_cells: int
    bounds: _containers.RepeatedScalarFieldContainer[float]
    point_arrays: _containers.RepeatedCompositeFieldContainer[ArrayInformation]
    cell_arrays: _containers.RepeatedCompositeFieldContainer[ArrayInformation]
    field_arrays: _containers.RepeatedCompositeFieldContainer[ArrayInformation]
    number_of_partitions: int
    extent: _containers.RepeatedScalarFieldContainer[int]
    memory_bytes: int
    leaf_type: str
    blocks: _containers.RepeatedCompositeFieldContainer[BlockInformation]
    time_steps: _containers.RepeatedScalarFieldContainer[float]
    number_of_rows: int
    row_arrays: _containers.RepeatedCompositeFieldContainer[ArrayInformation]
    def __init__(self, data_type: _Optional[str] = ..., number_of_points: _Optional[int] = ..., number_of_cells: _Optional[int] = ..., bounds: _Optional[_Iterable[float]] = ..., point_arrays: _Optional[_Iterable[_Union[ArrayInformation, _Mapping]]] = ..., cell_arrays: _Optional[_Iterable[_Union[ArrayInformation, _Mapping]]] = ..., field_arrays: _Optional[_Iterable[_Union[ArrayInformation, _Mapping]]] = ..., number_of_partitions: _Optional[int] = ..., extent: _Optional[_Iterable[int]] = ..., memory_bytes: _Optional[int] = ..., leaf_type: _Optional[str] = ..., blocks: _Optional[_Iterable[_Union[BlockInformation, _Mapping]]] = ..., time_steps: _Optional[_Iterable[float]] = ..., number_of_rows: _Optional[int] = ..., row_arrays: _Optional[_Iterable[_Union[ArrayInformation, _Mapping]]] = ...) -> None: ...

class BlockInformation(_message.Message):
    __slots__ = ("name", "data_type", "parent", "number_of_points", "number_of_cells", "bounds")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_POINTS_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_CELLS_FIELD_NUMBER: _ClassVar[int]
    BOUNDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    data_type: str
    parent: int
    number_of_points: int
    number_of_cells: int
    bounds: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, name: _Optional[str] = ..., data_type: _Optional[str] = ..., parent: _Optional[int] = ..., number_of_points: _Optional[int] = ..., number_of_cells: _Optional[int] = ..., bounds: _Optional[_Iterable[float]] = ...) -> None: ...

class Image(_message.Message):
    __slots__ = ("width", "height", "format", "data", "timings_ms")
    class TimingsMsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    TIMINGS_MS_FIELD_NUMBER: _ClassVar[int]
    width: int
    height: int
    format: str
    data: bytes
    timings_ms: _containers.ScalarMap[str, float]
    def __init__(self, width: _Optional[int] = ..., height: _Optional[int] = ..., format: _Optional[str] = ..., data: _Optional[bytes] = ..., timings_ms: _Optional[_Mapping[str, float]] = ...) -> None: ...

class TimerLog(_message.Message):
    __slots__ = ("logs",)
    LOGS_FIELD_NUMBER: _ClassVar[int]
    logs: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, logs: _Optional[_Iterable[str]] = ...) -> None: ...

class DataObject(_message.Message):
    __slots__ = ("data_type", "data")
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    data_type: str
    data: bytes
    def __init__(self, data_type: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class UndoStatus(_message.Message):
    __slots__ = ("undo_labels", "redo_labels")
    UNDO_LABELS_FIELD_NUMBER: _ClassVar[int]
    REDO_LABELS_FIELD_NUMBER: _ClassVar[int]
    undo_labels: _containers.RepeatedScalarFieldContainer[str]
    redo_labels: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, undo_labels: _Optional[_Iterable[str]] = ..., redo_labels: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchReply(_message.Message):
    __slots__ = ("delta", "created_ids")
    DELTA_FIELD_NUMBER: _ClassVar[int]
    CREATED_IDS_FIELD_NUMBER: _ClassVar[int]
    delta: StateDelta
    created_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, delta: _Optional[_Union[StateDelta, _Mapping]] = ..., created_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class Error(_message.Message):
    __slots__ = ("kind", "message", "rank", "proxy_id", "proxy_name", "property")
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    PROXY_ID_FIELD_NUMBER: _ClassVar[int]
    PROXY_NAME_FIELD_NUMBER: _ClassVar[int]
    PROPERTY_FIELD_NUMBER: _ClassVar[int]
    kind: str
    message: str
    rank: int
    proxy_id: int
    proxy_name: str
    property: str
    def __init__(self, kind: _Optional[str] = ..., message: _Optional[str] = ..., rank: _Optional[int] = ..., proxy_id: _Optional[int] = ..., proxy_name: _Optional[str] = ..., property: _Optional[str] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ("sequence", "origin_client", "delta", "users", "chat", "progress", "notice")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_CLIENT_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    CHAT_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    NOTICE_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    origin_client: int
    delta: StateDelta
    users: UserList
    chat: ChatMessage
    progress: Progress
    notice: Notice
    def __init__(self, sequence: _Optional[int] = ..., origin_client: _Optional[int] = ..., delta: _Optional[_Union[StateDelta, _Mapping]] = ..., users: _Optional[_Union[UserList, _Mapping]] = ..., chat: _Optional[_Union[ChatMessage, _Mapping]] = ..., progress: _Optional[_Union[Progress, _Mapping]] = ..., notice: _Optional[_Union[Notice, _Mapping]] = ...) -> None: ...

class ServerMessage(_message.Message):
    __slots__ = ("request_id", "welcome", "delta", "information", "image", "error", "event", "undo_status", "data_object", "challenge", "welcome_part", "batch_reply", "timer_log")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    WELCOME_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    INFORMATION_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    UNDO_STATUS_FIELD_NUMBER: _ClassVar[int]
    DATA_OBJECT_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_FIELD_NUMBER: _ClassVar[int]
    WELCOME_PART_FIELD_NUMBER: _ClassVar[int]
    BATCH_REPLY_FIELD_NUMBER: _ClassVar[int]
    TIMER_LOG_FIELD_NUMBER: _ClassVar[int]
    request_id: int
    welcome: Welcome
    delta: StateDelta
    information: DataInformation
    image: Image
    error: Error
    event: Event
    undo_status: UndoStatus
    data_object: DataObject
    challenge: Challenge
    welcome_part: WelcomePart
    batch_reply: BatchReply
    timer_log: TimerLog
    def __init__(self, request_id: _Optional[int] = ..., welcome: _Optional[_Union[Welcome, _Mapping]] = ..., delta: _Optional[_Union[StateDelta, _Mapping]] = ..., information: _Optional[_Union[DataInformation, _Mapping]] = ..., image: _Optional[_Union[Image, _Mapping]] = ..., error: _Optional[_Union[Error, _Mapping]] = ..., event: _Optional[_Union[Event, _Mapping]] = ..., undo_status: _Optional[_Union[UndoStatus, _Mapping]] = ..., data_object: _Optional[_Union[DataObject, _Mapping]] = ..., challenge: _Optional[_Union[Challenge, _Mapping]] = ..., welcome_part: _Optional[_Union[WelcomePart, _Mapping]] = ..., batch_reply: _Optional[_Union[BatchReply, _Mapping]] = ..., timer_log: _Optional[_Union[TimerLog, _Mapping]] = ...) -> None: ...

class Number(_message.Message):
    __slots__ = ("integer", "real")
    INTEGER_FIELD_NUMBER: _ClassVar[int]
    REAL_FIELD_NUMBER: _ClassVar[int]
    integer: int
    real: float
    def __init__(self, integer: _Optional[int] = ..., real: _Optional[float] = ...) -> None: ...

class DomainDefinition(_message.Message):
    __slots__ = ("kind", "parameters")
    class ParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    kind: str
    parameters: _containers.ScalarMap[str, str]
    def __init__(self, kind: _Optional[str] = ..., parameters: _Optional[_Mapping[str, str]] = ...) -> None: ...

class PropertyDefinition(_message.Message):
    __slots__ = ("name", "kind", "default", "count", "doc", "values", "minimum", "maximum", "domain", "none_label", "file_path", "check", "subproxy_group", "subproxy_default", "data_types", "read_only", "input_port", "numbers")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    DOC_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    NONE_LABEL_FIELD_NUMBER: _ClassVar[int]
    FILE_PATH_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    SUBPROXY_GROUP_FIELD_NUMBER: _ClassVar[int]
    SUBPROXY_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPES_FIELD_NUMBER: _ClassVar[int]
    READ_ONLY_FIELD_NUMBER: _ClassVar[int]
    INPUT_PORT_FIELD_NUMBER: _ClassVar[int]
    NUMBERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: str
    default: Value
    count: int
    doc: str
    values: _containers.RepeatedScalarFieldContainer[str]
    minimum: Number
    maximum: Number
    domain: DomainDefinition
    none_label: str
    file_path: bool
    check: str
    subproxy_group: str
    subproxy_default: str
    data_types: _containers.RepeatedScalarFieldContainer[str]
    read_only: bool
    input_port: int
    numbers: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[str] = ..., default: _Optional[_Union[Value, _Mapping]] = ..., count: _Optional[int] = ..., doc: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ..., minimum: _Optional[_Union[Number, _Mapping]] = ..., maximum: _Optional[_Union[Number, _Mapping]] = ..., domain: _Optional[_Union[DomainDefinition, _Mapping]] = ..., none_label: _Optional[str] = ..., file_path: _Optional[bool] = ..., check: _Optional[str] = ..., subproxy_group: _Optional[str] = ..., subproxy_default: _Optional[str] = ..., data_types: _Optional[_Iterable[str]] = ..., read_only: _Optional[bool] = ..., input_port: _Optional[int] = ..., numbers: _Optional[_Iterable[int]] = ...) -> None: ...

class ProxyDefinition(_message.Message):
    __slots__ = ("group", "name", "doc", "outputs", "properties")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DOC_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    group: str
    name: str
    doc: str
    outputs: int
    properties: _containers.RepeatedCompositeFieldContainer[PropertyDefinition]
    def __init__(self, group: _Optional[str] = ..., name: _Optional[str] = ..., doc: _Optional[str] = ..., outputs: _Optional[int] = ..., properties: _Optional[_Iterable[_Union[PropertyDefinition, _Mapping]]] = ...) -> None: ...
