"""The data server: an MPI-parallel engine behind a gRPC front end on rank 0.

Nothing runs at import; ``pvserver.cli`` is the entry point. What the client shares with it (messages, errors, the
token handshake, camera arithmetic) lives in ``pvcore``.
"""

from pvcore import __version__

__all__ = ["__version__"]
