"""What plain VTK computes in the test process, to compare a server's results with."""

from __future__ import annotations


def vtk_sphere_output():
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    src = vtkSphereSource()
    src.Update()
    return src.GetOutput()
