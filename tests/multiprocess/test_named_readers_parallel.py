"""ParaView's readers by name on a 3-rank server with a data directory: the same cells, bounds and ranges as VTK's
own reader of the whole file (what one rank reads), the data shared over the ranks, time series and .pvd files,
and the data directory's confinement (no path out of it, no link followed, a .pvd's datasets included).

The files are written by tests/data_io_datasets.py into the data directory of the module's server
(tests/multiprocess/conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from data_io_checks import read_local, totals
from data_io_datasets import SERIES_RESOLUTIONS
from named_readers_data import EXODUS_TIMES, exodus_range_at, write_pvd, write_temporal_exodus
from servers import ServerProcess

from pvcore.errors import PVError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(90)]

#: (reader, its file property, the extension of the file it reads, a point array to compare the range of)
CASES = (
    ("XMLUnstructuredGridReader", "FileName", ".vtu", "RTData"),
    ("XMLPolyDataReader", "FileName", ".vtp", "Elevation"),
    ("XMLImageDataReader", "FileName", ".vti", "RTData"),
    ("XMLRectilinearGridReader", "FileName", ".vtr", "RTData"),
    ("XMLStructuredGridReader", "FileName", ".vts", "RTData"),
    ("XMLPartitionedUnstructuredGridReader", "FileName", ".pvtu", "RTData"),
    ("XMLPartitionedImageDataReader", "FileName", ".pvti", "RTData"),
    ("LegacyVTKReader", "FileNames", ".vtk", "RTData"),
    ("PLYReader", "FileNames", ".ply", None),
    ("ExodusIIReader", "FileName", ".exo", "RTData"),
    ("IOSSReader", "FileName", ".exo", "RTData"),
)
TIMES = (0.5, 1.0, 2.5, 4.0)


@pytest.fixture(scope="module")
def server(data_server3: ServerProcess, data_dir: Path, data_files: dict[str, Path]) -> ServerProcess:
    """The 3-rank server, with a .pvd file of the sphere series and a link out of the data directory."""
    write_pvd(data_dir / "balls.pvd", [f"ball_{i}.vtp" for i in range(len(TIMES))], TIMES)
    write_temporal_exodus(data_dir / "temporal.exo")
    outside = data_dir.parent / f"{data_dir.name}-outside.vtu"
    outside.write_bytes(data_files[".vtu"].read_bytes())
    os.symlink(outside, data_dir / "linked.vtu")
    (data_dir / "linked.pvd").write_text(
        '<VTKFile type="Collection"><Collection><DataSet timestep="0" file="linked.vtu"/></Collection></VTKFile>'
    )
    (data_dir / "escaping.pvd").write_text(
        f'<VTKFile type="Collection"><Collection><DataSet timestep="0" file="../{outside.name}"/></Collection>'
        "</VTKFile>"
    )
    return data_server3


@pytest.fixture
def simple(simple_state, server: ServerProcess):
    conn = simple_state.Connect(server.url)
    yield simple_state
    simple_state.Disconnect(conn)


@pytest.mark.parametrize(("name", "file_property", "ext", "array"), CASES, ids=[c[0] for c in CASES])
def test_three_ranks_give_what_one_reads(simple, data_files, name, file_property, ext, array) -> None:
    path = data_files[ext]
    if not path.is_file():
        pytest.skip(f"this VTK could not write {ext}")
    reader = getattr(simple, name)(**{file_property: [path.name]})
    expected = totals(read_local(path), array or "")
    info = reader.GetDataInformation()
    assert info.GetNumberOfCells() == expected["cells"]
    assert info.GetNumberOfPoints() >= expected["points"]  # points on the parts' boundaries are each rank's
    assert info.GetBounds() == pytest.approx(expected["bounds"], abs=1e-5)
    if array:
        assert info.PointData[array].GetRange() == pytest.approx(expected["range"])
    partitions = 2 if ext == ".pvtu" else 3  # a partitioned file of 2 pieces: a piece for each of 2 ranks
    assert info.GetNumberOfPartitions() == partitions


def test_a_file_series_on_three_ranks(simple, data_files) -> None:
    series = [f"ball_{i}.vtp" for i in range(len(SERIES_RESOLUTIONS))]
    reader = simple.XMLPolyDataReader(FileName=series)
    assert reader.TimestepValues == [0.0, 1.0, 2.0, 3.0]
    reader.UpdatePipeline(2.0)
    expected = read_local(data_files[".vtp"].with_name(series[2]))
    assert reader.GetDataInformation().GetNumberOfCells() == expected.GetNumberOfCells()


def test_a_pvd_file_on_three_ranks(simple, data_dir) -> None:
    reader = simple.PVDReader(FileName="balls.pvd", PointArrays=["Elevation"])
    reader.UpdatePipeline(2.6)  # the first time step at or after it: 4.0, the last sphere
    info = reader.GetDataInformation()
    last = read_local(data_dir / "ball_3.vtp")
    assert info.GetNumberOfCells() == last.GetNumberOfCells()
    assert list(info.info.time_steps) == list(TIMES)
    assert list(reader.PointData.keys()) == ["Elevation"]


def test_an_exodus_file_with_time_steps_on_three_ranks(simple, data_dir) -> None:
    reader = simple.ExodusIIReader(FileName=["temporal.exo"], PointVariables=["T"])
    reader.UpdatePipeline(1.4)  # the nearest step: 1.5
    info = reader.GetDataInformation()
    assert (info.GetNumberOfCells(), info.GetNumberOfPartitions()) == (8, 3)
    assert info.PointData["T"].GetRange() == pytest.approx(exodus_range_at(data_dir / "temporal.exo", 2))
    assert list(info.info.time_steps) == list(EXODUS_TIMES)


@pytest.mark.parametrize(
    ("name", "files", "refusal"),
    [
        ("XMLUnstructuredGridReader", ["../wave.vtu"], "outside the server's data directory"),
        ("XMLUnstructuredGridReader", ["/etc/passwd.vtu"], "outside the server's data directory"),
        ("XMLUnstructuredGridReader", ["linked.vtu"], "symbolic link"),
        ("PVDReader", ["linked.pvd"], "symbolic link"),
        ("PVDReader", ["escaping.pvd"], "outside the server's data directory"),
    ],
)
def test_named_readers_stay_in_the_data_directory(simple, name, files, refusal) -> None:
    with pytest.raises(PVError, match=refusal):
        getattr(simple, name)(FileName=files).UpdatePipeline()
