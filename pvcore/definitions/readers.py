"""Readers: proxies that read data files, opened beneath the server's data directory only."""

from __future__ import annotations

from pvcore.definitions.builders import Doubles, Source, Strings
from pvcore.domains import FileSeriesDomain

DEFINITIONS = (
    Source(
        "FileReader", "DistributedReader", "Reads a data file in parallel; made by OpenDataFile(path).",
        Strings("FileName", doc="The file, or the files of a series (one per time step).", file_path=True),
        Doubles(
            "TimestepValues", doc="Times of the series' files (read only).", domain=FileSeriesDomain("FileName"),
            read_only=True,
        ),
    ),
)  # fmt: skip
