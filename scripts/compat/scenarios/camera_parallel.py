# Parallel projection and a camera set by hand, over a superquadric and an outline.
from paraview.simple import *

superquadric = Superquadric()
outline = OutlineSource(Bounds=[-1.0, 1.0, -1.0, 1.0, -1.0, 1.0])
view = GetActiveViewOrCreate("RenderView")
Show(superquadric, view)
Show(outline, view)
view.CameraParallelProjection = 1
view.CameraPosition = [4.0, 3.0, 5.0]
view.CameraFocalPoint = [0.0, 0.0, 0.0]
view.CameraViewUp = [0.0, 1.0, 0.0]
view.ResetCamera(False)
Render(view)
