# Two render views side by side in one layout: the data in one, its outline in the other.
from paraview.simple import *

sphere = Sphere()
left = GetActiveViewOrCreate("RenderView")
Show(sphere, left)
layout = GetLayout(left)
layout.SplitHorizontal(0, 0.5)
right = CreateView("RenderView")
AssignViewToLayout(view=right, layout=layout, hint=2)
outline = Show(sphere, right)
outline.SetRepresentationType("Outline")
Render(left)
Render(right)
