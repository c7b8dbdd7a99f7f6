"""Reading what ``Fetch`` receives: a VTK XML file in memory, parsed as data (see :mod:`pvcore.dataformat`)."""

from __future__ import annotations

from typing import Any

from vtkmodules import vtkIOXML

from pvcore.dataformat import COMPOSITE_FORMATS, FORMATS, unpack_composite
from pvcore.errors import ProtocolError
from pvcore.vtkerrors import errors_reported_by


def from_xml(data_type: str, payload: bytes) -> Any:
    """The dataset that the server's :func:`pvserver.pipeline.xmldata.to_xml` encoded; a type outside
    :data:`FORMATS` or unreadable bytes raise ProtocolError. Composite data comes back as its VTK class, every
    block named as on the server."""
    if data_type in COMPOSITE_FORMATS:
        return _composite(data_type, payload)
    if data_type not in FORMATS:
        raise ProtocolError(
            f"The server sent data of type {data_type[:80]!r}; this client reads only {', '.join(sorted(FORMATS))}."
        )
    if not payload.lstrip()[:64].startswith((b"<?xml", b"<VTKFile")):
        raise ProtocolError(f"The server's {data_type} data is not a VTK XML file.")
    reader = getattr(vtkIOXML, FORMATS[data_type][1])()
    reader.ReadFromInputStringOn()
    reader.SetBinaryInputString(payload, len(payload))
    errors = errors_reported_by(reader)
    # The pipeline's own verdict too: with VTK's warnings turned off (a script's choice) no error event comes.
    read = reader.GetExecutive().Update()
    output = reader.GetOutputDataObject(0)
    if not read or errors or output is None or output.GetClassName() != data_type:
        found = "; ".join(errors) or "no data in it"
        raise ProtocolError(f"The server's {data_type} data could not be read: {found[:500]}")
    return output


def _composite(data_type: str, payload: bytes) -> Any:
    """A multiblock or partitioned dataset from its tree of blocks, each dataset read as above."""
    from vtkmodules import vtkCommonDataModel

    try:
        blocks = unpack_composite(data_type, payload)
    except ValueError as exc:
        raise ProtocolError(f"The server's {data_type} data could not be read: {exc}.") from None
    made: list[Any] = []
    filled: dict[int, int] = {}  # parent's index -> children placed so far
    for block, file in blocks:
        kind, parent = block["type"], block["parent"]
        if not kind:
            node = None
        elif kind in COMPOSITE_FORMATS:
            node = getattr(vtkCommonDataModel, kind)()
        else:
            node = from_xml(kind, file)
        made.append(node)
        if parent < 0:
            continue
        owner, position = made[parent], filled.get(parent, 0)
        filled[parent] = position + 1
        if owner.IsA("vtkPartitionedDataSet"):
            if node is not None and not node.IsA("vtkDataSet"):
                raise ProtocolError(f"The server's {data_type} data has a partition that is no dataset.")
            owner.SetPartition(position, node)
            continue
        if owner.IsA("vtkMultiBlockDataSet"):
            owner.SetBlock(position, node)
        elif node is None or node.IsA("vtkPartitionedDataSet"):
            owner.SetPartitionedDataSet(position, node)
        else:
            raise ProtocolError(f"The server's {data_type} data has a collection block that is not partitioned.")
        if block["name"]:
            owner.GetMetaData(position).Set(owner.NAME(), block["name"])
    return made[0]
