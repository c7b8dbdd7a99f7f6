"""Data I/O on real servers: reading, writing, time series, Fetch, the --data-dir sandbox and broken input.

Every dataset is small and written by the tests themselves with VTK, into one data directory shared by the
module's servers (``--data-dir``, ``--multi-clients``: 2, 3 and 4 ranks, started once). The built-in session
has no data directory: it is given absolute paths. What the server reads is compared with what VTK itself reads
from the same file in this process; what it writes is read back here with VTK's own readers.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from servers import ServerProcess

from pvcore.errors import DataAccessError, PipelineError, PVError
from pvserver.rendering.imaging import decode_image

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]

WAVE_EXTENT = (-10, 10, -10, 10, -10, 10)  # 20^3 = 8000 cells
ISO = 157.0
SERIES_RESOLUTIONS = (6, 10, 16, 24)  # one sphere per time step, each with another number of cells
SERIES_RADII = (0.3, 0.5, 0.7, 0.9)  # and another size, so that the pictures differ too

# Image comparison across rank counts (as in test_rendering.py): cut triangles and depth ties move a few pixels.
SIZE = (240, 180)
BACKGROUND = (0.32, 0.34, 0.43)
MAX_MEAN_ABS_DIFF = 1.0
BAD_PIXEL = 40
MAX_BAD_FRACTION = 0.02


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


def _sphere(theta: int = 24, phi: int = 16, radius: float = 0.5) -> Any:
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
    sphere = _sphere()
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
        data = _sphere(resolution, resolution, radius)
        _write(vtkXMLPolyDataWriter(), root / f"ball_{step}.vtp", data)
        _write(vtkXMLPolyDataWriter(), root / f"ballstep{step}.vtp", data)  # the same step, alone (no series)
    return files


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def files(data_dir: Path) -> dict[str, Path]:
    return write_datasets(data_dir)


def _server(ranks: int, data_dir: Path) -> Iterator[ServerProcess]:
    with ServerProcess(ranks, "--multi-clients", "--data-dir", str(data_dir)) as server:
        yield server


@pytest.fixture(scope="module")
def server2(data_dir: Path, files: dict[str, Path]) -> Iterator[ServerProcess]:
    yield from _server(2, data_dir)


@pytest.fixture(scope="module")
def server3(data_dir: Path, files: dict[str, Path]) -> Iterator[ServerProcess]:
    yield from _server(3, data_dir)


@pytest.fixture(scope="module")
def server4(data_dir: Path, files: dict[str, Path]) -> Iterator[ServerProcess]:
    yield from _server(4, data_dir)


# ------------------------------------------------------------------------------------------ helpers


def connect(simple, server: ServerProcess | None, data_dir: Path):
    """Connect (built-in session when server is None); returns how to name a file of the data directory."""
    if server is None:
        simple.Connect()
        return lambda name: str(data_dir / name)  # no sandbox: absolute paths
    simple.Connect(server.url)
    return lambda name: name


def read_local(path: Path) -> Any:
    """The whole file, read by VTK in this process."""
    import importlib

    readers = {
        ".vtu": ("vtkIOXML", "vtkXMLUnstructuredGridReader"),
        ".vtp": ("vtkIOXML", "vtkXMLPolyDataReader"),
        ".vti": ("vtkIOXML", "vtkXMLImageDataReader"),
        ".vts": ("vtkIOXML", "vtkXMLStructuredGridReader"),
        ".vtr": ("vtkIOXML", "vtkXMLRectilinearGridReader"),
        ".vtm": ("vtkIOXML", "vtkXMLMultiBlockDataReader"),
        ".pvtu": ("vtkIOXML", "vtkXMLPUnstructuredGridReader"),
        ".pvtp": ("vtkIOXML", "vtkXMLPPolyDataReader"),
        ".pvti": ("vtkIOXML", "vtkXMLPImageDataReader"),
        ".pvts": ("vtkIOXML", "vtkXMLPStructuredGridReader"),
        ".pvtr": ("vtkIOXML", "vtkXMLPRectilinearGridReader"),
        ".vtk": ("vtkIOLegacy", "vtkDataSetReader"),
        ".stl": ("vtkIOGeometry", "vtkSTLReader"),
        ".ply": ("vtkIOPLY", "vtkPLYReader"),
        ".obj": ("vtkIOGeometry", "vtkOBJReader"),
        ".exo": ("vtkIOExodus", "vtkExodusIIReader"),
    }
    module, name = readers[path.suffix]
    reader = getattr(importlib.import_module(f"vtkmodules.{module}"), name)()
    reader.SetFileName(str(path))
    if path.suffix == ".exo":
        reader.UpdateInformation()
        reader.SetAllArrayStatus(reader.NODAL, 1)
    reader.Update()
    return reader.GetOutputDataObject(0)


def leaves(data: Any) -> list[Any]:
    """The datasets of a composite dataset (or the dataset itself)."""
    if not data.IsA("vtkCompositeDataSet"):
        return [data]
    it = data.NewIterator()
    it.InitTraversal()
    found = []
    while not it.IsDoneWithTraversal():
        found.append(it.GetCurrentDataObject())
        it.GoToNextItem()
    return found


def totals(data: Any, array: str) -> dict[str, Any]:
    """Cells, points, bounds and the range of a point array over every leaf of ``data``."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    parts = [d for d in leaves(data) if d.GetNumberOfPoints()]
    bounds = np.array([d.GetBounds() for d in parts])
    values = [vtk_to_numpy(d.GetPointData().GetArray(array)) for d in parts if d.GetPointData().GetArray(array)]
    joined = np.concatenate(values) if values else None
    return {
        "cells": sum(d.GetNumberOfCells() for d in parts),
        "points": sum(d.GetNumberOfPoints() for d in parts),
        "bounds": [bounds[:, i].min() if i % 2 == 0 else bounds[:, i].max() for i in range(6)],
        "range": None if joined is None else (float(joined.min()), float(joined.max())),
    }


