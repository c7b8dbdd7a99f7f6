"""What a VTK-side adapter may need of the rank it is made on, and the association ids VTK's array calls take.

Its own module so that the adapter families (``adapters_*.py``) and their registry (:mod:`adapters`) share it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: ParaView's array associations -> VTK's field association ids (SetInputArrayToProcess).
ASSOCIATION_IDS = {"POINTS": 0, "CELLS": 1, "FIELD": 2, "ROWS": 6}  # vtkDataObject::FieldAssociations


@dataclass(frozen=True)
class Context:
    """What an adapter may need of the rank it is made on: the communicator of the server's ranks (mpi4py), for
    an adapter whose result depends on every rank's piece (a reduction)."""

    comm: Any = None
