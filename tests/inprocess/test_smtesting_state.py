"""``paraview.smtesting.LoadServerManagerState`` on the built-in session: a ParaView state file whose file names
say ``${DataDir}`` loads with the ``-D`` directory in their place, as ParaView's testing loads it; a file that
cannot be read or loaded prints ParaView's ``ERROR:`` line and gives False."""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkIOXML import vtkXMLPolyDataWriter

from paraview import smtesting

pytestmark = pytest.mark.timeout(60)

STATE = """<ParaView><ServerManagerState version="5.11.0">
<Proxy group="sources" type="XMLPolyDataReader" id="8" servers="21">
  <Property name="FileName" id="8.FileName" number_of_elements="1"><Element index="0" value="${DataDir}/ball.vtp"/>
  </Property>
</Proxy>
<ProxyCollection name="sources"><Item id="8" name="ball.vtp"/></ProxyCollection>
<Links/>
</ServerManagerState></ParaView>
"""


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A -D directory holding ball.vtp (a sphere of 12 x 9 resolution), as ProcessCommandLineArguments sets it."""
    source = vtkSphereSource()
    source.SetThetaResolution(12)
    source.SetPhiResolution(9)
    writer = vtkXMLPolyDataWriter()
    writer.SetFileName(str(tmp_path / "ball.vtp"))
    writer.SetInputConnection(source.GetOutputPort())
    writer.Write()
    monkeypatch.setattr(smtesting, "DataDir", str(tmp_path))
    monkeypatch.setattr(smtesting, "__ProcessedCommandLineArguments__", True)
    source.Update()
    return source.GetOutput()


def test_a_state_loads_with_the_data_directory_in_place(simple, data_dir, tmp_path) -> None:
    (tmp_path / "state.pvsm").write_text(STATE)
    assert smtesting.LoadServerManagerState(str(tmp_path / "state.pvsm")) is True
    reader = simple.FindSource("ball.vtp")
    assert list(reader.FileName) == [str(tmp_path / "ball.vtp")]
    info = reader.GetDataInformation()
    assert info.GetNumberOfCells() == data_dir.GetNumberOfCells()
    assert info.GetBounds() == pytest.approx(data_dir.GetBounds())
    assert not list(tmp_path.glob("smtesting-*"))  # the substituted copy is not left behind


def test_unreadable_or_broken_states_print_paraviews_error(simple, data_dir, tmp_path, capsys) -> None:
    assert smtesting.LoadServerManagerState("") is False
    assert capsys.readouterr().out == "ERROR: Failed to open state file \n"
    (tmp_path / "broken.pvsm").write_text("<ParaView><ServerManagerState>")
    assert smtesting.LoadServerManagerState(str(tmp_path / "broken.pvsm")) is False
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"ERROR: Failed to load state file {tmp_path / 'broken.pvsm'}"
    assert "broken XML" in out[1]
    assert not simple.GetSources()
