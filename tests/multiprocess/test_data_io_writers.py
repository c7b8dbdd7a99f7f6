"""Writing on real servers: every writer's file, single or partitioned (a piece per rank), read back here with
VTK's own readers and by the server again.

Every dataset is small and written by the tests themselves with VTK (tests/data_io_datasets.py) into the data
directory of the module's servers (``--data-dir``, ``--multi-clients``: tests/multiprocess/conftest.py).
"""

from __future__ import annotations

import re

import pytest
from data_io_checks import assert_same_points, assert_same_structured, read_local

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]


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
def test_every_writer_round_trips(simple_state, data_server4, data_dir, data_files, ext: str) -> None:
    simple_state.Connect(data_server4.url)
    source_file = data_files[SOURCE_OF[ext]]
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
        assert len(pieces) == data_server4.ranks, summary
        assert all((data_dir / p).is_file() for p in pieces), pieces
    again = simple_state.OpenDataFile(name).GetDataInformation()  # and the server reads it back
    assert again.GetNumberOfCells() == source.GetNumberOfCells(), ext
