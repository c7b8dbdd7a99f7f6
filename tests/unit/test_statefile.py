"""Reading state files: hostile or broken files raise StateFileError saying what is wrong, never anything else.

Pure: the files are validated by ``read_state`` alone, with no connection; a valid file is made from a pure
session, the way ``save_state`` writes a connection's mirror.
"""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from pvclient.statefile import FORMAT, VERSION, read_state, state_document
from pvcore.errors import StateFileError
from pvcore.ordering import MAX_PIPELINE_DEPTH
from pvserver.session import Session

pytestmark = pytest.mark.timeout(60)


def valid_document() -> dict[str, Any]:
    """Sphere -> Shrink -> Clip (with its Plane helper), as save_state writes them."""
    session = Session()
    sphere = session.plan_create("sources", "Sphere", {})
    session.commit(sphere)
    shrink = session.plan_create("filters", "Shrink", {"Input": (sphere.states[-1].global_id,)})
    session.commit(shrink)
    session.commit(session.plan_create("filters", "Clip", {"Input": (shrink.states[-1].global_id,)}))
    return state_document(session.snapshot().states)


def entry(document: dict[str, Any], type_name: str) -> dict[str, Any]:
    return next(e for e in document["proxies"] if e["type"] == type_name)


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "state.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_a_valid_file_reads_back_in_dependency_order(tmp_path: Path) -> None:
    states = read_state(write(tmp_path, valid_document()))
    assert [st.type for st in states] == ["Sphere", "Shrink", "Plane", "Clip"]


def test_proxies_listed_out_of_order_are_put_in_order(tmp_path: Path) -> None:
    document = valid_document()
    document["proxies"].reverse()  # consumers before their inputs: forward references
    states = read_state(write(tmp_path, document))
    position = {st.type: i for i, st in enumerate(states)}
    assert position["Sphere"] < position["Shrink"] < position["Clip"] and position["Plane"] < position["Clip"]


def deep_chain(depth: int) -> dict[str, Any]:
    """A Sphere and ``depth - 1`` Shrinks, listed consumer first (the worst order for a recursive walk)."""
    proxies = [{"id": 1, "group": "sources", "type": "Sphere", "name": "s", "parent": 0, "properties": {}}]
    proxies += [
        {"id": i, "group": "filters", "type": "Shrink", "name": f"f{i}", "parent": 0, "properties": {"Input": [i - 1]}}
        for i in range(2, depth + 1)
    ]
    return {"format": FORMAT, "version": VERSION, "proxies": proxies[::-1]}


def test_a_chain_as_deep_as_a_server_allows_reads(tmp_path: Path) -> None:
    assert len(read_state(write(tmp_path, deep_chain(MAX_PIPELINE_DEPTH)))) == MAX_PIPELINE_DEPTH


def test_a_chain_deeper_than_any_recursion_limit_is_refused_not_crashed(tmp_path: Path) -> None:
    with pytest.raises(StateFileError, match=f"more than {MAX_PIPELINE_DEPTH}"):
        read_state(write(tmp_path, deep_chain(20_000)))


def mutate(path: str, value: Any) -> Any:
    """A function that sets one field (``proxies.<Type>.<key>`` or a top-level key) of a valid document."""

    def change(document: dict[str, Any]) -> dict[str, Any]:
        document = copy.deepcopy(document)
        parts = path.split(".")
        target = document if len(parts) == 1 else entry(document, parts[1])
        for key in parts[2:-1]:
            target = target[key]
        target[parts[-1]] = value
        return document

    return change


def replace_proxies(value: Any) -> Any:
    return lambda document: {**document, "proxies": value}


