"""Antialiasing as ParaView's render view does it by default: FXAA (the view's UseFXAA, on in ParaView 5.11's
settings, tuned by its FXAA* properties), applied by rank 0 to the composited image, so that a picture is the same
on any number of ranks (smoothing each rank's piece would blend piece edges into the background).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 - the OpenGL (EGL) window of the pass
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkUnsignedCharArray
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkFiltersSources import vtkPlaneSource
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer, vtkRenderWindow, vtkTexture

#: The view properties of ParaView's FXAA tuning, with 5.11's defaults, and the vtkFXAAOptions setter of each.
FXAA_OPTIONS = {
    "FXAARelativeContrastThreshold": (0.125, "SetRelativeContrastThreshold"),
    "FXAAHardContrastThreshold": (0.045, "SetHardContrastThreshold"),
    "FXAASubpixelBlendLimit": (0.75, "SetSubpixelBlendLimit"),
    "FXAASubpixelContrastThreshold": (0.25, "SetSubpixelContrastThreshold"),
    "FXAAEndpointSearchIterations": (12, "SetEndpointSearchIterations"),
    "FXAAUseHighQualityEndpoints": (1, "SetUseHighQualityEndpoints"),
}


def wants_fxaa(view: Mapping[str, tuple]) -> bool:
    """Whether the view's UseFXAA (on in ParaView 5.11's settings) asks for its edges to be smoothed."""
    return bool(view.get("UseFXAA", (1,))[0])


class FxaaPass:
    """FXAA over a finished (composited) image, on rank 0: the image is drawn, pixel for pixel, as a textured
    quad in a window of its own, whose renderer smooths it with VTK's FXAA, tuned by the view's FXAA* properties.
    Smoothing the composite rather than each rank's piece gives the same picture on any number of ranks."""

    #: A larger window gives its framebuffers back right after (as views.KEEP_WINDOW_PIXELS).
    KEEP_PIXELS = 2048 * 2048

    def __init__(self) -> None:
        self.window = vtkRenderWindow()
        self.window.SetOffScreenRendering(1)
        self.window.SetMultiSamples(0)
        self.renderer = vtkRenderer()
        self.window.AddRenderer(self.renderer)
        self.image = vtkImageData()
        texture = vtkTexture()
        texture.SetInputData(self.image)
        texture.InterpolateOff()  # texels land on pixels exactly: only FXAA changes them
        self.plane = vtkPlaneSource()
        mapper = vtkPolyDataMapper()
        mapper.SetInputConnection(self.plane.GetOutputPort())
        quad = vtkActor()
        quad.SetMapper(mapper)
        quad.SetTexture(texture)
        quad.GetProperty().LightingOff()
        self.renderer.AddActor(quad)
        self.renderer.SetUseFXAA(True)
        camera = self.renderer.GetActiveCamera()
        camera.ParallelProjectionOn()
        camera.SetViewUp(0.0, 1.0, 0.0)

    def apply(self, image: np.ndarray, view: Mapping[str, tuple]) -> np.ndarray:
        """``image`` (H, W, 3 uint8, bottom row first, as OpenGL reads it) smoothed by FXAA."""
        height, width = image.shape[:2]
        self.image.SetDimensions(width, height, 1)
        self.image.GetPointData().SetScalars(numpy_to_vtk(np.ascontiguousarray(image).reshape(-1, 3), deep=1))
        self.image.Modified()
        self.plane.SetOrigin(0.0, 0.0, 0.0)
        self.plane.SetPoint1(float(width), 0.0, 0.0)
        self.plane.SetPoint2(0.0, float(height), 0.0)
        camera = self.renderer.GetActiveCamera()
        camera.SetFocalPoint(width / 2, height / 2, 0.0)
        camera.SetPosition(width / 2, height / 2, 10.0)
        camera.SetParallelScale(height / 2)
        self.renderer.ResetCameraClippingRange()
        options = self.renderer.GetFXAAOptions()
        for name, (default, setter) in FXAA_OPTIONS.items():
            getattr(options, setter)(type(default)(view.get(name, (default,))[0]))
        self.window.SetSize(width, height)
        self.window.Render()
        pixels = vtkUnsignedCharArray()
        self.window.GetPixelData(0, 0, width - 1, height - 1, 0, pixels, 0)
        smoothed = vtk_to_numpy(pixels).reshape(height, width, 3).copy()
        if width * height > self.KEEP_PIXELS:
            self.window.SetSize(1, 1)
            self.window.Render()
        return smoothed

    def close(self) -> None:
        """Release the window (on the rendering thread)."""
        self.window.Finalize()
