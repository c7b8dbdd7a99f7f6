"""Chart and spreadsheet views in paraview.simple: CreateXYPlotView, CreateBarChartView, and ExportView.

Charts are drawn by the server (rank 0, from the data of all ranks): Render and SaveScreenshot work on them as on
a render view. ExportView writes a spreadsheet view as CSV (see simple.spreadsheet) and a render view as a 3D
scene: '.x3d' (vtkX3DExporter), '.wrl' or '.vrml' (vtkVRMLExporter), '.gltf' (vtkGLTFExporter), '.obj'
(vtkOBJExporter). The scene holds every visible representation's data as fetched (merged over all ranks), drawn
as its surface with the representation's solid colour, opacity and visibility; colouring by an array is written
as the array's values mapped over their range with VTK's default colours.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pvclient.proxy import Proxy
from pvcore.definitions.views_charts import SPREADSHEET_VIEW
from pvcore.errors import PVError
from simple.data import Fetch
from simple.rendering import CreateView, GetActiveView
from simple.spreadsheet import export_spreadsheet

#: The 3D scene formats of ExportView for a render view, by extension, with the VTK exporter that writes each.
SCENE_EXPORTERS = {".x3d": "vtkX3DExporter", ".wrl": "vtkVRMLExporter", ".vrml": "vtkVRMLExporter",
                   ".gltf": "vtkGLTFExporter", ".obj": "vtkOBJExporter"}  # fmt: skip


def CreateXYPlotView(detachedFromLayout: bool = False, **params: Any) -> Proxy:
    """Create a line chart view ('XYChartView') and make it the active view."""
    return CreateView("XYChartView", **params)


def CreateBarChartView(detachedFromLayout: bool = False, **params: Any) -> Proxy:
    """Create a bar chart view ('XYBarChartView') and make it the active view."""
    return CreateView("XYBarChartView", **params)


def ExportView(filename: str | os.PathLike, view: Proxy | None = None, **params: Any) -> None:
    """Export a view: a spreadsheet view to '.csv', a render view to a 3D scene (see the module's help).

    ParaView's exporter options (``params``, e.g. ``Binary``) are accepted and change nothing here."""
    view = view if view is not None else GetActiveView()
    if view is None:
        raise ValueError("No 'view' was provided and no active view was found.")
    if not filename:
        raise ValueError("No filename specified")
    path = Path(filename)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise OSError(f"Cannot export to {str(path)!r}: folder {str(folder)!r} does not exist or is not writable.")
    kind, suffix = view.type_name, path.suffix.lower()
    if kind == SPREADSHEET_VIEW:
        if suffix != ".csv":
            raise PVError(f"Cannot export a spreadsheet view to {path.name!r}: use the extension .csv.")
        export_spreadsheet(view, path, Fetch)
    elif kind == "RenderView":
        if suffix not in SCENE_EXPORTERS:
            raise PVError(
                f"Cannot export a render view to {path.name!r}: use one of the extensions {', '.join(SCENE_EXPORTERS)}."
            )
        _export_scene(view, path, SCENE_EXPORTERS[suffix])
    else:
        raise PVError(f"Cannot export a {kind}: ExportView writes spreadsheet views (.csv) and render views.")


def _actor(rep: Proxy) -> Any:
    """A VTK actor of a representation's surface, with its colour and opacity, from its fetched data."""
    from vtkmodules.vtkFiltersGeometry import vtkDataSetSurfaceFilter
    from vtkmodules.vtkRenderingCore import vtkActor, vtkCompositePolyDataMapper, vtkPolyDataMapper

    data = Fetch(rep.Input)
    surface = vtkDataSetSurfaceFilter()
    surface.SetInputData(data)
    surface.Update()
    output = surface.GetOutputDataObject(0)
    mapper = vtkCompositePolyDataMapper() if output.IsA("vtkCompositeDataSet") else vtkPolyDataMapper()
    mapper.SetInputData(output)
    association, name = rep.ColorArrayName
    if name and not output.IsA("vtkCompositeDataSet"):
        fields = output.GetPointData() if association == "POINTS" else output.GetCellData()
        array = fields.GetArray(name)
        if array is not None:
            if association == "POINTS":
                mapper.SetScalarModeToUsePointFieldData()
            else:
                mapper.SetScalarModeToUseCellFieldData()
            mapper.SelectColorArray(name)
            mapper.SetScalarRange(array.GetRange(-1))
            mapper.ScalarVisibilityOn()
    else:
        mapper.ScalarVisibilityOff()
    actor = vtkActor()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(*rep.DiffuseColor)
    actor.GetProperty().SetOpacity(rep.Opacity)
    return actor


def _export_scene(view: Proxy, path: Path, exporter_name: str) -> None:
    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 - the OpenGL implementations of the render window
    from vtkmodules import vtkIOExport
    from vtkmodules.vtkRenderingCore import vtkRenderer, vtkRenderWindow

    renderer = vtkRenderer()
    renderer.SetBackground(*view.Background)
    for rep in view.Representations:
        if rep.Visibility and rep.Input is not None and rep.type_name == "GeometryRepresentation":
            renderer.AddActor(_actor(rep))
    camera = renderer.GetActiveCamera()
    camera.SetPosition(*view.CameraPosition)
    camera.SetFocalPoint(*view.CameraFocalPoint)
    camera.SetViewUp(*view.CameraViewUp)
    camera.SetViewAngle(view.CameraViewAngle)
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.AddRenderer(renderer)
    window.SetSize(*view.ViewSize)
    window.Render()
    exporter = getattr(vtkIOExport, exporter_name)()
    exporter.SetRenderWindow(window)
    if exporter_name == "vtkOBJExporter":
        exporter.SetFilePrefix(str(path.with_suffix("")))
    else:
        exporter.SetFileName(str(path))
    if exporter_name == "vtkGLTFExporter":
        exporter.InlineDataOn()  # one self-contained file
    exporter.Write()
    window.Finalize()
    if not path.exists() and exporter_name != "vtkOBJExporter":
        raise OSError(f"Cannot write the scene {str(path)!r}.")


__all__ = ["CreateBarChartView", "CreateXYPlotView", "ExportView"]
