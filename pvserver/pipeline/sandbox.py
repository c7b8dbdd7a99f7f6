"""Every file the server opens, opened beneath its data directory without following a link, race-free.

A path is walked one component at a time from a handle on the data directory (``openat`` with ``O_NOFOLLOW``), so
that no ``..`` leaves it and no symbolic link is followed, whatever changes on disk meanwhile. VTK is then given
``/proc/self/fd/N``: a name for exactly the file that was opened (``/dev/fd/N`` where there is no ``/proc``).

Writes go to a private scratch folder made beside the target and are then put in place in one step: a new file
with ``link`` (which never replaces anything), a file this process wrote before with ``rename``. So a planted
link is never written through, an existing file is never written into, and nobody sees a half-written file.

With no data directory (the built-in session, pvbatch) paths are opened as given, links followed, files replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from pvcore.errors import DataAccessError

_FD_DIR = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
# O_NONBLOCK: opening a planted FIFO must not hang the rank; it is refused as not a regular file right after.
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK

_data_dir: Path | None = None
#: The identities (see _identity) of the files this process put in place: those alone may be replaced.
_written: set[tuple[int, int, int, int]] = set()


def confine(data_dir: Path | None) -> None:
    """Make this process (every rank calls it at start) read and write only beneath ``data_dir``."""
    global _data_dir
    _data_dir = None if data_dir is None else Path(os.path.abspath(data_dir)).resolve()


def data_dir() -> Path | None:
    """The directory this process is confined to (None: not confined)."""
    return _data_dir


def fd_path(fd: int) -> str:
    """A name VTK can open that means exactly the file (or folder) behind descriptor ``fd``."""
    return f"{_FD_DIR}/{fd}"


# ----------------------------------------------------------------------------------------------- the walk


def _parts(root: Path, path: str) -> list[str]:
    """The components of ``path`` below ``root`` (``..`` kept: the walk takes it), or DataAccessError."""
    if "\0" in path:
        raise DataAccessError(f"{path[:200]!r} cannot be a file name here: it holds a NUL character.")
    parts = path.split("/")
    if path.startswith("/"):
        given = [p for p in parts if p not in ("", ".")]
        for base in dict.fromkeys((str(root), os.path.abspath(root))):
            prefix = [p for p in base.split("/") if p]
            if given[: len(prefix)] == prefix:
                return given[len(prefix) :]
        raise _outside(root, path)
    return [p for p in parts if p not in ("", ".")]


def _outside(root: Path, path: str) -> DataAccessError:
    return DataAccessError(f"{path[:200]!r} is outside the server's data directory {str(root)!r} (see --data-dir).")


def _link(root: Path, path: str, component: str) -> DataAccessError:
    return DataAccessError(
        f"{path[:200]!r} goes through the symbolic link {component!r}: the server does not follow links, so that "
        f"nothing outside its data directory {str(root)!r} is reached (see --data-dir)."
    )


def _refusal(root: Path, path: str, component: str, dir_fd: int, exc: OSError) -> DataAccessError:
    """Why opening ``component`` (in the folder ``dir_fd``) of ``path`` failed, for a person."""
    with contextlib.suppress(OSError):
        if stat.S_ISLNK(os.stat(component, dir_fd=dir_fd, follow_symlinks=False).st_mode):
            return _link(root, path, component)
    if exc.errno == errno.ENOENT:
        return DataAccessError(f"No file {path[:200]!r} in the server's data directory {str(root)!r}.")
    if exc.errno == errno.ENOTDIR:
        return DataAccessError(f"Cannot open {path[:200]!r}: {component!r} is not a folder.")
    if exc.errno in (errno.ENAMETOOLONG, errno.EINVAL):
        return DataAccessError(f"{path[:200]!r} cannot be a file name here: {exc.strerror}.")
    return DataAccessError(f"Cannot open {path[:200]!r} in the server's data directory: {exc.strerror}.")


def _walk(root: Path, path: str, parts: list[str]) -> int:
    """A descriptor of the folder ``parts`` name beneath ``root``, every step taken without following a link."""
    try:
        fds = [os.open(root, _DIR)]
    except OSError as exc:  # the data directory is gone, or no descriptor is left (EMFILE)
        raise DataAccessError(f"Cannot open the server's data directory {str(root)!r}: {exc.strerror}.") from None
    try:
        for component in parts:
            if component == "..":
                if len(fds) == 1:
                    raise _outside(root, path)
                os.close(fds.pop())
                continue
            try:
                fds.append(os.open(component, _DIR | os.O_NOFOLLOW, dir_fd=fds[-1]))
            except OSError as exc:
                raise _refusal(root, path, component, fds[-1], exc) from None
        return fds.pop()
    finally:
        for fd in fds:
            os.close(fd)


def _split(root: Path, path: str) -> tuple[list[str], str]:
    """The folder part and the file name of ``path`` beneath ``root``."""
    parts = _parts(root, path)
    if not parts or parts[-1] == "..":
        raise DataAccessError(f"{path[:200]!r} names a folder, not a file.")
    return parts[:-1], parts[-1]


def open_file(root: Path | None, path: str) -> int:
    """A read-only descriptor of the regular file ``path`` (relative to ``root``, or absolute beneath it).

    Refused with a DataAccessError naming the path and the data directory: a path leaving ``root``, a symbolic
    link anywhere along it, a missing file, anything but a regular file.
    """
    if root is None:
        try:
            fd = os.open(os.path.expanduser(path), _FILE & ~os.O_NOFOLLOW)
        except (OSError, ValueError) as exc:
            raise DataAccessError(f"Cannot open {path[:200]!r}: {getattr(exc, 'strerror', None) or exc}.") from None
    else:
        folder, name = _split(root, path)
        dir_fd = _walk(root, path, folder)
        try:
            fd = os.open(name, _FILE, dir_fd=dir_fd)
        except OSError as exc:
            raise _refusal(root, path, name, dir_fd, exc) from None
        finally:
            os.close(dir_fd)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DataAccessError(f"{path[:200]!r} is not a regular file.")
    return fd


@contextlib.contextmanager
def reading(path: str, root: Path | None = None) -> Iterator[str]:
    """Open ``path`` safely (beneath the confining data directory unless ``root`` is given) for as long as the
    block runs; the block gets the name to give VTK."""
    fd = open_file(_data_dir if root is None else root, path)
    try:
        yield fd_path(fd)
    finally:
        os.close(fd)


def read_text(path: str, limit: int = 16 * 2**20, root: Path | None = None) -> str:
    """The content of a small text file (a summary or multiblock file), opened safely."""
    with reading(path, root) as name:
        return read_opened(name, path, limit)


def read_opened(name: str, path: str, limit: int = 16 * 2**20) -> str:
    """The content of the small text file ``path``, already opened as ``name`` (from :func:`reading`)."""
    with open(name, "rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise DataAccessError(f"{Path(path).name!r} is larger than {limit} bytes: not a summary file.")
    return data.decode("utf-8", errors="replace")


def beside(path: str, reference: str) -> str:
    """``reference`` (a piece or block a summary file names) as a path: relative to the folder of ``path``."""
    return reference if reference.startswith("/") else os.path.join(os.path.dirname(path), reference)


def canonical(root: Path, path: str, must_exist: bool = True) -> str:
    """``path`` as an absolute path beneath ``root`` once its file (or, to write, its folder) was opened safely."""
    folder, name = _split(root, path)
    if must_exist:
        os.close(open_file(root, path))
    else:
        os.close(_walk(root, path, folder))
    kept: list[str] = []
    for component in folder:  # the walk saw no link: ".." means the folder above, as written
        kept = kept[:-1] if component == ".." else [*kept, component]
    return str(root.joinpath(*kept, name))


def exists(root: Path, path: str) -> bool:
    """Whether ``path`` names anything (a link included) beneath ``root``; never follows a link."""
    try:
        folder, name = _split(root, path)
        dir_fd = _walk(root, path, folder)
    except DataAccessError:
        return False
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        return True
    except OSError:
        return False
    finally:
        os.close(dir_fd)


# ----------------------------------------------------------------------------------------------- writing


class PendingWrite:
    """Files to write into the folder of ``path``, first into a private scratch folder beside them.

    ``scratch(name)`` is where a writer writes ``name``; ``check(name)`` refuses a name that exists and was not
    written by this process; ``publish(name)`` puts the file in place. Use it as a context manager: whatever is
    not published is removed at the end.

    A scratch folder rather than one file created O_EXCL and written through /proc/self/fd: VTK's parallel
    writers create their piece files themselves, by name, beside the summary file; in a folder only this process
    can write to, no one can plant a link under those names.
    """

    def __init__(self, path: str, root: Path | None = None, overwrite: bool = False) -> None:
        self.root = _data_dir if root is None else root
        self.path = path
        self.overwrite = overwrite  # replace existing regular files (by new ones) that this process did not write
        if self.root is None:
            self.dir_fd = os.open(os.path.dirname(os.path.abspath(os.path.expanduser(path))) or "/", _DIR)
        else:
            folder, _ = _split(self.root, path)
            self.dir_fd = _walk(self.root, path, folder)
        self.scratch_name = f".pvcollab-{secrets.token_hex(8)}"
        try:
            os.mkdir(self.scratch_name, 0o700, dir_fd=self.dir_fd)
            self.scratch_fd = os.open(self.scratch_name, _DIR | os.O_NOFOLLOW, dir_fd=self.dir_fd)
        except OSError as exc:
            os.close(self.dir_fd)
            raise DataAccessError(f"Cannot write {path[:200]!r}: {exc.strerror}.") from None
        info = os.fstat(self.scratch_fd)
        if info.st_uid != os.geteuid() or info.st_mode & 0o077:  # swapped for someone else's folder meanwhile
            self.close()
            raise DataAccessError(f"Cannot write {path[:200]!r}: its folder changed while the server wrote it.")

    def scratch(self, name: str) -> str:
        """Where a writer writes the file ``name`` before it is published."""
        return f"{fd_path(self.scratch_fd)}/{name}"

    def _target(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(name, dir_fd=self.dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def check(self, name: str) -> None:
        """Refuse to go on if ``name`` exists beside ``path`` and is not a file this process wrote."""
        found = self._target(name)
        if found is None or self.root is None:
            return
        if stat.S_ISLNK(found.st_mode):
            raise _link(self.root, self._shown(name), name)
        if not stat.S_ISREG(found.st_mode):
            raise DataAccessError(f"{self._shown(name)!r} exists and is not a regular file: it is not replaced.")
        if _identity(found) not in _written and not self.overwrite:
            raise DataAccessError(
                f"{self._shown(name)!r} already exists and was not written by this server: it is not replaced "
                "(save under another name, remove it first, or pass SaveData(..., Overwrite=True))."
            )

    def publish(self, name: str) -> None:
        """Put the scratch file ``name`` in place, in one step, replacing only a file this process wrote."""
        self.check(name)
        try:
            if self._target(name) is None:
                os.link(name, name, src_dir_fd=self.scratch_fd, dst_dir_fd=self.dir_fd, follow_symlinks=False)
            else:
                os.rename(name, name, src_dir_fd=self.scratch_fd, dst_dir_fd=self.dir_fd)
        except FileExistsError:  # created since the check: someone else's
            raise DataAccessError(f"{self._shown(name)!r} appeared while the server wrote it: not replaced.") from None
        except OSError as exc:
            raise DataAccessError(f"Cannot write {self._shown(name)!r}: {exc.strerror}.") from None
        done = os.stat(name, dir_fd=self.dir_fd, follow_symlinks=False)
        _written.add(_identity(done))

    def _shown(self, name: str) -> str:
        return os.path.join(os.path.dirname(self.path), name)

    def close(self) -> None:
        """Remove the scratch folder and what is left in it."""
        with contextlib.suppress(OSError):
            for leftover in os.listdir(self.scratch_fd):
                os.unlink(leftover, dir_fd=self.scratch_fd)
        with contextlib.suppress(OSError):
            os.rmdir(self.scratch_name, dir_fd=self.dir_fd)
        os.close(self.scratch_fd)
        os.close(self.dir_fd)

    def __enter__(self) -> PendingWrite:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells a file this server wrote: its inode, and its time and size then (an inode may be reused)."""
    return info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size
