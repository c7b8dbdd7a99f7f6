# Streamlines of the Wavelet's gradient from a line of seeds, as tubes.
from paraview.simple import *

wavelet = Wavelet()
gradient = Gradient(Input=wavelet, ScalarArray=["POINTS", "RTData"])
tracer = StreamTracer(Input=gradient, SeedType="Line", Vectors=["POINTS", "Gradient"], MaximumStreamlineLength=20.0)
tracer.SeedType.Point1 = [-8.0, -8.0, 0.0]
tracer.SeedType.Point2 = [8.0, 8.0, 0.0]
tracer.SeedType.Resolution = 20
view = GetActiveViewOrCreate("RenderView")
Show(tracer, view)
view.ResetCamera(False)
Render(view)
