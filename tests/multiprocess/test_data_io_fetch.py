"""Fetch on the built-in session and a 4-rank server: the merged dataset, point for point, and a clear refusal
past ``max_bytes`` that names both sizes.

Every dataset is small and written by the tests themselves with VTK (tests/data_io_datasets.py) into the data
directory of the module's servers (``--data-dir``, ``--multi-clients``: tests/multiprocess/conftest.py).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from data_io_checks import assert_same_points, connect, read_local
from data_io_datasets import ISO

from pvcore.errors import DataAccessError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]


def sizes_in(message: str) -> list[float]:
    """Every size a message names, in bytes ("1.5 MiB", "1000 bytes", "12 KiB"...)."""
    units = {"b": 1, "byte": 1, "bytes": 1, "kb": 1e3, "kib": 2**10, "mb": 1e6, "mib": 2**20, "gb": 1e9, "gib": 2**30}
    found = re.findall(r"(\d+(?:\.\d+)?)\s*(bytes|byte|[kmg]i?b|b)\b", message, flags=re.IGNORECASE)
    return [float(value) * units[unit.lower()] for value, unit in found]


@pytest.mark.parametrize("ranks", [1, 4])
def test_fetch_returns_the_merged_dataset(simple_state, data_server4, data_dir, data_files, ranks: int) -> None:
    from vtkmodules.numpy_interface import dataset_adapter as dsa

    path = connect(simple_state, data_server4 if ranks == 4 else None, data_dir)
    whole = read_local(data_files[".vtu"])
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
