"""The datasets of the data I/O tests (tests/multiprocess/test_data_io_*.py), written with VTK alone.

:func:`write_datasets` writes every file the tests read into a data directory: one of each extension the server
reads (single files, partitioned files with real pieces, a multiblock, legacy, geometry formats, CSV, Exodus) and a
file series of spheres, one per time step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

WAVE_EXTENT = (-10, 10, -10, 10, -10, 10)  # 20^3 = 8000 cells
ISO = 157.0
SERIES_RESOLUTIONS = (6, 10, 16, 24)  # one sphere per time step, each with another number of cells
SERIES_RADII = (0.3, 0.5, 0.7, 0.9)  # and another size, so that the pictures differ too


# ------------------------------------------------------------------------------------------ datasets (VTK only)


def _wave_image() -> Any:
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    source = vtkRTAnalyticSource()
    source.SetWholeExtent(*WAVE_EXTENT)
    source.Update()
    return source.GetOutput()


def _to_unstructured(data: Any) -> Any:
    from vtkmodules.vtkFiltersCore import vtkAppendFilter

    append = vtkAppendFilter()
    append.AddInputData(data)
    append.Update()
    return append.GetOutput()


def sphere_with_elevation(theta: int = 24, phi: int = 16, radius: float = 0.5) -> Any:
    """A sphere with normals and a point array ``Elevation``."""
    from vtkmodules.vtkFiltersCore import vtkElevationFilter
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    source = vtkSphereSource()
    source.SetThetaResolution(theta)
    source.SetPhiResolution(phi)
    source.SetRadius(radius)
    elevation = vtkElevationFilter()
    elevation.SetInputConnection(source.GetOutputPort())
    elevation.SetLowPoint(0, 0, -radius)
    elevation.SetHighPoint(0, 0, radius)
    elevation.Update()
    return elevation.GetOutput()


def _write(writer: Any, path: Path, data: Any = None, port: Any = None) -> None:
    writer.SetFileName(str(path))
    if port is not None:
        writer.SetInputConnection(port)
    else:
        writer.SetInputData(data)
    assert writer.Write(), f"VTK could not write {path}"


def _write_pieces(writer: Any, path: Path, port: Any, pieces: int = 2) -> None:
    """A partitioned file (summary + one file per piece) from a source that produces pieces on request."""
    writer.SetNumberOfPieces(pieces)
    writer.SetStartPiece(0)
    writer.SetEndPiece(pieces - 1)
    _write(writer, path, port=port)


def _streamed(data: Any) -> Any:
    """A source serving sub-extents of a structured dataset, so that a parallel writer writes real pieces."""
    from vtkmodules.util.vtkAlgorithm import VTKPythonAlgorithmBase
    from vtkmodules.vtkCommonExecutionModel import vtkAlgorithm
    from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp
    from vtkmodules.vtkFiltersExtraction import vtkExtractGrid, vtkExtractRectilinearGrid
    from vtkmodules.vtkImagingCore import vtkExtractVOI

    extract = {"vtkImageData": vtkExtractVOI, "vtkStructuredGrid": vtkExtractGrid}.get(
        data.GetClassName(), vtkExtractRectilinearGrid
    )

    class Streamed(VTKPythonAlgorithmBase):
        def __init__(self) -> None:
            super().__init__(nInputPorts=0, nOutputPorts=1, outputType=data.GetClassName())

        def RequestInformation(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
            info = out_info.GetInformationObject(0)
            info.Set(Sddp.WHOLE_EXTENT(), data.GetExtent(), 6)
            info.Set(vtkAlgorithm.CAN_PRODUCE_SUB_EXTENT(), 1)
            return 1

        def RequestData(self, request: Any, in_info: Any, out_info: Any) -> int:  # noqa: N802
            voi = extract()
            voi.SetInputData(data)
            voi.SetVOI(*out_info.GetInformationObject(0).Get(Sddp.UPDATE_EXTENT()))
            voi.Update()
            self.GetOutputData(out_info, 0).ShallowCopy(voi.GetOutput())
            return 1

    return Streamed()


def write_datasets(root: Path) -> dict[str, Path]:
    """Every file the tests read, written with VTK directly; returns extension -> file for the reader tests."""
    from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
    from vtkmodules.vtkCommonDataModel import vtkMultiBlockDataSet, vtkRectilinearGrid
    from vtkmodules.vtkFiltersCore import vtkAppendFilter
    from vtkmodules.vtkFiltersGeneral import vtkImageDataToPointSet
    from vtkmodules.vtkFiltersSources import vtkSphereSource
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
    from vtkmodules.vtkIOExodus import vtkExodusIIWriter
    from vtkmodules.vtkIOGeometry import vtkOBJWriter, vtkSTLWriter
    from vtkmodules.vtkIOLegacy import vtkDataSetWriter
    from vtkmodules.vtkIOParallelXML import (
        vtkXMLPImageDataWriter,
        vtkXMLPPolyDataWriter,
        vtkXMLPRectilinearGridWriter,
        vtkXMLPStructuredGridWriter,
        vtkXMLPUnstructuredGridWriter,
    )
    from vtkmodules.vtkIOPLY import vtkPLYWriter
    from vtkmodules.vtkIOXML import (
        vtkXMLImageDataWriter,
        vtkXMLMultiBlockDataWriter,
        vtkXMLPolyDataWriter,
        vtkXMLRectilinearGridWriter,
        vtkXMLStructuredGridWriter,
        vtkXMLUnstructuredGridWriter,
    )

    image = _wave_image()
    grid = _to_unstructured(image)
    sphere = sphere_with_elevation()
    to_points = vtkImageDataToPointSet()
    to_points.SetInputData(image)
    to_points.Update()
    structured = to_points.GetOutput()
    rectilinear = vtkRectilinearGrid()
    rectilinear.SetExtent(*WAVE_EXTENT)
    for axis, setter in enumerate(("SetXCoordinates", "SetYCoordinates", "SetZCoordinates")):
        lo, hi = WAVE_EXTENT[2 * axis : 2 * axis + 2]
        coords = np.sign(np.arange(lo, hi + 1)) * np.arange(lo, hi + 1) ** 2 / 10.0  # uneven spacing
        getattr(rectilinear, setter)(numpy_to_vtk(coords, deep=True))
    rectilinear.GetPointData().AddArray(image.GetPointData().GetArray("RTData"))

    files = {
        ".vtu": root / "wave.vtu",
        ".vtp": root / "sphere.vtp",
        ".vti": root / "wave.vti",
        ".vts": root / "wave.vts",
        ".vtr": root / "wave.vtr",
        ".vtm": root / "blocks.vtm",
        ".pvtu": root / "wave2.pvtu",
        ".pvtp": root / "sphere2.pvtp",
        ".pvti": root / "wave2.pvti",
        ".pvts": root / "wave2.pvts",
        ".pvtr": root / "wave2.pvtr",
        ".vtk": root / "wave.vtk",
        ".stl": root / "sphere.stl",
        ".ply": root / "sphere.ply",
        ".obj": root / "sphere.obj",
        ".csv": root / "points.csv",
        ".exo": root / "wave.exo",
    }
    _write(vtkXMLUnstructuredGridWriter(), files[".vtu"], grid)
    _write(vtkXMLPolyDataWriter(), files[".vtp"], sphere)
    _write(vtkXMLImageDataWriter(), files[".vti"], image)
    _write(vtkXMLStructuredGridWriter(), files[".vts"], structured)
    _write(vtkXMLRectilinearGridWriter(), files[".vtr"], rectilinear)
    second = grid.NewInstance()  # a second block beside the first (a copy: the first keeps its points)
    second.DeepCopy(grid)
    vtk_to_numpy(second.GetPoints().GetData())[:, 0] += 30.0
    blocks = vtkMultiBlockDataSet()
    blocks.SetNumberOfBlocks(2)
    blocks.SetBlock(0, grid)
    blocks.SetBlock(1, second)
    _write(vtkXMLMultiBlockDataWriter(), files[".vtm"], blocks)

    rt = vtkRTAnalyticSource()  # produces the piece asked for: real pieces of one whole
    rt.SetWholeExtent(*WAVE_EXTENT)
    unstructured = vtkAppendFilter()
    unstructured.SetInputConnection(rt.GetOutputPort())
    _write_pieces(vtkXMLPUnstructuredGridWriter(), files[".pvtu"], unstructured.GetOutputPort())
    sphere_source = vtkSphereSource()
    sphere_source.SetThetaResolution(24)
    sphere_source.SetPhiResolution(16)
    _write_pieces(vtkXMLPPolyDataWriter(), files[".pvtp"], sphere_source.GetOutputPort())
    for writer, ext, data in (
        (vtkXMLPImageDataWriter(), ".pvti", image),
        (vtkXMLPStructuredGridWriter(), ".pvts", structured),
        (vtkXMLPRectilinearGridWriter(), ".pvtr", rectilinear),
    ):
        source = _streamed(data)
        _write_pieces(writer, files[ext], source.GetOutputPort())

    legacy = vtkDataSetWriter()
    legacy.SetFileTypeToBinary()
    _write(legacy, files[".vtk"], grid)
    _write(vtkSTLWriter(), files[".stl"], sphere)
    _write(vtkPLYWriter(), files[".ply"], sphere)
    _write(vtkOBJWriter(), files[".obj"], sphere)
    rng = np.random.default_rng(7)
    table = rng.uniform(-1.0, 1.0, size=(50, 4))
    files[".csv"].write_text("x,y,z,value\n" + "".join(",".join(f"{v:.6f}" for v in row) + "\n" for row in table))
    exodus = vtkExodusIIWriter()
    exodus.WriteAllTimeStepsOff()
    try:
        _write(exodus, files[".exo"], grid)
    except AssertionError:
        files.pop(".exo")
        files[".exo"] = root / "exodus-writer-failed"  # the reader test skips, saying why

    for step, (resolution, radius) in enumerate(zip(SERIES_RESOLUTIONS, SERIES_RADII, strict=True)):
        data = sphere_with_elevation(resolution, resolution, radius)
        _write(vtkXMLPolyDataWriter(), root / f"ball_{step}.vtp", data)
        _write(vtkXMLPolyDataWriter(), root / f"ballstep{step}.vtp", data)  # the same step, alone (no series)
    return files
