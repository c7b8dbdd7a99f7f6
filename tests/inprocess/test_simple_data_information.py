"""The ``simple`` API on the built-in session (no server): data information and array ranges of sources and
filters, compared with VTK run directly in the test process.
"""

from __future__ import annotations

import pytest
from vtk_references import counts, vtk_contour, vtk_sphere, vtk_wavelet

pytestmark = pytest.mark.timeout(60)


# ------------------------------------------------------------------------------------------ data information


def test_sphere_information_matches_vtk(simple) -> None:
    info = simple.Sphere().GetDataInformation()
    ref = vtk_sphere().GetOutput()
    assert info.GetNumberOfPoints() == ref.GetNumberOfPoints()
    assert info.GetNumberOfCells() == ref.GetNumberOfCells()
    assert info.GetBounds() == pytest.approx(ref.GetBounds())
    assert info.GetDataSetTypeAsString() == "vtkPolyData"
    assert info.GetNumberOfPartitions() == 1
    assert set(info.PointData.keys()) == {"Normals"}


def test_wavelet_information_matches_vtk(simple) -> None:
    wavelet = simple.Wavelet()
    ref = vtk_wavelet().GetOutput()
    info = wavelet.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref)
    assert info.GetBounds() == pytest.approx(ref.GetBounds())
    assert info.GetExtent() == tuple(ref.GetExtent())
    assert wavelet.PointData["RTData"].GetRange() == pytest.approx(ref.GetPointData().GetArray("RTData").GetRange())
    assert wavelet.PointData["RTData"].GetNumberOfComponents() == 1


def test_contour_information_matches_vtk(simple) -> None:
    simple.Wavelet()
    contour = simple.Contour()
    assert contour.ContourBy == ["POINTS", "RTData"]
    lo, hi = vtk_wavelet().GetOutput().GetPointData().GetArray("RTData").GetRange()
    assert contour.Isosurfaces == [pytest.approx((lo + hi) / 2)]  # ParaView's default: the middle of the range
    ref = vtk_contour(vtk_wavelet(), "RTData", contour.Isosurfaces[0])
    info = contour.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref)
    assert info.GetBounds() == pytest.approx(ref.GetBounds())
    assert contour.PointData["RTData"].GetRange() == pytest.approx(ref.GetPointData().GetArray("RTData").GetRange())


def test_changing_isosurfaces_reexecutes(simple) -> None:
    simple.Wavelet()
    contour = simple.Contour(Isosurfaces=[100.0, 200.0])
    from vtkmodules.vtkFiltersCore import vtkContourFilter

    src = vtk_wavelet()  # kept alive while the contour runs
    ref = vtkContourFilter()
    ref.SetInputConnection(src.GetOutputPort())
    ref.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    ref.SetValue(0, 100.0)
    ref.SetValue(1, 200.0)
    ref.Update()
    assert contour.GetDataInformation().GetNumberOfCells() == ref.GetOutput().GetNumberOfCells()
    contour.Isosurfaces = [150.0]
    expected = vtk_contour(vtk_wavelet(), "RTData", 150.0).GetNumberOfCells()
    assert contour.GetDataInformation().GetNumberOfCells() == expected


def test_clip_keeps_the_inverted_side_like_vtk(simple) -> None:
    from vtkmodules.vtkCommonDataModel import vtkPlane
    from vtkmodules.vtkFiltersGeneral import vtkTableBasedClipDataSet

    simple.Wavelet()
    clip = simple.Clip()
    clip.ClipType.Origin = [2.5, 0, 0]
    plane = vtkPlane()
    plane.SetOrigin(2.5, 0, 0)
    plane.SetNormal(1, 0, 0)
    src = vtk_wavelet()
    ref = vtkTableBasedClipDataSet()
    ref.SetInputConnection(src.GetOutputPort())
    ref.SetClipFunction(plane)
    ref.InsideOutOn()
    ref.Update()
    info = clip.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref.GetOutput())
    assert info.GetBounds() == pytest.approx(ref.GetOutput().GetBounds())
    assert info.GetBounds()[1] == pytest.approx(2.5)  # the side behind the plane's normal
    clip.Invert = 0
    assert clip.GetDataInformation().GetBounds()[0] == pytest.approx(2.5)


