"""``paraview.benchmark.logbase``: gather, print, save and load the timing logs, as ParaView's module.

1. Optionally call ``maximize_logs()`` (every execution is kept, however short).
2. Set up and run a pipeline.
3. ``get_logs()`` fetches the logs of the active connection into ``logs``; ``print_logs()`` prints them.

Each server rank logs every execution of an algorithm as ``Execute <name> id: <id>,  <seconds> seconds`` (the
proxy's name and global id). Under pvpython there is one log of the client and one per server rank (component
``Client`` and ``Servers``); the built-in session is this process, so its client log is its one server log, as
in ParaView. Under pvbatch there is one log per rank, of component ``ClientAndServers``.

``dump_logs``/``import_logs`` save and load the logs as JSON (ParaView pickles them; a pickle, which may run
code when loaded, is refused).
"""

from __future__ import annotations

import json
import os
from typing import Any

import simple
from pvclient.properties import NotSupportedException
from pvcore import messages
from pvcore.errors import PVError
from simple.connections import active_connection, state
from simple.servermanager_session import ServerFlags

#: The frame where parsing starts (ParaView's module variable).
start_frame = 0
#: The threshold (seconds) of each component's log, by str(component); set by maximize_logs().
default_log_threshold: dict[str, float] = {}
#: The logs get_logs() or import_logs() gave last.
logs: list[OneLog] = []

_COMPONENT_NAMES = {
    ServerFlags.NONE: "None",
    ServerFlags.DATA_SERVER: "DataServer",
    ServerFlags.DATA_SERVER_ROOT: "DataServerRoot",
    ServerFlags.RENDER_SERVER: "RenderServer",
    ServerFlags.RENDER_SERVER_ROOT: "RenderServerRoot",
    ServerFlags.SERVERS: "Servers",
    ServerFlags.CLIENT: "Client",
    ServerFlags.CLIENT_AND_SERVERS: "ClientAndServers",
}
_DUMP_FORMAT = "paraview.benchmark logs"


def component_to_string(comp: int) -> str | None:
    """The name of a session component (``session.SERVERS`` -> 'Servers'); None for an unknown one."""
    return _COMPONENT_NAMES.get(comp)


class OneLog:
    """The log of one process: how it ran (runmode, servertype), its component, its rank and its lines."""

    def __init__(self, runmode: str = "batch", servertype: str = "unified", component: int = 0, rank: int = 0):
        self.runmode = runmode
        self.servertype = servertype
        self.component = component_to_string(component)
        self.rank = rank
        self.lines: list[str] = []

    def print_log(self, showlines: bool = False) -> None:
        """Print the header line (as ParaView prints it, without separators) and, if asked, the lines."""
        print("#RunMode:", self.runmode, end="")
        print("ServerType:", self.servertype, end="")
        print("Component:", self.component, end="")
        print("processor#:", self.rank)
        if showlines:
            for line in self.lines:
                print(line)

    def toString(self, showlines: bool = False) -> str:
        """The header (and the lines, if asked) as text."""
        text = f"#RunMode: {self.runmode} ServerType: {self.servertype} processor#: {self.rank}\n"
        if showlines:
            text += "".join(line + "\n" for line in self.lines)
        return text

    def _as_dict(self) -> dict[str, Any]:
        return {
            "runmode": self.runmode,
            "servertype": self.servertype,
            "component": self.component,
            "rank": self.rank,
            "lines": self.lines,
        }

    @classmethod
    def _from_dict(cls, values: Any, where: str) -> OneLog:
        fields = {"runmode": str, "servertype": str, "component": (str, type(None)), "rank": int, "lines": list}
        if not isinstance(values, dict) or any(not isinstance(values.get(k), t) for k, t in fields.items()):
            raise PVError(f"{where}: each log must have runmode, servertype, component, rank and lines.")
        if not all(isinstance(line, str) for line in values["lines"]):
            raise PVError(f"{where}: a log's lines must be text.")
        log = cls(values["runmode"], values["servertype"], rank=values["rank"])
        log.component, log.lines = values["component"], list(values["lines"])
        return log


