"""``CreateWriter`` and ``FetchData`` (simple/writers.py, simple/functions_more.py) on a 2-rank server: the writer
writes a piece per rank and the summary file (or one gathered file), and FetchData brings all ranks' data.

What is written and fetched is compared with the same VTK source run here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import ServerProcess
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
from vtkmodules.vtkIOXML import vtkXMLImageDataReader, vtkXMLPImageDataReader

from paraview import servermanager

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("written")


@pytest.fixture(scope="module")
def server2(data_dir: Path) -> Iterator[ServerProcess]:
    """A 2-rank server writing into ``data_dir`` (the shared ``server2`` writes where it was started)."""
    with ServerProcess(2, "--multi-clients", "--data-dir", str(data_dir)) as server:
        yield server


def _local_wavelet():
    source = vtkRTAnalyticSource()
    source.Update()
    return source.GetOutput()


def test_create_writer_and_fetch_data_on_two_ranks(simple_state, server2, data_dir) -> None:
    simple = simple_state
    simple.Connect(server2.url)
    assert simple.GetActiveConnection().GetNumberOfDataPartitions() == 2
    wavelet = simple.Wavelet()
    local = _local_wavelet()

    fetched = simple.FetchData(wavelet)
    assert list(fetched) == [0]
    data = fetched[0]
    assert data.GetNumberOfCells() == local.GetNumberOfCells()
    assert data.GetPointData().GetArray("RTData").GetRange() == pytest.approx(
        local.GetPointData().GetArray("RTData").GetRange()
    )

    writer = simple.CreateWriter("wave.pvti", wavelet)
    assert writer.GetXMLName() == "XMLPImageDataWriter"
    writer.UpdatePipeline()
    assert sorted(p.name for p in data_dir.iterdir()) == ["wave.pvti", "wave_0.vti", "wave_1.vti"]
    reader = vtkXMLPImageDataReader()
    reader.SetFileName(str(data_dir / "wave.pvti"))
    reader.Update()
    assert reader.GetOutput().GetNumberOfCells() == local.GetNumberOfCells()

    simple.XMLImageDataWriter(Input=wavelet, FileName="whole.vti").UpdatePipeline()  # gathered into one file
    single = vtkXMLImageDataReader()
    single.SetFileName(str(data_dir / "whole.vti"))
    single.Update()
    assert single.GetOutput().GetDimensions() == local.GetDimensions()
    assert single.GetOutput().GetPointData().GetArray("RTData").GetRange() == pytest.approx(
        local.GetPointData().GetArray("RTData").GetRange()
    )


def test_session_counts_the_server_ranks(simple_state, server2) -> None:
    """TestFetchData's questions on 2 ranks: the data server has 2 processes, this client is partition 0."""
    simple = simple_state
    simple.Connect(server2.url)
    session = servermanager.vtkSMProxyManager.GetProxyManager().GetActiveSession()
    assert session.GetNumberOfProcesses(session.DATA_SERVER) == 2 and session.GetNumberOfProcesses(session.CLIENT) == 1
    assert servermanager.vtkProcessModule.GetProcessModule().GetPartitionId() == 0
    assert not servermanager.vtkProcessModule.GetSymmetricMPIMode()
    wavelet = simple.Wavelet()
    assert simple.FetchData(wavelet, SourceRanks=[2, 3]) == {}  # ranks the server lacks are left out
    with pytest.raises(servermanager.NotSupportedException, match="one rank's piece"):
        simple.FetchData(wavelet, SourceRanks=[1])
