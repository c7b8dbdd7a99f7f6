"""Reading on real servers: every reader extension, a single file scattered over the ranks, structured files
that keep their type, and filters downstream of structured readers.

Every dataset is small and written by the tests themselves with VTK (tests/data_io_datasets.py) into the data
directory of the module's servers (``--data-dir``, ``--multi-clients``: tests/multiprocess/conftest.py).
What the server reads is compared with what VTK itself reads from the same file in this process.
"""

from __future__ import annotations

import numpy as np
import pytest
from data_io_checks import assert_same_structured, connect, read_local, totals
from data_io_datasets import ISO, WAVE_EXTENT

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]


READER_ARRAY = {".vtp": "Elevation", ".pvtp": None, ".stl": None, ".ply": None, ".obj": None, ".csv": "value"}


READ_EXTENSIONS = [".vtu", ".vtp", ".vti", ".vts", ".vtr", ".vtm", ".pvtu", ".pvtp", ".pvti", ".pvts", ".pvtr"]
READ_EXTENSIONS += [".vtk", ".stl", ".ply", ".obj", ".csv", ".exo"]


@pytest.mark.parametrize("ext", READ_EXTENSIONS)
def test_every_reader_extension(simple_state, data_server2, data_files, ext: str) -> None:
    path = data_files[ext]
    if not path.is_file():
        pytest.skip(f"vtkExodusIIWriter of this VTK build could not write {ext}; nothing to read")
    simple_state.Connect(data_server2.url)
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


def test_single_file_is_read_once_and_scattered_over_4_ranks(simple_state, data_server4, data_files) -> None:
    simple_state.Connect(data_server4.url)
    info = simple_state.OpenDataFile("wave.vtu").GetDataInformation()
    assert info.GetNumberOfPartitions() == 4
    whole = read_local(data_files[".vtu"])
    # Each rank holds a spatially coherent share: the points of all pieces are hardly more than the whole's.
    assert info.GetNumberOfCells() == whole.GetNumberOfCells()
    assert whole.GetNumberOfPoints() < info.GetNumberOfPoints() < 1.5 * whole.GetNumberOfPoints()
    assert info.GetMemorySize() < 2.5 * whole.GetActualMemorySize()  # KiB, all ranks together


@pytest.mark.parametrize("ext", [".vti", ".vts", ".vtr"])
def test_single_structured_file_keeps_its_type_and_each_rank_reads_its_extent(
    simple_state, data_server4, data_files, ext: str
) -> None:
    simple_state.Connect(data_server4.url)
    whole = read_local(data_files[ext])
    reader = simple_state.OpenDataFile(data_files[ext].name)
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
def test_filters_on_structured_readers_see_the_whole_data(
    simple_state, data_server3, data_dir, data_files, ext, ranks
) -> None:
    """Structured readers tell VTK their whole extent: without it, a filter downstream gets an empty extent."""
    name = connect(simple_state, data_server3 if ranks == 3 else None, data_dir)(data_files[ext].name)
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
