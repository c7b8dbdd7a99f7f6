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

from pvserver.pipeline.composite import is_composite, leaves
from pvserver.pipeline.fileio import STRUCTURED_TYPES, without_ghosts
from pvserver.rendering.text import text_carrier
from pvserver.rendering.volumes import VOLUME_TYPES, remember_image


def wants_ghost_cells(data_type: str) -> bool:
    """True for an unstructured volume (by its VTK class name), whose partition faces only ghost cells can tell
    apart. Not for composite data: a filter on composite data (a Shrink of a GroupDatasets) that ran without
    ghost cells first (for its data information) and then with them lost some ranks' blocks on 3 ranks
    (tests/multiprocess/test_composite_parallel.py); so an unstructured block drawn translucent on several ranks
    shows the faces between the ranks' pieces."""
    return data_type in ("vtkUnstructuredGrid", "vtkExplicitStructuredGrid")


def drawable_surface(data: Any, whole_extent: list[int] | None) -> Any:
    """The polygonal data to draw for this rank's ``data`` (nothing for data that is not a data set); composite
    data: the surfaces of all its datasets as one; a table: nothing, carrying its text for the overlay."""
    from vtkmodules.vtkCommonDataModel import vtkPolyData

    if data is not None and is_composite(data):
        return _composite_surface(data)
    if data is not None and data.IsA("vtkTable"):  # a text output: drawn by the overlay (rendering/text.py)
        return text_carrier(data)
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
            if owned.GetClassName() in VOLUME_TYPES:  # drawn from the image itself as 'Volume'
                remember_image(surface, owned)
        return surface
    from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter

    geometry = vtkGeometryFilter()  # leaves out ghost cells and the faces between them and owned cells
    geometry.SetInputData(data)
    geometry.Update()
    surface = vtkPolyData()
    surface.ShallowCopy(geometry.GetOutput())
    return surface


def _composite_surface(data: Any) -> Any:
    """Every dataset's surface appended into one polygonal dataset (one actor draws all the blocks). An array
    that only some blocks have is given to the others as NaN (drawn in the NaN colour), so that appending keeps
    it; a structured block's ghost layers hide the faces between ranks as an unstructured one's do."""
    from vtkmodules.vtkCommonDataModel import vtkPolyData
    from vtkmodules.vtkFiltersCore import vtkAppendPolyData

    surfaces = [s for s in (drawable_surface(leaf, None) for leaf in leaves(data)) if s.GetNumberOfPoints()]
    if not surfaces:
        return vtkPolyData()
    if len(surfaces) == 1:
        return surfaces[0]
    for kind in ("GetPointData", "GetCellData"):
        _fill_partial_arrays(
            [getattr(s, kind)() for s in surfaces],
            [s.GetNumberOfPoints() if kind == "GetPointData" else s.GetNumberOfCells() for s in surfaces],
        )
    append = vtkAppendPolyData()
    for surface in surfaces:
        append.AddInputData(surface)
    append.Update()
    out = vtkPolyData()
    out.ShallowCopy(append.GetOutput())
    return out


def _fill_partial_arrays(attributes: list[Any], counts: list[int]) -> None:
    """Give every attribute set the floating-point arrays any of them has, NaN-filled where missing (appending
    keeps only the arrays all its inputs have)."""
    wanted: dict[str, Any] = {}
    for attrs in attributes:
        for i in range(attrs.GetNumberOfArrays()):
            array = attrs.GetArray(i)
            if array is not None and array.GetName() and array.GetDataTypeAsString() in ("float", "double"):
                wanted.setdefault(array.GetName(), array)
    for attrs, count in zip(attributes, counts, strict=True):
        for name, like in wanted.items():
            if attrs.GetArray(name) is None:
                filler = like.NewInstance()
                filler.SetName(name)
                filler.SetNumberOfComponents(like.GetNumberOfComponents())
                filler.SetNumberOfTuples(count)
                filler.Fill(float("nan"))
                attrs.AddArray(filler)
