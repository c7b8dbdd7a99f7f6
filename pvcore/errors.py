"""Error types shared by server and client.

An error carries its context (rank, proxy, property) across the wire by class name, so that the user gets a
Python exception of the same specific type, with a message a person can act on.
"""

from __future__ import annotations


class PVError(Exception):
    """Base of every error this project raises on purpose.

    Attributes
    ----------
    rank : int
        The MPI rank where it happened, or -1 when it is not tied to a rank.
    proxy_id, proxy_name : int, str
        The proxy it concerns, if any.
    property : str
        The property it concerns, if any.
    """

    def __init__(
        self, message: str, *, rank: int = -1, proxy_id: int = 0, proxy_name: str = "", property: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.rank = rank
        self.proxy_id = proxy_id
        self.proxy_name = proxy_name
        self.property = property


class UnknownProxyTypeError(PVError, KeyError):
    """A proxy type or group that the catalogue does not have."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class PropertyError(PVError, ValueError):
    """An unknown property, or a value of the wrong type or outside the property's domain."""


class ProxyNotFoundError(PVError, LookupError):
    """A global id that names no live proxy of this session."""


class DependencyError(PVError):
    """An operation that would break the pipeline, e.g. deleting a source that a filter still consumes."""


class PipelineError(PVError, RuntimeError):
    """A VTK algorithm failed while executing on one or more ranks."""


class PeerFailedError(PipelineError):
    """This rank stopped a collective step because another rank failed in it; that rank's error is the one the
    client gets (see Engine.run)."""


class RenderError(PVError, RuntimeError):
    """A view could not be rendered (bad size, unknown array to colour by, ...)."""


class ProtocolError(PVError):
    """A malformed, unknown or out-of-order message, or an incompatible protocol version."""


class AuthenticationError(PVError):
    """The server refused the client: wrong connect-id or token."""


class PermissionDeniedError(PVError):
    """A change that this client may not make, e.g. a pipeline change from a client that is not master."""


class ServerBusyError(PVError):
    """The server accepts no further clients."""


class DataAccessError(PVError):
    """A path outside the data directory, a missing or unreadable file, an unsupported extension."""


class UndoError(PVError):
    """Nothing to undo or redo, or an undo set used out of order."""


class StateFileError(PVError, ValueError):
    """A state file that is broken, of an unknown format, or from a newer format version."""


class ResourceLimitError(PVError):
    """A request that would need more than the server allows one request: memory per rank (the estimate and the
    budget are in the message), or time."""


class RequestTimeoutError(ResourceLimitError, TimeoutError):
    """A request that ran past the server's --request-timeout and was stopped."""


class ConnectionClosedError(PVError, ConnectionError):
    """The connection is closed, or a proxy is used after its connection was closed."""


class ServerUnreachableError(PVError, ConnectionError):
    """No server answered at the given address before the timeout."""


ERROR_TYPES: dict[str, type[PVError]] = {
    cls.__name__: cls
    for cls in (
        PVError,
        UnknownProxyTypeError,
        PropertyError,
        ProxyNotFoundError,
        DependencyError,
        PipelineError,
        PeerFailedError,
        RenderError,
        ProtocolError,
        AuthenticationError,
        PermissionDeniedError,
        ServerBusyError,
        ConnectionClosedError,
        ServerUnreachableError,
        UndoError,
        StateFileError,
        DataAccessError,
        ResourceLimitError,
        RequestTimeoutError,
    )
}


def error_from_kind(kind: str, message: str, **context: object) -> PVError:
    """Rebuild an error received over the wire; unknown kinds become a plain :class:`PVError`."""
    cls = ERROR_TYPES.get(kind, PVError)
    return cls(message, **context)  # type: ignore[arg-type]
