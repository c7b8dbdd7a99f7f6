# A sphere's cells shrunk, coloured by elevation along the y axis, seen from an angle.
from paraview.simple import *

sphere = Sphere(ThetaResolution=32, PhiResolution=32)
shrink = Shrink(Input=sphere, ShrinkFactor=0.8)
elevation = Elevation(Input=shrink, LowPoint=[0.0, -0.5, 0.0], HighPoint=[0.0, 0.5, 0.0])
view = GetActiveViewOrCreate("RenderView")
display = Show(elevation, view)
ColorBy(display, ("POINTS", "Elevation"))
camera = GetActiveCamera()
camera.Azimuth(30)
camera.Elevation(20)
view.ResetCamera(False)
Render(view)
