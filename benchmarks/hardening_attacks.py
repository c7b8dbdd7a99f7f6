"""The attacks of benchmarks/bench_hardening.py (section 1), and the client helpers both use.

Each attack is tried against a fake server on a port (tests/fake_server.py) or a real server, with the outcome
expected and the outcome seen; :func:`bench_attacks` prints the table.
"""

from __future__ import annotations

import pickle
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import Servers, table

FAKE_TOKEN = "the-real-servers-token-0123456789abcdef"
#: The exception (or exceptions) that an attack held off raises.
Refusal = type[BaseException] | tuple[type[BaseException], ...]


# ----------------------------------------------------------------------------------------------- clients


def connect(server: Any, user: str, **kwargs: Any) -> Any:
    """A Connection to ``server`` (its local token file is found by itself unless ``token`` is given)."""
    from pvclient.connection import Connection

    return Connection.remote(server.host, server.port, user=user, timeout=kwargs.pop("timeout", 60), **kwargs)


def show(conn: Any, sources: list[Any], size: tuple[int, int] = (400, 400)) -> Any:
    """A RenderView showing ``sources``, camera reset; returns the view."""
    view = conn.create("views", "RenderView", {"ViewSize": list(size)})
    reps = [conn.create("representations", "GeometryRepresentation", {"Input": s}) for s in sources]
    conn.update(view, {"Representations": reps})
    conn.invoke(view, "ResetCamera")
    return view


def build_scene(conn: Any) -> tuple[Any, Any]:
    """Wavelet -> Contour and a Sphere in a view: returns (sphere, view)."""
    wavelet = conn.create("sources", "Wavelet", {"WholeExtent": [-10, 10] * 3})
    contour = conn.create("filters", "Contour", {"Input": wavelet, "Isosurfaces": [150.0]})
    sphere = conn.create("sources", "Sphere")
    return sphere, show(conn, [contour, sphere])


def serves(master: Any, other: Any) -> bool:
    """The server still serves: the master updates and renders a Sphere, another client chats and gathers."""
    from pvcore import messages

    sphere = master.create("sources", "Sphere", {"ThetaResolution": 16})
    master.invoke(sphere, "UpdatePipeline")
    image = master.request(messages.RenderRequest(show(master, [sphere], (200, 150)).GlobalID, 200, 150))
    other.request(messages.ChatRequest("still here"))
    cells = other.request(messages.GatherInformation(sphere.GlobalID)).number_of_cells
    return (image.width, image.height) == (200, 150) and cells == 2 * 16 * 6


# ----------------------------------------------------------------------------------------------- 1. attacks


class _Payload:
    """Unpickling this runs code: it creates the file named in its argument."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (Path.touch, (self.marker,))


class Attacks:
    """The attacks' table: each row is tried by :meth:`attempt`."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def attempt(
        self, attack: str, expected: Refusal, run: Callable[[], Any], check: Callable[[], bool] = lambda: True
    ) -> None:
        """Run ``run``: held when it raises ``expected`` and ``check()`` (what must hold afterwards) is true."""
        t0 = time.perf_counter()
        try:
            answer = run()
            outcome, refused = f"accepted ({_describe(answer)})", False
        except expected as exc:
            outcome, refused = f"{type(exc).__name__}: {exc}", True
        except Exception as exc:
            outcome, refused = f"unexpected {type(exc).__name__}: {exc}", False
        took = time.perf_counter() - t0
        try:
            checked = bool(check())
        except Exception as exc:
            checked, outcome = False, f"{outcome} (check failed: {type(exc).__name__}: {exc})"
        self.rows.append(
            {
                "attack": attack,
                "expected": " or ".join(e.__name__ for e in (expected if isinstance(expected, tuple) else (expected,))),
                "outcome": outcome,
                "held": refused and checked,
                "took_ms": 1e3 * took,
            }
        )
        print(f"  {'held' if refused and checked else 'NOT HELD'}: {attack} ({1e3 * took:.0f} ms)", flush=True)


def _describe(value: Any) -> str:
    """What an accepted attack returned, briefly (a VTK dataset by its class and size)."""
    if hasattr(value, "GetNumberOfPoints"):
        return f"{value.GetClassName()} of {value.GetNumberOfPoints()} points"
    return short(repr(value), 60)


