"""ParaView's session classes as scripts use them: ``vtkSMSession``, ``vtkSMSessionProxyManager``,
``vtkSMProxyManager`` and ``vtkProcessModule``, answering from this project's connections.

A connection is ParaView's session: ``connection.Session`` (also ``servermanager.ActiveConnection.Session``, and
``proxy.GetSession()``) is its :class:`Session`, which tells the number of the server's ranks
(``GetNumberOfProcesses(session.DATA_SERVER)``) and gives its proxy manager (``GetSessionProxyManager()``, whose
``NewProxy`` returns the C++-level proxy, as ParaView's). ``vtkProcessModule.GetProcessModule()`` describes this
process: a client (pvpython, partition 0), or a rank of pvbatch (``GetPartitionId()`` its rank: 0 unless
``--symmetric`` runs the script on every rank, when ``GetSymmetricMPIMode()`` is True);
``SetMultipleSessionsSupport(True)`` is ``simple.EnableMultiServer()``. ``vtkSMProxyManager.GetProxyManager()``
knows the active session. ``servermanager.vtkSMSession()`` opens a new built-in session, as ParaView's, without
making it the active connection.
"""

from __future__ import annotations

from typing import Any

from pvclient.connection import Connection
from pvclient.smproxy import SMProxy
from pvcore.errors import PVError
from simple.connections import EnableMultiServer, active_connection, state
from simple.servermanager_registry import ProxyManager, _getPyProxy, registrations

#: The ParaView release whose server manager this follows (vtkSMProxyManager.GetVersionMajor()...).
VERSION = (5, 11, 0)


class ServerFlags:
    """vtkPVSession's process roles, as ``session.DATA_SERVER``..."""

    NONE = 0
    DATA_SERVER = 0x01
    DATA_SERVER_ROOT = 0x02
    RENDER_SERVER = 0x04
    RENDER_SERVER_ROOT = 0x08
    SERVERS = DATA_SERVER | RENDER_SERVER
    CLIENT = 0x10
    CLIENT_AND_SERVERS = DATA_SERVER | CLIENT | RENDER_SERVER


class SessionProxy(SMProxy):
    """The C++-level proxy (vtkSMProxy) that ``session.GetSessionProxyManager().NewProxy`` returns.

    ``Register``/``UnRegister`` count references of C++ objects: nothing to count here (the proxy lives on the
    server while this object or a registration names it); ``FastDelete()``/``Delete()`` delete a proxy that no
    registration names."""

    def GetSession(self) -> Session:
        return session_of(self._proxy.connection)

    def Register(self, _owner: Any = None) -> None:
        """Nothing to count: see the class's help."""

    def UnRegister(self, _owner: Any = None) -> None:
        """Nothing to count: see the class's help."""

    def FastDelete(self) -> None:
        """Delete the proxy on the server unless a registration names it."""
        proxy = self._proxy
        if proxy.is_detached or proxy.GlobalID not in proxy.connection.states:
            return
        own = registrations(proxy.connection)
        named = proxy.GlobalID not in own.unregistered or any(a[2] == proxy.GlobalID for a in own.aliases)
        if not named:
            proxy.connection.delete(proxy)

    Delete = FastDelete


class SessionProxyManager(ProxyManager):
    """vtkSMSessionProxyManager: the proxy manager of one session, whose ``NewProxy`` gives the C++-level proxy
    (``GetProperty(name).GetElement(0)``, ``UnRegister(None)``, ``FastDelete()``); the rest is
    ``servermanager.ProxyManager``'s."""

    def NewProxy(self, group: str, name: str) -> SessionProxy:
        return SessionProxy(super().NewProxy(group, name))

    def GetSession(self) -> Session:
        return session_of(self.connection)


