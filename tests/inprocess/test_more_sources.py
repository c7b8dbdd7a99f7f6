"""The sources of pvcore/definitions/sources_more.py through ``simple`` on the built-in session: ParaView's defaults,
and the same output as the plain VTK algorithm run here with the same settings.

The defaults are ParaView's: Remoting/Application/Resources/sources_filterssources.xml of Kitware/ParaView
(DiskSource, SuperquadricSource, OutlineSource, ArrowSource, EllipseSource) and sources_filtersgeneral.xml (Axes);
for GenerateIds, the property names are those of the paraview.simple documentation (v5.9 to 5.12), and the default
array name CellIds is what public ParaView scripts rely on (a Calculator of "CellIds + 1" after a default GenerateIds);
PointIds is taken to match it (not read from ParaView's XML).
"""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersCore import vtkGenerateIds
from vtkmodules.vtkFiltersGeneral import vtkAxes
from vtkmodules.vtkFiltersSources import (
    vtkArrowSource,
    vtkDiskSource,
    vtkEllipseArcSource,
    vtkOutlineSource,
    vtkSphereSource,
    vtkSuperquadricSource,
)

from pvcore.errors import PropertyError

pytestmark = pytest.mark.timeout(60)


def _vtk(algorithm: object, **values: object) -> object:
    """Run a VTK algorithm with ``Set<Name>(value)`` for each of ``values``; its output."""
    for name, value in values.items():
        getattr(algorithm, f"Set{name}")(*(value if isinstance(value, (tuple, list)) else (value,)))
    algorithm.Update()
    return algorithm.GetOutputDataObject(0)


def _same_output(proxy: object, data: object) -> None:
    info = proxy.GetDataInformation()
    assert info.GetNumberOfPoints() == data.GetNumberOfPoints()
    assert info.GetNumberOfCells() == data.GetNumberOfCells()
    assert list(info.GetBounds()) == pytest.approx(list(data.GetBounds()), abs=1e-6)


def test_disk(simple) -> None:
    disk = simple.Disk()
    assert (disk.InnerRadius, disk.OuterRadius) == (0.5, 1.0)
    assert (disk.RadialResolution, disk.CircumferentialResolution) == (8, 8)
    _same_output(disk, _vtk(vtkDiskSource(), InnerRadius=0.5, OuterRadius=1.0, RadialResolution=8,
                            CircumferentialResolution=8))  # fmt: skip
    changed = {"InnerRadius": 0.2, "OuterRadius": 2.0, "RadialResolution": 5, "CircumferentialResolution": 30}
    _same_output(simple.Disk(**changed), _vtk(vtkDiskSource(), **changed))
    with pytest.raises(PropertyError, match="CircumferentialResolution"):
        simple.Disk(CircumferentialResolution=10**6)  # ParaView's range stops at 1024


def test_superquadric(simple) -> None:
    quadric = simple.Superquadric()
    assert quadric.Center == [0.0, 0.0, 0.0] and quadric.Scale == [1.0, 1.0, 1.0]
    assert (quadric.ThetaResolution, quadric.PhiResolution) == (16, 16)
    assert quadric.Thickness == pytest.approx(0.3333)
    assert (quadric.ThetaRoundness, quadric.PhiRoundness, quadric.Size, quadric.Toroidal) == (1.0, 1.0, 0.5, 1)
    defaults = {"Thickness": 0.3333, "Size": 0.5, "Toroidal": 1, "ThetaResolution": 16, "PhiResolution": 16}
    _same_output(quadric, _vtk(vtkSuperquadricSource(), **defaults))
    changed = {"Center": (1, 2, 3), "Scale": (2, 1, 1), "ThetaResolution": 20, "PhiResolution": 10,
               "ThetaRoundness": 0.3, "PhiRoundness": 2.0, "Size": 1.5, "Toroidal": 0}  # fmt: skip
    _same_output(simple.Superquadric(**changed), _vtk(vtkSuperquadricSource(), **changed))


