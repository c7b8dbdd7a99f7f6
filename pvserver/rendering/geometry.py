"""What a rank draws of its piece: polygons, and only those that belong to the picture of the whole data set.

A volume's piece has faces where it meets the pieces of other ranks. Opaque, they are hidden inside the volume;
translucent or as a wireframe they would show, and the picture would depend on the number of ranks. So:

- structured pieces (image, rectilinear, structured grids) keep only the faces on the boundary of the whole
  extent (VTK's surface filter takes the whole extent for that), after their ghost layers are cropped;
- other volumes (unstructured grids) are drawn from a piece with one layer of ghost cells (:func:`wants_ghost_cells`):
  VTK's geometry filter leaves out the faces between owned and ghost cells. Sources make the layer, and so do
  the readers of unstructured files (pvserver/pipeline/ghosts.py);
- polygonal data is drawn as it is, less the ghost cells a rank holds as copies of a neighbour's.
"""

from __future__ import annotations

from typing import Any

from pvserver.pipeline.fileio import STRUCTURED_TYPES, without_ghosts


def wants_ghost_cells(data_type: str) -> bool:
    """True for an unstructured volume (by its VTK class name), whose partition faces only ghost cells can tell
    apart."""
    return data_type in ("vtkUnstructuredGrid", "vtkExplicitStructuredGrid")


def drawable_surface(data: Any, whole_extent: list[int] | None) -> Any:
    """The polygonal data to draw for this rank's ``data`` (nothing for data that is not a data set)."""
    from vtkmodules.vtkCommonDataModel import vtkPolyData

    if data is None or not data.IsA("vtkDataSet"):
        return vtkPolyData()
    if data.IsA("vtkPolyData"):
        return without_ghosts(data)  # drawn by their owner: twice, translucent ones would blend twice
    if data.GetClassName() in STRUCTURED_TYPES and whole_extent is not None:
        from vtkmodules.vtkFiltersGeometry import vtkDataSetSurfaceFilter

        owned = without_ghosts(data)
        surface = vtkPolyData()
        if owned.GetNumberOfPoints():
            vtkDataSetSurfaceFilter().StructuredExecute(owned, surface, list(owned.GetExtent()), list(whole_extent))
        return surface
    from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter

    geometry = vtkGeometryFilter()  # leaves out ghost cells and the faces between them and owned cells
    geometry.SetInputData(data)
    geometry.Update()
    surface = vtkPolyData()
    surface.ShallowCopy(geometry.GetOutput())
    return surface
