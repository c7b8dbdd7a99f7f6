"""What a trace must reproduce: a session's state described without its ids, to compare two sessions.

Proxies are keyed by what a script knows them by (a source by its registration name, a view by its place among
the views, a representation by its source and view, a colour map by its array), references by those keys, and
helpers by their type and values, so that a replay in a fresh session, where every id differs, describes the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pvcore.messages import ProxyState
from pvcore.schema import PIPELINE_GROUPS

if TYPE_CHECKING:
    from pvclient.connection import Connection


def state_signature(connection: Connection, cameras: bool = True) -> dict[tuple, tuple]:
    """Every proxy of ``connection`` (but helpers, which are described within their owners) by its key: its
    type and its property values, references by key; ``cameras=False`` leaves the views' cameras out."""
    states = connection.states
    views = {gid: st for gid, st in states.items() if st.group == "views"}

    def key(gid: int) -> tuple:
        st = states.get(gid)
        if st is None:
            return ("gone",)
        if st.parent_id:
            return ("helper", *key(st.parent_id), st.name)
        if st.group in PIPELINE_GROUPS:
            return (st.group, st.name)
        if st.group == "views":  # by creation order: a script makes views without naming them
            return (st.group, st.type, sorted(views).index(gid))
        if st.group == "representations":
            view = next((v for v, vs in views.items() if gid in vs.properties.get("Representations", ())), 0)
            return ("representation", key(_ref(st, "Input")), key(view) if view else None)
        if st.group == "lookup_tables":
            return ("lookup_table", _first(st, "ArrayName"))
        if st.group == "scalar_bars":
            return ("scalar_bar", key(_ref(st, "LookupTable")), key(_ref(st, "View")))
        return (st.group, st.type, st.name)

    def values(st: ProxyState) -> tuple:
        spec = connection.spec(st.group, st.type)
        out: list[tuple[str, Any]] = []
        for prop in spec.properties:
            wire = st.properties.get(prop.name)
            if (
                wire is None
                or prop.read_only
                or (not cameras and st.group == "views" and prop.name.startswith("Camera"))
            ):
                continue
            if prop.kind == "subproxy":
                helper = states.get(int(wire[0])) if wire else None
                out.append((prop.name, (helper.type, values(helper)) if helper is not None else None))
            elif prop.kind == "proxy":
                out.append((prop.name, tuple(key(int(v)) for v in wire)))
            else:
                out.append((prop.name, tuple(wire)))
        return (st.type, tuple(out))

    return {key(gid): values(st) for gid, st in sorted(states.items()) if not st.parent_id}


def _first(st: ProxyState, name: str) -> Any:
    value = st.properties.get(name, ())
    return value[0] if value else ""


def _ref(st: ProxyState, name: str) -> int:
    value = st.properties.get(name, ())
    return int(value[0]) if value else 0