def by_point(data: Any, array: str | None = None, decimals: int = 4) -> dict[tuple, tuple]:
    """Point coordinates (rounded) -> the array's value there: compares datasets whatever their point order."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    coords = np.round(vtk_to_numpy(data.GetPoints().GetData()).astype(np.float64), decimals) + 0.0  # no -0.0
    values = vtk_to_numpy(data.GetPointData().GetArray(array)) if array else np.zeros(len(coords))
    found: dict[tuple, tuple] = {}
    for xyz, value in zip(map(tuple, coords), values, strict=True):
        value = tuple(np.atleast_1d(value).astype(np.float64))
        assert found.setdefault(xyz, value) == value, f"{array} differs between copies of the point {xyz}"
    return found


def assert_same_points(got: Any, expected: Any, array: str | None = None, rtol: float = 0.0) -> None:
    """The same points (whatever their order and copies), with the same values of ``array`` there."""
    mine, theirs = by_point(got, array), by_point(expected, array)
    assert mine.keys() == theirs.keys(), f"{len(mine.keys() ^ theirs.keys())} points differ"
    keys = list(theirs)
    np.testing.assert_allclose([mine[k] for k in keys], [theirs[k] for k in keys], rtol=rtol, err_msg=array)


def pipeline_totals(simple, path: str, write_to: str) -> dict[str, Any]:
    """File -> Contour -> file: the totals of both, as numbers to compare across rank counts."""
    reader = simple.OpenDataFile(path)
    contour = simple.Contour(Input=reader, ContourBy=["POINTS", "RTData"], Isosurfaces=[ISO])
    simple.SaveData(write_to, contour)
    info, cinfo = reader.GetDataInformation(), contour.GetDataInformation()
    return {
        "reader": reader,
        "contour": contour,
        "cells": info.GetNumberOfCells(),
        "points": info.GetNumberOfPoints(),
        "partitions": info.GetNumberOfPartitions(),
        "bounds": info.GetBounds(),
        "range": info.PointData["RTData"].GetRange(),
        "contour_cells": cinfo.GetNumberOfCells(),
        "contour_bounds": cinfo.GetBounds(),
        "contour_range": cinfo.PointData["RTData"].GetRange(),
    }


def fixed_view(simple, position, focal=(0.0, 0.0, 0.0)):
    view = simple.CreateRenderView(ViewSize=list(SIZE), Background=list(BACKGROUND), OrientationAxesVisibility=0)
    view.CameraPosition = list(position)
    view.CameraFocalPoint = list(focal)
    view.CameraViewUp = [0.0, 1.0, 0.0]
    view.CameraInitialized = 1  # no reset on the first render: every session sees exactly this camera
    return view


def pixels(view) -> np.ndarray:
    return decode_image(view.CaptureImage().data).astype(np.int32)


def foreground(image: np.ndarray) -> np.ndarray:
    return np.abs(image - np.round(np.asarray(BACKGROUND) * 255).astype(np.int32)).max(axis=2) > 3


def contour_image(simple, contour) -> np.ndarray:
    view = fixed_view(simple, (30.0, 20.0, 50.0))
    rep = simple.Show(contour, view)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    lut = simple.GetColorTransferFunction("RTData")  # shared by the server's clients: set it completely
    lut.ApplyPreset("Cool to Warm", False)
    lut.RescaleTransferFunction(100.0, 200.0)
    return pixels(view)


def assert_same_image(reference: np.ndarray, image: np.ndarray, where: str) -> None:
    assert image.shape == reference.shape, where
    diff = np.abs(image - reference)
    geometry = foreground(reference) | foreground(image)
    bad = float((diff.max(axis=2) > BAD_PIXEL).sum() / max(1, geometry.sum()))
    assert diff.mean() < MAX_MEAN_ABS_DIFF, f"{where}: mean difference {diff.mean():.2f}"
    assert bad < MAX_BAD_FRACTION, f"{where}: {bad:.1%} of the geometry pixels differ"


def assert_still_serves(simple) -> None:
    """The next request on the same server works: every rank takes part in reading and scattering a file."""
    reader = simple.OpenDataFile("wave.vtu")
    assert reader.GetDataInformation().GetNumberOfCells() == 8000


# ------------------------------------------------------------------------------------------ 1, 2, 4 ranks


@pytest.fixture(scope="module")
def pvtu_from_3_ranks(server3: ServerProcess, data_dir: Path) -> Path:
    """wave.vtu read on 3 ranks and saved as a partitioned file (a piece per rank and the summary)."""
    import simple

    conn = simple.Connect(server3.url)
    try:
        reader = simple.OpenDataFile("wave.vtu")
        assert reader.GetDataInformation().GetNumberOfPartitions() == 3
        simple.SaveData("wave3.pvtu", reader)
    finally:
        simple.Disconnect(conn)
    summary = (data_dir / "wave3.pvtu").read_text()
    sources = re.findall(r'Source="([^"]+)"', summary)
    assert len(sources) == 3, summary
    assert all((data_dir / s).is_file() for s in sources), sources
    return data_dir / "wave3.pvtu"


@pytest.mark.timeout(90)
@pytest.mark.parametrize("name", ["wave.vtu", "wave3.pvtu"])
def test_read_filter_write_agrees_on_1_2_4_ranks(
    simple_state, server2, server4, data_dir, files, pvtu_from_3_ranks, name: str
) -> None:
    reference: dict[str, Any] = {}
    reference_image = None
    for server in (None, server2, server4):
        ranks = server.ranks if server else 1
        where = f"{name} on {ranks} rank(s)"
        path = connect(simple_state, server, data_dir)
        out = f"contour_{Path(name).stem}_{ranks}.vtp"
        got = pipeline_totals(simple_state, path(name), path(out))
        image = contour_image(simple_state, got.pop("contour"))
        got.pop("reader")
        written = read_local(data_dir / out)
        got["written_cells"] = written.GetNumberOfCells()
        got["written_range"] = written.GetPointData().GetArray("RTData").GetRange()
        if server is None:
            reference, reference_image = got, image
            assert got["cells"] == 8000 and got["contour_cells"] > 1000, got
            assert got["written_cells"] == got["contour_cells"]
            assert 0.02 < foreground(image).mean() < 0.9, f"{where}: the reference shows too little"
            continue
        expected_partitions = min(ranks, 3) if name.endswith(".pvtu") else ranks
        assert got["partitions"] == expected_partitions, where  # the data really is spread over the ranks
        assert got["cells"] == reference["cells"], where
        assert got["points"] >= reference["points"], where  # boundary points count once per rank holding them
        assert got["bounds"] == pytest.approx(reference["bounds"]), where
        assert got["range"] == pytest.approx(reference["range"]), where
        assert got["contour_cells"] == reference["contour_cells"], where
        assert got["contour_bounds"] == pytest.approx(reference["contour_bounds"], abs=1e-5), where
        assert got["contour_range"] == pytest.approx(reference["contour_range"]), where
        assert got["written_cells"] == reference["written_cells"], where  # gathered to one file on rank 0
        assert got["written_range"] == pytest.approx(reference["written_range"]), where
        assert_same_image(reference_image, image, where)


def test_single_file_is_read_once_and_scattered_over_4_ranks(simple_state, server4, files) -> None:
    simple_state.Connect(server4.url)
    info = simple_state.OpenDataFile("wave.vtu").GetDataInformation()
    assert info.GetNumberOfPartitions() == 4
    whole = read_local(files[".vtu"])
    # Each rank holds a spatially coherent share: the points of all pieces are hardly more than the whole's.
    assert info.GetNumberOfCells() == whole.GetNumberOfCells()
    assert whole.GetNumberOfPoints() < info.GetNumberOfPoints() < 1.5 * whole.GetNumberOfPoints()
    assert info.GetMemorySize() < 2.5 * whole.GetActualMemorySize()  # KiB, all ranks together


@pytest.mark.parametrize("ext", [".vti", ".vts", ".vtr"])
def test_single_structured_file_keeps_its_type_and_each_rank_reads_its_extent(
    simple_state, server4, files, ext: str
) -> None:
    simple_state.Connect(server4.url)
    whole = read_local(files[ext])
    reader = simple_state.OpenDataFile(files[ext].name)
    info = reader.GetDataInformation()
    assert info.GetDataSetTypeAsString() == whole.GetClassName()
    assert info.GetNumberOfPartitions() == 4
    assert info.GetNumberOfCells() == whole.GetNumberOfCells()
    assert whole.GetNumberOfPoints() < info.GetNumberOfPoints() < 1.5 * whole.GetNumberOfPoints()  # shared planes
    assert info.GetExtent() == whole.GetExtent()
    # The ranks' extents put together, by Fetch, are the file again, point for point.
    assert_same_structured(simple_state.Fetch(reader), whole)


@pytest.mark.parametrize("ext", [".vti", ".vts", ".vtr", ".pvti", ".pvts", ".pvtr"])
@pytest.mark.parametrize("ranks", [1, 3])
def test_filters_on_structured_readers_see_the_whole_data(simple_state, server3, data_dir, files, ext, ranks) -> None:
    """Structured readers tell VTK their whole extent: without it, a filter downstream gets an empty extent."""
    name = connect(simple_state, server3 if ranks == 3 else None, data_dir)(files[ext].name)
    reader = simple_state.OpenDataFile(name)
    wavelet = simple_state.Wavelet(WholeExtent=list(WAVE_EXTENT))
    cells = {}
    for label, source in (("file", reader), ("wavelet", wavelet)):
        cells[label] = [
            simple_state.Shrink(Input=source).GetDataInformation().GetNumberOfCells(),
            simple_state.Contour(Input=source, ContourBy=["POINTS", "RTData"], Isosurfaces=[ISO])
            .GetDataInformation()
            .GetNumberOfCells(),
            simple_state.Slice(Input=source).GetDataInformation().GetNumberOfCells(),
        ]
    assert cells["file"] == cells["wavelet"]
    assert cells["file"][0] == 8000
    assert reader.GetDataInformation().GetNumberOfCells() == 8000  # and the reader's own output is still whole


@pytest.mark.parametrize("ext", [".vti", ".vts", ".vtr", ".pvti", ".vtu", ".pvtu"])
def test_pieces_get_ghost_layers_so_neighbour_filters_have_no_seams(
    simple_state, server3, data_dir, files, ext: str
) -> None:
    """Point -> cell -> point averaging needs the cells across each partition boundary: with the ghost layers VTK
    reads from the neighbours' extents of structured data, or the scatter adds to the parts of an unstructured
    grid or the ranks trade for the pieces of a partitioned one, the 3-rank result equals the serial one at every
    point."""
    fetched = []
    for server in (None, server3):
        path = connect(simple_state, server, data_dir)
        cells = simple_state.PointDatatoCellData(Input=simple_state.OpenDataFile(path(files[ext].name)))
        data = simple_state.Fetch(simple_state.CellDatatoPointData(Input=cells))
        assert data.GetClassName() == read_local(files[ext]).GetClassName()
        assert data.GetPointData().GetArray("vtkGhostType") is None
        assert data.GetNumberOfCells() == read_local(files[ext]).GetNumberOfCells()  # ghost cells not merged in
        fetched.append(data)
        simple_state.Disconnect()
    if fetched[0].GetClassName() in ("vtkImageData", "vtkStructuredGrid", "vtkRectilinearGrid"):
        assert_same_structured(fetched[1], fetched[0])  # point for point in index order
    else:
        assert_same_points(fetched[1], fetched[0], "RTData", rtol=1e-6)  # each point where it is


#: What is shown of read data, how, and with what opacity: the reader itself translucent or as a wireframe, a
#: translucent Threshold of it, and point -> cell -> point averages (which need ghost cells) with their edges.
SHOWN_OF_READ_DATA: dict[str, tuple[Callable[[Any, Any], Any], str, float]] = {
    "translucent": (lambda simple, reader: reader, "Surface", 0.5),
    "wireframe": (lambda simple, reader: reader, "Wireframe", 1.0),
    "threshold": (
        lambda simple, reader: simple.Threshold(
            Input=reader, Scalars=["POINTS", "RTData"], LowerThreshold=100.0, UpperThreshold=200.0
        ),
        "Surface",
        0.6,
    ),
    "averaged": (
        lambda simple, reader: simple.CellDatatoPointData(Input=simple.PointDatatoCellData(Input=reader)),
        "Surface With Edges",
        1.0,
    ),
}


@pytest.mark.parametrize("shown", list(SHOWN_OF_READ_DATA))
@pytest.mark.parametrize("name", ["wave.vtu", "wave2.pvtu"])
def test_read_unstructured_data_draws_the_same_on_3_ranks(
    simple_state, server3, data_dir, files, shown: str, name: str
) -> None:
    """Data read from one .vtu (scattered) or a .pvtu (pieces) and what is computed from it look the same on 3
    ranks as on 1: no faces where the ranks' parts meet, no seams in averages, nothing drawn twice."""
    make, representation, opacity = SHOWN_OF_READ_DATA[shown]
    images = []
    for server in (None, server3):
        path = connect(simple_state, server, data_dir)
        view = fixed_view(simple_state, (30.0, 20.0, 50.0))
        source = make(simple_state, simple_state.OpenDataFile(path(name)))
        rep = simple_state.Show(source, view, Representation=representation, Opacity=opacity)
        simple_state.ColorBy(rep, ("POINTS", "RTData"))
        lut = simple_state.GetColorTransferFunction("RTData")
        lut.ApplyPreset("Cool to Warm", False)
        lut.RescaleTransferFunction(40.0, 280.0)
        images.append(pixels(view))
        simple_state.Disconnect()
    assert 0.05 < foreground(images[0]).mean() < 0.9
    assert_same_image(images[0], images[1], f"{shown} {name} on 3 ranks")


