# Half of the Wavelet clipped away by a plane, drawn as a surface with edges.
from paraview.simple import *

wavelet = Wavelet()
clip = Clip(Input=wavelet)
clip.ClipType = "Plane"
clip.ClipType.Origin = [0.0, 0.0, 0.0]
clip.ClipType.Normal = [1.0, 1.0, 0.0]
view = GetActiveViewOrCreate("RenderView")
display = Show(clip, view)
display.SetRepresentationType("Surface With Edges")
ColorBy(display, ("POINTS", "RTData"))
view.ResetCamera(False)
Render(view)