def test_outline_source(simple) -> None:
    outline = simple.OutlineSource()
    assert outline.Bounds == [0.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    _same_output(outline, _vtk(vtkOutlineSource(), Bounds=(0, 1, 0, 1, 0, 1)))
    bounds = (-1.0, 2.0, 0.5, 0.75, -3.0, 3.0)
    _same_output(simple.OutlineSource(Bounds=list(bounds)), _vtk(vtkOutlineSource(), Bounds=bounds))


def test_arrow(simple) -> None:
    arrow = simple.Arrow()
    assert (arrow.TipResolution, arrow.ShaftResolution, arrow.Invert) == (6, 6, 0)
    assert (arrow.TipRadius, arrow.TipLength, arrow.ShaftRadius) == (0.1, 0.35, 0.03)
    _same_output(arrow, _vtk(vtkArrowSource()))
    changed = {"TipResolution": 20, "ShaftResolution": 12, "TipRadius": 0.2, "TipLength": 0.5, "Invert": 1}
    _same_output(simple.Arrow(**changed), _vtk(vtkArrowSource(), **changed))


def test_generate_ids(simple) -> None:
    sphere = simple.Sphere(ThetaResolution=12, PhiResolution=10)
    ids = simple.GenerateIds(Input=sphere)
    assert (ids.GeneratePointIds, ids.GenerateCellIds) == (1, 1)
    assert (ids.PointIdsArrayName, ids.CellIdsArrayName) == ("PointIds", "CellIds")
    source = vtkSphereSource()
    source.SetThetaResolution(12)
    source.SetPhiResolution(10)
    generate = vtkGenerateIds()
    generate.SetInputConnection(source.GetOutputPort())
    ref = _vtk(generate, PointIdsArrayName="PointIds", CellIdsArrayName="CellIds")
    _same_output(ids, ref)
    assert "PointIds" in list(ids.PointData.keys()) and "CellIds" in list(ids.CellData.keys())
    assert ids.PointData["PointIds"].GetRange() == pytest.approx(ref.GetPointData().GetArray("PointIds").GetRange())
    assert ids.CellData["CellIds"].GetRange() == pytest.approx(ref.GetCellData().GetArray("CellIds").GetRange())
    only_cells = simple.GenerateIds(Input=sphere, GeneratePointIds=0, CellIdsArrayName="cid")
    assert "PointIds" not in list(only_cells.PointData.keys())
    assert "cid" in list(only_cells.CellData.keys())


def test_ellipse(simple) -> None:
    ellipse = simple.Ellipse()
    assert ellipse.Center == [0.0, 0.0, 0.0] and ellipse.Normal == [0.0, 0.0, 1.0]
    assert ellipse.MajorRadiusVector == [1.0, 0.0, 0.0]
    assert (ellipse.Resolution, ellipse.Ratio, ellipse.Close) == (100, 1.0, 1)
    assert (ellipse.StartAngle, ellipse.SectorAngle) == (0.0, 360.0)  # VTK's own defaults are 90 degrees, open
    paraview = {"Resolution": 100, "Close": 1, "SegmentAngle": 360.0}
    _same_output(ellipse, _vtk(vtkEllipseArcSource(), **paraview))
    arc = simple.Ellipse(Resolution=40, Ratio=0.5, StartAngle=30.0, SectorAngle=120.0, Close=0, Center=[1, 0, 0])
    _same_output(arc, _vtk(vtkEllipseArcSource(), Resolution=40, Ratio=0.5, StartAngle=30.0, SegmentAngle=120.0,
                           Close=0, Center=(1, 0, 0)))  # fmt: skip


def test_axes(simple) -> None:
    axes = simple.Axes()
    assert (axes.ScaleFactor, axes.Origin, axes.Symmetric) == (1.0, [0.0, 0.0, 0.0], 0)
    _same_output(axes, _vtk(vtkAxes()))
    symmetric = simple.Axes(ScaleFactor=2.5, Origin=[1, 1, 1], Symmetric=1)
    _same_output(symmetric, _vtk(vtkAxes(), ScaleFactor=2.5, Origin=(1, 1, 1), Symmetric=1))
    assert "Axes" in list(symmetric.PointData.keys())
