"""VTK-side adapters of ParaView's named readers (see :mod:`pvcore.definitions.readers_named`): the parallel reader
of ``OpenDataFile`` with its format fixed, so that the files are read, checked and shared over the ranks alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pvserver.pipeline.context import Context
from pvserver.pipeline.reader import DistributedReader

#: Adapter name -> the format it reads (an extension of pvserver.pipeline.files.READERS, or "ioss").
FORMATS = {
    f"Reader_{kind}": "." + kind if kind != "ioss" else kind
    for kind in (
        "vtu", "vtp", "vti", "vtr", "vts", "pvtu", "pvtp", "pvti", "pvtr", "pvts", "pvd", "vtk", "stl", "ply", "obj",
        "csv", "exo", "ioss", "tec", "png",
    )
}  # fmt: skip


def _factory(kind: str) -> Callable[[Context], Any]:
    return lambda context: DistributedReader(context.comm, kind)


ADAPTERS: dict[str, Callable[[Context], Any]] = {name: _factory(kind) for name, kind in FORMATS.items()}
