"""A client process for collaboration tests: ``python collab_client.py HOST PORT USER``.

It connects, prints one JSON line ``{"ready": client_id}``, then answers one JSON command per stdin line with
one JSON line: {"op": "dump"} -> the mirrored state; {"op": "process", "timeout": s} -> events applied;
{"op": "set", "id": gid, "props": {...}} -> set properties (or the error); {"op": "create", "type": T} ->
create a source; {"op": "users"}; {"op": "chat", "text": t}; {"op": "chats"}; {"op": "promote", "user": u};
{"op": "follow", "user": u}; {"op": "camera", "view": gid}; {"op": "quit"}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pvclient.connection import Connection
from simple import collaboration

#: The view size of the load pipeline: small images, as the point of a load is many requests, not pixels.
LOAD_IMAGE = (48, 32)


def build_load_pipeline(conn: Connection) -> dict:
    """The pipeline of the load test and the load benchmark: Wavelet -> Contour and a Sphere, shown in a view."""
    wavelet = conn.create("sources", "Wavelet", {"WholeExtent": [-8, 8, -8, 8, -8, 8]})
    contour = conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [150.0]})
    sphere = conn.create("sources", "Sphere")
    view = conn.create("views", "RenderView", {"ViewSize": list(LOAD_IMAGE)})
    reps = [conn.create("representations", "GeometryRepresentation", {"Input": p}) for p in (contour, sphere)]
    conn.update(view, {"Representations": reps})
    conn.invoke(view, "ResetCamera")
    return {"wavelet": wavelet, "contour": contour, "sphere": sphere, "view": view, "reps": reps}


def dump(conn: Connection) -> dict:
    """The state dump as JSON-friendly data."""
    return {str(gid): list(map(repr, entry)) for gid, entry in conn.state_dump().items()}


def main() -> None:
    host, port, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    conn = Connection.remote(host, port, user=user, timeout=30)
    print(json.dumps({"ready": conn.client_id}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        try:
            if op == "quit":
                conn.close()
                print(json.dumps({"ok": True}), flush=True)
                return
            if op == "dump":
                out = {"dump": dump(conn), "sequence": conn.last_sequence}
            elif op == "process":
                out = {"events": conn.process_events(cmd.get("timeout", 0.0))}
            elif op == "set":
                conn.update(conn.proxy(cmd["id"]), cmd["props"])
                out = {"ok": True}
            elif op == "create":
                out = {"id": conn.create("sources", cmd["type"], cmd.get("props", {})).GlobalID}
            elif op == "users":
                out = {"users": collaboration.GetUsers(conn), "master": collaboration.IsMaster(conn)}
            elif op == "chat":
                collaboration.SendChatMessage(cmd["text"], conn)
                out = {"ok": True}
            elif op == "chats":
                out = {"chats": collaboration.GetChatMessages(conn)}
            elif op == "promote":
                collaboration.PromoteToMaster(cmd["user"], conn)
                out = {"ok": True}
            elif op == "follow":
                collaboration.FollowUser(cmd["user"], conn)
                out = {"ok": True}
            elif op == "camera":
                out = {"position": list(conn.proxy(cmd["view"]).CameraPosition)}
            else:
                out = {"error": "UnknownOp", "message": op}
        except Exception as exc:  # reported to the test, which asserts on it
            out = {"error": type(exc).__name__, "message": str(exc)}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
