"""File names the server accepts: which reader or writer an extension means, and the data directory sandbox.

No VTK here: the service checks paths (with :mod:`pvserver.pipeline.sandbox`) before anything is sent to the ranks.
"""

from __future__ import annotations

from pathlib import Path

from pvcore.errors import DataAccessError
from pvserver.pipeline import sandbox

# extension -> (VTK reader class, module, output data type)
READERS: dict[str, tuple[str, str, str]] = {
    ".vtu": ("vtkXMLUnstructuredGridReader", "vtkIOXML", "vtkUnstructuredGrid"),
    ".vtp": ("vtkXMLPolyDataReader", "vtkIOXML", "vtkPolyData"),
    ".vti": ("vtkXMLImageDataReader", "vtkIOXML", "vtkImageData"),
    ".vts": ("vtkXMLStructuredGridReader", "vtkIOXML", "vtkStructuredGrid"),
    ".vtr": ("vtkXMLRectilinearGridReader", "vtkIOXML", "vtkRectilinearGrid"),
    ".vtm": ("vtkXMLMultiBlockDataReader", "vtkIOXML", "vtkUnstructuredGrid"),
    ".pvtu": ("vtkXMLPUnstructuredGridReader", "vtkIOXML", "vtkUnstructuredGrid"),
    ".pvtp": ("vtkXMLPPolyDataReader", "vtkIOXML", "vtkPolyData"),
    ".pvti": ("vtkXMLPImageDataReader", "vtkIOXML", "vtkImageData"),
    ".pvts": ("vtkXMLPStructuredGridReader", "vtkIOXML", "vtkStructuredGrid"),
    ".pvtr": ("vtkXMLPRectilinearGridReader", "vtkIOXML", "vtkRectilinearGrid"),
    ".vtk": ("vtkDataSetReader", "vtkIOLegacy", "vtkUnstructuredGrid"),
    ".stl": ("vtkSTLReader", "vtkIOGeometry", "vtkPolyData"),
    ".ply": ("vtkPLYReader", "vtkIOPLY", "vtkPolyData"),
    ".obj": ("vtkOBJReader", "vtkIOGeometry", "vtkPolyData"),
    ".csv": ("vtkDelimitedTextReader", "vtkIOInfovis", "vtkTable"),
    ".exo": ("vtkExodusIIReader", "vtkIOExodus", "vtkUnstructuredGrid"),
    ".e": ("vtkExodusIIReader", "vtkIOExodus", "vtkUnstructuredGrid"),
    ".ex2": ("vtkExodusIIReader", "vtkIOExodus", "vtkUnstructuredGrid"),
    ".exii": ("vtkExodusIIReader", "vtkIOExodus", "vtkUnstructuredGrid"),
    ".g": ("vtkExodusIIReader", "vtkIOExodus", "vtkUnstructuredGrid"),
    ".gen": ("vtkExodusIIReader", "vtkIOExodus", "vtkUnstructuredGrid"),
    ".png": ("vtkPNGReader", "vtkIOImage", "vtkImageData"),
    ".tec": ("vtkTecplotReader", "vtkIOGeometry", "vtkUnstructuredGrid"),
    ".tp": ("vtkTecplotReader", "vtkIOGeometry", "vtkUnstructuredGrid"),
    ".pvd": ("", "", ""),  # a collection: each of its datasets is read by its own extension (see COLLECTION)
}
#: The file listing the datasets of a time series, each with its time (ParaView's PVD files).
COLLECTION = ".pvd"
#: Formats only a named reader asks for (``IOSSReader``): format -> (VTK reader class, module, output data type).
NAMED_FORMATS: dict[str, tuple[str, str, str]] = {
    "ioss": ("vtkIOSSReader", "vtkIOIOSS", "vtkUnstructuredGrid"),
}
EXODUS = (".exo", ".e", ".ex2", ".exii", ".g", ".gen")
PARTITIONED = (".pvtu", ".pvtp", ".pvti", ".pvts", ".pvtr")
#: Single structured XML files: every rank reads its own extent of the file (VTK reads sub-extents).
STRUCTURED_XML = (".vti", ".vts", ".vtr")
WRITERS: dict[str, str] = {
    ".vtu": "vtkXMLUnstructuredGridWriter",
    ".vtp": "vtkXMLPolyDataWriter",
    ".vti": "vtkXMLImageDataWriter",
    ".vts": "vtkXMLStructuredGridWriter",
    ".vtr": "vtkXMLRectilinearGridWriter",
    ".vtk": "vtkDataSetWriter",
    ".stl": "vtkSTLWriter",
    ".ply": "vtkPLYWriter",
    ".geo": "vtkHoudiniPolyDataWriter",  # Houdini's ASCII geometry (PGEOMETRY), as ParaView's HoudiniWriter
    ".csv": "",
    ".vtm": "",  # composite data: the .vtm and a file per block (pvserver.pipeline.writers.write_blocks)
    ".pvtu": "vtkXMLPUnstructuredGridWriter",
    ".pvtp": "vtkXMLPPolyDataWriter",
    ".pvti": "vtkXMLPImageDataWriter",
    ".pvts": "vtkXMLPStructuredGridWriter",
    ".pvtr": "vtkXMLPRectilinearGridWriter",
}
#: The data type a structured format holds (other formats convert what they are given).
STRUCTURED_WRITERS: dict[str, str] = {
    ".vti": "vtkImageData",
    ".pvti": "vtkImageData",
    ".vts": "vtkStructuredGrid",
    ".pvts": "vtkStructuredGrid",
    ".vtr": "vtkRectilinearGrid",
    ".pvtr": "vtkRectilinearGrid",
}


