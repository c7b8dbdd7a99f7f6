"""Sample messages of every kind for the wire codec tests (tests/unit/test_codec*.py), and decoding a reply from bytes.

A new request or reply dataclass must be added to REQUESTS or REPLIES (test_every_message_type_is_covered).
"""

from __future__ import annotations

from pvcore import messages as m
from pvwire import codec
from pvwire import pvcollab_pb2 as pb

PROPERTIES = {
    "Radius": (0.5,),
    "Center": (1.0, -2.5, 3.25),
    "ThetaResolution": (16,),
    "WholeExtent": (-10, 10, -10, 10, -10, 10),
    "Capping": (1,),
    "ContourBy": ("POINTS", "RTData"),
    "Function": ("RTData*2",),
    "Isosurfaces": (),
    "Input": (7,),
    "Big": (2**62, -(2**62)),
    "Unicode": ("température ✓",),
}

STATE = m.ProxyState(3, "filters", "Clip", "Clip1", dict(PROPERTIES), version=4, parent_id=0)
SUB = m.ProxyState(2, "implicit_functions", "Plane", "ClipType", {"Origin": (0.0, 0.0, 0.0)}, version=1, parent_id=3)
DELTA = m.StateDelta([SUB, STATE], [11, 12])

REQUESTS = [
    m.Hello(2, 0, 7, "alice", "0.1.0", b"\x01" * 32),
    m.Authenticate(b"\x02" * 32),
    m.Authenticate(),
    m.Hello(),
    m.Hello(protocol_major=1, protocol_minor=7, connect_id=-5, user="alice", client_version="0.1.0"),
    m.CreateProxy("sources", "Sphere"),
    m.CreateProxy("filters", "Contour", "MyContour", dict(PROPERTIES)),
    m.UpdateProxy(3, {"Radius": (2.0,)}),
    m.UpdateProxy(3, {}, name="Renamed"),
    m.DeleteProxy(42),
    m.Invoke(3, "UpdatePipeline"),
    m.Invoke(3, "UpdatePipeline", [(1.5,), ("a", "b"), (1, 2)]),
    m.GatherInformation(9),
    m.RenderRequest(5),
    m.RenderRequest(5, 640, 480, "jpeg", 70, True),
    m.RenderRequest(5, 400, 400, "pick", pick=[100, 120]),
    m.Goodbye(),
    m.ChatRequest("hello ✓"),
    m.PromoteRequest(3),
    m.FollowRequest(2),
    m.FollowRequest(0, everyone=True),
    m.DisableConnections(),
    m.UndoRequest("undo"),
    m.SaveDataRequest(3, "out/result.pvtu"),
    m.SaveDataRequest(3, "out/result.pvtu", overwrite=True),
    m.FetchRequest(3, 1 << 20),
    m.TimerLogRequest(0.25),
    m.CancelRequest(),
    m.UndoRequest("begin", "Load state"),
    m.Batch(),
    m.Batch([m.CreateProxy("sources", "Sphere"), m.UpdateProxy(-1, {"Input": (-1,)}), m.DeleteProxy(-1)], "Build"),
]

USERS = m.UserList([m.User(1, "alice"), m.User(2, "bob", following=1)], master_id=1, reason="bob joined")
CHAT = m.ChatMessage(2, "bob", "hi", 1764000000.5)

INFO = m.DataInformation(
    data_type="vtkPolyData",
    number_of_points=2840,
    number_of_cells=5480,
    bounds=[-10.0, 10.0, -10.0, 9.5, -10.0, 10.0],
    point_arrays=[m.ArrayInformation("RTData", 1, [37.5, 276.75], "float"), m.ArrayInformation("N", 3, [0, 1] * 4)],
    cell_arrays=[m.ArrayInformation("CellId", 1, [0.0, 5479.0], "int")],
    field_arrays=[m.ArrayInformation("Empty", 1, [], "double")],
    number_of_partitions=4,
    extent=[-10, 10, -10, 10, -10, 10],
    memory_bytes=123456,
)

WELCOMES = [
    m.Welcome(1, 4, DELTA, last_sequence=17, multi_clients=True, server_version="0.1.0"),
    m.Welcome(2, 1, m.StateDelta()),
    m.Welcome(3, 4, DELTA, 5, True, "0.1.0", users=USERS, chat_history=[CHAT, CHAT]),
]

REPLIES = [
    m.Challenge(True, b"\x03" * 32, b"\x04" * 32),
    m.Challenge(False, b"\x05" * 32),
    m.WelcomePart(DELTA.states, [CHAT]),
    m.WelcomePart(),
    m.StateDelta(),
    DELTA,
    m.StateDelta(deleted_ids=[1, 2, 3]),
    m.DataInformation(),
    INFO,
    m.Image(2, 1, "png", b"\x89PNG\x00\xff", {"render": 1.5, "composite": 0.25}),
    m.Image(0, 0, "raw", b""),
    m.ErrorReply("PropertyError", "Radius must be >= 0", rank=2, proxy_id=3, proxy_name="Sphere1", property="Radius"),
    m.ErrorReply("ProtocolError", "bad"),
    m.Event(5, 2, DELTA),
    m.Event(6, 1, m.StateDelta(deleted_ids=[4])),
    m.UndoStatus(["Create Sphere1", "Change Radius of Sphere1"], ["Delete Cone1"]),
    m.UndoStatus(),
    m.DataObject("vtkPolyData", b"\x00\x01binary"),
    m.TimerLog(["Execute Sphere1 id: 3,  0.001000 seconds\n", ""]),
    m.Event(7, 0, USERS),
    m.Event(8, 2, CHAT),
    m.Event(9, 0, m.Progress(3, "Contour1", 0.5, 2)),
    m.Event(10, 2, m.Notice("PipelineError", "bob: Contour1 failed", 2)),
    m.BatchReply(),
    m.BatchReply(DELTA, [3, 2]),
]


def decode_reply_bytes(data: bytes) -> m.Reply:
    return codec.decode_reply(pb.ServerMessage.FromString(data))