def test_ghost_layers_are_not_written(simple_state, server3, data_dir) -> None:
    """A Wavelet contoured on 3 ranks holds ghost layers; its .pvti pieces do not overlap, and hold no ghosts."""
    simple_state.Connect(server3.url)
    wavelet = simple_state.Wavelet()
    simple_state.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[150.0]).UpdatePipeline()
    simple_state.SaveData("ghosted.pvti", wavelet)
    summary = (data_dir / "ghosted.pvti").read_text()
    assert "vtkGhostType" not in summary, summary
    extents = [list(map(int, e.split())) for e in re.findall(r'<Piece Extent="([^"]+)"', summary)]
    assert len(extents) == 3, summary
    cells = sum(np.prod([max(e[2 * a + 1] - e[2 * a], 1) for a in range(3)]) for e in extents)
    assert cells == 8000, extents  # the pieces' cells add up to the whole, none counted twice
    back = read_local(data_dir / "ghosted.pvti")
    assert back.GetNumberOfCells() == 8000 and back.GetPointData().GetArray("vtkGhostType") is None


# ------------------------------------------------------------------------------------------ writers


SINGLE_WRITERS = [".vtu", ".vtp", ".vti", ".vts", ".vtr", ".vtk", ".stl", ".ply", ".csv"]
PARTITIONED_WRITERS = [".pvtu", ".pvtp", ".pvti", ".pvts", ".pvtr"]
STRUCTURED_WRITERS = [".vti", ".pvti", ".vts", ".pvts", ".vtr", ".pvtr"]
SOURCE_OF = {  # which file a writer's round trip starts from
    ".vtu": ".vtu",
    ".vtk": ".vtu",
    ".csv": ".vtu",
    ".pvtu": ".vtu",
    ".vtp": ".vtp",
    ".stl": ".vtp",
    ".ply": ".vtp",
    ".pvtp": ".vtp",
    ".vti": ".vti",
    ".pvti": ".vti",
    ".vts": ".vts",
    ".pvts": ".vts",
    ".vtr": ".vtr",
    ".pvtr": ".vtr",
}


