# A 2D Delaunay triangulation of a plane's points, shown with its edges.
from paraview.simple import *

plane = Plane(XResolution=12, YResolution=8)
delaunay = Delaunay2D(Input=plane)
view = GetActiveViewOrCreate("RenderView")
display = Show(delaunay, view)
display.SetRepresentationType("Surface With Edges")
view.ResetCamera(False)
Render(view)
