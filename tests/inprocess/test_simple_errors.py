"""The ``simple`` API on the built-in session (no server): bad properties, unknown types and failing pipelines are
errors that name what was wrong, and the session recovers.
"""

from __future__ import annotations

import pytest

from pvcore import messages
from pvcore.errors import (
    PipelineError,
    PropertyError,
    UnknownProxyTypeError,
)

pytestmark = pytest.mark.timeout(60)


# ------------------------------------------------------------------------------------------ errors


def test_property_errors(simple) -> None:
    sphere = simple.Sphere()
    with pytest.raises(PropertyError) as info:
        sphere.Radius = -1
    assert info.value.property == "Radius"
    with pytest.raises(PropertyError):
        sphere.Radius = "big"
    with pytest.raises(PropertyError, match="Did you mean Radius"):
        sphere.Radus = 1.0
    with pytest.raises(PropertyError, match="Did you mean Radius"):
        simple.Sphere(Radus=1.0)
    with pytest.raises(PropertyError, match="Center"):
        sphere.Center = [1, 2]
    with pytest.raises(PropertyError, match="did you mean 'Between'"):
        simple.Threshold(Input=simple.Wavelet(), ThresholdMethod="Betwen")
    assert sphere.Radius == 0.5  # nothing changed


def test_unknown_proxy_type(simple) -> None:
    conn = simple.GetActiveConnection()
    with pytest.raises(UnknownProxyTypeError, match="Did you mean Sphere"):
        conn.create("sources", "Spere")
    # The server's own check, for a client that skips the local one.
    with pytest.raises(UnknownProxyTypeError, match="Did you mean Contour"):
        conn.request(messages.CreateProxy("filters", "Contuor"))


def test_bad_calculator_function_is_a_pipeline_error(simple) -> None:
    simple.Wavelet()
    calc = simple.Calculator(Function="RTData*")
    with pytest.raises(PipelineError) as info:
        calc.UpdatePipeline()
    assert info.value.proxy_name == "Calculator1"
    assert "Calculator1" in str(info.value)
    assert "RTData*" in str(info.value)
    calc.Function = "RTData+1"  # the session recovers
    assert "Result" in list(calc.PointData.keys())


def test_triangulate_on_image_data_is_a_pipeline_error(simple) -> None:
    simple.Wavelet()
    tri = simple.Triangulate()
    with pytest.raises(PipelineError) as info:
        tri.GetDataInformation()
    assert "vtkPolyData" in str(info.value)
    assert "vtkImageData" in str(info.value)
    assert info.value.proxy_name == "Triangulate1"


def test_contour_by_a_missing_array_is_a_pipeline_error(simple) -> None:
    simple.Wavelet()
    contour = simple.Contour(ContourBy=["POINTS", "NoSuch"], Isosurfaces=[1.0])
    with pytest.raises(PipelineError) as info:
        contour.UpdatePipeline()
    assert info.value.property == "ContourBy"
    assert "RTData" in str(info.value)  # names the arrays that exist