def test_calculator_result_matches_vtk(simple) -> None:
    wavelet = simple.Wavelet()
    calc = simple.Calculator(Function="RTData*2", ResultArrayName="Twice")
    lo, hi = vtk_wavelet().GetOutput().GetPointData().GetArray("RTData").GetRange()
    assert calc.PointData["Twice"].GetRange() == pytest.approx((2 * lo, 2 * hi), rel=1e-6)
    assert calc.GetDataInformation().GetNumberOfPoints() == wavelet.GetDataInformation().GetNumberOfPoints()


def test_shrink_and_elevation_match_vtk(simple) -> None:
    from vtkmodules.vtkFiltersCore import vtkElevationFilter
    from vtkmodules.vtkFiltersGeneral import vtkShrinkFilter

    simple.Sphere()
    elevation = simple.Elevation(LowPoint=[0, 0, -1], HighPoint=[0, 0, 1])
    shrink = simple.Shrink(ShrinkFactor=0.25)
    src = vtk_sphere()
    ref_elev = vtkElevationFilter()
    ref_elev.SetInputConnection(src.GetOutputPort())
    ref_elev.SetLowPoint(0, 0, -1)
    ref_elev.SetHighPoint(0, 0, 1)
    ref_shrink = vtkShrinkFilter()
    ref_shrink.SetInputConnection(ref_elev.GetOutputPort())
    ref_shrink.SetShrinkFactor(0.25)
    ref_shrink.Update()
    expected_range = ref_elev.GetOutput().GetPointData().GetArray("Elevation").GetRange()
    assert elevation.PointData["Elevation"].GetRange() == pytest.approx(expected_range)
    info = shrink.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref_shrink.GetOutput())
    assert info.GetBounds() == pytest.approx(ref_shrink.GetOutput().GetBounds())


def test_threshold_matches_vtk(simple) -> None:
    from vtkmodules.vtkFiltersCore import vtkThreshold

    simple.Wavelet()
    threshold = simple.Threshold(Scalars=["POINTS", "RTData"], LowerThreshold=100, UpperThreshold=150)
    src = vtk_wavelet()
    ref = vtkThreshold()
    ref.SetInputConnection(src.GetOutputPort())
    ref.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    ref.SetLowerThreshold(100)
    ref.SetUpperThreshold(150)
    ref.SetThresholdFunction(vtkThreshold.THRESHOLD_BETWEEN)
    ref.Update()
    assert threshold.GetDataInformation().GetNumberOfCells() == ref.GetOutput().GetNumberOfCells()
    threshold.ThresholdMethod = "Above Upper Threshold"
    ref.SetThresholdFunction(vtkThreshold.THRESHOLD_UPPER)
    ref.Update()
    assert threshold.GetDataInformation().GetNumberOfCells() == ref.GetOutput().GetNumberOfCells()


def test_slice_and_transform_match_vtk(simple) -> None:
    from vtkmodules.vtkCommonDataModel import vtkPlane
    from vtkmodules.vtkFiltersCore import vtkCutter

    wavelet = simple.Wavelet()
    sliced = simple.Slice(Input=wavelet)
    sliced.SliceType.Normal = [0, 0, 1]
    sliced.SliceType.Origin = [0, 0, 2.5]
    src = vtk_wavelet()
    plane = vtkPlane()
    plane.SetNormal(0, 0, 1)
    plane.SetOrigin(0, 0, 2.5)
    ref = vtkCutter()
    ref.SetInputConnection(src.GetOutputPort())
    ref.SetCutFunction(plane)
    ref.Update()
    info = sliced.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == counts(ref.GetOutput())
    assert info.GetBounds()[4:] == pytest.approx((2.5, 2.5))
    moved = simple.Transform(Input=wavelet)
    moved.Transform.Translate = [1, 2, 3]
    shifted = [v + (1, 2, 3)[i // 2] for i, v in enumerate(src.GetOutput().GetBounds())]
    assert moved.GetDataInformation().GetBounds() == pytest.approx(shifted)


def test_point_data_mapping(simple) -> None:
    wavelet = simple.Wavelet()
    arrays = wavelet.PointData
    assert "RTData" in arrays
    assert list(arrays) == arrays.keys()
    assert len(arrays) == arrays.GetNumberOfArrays() == 1
    assert arrays.GetArray("NoSuch") is None
    with pytest.raises(KeyError, match="RTData"):
        arrays["NoSuch"]
    assert wavelet.CellData.keys() == []
