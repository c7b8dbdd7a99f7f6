"""Reading what ``Fetch`` receives: a VTK XML file in memory, parsed as data (see :mod:`pvcore.dataformat`)."""

from __future__ import annotations

from typing import Any

from vtkmodules import vtkIOXML

from pvcore.dataformat import FORMATS
from pvcore.errors import ProtocolError
from pvcore.vtkerrors import errors_reported_by


def from_xml(data_type: str, payload: bytes) -> Any:
    """The dataset that the server's :func:`pvserver.pipeline.xmldata.to_xml` encoded; a type outside
    :data:`FORMATS` or unreadable bytes raise ProtocolError."""
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
