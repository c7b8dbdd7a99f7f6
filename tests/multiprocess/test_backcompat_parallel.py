"""ParaView's backwards compatibility on a 3-rank server: the legacy Gradient that ``Gradient()`` makes for a
script asking for ParaView 5.9 (vtkImageGradient on each rank's piece of an image) has no seams where the pieces
meet, and an old property set on a client reaches the server as its replacements do.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from vtkmodules.vtkFiltersCore import vtkThreshold
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkImagingGeneral import vtkImageGradient

import paraview

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]


@pytest.fixture
def simple(simple_state, server3) -> Iterator[object]:
    """``simple`` on the module's 3-rank server, asking for ParaView 5.9."""
    simple_state.Connect(server3.url)
    paraview.compatibility.major, paraview.compatibility.minor = 5, 9
    yield simple_state
    paraview.compatibility.major = paraview.compatibility.minor = None


def test_legacy_gradient_and_threshold_range_on_three_ranks(simple) -> None:
    wavelet = simple.Wavelet()
    gradient = simple.Gradient(Input=wavelet)
    assert gradient.GetXMLName() == "GradientLegacy"
    source = vtkRTAnalyticSource()
    local = vtkImageGradient()
    local.SetInputConnection(source.GetOutputPort())
    local.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    local.SetDimensionality(3)
    local.Update()
    expected = local.GetOutput().GetPointData().GetArray("RTDataGradient")
    found = gradient.PointData["RTDataGradient"]
    for component in range(3):
        assert found.GetRange(component) == pytest.approx(expected.GetRange(component))
    assert gradient.GetDataInformation().GetNumberOfCells() == local.GetOutput().GetNumberOfCells()

    threshold = simple.Threshold(Input=wavelet, Scalars=["POINTS", "RTData"])
    threshold.ThresholdRange = [100.0, 200.0]
    cut = vtkThreshold()
    cut.SetInputConnection(source.GetOutputPort())
    cut.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    cut.SetLowerThreshold(100.0)
    cut.SetUpperThreshold(200.0)
    cut.SetThresholdFunction(vtkThreshold.THRESHOLD_BETWEEN)
    cut.Update()
    assert threshold.GetDataInformation().GetNumberOfCells() == cut.GetOutput().GetNumberOfCells()
