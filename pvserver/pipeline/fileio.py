"""Data files and data on one rank: reading a whole file, writing (a piece per rank, or one gathered file),
gathering and merging the ranks' pieces, and leaving out ghost cells.

How the ranks share the reading of a file is in :mod:`pvserver.pipeline.reader`. Every path lives under the
server's data directory (checked by :mod:`pvserver.pipeline.files` before anything reaches the ranks).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np

from pvserver.errors import DataAccessError, PipelineError
from pvserver.pipeline.files import PARTITIONED, READERS, STRUCTURED_WRITERS, WRITERS, extension
from pvserver.pipeline.information import DUPLICATE
from pvserver.pipeline.transfer import dumps


def vtk_instance(name: str, module: str) -> Any:
    """A new object of VTK class ``name`` from ``vtkmodules.<module>``."""
    import importlib

    return getattr(importlib.import_module(f"vtkmodules.{module}"), name)()


def read_whole(path: str) -> Any:
    """Read one file completely (on one rank); multiblock data is merged into one unstructured grid."""
    ext = extension(path)
    cls, module, _ = READERS[ext]
    if not os.path.exists(path):
        raise DataAccessError(f"File {path!r} does not exist on this rank's file system.")
    reader = vtk_instance(cls, module)
    complaints = errors_reported_by(reader)
    if ext == ".csv":
        reader.SetHaveHeaders(True)
        reader.SetDetectNumericColumns(True)
        reader.SetFieldDelimiterCharacters(",")
    if ext in (".exo", ".e"):
        reader.SetFileName(path)
        reader.UpdateInformation()
        reader.SetAllArrayStatus(reader.NODAL, 1)
        reader.SetAllArrayStatus(reader.ELEM_BLOCK, 1)
    else:
        reader.SetFileName(path)
    reader.Update()
    data = reader.GetOutputDataObject(0)
    if data is None or complaints or (hasattr(reader, "GetErrorCode") and reader.GetErrorCode()):
        why = f" ({complaints[0]})" if complaints else ""
        raise DataAccessError(f"Cannot read {Path(path).name!r}: the file is broken or not a {ext} file{why}.")
    if data.IsA("vtkMultiBlockDataSet"):
        merge = _merge_blocks()
        merge.SetInputData(data)
        merge.Update()
        data = merge.GetOutput()
    elif ext == ".vtk" and not data.IsA("vtkUnstructuredGrid"):  # legacy files may hold any type
        data = _to_unstructured(data)
    return data


def errors_reported_by(reader: Any) -> list[str]:
    """The errors ``reader`` reports from now on (a list that fills up), instead of VTK printing them."""
    import re

    complaints: list[str] = []

    def on_error(_obj: Any, _event: str, text: str) -> None:
        lines = [line for line in text.strip().splitlines() if line and not line.startswith("ERROR: In")]
        complaints.append(re.sub(r"^vtk\w+ \(0x[0-9a-f]+\): ", "", " ".join(lines)).strip())

    on_error.CallDataType = "string0"  # VTK passes the message text
    reader.AddObserver("ErrorEvent", on_error)
    return complaints


def _merge_blocks() -> Any:
    """vtkMergeBlocks, which VTK releases keep in different modules."""
    import importlib

    for module in ("vtkFiltersCore", "vtkFiltersParallel", "vtkFiltersGeneral"):
        cls = getattr(importlib.import_module(f"vtkmodules.{module}"), "vtkMergeBlocks", None)
        if cls is not None:
            return cls()
    raise PipelineError("This VTK build has no vtkMergeBlocks: cannot read multiblock files.")


def _to_unstructured(data: Any) -> Any:
    from vtkmodules.vtkFiltersCore import vtkAppendFilter

    append = vtkAppendFilter()
    append.AddInputData(data)
    append.Update()
    return append.GetOutput()


# ----------------------------------------------------------------------------------------------- structured data


STRUCTURED_TYPES = ("vtkImageData", "vtkStructuredGrid", "vtkRectilinearGrid")


def extract_extent(data: Any, extent: list[int]) -> Any:
    """The part of an image, structured or rectilinear grid within ``extent`` (point indices), of the same type."""
    if data.IsA("vtkImageData"):
        from vtkmodules.vtkImagingCore import vtkExtractVOI as Extract
    elif data.IsA("vtkStructuredGrid"):
        from vtkmodules.vtkFiltersExtraction import vtkExtractGrid as Extract
    else:
        from vtkmodules.vtkFiltersExtraction import vtkExtractRectilinearGrid as Extract
    extract = Extract()
    extract.SetInputData(data)
    extract.SetVOI(*extent)
    extract.Update()
    return extract.GetOutput()


# ----------------------------------------------------------------------------------------------- gather / write


def without_ghosts(data: Any) -> Any:
    """The cells a rank owns, without those it holds as copies of a neighbour's (written files have none)."""
    if data is None or data.IsA("vtkTable"):
        return data
    if data.GetCellData().GetArray("vtkGhostType") is None and data.GetPointData().GetArray("vtkGhostType") is None:
        return data
    if data.GetClassName() in STRUCTURED_TYPES:
        return _structured_without_ghosts(data)
    from vtkmodules.vtkFiltersParallel import vtkRemoveGhosts

    remove = vtkRemoveGhosts()
    remove.SetInputData(data)
    remove.Update()
    out = remove.GetOutputDataObject(0)
    for attributes in (out.GetCellData(), out.GetPointData()):
        attributes.RemoveArray("vtkGhostType")
    return out


