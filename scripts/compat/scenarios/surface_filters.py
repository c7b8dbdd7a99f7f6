# A decimated, smoothed sphere with generated normals, coloured by normals' magnitude.
from paraview.simple import *

sphere = Sphere(ThetaResolution=48, PhiResolution=48)
triangles = Triangulate(Input=sphere)
decimate = Decimate(Input=triangles)
decimate.TargetReduction = 0.5
smooth = Smooth(Input=decimate)
normals = GenerateSurfaceNormals(Input=smooth)
view = GetActiveViewOrCreate("RenderView")
display = Show(normals, view)
ColorBy(display, ("POINTS", "Normals", "Magnitude"))
view.ResetCamera(False)
Render(view)
