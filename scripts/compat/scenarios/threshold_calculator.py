# The Wavelet's cells above a value, coloured by a computed array.
from paraview.simple import *

wavelet = Wavelet()
calculator = Calculator(Input=wavelet, ResultArrayName="Scaled", Function="RTData*2")
threshold = Threshold(Input=calculator, Scalars=["POINTS", "Scaled"], LowerThreshold=300.0, UpperThreshold=600.0)
view = GetActiveViewOrCreate("RenderView")
display = Show(threshold, view)
ColorBy(display, ("POINTS", "Scaled"))
view.ResetCamera(False)
Render(view)