def fake_server_attacks(attacks: Attacks, scratch: Path) -> None:
    """(a) a squatter forging the server's proof, (b) a squatter answering Fetch with a pickle."""
    from fake_server import FakeServer
    from vtkmodules.vtkCommonCore import vtkLogger, vtkObject

    import simple
    from pvclient.connection import Connection
    from pvcore import auth, messages
    from pvcore.errors import AuthenticationError, ProtocolError

    def forger(request: object) -> list[object]:
        if isinstance(request, messages.Hello):  # the squatter does not know the token: a made-up proof
            return [messages.Challenge(True, auth.nonce(), auth.nonce())]
        return [messages.Welcome(1, 1, messages.StateDelta())]

    fake = FakeServer(forger)
    try:
        attacks.attempt(
            "fake server with a forged proof (token kept?)",
            AuthenticationError,
            lambda: Connection.remote("localhost", fake.port, token=FAKE_TOKEN, timeout=10),
            lambda: (
                all(FAKE_TOKEN.encode() not in data for data in fake.received)
                and [type(r).__name__ for r in fake.requests()] == ["Hello"]
            ),
        )
    finally:
        fake.stop()

    marker = scratch / "code-ran"
    evil = pickle.dumps(_Payload(marker))

    def squatter(request: object) -> list[object]:
        if isinstance(request, messages.Hello):
            return [messages.Challenge(False, auth.nonce())]
        if isinstance(request, messages.Authenticate):
            return [messages.Welcome(1, 1, messages.StateDelta())]
        if isinstance(request, messages.FetchRequest):
            return [messages.DataObject("vtkPolyData", evil)]
        if isinstance(request, messages.CreateProxy):
            return [messages.StateDelta([messages.ProxyState(1, request.group, request.type, "Made1", {})])]
        return [messages.StateDelta()]

    fake = FakeServer(squatter)
    simple.state.__init__()
    loud = vtkLogger.GetCurrentVerbosityCutoff()
    vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_OFF)  # the client's XML reader says why it cannot read it
    try:
        simple.Connect(f"cs://localhost:{fake.port}", token="")
        attacks.attempt(
            "Fetch answered with a pickle (code run?)",
            ProtocolError,
            lambda: simple.Fetch(simple.Sphere()),
            lambda: not marker.exists(),
        )
        # A script that silenced VTK (as many do): VTK then neither prints errors nor reports them to observers.
        vtkObject.GlobalWarningDisplayOff()
        try:
            attacks.attempt(
                "the same, VTK warnings off (GlobalWarningDisplayOff)",
                ProtocolError,
                lambda: simple.Fetch(simple.Sphere()),
                lambda: not marker.exists(),
            )
        finally:
            vtkObject.GlobalWarningDisplayOn()
    finally:
        for conn in simple.GetConnections():
            conn.close()
        simple.state.__init__()
        vtkLogger.SetStderrVerbosity(loud)
        fake.stop()


def _write_grid(path: Path) -> None:
    from vtkmodules.vtkFiltersCore import vtkAppendFilter
    from vtkmodules.vtkFiltersSources import vtkSphereSource
    from vtkmodules.vtkIOXML import vtkXMLUnstructuredGridWriter

    sphere, append = vtkSphereSource(), vtkAppendFilter()  # the source kept alive while the filter runs
    append.SetInputConnection(sphere.GetOutputPort())
    append.Update()
    writer = vtkXMLUnstructuredGridWriter()
    writer.SetFileName(str(path))
    writer.SetInputData(append.GetOutput())
    writer.Write()


def _pvtu(sources: list[str]) -> str:
    pieces = "\n".join(f'    <Piece Source="{s}"/>' for s in sources)
    return f"""<?xml version="1.0"?>
<VTKFile type="PUnstructuredGrid" version="0.1" byte_order="LittleEndian" header_type="UInt32">
  <PUnstructuredGrid GhostLevel="0">
    <PPointData Normals="Normals"><PDataArray type="Float32" Name="Normals" NumberOfComponents="3"/></PPointData>
    <PPoints><PDataArray type="Float32" Name="Points" NumberOfComponents="3"/></PPoints>
{pieces}
  </PUnstructuredGrid>
</VTKFile>
"""


