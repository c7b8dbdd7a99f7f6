# Arrows along a sphere's normals, over the sphere drawn as a wireframe.
from paraview.simple import *

sphere = Sphere(ThetaResolution=16, PhiResolution=16)
glyph = Glyph(
    Input=sphere,
    GlyphType="Arrow",
    OrientationArray=["POINTS", "Normals"],
    ScaleArray=["POINTS", "No scale array"],
    ScaleFactor=0.1,
)
view = GetActiveViewOrCreate("RenderView")
sphere_display = Show(sphere, view)
sphere_display.SetRepresentationType("Wireframe")
Show(glyph, view)
view.ResetCamera(False)
Render(view)
