"""ParaView's HoudiniWriter (``.geo``, Houdini's ASCII geometry) on the built-in session: the file is the one
VTK's vtkHoudiniPolyDataWriter (the class ParaView's writer wraps) writes for the same surface, and data that is
not a surface is written as its outer surface, as ParaView's writer gets it."""

from __future__ import annotations

from pathlib import Path

import pytest
from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkIOGeometry import vtkHoudiniPolyDataWriter

pytestmark = pytest.mark.timeout(60)


def _vtk_geo(data: object, path: Path) -> str:
    writer = vtkHoudiniPolyDataWriter()
    writer.SetFileName(str(path))
    writer.SetInputData(data)
    assert writer.Write()
    return path.read_text()


def _header(text: str) -> dict[str, int]:
    """The counts of a .geo file's second line (``NPoints 50 NPrims 96``)."""
    words = text.splitlines()[1].split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}


def test_create_writer_writes_the_sphere_as_vtk_does(simple, tmp_path) -> None:
    sphere = simple.Sphere()
    writer = simple.CreateWriter(str(tmp_path / "sphere.geo"), sphere)
    assert writer.GetXMLName() == "HoudiniWriter"
    writer.UpdatePipeline()
    source = vtkSphereSource()
    source.Update()
    expected = _vtk_geo(source.GetOutput(), tmp_path / "expected.geo")
    written = (tmp_path / "sphere.geo").read_text()
    assert written.startswith("PGEOMETRY")
    assert _header(written) == {"NPoints": 50, "NPrims": 96}
    assert written == expected


def test_named_writer_and_save_data_write_a_volume_as_its_surface(simple, tmp_path) -> None:
    wavelet = simple.Wavelet(WholeExtent=[0, 4, 0, 4, 0, 4])
    simple.HoudiniWriter(Input=wavelet, FileName=str(tmp_path / "named.geo")).UpdatePipeline()
    simple.SaveData(str(tmp_path / "saved.geo"), wavelet)
    source = vtkRTAnalyticSource()
    source.SetWholeExtent(0, 4, 0, 4, 0, 4)
    surface = vtkGeometryFilter()
    surface.SetInputConnection(source.GetOutputPort())
    surface.Update()
    expected = _vtk_geo(surface.GetOutput(), tmp_path / "expected.geo")
    assert _header(expected)["NPrims"] == 6 * 16
    assert (tmp_path / "named.geo").read_text() == expected
    assert (tmp_path / "saved.geo").read_text() == expected


def test_houdini_writer_refuses_other_extensions(simple, tmp_path) -> None:
    sphere = simple.Sphere()
    with pytest.raises(simple.PVError, match=r"writes \.geo files"):
        simple.HoudiniWriter(Input=sphere, FileName=str(tmp_path / "sphere.vtp")).UpdatePipeline()
    assert not (tmp_path / "sphere.vtp").exists()
