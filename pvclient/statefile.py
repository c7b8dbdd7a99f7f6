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

from pvcore import __version__, definitions, messages
from pvcore.definitions.filters_programmable import runs_python
from pvcore.errors import PVError, StateFileError
from pvcore.messages import ProxyState
from pvcore.ordering import MAX_PIPELINE_DEPTH, dependency_order
from pvcore.schema import Catalogue
from pvcore.values import coerce

if TYPE_CHECKING:
    from pvclient.connection import Connection

FORMAT = "pvcollab-state"
VERSION = 1


def save_state(connection: Connection, path: str | Path) -> None:
    """Write every proxy of ``connection`` to ``path`` as a state file."""
    states = {gid: connection.state_of(gid) for gid in connection.states}
    document = state_document(dependency_order(states, connection.catalogue))
    try:
        Path(path).write_text(json.dumps(document, indent=1) + "\n")
    except OSError as exc:
        raise OSError(f"Cannot write the state file {str(path)!r}: {exc.strerror}.") from None


def state_document(states: list[ProxyState]) -> dict[str, Any]:
    """The JSON document of a state file holding ``states`` (in dependency order)."""
    return {
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
            for st in states
        ],
    }


def read_state(path: str | Path, catalogue: Catalogue | None = None) -> list[ProxyState]:
    """Read and fully validate a state file against ``catalogue`` (the types of the server it is for; default:
    those of the built-in session); returns its proxies in dependency order.

    Anything wrong with the file (broken or too deeply nested JSON, a field of the wrong type, an unknown proxy
    type or property, a reference to a proxy the file lacks, a cycle, a chain deeper than a server accepts)
    raises StateFileError saying what and where, before anything is sent to a server.
    """
    where = repr(str(path))
    catalogue = definitions.bundled() if catalogue is None else catalogue
    try:
        document = json.loads(Path(path).read_text())
    except OSError as exc:
        raise StateFileError(f"Cannot read the state file {where}: {exc.strerror}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StateFileError(f"{where} is not a state file: broken JSON ({exc}).") from None
    except RecursionError:  # the C decoder refuses (or Python's would overflow on) hostile nesting
        raise StateFileError(f"{where} is not a state file: its JSON is nested too deeply.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(f"{where} is not a {FORMAT} file.")
    version = document.get("version")
    if not _is_int(version) or version < 1:
        raise StateFileError(f"{where} has no valid format version.")
    if version > VERSION:
        raise StateFileError(
            f"{where} was written in state format {version} ({document.get('written_by', 'a newer version')}); "
            f"this client reads formats up to {VERSION}. Upgrade pvcollab to load it."
        )
    entries = document.get("proxies")
    if not isinstance(entries, list):
        raise StateFileError(f"{where} has no list of proxies.")
    states: dict[int, ProxyState] = {}
    for i, entry in enumerate(entries):
        try:
            st = _validated(entry, catalogue)
        except _EntryError as exc:
            raise StateFileError(f"{where}, proxy #{i + 1}: {exc}") from None
        except PVError as exc:
            raise StateFileError(f"{where}, proxy #{i + 1}: {exc.message}") from None
        if st.global_id in states:
            raise StateFileError(f"{where}, proxy #{i + 1}: id {st.global_id} is used twice.")
        states[st.global_id] = st
    for st in states.values():
        _check_links(where, st, states, catalogue)
    ordered = dependency_order(states, catalogue)
    _check_order(where, ordered, catalogue)
    return ordered


class _EntryError(ValueError):
    """What is wrong with one proxy entry of a state file."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field(entry: dict[str, Any], key: str, kind: type, default: Any = None) -> Any:
    value = entry.get(key, default)
    if value is None or (kind is int and not _is_int(value)) or not isinstance(value, kind):
        raise _EntryError(f'"{key}" must be {_KIND_NAMES[kind]}; got {json.dumps(value)[:80]}.')
    return value


_KIND_NAMES = {int: "an integer", str: "a string", dict: "an object of property values", list: "a list"}


def _validated(entry: Any, catalogue: Catalogue) -> ProxyState:
    """One proxy entry as a state; raises _EntryError or a PVError naming what is wrong."""
    if not isinstance(entry, dict):
        raise _EntryError(f"must be an object with id, group, type, name and properties; got {json.dumps(entry)[:80]}.")
    gid, parent = _field(entry, "id", int), _field(entry, "parent", int, 0)
    if gid < 1 or parent < 0:
        raise _EntryError(f"ids are positive integers; got id {gid}, parent {parent}.")
    if parent == gid:
        raise _EntryError(f"proxy {gid} cannot be its own parent.")
    spec = catalogue.get(_field(entry, "group", str), _field(entry, "type", str))
    name = _field(entry, "name", str)
    properties = {}
    for key, value in _field(entry, "properties", dict).items():
        prop = spec.property(key)
        if not isinstance(value, list):
            raise _EntryError(f"{spec.name}.{key} must be a list of values; got {json.dumps(value)[:80]}.")
        if prop.kind == "subproxy" and (len(value) != 1 or not _is_int(value[0])):
            raise _EntryError(f"{spec.name}.{key} must be the id of one proxy of the file; got {json.dumps(value)}.")
        try:
            properties[key] = coerce(prop, value)
        except (TypeError, ValueError, OverflowError) as exc:  # a value no domain check expected
            if isinstance(exc, PVError):
                raise
            raise _EntryError(f"{spec.name}.{key} cannot be {json.dumps(value)[:80]}.") from None
    return ProxyState(gid, spec.group, spec.name, name, properties, 1, parent)


def _check_links(where: str, st: ProxyState, states: dict[int, ProxyState], catalogue: Catalogue) -> None:
    """Every reference of ``st`` names a proxy of the file of an allowed group; sub-proxies belong to it."""
    spec = catalogue.get(st.group, st.type)
    for prop in spec.properties:
        refs = st.properties.get(prop.name, ())
        if prop.kind not in ("proxy", "subproxy") or not refs:
            continue
        missing = [r for r in refs if r not in states]
        if missing:
            raise StateFileError(
                f"{where}: {st.name}.{prop.name} refers to proxies {missing} that the file does not contain."
            )
        for ref in refs:
            target = states[ref]
            if prop.kind == "proxy" and target.group not in prop.values:
                raise StateFileError(
                    f"{where}: {st.name}.{prop.name} must be {prop.domain_text()}; proxy {ref} is a {target.type}."
                )
            if prop.kind == "subproxy" and (target.parent_id != st.global_id or target.type not in prop.values):
                raise StateFileError(
                    f"{where}: {st.name}.{prop.name} must be a helper of {st.name} ({prop.domain_text()}); proxy "
                    f"{ref} is a {target.type} belonging to {target.parent_id or 'nobody'}."
                )
    if st.parent_id:
        owner = states.get(st.parent_id)
        if owner is None:
            raise StateFileError(f"{where}: {st.name} belongs to proxy {st.parent_id}, which is missing.")
        if st.global_id not in _subproxies(owner, catalogue):
            raise StateFileError(f"{where}: {st.name} belongs to {owner.name}, which does not use it as a helper.")


def _subproxies(st: ProxyState, catalogue: Catalogue) -> set[int]:
    spec = catalogue.get(st.group, st.type)
    return {r for p in spec.properties if p.kind == "subproxy" for r in st.properties.get(p.name, ())}


def _check_order(where: str, ordered: list[ProxyState], catalogue: Catalogue) -> None:
    """No cycle of references, and no chain of inputs deeper than a server accepts."""
    position = {st.global_id: i for i, st in enumerate(ordered)}
    depth: dict[int, int] = {}
    for st in ordered:
        spec = catalogue.get(st.group, st.type)
        for prop in spec.properties:
            if prop.kind in ("proxy", "subproxy"):
                later = [r for r in st.properties.get(prop.name, ()) if position[r] >= position[st.global_id]]
                if later:
                    raise StateFileError(f"{where}: {st.name}.{prop.name} makes a cycle through proxies {later}.")
        depth[st.global_id] = 1 + max((depth[r] for r in st.properties.get("Input", ())), default=0)
        if depth[st.global_id] > MAX_PIPELINE_DEPTH:
            raise StateFileError(
                f"{where}: {st.name} ends a chain of more than {MAX_PIPELINE_DEPTH} proxies, deeper than a pipeline "
                f"may be."
            )


def refuse_unasked_python(path: str | Path, names: list[str], allow_python: bool) -> None:
    """Refuse a state file whose proxies ``names`` run the Python it holds on the server, unless asked: state
    files travel between people, and loading one should not run a stranger's program (ParaView runs it)."""
    if names and not allow_python:
        raise StateFileError(
            f"{path}: {', '.join(names)} would run the Python the state file holds on the server; load it only "
            "if you trust where it came from: LoadState(..., allow_python=True)."
        )


def load_state(connection: Connection, path: str | Path, allow_python: bool = False) -> dict[int, int]:
    """Recreate a state file's proxies on ``connection``; returns the map from file ids to new global ids. A file
    whose proxies run Python on the server is refused unless ``allow_python`` (see refuse_unasked_python)."""
    proxies = read_state(path, connection.catalogue)  # raises before anything is sent
    scripted = [st.name or st.type for st in proxies if runs_python(connection.spec(st.group, st.type))]
    refuse_unasked_python(path, scripted, allow_python)
    by_id = {st.global_id: st for st in proxies}
    new_ids: dict[int, int] = {}
    connection.begin_undo_set(f"Load state {Path(path).name}")
    try:
        for st in proxies:
            if st.parent_id:
                continue  # created by its owner, below
            spec = connection.spec(st.group, st.type)
            values: dict[str, Any] = {}
            for key, value in st.properties.items():
                kind = spec.property(key).kind
                if spec.property(key).read_only:
                    continue  # the server computes it again
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
        connection.end_undo_set()
        if new_ids:  # leave the session as it was (an empty set is no undo step)
            connection.undo()
        raise
    connection.end_undo_set()
    return new_ids
