"""The data directory sandbox against a real 3-rank server: every file opened by any rank, for any reason, stays
beneath --data-dir and follows no link; writes follow no link, replace no one else's file, come from the master only,
and every client is told of them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkIOXML import vtkXMLUnstructuredGridWriter

from pvclient.connection import Connection
from pvcore import messages
from pvcore.errors import DataAccessError, PermissionDeniedError, PipelineError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(180)]

RANKS = 3
SECRET = "key\nPRIVATE-KEY-MATERIAL\n"


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the data directory ``data`` and, beside it, ``outside`` with secrets in it."""
    top = tmp_path_factory.mktemp("sandbox")
    (top / "data").mkdir()
    (top / "outside").mkdir()
    (top / "outside" / "secret.csv").write_text(SECRET)
    _write_grid(top / "outside" / "secret.vtu")
    return top.resolve()


@pytest.fixture(scope="module")
def server(place: Path) -> Iterator[object]:
    from servers import ServerProcess

    with ServerProcess(RANKS, "--multi-clients", "--data-dir", str(place / "data")) as started:
        yield started


@pytest.fixture
def alice(server) -> Iterator[Connection]:
    conn = Connection.remote(server.host, server.port, user="alice", timeout=30)
    yield conn
    conn.close()


def _write_grid(path: Path) -> None:
    from vtkmodules.vtkFiltersCore import vtkAppendFilter

    sphere = vtkSphereSource()
    append = vtkAppendFilter()
    append.SetInputConnection(sphere.GetOutputPort())
    append.Update()
    writer = vtkXMLUnstructuredGridWriter()
    writer.SetFileName(str(path))
    writer.SetInputData(append.GetOutput())
    assert writer.Write()


def _cells(path: Path) -> int:
    from vtkmodules.vtkIOXML import vtkXMLUnstructuredGridReader

    reader = vtkXMLUnstructuredGridReader()
    reader.SetFileName(str(path))
    reader.Update()
    return reader.GetOutput().GetNumberOfCells()


def _summary(sources: list[str]) -> str:
    pieces = "\n".join(f'    <Piece Source="{s}"/>' for s in sources)
    return f"""<?xml version="1.0"?>
<VTKFile type="PUnstructuredGrid" version="0.1" byte_order="LittleEndian" header_type="UInt32">
  <PUnstructuredGrid GhostLevel="0">
    <PPointData Normals="Normals"><PDataArray type="Float32" Name="Normals" NumberOfComponents="3"/></PPointData>
    <PPoints><PDataArray type="Float32" Name="Points" NumberOfComponents="3"/></PPoints>
{pieces}
  </PUnstructuredGrid>
</VTKFile>
"""


def _refused_read(conn: Connection, reader) -> str:
    with pytest.raises((DataAccessError, PipelineError)) as refused:
        conn.invoke(reader, "UpdatePipeline", [(1.0,)])
    return str(refused.value)


def wait_for_notice(conn: Connection, kind: str, timeout: float = 15.0) -> messages.Notice:
    deadline = time.monotonic() + timeout
    while True:
        found = [n for n in conn.notices if n.kind == kind]
        if found:
            return found[-1]
        assert time.monotonic() < deadline, f"no {kind} notice came"
        conn.process_events(timeout=0.1)


# ----------------------------------------------------------------------------------------------- reading


def test_a_series_with_a_linked_second_file_is_refused(alice, place: Path) -> None:
    data = place / "data"
    (data / "x_0.csv").write_text("a\n1\n")
    (data / "x_1.csv").symlink_to(place / "outside" / "secret.csv")
    with pytest.raises(DataAccessError) as refused:
        alice.create("sources", "FileReader", {"FileName": ["x_0.csv"]})
    assert "x_1.csv" in str(refused.value) and "symbolic link" in str(refused.value), str(refused.value)


def test_a_series_file_swapped_for_a_link_after_opening_is_refused_when_read(alice, place: Path) -> None:
    """The check is made where the file is opened, on the rank that reads it, not once beforehand."""
    data = place / "data"
    (data / "y_0.csv").write_text("a\n1\n")
    (data / "y_1.csv").write_text("a\n2\n")
    reader = alice.create("sources", "FileReader", {"FileName": ["y_0.csv"]})
    assert list(reader.TimestepValues) == [0.0, 1.0]
    (data / "y_1.csv").unlink()
    (data / "y_1.csv").symlink_to(place / "outside" / "secret.csv")
    message = _refused_read(alice, reader)
    assert "symbolic link" in message and "y_1.csv" in message, message
    assert "PRIVATE" not in message


