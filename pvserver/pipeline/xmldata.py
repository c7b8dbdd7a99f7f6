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

from pvcore.dataformat import FORMATS
from pvcore.errors import ProtocolError


def to_xml(data: Any) -> tuple[str, bytes]:
    """(the data type, the bytes of its VTK XML file) for a dataset of one of :data:`FORMATS`."""
    data_type = _wire_type(data)
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


def _wire_type(data: Any) -> str:
    """The first of :data:`FORMATS` that ``data`` is (a subclass travels as its VTK base type)."""
    for data_type in FORMATS:
        if data.IsA(data_type):
            return data_type
    raise ProtocolError(f"{data.GetClassName()} cannot be sent to a client; supported: {', '.join(FORMATS)}.")
