"""State files: the proxies of a connection written as versioned, human-readable JSON, and read back.

A state file holds every proxy's group, type, registration name, owner and property values (references as the
ids of other proxies in the file): sources and filters with their links, sub-proxies, views with the saving
client's camera, representations and colour maps. Loading validates the whole file first, then recreates it on
any server (any number of ranks) inside one undo set, so that a failure half-way is undone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pvserver import __version__, messages
from pvserver.errors import PVError, StateFileError
from pvserver.messages import ProxyState
from pvserver.pipeline import catalogue
from pvserver.undo import dependency_order

if TYPE_CHECKING:
    from pvclient.connection import Connection

FORMAT = "pvcollab-state"
VERSION = 1


def save_state(connection: Connection, path: str | Path) -> None:
    """Write every proxy of ``connection`` to ``path`` as a state file."""
    states = {gid: connection.state_of(gid) for gid in connection.states}
    document = {
        "format": FORMAT,
        "version": VERSION,
        "written_by": f"pvcollab {__version__}",
        "proxies": [
            {
                "id": st.global_id,
                "group": st.group,
                "type": st.type,
                "name": st.name,
                "parent": st.parent_id,
                "properties": {k: list(v) for k, v in st.properties.items()},
            }
            for st in dependency_order(states)
        ],
    }
    try:
        Path(path).write_text(json.dumps(document, indent=1) + "\n")
    except OSError as exc:
        raise OSError(f"Cannot write the state file {str(path)!r}: {exc.strerror}.") from None


def read_state(path: str | Path) -> list[ProxyState]:
    """Read and fully validate a state file; returns its proxies in dependency order."""
    try:
        document = json.loads(Path(path).read_text())
    except OSError as exc:
        raise StateFileError(f"Cannot read the state file {str(path)!r}: {exc.strerror}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StateFileError(f"{str(path)!r} is not a state file: broken JSON ({exc}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(f"{str(path)!r} is not a {FORMAT} file.")
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise StateFileError(f"{str(path)!r} has no valid format version.")
    if version > VERSION:
        raise StateFileError(
            f"{str(path)!r} was written in state format {version} ({document.get('written_by', 'a newer version')}); "
            f"this client reads formats up to {VERSION}. Upgrade pvcollab to load it."
        )
    entries = document.get("proxies")
    if not isinstance(entries, list):
        raise StateFileError(f"{str(path)!r} has no list of proxies.")
    states = {}
    for i, entry in enumerate(entries):
        try:
            st = _validated(entry)
        except (PVError, KeyError, TypeError, ValueError) as exc:
            raise StateFileError(f"{str(path)!r}, proxy #{i + 1}: {exc}") from None
        states[st.global_id] = st
    for st in states.values():
        spec = catalogue.get(st.group, st.type)
        for prop in spec.properties:
            if prop.kind in ("proxy", "subproxy"):
                missing = [r for r in st.properties.get(prop.name, ()) if r not in states]
                if missing:
                    raise StateFileError(
                        f"{str(path)!r}: {st.name}.{prop.name} refers to proxies {missing} that the "
                        f"file does not contain."
                    )
        if st.parent_id and st.parent_id not in states:
            raise StateFileError(f"{str(path)!r}: {st.name} belongs to proxy {st.parent_id}, which is missing.")
    return dependency_order(states)


def _validated(entry: dict[str, Any]) -> ProxyState:
    spec = catalogue.get(entry["group"], entry["type"])
    properties = {}
    for key, value in entry["properties"].items():
        prop = spec.property(key)
        properties[key] = (
            catalogue.coerce(prop, value) if prop.kind not in ("proxy", "subproxy") else tuple(int(v) for v in value)
        )
    return ProxyState(
        int(entry["id"]), spec.group, spec.name, str(entry["name"]), properties, 1, int(entry.get("parent", 0))
    )


def load_state(connection: Connection, path: str | Path) -> dict[int, int]:
    """Recreate a state file's proxies on ``connection``; returns the map from file ids to new global ids."""
    proxies = read_state(path)  # raises before anything is sent
    by_id = {st.global_id: st for st in proxies}
    new_ids: dict[int, int] = {}
    connection.request(messages.UndoRequest("begin", f"Load state {Path(path).name}"))
    try:
        for st in proxies:
            if st.parent_id:
                continue  # created by its owner, below
            spec = catalogue.get(st.group, st.type)
            values: dict[str, Any] = {}
            for key, value in st.properties.items():
                kind = spec.property(key).kind
                if kind == "proxy":
                    values[key] = [connection.proxy(new_ids[r]) for r in value]
                elif kind == "subproxy":
                    values[key] = by_id[value[0]].type
                else:
                    values[key] = value
            created = connection.create(st.group, st.type, values, st.name).GlobalID
            new_ids[st.global_id] = created
            for prop in spec.properties:
                if prop.kind == "subproxy" and prop.name in st.properties:
                    old_sub = by_id[st.properties[prop.name][0]]
                    new_sub = connection.states[created].properties[prop.name][0]
                    new_ids[old_sub.global_id] = new_sub
                    connection.request(messages.UpdateProxy(new_sub, dict(old_sub.properties)))
    except PVError:
        connection.request(messages.UndoRequest("end"))
        if new_ids:  # leave the session as it was (an empty set is no undo step)
            connection.request(messages.UndoRequest("undo"))
        raise
    connection.request(messages.UndoRequest("end"))
    return new_ids