@pytest.mark.parametrize("ext", SINGLE_WRITERS + PARTITIONED_WRITERS)
def test_every_writer_round_trips(simple_state, server4, data_dir, files, ext: str) -> None:
    simple_state.Connect(server4.url)
    source_file = files[SOURCE_OF[ext]]
    source = read_local(source_file)
    reader = simple_state.OpenDataFile(source_file.name)
    name = f"roundtrip{ext}"
    simple_state.SaveData(name, reader)
    assert (data_dir / name).is_file()

    if ext == ".csv":  # back as a table, then points again
        table = simple_state.OpenDataFile(name)
        assert table.GetDataInformation().GetDataSetTypeAsString() == "vtkTable"
        points = simple_state.TableToPoints(Input=table, XColumn="Points:0", YColumn="Points:1", ZColumn="Points:2")
        info = points.GetDataInformation()
        assert info.GetNumberOfPoints() == source.GetNumberOfPoints()  # merged: each point once
        assert info.PointData["RTData"].GetRange() == pytest.approx(source.GetPointData().GetArray("RTData").GetRange())
        assert_same_points(simple_state.Fetch(points), source, "RTData")
        return

    back = read_local(data_dir / name)
    assert back.GetNumberOfCells() == source.GetNumberOfCells(), ext
    if ext in STRUCTURED_WRITERS:  # the whole grid again, of its own type, value for value
        assert_same_structured(back, source)
    elif ext in (".vtu", ".vtk", ".pvtu"):
        # Legacy ASCII .vtk keeps 6 significant digits (VTK's default file type), XML files every bit.
        assert_same_points(back, source, "RTData", rtol=1e-5 if ext == ".vtk" else 0.0)
        if ext != ".pvtu":  # one file: the pieces' shared points merged again
            assert back.GetNumberOfPoints() == source.GetNumberOfPoints()
    elif ext in (".vtp", ".pvtp"):
        assert_same_points(back, source, "Elevation")
        assert_same_points(back, source, "Normals")
    else:  # .stl .ply: geometry only
        assert_same_points(back, source)
    assert back.GetBounds() == pytest.approx(source.GetBounds(), abs=1e-5)
    if ext in PARTITIONED_WRITERS:
        summary = (data_dir / name).read_text()
        pieces = re.findall(r'Source="([^"]+)"', summary)
        assert len(pieces) == server4.ranks, summary
        assert all((data_dir / p).is_file() for p in pieces), pieces
    again = simple_state.OpenDataFile(name).GetDataInformation()  # and the server reads it back
    assert again.GetNumberOfCells() == source.GetNumberOfCells(), ext


