"""ParaView's readers by name (``XMLUnstructuredGridReader(FileName=[...])``, ``ExodusIIReader`` ...), so that
scripts calling them run unchanged.

Each reads one format whatever the file is called, through the same parallel reader as ``OpenDataFile`` (the
files beneath the server's data directory only, each rank reading or receiving its part): its ``vtk_class`` is
the adapter ``Reader_<format>`` of :mod:`pvserver.pipeline.adapters_readers`. A list of files is a time series
(``TimestepValues`` 0, 1, 2 ...), as ParaView makes it.

Array selections (``PointArrayStatus``, ``CellArrayStatus``, an Exodus file's ``ElementBlocks`` and variables)
list what to keep; left empty, everything is read (ParaView lists every name of the file there instead).
"""

from __future__ import annotations

from pvcore.definitions.builders import Bool, Double, Doubles, Source, String, Strings, Vec3
from pvcore.domains import FileSeriesDomain
from pvcore.schema import NOT_APPLIED, Applier, Property, ProxySpec


def _files(name: str = "FileName") -> tuple[Property, Property]:
    """The file property (ParaView spells it FileName or FileNames) and the read-only times of its series."""
    return (
        Strings(
            name, doc="The file, or the files of a series (one per time step), beneath the data directory.",
            file_path=True, apply=Applier("setter", "SetFileName"),
        ),
        Doubles(
            "TimestepValues", doc="Times of the series' files (read only).", domain=FileSeriesDomain(name),
            read_only=True,
        ),
    )  # fmt: skip


def _arrays(points: str = "PointArrayStatus", cells: str = "CellArrayStatus") -> tuple[Property, Property]:
    return (
        Strings(points, doc="The point arrays to read (none listed: all).", setter="SetPointArrayStatus"),
        Strings(cells, doc="The cell arrays to read (none listed: all).", setter="SetCellArrayStatus"),
    )


def _xml(name: str, kind: str, what: str) -> ProxySpec:
    return Source(
        name, f"Reader_{kind[1:]}", f"Reads a VTK XML {what} file ({kind}) in parallel.",
        *_files(), *_arrays(),
        String("TimeArray", "TimeValue", doc="Stored only: the times are those of the series.", apply=NOT_APPLIED),
    )  # fmt: skip


def _partitioned(name: str, kind: str, what: str) -> ProxySpec:
    return Source(
        name, f"Reader_{kind[1:]}",
        f"Reads a partitioned VTK XML {what} file ({kind}) and its pieces, each rank its share of the pieces.",
        *_files(), *_arrays(),
        String("TimeArray", "TimeValue", doc="Stored only: the times are those of the series.", apply=NOT_APPLIED),
    )  # fmt: skip


_EXODUS = (
    Bool("ApplyDisplacements", True, doc="Move the points by the nodal displacement variable."),
    Double("DisplacementMagnitude", 1.0, doc="The factor of the displacements."),
    Strings("ElementBlocks", doc="The element blocks to read, by name (none listed: all)."),
    Strings("PointVariables", doc="The nodal variables to read (none listed: all)."),
    Strings("ElementVariables", doc="The element variables to read (none listed: all)."),
    Strings("GlobalVariables", doc="The global variables to read (none listed: all)."),
    Bool("GenerateObjectIdCellArray", True, doc="Add the cell array ObjectId: the block of each cell."),
    Bool("GenerateGlobalElementIdArray", True, doc="Add the cell array GlobalElementId."),
    Bool("GenerateGlobalNodeIdArray", True, doc="Add the point array GlobalNodeId."),
    Bool("AnimateVibrations", True, doc="Stored only.", apply=NOT_APPLIED),
    Bool("UseLegacyBlockNamesWithElementTypes", False, doc="Stored only.", apply=NOT_APPLIED),
)

DEFINITIONS = (
    _xml("XMLUnstructuredGridReader", ".vtu", "unstructured grid"),
    _xml("XMLPolyDataReader", ".vtp", "polygonal data"),
    _xml("XMLImageDataReader", ".vti", "image data"),
    _xml("XMLRectilinearGridReader", ".vtr", "rectilinear grid"),
    _xml("XMLStructuredGridReader", ".vts", "structured grid"),
    _partitioned("XMLPartitionedUnstructuredGridReader", ".pvtu", "unstructured grid"),
    _partitioned("XMLPartitionedPolydataReader", ".pvtp", "polygonal data"),
    _partitioned("XMLPartitionedImageDataReader", ".pvti", "image data"),
    _partitioned("XMLPartitionedRectilinearGridReader", ".pvtr", "rectilinear grid"),
    _partitioned("XMLPartitionedStructuredGridReader", ".pvts", "structured grid"),
    Source(
        "PVDReader", "Reader_pvd",
        "Reads a ParaView data file (.pvd): its datasets are the time steps, at the times it lists.",
        *_files(), *_arrays("PointArrays", "CellArrays"),
        Strings("ColumnArrays", doc="Stored only (tables).", apply=NOT_APPLIED),
    ),
    Source(
        "LegacyVTKReader", "Reader_vtk",
        "Reads a legacy VTK file (.vtk), as an unstructured grid whatever dataset it holds.", *_files("FileNames"),
    ),
    Source("STLReader", "Reader_stl", "Reads a stereolithography file (.stl).", *_files("FileNames")),
    Source(
        "PLYReader", "Reader_ply", "Reads a Stanford polygon file (.ply).", *_files("FileNames"),
        Bool("DuplicatePointsForFaceTexture", True, doc="Stored only.", apply=NOT_APPLIED),
        Double("FaceTextureTolerance", 1e-6, doc="Stored only.", apply=NOT_APPLIED),
    ),
    Source(
        "WavefrontOBJReader", "Reader_obj", "Reads a Wavefront OBJ file (.obj).",
        Strings("FileName", doc="The file, beneath the data directory.", file_path=True),
    ),
    Source(
        "CSVReader", "Reader_csv", "Reads a delimited text file (.csv) as a table, on rank 0.", *_files(),
        Bool("AddTabFieldDelimiter", False, doc="Split fields at tabs too."),
        Bool("DetectNumericColumns", True, doc="Make columns of numbers numeric arrays."),
        String("FieldDelimiterCharacters", ",", doc="The characters that separate fields."),
        Bool("HaveHeaders", True, doc="The first line names the columns."),
        Bool("MergeConsecutiveDelimiters", False, doc="Consecutive delimiters are one."),
        Bool("UseStringDelimiter", True, doc="Double quotes delimit strings."),
    ),
    Source(
        "ExodusIIReader", "Reader_exo",
        "Reads an Exodus II file (its first time step), its blocks merged into one unstructured grid.",
        *_files(), *_EXODUS,
    ),
    Source(
        "IOSSReader", "Reader_ioss",
        "Reads an Exodus II file through IOSS (its first time step), its blocks merged into one unstructured grid.",
        *_files(),
    ),
    Source(
        "TecplotReader", "Reader_tec", "Reads an ASCII Tecplot file, its zones merged into one unstructured grid.",
        *_files("FileNames"),
    ),
    Source(
        "PNGSeriesReader", "Reader_png", "Reads PNG images; several files are a time series.", *_files("FileNames"),
        Vec3("DataSpacing", (1.0, 1.0, 1.0), doc="The spacing of the image's pixels."),
    ),
)  # fmt: skip
