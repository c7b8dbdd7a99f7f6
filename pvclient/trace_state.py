"""A session's whole state as a paraview.simple script (what ParaView's ``smstate.get_state()`` gives).

The script makes every proxy there is, in the order they were made, with the properties a trace of their
creation would set (:mod:`pvclient.trace_steps`), then places each view's camera; run on a fresh session it
rebuilds the same state. A proxy deleted while a filter still uses it (unregistered, as ParaView's) is made, and
deleted again once all there is was made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pvclient.trace import Tracer
from pvclient.trace_values import RECORD_MODIFIED_PROPERTIES, input_names
from pvcore import messages

if TYPE_CHECKING:
    from pvclient.connection import Connection


def state_script(
    connection: Connection, properties_mode: int = RECORD_MODIFIED_PROPERTIES, skip_hidden: bool = False
) -> str:
    """The script that rebuilds ``connection``'s state; ``skip_hidden`` leaves hidden representations out."""
    writer = Tracer(connection, properties_mode)
    writer.known.update(connection.states)
    for gid, st in sorted(connection.states.items()):
        if st.parent_id:
            continue  # a helper: written with its owner
        if skip_hidden and st.group == "representations" and not st.properties.get("Visibility", (1,))[0]:
            continue
        if gid in writer.names:  # already found by a line that needed it (a colour map its display uses)
            writer.configured(gid)
            continue
        spec = connection.spec(st.group, st.type)
        given = {key: st.properties[key] for key in input_names(spec) if key in st.properties}
        writer.created(messages.CreateProxy(st.group, st.type, st.name, given), gid, lambda g: g)
    for gid, st in sorted(connection.states.items()):
        if not st.name and not st.parent_id:  # deleted while a filter uses it: deleted again once that filter exists
            writer.deleted(gid, ())
    return writer.stop()
