# A sub-volume of the Wavelet extracted by index range, with the whole volume's outline around it.
from paraview.simple import *

wavelet = Wavelet()
subset = ExtractSubset(Input=wavelet, VOI=[0, 10, 0, 10, -10, 10])
view = GetActiveViewOrCreate("RenderView")
Show(wavelet, view)
display = Show(subset, view)
display.SetRepresentationType("Surface")
ColorBy(display, ("POINTS", "RTData"))
view.ResetCamera(False)
Render(view)