NESTED = "[" * 10_000 + "]" * 10_000
HOSTILE = [
    # (what is done to a valid file, what the error must say)
    (lambda d: NESTED, "nested too deeply"),
    (lambda d: '{"format": "pvcollab-state", "version": 1, "proxies": ' + NESTED + "}", "nested too deeply"),
    (
        lambda d: '{"format": "pvcollab-state", "version": 1, "proxies": [' + '{"a": ' * 9000 + "1" + "}" * 9001,
        "nested",
    ),
    (lambda d: [], "not a pvcollab-state"),
    (mutate("format", 1), "not a pvcollab-state"),
    (mutate("version", "1"), "format version"),
    (mutate("version", True), "format version"),
    (mutate("version", 2), "Upgrade"),
    (replace_proxies({}), "no list of proxies"),
    (replace_proxies([1]), "proxy #1: must be an object"),
    (replace_proxies([None]), "proxy #1: must be an object"),
    (replace_proxies([[]]), "proxy #1: must be an object"),
    (mutate("proxies.Sphere.properties", []), '"properties" must be an object'),
    (mutate("proxies.Sphere.properties", None), '"properties" must be an object'),
    (mutate("proxies.Sphere.properties", "Radius"), '"properties" must be an object'),
    (mutate("proxies.Sphere.id", "1"), '"id" must be an integer'),
    (mutate("proxies.Sphere.id", True), '"id" must be an integer'),
    (mutate("proxies.Sphere.id", 1.5), '"id" must be an integer'),
    (mutate("proxies.Sphere.id", -3), "positive"),
    (mutate("proxies.Sphere.id", None), '"id" must be an integer'),
    (mutate("proxies.Sphere.parent", "0"), '"parent" must be an integer'),
    (mutate("proxies.Sphere.group", 5), '"group" must be a string'),
    (mutate("proxies.Sphere.group", ["sources"]), '"group" must be a string'),
    (mutate("proxies.Sphere.type", {"a": 1}), '"type" must be a string'),
    (mutate("proxies.Sphere.type", "Nope"), "Nope"),
    (mutate("proxies.Sphere.name", ["x"]), '"name" must be a string'),
    (mutate("proxies.Sphere.properties.Radius", 1.0), "Radius must be a list"),
    (mutate("proxies.Sphere.properties.Radius", {"x": 1}), "Radius must be a list"),
    (mutate("proxies.Sphere.properties.Radius", [[1.0]]), "Radius"),
    (mutate("proxies.Sphere.properties.Radius", ["big"]), "Radius"),
    (mutate("proxies.Sphere.properties.Radius", [None]), "Radius"),
    (mutate("proxies.Sphere.properties.Radius", [1e400]), "Radius"),
    (mutate("proxies.Sphere.properties.NoSuch", [1]), "no property 'NoSuch'"),
    (mutate("proxies.Shrink.properties.Input", [999]), "does not contain"),
    (mutate("proxies.Shrink.properties.Input", ["1"]), "Input"),
    (mutate("proxies.Shrink.properties.Input", [True]), "Input"),
    (mutate("proxies.Shrink.properties.Input", [[1]]), "Input"),
    (mutate("proxies.Clip.properties.ClipType", ["Plane"]), "ClipType must be the id of one proxy"),
    (mutate("proxies.Clip.properties.ClipType", []), "ClipType must be the id of one proxy"),
    (mutate("proxies.Plane.parent", 0), "helper of"),
    (mutate("proxies.Plane.parent", 999), "helper of|missing"),
    (mutate("proxies.Sphere.parent", 2), "does not use it as a helper"),
]


@pytest.mark.parametrize("change, message", HOSTILE)
def test_hostile_files_raise_state_file_error_saying_what_is_wrong(tmp_path: Path, change, message: str) -> None:
    with pytest.raises(StateFileError, match=message):
        read_state(write(tmp_path, change(valid_document())))


def test_a_cycle_of_references_is_refused(tmp_path: Path) -> None:
    document = valid_document()
    shrink, clip = entry(document, "Shrink"), entry(document, "Clip")
    shrink["properties"]["Input"] = [clip["id"]]
    with pytest.raises(StateFileError, match="cycle"):
        read_state(write(tmp_path, document))
    shrink["properties"]["Input"] = [shrink["id"]]
    with pytest.raises(StateFileError, match="cycle"):
        read_state(write(tmp_path, document))


def test_an_id_used_twice_is_refused(tmp_path: Path) -> None:
    document = valid_document()
    document["proxies"].append(copy.deepcopy(entry(document, "Sphere")))
    with pytest.raises(StateFileError, match="used twice"):
        read_state(write(tmp_path, document))


def test_every_field_of_every_proxy_of_the_wrong_type_gives_a_state_file_error(tmp_path: Path) -> None:
    wrong_values = [None, True, -1, 2.5, "x", [], [None], {}, {"a": [1]}]
    base = valid_document()
    for i, proxy in enumerate(base["proxies"]):
        fields = [("", key) for key in proxy] + [("properties", key) for key in proxy["properties"]]
        for section, key in fields:
            for value in wrong_values:
                document = copy.deepcopy(base)
                target = document["proxies"][i][section] if section else document["proxies"][i]
                if target.get(key) == value:
                    continue
                target[key] = value
                # Any other exception fails the test; a value that is still valid (a name "x", a Radius 2.5) reads.
                with contextlib.suppress(StateFileError):
                    read_state(write(tmp_path, document))
