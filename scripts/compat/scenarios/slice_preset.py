# A slice through the Wavelet, coloured with a named colour map preset, on a white background.
from paraview.simple import *

wavelet = Wavelet()
slice1 = Slice(Input=wavelet, SliceType="Plane")
slice1.SliceType.Normal = [0.0, 0.0, 1.0]
view = GetActiveViewOrCreate("RenderView")
display = Show(slice1, view)
ColorBy(display, ("POINTS", "RTData"))
lut = GetColorTransferFunction("RTData")
lut.ApplyPreset("Viridis (matplotlib)", True)
view.Background = [1.0, 1.0, 1.0]
view.OrientationAxesVisibility = 0
view.ResetCamera(False)
Render(view)
