"""Bad input on real servers: paths outside the --data-dir sandbox, missing files, unsupported extensions, broken
files and a missing piece of a partitioned file; each a clear error, and no rank is left waiting.

Every dataset is small and written by the tests themselves with VTK (tests/data_io_datasets.py) into the data
directory of the module's servers (``--data-dir``, ``--multi-clients``: tests/multiprocess/conftest.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from data_io_checks import read_local

from pvcore.errors import DataAccessError, PipelineError, PVError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]


def assert_still_serves(simple) -> None:
    """The next request on the same server works: every rank takes part in reading and scattering a file."""
    reader = simple.OpenDataFile("wave.vtu")
    assert reader.GetDataInformation().GetNumberOfCells() == 8000


# ------------------------------------------------------------------------------------------ the sandbox


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory, data_files: dict[str, Path], data_dir: Path) -> Path:
    """A folder beside the data directory with a readable file, and links to both inside the data directory."""
    folder = tmp_path_factory.mktemp("outside")
    shutil.copy(data_files[".vtp"], folder / "secret.vtp")
    (data_dir / "link.vtp").symlink_to(folder / "secret.vtp")
    (data_dir / "linkdir").symlink_to(folder, target_is_directory=True)
    return folder


def test_paths_outside_the_data_dir_are_refused(simple_state, data_server2, data_dir, outside) -> None:
    simple_state.Connect(data_server2.url)
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


def test_missing_file_and_unsupported_extension(simple_state, data_server4, data_dir) -> None:
    from pvserver.pipeline.files import READERS, WRITERS

    simple_state.Connect(data_server4.url)
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


def _truncated(data_dir: Path, data_files: dict[str, Path]) -> str:
    content = data_files[".vtu"].read_bytes()
    (data_dir / "truncated.vtu").write_bytes(content[: len(content) // 2])
    return "truncated.vtu"


def _garbage(data_dir: Path, data_files: dict[str, Path]) -> str:
    (data_dir / "garbage.vtp").write_bytes(np.random.default_rng(3).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    return "garbage.vtp"


def _truncated_structured(data_dir: Path, data_files: dict[str, Path]) -> str:
    content = data_files[".vts"].read_bytes()  # every rank reads its own extent of it, and fails on its own
    (data_dir / "truncated.vts").write_bytes(content[: len(content) // 2])
    return "truncated.vts"


@pytest.mark.parametrize(
    "make", [_truncated, _garbage, _truncated_structured], ids=["truncated_xml", "wrong_magic", "truncated_vts"]
)
def test_broken_file_is_a_clear_error_and_no_rank_waits(simple_state, data_server4, data_dir, data_files, make) -> None:
    name = make(data_dir, data_files)
    simple_state.Connect(data_server4.url)
    reader = simple_state.OpenDataFile(name, registrationName="Broken")  # the message must name the file itself
    for _ in range(2):  # and again: the failure does not leave the reader or any rank in a bad state
        with pytest.raises((PipelineError, DataAccessError)) as broken:
            reader.UpdatePipeline()
        assert name in str(broken.value), str(broken.value)
    with pytest.raises(PVError):
        reader.GetDataInformation()
    assert_still_serves(simple_state)
    source = data_files[Path(name).suffix]  # repaired: the same reader reads it now, on every rank
    shutil.copy(source, data_dir / name)
    assert reader.GetDataInformation().GetNumberOfCells() == read_local(source).GetNumberOfCells()


@pytest.mark.parametrize("ghosts", [False, True], ids=["alone", "with_ghost_exchange"])
def test_missing_piece_names_the_rank(simple_state, data_server4, data_dir, data_files, ghosts: bool) -> None:
    """Also when the ranks would trade ghost cells after reading (a filter downstream asks for them): the ranks
    that read their piece do not wait for the one that could not, and all read again once it is back."""
    simple_state.Connect(data_server4.url)
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