@pytest.mark.parametrize("source", ["../outside/secret.vtu", "linkdir/secret.vtu", "/etc/hostname"])
def test_pieces_a_pvtu_names_stay_beneath_the_data_dir(alice, place: Path, source: str) -> None:
    data = place / "data"
    if not (data / "linkdir").exists():
        (data / "linkdir").symlink_to(place / "outside", target_is_directory=True)
    _write_grid(data / "mine_0.vtu")
    name = "escape_" + "".join(c if c.isalnum() else "_" for c in source) + ".pvtu"
    (data / name).write_text(_summary(["mine_0.vtu", source, "mine_0.vtu"]))  # one bad piece of three
    reader = alice.create("sources", "FileReader", {"FileName": [name]})
    message = _refused_read(alice, reader)
    assert "outside" in message and str(data) in message, message
    (data / "good.pvtu").write_text(_summary(["mine_0.vtu"] * RANKS))  # the same pieces inside: read
    reader = alice.create("sources", "FileReader", {"FileName": ["good.pvtu"]})
    assert alice.information(reader).number_of_cells == RANKS * _cells(data / "mine_0.vtu")


# ----------------------------------------------------------------------------------------------- writing


def test_a_parallel_save_refuses_planted_links_and_leaves_their_target_alone(alice, place: Path) -> None:
    data, target = place / "data", place / "outside" / "target.txt"
    target.write_text("precious\n")
    for piece in range(RANKS):
        (data / f"v_{piece}.vtu").symlink_to(target)
    sphere = alice.create("sources", "Sphere")
    with pytest.raises(DataAccessError) as refused:
        alice.request(messages.SaveDataRequest(sphere.GlobalID, "v.pvtu"))
    assert "symbolic link" in str(refused.value), str(refused.value)
    assert target.read_text() == "precious\n"
    assert not (data / "v.pvtu").exists()
    assert not list(data.glob(".pvcollab-*")), "a scratch folder was left behind"


def test_an_existing_file_is_not_replaced_but_the_servers_own_is(alice, place: Path) -> None:
    data = place / "data"
    (data / "foreign.vtp").write_text("not mine\n")
    sphere = alice.create("sources", "Sphere", {"ThetaResolution": 8})
    with pytest.raises(DataAccessError, match="already exists and was not written by this server"):
        alice.request(messages.SaveDataRequest(sphere.GlobalID, "foreign.vtp"))
    assert (data / "foreign.vtp").read_text() == "not mine\n"
    hard_link = data / "another-name-of-foreign.vtp"
    os.link(data / "foreign.vtp", hard_link)
    alice.request(messages.SaveDataRequest(sphere.GlobalID, "foreign.vtp", overwrite=True))  # when asked: by a new file
    assert (data / "foreign.vtp").read_bytes().startswith(b"<VTKFile") and hard_link.read_text() == "not mine\n"
    for name in ("twice.vtp", "twice.pvtu"):  # a script that saves the same file twice works
        alice.request(messages.SaveDataRequest(sphere.GlobalID, name))
        first = (data / name).stat().st_ino
        alice.update(sphere, {"ThetaResolution": 16})
        alice.request(messages.SaveDataRequest(sphere.GlobalID, name))
        assert (data / name).stat().st_ino != first  # a new file put in place, not the old one written into
        alice.update(sphere, {"ThetaResolution": 8})
    reader = alice.create("sources", "FileReader", {"FileName": ["twice.vtp"]})
    assert (
        alice.information(reader).number_of_cells
        == alice.information(alice.create("sources", "Sphere", {"ThetaResolution": 16})).number_of_cells
    )


def test_only_the_master_writes_and_everyone_is_told(server, alice, place: Path) -> None:
    data = place / "data"
    bob = Connection.remote(server.host, server.port, user="bob", timeout=30)
    try:
        sphere = alice.create("sources", "Sphere")
        bob.process_events(timeout=0.5)
        with pytest.raises(PermissionDeniedError, match="master is alice"):
            bob.request(messages.SaveDataRequest(sphere.GlobalID, "by_bob.vtp"))
        assert not (data / "by_bob.vtp").exists()
        alice.request(messages.SaveDataRequest(sphere.GlobalID, "by_alice.pvtu"))
        told = wait_for_notice(bob, "DataWritten")
        assert "alice" in told.message and "by_alice.pvtu" in told.message, told.message
        assert all(f"by_alice_{piece}.vtu" in told.message for piece in range(RANKS)), told.message
        assert "by_alice.pvtu" in wait_for_notice(alice, "DataWritten").message  # the writer too
    finally:
        bob.close()