def _structured_without_ghosts(data: Any) -> Any:
    """The extent of the cells a rank owns (ghost layers lie at the sides of a structured piece)."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    extent = list(data.GetExtent())
    ghosts = data.GetCellData().GetArray("vtkGhostType")
    if ghosts is not None and data.GetNumberOfCells():
        shape = [max(extent[2 * a + 1] - extent[2 * a], 1) for a in (2, 1, 0)]  # cells, z slowest
        owned = (vtk_to_numpy(ghosts).reshape(shape) & DUPLICATE) == 0
        if not owned.any():
            return data.NewInstance()
        for axis in range(3):  # x, y, z: the index box of the owned cells, as point indices
            along = np.nonzero(owned.any(axis=tuple(a for a in range(3) if a != 2 - axis)))[0]
            flat = extent[2 * axis + 1] == extent[2 * axis]  # a 2D grid has no cells across this axis
            extent[2 * axis + 1] = extent[2 * axis] + int(along[-1]) + (0 if flat else 1)
            extent[2 * axis] += int(along[0])
        out = extract_extent(data, extent)
    else:
        out = data.NewInstance()
        out.ShallowCopy(data)
    for attributes in (out.GetCellData(), out.GetPointData()):
        attributes.RemoveArray("vtkGhostType")
    return out


def gather_merged(comm: Any, data: Any) -> Any | None:
    """Every rank's piece (ghost cells left out) merged into one dataset on rank 0 (None elsewhere)."""
    from pvserver.parallel import sync_lazily

    data = without_ghosts(data)
    if comm.Get_size() > 1:
        sync_lazily(comm)
        pieces = comm.gather(dumps(data), root=0)
        if comm.Get_rank() != 0:
            return None
        pieces = [pickle.loads(p) for p in pieces]
    else:
        pieces = [data]
    return merge(pieces)


def merge(pieces: list[Any]) -> Any:
    """Append pieces of one dataset (images by extent, polygonal data as polygonal data)."""
    non_empty = [p for p in pieces if p is not None and _size(p) > 0] or pieces[:1]
    if len(non_empty) == 1:
        return non_empty[0]
    first = non_empty[0]
    if first.GetClassName() in STRUCTURED_TYPES:
        return _merge_structured(non_empty)
    if first.IsA("vtkPolyData"):
        from vtkmodules.vtkFiltersCore import vtkAppendPolyData

        append = vtkAppendPolyData()
    elif first.IsA("vtkTable"):
        return first
    else:
        from vtkmodules.vtkFiltersCore import vtkAppendFilter

        append = vtkAppendFilter()
        append.MergePointsOn()
    for p in non_empty:
        append.AddInputData(p)
    append.Update()
    return append.GetOutputDataObject(0)


