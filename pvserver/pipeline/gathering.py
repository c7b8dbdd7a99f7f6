"""Gathering the ranks' pieces of a filter's input on rank 0, for the filters whose result depends on all of it
(a piece-invariant Clean, streamlines that cross from one rank's piece into another's).

Collective, and safe when one rank fails: a rank that cannot prepare its piece still takes part, so that none
waits for it, and then every rank raises (that rank its own error, the others PeerFailedError).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

from pvcore.errors import ResourceLimitError
from pvserver.parallel import raise_unless_all_succeeded, sync_lazily
from pvserver.pipeline.fileio import merge, without_ghosts
from pvserver.pipeline.rank_limits import LIMITS
from pvserver.pipeline.transfer import dumps


def gather_on_rank_0(comm: Any, piece: Any, purpose: str) -> Any | None:
    """Every rank's ``piece`` (its ghost cells left out) merged into one dataset on rank 0; None on the others.

    ``purpose`` names what the whole is for, in the errors (another rank failed; the whole is over budget)."""
    if comm.Get_size() == 1:
        return merge([without_ghosts(piece)])
    blobs = gather_to_rank_0(comm, lambda: dumps(without_ghosts(piece)), purpose)
    if blobs is None:
        return None
    # The ranks' pieces, from ranks of this job over MPI (see pvserver.parallel), never from a network peer.
    return merge([pickle.loads(b) for b in blobs])


def gather_to_rank_0(comm: Any, build: Callable[[], Any], purpose: str) -> list[Any] | None:
    """Collective: what ``build()`` makes on every rank (bytes, or lists and dicts of bytes), in rank order, on
    rank 0; None on the others.

    A rank whose ``build`` fails still takes part, and then every rank raises. Rank 0 must be able to hold the
    whole, twice while it merges: past the server's --max-memory-per-rank every rank raises ResourceLimitError,
    before anything is sent."""
    failure: Exception | None = None
    try:
        part = build()
    except Exception as exc:  # the others must not wait for this rank
        failure, part = exc, b""
    raise_unless_all_succeeded(comm, failure, f"Another rank could not send its piece to {purpose}.")
    if comm.Get_size() == 1:
        return [part]
    sync_lazily(comm)
    total = comm.allreduce(_size(part))
    limit = LIMITS.memory_bytes
    if limit and 2 * total > limit:
        raise ResourceLimitError(
            f"To {purpose}, rank 0 would hold the whole data: {total / 2**20:.0f} MiB, twice while merging; each rank "
            f"may use {limit / 2**20:.0f} MiB (--max-memory-per-rank)."
        )
    return comm.gather(part, root=0)


def _size(part: Any) -> int:
    if isinstance(part, (bytes, bytearray)):
        return len(part)
    if isinstance(part, dict):
        return sum(_size(v) for v in part.values())
    return sum(_size(v) for v in part)
