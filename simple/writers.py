"""Writers of paraview.simple: ``CreateWriter(filename, proxy)`` and ParaView's writers by name
(``XMLPolyDataWriter(Input=..., FileName=...)``), whose ``UpdatePipeline()`` writes the file on the server.

A writer is this client's own object (not a server proxy): it writes through SaveData, so the file formats, the
data directory, the parallel pieces (``.pvtu``...) and the overwrite rule are SaveData's. ParaView's options of
the file's encoding (DataMode, CompressorType, Precision...) are accepted and recorded, and the file is written
as SaveData writes it; options that would leave data out or write a series are refused.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pvclient.properties import NotSupportedException
from pvclient.proxy import Proxy
from pvcore.errors import PVError
from simple.connections import GetActiveSource
from simple.data import SaveData

#: ParaView's writers this project has and the extensions each writes (the first is CreateWriter's pick).
WRITERS: dict[str, tuple[str, ...]] = {
    "XMLPolyDataWriter": (".vtp",),
    "XMLUnstructuredGridWriter": (".vtu",),
    "XMLImageDataWriter": (".vti",),
    "XMLStructuredGridWriter": (".vts",),
    "XMLRectilinearGridWriter": (".vtr",),
    "XMLMultiBlockDataWriter": (".vtm",),
    "XMLPPolyDataWriter": (".pvtp",),
    "XMLPUnstructuredGridWriter": (".pvtu",),
    "XMLPImageDataWriter": (".pvti",),
    "XMLPStructuredGridWriter": (".pvts",),
    "XMLPRectilinearGridWriter": (".pvtr",),
    "DataSetWriter": (".vtk",),
    "CSVWriter": (".csv",),
    "DataSetCSVWriter": (".csv",),
    "PSTLWriter": (".stl",),
    "PPLYWriter": (".ply",),
    "HoudiniWriter": (".geo",),
}
#: ParaView 5.11's writers whose formats this project does not write.
UNWRITTEN = (
    "PNGWriter", "JPEGWriter", "TIFFWriter", "MetaImageWriter", "JSONImageWriter", "EnSightWriter", "ExodusIIWriter",
    "CGNSWriter", "XdmfWriter", "Xdmf3Writer", "XMLPVDWriter", "XMLPVAnimationWriter", "XMLTableWriter",
    "XMLPTableWriter", "POBJWriter", "XMLHierarchicalBoxDataWriter", "XMLUniformGridAMRWriter",
    "HyperTreeGridWriter", "XMLPHyperTreeGridWriter", "XMLPPartitionedDataSetWriter",
    "XMLPartitionedDataSetCollectionWriter",
)  # fmt: skip
#: ParaView's writer options that change only the file's encoding: recorded, the file is written as SaveData does.
ENCODING_OPTIONS = (
    "CompressorType", "CompressionLevel", "DataMode", "EncodeAppendedData", "HeaderType", "IdType", "Precision",
    "UseScientificNotation", "FieldDelimiter", "AddMetaData", "AddTime", "AddTimeStep", "FileType",
    "EnableColoring", "EnableAlpha", "ColorArrayName", "LookupTable", "NumberOfIORanks", "RankAssignmentMode",
    "Filenamesuffix", "PointDataArrays", "CellDataArrays", "FieldDataArrays", "VertexDataArrays", "EdgeDataArrays",
    "RowDataArrays", "Firsttimestep", "Lasttimestep", "Timestepstride",
)  # fmt: skip
#: ParaView's writer options whose other values would write something else; only these values are accepted.
FIXED_OPTIONS: dict[str, tuple[Any, ...]] = {
    "ChooseArraysToWrite": (0, False),
    "Writetimestepsasfileseries": (0, False),
    "WriteTimeSteps": (0, False),
    "WriteTimeStepsSeparately": (0, False),
    "WriteAllTimeSteps": (0, False),
    "FieldAssociation": ("Point Data", "Points"),
}


class Writer:
    """A writer of one file (``FileName``) from one source (``Input``): ``UpdatePipeline()`` writes it on the
    server, through SaveData (``Overwrite``: replace a file this server did not write)."""

    def __init__(self, name: str, filename: str, source: Proxy, options: dict[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_options", {})
        self.FileName, self.Input, self.Overwrite = filename, source, False
        for option, value in options.items():
            setattr(self, option, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "FileName":
            value = str(value)
        elif name == "Input":
            if not isinstance(value, Proxy):
                raise PVError(f"{self._name}.Input must be a source or filter proxy, not {value!r}.")
        elif name in FIXED_OPTIONS:
            if value not in FIXED_OPTIONS[name]:
                raise NotSupportedException(
                    f"{self._name}.{name} = {value!r} is not offered here: the file holds every array of the data at "
                    f"the current time (for CSV: the points and point data); accepted: {FIXED_OPTIONS[name][0]!r}."
                )
        elif name not in ENCODING_OPTIONS and name != "Overwrite":
            allowed = ", ".join(("FileName", "Input", "Overwrite", *FIXED_OPTIONS, *ENCODING_OPTIONS))
            raise AttributeError(f"{self._name} has no property {name!r}; its properties are {allowed}.")
        self._options[name] = value

    def __getattr__(self, name: str) -> Any:
        options = object.__getattribute__(self, "_options")
        if name in options:
            return options[name]
        raise AttributeError(f"{object.__getattribute__(self, '_name')} has no property {name!r} set.")

    def __repr__(self) -> str:
        return f"<{self._name} {self.FileName!r}>"

    def GetXMLName(self) -> str:
        return self._name

    def ListProperties(self) -> list[str]:
        return list(self._options)

    def UpdatePipeline(self, time: float | None = None) -> None:
        """Write the file (the data at the current time; set ``GetAnimationScene().AnimationTime`` for another)."""
        if time is not None:
            raise NotSupportedException(
                f"{self._name}.UpdatePipeline(time={time!r}): set GetAnimationScene().AnimationTime = {time!r} "
                "first, then UpdatePipeline() writes the data at that time."
            )
        if Path(self.FileName).suffix.lower() not in WRITERS[self._name]:
            raise PVError(
                f"{self._name} writes {', '.join(WRITERS[self._name])} files, not {self.FileName!r}; "
                "CreateWriter(filename) picks the writer by the extension."
            )
        SaveData(self.FileName, self.Input, Overwrite=bool(self.Overwrite))

    def UpdateVTKObjects(self) -> None:
        """Nothing to send: the writer's settings go with UpdatePipeline()."""