def _merge_structured(pieces: list[Any]) -> Any:
    """One image, structured or rectilinear grid covering every piece's extent; where pieces overlap (the plane of
    points neighbours share, ghost layers) they hold the same values."""
    from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
    from vtkmodules.vtkCommonCore import vtkPoints

    extents = np.array([p.GetExtent() for p in pieces])
    whole = [int(extents[:, i].min()) if i % 2 == 0 else int(extents[:, i].max()) for i in range(6)]
    first = pieces[0]
    merged = first.NewInstance()
    merged.SetExtent(*whole)

    def paste(arrays: list[Any], cells: bool) -> np.ndarray:
        """The pieces' arrays of points (or cells) laid into one array of the whole extent, x fastest."""
        offset = 0 if cells else 1  # cells span one index less than points
        shape = [whole[2 * a + 1] - whole[2 * a] + offset for a in (2, 1, 0)]
        sample = next(a for a in arrays if a is not None)
        values = np.zeros((*shape, sample.GetNumberOfComponents()), dtype=vtk_to_numpy(sample).dtype)
        for piece, array in zip(pieces, arrays, strict=True):
            e = piece.GetExtent()
            dims = [e[2 * a + 1] - e[2 * a] + offset for a in (2, 1, 0)]
            if array is None or min(dims) <= 0:
                continue
            z, y, x = (e[2 * a] - whole[2 * a] for a in (2, 1, 0))
            values[z : z + dims[0], y : y + dims[1], x : x + dims[2]] = vtk_to_numpy(array).reshape(*dims, -1)
        return values.reshape(-1, values.shape[-1])

    if first.IsA("vtkImageData"):
        merged.SetOrigin(first.GetOrigin())
        merged.SetSpacing(first.GetSpacing())
        merged.SetDirectionMatrix(first.GetDirectionMatrix())
    elif first.IsA("vtkStructuredGrid"):
        points = vtkPoints()
        points.SetData(numpy_to_vtk(paste([p.GetPoints().GetData() for p in pieces], cells=False), deep=True))
        merged.SetPoints(points)
    else:  # rectilinear: one coordinate array per axis
        for axis, name in enumerate("XYZ"):
            coords = np.zeros(whole[2 * axis + 1] - whole[2 * axis] + 1)
            for piece in pieces:
                lo = piece.GetExtent()[2 * axis] - whole[2 * axis]
                piece_coords = vtk_to_numpy(getattr(piece, f"Get{name}Coordinates")())
                coords[lo : lo + len(piece_coords)] = piece_coords
            getattr(merged, f"Set{name}Coordinates")(numpy_to_vtk(coords, deep=True))
    for kind, cells in (("GetPointData", False), ("GetCellData", True)):
        attributes = getattr(first, kind)()
        for i in range(attributes.GetNumberOfArrays()):
            name = attributes.GetArrayName(i)
            if not name or name == "vtkGhostType" or attributes.GetArray(i) is None:
                continue
            values = paste([getattr(p, kind)().GetArray(name) for p in pieces], cells)
            array = numpy_to_vtk(values if values.shape[1] > 1 else values.ravel(), deep=True)
            array.SetName(name)
            getattr(merged, kind)().AddArray(array)
        scalars = attributes.GetScalars()
        if scalars is not None and scalars.GetName():
            getattr(merged, kind)().SetActiveScalars(scalars.GetName())
    return merged


def _size(data: Any) -> int:
    if data.IsA("vtkTable"):
        return data.GetNumberOfRows()
    return data.GetNumberOfPoints() + data.GetNumberOfCells() if hasattr(data, "GetNumberOfCells") else 0


def write_single(path: str, data: Any) -> None:
    """Write one dataset to one file, the format chosen by the extension."""
    ext = extension(path)
    if ext == ".csv":
        _write_csv(path, data)
        return
    data = _in_format_of(ext, data)
    writer = _xml_settings(
        vtk_instance(WRITERS[ext], "vtkIOXML" if ext.startswith(".vt") and ext != ".vtk" else _writer_module(ext))
    )
    writer.SetFileName(path)
    writer.SetInputData(data)
    if not writer.Write():
        raise DataAccessError(f"Cannot write {path!r}.")


def _xml_settings(writer: Any) -> Any:
    """VTK XML files as ParaView writes them: appended raw binary (VTK's default encodes it as base64, a third
    larger), compressed with zlib at its fastest level (VTK's level 5 writes about 5 times slower, for files
    hardly smaller)."""
    if writer.IsA("vtkXMLWriterBase"):  # serial and parallel XML writers; not legacy .vtk, .stl, .ply
        writer.SetDataModeToAppended()
        writer.EncodeAppendedDataOff()
        writer.SetCompressorTypeToZLib()
        writer.SetCompressionLevel(1)
    return writer


def _writer_module(ext: str) -> str:
    return {".vtk": "vtkIOLegacy", ".stl": "vtkIOGeometry", ".ply": "vtkIOPLY"}[ext]


