"""Data as the wire carries it to clients: a VTK XML file in memory.

``Fetch`` sends a dataset as the bytes of the ``.vtp/.vtu/.vti/.vts/.vtr/.vtt`` file ParaView would write (appended
raw binary, no compression), so any client reads it without running anything the server sent: the Python client
with VTK's XML readers, a browser with vtk.js. Only the types listed in :data:`FORMATS` are accepted on either
side, and the bytes are parsed as data, never executed (contrast ``pickle``, which the ranks use only among
themselves over MPI).

Composite data (a multiblock or partitioned dataset) travels as its tree of blocks: a JSON header listing each
block (name, type, parent) followed by the VTK XML file of each dataset (:func:`pack_composite`).
"""

from __future__ import annotations

import json
from typing import Any

#: data type -> (writer, reader) of its VTK XML format.
FORMATS: dict[str, tuple[str, str]] = {
    "vtkPolyData": ("vtkXMLPolyDataWriter", "vtkXMLPolyDataReader"),
    "vtkUnstructuredGrid": ("vtkXMLUnstructuredGridWriter", "vtkXMLUnstructuredGridReader"),
    "vtkImageData": ("vtkXMLImageDataWriter", "vtkXMLImageDataReader"),
    "vtkStructuredGrid": ("vtkXMLStructuredGridWriter", "vtkXMLStructuredGridReader"),
    "vtkRectilinearGrid": ("vtkXMLRectilinearGridWriter", "vtkXMLRectilinearGridReader"),
    "vtkTable": ("vtkXMLTableWriter", "vtkXMLTableReader"),
}

# ----------------------------------------------------------------------------------------------- composite data

#: Composite types that travel, as a tree of blocks whose datasets are each one of :data:`FORMATS`.
COMPOSITE_FORMATS = ("vtkMultiBlockDataSet", "vtkPartitionedDataSetCollection", "vtkPartitionedDataSet")
#: How the bytes of a composite dataset begin: then the header's length (8 bytes, little-endian), the header
#: (JSON: the blocks, each with its name, type, parent and the length of its VTK XML file), and the files.
COMPOSITE_MAGIC = b"PVCOMPOSITE1\n"
#: Blocks a composite dataset may have on the wire, and the most bytes its header may take.
MAX_WIRE_BLOCKS = 100_000
MAX_HEADER_BYTES = 64 * 2**20


def pack_composite(blocks: list[dict[str, Any]], files: list[bytes]) -> bytes:
    """The bytes of a composite dataset: ``blocks`` (by flat index, the root first; each ``name``, ``type``,
    ``parent``) and the VTK XML file of each block whose type is one of :data:`FORMATS`, in block order."""
    sizes = iter(len(f) for f in files)
    with_files = sum(b["type"] in FORMATS for b in blocks)
    if with_files != len(files):
        raise ValueError(f"{with_files} blocks hold datasets, but {len(files)} files were given")
    listed = [{**b, "size": next(sizes) if b["type"] in FORMATS else 0} for b in blocks]
    header = json.dumps({"blocks": listed}, separators=(",", ":")).encode()
    return COMPOSITE_MAGIC + len(header).to_bytes(8, "little") + header + b"".join(files)


def unpack_composite(data_type: str, payload: bytes) -> list[tuple[dict[str, Any], bytes]]:
    """The blocks :func:`pack_composite` made, each with its file (b"" for an inner or empty block), checked: a
    header that is no such list, a parent that does not come before its child, a type that is not allowed
    where it stands, or sizes that do not add up raise ValueError saying which."""
    if not payload.startswith(COMPOSITE_MAGIC) or len(payload) < len(COMPOSITE_MAGIC) + 8:
        raise ValueError(f"the {data_type} data does not begin as composite data does")
    start = len(COMPOSITE_MAGIC) + 8
    length = int.from_bytes(payload[len(COMPOSITE_MAGIC) : start], "little")
    if length > min(MAX_HEADER_BYTES, len(payload) - start):
        raise ValueError(f"its header claims {length} bytes, more than it holds")
    try:
        header = json.loads(payload[start : start + length])
    except RecursionError:  # a header nested deeper than any list of blocks is
        raise ValueError("its header is nested too deep") from None
    blocks = header.get("blocks") if isinstance(header, dict) else None
    if not isinstance(blocks, list) or not 0 < len(blocks) <= MAX_WIRE_BLOCKS:
        raise ValueError(f"its header lists no blocks, or more than {MAX_WIRE_BLOCKS}")
    out, offset = [], start + length
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            raise ValueError(f"block {index} is not described")
        kind, parent, size, name = block.get("type"), block.get("parent"), block.get("size"), block.get("name", "")
        if not isinstance(name, str) or type(parent) is not int or type(size) is not int or size < 0:
            raise ValueError(f"block {index} has no name, parent or size")
        root = index == 0
        if root != (parent == -1) or parent >= index or (root and kind != data_type):
            raise ValueError(f"block {index} has parent {parent}: blocks come after their parent, the root first")
        allowed = COMPOSITE_FORMATS if root else (*COMPOSITE_FORMATS, *FORMATS, "")
        if kind not in allowed or (kind not in FORMATS and size):
            raise ValueError(f"block {index} is of type {str(kind)[:80]!r}, which cannot stand there")
        if not root and blocks[parent].get("type") not in COMPOSITE_FORMATS:
            raise ValueError(f"block {index} has a parent that is not composite")
        out.append((block, payload[offset : offset + size]))
        offset += size
    if offset != len(payload):
        raise ValueError(f"its blocks take {offset} bytes of the {len(payload)} it has")
    return out
