"""File names the server accepts: which reader or writer an extension means, and the data directory sandbox.

No VTK here: the service checks paths before anything is sent to the ranks.
"""

from __future__ import annotations

from pathlib import Path

from pvserver.errors import DataAccessError

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
}
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
    ".csv": "",
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


def extension(path: str) -> str:
    """The extension that picks the reader (``.vtu``), lower case."""
    return Path(path).suffix.lower()


def resolve(data_dir: Path, path: str, must_exist: bool = True) -> Path:
    """``path`` (relative to the data directory, or absolute) if it lies under the data directory."""
    root = data_dir.resolve()
    try:
        candidate = (root / path).resolve()  # follows symbolic links and "..": what is really opened
        exists = candidate.exists()
    except (OSError, ValueError) as exc:  # a NUL character, a name too long for the file system...
        raise DataAccessError(f"{path[:200]!r} cannot be a file name here: {exc}.") from None
    if candidate != root and root not in candidate.parents:
        raise DataAccessError(f"{path!r} is outside the server's data directory {str(root)!r} (see --data-dir).")
    if must_exist and not exists:
        raise DataAccessError(f"No file {path!r} in the server's data directory {str(root)!r}.")
    return candidate


def check_readable(path: str) -> None:
    """Refuse an extension no reader handles, listing the supported ones."""
    if extension(path) not in READERS:
        raise DataAccessError(
            f"Cannot read {Path(path).name!r}: unsupported extension; supported: {', '.join(sorted(READERS))}."
        )
