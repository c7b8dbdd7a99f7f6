"""Data file requests: the paths a reader may open, SaveData and Fetch, all beneath the data directory."""

from __future__ import annotations

import re
from pathlib import Path

from pvcore import messages
from pvcore.errors import PropertyError
from pvcore.messages import StateDelta
from pvserver import commands
from pvserver.handlers.base import ServicePart
from pvserver.pipeline import budget
from pvserver.pipeline import files as fileio


class FileRequests(ServicePart):
    """Files read, written and fetched."""

    def _files(self, names: tuple) -> tuple[str, ...]:
        """Absolute paths of the files to read, all under the data directory; one ``name_0.ext`` becomes the
        whole series ``name_0.ext, name_1.ext, ...`` (one file per time step)."""
        if not names:
            raise PropertyError("OpenDataFile needs a file name.", property="FileName")
        paths = [self._path(str(n)) for n in names]
        for path in paths:
            fileio.check_readable(str(path))
        if len(paths) == 1:
            match = re.fullmatch(r"(.*_)0+(\.[^.]+)", paths[0].name)
            if match:
                series, i = [], 0
                root = self.options.data_dir
                while fileio.present(root, candidate := paths[0].with_name(f"{match.group(1)}{i}{match.group(2)}")):
                    series.append(self._path(str(candidate)))  # every file of it checked, a link refused
                    i += 1
                paths = series or paths
        return tuple(str(p) for p in paths)

    def _path(self, name: str, must_exist: bool = True) -> Path:
        root = self.options.data_dir
        if root is None:
            path = Path(name).expanduser().resolve()
            if must_exist and not path.exists():
                raise fileio.DataAccessError(f"No file {name!r}.")
            return path
        return fileio.resolve(root, name, must_exist)

    def _save_data(self, client_id: int, req: messages.SaveDataRequest) -> StateDelta:
        self.session.check_master(client_id, "write data files")
        state = self.session.state(req.global_id)
        path = self._path(req.path, must_exist=False)
        ext = fileio.extension(req.path)
        if ext not in fileio.WRITERS:
            raise fileio.DataAccessError(
                f"Cannot write {Path(req.path).name!r}: unsupported extension; supported: "
                f"{', '.join(sorted(fileio.WRITERS))}."
            )
        if not path.parent.is_dir():
            raise fileio.DataAccessError(f"Cannot write {req.path!r}: its folder does not exist on the server.")
        self.engine.run(commands.WriteData(state.global_id, str(path), overwrite=req.overwrite))
        root = self.options.data_dir
        shown = str(path.relative_to(root.resolve())) if root is not None else str(path)
        user = self.session.clients.get(client_id)
        who = user.user if user else f"user {client_id}"
        text = f"{who} wrote {fileio.written(shown, self.engine.size)} (from {state.name})."
        self.publish(0, messages.Notice("DataWritten", text, client_id))  # the writer is told too
        return StateDelta()

    def _fetch(self, client_id: int, req: messages.FetchRequest) -> messages.DataObject:
        state = self.session.state(req.global_id)
        limit = min(req.max_bytes or self.options.fetch_limit, self.options.fetch_limit)
        info = self._information(state.global_id)
        if info.memory_bytes > limit:
            raise _too_large_to_fetch(state.name, "holds", info.memory_bytes, limit)
        data_type, data = self.engine.run(commands.FetchData(state.global_id))[0]
        if len(data) > limit:
            raise _too_large_to_fetch(state.name, "serialises to", len(data), limit)
        return messages.DataObject(data_type, data)


def _too_large_to_fetch(name: str, verb: str, size: int, limit: int) -> fileio.DataAccessError:
    return fileio.DataAccessError(
        f"{name} {verb} {budget.size_text(size)}, more than the {budget.size_text(limit)} Fetch() may bring to a "
        "client; reduce it first (e.g. a Slice, or ExtractSurface)."
    )
