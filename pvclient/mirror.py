"""A client's copy of the session's proxy states, which only ever moves forward.

A client applies the replies to its own requests at once, and the events of others' changes when
process_events runs, so an event can reach the mirror after a reply that is newer than it. Each delta therefore
comes with its arrival stamp (:class:`pvclient.events.EventQueue`): replies and events share one ordered stream,
so the stamps give the server's order, camera values included (they are each client's own and move without a
new version). The server's per-proxy ``version`` backs the stamps up: a state of a newer version than the one
held is never dropped.
"""

from __future__ import annotations

from pvcore.definitions.views import is_camera_property
from pvcore.messages import ProxyState, StateDelta
from pvcore.schema import ProxySpec
from pvcore.values import changes_nothing


def unchanged(state: ProxyState, spec: ProxySpec, values: dict[str, tuple], name: str = "") -> bool:
    """Whether setting the (coerced, wire) ``values`` and ``name`` on ``state`` would change nothing, as the
    server judges it: a helper named by type is always new, and cameras (each client's own) always travel."""
    if name and name != state.name:
        return False
    for key, value in values.items():
        if state.group == "views" and is_camera_property(key):
            return False
        if not changes_nothing(spec.property(key), value, state.properties.get(key)):
            return False
    return True


class Mirror:
    """Proxy states by global id, each replaced only by a newer one."""

    def __init__(self) -> None:
        self.states: dict[int, ProxyState] = {}
        self._stamps: dict[int, int] = {}  # global id -> stamp of what last set or deleted it (kept once deleted)

    def apply(self, delta: StateDelta, stamp: int) -> StateDelta:
        """Apply what in ``delta`` (arrived with ``stamp``) is newer than what is held; return that part.

        A state is newer if it arrived after whatever set (or deleted) the proxy and is of the same version or a
        later one, or if it is of a later version than the state held. A deletion is newer if it arrived after
        whatever set the proxy. A proxy deleted by a newer message is not brought back by an older one.
        """
        deleted = []
        for gid in delta.deleted_ids:
            if stamp >= self._stamps.get(gid, -1):
                self._stamps[gid] = stamp
                self.states.pop(gid, None)
                deleted.append(gid)
        applied = []
        for st in delta.states:
            gid = st.global_id
            held = self.states.get(gid)
            arrived_later = stamp >= self._stamps.get(gid, -1)
            if (arrived_later and (held is None or st.version >= held.version)) or (
                held is not None and st.version > held.version
            ):
                self.states[gid] = st
                self._stamps[gid] = max(stamp, self._stamps.get(gid, -1))
                applied.append(st)
        return StateDelta(applied, deleted)

    def dump(self) -> dict[int, tuple]:
        """The states in a comparable form, without the cameras of views (each client's own)."""
        return {
            gid: (
                st.group,
                st.type,
                st.name,
                st.parent_id,
                st.version,
                tuple(sorted((k, v) for k, v in st.properties.items() if not is_camera_property(k))),
            )
            for gid, st in sorted(self.states.items())
        }
