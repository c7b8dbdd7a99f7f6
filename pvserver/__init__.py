"""The data server: an MPI-parallel engine behind a gRPC front end on rank 0.

Nothing runs at import; ``pvserver.cli`` is the entry point. The pure modules (``errors``, ``messages``,
``session``, ``pipeline.catalogue``) import neither MPI nor VTK, so the client library can share them.
"""

__version__ = "0.1.0"
