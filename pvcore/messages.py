"""Plain Python forms of the wire messages in ``protos/pvcollab.proto``.

Everything between the two edges (front end, client transport) works on these dataclasses; the codec in
:mod:`pvwire.codec` converts them to and from protobuf.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROTOCOL_MAJOR = 3  # 3: the welcome carries the proxy definitions; batches. 2: token proofs, a welcome in parts
PROTOCOL_MINOR = 2  # 2: TimerLogRequest; renders of format depth and pick. 1: tables' number_of_rows, row_arrays

#: A property value: always a tuple; bools travel as ints, proxy references as global ids.
Values = tuple


@dataclass
class ProxyState:
    """The whole state of one proxy: what the server stores and every client mirrors."""

    global_id: int
    group: str
    type: str
    name: str
    properties: dict[str, Values] = field(default_factory=dict)
    version: int = 1
    parent_id: int = 0

    def copy(self) -> ProxyState:
        """An independent copy: the properties dict is new, its values (tuples of numbers or strings) are
        immutable and shared, so copying costs nothing per value (``copy.deepcopy`` visits every one)."""
        return ProxyState(
            self.global_id, self.group, self.type, self.name, dict(self.properties), self.version, self.parent_id
        )


@dataclass
class StateDelta:
    """States created or changed (in dependency order) and ids deleted by one operation."""

    states: list[ProxyState] = field(default_factory=list)
    deleted_ids: list[int] = field(default_factory=list)

    def extend(self, other: StateDelta) -> None:
        """Append another delta's changes after this one's."""
        self.states.extend(other.states)
        self.deleted_ids.extend(other.deleted_ids)


# ------------------------------------------------------------------------------------------ requests


@dataclass
class Hello:
    protocol_major: int = PROTOCOL_MAJOR
    protocol_minor: int = PROTOCOL_MINOR
    connect_id: int = 0
    user: str = ""
    client_version: str = ""
    client_nonce: bytes = field(default=b"", repr=False)
    #: The digest of proxy definitions this client holds already: the server then omits them from its welcome.
    definitions_digest: str = ""


@dataclass
class Authenticate:
    """The client's answer to the server's Challenge: its proof that it knows the token (empty: no token)."""

    client_proof: bytes = field(default=b"", repr=False)


@dataclass
class CreateProxy:
    group: str
    type: str
    name: str = ""
    properties: dict[str, Values] = field(default_factory=dict)


@dataclass
class UpdateProxy:
    global_id: int
    properties: dict[str, Values] = field(default_factory=dict)
    name: str = ""


@dataclass
class DeleteProxy:
    global_id: int


@dataclass
class Invoke:
    global_id: int
    method: str
    arguments: list[Values] = field(default_factory=list)


@dataclass
class GatherInformation:
    global_id: int


@dataclass
class RenderRequest:
    view_id: int
    width: int = 0
    height: int = 0
    format: str = "png"
    quality: int = 85
    interactive: bool = False
    #: Format "pick" (pvcore.depth.PICK_FORMAT): the display position (x, y from the bottom left) to pick at.
    pick: list[int] = field(default_factory=list)


@dataclass
class Goodbye:
    pass


@dataclass
class ChatRequest:
    text: str


@dataclass
class PromoteRequest:
    client_id: int


@dataclass
class FollowRequest:
    client_id: int = 0  # 0: follow nobody
    everyone: bool = False  # master only: every other client follows the master


@dataclass
class DisableConnections:
    pass


@dataclass
class SaveDataRequest:
    global_id: int
    path: str
    overwrite: bool = False


@dataclass
class FetchRequest:
    global_id: int
    max_bytes: int = 0


@dataclass
class CancelRequest:
    pass


@dataclass
class TimerLogRequest:
    """Each rank's log of its pipeline executions (paraview.benchmark); shorter ones than ``threshold`` seconds
    are left out."""

    threshold: float = 0.0


@dataclass
class UndoRequest:
    action: str  # "undo", "redo", "begin", "end", "status"
    label: str = ""


@dataclass
class Batch:
    """Several changes as one request and one undo step, all or nothing (``Connection.batch()`` makes them).

    A proxy the batch's k-th CreateProxy makes (counting creates only, from 1) is named ``-k`` by later items:
    as an UpdateProxy's or DeleteProxy's ``global_id``, or in a proxy property's value."""

    items: list[CreateProxy | UpdateProxy | DeleteProxy] = field(default_factory=list)
    label: str = ""  # the undo step's label (empty: one the server makes)


Request = (
    Hello
    | Authenticate
    | CreateProxy
    | UpdateProxy
    | DeleteProxy
    | Invoke
    | GatherInformation
    | RenderRequest
    | Goodbye
    | ChatRequest
    | PromoteRequest
    | FollowRequest
    | DisableConnections
    | UndoRequest
    | SaveDataRequest
    | FetchRequest
    | CancelRequest
    | Batch
    | TimerLogRequest
)

# ------------------------------------------------------------------------------------------ collaboration


@dataclass
class User:
    client_id: int
    name: str
    following: int = 0


@dataclass
class UserList:
    users: list[User] = field(default_factory=list)
    master_id: int = 0
    reason: str = ""


