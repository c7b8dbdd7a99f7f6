"""A trace-style script draws the same picture on a 2-rank server as on the built-in session.

The script uses the vocabulary of ParaView 5.11's traces: Show with ParaView's representation names, properties
written with their defaults, sub-proxy properties (axes grids, transfer functions), ColorBy with a preset, a
scalar bar proxy, a layout of two views and a screenshot of the whole layout with a transparent background.
Axes grids and legends are drawn once, by rank 0, around the data of all ranks; the geometry is composited.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pvserver.rendering.imaging import decode_image, decode_png_alpha

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

BAD_PIXEL = 40  # a channel difference that is more than the rasterisation of cut triangles at partition borders


def trace_script(simple, path: Path) -> None:
    """What a GUI session's trace does, written as this test's own script."""
    simple._DisableFirstRenderCameraReset()
    wavelet = simple.Wavelet(registrationName="Wavelet1")
    view = simple.CreateView("RenderView")
    view.ViewSize = [200, 160]
    view.AxesGrid = "GridAxes3DActor"
    view.OrientationAxesVisibility = 0
    outline = simple.Show(wavelet, view, "UniformGridRepresentation")
    outline.Representation = "Outline"
    outline.ColorArrayName = [None, ""]
    outline.ScaleTransferFunction = "PiecewiseFunction"
    outline.ScaleTransferFunction.Points = [37.35, 0.0, 0.5, 0.0, 276.8, 1.0, 0.5, 0.0]
    contour = simple.Contour(registrationName="Contour1", Input=wavelet, ContourBy=["POINTS", "RTData"])
    contour.Isosurfaces = [157.0]
    display = simple.Show(contour, view, "GeometryRepresentation")
    display.Specular = 0.5
    simple.ColorBy(display, ("POINTS", "Normals"))
    lut = simple.GetColorTransferFunction("Normals")
    lut.ApplyPreset("Viridis (matplotlib)", False)
    lut.RescaleTransferFunction(0.0, 1.0)
    display.SetScalarBarVisibility(view, True)
    bar = simple.GetScalarBar(lut, view)
    bar.Title = "Normals"
    bar.ComponentTitle = "Magnitude"
    view.AxesGrid.Visibility = 1
    view.CameraPosition = [30.0, 20.0, 50.0]
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    second = simple.CreateView("RenderView")
    second.OrientationAxesVisibility = 0
    slice_display = simple.Show(simple.Slice(Input=wavelet), second, "GeometryRepresentation")
    slice_display.SetRepresentationType("Surface With Edges")
    slice_display.DataAxesGrid.GridAxesVisibility = 1
    second.CameraPosition = [60.0, 0.0, 0.0]  # the slice is across x
    second.CameraFocalPoint = [0.0, 0.0, 0.0]
    layout = simple.CreateLayout("Layout #1")
    simple.AssignViewToLayout(view=view, layout=layout, hint=0)
    layout.SplitHorizontal(0, 0.5)
    simple.AssignViewToLayout(view=second, layout=layout, hint=2)
    layout.SetSize(401, 160)
    simple.SaveScreenshot(str(path), layout, SaveAllViews=1, ImageResolution=[401, 160], TransparentBackground=1)


def test_trace_script_on_two_ranks_draws_the_builtin_picture(simple_state, server2, tmp_path) -> None:
    simple_state.Connect()
    trace_script(simple_state, tmp_path / "builtin.png")
    simple_state.Connect(server2.url)
    trace_script(simple_state, tmp_path / "server.png")
    images = [decode_image((tmp_path / f"{n}.png").read_bytes()).astype(np.int32) for n in ("builtin", "server")]
    alphas = [decode_png_alpha((tmp_path / f"{n}.png").read_bytes()) for n in ("builtin", "server")]
    reference, image = images
    drawn = alphas[0] == 255
    assert 0.05 < drawn[:, :200].mean() < 0.9 and 0.05 < drawn[:, 201:].mean() < 0.9  # both views show geometry
    assert (alphas[0] != alphas[1]).mean() < 0.01
    bad = np.abs(reference - image).max(axis=2) > BAD_PIXEL
    assert bad[drawn].mean() < 0.02
    assert np.abs(reference - image)[drawn].mean() < 2.0
