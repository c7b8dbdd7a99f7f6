"""The corpus: ParaView 5.11's own Python tests that need no data files, taken from Debian's source package.

Nothing of ParaView is stored in this project: the runner downloads Debian's original source tarball (pinned by
its SHA-256), unpacks only the test folders into a cache, and picks the tests by a stated rule:

- the script is registered as a test in its folder's ``CMakeLists.txt`` (others are dead files), and
- it reads no input data: no ``DataDir``/data-root variable, no ``OpenDataFile``, no reader, no state file.

Tests that ParaView 5.11 itself fails in the harness (GUI-only ones, Catalyst Live, Python 2 leftovers) are then
reported as such by the runner and left out of the score.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

TARBALL_URL = "http://deb.debian.org/debian/pool/main/p/paraview/paraview_5.11.0+dfsg.orig.tar.xz"
TARBALL_SHA256 = "3dfbca57ac989f7785051d4665fb4fb615c61b654d23f1698067fe14987d53d3"
TOP = "paraview-5.11.0+dfsg"

#: The folders of ParaView's Python tests, relative to its source tree.
TEST_FOLDERS = (
    "Clients/ParaView/Testing/Python",
    "Remoting/Application/Testing/Python",
    "Remoting/ServerManager/Testing/Python",
    "Remoting/Views/Testing/Python",
)

#: What marks a script that reads input data (the rule above).
NEEDS_DATA = re.compile(r"DataDir|VTK_DATA_ROOT|DATA_ROOT|DataRoot|OpenDataFile|Reader\(|LoadState|\.pvsm")


@dataclass(frozen=True)
class Script:
    """One test script of the corpus."""

    folder: str  # its folder in ParaView's tree
    path: Path  # where it lies in the cache
    batch: bool  # registered as a pvbatch test (else a pvpython one)

    @property
    def name(self) -> str:
        return self.path.stem


def fetch(cache: Path) -> Path:
    """ParaView's source tree (the test folders only) in ``cache``, downloaded and checked once."""
    tree = cache / TOP
    if (tree / ".complete").exists():
        return tree
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / Path(TARBALL_URL).name
    if not tarball.exists() or _sha256(tarball) != TARBALL_SHA256:
        print(f"downloading {TARBALL_URL} (120 MB) ...", flush=True)
        partial = tarball.with_suffix(".partial")
        urllib.request.urlretrieve(TARBALL_URL, partial)
        if _sha256(partial) != TARBALL_SHA256:
            partial.unlink()
            raise RuntimeError(f"{TARBALL_URL}: SHA-256 differs from the pinned {TARBALL_SHA256}; not used.")
        partial.rename(tarball)
    wanted = tuple(f"{TOP}/{folder}/" for folder in TEST_FOLDERS)
    with tarfile.open(tarball) as archive:
        members = [m for m in archive.getmembers() if m.isfile() and m.name.startswith(wanted)]
        archive.extractall(cache, members=members, filter="data")
    (tree / ".complete").touch()
    return tree


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def select(tree: Path) -> tuple[list[Script], dict[str, str]]:
    """The scripts of the corpus, and the left-out registered scripts with the reason."""
    chosen: list[Script] = []
    left_out: dict[str, str] = {}
    for folder in TEST_FOLDERS:
        directory = tree / folder
        cmake = _without_comments((directory / "CMakeLists.txt").read_text())
        for path in sorted(directory.glob("*.py")):
            if not re.search(rf"\b{re.escape(path.name)}\b", cmake):
                continue
            if NEEDS_DATA.search(path.read_text(errors="replace")):
                left_out[path.stem] = "reads input data"
                continue
            chosen.append(Script(folder, path, path.name in _batch_tests(cmake)))
    return chosen, left_out


def _batch_tests(cmake: str) -> set[str]:
    """The scripts a CMakeLists.txt registers for pvbatch: those in its PVBATCH_* lists and pvbatch calls."""
    blocks = re.findall(r"(?:set\(PVBATCH\w*|paraview_add_test_pvbatch\w*\()([^)]*)\)", cmake)
    return {name for block in blocks for name in re.findall(r"[\w-]+\.py", block)}


def _without_comments(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())
