"""VTK data objects as the wire carries them to clients: a VTK XML file in memory.

``Fetch`` sends a dataset as the bytes of the ``.vtp/.vtu/.vti/.vts/.vtr/.vtt`` file ParaView would write (appended
raw binary, no compression), so any client reads it without running anything the server sent: the Python client
with VTK's XML readers, a browser with vtk.js. Only the types listed in :data:`FORMATS` are accepted on either
side, and the bytes are parsed as data, never executed (contrast ``pickle``, which the ranks use only among
themselves over MPI).
"""

from __future__ import annotations

from typing import Any

from vtkmodules import vtkIOXML
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkTable

from pvcore.dataformat import COMPOSITE_FORMATS, FORMATS, pack_composite
from pvcore.errors import ProtocolError
from pvserver.pipeline.composite import block_name


def to_xml(data: Any) -> tuple[str, bytes]:
    """(the data type, the bytes of its VTK XML file) for a dataset of one of :data:`FORMATS`; for composite data,
    its tree with the file of each dataset (:func:`pvcore.dataformat.pack_composite`)."""
    if data.IsA("vtkCompositeDataSet"):
        return _composite_to_xml(data)
    data_type = _wire_type(data)
    if data_type == "vtkTable" and data.GetInformation().Has(vtkDataObject.DATA_TIME_STEP()):
        # VTK's table writer writes a time-stamped table's time entry without its rows: send a copy without it.
        data = _without_time(data)
    writer = getattr(vtkIOXML, FORMATS[data_type][0])()
    writer.SetInputData(data)
    writer.SetWriteToOutputString(True)
    writer.SetDataModeToAppended()
    writer.EncodeAppendedDataOff()  # raw bytes: no base64 to encode or decode
    writer.SetCompressorTypeToNone()  # the wire is loopback or a cluster network; zlib would cost more than it saves
    writer.SetHeaderTypeToUInt64()
    if not writer.Write():
        raise ProtocolError(f"VTK could not write {data_type} as XML.")
    output = writer.GetOutputString()  # VTK hands out str when the bytes happen to be valid UTF-8
    return data_type, output.encode("utf-8", "surrogateescape") if isinstance(output, str) else output


def _without_time(table: Any) -> Any:
    copy = vtkTable()
    copy.ShallowCopy(table)
    copy.GetInformation().Remove(vtkDataObject.DATA_TIME_STEP())
    return copy


def _wire_type(data: Any) -> str:
    """The first of :data:`FORMATS` that ``data`` is (a subclass travels as its VTK base type)."""
    for data_type in FORMATS:
        if data.IsA(data_type):
            return data_type
    raise ProtocolError(f"{data.GetClassName()} cannot be sent to a client; supported: {', '.join(FORMATS)}.")


def _composite_to_xml(data: Any) -> tuple[str, bytes]:
    """A multiblock or partitioned dataset: every node of its tree (partitions are children of their
    partitioned dataset), and the VTK XML file of each dataset."""
    data_type = next((t for t in COMPOSITE_FORMATS if data.IsA(t)), "")
    if not data_type:
        supported = ", ".join(COMPOSITE_FORMATS)
        raise ProtocolError(f"{data.GetClassName()} cannot be sent to a client; supported: {supported}.")
    blocks: list[dict[str, Any]] = []
    files: list[bytes] = []
    stack: list[tuple[str, Any, int]] = [("", data, -1)]
    while stack:
        name, node, parent = stack.pop()
        index = len(blocks)
        if node is None:
            kind = ""
        elif node.IsA("vtkCompositeDataSet"):
            kind = next((t for t in COMPOSITE_FORMATS if node.IsA(t)), "")
            if not kind:
                raise ProtocolError(f"A block of type {node.GetClassName()} cannot be sent to a client.")
            stack.extend((n, child, index) for n, child in reversed(_children(node)))
        else:
            kind, file = to_xml(node)
            files.append(file)
        blocks.append({"name": name, "type": kind, "parent": parent})
    return data_type, pack_composite(blocks, files)


def _children(node: Any) -> list[tuple[str, Any]]:
    if node.IsA("vtkPartitionedDataSet"):
        return [("", node.GetPartition(i)) for i in range(node.GetNumberOfPartitions())]
    if node.IsA("vtkMultiBlockDataSet"):
        count, get = node.GetNumberOfBlocks(), node.GetBlock
    else:
        count, get = node.GetNumberOfPartitionedDataSets(), node.GetPartitionedDataSet
    return [(block_name(node, i), get(i)) for i in range(count)]