def _in_format_of(ext: str, data: Any) -> Any:
    """``data`` as the type the format of ``ext`` holds: surfaces and unstructured grids are converted to; a
    structured format takes its own type only."""
    if ext in (".vtp", ".pvtp", ".stl", ".ply") and not data.IsA("vtkPolyData"):
        from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter

        geometry = vtkGeometryFilter()
        geometry.SetInputData(data)
        geometry.Update()
        return geometry.GetOutput()
    if ext in (".vtu", ".pvtu") and not data.IsA("vtkUnstructuredGrid"):
        return _to_unstructured(data)
    wanted = STRUCTURED_WRITERS.get(ext)
    if wanted is not None and not data.IsA(wanted):
        instead = ".pvtu" if ext in PARTITIONED else ".vtu or .vtk"
        raise DataAccessError(f"Cannot write {data.GetClassName()} as {ext} ({wanted} only); use {instead}.")
    return data


def write_piece(comm: Any, path: str, data: Any) -> None:
    """Write this rank's piece of a partitioned file; rank 0 also writes the summary file listing every piece."""
    from pvserver.parallel import sync_lazily

    rank, size = comm.Get_rank(), comm.Get_size()
    ext = extension(path)
    data = _in_format_of(ext, without_ghosts(data))  # every rank holds the same type: all agree, or all refuse
    writer = _xml_settings(vtk_instance(WRITERS[ext], "vtkIOParallelXML"))
    writer.SetFileName(path)
    writer.SetInputData(data)
    writer.SetNumberOfPieces(size)
    writer.SetStartPiece(rank)
    writer.SetEndPiece(rank)
    writer.SetWriteSummaryFile(rank == 0)
    ok = bool(writer.Write())
    extent = list(data.GetExtent()) if ext in STRUCTURED_WRITERS else []
    if size > 1:
        sync_lazily(comm)
        reports = comm.gather((ok, extent), root=0)
    else:
        reports = [(ok, extent)]
    if not ok:
        raise DataAccessError(f"Cannot write piece {rank} of {path!r}.")
    if rank == 0:
        if not all(r[0] for r in reports):
            raise DataAccessError(f"Some ranks could not write their piece of {path!r}.")
        _complete_summary(path, reports)


def _complete_summary(path: str, reports: list[tuple[bool, list[int]]]) -> None:
    """List every rank's piece in the summary file (VTK's writer only knows the pieces of its own process)."""
    import re

    text = Path(path).read_text()
    stem, suffix = Path(path).stem, "." + Path(path).suffix[2:]  # .pvtu -> pieces .vtu
    lines = []
    for piece, (_, extent) in enumerate(reports):
        where = f'Extent="{" ".join(map(str, extent))}" ' if extent else ""
        lines.append(f'    <Piece {where}Source="{stem}_{piece}{suffix}"/>')
    text = re.sub(r"\s*<Piece [^>]*/>", "", text)
    closing = text.rindex("</P")
    text = text[:closing] + "\n".join(lines).lstrip() + "\n  " + text[closing:]
    filled = [e for _, e in reports if e and all(e[2 * a] <= e[2 * a + 1] for a in range(3))]  # not empty pieces
    if filled:
        whole = [min(e[i] for e in filled) if i % 2 == 0 else max(e[i] for e in filled) for i in range(6)]
        text = re.sub(r'WholeExtent="[^"]*"', f'WholeExtent="{" ".join(map(str, whole))}"', text, count=1)
    Path(path).write_text(text)


def _write_csv(path: str, data: Any) -> None:
    """Points and point arrays (or a table's columns) as comma-separated values."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    columns: dict[str, np.ndarray] = {}
    if data.IsA("vtkTable"):
        for i in range(data.GetNumberOfColumns()):
            column = data.GetColumn(i)
            columns[column.GetName() or f"Column{i}"] = vtk_to_numpy(column)
    else:
        if data.GetNumberOfPoints():
            points = vtk_to_numpy(data.GetPoints().GetData())
            for axis, name in enumerate(("Points:0", "Points:1", "Points:2")):
                columns[name] = points[:, axis]
        attributes = data.GetPointData()
        for i in range(attributes.GetNumberOfArrays()):
            array = attributes.GetArray(i)
            if array is None or not array.GetName() or array.GetName() == "vtkGhostType":
                continue
            values = vtk_to_numpy(array)
            if values.ndim == 1:
                columns[array.GetName()] = values
            else:
                for c in range(values.shape[1]):
                    columns[f"{array.GetName()}:{c}"] = values[:, c]
    rows = len(next(iter(columns.values()))) if columns else 0
    with open(path, "w") as out:
        out.write(",".join(f'"{name}"' for name in columns) + "\n")
        table = np.column_stack([columns[k] for k in columns]) if columns else np.zeros((0, 0))
        for r in range(rows):
            out.write(",".join(repr(float(v)) for v in table[r]) + "\n")
