"""``servermanager.vtk`` and ``paraview.vtk``: VTK's common classes in one module, as ParaView's ``paraview.vtk``
gives them (core, data model, execution model, math, misc, system, transforms, computational geometry, the core
filters, ``vtkCamera``), for scripts that build or read VTK objects on the client (``vtk.vtkPolyData()``)."""

from __future__ import annotations

import vtkmodules
from vtkmodules.vtkCommonComputationalGeometry import *  # noqa: F403
from vtkmodules.vtkCommonCore import *  # noqa: F403
from vtkmodules.vtkCommonDataModel import *  # noqa: F403
from vtkmodules.vtkCommonExecutionModel import *  # noqa: F403
from vtkmodules.vtkCommonMath import *  # noqa: F403
from vtkmodules.vtkCommonMisc import *  # noqa: F403
from vtkmodules.vtkCommonSystem import *  # noqa: F403
from vtkmodules.vtkCommonTransforms import *  # noqa: F403
from vtkmodules.vtkFiltersCore import *  # noqa: F403
from vtkmodules.vtkFiltersProgrammable import *  # noqa: F403
from vtkmodules.vtkParallelCore import *  # noqa: F403
from vtkmodules.vtkRenderingCore import vtkCamera  # noqa: F401

# As ParaView's: the module stands where the vtkmodules package is, so that ``paraview.vtk.util.misc`` and
# ``paraview.vtk.vtkFiltersSources`` import VTK's own modules.
__path__ = vtkmodules.__path__
