# A title in the view's corner over a cone, and 3D text beside it.
from paraview.simple import *

cone = Cone()
text = Text(Text="A cone")
view = GetActiveViewOrCreate("RenderView")
Show(cone, view)
text_display = Show(text, view)
text_display.WindowLocation = "Upper Center"
text_display.FontSize = 24
view.ResetCamera(False)
Render(view)