def reader_of(kind: str) -> tuple[str, str, str]:
    """The VTK reader class, its module and the output data type of a format (an extension of :data:`READERS`
    or a name of :data:`NAMED_FORMATS`)."""
    return READERS[kind] if kind in READERS else NAMED_FORMATS[kind]


def extension(path: str) -> str:
    """The extension that picks the reader (``.vtu``), lower case."""
    return Path(path).suffix.lower()


def resolve(data_dir: Path, path: str, must_exist: bool = True) -> Path:
    """``path`` (relative to the data directory, or absolute beneath it) as an absolute path, once its file (or,
    to write, its folder) was opened without leaving the data directory or following a link.

    An early, clear refusal only: the ranks open the file again, the same way, when they read or write it.
    """
    return Path(sandbox.canonical(data_dir.resolve(), path, must_exist))


def present(data_dir: Path | None, path: Path) -> bool:
    """Whether ``path`` names anything, a link included (which is then refused when opened)."""
    return path.exists() if data_dir is None else sandbox.exists(data_dir.resolve(), str(path))


def piece_names(path: str, pieces: int) -> list[str]:
    """The file names of the pieces of a partitioned file (``wave.pvtu``: ``wave_0.vtu``...), as VTK names them."""
    stem, suffix = Path(path).stem, "." + Path(path).suffix[2:]
    return [f"{stem}_{piece}{suffix}" for piece in range(pieces)]


def written(path: str, ranks: int) -> str:
    """The files a SaveData of ``path`` on ``ranks`` ranks writes, for people."""
    if extension(path) not in PARTITIONED:
        return path
    pieces = piece_names(path, ranks)
    listed = ", ".join(pieces) if len(pieces) <= 8 else f"{pieces[0]} ... {pieces[-1]}"
    return f"{path} and its {len(pieces)} pieces {listed}"


def check_readable(path: str) -> None:
    """Refuse an extension no reader handles, listing the supported ones."""
    if extension(path) not in READERS:
        raise DataAccessError(
            f"Cannot read {Path(path).name!r}: unsupported extension; supported: {', '.join(sorted(READERS))}."
        )