class Session(ServerFlags):
    """vtkSMSession: one connection (see the module's help); equal sessions are the same connection's."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._proxy_manager = SessionProxyManager(connection)

    def GetSessionProxyManager(self) -> SessionProxyManager:
        return self._proxy_manager

    def GetProxyManager(self) -> SessionProxyManager:
        return self._proxy_manager

    def GetNumberOfProcesses(self, servers: int = ServerFlags.DATA_SERVER) -> int:
        """The number of processes with any of the roles ``servers`` (the server's ranks; 1 for the client)."""
        if servers & ServerFlags.SERVERS:
            return self.connection.GetNumberOfDataPartitions()
        return 1 if servers & ServerFlags.CLIENT else 0

    def GetURI(self) -> str:
        return self.connection.GetURI()

    def IsMultiClients(self) -> bool:
        return bool(self.connection.multi_clients)

    def GetIsAlive(self) -> bool:
        return not self.connection.closed

    def IsA(self, class_name: str) -> bool:
        remote = {"vtkSMSessionClient"} if self.connection.IsRemote() else {"vtkSMSessionBase"}
        return class_name in {"vtkSMSession", "vtkPVSession", "vtkSession", "vtkObject"} | remote

    def GetClassName(self) -> str:
        return "vtkSMSessionClient" if self.connection.IsRemote() else "vtkSMSession"

    def __repr__(self) -> str:
        return f"<session of {self.connection!r}>"


def session_of(connection: Connection) -> Session:
    """The session of a connection, made when first asked for (``connection.Session`` is the same object)."""
    found = state.sessions.get(connection.id)
    if found is None or found.connection is not connection:
        found = state.sessions[connection.id] = Session(connection)
        connection.Session = found  # ParaView's attribute of a connection
    return found


def vtkSMSession() -> Session:
    """A new built-in session, as ParaView's ``vtkSMSession()``: not made the active connection. Under pvbatch,
    whose ranks serve one engine, the session of its connection."""
    if state.batch_comm is not None:
        return session_of(active_connection())
    return session_of(Connection.builtin())


class ProcessModule:
    """vtkProcessModule: this process (a client, or rank 0 of pvbatch; see the module's help)."""

    PROCESS_CLIENT = 0
    PROCESS_SERVER = 1
    PROCESS_DATA_SERVER = 2
    PROCESS_RENDER_SERVER = 3
    PROCESS_BATCH = 4
    PROCESS_INVALID = -1

    def GetPartitionId(self) -> int:
        """This process's rank: 0 for pvpython and pvbatch, the rank under ``pvbatch --symmetric``."""
        return state.symmetric_rank or 0

    def GetNumberOfLocalPartitions(self) -> int:
        """The ranks this process's MPI world has: pvbatch's, else 1."""
        comm = state.batch_comm
        return comm.Get_size() if comm is not None else 1

    @staticmethod
    def GetSymmetricMPIMode() -> bool:
        """True under ``pvbatch --symmetric`` (the script runs on every rank), else False."""
        return state.symmetric_rank is not None

    def GetProcessType(self) -> int:
        return self.PROCESS_BATCH if state.batch_comm is not None else self.PROCESS_CLIENT

    def SetMultipleSessionsSupport(self, enable: bool) -> None:
        """Allow several connections at once (``simple.EnableMultiServer``)."""
        EnableMultiServer(bool(enable))

    def GetMultipleSessionsSupport(self) -> bool:
        return state.multi_server

    def MultipleSessionsSupportOn(self) -> None:
        self.SetMultipleSessionsSupport(True)

    def MultipleSessionsSupportOff(self) -> None:
        self.SetMultipleSessionsSupport(False)

    def GetSession(self) -> Session | None:
        """The active connection's session, or None."""
        conn = state.active_connection
        return session_of(conn) if conn is not None else None

    GetActiveSession = GetSession

    def GetNumberOfSessions(self) -> int:
        return len(state.connections)


class vtkProcessModule(ProcessModule):  # noqa: N801 - ParaView's class name
    """``servermanager.vtkProcessModule``: ``GetProcessModule()`` gives the one object."""

    @staticmethod
    def GetProcessModule() -> ProcessModule:
        return _PROCESS_MODULE


class ServerManager:
    """vtkSMProxyManager: the sessions of this client, and the active one's proxy manager."""

    def GetActiveSession(self) -> Session | None:
        return vtkProcessModule.GetProcessModule().GetSession()

    def SetActiveSession(self, session: Session) -> None:
        if not isinstance(session, Session) or session.connection not in state.connections:
            raise PVError(f"SetActiveSession({session!r}): give the Session of an open connection.")
        state.active_connection = session.connection

    def GetActiveSessionProxyManager(self) -> SessionProxyManager:
        return session_of(active_connection()).GetSessionProxyManager()

    def GetSessionProxyManager(self, session: Session) -> SessionProxyManager:
        return session.GetSessionProxyManager()

    def HasSessionProxyManager(self) -> bool:
        return state.active_connection is not None

    def IsInitialized(self) -> bool:
        return True

    @staticmethod
    def GetVersionMajor() -> int:
        return VERSION[0]

    @staticmethod
    def GetVersionMinor() -> int:
        return VERSION[1]

    @staticmethod
    def GetVersionPatch() -> int:
        return VERSION[2]


class vtkSMProxyManager(ServerManager):  # noqa: N801 - ParaView's class name
    """``servermanager.vtkSMProxyManager``: ``GetProxyManager()`` gives the one object."""

    @staticmethod
    def GetProxyManager() -> ServerManager:
        return _SERVER_MANAGER

    @staticmethod
    def IsInitialized() -> bool:
        return True


_PROCESS_MODULE = ProcessModule()
_SERVER_MANAGER = ServerManager()


def proxy_session(proxy: Any) -> Session:
    """The session of a proxy (Python or C++-level)."""
    found = _getPyProxy(proxy)
    if found is None:
        raise PVError("A proxy is needed.")
    return session_of(found.connection)


__all__ = [
    "ProcessModule",
    "ServerFlags",
    "ServerManager",
    "Session",
    "SessionProxy",
    "SessionProxyManager",
    "proxy_session",
    "session_of",
    "vtkProcessModule",
    "vtkSMProxyManager",
    "vtkSMSession",
]