def _writer_for(filename: str) -> str:
    ext = Path(filename).suffix.lower()
    for name, extensions in WRITERS.items():
        if ext in extensions:
            return name
    known = sorted({e for extensions in WRITERS.values() for e in extensions})
    raise NotSupportedException(f"No writer for {filename!r}: the formats written here are {', '.join(known)}.")


def CreateWriter(filename: str | os.PathLike, proxy: Proxy | None = None, **extraArgs: Any) -> Writer:
    """A writer of ``proxy``'s data (default: the active source) to ``filename``, picked by its extension; it
    writes when its ``UpdatePipeline()`` is called. Keyword arguments set its properties."""
    if not filename:
        raise PVError("CreateWriter: filename must be specified.")
    proxy = proxy if proxy is not None else GetActiveSource()
    if proxy is None:
        raise PVError("CreateWriter: no proxy given and there is no active source to write.")
    return Writer(_writer_for(str(filename)), str(filename), proxy, extraArgs)


def _named_writer(name: str) -> Any:
    def create(*inputs: Proxy, registrationName: str = "", **properties: Any) -> Writer:
        source = inputs[0] if inputs else properties.pop("Input", None)
        source = source if source is not None else GetActiveSource()
        if source is None:
            raise PVError(f"{name} needs an input: pass Input=<source> or create a source first.")
        return Writer(name, str(properties.pop("FileName", "")), source, properties)

    create.__name__ = create.__qualname__ = name
    create.__doc__ = (
        f"ParaView's {name}: a writer of {' or '.join(WRITERS[name])} files (see CreateWriter); set FileName, "
        "then UpdatePipeline() writes it."
    )
    return create