def real_server_attacks(attacks: Attacks, servers: Servers, scratch: Path) -> None:
    """(c) to (j), against one real 2-rank server."""
    from pvclient import statefile
    from pvcore import messages, tokens
    from pvcore.errors import (
        AuthenticationError,
        DataAccessError,
        DependencyError,
        PermissionDeniedError,
        PipelineError,
        PropertyError,
        ProtocolError,
        ResourceLimitError,
        StateFileError,
    )
    from pvserver.session import MAX_PIPELINE_DEPTH

    data, outside = scratch / "data", scratch / "outside"
    data.mkdir()
    outside.mkdir()
    (outside / "secret.csv").write_text("key\nPRIVATE\n")
    _write_grid(outside / "secret.vtu")
    _write_grid(data / "mine_0.vtu")
    (data / "escape.pvtu").write_text(_pvtu(["mine_0.vtu", "../outside/secret.vtu"]))
    (data / "x_0.csv").write_text("a\n1\n")
    (data / "x_1.csv").symlink_to(outside / "secret.csv")

    args = ("--multi-clients", "--max-memory-per-rank", "2G", "--data-dir", str(data))
    with servers.start(2, *args) as server:
        token = tokens.read(tokens.runtime_token_path(server.port))
        alice, bob = connect(server, "alice"), connect(server, "bob")
        try:
            attacks.attempt(
                "client with a wrong token", AuthenticationError, lambda: connect(server, "eve", token="wrong" + token)
            )
            attacks.attempt("client with an empty token", AuthenticationError, lambda: connect(server, "eve", token=""))
            for type_name, values in (
                ("Wavelet", {"WholeExtent": [0, 1499] * 3}),
                ("Sphere", {"ThetaResolution": 2**31 - 1, "PhiResolution": 2**31 - 1}),
                ("Plane", {"XResolution": 100000, "YResolution": 100000}),
            ):
                shown = ", ".join(f"{k}={v}" for k, v in values.items()).replace(" ", "")
                attacks.attempt(
                    f"{type_name}({shown}) (server serves on?)",
                    ResourceLimitError,
                    lambda t=type_name, v=values: alice.create("sources", t, v),
                    lambda: serves(alice, bob),
                )
            wavelet = alice.create("sources", "Wavelet")
            attacks.attempt(
                'Calculator(Function="while(RTData>0){1}")',
                PropertyError,
                lambda: alice.create("filters", "Calculator", {"Input": wavelet, "Function": "while(RTData>0){1}"}),
            )
            calc = alice.create("filters", "Calculator", {"Input": wavelet, "Function": "RTData*2"})

            def raw_loop() -> None:  # past the client's own check: the server must refuse it too
                update = messages.UpdateProxy(calc.GlobalID, {"Function": ("while(1){1}",)})
                reply = alice.transport._submit(update).result()
                if isinstance(reply, messages.ErrorReply) and reply.kind == "PropertyError":
                    raise PropertyError(reply.message)

            attacks.attempt("the same loop sent raw, past the client's check", PropertyError, raw_loop)

            def read_pvtu() -> None:
                reader = alice.create("sources", "FileReader", {"FileName": ["escape.pvtu"]})
                alice.invoke(reader, "UpdatePipeline", [(1.0,)])

            attacks.attempt(
                ".pvtu naming ../outside/secret.vtu",
                (DataAccessError, PipelineError),
                read_pvtu,
            )
            attacks.attempt(
                "series whose second file is a symlink",
                DataAccessError,
                lambda: alice.create("sources", "FileReader", {"FileName": ["x_0.csv"]}),
            )
            sphere = alice.create("sources", "Sphere")
            attacks.attempt(
                "SaveData by a client that is not master",
                PermissionDeniedError,
                lambda: bob.request(messages.SaveDataRequest(sphere.GlobalID, "by_bob.vtp")),
                lambda: not (data / "by_bob.vtp").exists(),
            )
            depth_attacks(attacks, alice, MAX_PIPELINE_DEPTH, DependencyError)
            attacks.attempt(
                "1 MiB user name (a later client joins?)",
                ProtocolError,
                lambda: connect(server, "x" * 2**20, timeout=30),
                lambda: _joins(server, alice),
            )
            hostile = scratch / "hostile.json"
            hostile.write_text("[" * 100_000 + "]" * 100_000)
            before = alice.state_dump()
            attacks.attempt(
                "state file nested 100,000 deep (LoadState)",
                StateFileError,
                lambda: statefile.load_state(alice, hostile),
                lambda: alice.state_dump() == before,
            )
        finally:
            alice.close()
            bob.close()


def _chain(conn: Any, length: int) -> list[Any]:
    """A Sphere and ``length - 1`` Shrinks, each on the previous one."""
    proxies = [conn.create("sources", "Sphere", {"ThetaResolution": 6, "PhiResolution": 6})]
    for _ in range(length - 1):
        proxies.append(conn.create("filters", "Shrink", {"Input": proxies[-1]}))
    return proxies


def depth_attacks(attacks: Attacks, master: Any, depth: int, refusal: Refusal) -> None:
    """(h) three chains of Shrinks, re-linked so that together they would be deeper than ``depth``."""
    half = depth // 2 + 2
    first = _chain(master, half)
    second = _chain(master, depth - half)
    master.update(first[1], {"Input": second[-1]})  # exactly as deep as allowed
    third = _chain(master, half)
    attacks.attempt(
        f"third chain re-linked below a chain of {depth} (limit)",
        refusal,
        lambda: master.update(third[1], {"Input": first[-1]}),
    )
    attacks.attempt(
        "the whole re-linked below the third chain",
        refusal,
        lambda: master.update(second[1], {"Input": third[-1]}),
    )


def _joins(server: Any, master: Any) -> bool:
    late = connect(server, "carol", timeout=30)
    try:
        master.process_events(timeout=0.5)
        return any(u.name == "carol" for u in master.users.users) and late.state_dump() == master.state_dump()
    finally:
        late.close()


def bench_attacks(servers: Servers) -> list[dict[str, Any]]:
    print("\n[attacks] fake servers, then a 2-rank server", flush=True)
    attacks = Attacks()
    with tempfile.TemporaryDirectory(prefix="bench-hardening-") as scratch:
        fake_server_attacks(attacks, Path(scratch))
        real_server_attacks(attacks, servers, Path(scratch).resolve())
    rows = [[r["attack"], r["expected"], short(r["outcome"], 70), "yes" if r["held"] else "NO"] for r in attacks.rows]
    table("Attacks", ["attack", "expected", "outcome", "held"], rows, left=4)
    held = sum(r["held"] for r in attacks.rows)
    print(f"  {held} of {len(attacks.rows)} held")
    return attacks.rows


def short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."
