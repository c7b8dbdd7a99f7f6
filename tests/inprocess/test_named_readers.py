"""ParaView's readers by name (pvcore/definitions/readers_named.py) on the built-in session: their names and
ParaView 5.11's defaults, the same data as VTK's own reader of the file gives here, array selections, reader
settings, time series and .pvd collections, and clear refusals.

The expected names and defaults are ParaView 5.11's (``paraview.simple`` names a reader by its XML label without
spaces: "Legacy VTK Reader" -> LegacyVTKReader, "XML Partitioned Polydata Reader" -> XMLPartitionedPolydataReader).
The files are written by tests/data_io_datasets.py with VTK's writers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from data_io_checks import read_local, totals
from data_io_datasets import SERIES_RESOLUTIONS, write_datasets
from named_readers_data import EXODUS_TIMES, exodus_range_at, write_pvd, write_temporal_exodus

from pvcore.errors import PVError

pytestmark = pytest.mark.timeout(120)

#: (reader, its file property, the extension of the file it reads, a point array to compare the range of)
CASES = (
    ("XMLUnstructuredGridReader", "FileName", ".vtu", "RTData"),
    ("XMLPolyDataReader", "FileName", ".vtp", "Elevation"),
    ("XMLImageDataReader", "FileName", ".vti", "RTData"),
    ("XMLRectilinearGridReader", "FileName", ".vtr", "RTData"),
    ("XMLStructuredGridReader", "FileName", ".vts", "RTData"),
    ("XMLPartitionedUnstructuredGridReader", "FileName", ".pvtu", "RTData"),
    ("XMLPartitionedPolydataReader", "FileName", ".pvtp", None),
    ("XMLPartitionedImageDataReader", "FileName", ".pvti", "RTData"),
    ("XMLPartitionedRectilinearGridReader", "FileName", ".pvtr", "RTData"),
    ("XMLPartitionedStructuredGridReader", "FileName", ".pvts", "RTData"),
    ("LegacyVTKReader", "FileNames", ".vtk", "RTData"),
    ("STLReader", "FileNames", ".stl", None),
    ("PLYReader", "FileNames", ".ply", None),
    ("WavefrontOBJReader", "FileName", ".obj", None),
    ("ExodusIIReader", "FileName", ".exo", "RTData"),
    ("IOSSReader", "FileName", ".exo", "RTData"),
)

#: ParaView 5.11's defaults of each reader's own properties (printed by pvpython for a new reader).
DEFAULTS = {
    "XMLUnstructuredGridReader": {"PointArrayStatus": [], "CellArrayStatus": [], "TimeArray": "TimeValue"},
    "XMLPartitionedPolydataReader": {"PointArrayStatus": [], "CellArrayStatus": [], "TimeArray": "TimeValue"},
    "PVDReader": {"PointArrays": [], "CellArrays": [], "ColumnArrays": []},
    "PLYReader": {"DuplicatePointsForFaceTexture": 1, "FaceTextureTolerance": 1e-6},
    "CSVReader": {
        "AddTabFieldDelimiter": 0, "DetectNumericColumns": 1, "FieldDelimiterCharacters": ",", "HaveHeaders": 1,
        "MergeConsecutiveDelimiters": 0, "UseStringDelimiter": 1,
    },
    "ExodusIIReader": {
        "ApplyDisplacements": 1, "DisplacementMagnitude": 1.0, "GenerateObjectIdCellArray": 1,
        "GenerateGlobalElementIdArray": 1, "GenerateGlobalNodeIdArray": 1, "AnimateVibrations": 1,
        "UseLegacyBlockNamesWithElementTypes": 0,
    },
    "PNGSeriesReader": {"DataSpacing": [1.0, 1.0, 1.0]},
}  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("named")
    written = write_datasets(root)
    if not written[".exo"].is_file():
        pytest.skip("this VTK could not write the Exodus file")
    return written


def _totals(proxy, array: str | None) -> dict:
    info = proxy.GetDataInformation()
    return {
        "cells": info.GetNumberOfCells(),
        "points": info.GetNumberOfPoints(),
        "bounds": list(info.GetBounds()),
        "range": None if array is None else tuple(proxy.PointData[array].GetRange()),
    }


def _expected(path: Path, array: str | None) -> dict:
    found = totals(read_local(path), array or "")
    return {**found, "range": None if array is None else found["range"]}


def test_the_readers_have_paraviews_names_and_defaults(simple) -> None:
    names = {name for name, *_ in CASES} | {"PVDReader", "CSVReader", "TecplotReader", "PNGSeriesReader"}
    assert names <= set(dir(simple))
    for name, values in DEFAULTS.items():
        proxy = getattr(simple, name)  # created only once a file is named: the defaults of its definition
        spec = simple.active_connection().catalogue.get("sources", proxy.__name__)
        for key, value in values.items():
            default = list(spec.property(key).default)
            got = default if isinstance(value, list) else default[0]
            assert got == pytest.approx(value), f"{name}.{key}"


@pytest.mark.parametrize(("name", "file_property", "ext", "array"), CASES, ids=[c[0] for c in CASES])
def test_a_named_reader_gives_what_vtk_reads(simple, files, name, file_property, ext, array) -> None:
    reader = getattr(simple, name)(**{file_property: [str(files[ext])]})
    assert reader.GetXMLName() == name
    got, expected = _totals(reader, array), _expected(files[ext], array)
    assert got["cells"] == expected["cells"]
    if not ext.startswith(".p"):  # the pieces a rank reads of a partitioned file share the points where they meet
        assert got["points"] == expected["points"]
    assert got["bounds"] == pytest.approx(expected["bounds"])
    if array is not None:
        assert got["range"] == pytest.approx(expected["range"])


def test_array_status_keeps_only_the_arrays_listed(simple, files) -> None:
    every = simple.XMLPolyDataReader(FileName=[str(files[".vtp"])])
    assert set(every.PointData.keys()) == {"Elevation", "Normals"}
    some = simple.XMLPolyDataReader(FileName=[str(files[".vtp"])], PointArrayStatus=["Elevation"])
    assert list(some.PointData.keys()) == ["Elevation"]
    some.PointArrayStatus = ["Normals"]
    assert list(some.PointData.keys()) == ["Normals"]


def test_a_file_list_is_a_time_series(simple, files) -> None:
    series = [str(files[".vtp"].with_name(f"ball_{i}.vtp")) for i in range(len(SERIES_RESOLUTIONS))]
    reader = simple.XMLPolyDataReader(FileName=series)
    assert reader.TimestepValues == [0.0, 1.0, 2.0, 3.0]
    for step in (0, 2):
        reader.UpdatePipeline(float(step))
        expected = read_local(Path(series[step]))
        assert reader.GetDataInformation().GetNumberOfCells() == expected.GetNumberOfCells()


def test_a_pvd_file_is_read_at_its_times(simple, files) -> None:
    times = (0.5, 1.0, 2.5, 4.0)
    pvd = files[".vtp"].with_name("balls.pvd")
    write_pvd(pvd, [f"ball_{i}.vtp" for i in range(len(times))], times)
    reader = simple.PVDReader(FileName=str(pvd))
    cells = [read_local(files[".vtp"].with_name(f"ball_{i}.vtp")).GetNumberOfCells() for i in range(len(times))]
    # ParaView's PVD reader shows the first time step at or after the time asked for.
    for at, step in ((0.0, 0), (0.7, 1), (1.0, 1), (2.6, 3), (9.0, 3)):
        reader.UpdatePipeline(at)
        info = reader.GetDataInformation()
        assert info.GetNumberOfCells() == cells[step], at
        assert list(info.info.time_steps) == list(times)


def test_an_exodus_file_is_read_at_its_time_steps(simple, tmp_path) -> None:
    path = tmp_path / "temporal.exo"
    write_temporal_exodus(path)
    reader = simple.ExodusIIReader(FileName=[str(path)])
    # ParaView's Exodus reader shows the nearest time step (the earlier of two as near), as pvpython prints.
    for at, step in ((0.0, 0), (0.4, 1), (1.0, 1), (1.4, 2), (3.0, 2)):
        reader.UpdatePipeline(at)
        assert reader.PointData["T"].GetRange() == pytest.approx(exodus_range_at(path, step)), at
    assert list(reader.GetDataInformation().info.time_steps) == list(EXODUS_TIMES)


def test_csv_reader_settings(simple, tmp_path) -> None:
    path = tmp_path / "semicolons.csv"
    path.write_text("a;b;c\n1;2;3\n4;5;6\n")
    table = simple.CSVReader(FileName=[str(path)], FieldDelimiterCharacters=";")
    got = simple.Fetch(table)
    assert (got.GetNumberOfRows(), got.GetNumberOfColumns()) == (2, 3)
    assert got.GetColumnByName("b").GetValue(1) == 5
    table.HaveHeaders = 0
    assert simple.Fetch(table).GetNumberOfRows() == 3


def test_exodus_reader_blocks_and_id_arrays(simple, files) -> None:
    reader = simple.ExodusIIReader(FileName=[str(files[".exo"])])
    assert {"ObjectId", "GlobalElementId"} <= set(reader.CellData.keys())
    reader.GenerateObjectIdCellArray = 0
    assert "ObjectId" not in reader.CellData
    wrong = simple.ExodusIIReader(FileName=[str(files[".exo"])], ElementBlocks=["no such block"])
    with pytest.raises(PVError, match=r"no such block.*it has 'Unnamed block ID: "):
        wrong.UpdatePipeline()


def test_tecplot_and_png_readers(simple, tmp_path) -> None:
    from vtkmodules.vtkImagingCore import vtkImageShiftScale, vtkRTAnalyticSource
    from vtkmodules.vtkIOImage import vtkPNGWriter

    tecplot = tmp_path / "square.tec"
    tecplot.write_text('TITLE = "t"\nVARIABLES = "X" "Y" "Z" "T"\nZONE T="z", I=2, J=2, K=1, F=POINT\n'
                       "0 0 0 1\n1 0 0 2\n0 1 0 3\n1 1 0 4\n")  # fmt: skip
    zone = simple.TecplotReader(FileNames=[str(tecplot)])
    assert zone.GetDataInformation().GetNumberOfCells() == 1
    assert zone.PointData["T"].GetRange() == (1.0, 4.0)
    source = vtkRTAnalyticSource()
    source.SetWholeExtent(0, 15, 0, 9, 0, 0)
    to_bytes = vtkImageShiftScale()
    to_bytes.SetInputConnection(source.GetOutputPort())
    to_bytes.SetOutputScalarTypeToUnsignedChar()
    to_bytes.SetScale(0.5)
    writer = vtkPNGWriter()
    writer.SetInputConnection(to_bytes.GetOutputPort())
    writer.SetFileName(str(tmp_path / "wave.png"))
    writer.Write()
    image = simple.PNGSeriesReader(FileNames=[str(tmp_path / "wave.png")], DataSpacing=[2.0, 1.0, 1.0])
    info = image.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetBounds()) == (160, (0.0, 30.0, 0.0, 9.0, 0.0, 0.0))


def test_a_named_reader_reads_its_own_format_only(simple, files) -> None:
    reader = simple.XMLPolyDataReader(FileName=[str(files[".vtu"])])
    with pytest.raises(PVError, match=r"wave\.vtu.*not a \.vtp file"):
        reader.UpdatePipeline()
