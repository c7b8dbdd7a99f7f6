# A tube around a line, next to a cone and a semi-transparent cylinder.
from paraview.simple import *

line = Line(Point1=[-1.0, 0.0, 0.0], Point2=[1.0, 0.0, 0.0], Resolution=10)
tube = Tube(Input=line, Radius=0.05)
cone = Cone(Center=[0.0, 1.0, 0.0])
cylinder = Cylinder(Center=[0.0, -1.0, 0.0])
view = GetActiveViewOrCreate("RenderView")
Show(tube, view)
cone_display = Show(cone, view)
cone_display.DiffuseColor = [1.0, 0.5, 0.0]
cylinder_display = Show(cylinder, view)
cylinder_display.Opacity = 0.5
view.ResetCamera(False)
Render(view)