def _refused_writer(name: str) -> Any:
    def refuse(*_inputs: Any, **_properties: Any) -> Writer:
        known = sorted({e for extensions in WRITERS.values() for e in extensions})
        raise NotSupportedException(
            f"{name} is ParaView's writer of a format not written here; the formats written here are "
            f"{', '.join(known)} (CreateWriter picks by the extension). A picture of a view: SaveScreenshot."
        )

    refuse.__name__ = refuse.__qualname__ = name
    refuse.__doc__ = f"Refused: {name}'s format is not written here (see CreateWriter)."
    return refuse


# ParaView's writers by name.
XMLPolyDataWriter = _named_writer("XMLPolyDataWriter")
XMLUnstructuredGridWriter = _named_writer("XMLUnstructuredGridWriter")
XMLImageDataWriter = _named_writer("XMLImageDataWriter")
XMLStructuredGridWriter = _named_writer("XMLStructuredGridWriter")
XMLRectilinearGridWriter = _named_writer("XMLRectilinearGridWriter")
XMLMultiBlockDataWriter = _named_writer("XMLMultiBlockDataWriter")
XMLPPolyDataWriter = _named_writer("XMLPPolyDataWriter")
XMLPUnstructuredGridWriter = _named_writer("XMLPUnstructuredGridWriter")
XMLPImageDataWriter = _named_writer("XMLPImageDataWriter")
XMLPStructuredGridWriter = _named_writer("XMLPStructuredGridWriter")
XMLPRectilinearGridWriter = _named_writer("XMLPRectilinearGridWriter")
DataSetWriter = _named_writer("DataSetWriter")
CSVWriter = _named_writer("CSVWriter")
DataSetCSVWriter = _named_writer("DataSetCSVWriter")
PSTLWriter = _named_writer("PSTLWriter")
PPLYWriter = _named_writer("PPLYWriter")
HoudiniWriter = _named_writer("HoudiniWriter")
# ParaView's writers of formats not written here: each says so.
PNGWriter = _refused_writer("PNGWriter")
JPEGWriter = _refused_writer("JPEGWriter")
TIFFWriter = _refused_writer("TIFFWriter")
MetaImageWriter = _refused_writer("MetaImageWriter")
JSONImageWriter = _refused_writer("JSONImageWriter")
EnSightWriter = _refused_writer("EnSightWriter")
ExodusIIWriter = _refused_writer("ExodusIIWriter")
CGNSWriter = _refused_writer("CGNSWriter")
XdmfWriter = _refused_writer("XdmfWriter")
Xdmf3Writer = _refused_writer("Xdmf3Writer")
XMLPVDWriter = _refused_writer("XMLPVDWriter")
XMLPVAnimationWriter = _refused_writer("XMLPVAnimationWriter")
XMLTableWriter = _refused_writer("XMLTableWriter")
XMLPTableWriter = _refused_writer("XMLPTableWriter")
POBJWriter = _refused_writer("POBJWriter")
XMLHierarchicalBoxDataWriter = _refused_writer("XMLHierarchicalBoxDataWriter")
XMLUniformGridAMRWriter = _refused_writer("XMLUniformGridAMRWriter")
HyperTreeGridWriter = _refused_writer("HyperTreeGridWriter")
XMLPHyperTreeGridWriter = _refused_writer("XMLPHyperTreeGridWriter")
XMLPPartitionedDataSetWriter = _refused_writer("XMLPPartitionedDataSetWriter")
XMLPartitionedDataSetCollectionWriter = _refused_writer("XMLPartitionedDataSetCollectionWriter")

__all__ = ["CreateWriter", *WRITERS, *UNWRITTEN]
