"""Opening and writing files beneath the data directory (pvserver.pipeline.sandbox), with no server."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from pvcore.errors import DataAccessError
from pvserver.pipeline import sandbox


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A data directory with a file, a sub-folder, and a secret beside it with links to it planted inside."""
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "a.csv").write_text("x\n1\n")
    (data / "sub" / "b.csv").write_text("x\n2\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.csv").write_text("key\nPRIVATE\n")
    (data / "link.csv").symlink_to(tmp_path / "outside" / "secret.csv")
    (data / "inner_link.csv").symlink_to(data / "a.csv")  # a link even to a file inside is not followed
    (data / "linkdir").symlink_to(tmp_path / "outside", target_is_directory=True)
    return data.resolve()


def read(root: Path, path: str) -> str:
    with sandbox.reading(path, root) as name:
        return Path(name).read_text()


def test_files_beneath_the_root_are_read_through_their_descriptor(root: Path) -> None:
    assert read(root, "a.csv") == "x\n1\n"
    assert read(root, "sub/b.csv") == "x\n2\n"
    assert read(root, "./sub/../a.csv") == "x\n1\n"  # ".." that stays inside is fine
    assert read(root, str(root / "sub" / "b.csv")) == "x\n2\n"  # absolute, beneath the root
    with sandbox.reading("a.csv", root) as name:
        assert name.startswith(("/proc/self/fd/", "/dev/fd/"))
        fd = int(name.rsplit("/", 1)[1])
        os.fstat(fd)
    with pytest.raises(OSError):
        os.fstat(fd)  # closed once the read is over


@pytest.mark.parametrize("path", ["../outside/secret.csv", "sub/../../outside/secret.csv", "..", "/etc/passwd"])
def test_paths_leaving_the_root_are_refused(root: Path, path: str) -> None:
    with pytest.raises(DataAccessError) as refused:
        sandbox.open_file(root, path)
    assert "outside" in str(refused.value) or "folder" in str(refused.value)
    if path != "..":
        assert str(root) in str(refused.value)


@pytest.mark.parametrize("path", ["link.csv", "inner_link.csv", "linkdir/secret.csv", "linkdir/../a.csv"])
def test_no_symbolic_link_is_followed(root: Path, path: str) -> None:
    with pytest.raises(DataAccessError) as refused:
        sandbox.open_file(root, path)
    message = str(refused.value)
    assert "symbolic link" in message and str(root) in message and path in message, message


def test_missing_files_fifos_and_folders_are_refused(root: Path) -> None:
    with pytest.raises(DataAccessError, match=r"No file 'nothing\.csv'"):
        sandbox.open_file(root, "nothing.csv")
    os.mkfifo(root / "pipe.csv")
    done: list[str] = []

    def open_fifo() -> None:
        try:
            sandbox.open_file(root, "pipe.csv")
        except DataAccessError as exc:
            done.append(str(exc))

    thread = threading.Thread(target=open_fifo)
    thread.start()
    thread.join(5)
    assert done and "not a regular file" in done[0], "opening a FIFO blocked, or was not refused"
    with pytest.raises(DataAccessError, match="names a folder"):
        sandbox.open_file(root, "sub/..")
    with pytest.raises(DataAccessError, match="NUL"):
        sandbox.open_file(root, "a\0.csv")


def test_what_was_opened_is_read_even_if_the_name_is_swapped_for_a_link(root: Path, tmp_path: Path) -> None:
    """The check and the read are one: VTK reads the descriptor, not the name again."""
    with sandbox.reading("a.csv", root) as name:
        (root / "a.csv").unlink()
        (root / "a.csv").symlink_to(tmp_path / "outside" / "secret.csv")
        assert Path(name).read_text() == "x\n1\n"
    with pytest.raises(DataAccessError, match="symbolic link"):
        sandbox.open_file(root, "a.csv")


def test_canonical_names_and_existence_never_follow_links(root: Path) -> None:
    assert sandbox.canonical(root, "sub/../sub/b.csv") == str(root / "sub" / "b.csv")
    assert sandbox.canonical(root, "sub/new.csv", must_exist=False) == str(root / "sub" / "new.csv")
    with pytest.raises(DataAccessError, match="symbolic link"):
        sandbox.canonical(root, "linkdir/new.csv", must_exist=False)
    assert sandbox.exists(root, "link.csv")  # it is there (and refused when opened)
    assert not sandbox.exists(root, "linkdir/secret.csv")
    assert sandbox.beside("sub/x.pvtu", "x_0.vtu") == "sub/x_0.vtu"
    assert sandbox.beside("sub/x.pvtu", "/abs/x_0.vtu") == "/abs/x_0.vtu"


def write(root: Path, path: str, text: str) -> None:
    with sandbox.PendingWrite(path, root) as out:
        name = os.path.basename(path)
        Path(out.scratch(name)).write_text(text)
        out.publish(name)


def test_writes_refuse_links_and_other_peoples_files_and_replace_their_own(root: Path, tmp_path: Path) -> None:
    write(root, "sub/out.csv", "one\n")
    assert (root / "sub" / "out.csv").read_text() == "one\n"
    old = os.open(root / "sub" / "out.csv", os.O_RDONLY)
    write(root, "sub/out.csv", "two\n")  # this process wrote it: replaced
    assert (root / "sub" / "out.csv").read_text() == "two\n"
    assert os.read(old, 100) == b"one\n"  # by a new file put in place, not by writing into the old one
    os.close(old)
    with pytest.raises(DataAccessError, match="symbolic link"):
        write(root, "link.csv", "overwritten\n")
    assert (tmp_path / "outside" / "secret.csv").read_text() == "key\nPRIVATE\n"
    with pytest.raises(DataAccessError, match="already exists and was not written by this server"):
        write(root, "a.csv", "overwritten\n")
    assert (root / "a.csv").read_text() == "x\n1\n"
    with pytest.raises(DataAccessError, match="symbolic link"):
        write(root, "linkdir/new.csv", "escaped\n")
    assert not (tmp_path / "outside" / "new.csv").exists()
    assert not [p for p in root.rglob(".pvcollab-*")], "a scratch folder was left behind"


def test_a_file_planted_after_the_check_is_not_replaced(root: Path) -> None:
    with sandbox.PendingWrite("late.csv", root) as out:
        Path(out.scratch("late.csv")).write_text("mine\n")
        out.check("late.csv")
        (root / "late.csv").write_text("theirs\n")
        with pytest.raises(DataAccessError):
            out.publish("late.csv")
    assert (root / "late.csv").read_text() == "theirs\n"


def test_unconfined_paths_are_opened_as_given(root: Path) -> None:
    """The built-in session and pvbatch read the user's own files: links are followed there."""
    with sandbox.reading(str(root / "link.csv"), None) as name:
        assert Path(name).read_text() == "key\nPRIVATE\n"
