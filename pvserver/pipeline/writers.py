"""Writing data files: one file gathered on rank 0, or a piece per rank and the summary file.

Every file is written through :class:`pvserver.pipeline.sandbox.PendingWrite`: into a private scratch folder
first, then put in place in one step, never through a link nor into an existing file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np

from pvcore.errors import DataAccessError
from pvserver.parallel import raise_unless_all_succeeded, sync_lazily
from pvserver.pipeline import sandbox
from pvserver.pipeline.composite import nodes
from pvserver.pipeline.fileio import to_unstructured, vtk_instance, without_ghosts
from pvserver.pipeline.files import PARTITIONED, STRUCTURED_WRITERS, WRITERS, extension, piece_names


def write_single(path: str, data: Any, overwrite: bool = False) -> None:
    """Write one dataset to one file, the format chosen by the extension (see :class:`sandbox.PendingWrite`)."""
    ext = extension(path)
    if ext == ".vtm":
        write_blocks(path, data, overwrite)
        return
    data = as_dataset(data)
    name = Path(path).name
    with sandbox.PendingWrite(path, overwrite=overwrite) as out:
        if ext == ".csv":
            _write_csv(out.scratch(name), data)
        else:
            data = _in_format_of(ext, data)
            module = "vtkIOXML" if ext.startswith(".vt") and ext != ".vtk" else _writer_module(ext)
            writer = _xml_settings(vtk_instance(WRITERS[ext], module))
            writer.SetFileName(out.scratch(name))
            writer.SetInputData(data)
            if not writer.Write():
                raise DataAccessError(f"Cannot write {path!r}.")
        out.publish(name)


#: The VTK XML format each dataset type of a ``.vtm`` file's blocks is written in (others as ``.vtu``).
BLOCK_FORMATS = {
    "vtkPolyData": ".vtp",
    "vtkUnstructuredGrid": ".vtu",
    "vtkImageData": ".vti",
    "vtkStructuredGrid": ".vts",
    "vtkRectilinearGrid": ".vtr",
}


def write_blocks(path: str, data: Any, overwrite: bool = False) -> None:
    """Write composite data as a ``.vtm`` file and a VTK XML file per dataset beside it (``name_<i>.vtp``, by
    the block's composite index): the ``.vtm`` names the blocks and their files, in the tree they form. A
    dataset is written as a multiblock of one block; partitioned data as the multiblock VTK converts it to."""
    data = as_multiblock(data)
    stem = Path(path).stem
    root = ElementTree.Element("VTKFile", type="vtkMultiBlockDataSet", version="1.0", byte_order="LittleEndian")
    tree = nodes(data)
    place = {child: position for node in tree for position, child in enumerate(node.children)}
    elements = {0: ElementTree.SubElement(root, "vtkMultiBlockDataSet")}
    written: list[tuple[str, Any]] = []
    for index, node in enumerate(tree[1:], start=1):
        attributes = {"index": str(place[index]), "name": node.name}
        if node.data is not None and node.data.IsA("vtkMultiBlockDataSet"):
            elements[index] = ElementTree.SubElement(elements[node.parent], "Block", attributes)
            continue
        element = ElementTree.SubElement(elements[node.parent], "DataSet", attributes)
        block = node.data
        if block is not None and block.IsA("vtkPartitionedDataSet"):  # one file: its one partition, or merged
            count = block.GetNumberOfPartitions()
            block = None if count == 0 else block.GetPartition(0) if count == 1 else as_dataset(block)
        if block is None:
            continue
        name = f"{stem}_{index}{BLOCK_FORMATS.get(block.GetClassName(), '.vtu')}"
        element.set("file", name)
        written.append((name, block))
    with sandbox.PendingWrite(path, overwrite=overwrite) as out:
        names = [Path(path).name] + [name for name, _ in written]
        for name in names:
            out.check(name)  # refuse before anything is put in place
        for name, block in written:
            ext = extension(name)
            writer = _xml_settings(vtk_instance(WRITERS[ext], "vtkIOXML"))
            writer.SetFileName(out.scratch(name))
            writer.SetInputData(_in_format_of(ext, block))
            if not writer.Write():
                raise DataAccessError(f"Cannot write {name!r}, a block of {path!r}.")
        ElementTree.indent(root)
        Path(out.scratch(names[0])).write_bytes(ElementTree.tostring(root, xml_declaration=True, encoding="utf-8"))
        for name in names[1:] + names[:1]:  # the .vtm last: it names files that are then in place
            out.publish(name)


def as_multiblock(data: Any) -> Any:
    """``data`` as a vtkMultiBlockDataSet: itself, partitioned data converted, a dataset as its one block."""
    from vtkmodules.vtkCommonDataModel import vtkMultiBlockDataSet

    if data.IsA("vtkMultiBlockDataSet"):
        return data
    if data.IsA("vtkCompositeDataSet"):
        from vtkmodules.vtkFiltersCore import vtkConvertToMultiBlockDataSet

        convert = vtkConvertToMultiBlockDataSet()
        convert.SetInputData(data)
        convert.Update()
        return convert.GetOutput()
    single = vtkMultiBlockDataSet()
    single.SetBlock(0, data)
    return single


def as_dataset(data: Any) -> Any:
    """Composite data as one unstructured grid (its datasets merged, as MergeBlocks does), for a format that
    holds one dataset; a dataset as it is."""
    if data is None or not data.IsA("vtkCompositeDataSet"):
        return data
    from vtkmodules.vtkFiltersParallel import vtkMergeBlocks

    merge = vtkMergeBlocks()
    merge.SetInputData(data)
    merge.Update()
    return merge.GetOutputDataObject(0)


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
    return {".vtk": "vtkIOLegacy", ".stl": "vtkIOGeometry", ".ply": "vtkIOPLY", ".geo": "vtkIOGeometry"}[ext]


def _in_format_of(ext: str, data: Any) -> Any:
    """``data`` as the type the format of ``ext`` holds: surfaces and unstructured grids are converted to; a
    structured format takes its own type only."""
    if ext in (".vtp", ".pvtp", ".stl", ".ply", ".geo") and not data.IsA("vtkPolyData"):
        from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter

        geometry = vtkGeometryFilter()
        geometry.SetInputData(data)
        geometry.Update()
        return geometry.GetOutput()
    if ext in (".vtu", ".pvtu") and not data.IsA("vtkUnstructuredGrid"):
        return to_unstructured(data)
    wanted = STRUCTURED_WRITERS.get(ext)
    if wanted is not None and not data.IsA(wanted):
        instead = ".pvtu" if ext in PARTITIONED else ".vtu or .vtk"
        raise DataAccessError(f"Cannot write {data.GetClassName()} as {ext} ({wanted} only); use {instead}.")
    return data


def write_piece(comm: Any, path: str, data: Any, overwrite: bool = False) -> None:
    """Write this rank's piece of a partitioned file; rank 0 also writes the summary file listing every piece.

    Every rank writes into a scratch folder of its own first; nothing is put in place unless every rank wrote its
    piece and none of the names is a link or someone else's file.
    """
    rank, size = comm.Get_rank(), comm.Get_size()
    ext = extension(path)
    data = _in_format_of(ext, without_ghosts(as_dataset(data)))  # every rank the same type: all agree or refuse
    summary, piece = Path(path).name, piece_names(path, size)[rank]
    out, failure = None, None
    try:
        out = sandbox.PendingWrite(path, overwrite=overwrite)
        writer = _xml_settings(vtk_instance(WRITERS[ext], "vtkIOParallelXML"))
        writer.SetFileName(out.scratch(summary))  # the pieces go beside it, named as piece_names() says
        writer.SetInputData(data)
        writer.SetNumberOfPieces(size)
        writer.SetStartPiece(rank)
        writer.SetEndPiece(rank)
        writer.SetWriteSummaryFile(rank == 0)
        if not writer.Write():
            raise DataAccessError(f"Cannot write piece {rank} of {path!r}.")
        out.check(piece)
        if rank == 0:
            out.check(summary)
    except Exception as exc:  # whatever it is, the others must learn of it before any file is put in place
        failure = exc if isinstance(exc, DataAccessError) else DataAccessError(f"Cannot write {path!r}: {exc}")
    try:
        raise_unless_all_succeeded(comm, failure, f"Another rank could not write its piece of {path!r}.")
        try:
            out.publish(piece)
            published: DataAccessError | None = None
        except DataAccessError as exc:
            published = exc
        extent = list(data.GetExtent()) if ext in STRUCTURED_WRITERS else []
        if size > 1:
            sync_lazily(comm)
            reports = comm.gather((published is None, extent), root=0)
        else:
            reports = [(published is None, extent)]
        if published is not None:
            raise published
        if rank == 0:
            if not all(r[0] for r in reports):
                raise DataAccessError(f"Some ranks could not write their piece of {path!r}.")
            _complete_summary(out.scratch(summary), reports)
            out.publish(summary)
    finally:
        if out is not None:
            out.close()


def _complete_summary(path: str, reports: list[tuple[bool, list[int]]]) -> None:
    """List every rank's piece in the summary file (VTK's writer only knows the pieces of its own process)."""

    text = Path(path).read_text()
    lines = []
    for name, (_, extent) in zip(piece_names(path, len(reports)), reports, strict=True):
        where = f'Extent="{" ".join(map(str, extent))}" ' if extent else ""
        lines.append(f'    <Piece {where}Source="{name}"/>')
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