def maximize_logs() -> None:
    """Keep every execution in the logs, however short (ParaView also enlarges its timer log; the server's keeps
    its latest entries, see pvserver.pipeline.timer_log)."""
    for component in (
        ServerFlags.CLIENT_AND_SERVERS,
        ServerFlags.CLIENT,
        ServerFlags.SERVERS,
        ServerFlags.RENDER_SERVER,
        ServerFlags.DATA_SERVER,
    ):
        default_log_threshold[str(component)] = 0.0


def get_memuse() -> list[str]:
    """Refused: the memory use of each process needs ParaView's vtkPVMemoryUseInformation, which the server
    does not report here."""
    raise NotSupportedException(
        "paraview.benchmark.logbase.get_memuse() needs each process's memory use (ParaView's "
        "vtkPVMemoryUseInformation), which this server does not report."
    )


def _server_logs(component: int) -> list[str]:
    """Each server rank's log text, those entries under the component's threshold left out."""
    threshold = default_log_threshold.get(str(component), 0.0)
    reply = active_connection().request(messages.TimerLogRequest(threshold))
    if not isinstance(reply, messages.TimerLog):
        raise PVError(f"The server answered the timer log request with a {type(reply).__name__}.")
    return list(reply.logs)


def get_logs() -> None:
    """Fetch the logs of the active connection into ``logs`` (see the module's help for which there are)."""
    global logs
    logs = []
    connection = active_connection()
    runmode = "batch" if state.batch_comm is not None else "interactive"
    servertype = "unified"  # data and render server are always the same processes here
    # pvbatch's ranks are client and servers at once; pvpython's client is apart from the servers.
    components = [ServerFlags.CLIENT_AND_SERVERS] if runmode == "batch" else [ServerFlags.CLIENT, ServerFlags.SERVERS]
    for component in components:
        texts = _server_logs(component)
        if component == ServerFlags.CLIENT:
            # The client runs no pipeline of its own: the built-in session's executions are this process's.
            texts = texts[:1] if connection.uri == "builtin:" else [""]
        for rank, text in enumerate(texts):
            log = OneLog(runmode, servertype, component, rank)
            log.lines = text.split("\n")
            logs.append(log)


def print_logs() -> None:
    """Print the logs (fetched first by get_logs() if there are none)."""
    if not logs:
        get_logs()
    for log in logs:
        log.print_log(True)


def dump_logs(filename: str | os.PathLike) -> None:
    """Save the logs in a file (JSON), to be parsed elsewhere or later with import_logs()."""
    with open(filename, "w", encoding="utf-8") as file:
        json.dump({"format": _DUMP_FORMAT, "logs": [log._as_dict() for log in logs]}, file)


def import_logs(filename: str | os.PathLike) -> None:
    """Load the logs a dump_logs() saved into ``logs``; PVError for another kind of file."""
    global logs
    where = f"paraview.benchmark.logbase.import_logs({str(filename)!r})"
    with open(filename, "rb") as file:
        data = file.read()
    try:
        saved = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PVError(
            f"{where}: not logs saved by dump_logs() here (JSON); ParaView's pickled logs are not loaded, since "
            "unpickling a file may run code."
        ) from None
    if not isinstance(saved, dict) or saved.get("format") != _DUMP_FORMAT or not isinstance(saved.get("logs"), list):
        raise PVError(f"{where}: not logs saved by dump_logs().")
    logs = [OneLog._from_dict(values, where) for values in saved["logs"]]


def test_module() -> None:
    """Exercise the module: a large sphere shown and rendered, then the logs printed."""
    maximize_logs()
    simple.Sphere(ThetaResolution=1000, PhiResolution=500)
    simple.Show()
    simple.Render()
    print_logs()


if __name__ == "__main__":
    test_module()
