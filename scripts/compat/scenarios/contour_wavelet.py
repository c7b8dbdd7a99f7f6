# An isosurface of the Wavelet, coloured by its scalar with a colour legend; the volume's outline beside it.
from paraview.simple import *

wavelet = Wavelet()
view = GetActiveViewOrCreate("RenderView")
Show(wavelet, view)
contour = Contour(Input=wavelet, Isosurfaces=[150.0])
display = Show(contour, view)
ColorBy(display, ("POINTS", "RTData"))
display.SetScalarBarVisibility(view, True)
view.ResetCamera(False)
Render(view)