@dataclass
class ChatMessage:
    client_id: int
    user: str
    text: str
    time: float = 0.0


@dataclass
class Progress:
    proxy_id: int
    proxy_name: str
    fraction: float
    client_id: int = 0


@dataclass
class Notice:
    kind: str
    message: str
    client_id: int = 0


# ------------------------------------------------------------------------------------------ replies


@dataclass
class Challenge:
    """The server's first answer: a nonce for the client's proof, and the server's own proof (see pvcore.auth)."""

    token_required: bool
    server_nonce: bytes = field(repr=False)
    server_proof: bytes = field(default=b"", repr=False)
    protocol_major: int = PROTOCOL_MAJOR
    protocol_minor: int = PROTOCOL_MINOR


@dataclass
class Welcome:
    client_id: int
    number_of_ranks: int
    state: StateDelta
    last_sequence: int = 0
    multi_clients: bool = False
    server_version: str = ""
    protocol_major: int = PROTOCOL_MAJOR
    protocol_minor: int = PROTOCOL_MINOR
    users: UserList = field(default_factory=UserList)
    chat_history: list[ChatMessage] = field(default_factory=list)
    parts: int = 0  # on the wire: WelcomeParts that follow (the codec splits and joins them)
    #: The proxy types the server offers, as pvcore.schema.Catalogue.to_plain() makes them (empty when cached).
    definitions: list[dict[str, Any]] = field(default_factory=list, repr=False)
    definitions_digest: str = ""
    #: True when the definitions were left out because the Hello's digest matched: the client's copy is current.
    definitions_cached: bool = False


@dataclass
class WelcomePart:
    """More of the welcome's state and chat history, for a welcome larger than one message."""

    states: list[ProxyState] = field(default_factory=list)
    chat_history: list[ChatMessage] = field(default_factory=list)


@dataclass
class ArrayInformation:
    name: str
    number_of_components: int
    ranges: list[float]
    data_type: str = ""
    #: Absent from some of the non-empty datasets of composite data (or of the ranks' pieces): ParaView's IsPartial.
    partial: bool = False


@dataclass
class BlockInformation:
    """One block of a composite dataset, over all ranks: its name, VTK class ('' for an empty block), the flat
    index of its parent (-1 for the root), its counts and bounds."""

    name: str = ""
    data_type: str = ""
    parent: int = -1
    number_of_points: int = 0
    number_of_cells: int = 0
    bounds: list[float] = field(default_factory=list)


@dataclass
class DataInformation:
    data_type: str = ""
    number_of_points: int = 0
    number_of_cells: int = 0
    bounds: list[float] = field(default_factory=list)
    point_arrays: list[ArrayInformation] = field(default_factory=list)
    cell_arrays: list[ArrayInformation] = field(default_factory=list)
    field_arrays: list[ArrayInformation] = field(default_factory=list)
    number_of_partitions: int = 0
    extent: list[int] = field(default_factory=list)
    memory_bytes: int = 0
    #: For composite data: the nearest class all its datasets are (ParaView's data set type), and every block by
    #: flat index, the root first (empty for a dataset).
    leaf_type: str = ""
    blocks: list[BlockInformation] = field(default_factory=list)
    #: The times the data has (its pipeline's TIME_STEPS: a reader's, a TimeSource's, a temporal filter's).
    time_steps: list[float] = field(default_factory=list)
    #: For a table (vtkTable): its rows, over all ranks, and its columns.
    number_of_rows: int = 0
    row_arrays: list[ArrayInformation] = field(default_factory=list)


@dataclass
class Image:
    width: int
    height: int
    format: str
    data: bytes
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass
class ErrorReply:
    kind: str
    message: str
    rank: int = -1
    proxy_id: int = 0
    proxy_name: str = ""
    property: str = ""


@dataclass
class Event:
    """Something that happened in the session, numbered; ``body`` says what."""

    sequence: int
    origin_client: int
    body: StateDelta | UserList | ChatMessage | Progress | Notice
    #: The encoded message, made once by the front end and shared by every client that gets the same event.
    wire: bytes | None = field(default=None, compare=False, repr=False)


@dataclass
class UndoStatus:
    undo_labels: list[str] = field(default_factory=list)
    redo_labels: list[str] = field(default_factory=list)


@dataclass
class BatchReply:
    """What a Batch changed, as one delta, and the global id of each proxy its creates made, in order."""

    delta: StateDelta = field(default_factory=StateDelta)
    created_ids: list[int] = field(default_factory=list)


@dataclass
class TimerLog:
    """One log per rank, by rank: a line per pipeline execution, oldest first, as ParaView's vtkTimerLog writes
    them (``Execute Contour1 id: 7,  0.012300 seconds``)."""

    logs: list[str] = field(default_factory=list)


@dataclass
class DataObject:
    data_type: str
    data: bytes = field(repr=False)


Reply = (
    Challenge
    | Welcome
    | WelcomePart
    | StateDelta
    | DataInformation
    | Image
    | ErrorReply
    | Event
    | UndoStatus
    | DataObject
    | BatchReply
    | TimerLog
)
