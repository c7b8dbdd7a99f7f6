# A fine plane warped by its elevation: a carpet plot.
from paraview.simple import *

plane = Plane(XResolution=40, YResolution=40)
elevation = Elevation(Input=plane, LowPoint=[-0.5, -0.5, 0.0], HighPoint=[0.5, 0.5, 0.0])
warp = WarpByScalar(Input=elevation, Scalars=["POINTS", "Elevation"], ScaleFactor=0.5)
view = GetActiveViewOrCreate("RenderView")
display = Show(warp, view)
ColorBy(display, ("POINTS", "Elevation"))
camera = GetActiveCamera()
camera.Elevation(-60)
view.ResetCamera(False)
Render(view)
