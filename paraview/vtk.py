"""``paraview.vtk``: VTK's common classes (the same module as ``servermanager.vtk``)."""

from __future__ import annotations

import sys

from simple import servermanager_vtk

sys.modules[__name__] = servermanager_vtk