def assert_same_structured(back: Any, source: Any) -> None:
    """Same type, extent, geometry and point values, point for point in index order."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    assert back.GetClassName() == source.GetClassName()
    assert back.GetExtent() == source.GetExtent()
    if source.IsA("vtkImageData"):
        assert back.GetSpacing() == pytest.approx(source.GetSpacing())
        assert back.GetOrigin() == pytest.approx(source.GetOrigin())
    elif source.IsA("vtkRectilinearGrid"):
        for axis in "XYZ":
            coords = [vtk_to_numpy(getattr(grid, f"Get{axis}Coordinates")()) for grid in (back, source)]
            np.testing.assert_array_equal(*coords)
    else:
        points = [vtk_to_numpy(grid.GetPoints().GetData()) for grid in (back, source)]
        np.testing.assert_array_equal(*points)
    np.testing.assert_array_equal(
        vtk_to_numpy(back.GetPointData().GetArray("RTData")), vtk_to_numpy(source.GetPointData().GetArray("RTData"))
    )


# ------------------------------------------------------------------------------------------ readers

READER_ARRAY = {".vtp": "Elevation", ".pvtp": None, ".stl": None, ".ply": None, ".obj": None, ".csv": "value"}


READ_EXTENSIONS = [".vtu", ".vtp", ".vti", ".vts", ".vtr", ".vtm", ".pvtu", ".pvtp", ".pvti", ".pvts", ".pvtr"]
READ_EXTENSIONS += [".vtk", ".stl", ".ply", ".obj", ".csv", ".exo"]


@pytest.mark.parametrize("ext", READ_EXTENSIONS)
def test_every_reader_extension(simple_state, server2, files, ext: str) -> None:
    path = files[ext]
    if not path.is_file():
        pytest.skip(f"vtkExodusIIWriter of this VTK build could not write {ext}; nothing to read")
    simple_state.Connect(server2.url)
    reader = simple_state.OpenDataFile(path.name)
    array = READER_ARRAY.get(ext, "RTData")
    if ext == ".csv":
        rows = np.loadtxt(path, delimiter=",", skiprows=1)
        assert reader.GetDataInformation().GetDataSetTypeAsString() == "vtkTable"
        points = simple_state.TableToPoints(Input=reader)  # columns x, y, z
        info = points.GetDataInformation()
        assert info.GetNumberOfPoints() == len(rows)
        assert info.GetBounds() == pytest.approx([f(rows[:, i // 2]) for i, f in enumerate([min, max] * 3)], abs=1e-6)
        assert info.PointData["value"].GetRange() == pytest.approx((rows[:, 3].min(), rows[:, 3].max()), abs=1e-6)
        return
    expected = totals(read_local(path), array or "")
    info = reader.GetDataInformation()
    assert info.GetNumberOfCells() == expected["cells"], ext
    assert info.GetNumberOfPoints() >= expected["points"], ext
    assert info.GetBounds() == pytest.approx(expected["bounds"], abs=1e-5), ext
    if array:
        assert info.PointData[array].GetRange() == pytest.approx(expected["range"]), ext
    assert info.GetNumberOfPartitions() == 2, ext  # both ranks hold a part: pieces, or a scattered single file


# ------------------------------------------------------------------------------------------ time series


def series_cells() -> list[int]:
    return [
        _sphere(r, r, radius).GetNumberOfCells() for r, radius in zip(SERIES_RESOLUTIONS, SERIES_RADII, strict=True)
    ]


@pytest.mark.parametrize("ranks", [1, 2])
def test_file_series_is_a_time_series(simple_state, server2, data_dir, files, ranks: int) -> None:
    path = connect(simple_state, server2 if ranks == 2 else None, data_dir)
    cells = series_cells()
    assert len(set(cells)) == len(cells)
    reader = simple_state.OpenDataFile(path("ball_0.vtp"))
    assert reader.TimestepValues == [0.0, 1.0, 2.0, 3.0]
    assert simple_state.GetTimeKeeper().TimestepValues == [0.0, 1.0, 2.0, 3.0]
    for t in (2, 0, 3, 1):  # forwards and backwards
        reader.UpdatePipeline(t)
        info = reader.GetDataInformation()
        assert info.GetNumberOfCells() == cells[t], f"after UpdatePipeline({t}): the information of another step"
        assert info.GetBounds()[5] == pytest.approx(SERIES_RADII[t])  # the sphere's pole
    # A filter downstream sees the same step as the time it is updated at.
    shrink = simple_state.Shrink(Input=reader)
    shrink.UpdatePipeline(2.0)
    assert shrink.GetDataInformation().GetNumberOfCells() == cells[2]
    # Information, Fetch and SaveData see the step last updated, upstream and downstream alike.
    reader.UpdatePipeline(1)
    assert shrink.GetDataInformation().GetNumberOfCells() == cells[1], "the filter kept the step before"
    assert reader.GetDataInformation().GetNumberOfCells() == cells[1]
    reader.UpdatePipeline(2.6)  # between steps: the last step at or before that time, as ParaView's series reader
    assert reader.GetDataInformation().GetNumberOfCells() == cells[2]
    assert simple_state.Fetch(shrink).GetNumberOfCells() == cells[2]
    shrink.UpdatePipeline(3)
    simple_state.SaveData(path(f"ball_at_3_{ranks}.vtp"), reader)
    assert read_local(data_dir / f"ball_at_3_{ranks}.vtp").GetNumberOfCells() == cells[3]

    references = []
    for step in range(4):  # each step read alone, as a single file, in a view of its own
        view = fixed_view(simple_state, (0.0, 0.0, 3.0))
        simple_state.Show(simple_state.OpenDataFile(path(f"ballstep{step}.vtp")), view)
        references.append(pixels(view))
    coverage = [foreground(image).mean() for image in references]
    assert coverage == sorted(coverage) and coverage[0] > 0.01, coverage  # the steps really look different

    view = fixed_view(simple_state, (0.0, 0.0, 3.0))
    simple_state.Show(reader, view)
    scene = simple_state.GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    scene.GoToFirst()
    for expected_step, move in ((0, None), (1, scene.GoToNext), (2, scene.GoToNext), (3, scene.GoToLast)):
        if move is not None:
            move()
        assert view.ViewTime == expected_step
        simple_state.Render(view)
        assert_same_image(references[expected_step], pixels(view), f"time {expected_step} on {ranks} rank(s)")
    assert reader.GetDataInformation().GetNumberOfCells() == cells[3]  # what the view last updated


def test_the_animation_scene_moves_the_data_without_a_view(simple_state, server2, data_dir, files) -> None:
    """As ParaView's animation ticks do, stepping the scene brings the readers (and what follows them) to the
    new time at once: data information follows without a render, and without any view at all."""
    path = connect(simple_state, server2, data_dir)
    cells = series_cells()
    reader = simple_state.OpenDataFile(path("ball_0.vtp"))
    shrink = simple_state.Shrink(Input=reader)
    scene = simple_state.GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    scene.GoToLast()
    assert scene.AnimationTime == 3.0
    assert reader.GetDataInformation().GetNumberOfCells() == cells[3]
    assert shrink.GetDataInformation().GetNumberOfCells() == cells[3]
    scene.GoToPrevious()
    assert scene.AnimationTime == 2.0
    assert shrink.GetDataInformation().GetNumberOfCells() == cells[2]


# ------------------------------------------------------------------------------------------ Fetch


def sizes_in(message: str) -> list[float]:
    """Every size a message names, in bytes ("1.5 MiB", "1000 bytes", "12 KiB"...)."""
    units = {"b": 1, "byte": 1, "bytes": 1, "kb": 1e3, "kib": 2**10, "mb": 1e6, "mib": 2**20, "gb": 1e9, "gib": 2**30}
    found = re.findall(r"(\d+(?:\.\d+)?)\s*(bytes|byte|[kmg]i?b|b)\b", message, flags=re.IGNORECASE)
    return [float(value) * units[unit.lower()] for value, unit in found]


@pytest.mark.parametrize("ranks", [1, 4])
def test_fetch_returns_the_merged_dataset(simple_state, server4, data_dir, files, ranks: int) -> None:
    from vtkmodules.numpy_interface import dataset_adapter as dsa

    path = connect(simple_state, server4 if ranks == 4 else None, data_dir)
    whole = read_local(files[".vtu"])
    reader = simple_state.OpenDataFile(path("wave.vtu"), registrationName="WaveToFetch")
    info = reader.GetDataInformation()
    data = simple_state.Fetch(reader)
    assert data.IsA("vtkUnstructuredGrid")
    wrapped = dsa.WrapDataObject(data)
    assert data.GetNumberOfCells() == info.GetNumberOfCells() == whole.GetNumberOfCells()
    assert data.GetNumberOfPoints() == whole.GetNumberOfPoints()  # the pieces' shared points merged
    rtdata = np.asarray(wrapped.PointData["RTData"])
    assert (rtdata.min(), rtdata.max()) == pytest.approx(info.PointData["RTData"].GetRange())
    assert data.GetBounds() == pytest.approx(info.GetBounds())
    assert_same_points(data, whole, "RTData")

    contour = simple_state.Contour(Input=reader, ContourBy=["POINTS", "RTData"], Isosurfaces=[ISO])
    surface = simple_state.Fetch(contour)
    assert surface.IsA("vtkPolyData")
    assert surface.GetNumberOfCells() == contour.GetDataInformation().GetNumberOfCells()
    assert np.asarray(dsa.WrapDataObject(surface).PointData["RTData"]) == pytest.approx(ISO, abs=1e-3)

    with pytest.raises(DataAccessError) as refused:
        simple_state.Fetch(reader, max_bytes=1000)
    message = str(refused.value)
    assert "WaveToFetch" in message
    size = info.GetMemorySize() * 1024  # bytes, all ranks together
    named = sizes_in(message)
    assert any(abs(s - size) <= 0.1 * size for s in named), f"the data's size ({size} bytes) is not in: {message}"
    assert any(abs(s - 1000) <= 100 for s in named), f"the limit (1000 bytes) is not in: {message}"
    assert reader.GetDataInformation().GetNumberOfCells() == 8000  # the server goes on


# ------------------------------------------------------------------------------------------ the sandbox


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory, files: dict[str, Path], data_dir: Path) -> Path:
    """A folder beside the data directory with a readable file, and links to both inside the data directory."""
    folder = tmp_path_factory.mktemp("outside")
    shutil.copy(files[".vtp"], folder / "secret.vtp")
    (data_dir / "link.vtp").symlink_to(folder / "secret.vtp")
    (data_dir / "linkdir").symlink_to(folder, target_is_directory=True)
    return folder


def test_paths_outside_the_data_dir_are_refused(simple_state, server2, data_dir, outside) -> None:
    simple_state.Connect(server2.url)
    root = str(data_dir.resolve())
    dotdot = f"../{outside.name}/secret.vtp"
    assert (data_dir / dotdot).resolve().is_file()  # it exists: refused for where it is, not for being missing
    for name in (dotdot, str(outside / "secret.vtp"), "link.vtp", "linkdir/secret.vtp"):
        with pytest.raises(DataAccessError) as refused:
            simple_state.OpenDataFile(name)
        assert root in str(refused.value), str(refused.value)
        assert "outside" in str(refused.value)
    sphere = simple_state.Sphere()
    for name in ("../escaped.vtp", str(outside / "escaped.vtp"), "linkdir/escaped.vtp"):
        with pytest.raises(DataAccessError) as refused:
            simple_state.SaveData(name, sphere)
        assert root in str(refused.value), str(refused.value)
    assert not (data_dir.parent / "escaped.vtp").exists()
    assert not (outside / "escaped.vtp").exists()
    assert_still_serves(simple_state)


# ------------------------------------------------------------------------------------------ bad input


def test_missing_file_and_unsupported_extension(simple_state, server4, data_dir) -> None:
    from pvserver.pipeline.files import READERS, WRITERS

    simple_state.Connect(server4.url)
    with pytest.raises(DataAccessError) as missing:
        simple_state.OpenDataFile("no_such_file.vtu")
    assert "no_such_file.vtu" in str(missing.value)
    (data_dir / "notes.xyz").write_text("1 2 3\n")
    with pytest.raises(DataAccessError) as unsupported:
        simple_state.OpenDataFile("notes.xyz")
    message = str(unsupported.value)
    assert "notes.xyz" in message and "unsupported" in message
    assert all(ext in message for ext in READERS), message  # lists what it can read
    with pytest.raises(DataAccessError) as unwritable:
        simple_state.SaveData("out.xyz", simple_state.Sphere())
    assert "out.xyz" in str(unwritable.value)
    assert all(ext in str(unwritable.value) for ext in WRITERS if ext), str(unwritable.value)
    assert not (data_dir / "out.xyz").exists()
    for ext, kind in ((".vts", "vtkStructuredGrid"), (".pvtr", "vtkRectilinearGrid"), (".pvti", "vtkImageData")):
        with pytest.raises(DataAccessError) as wrong_type:  # a structured format holds its own type only
            simple_state.SaveData(f"sphere{ext}", simple_state.Sphere())
        assert f"vtkPolyData as {ext} ({kind} only)" in str(wrong_type.value), str(wrong_type.value)
        assert not (data_dir / f"sphere{ext}").exists()
    assert_still_serves(simple_state)


def _truncated(data_dir: Path, files: dict[str, Path]) -> str:
    content = files[".vtu"].read_bytes()
    (data_dir / "truncated.vtu").write_bytes(content[: len(content) // 2])
    return "truncated.vtu"


def _garbage(data_dir: Path, files: dict[str, Path]) -> str:
    (data_dir / "garbage.vtp").write_bytes(np.random.default_rng(3).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    return "garbage.vtp"


def _truncated_structured(data_dir: Path, files: dict[str, Path]) -> str:
    content = files[".vts"].read_bytes()  # every rank reads its own extent of it, and fails on its own
    (data_dir / "truncated.vts").write_bytes(content[: len(content) // 2])
    return "truncated.vts"


@pytest.mark.parametrize(
    "make", [_truncated, _garbage, _truncated_structured], ids=["truncated_xml", "wrong_magic", "truncated_vts"]
)
def test_broken_file_is_a_clear_error_and_no_rank_waits(simple_state, server4, data_dir, files, make) -> None:
    name = make(data_dir, files)
    simple_state.Connect(server4.url)
    reader = simple_state.OpenDataFile(name, registrationName="Broken")  # the message must name the file itself
    for _ in range(2):  # and again: the failure does not leave the reader or any rank in a bad state
        with pytest.raises((PipelineError, DataAccessError)) as broken:
            reader.UpdatePipeline()
        assert name in str(broken.value), str(broken.value)
    with pytest.raises(PVError):
        reader.GetDataInformation()
    assert_still_serves(simple_state)
    source = files[Path(name).suffix]  # repaired: the same reader reads it now, on every rank
    shutil.copy(source, data_dir / name)
    assert reader.GetDataInformation().GetNumberOfCells() == read_local(source).GetNumberOfCells()


@pytest.mark.parametrize("ghosts", [False, True], ids=["alone", "with_ghost_exchange"])
def test_missing_piece_names_the_rank(simple_state, server4, data_dir, files, ghosts: bool) -> None:
    """Also when the ranks would trade ghost cells after reading (a filter downstream asks for them): the ranks
    that read their piece do not wait for the one that could not, and all read again once it is back."""
    simple_state.Connect(server4.url)
    simple_state.SaveData("four.pvtu", simple_state.OpenDataFile("wave.vtu"))  # a piece per rank
    pieces = re.findall(r'Source="([^"]+)"', (data_dir / "four.pvtu").read_text())
    assert len(pieces) == 4
    aside = data_dir / f"{pieces[2]}.aside"
    (data_dir / pieces[2]).rename(aside)  # rank 2 reads piece 2
    reader = simple_state.OpenDataFile("four.pvtu", registrationName="FourPieces")
    consumer = simple_state.CellDatatoPointData(Input=simple_state.PointDatatoCellData(Input=reader))
    for _ in range(2):  # and the same again: no rank is left behind by the first failure
        with pytest.raises((PipelineError, DataAccessError)) as broken:
            (consumer if ghosts else reader).UpdatePipeline()
        err = broken.value
        assert err.rank == 2, str(err)
        assert "rank 2" in str(err) and "four.pvtu" in str(err), str(err)
    assert_still_serves(simple_state)
    aside.rename(data_dir / pieces[2])  # the same file back: the server wrote it, so it may replace it
    assert consumer.GetDataInformation().GetNumberOfCells() == 8000
