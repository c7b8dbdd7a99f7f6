"""Data files and data on one rank: reading a whole file, gathering and merging the ranks' pieces, and leaving out
ghost cells (writing is in :mod:`pvserver.pipeline.writers`).

How the ranks share the reading of a file is in :mod:`pvserver.pipeline.reader`. Every file is opened through
:mod:`pvserver.pipeline.sandbox`: beneath the data directory, no link followed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np

from pvcore.errors import DataAccessError, PipelineError
from pvcore.vtkerrors import errors_reported_by
from pvcore.xmldocs import parse_xml
from pvserver.pipeline import sandbox
from pvserver.pipeline.files import COLLECTION, PARTITIONED, READERS, extension, reader_of
from pvserver.pipeline.information import DUPLICATE
from pvserver.pipeline.reader_formats import configure

#: How deep .vtm files may name other .vtm files.
MAX_BLOCK_NESTING = 8


def vtk_instance(name: str, module: str) -> Any:
    """A new object of VTK class ``name`` from ``vtkmodules.<module>``."""
    import importlib

    return getattr(importlib.import_module(f"vtkmodules.{module}"), name)()


def read_whole(path: str, nesting: int = 0, kind: str = "", settings: dict[str, Any] | None = None) -> Any:
    """Read one file completely (on one rank); multiblock data is merged into one unstructured grid.

    ``kind`` is the format (default: the file's extension); ``settings`` what a named reader sets on VTK's
    reader (see :func:`pvserver.pipeline.reader_formats.configure`)."""
    ext = kind or extension(path)
    if ext == ".vtm":
        data, complaints, failed = _read_blocks(path, nesting), [], False
    else:
        cls, module, _ = reader_of(ext)
        reader = vtk_instance(cls, module)
        complaints = errors_reported_by(reader)
        with sandbox.reading(path) as name:
            reader.SetFileName(name)
            configure(reader, ext, settings or {})
            reader.Update()
        data = reader.GetOutputDataObject(0)
        failed = hasattr(reader, "GetErrorCode") and bool(reader.GetErrorCode())
    if data is None or complaints or failed:
        why = f" ({complaints[0]})" if complaints else ""
        raise DataAccessError(f"Cannot read {Path(path).name!r}: the file is broken or not a {ext} file{why}.")
    if data.IsA("vtkCompositeDataSet"):  # Exodus, Tecplot: blocks; IOSS: a partitioned dataset collection
        merge = _merge_blocks()
        merge.SetInputData(data)
        merge.Update()
        data = merge.GetOutput()
    elif ext == ".vtk" and not data.IsA("vtkUnstructuredGrid"):  # legacy files may hold any type
        data = to_unstructured(data)
    return data


def _read_blocks(path: str, nesting: int) -> Any:
    """The datasets a ``.vtm`` file names, each read through the sandbox relative to the ``.vtm`` file's folder
    (VTK's own reader would open them by name, following links, and picks their reader by extension, so it cannot
    be given them as /proc/self/fd names)."""
    from vtkmodules.vtkCommonDataModel import vtkMultiBlockDataSet

    if nesting >= MAX_BLOCK_NESTING:
        raise DataAccessError(f"{Path(path).name!r}: .vtm files nested more than {MAX_BLOCK_NESTING} deep.")
    try:
        tree = parse_xml(sandbox.read_text(path), str(path))
    except ElementTree.ParseError as exc:
        raise DataAccessError(
            f"Cannot read {Path(path).name!r}: the file is broken or not a .vtm file ({exc})."
        ) from None
    blocks = vtkMultiBlockDataSet()
    for element in tree.iter():
        source = element.get("file")
        if source:
            block = sandbox.beside(path, source)
            if extension(block) not in READERS or extension(block) in (*PARTITIONED, COLLECTION):
                raise DataAccessError(f"{Path(path).name!r} names {source!r}, which it cannot hold as a block.")
            blocks.SetBlock(blocks.GetNumberOfBlocks(), read_whole(block, nesting + 1))
    return blocks


def _merge_blocks() -> Any:
    """vtkMergeBlocks, which VTK releases keep in different modules."""
    import importlib

    for module in ("vtkFiltersCore", "vtkFiltersParallel", "vtkFiltersGeneral"):
        cls = getattr(importlib.import_module(f"vtkmodules.{module}"), "vtkMergeBlocks", None)
        if cls is not None:
            return cls()
    raise PipelineError("This VTK build has no vtkMergeBlocks: cannot read multiblock files.")


def to_unstructured(data: Any) -> Any:
    """``data`` as an unstructured grid."""
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


# ----------------------------------------------------------------------------------------------- gather


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
