"""Data as the wire carries it to clients: a VTK XML file in memory.

``Fetch`` sends a dataset as the bytes of the ``.vtp/.vtu/.vti/.vts/.vtr/.vtt`` file ParaView would write (appended
raw binary, no compression), so any client reads it without running anything the server sent: the Python client
with VTK's XML readers, a browser with vtk.js. Only the types listed in :data:`FORMATS` are accepted on either
side, and the bytes are parsed as data, never executed (contrast ``pickle``, which the ranks use only among
themselves over MPI).
"""

from __future__ import annotations

#: data type -> (writer, reader) of its VTK XML format.
FORMATS: dict[str, tuple[str, str]] = {
    "vtkPolyData": ("vtkXMLPolyDataWriter", "vtkXMLPolyDataReader"),
    "vtkUnstructuredGrid": ("vtkXMLUnstructuredGridWriter", "vtkXMLUnstructuredGridReader"),
    "vtkImageData": ("vtkXMLImageDataWriter", "vtkXMLImageDataReader"),
    "vtkStructuredGrid": ("vtkXMLStructuredGridWriter", "vtkXMLStructuredGridReader"),
    "vtkRectilinearGrid": ("vtkXMLRectilinearGridWriter", "vtkXMLRectilinearGridReader"),
    "vtkTable": ("vtkXMLTableWriter", "vtkXMLTableReader"),
}
