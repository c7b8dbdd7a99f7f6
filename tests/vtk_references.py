"""What plain VTK computes in the test process, for the tests of ``simple`` on the built-in session to compare with."""

from __future__ import annotations


def vtk_sphere(**kw):
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    src = vtkSphereSource()
    for key, value in kw.items():
        getattr(src, f"Set{key}")(value)
    src.Update()
    return src


def vtk_wavelet(extent=(-10, 10, -10, 10, -10, 10)):
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    src = vtkRTAnalyticSource()
    src.SetWholeExtent(*extent)
    src.Update()
    return src


def vtk_contour(source, array: str, value: float):
    from vtkmodules.vtkFiltersCore import vtkContourFilter

    contour = vtkContourFilter()
    contour.SetInputConnection(source.GetOutputPort())
    contour.SetInputArrayToProcess(0, 0, 0, 0, array)
    contour.SetValue(0, value)
    contour.ComputeScalarsOn()
    contour.Update()
    return contour.GetOutput()


def counts(data) -> tuple[int, int]:
    return data.GetNumberOfPoints(), data.GetNumberOfCells()
