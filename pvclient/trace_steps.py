"""How each request of a client becomes lines of its trace (see :mod:`pvclient.trace`).

A request that is one of ParaView's trace words is written as that word: a source or filter creation as
``Type(registrationName=..., Input=...)``, a representation as ``Show(...)``, a batch that sets an array and its
colour map as ``ColorBy(...)``, a scalar bar shown from its representation as ``SetScalarBarVisibility``, a
deletion as ``Delete``. Anything else is written as the property assignments it made, so every change is traced.
Proxies that existed before the trace get a line that finds them (``FindSource``, ``GetDisplayProperties``...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from pvclient.trace_values import (
    RECORD_ALL_PROPERTIES,
    RECORD_USER_MODIFIED_PROPERTIES,
    input_names,
    is_pipeline,
    literal,
    recorded,
    unique_name,
    value_source,
    variable_stem,
)
from pvcore import messages
from pvcore.definitions.views import is_camera_property
from pvcore.messages import ProxyState
from pvcore.schema import ProxySpec

if TYPE_CHECKING:
    from pvclient.connection import Connection

#: Camera properties always written for a view (the others only when they differ from their defaults).
CAMERA_ALWAYS = ("CameraPosition", "CameraFocalPoint", "CameraViewUp")

Resolve = Callable[[int], int]


def _same(gid: int) -> int:
    return gid


class StepWriter:
    """The lines, the names given to proxies, and the states seen (deleted ones included) of one trace."""

    properties_mode: int
    full_supplemental: bool
    trace_cameras: bool
    active_view_id: int

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.lines: list[str] = []
        self.known: dict[int, ProxyState] = {}
        self.names: dict[int, str] = {}
        self.taken: set[str] = set()
        self._views: list[int] = []  # views the script names, in order: their cameras close it
        self._expected_bar: tuple[int, int] | None = None  # (colour map, view) of a SetScalarBarVisibility
        self._changing = ""  # the proxy whose properties the last step set, if that is what it did

    # ----------------------------------------------------------------------------------- names

    def state(self, gid: int) -> ProxyState | None:
        """A proxy's state now, or the last one seen if it was deleted (None: never seen)."""
        return self.connection.states.get(gid) or self.known.get(gid)

    def spec(self, st: ProxyState) -> ProxySpec:
        """The definition of a state's type, as the connection's server sent it."""
        return self.connection.spec(st.group, st.type)

    def type_of(self, gid: int) -> str:
        """A proxy's type name ("" if never seen): how a script names a helper (``clip.ClipType = 'Plane'``)."""
        st = self.state(gid)
        return st.type if st is not None else ""

    def name_of(self, gid: int) -> str:
        """The script's expression for a proxy: its variable, a helper as ``parent.Property``, or a new variable
        set by a line that finds a proxy the trace did not create."""
        if gid in self.names:
            return self.names[gid]
        st = self.state(gid)
        if st is None:
            return "None"
        if st.parent_id:
            return f"{self.name_of(st.parent_id)}.{st.name}"
        finder = self._finder(st)
        variable = self._give_name(st)
        self.block(f"# find {st.name!r}, made before the trace or by the step above", [f"{variable} = {finder}"])
        return variable

    def _give_name(self, st: ProxyState) -> str:
        owner = {"representations": "Input", "scalar_bars": "LookupTable"}.get(st.group)
        owner_stem = self.name_of(_ref(st, owner)) if owner and _ref(st, owner) else ""
        variable = unique_name(variable_stem(st, owner_stem), self.taken)
        self.names[st.global_id] = variable
        if st.group == "views":
            self._views.append(st.global_id)
        return variable

    def _finder(self, st: ProxyState) -> str:
        """An expression that finds, in a replay, a proxy that was there before the trace began."""
        if st.group == "views":
            if st.global_id == self.active_view_id or not self.active_view_id:
                self.active_view_id = st.global_id
                return f"GetActiveViewOrCreate({literal(st.type)})"
            return (
                f"next((v for v in GetViews() if v.GetRegistrationName() == {literal(st.name)}), None) "
                f"or CreateView({literal(st.type)})"
            )
        if is_pipeline(st.group):
            return f"FindSource({literal(st.name)})"
        if st.group == "representations":
            source, view = self._input_of(st), self.view_of(st.global_id)
            return f"GetDisplayProperties({self.name_of(source)}, view={self.name_of(view)})"
        if st.group == "lookup_tables":
            return f"GetColorTransferFunction({literal(_first(st, 'ArrayName'))})"
        if st.group == "scalar_bars":
            return f"GetScalarBar({self.name_of(_ref(st, 'LookupTable'))}, {self.name_of(_ref(st, 'View'))})"
        return f"servermanager.CreateProxy({literal(st.group)}, {literal(st.type)})"

    def _input_of(self, st: ProxyState) -> int:
        return _ref(st, "Input")

    def view_of(self, rep_id: int) -> int:
        """The view that holds a representation (0: none)."""
        for gid, st in sorted(self.connection.states.items()):
            if st.group == "views" and rep_id in st.properties.get("Representations", ()):
                return gid
        return 0

    def named_views(self) -> list[int]:
        """The views the script has a variable for, in the order it gave them."""
        return list(self._views)

    # ----------------------------------------------------------------------------------- lines

    def block(self, comment: str, lines: list[str], target: str = "") -> None:
        """A step: a blank line, its comment, its lines; ``target``: changes of one proxy's properties, which join
        the step before when it changed the same proxy's."""
        if not lines:
            return
        if not (target and target == self._changing):
            self.lines += ["", comment] if comment else [""]
        self.lines += lines
        self._changing = target

    def assignments(self, target: str, spec: ProxySpec, values: dict[str, tuple], resolve: Resolve) -> list[str]:
        """``target.Name = value`` for wire values (proxy references may be a batch's placeholders)."""
        out = []
        for key, wire in values.items():
            prop = spec.property(key)
            if prop.kind == "proxy":
                wire = tuple(resolve(int(v)) for v in wire)
            text = value_source(prop, wire, self.name_of, self.type_of)
            out.append(f"{target}.{key} = {text}")
        return out

    def camera_lines(self, view_id: int) -> list[str]:
        """The lines that place a view's camera as it is now (this client's camera)."""
        st = self.state(view_id)
        if st is None:
            return []
        spec, target = self.spec(st), self.name_of(view_id)
        values = {
            p.name: st.properties[p.name]
            for p in spec.properties
            if is_camera_property(p.name)
            and not p.read_only
            and p.name in st.properties
            and (p.name in CAMERA_ALWAYS or tuple(st.properties[p.name]) != tuple(p.default))
        }
        return [f"# the camera of {target}", *self.assignments(target, spec, values, _same)]

    # ----------------------------------------------------------------------------------- requests

    def record(self, request: Any, reply: Any) -> None:
        """Write the lines of one request that succeeded."""
        expected, self._expected_bar = self._expected_bar, None
        if isinstance(request, messages.CreateProxy):
            self.created(request, reply.states[-1].global_id, _same, expected)
        elif isinstance(request, messages.UpdateProxy):
            self.updated(request, _same, expected)
        elif isinstance(request, messages.DeleteProxy):
            self.deleted(request.global_id, getattr(reply, "deleted_ids", None))
        elif isinstance(request, messages.Batch):
            self.batch(request, reply)
        elif isinstance(request, messages.Invoke):
            self.invoked(request)
        elif isinstance(request, messages.UndoRequest) and request.action in ("undo", "redo"):
            self.block(f"# {request.action} the last step", [f"{request.action.capitalize()}()"])
        elif isinstance(request, messages.SaveDataRequest):
            where = self.name_of(request.global_id)
            self.block("# write the data", [f"SaveData({literal(request.path)}, proxy={where})"])

    def created(self, request: messages.CreateProxy, gid: int, resolve: Resolve, expected: Any = None) -> None:
        """The call that makes proxy ``gid`` (created by ``request``) and the properties the mode records."""
        st = self.state(gid)
        if st is None:
            return
        spec = self.spec(st)
        if st.group == "scalar_bars" and expected == (_ref(st, "LookupTable"), _ref(st, "View")):
            self._expected_bar = expected  # made by the SetScalarBarVisibility just written
            return
        given = dict(request.properties)
        opening, comment, used = self._opening(st, spec, given, resolve)
        variable = self._give_name(st)
        lines = [f"{variable} = {opening}"]
        chosen = recorded(spec, st, self._mode_for(st), [k for k in given if k not in used], self.type_of)
        values = {p.name: st.properties.get(p.name, p.default) for p in chosen if p.name not in used}
        lines += self.assignments(variable, spec, values, _same)
        lines += self._helper_lines(variable, spec, st)
        self.block(comment, lines)

    def configured(self, gid: int) -> None:
        """Lines that set a proxy the script already names (a colour map found by its array) as it is now."""
        st = self.state(gid)
        if st is None:
            return
        spec, variable = self.spec(st), self.name_of(gid)
        chosen = recorded(spec, st, self._mode_for(st), (), self.type_of)
        used = {"lookup_tables": {"ArrayName"}, "scalar_bars": {"LookupTable", "View"}}.get(st.group, set())
        values = {p.name: st.properties.get(p.name, p.default) for p in chosen if p.name not in used}
        lines = self.assignments(variable, spec, values, _same) + self._helper_lines(variable, spec, st)
        self.block(f"# properties of {variable}", lines, variable)

    def _mode_for(self, st: ProxyState) -> int:
        supplemental = st.group in ("lookup_tables", "piecewise_functions", "scalar_bars") or st.parent_id
        return RECORD_ALL_PROPERTIES if self.full_supplemental and supplemental else self.properties_mode

    def _opening(
        self, st: ProxyState, spec: ProxySpec, given: dict[str, tuple], resolve: Resolve
    ) -> tuple[str, str, set[str]]:
        """The call that makes a proxy, its comment, and the properties it sets itself."""
        if is_pipeline(st.group):
            used = [k for k in input_names(spec) if k in given]
            args = [f"registrationName={literal(st.name)}"] if st.name else []  # none: deleted, still used
            for key in used:
                prop, wire = spec.property(key), given[key]
                wire = tuple(resolve(int(v)) for v in wire) if prop.kind == "proxy" else wire
                args.append(f"{key}={value_source(prop, wire, self.name_of, self.type_of)}")
            named = f", {st.name!r}" if st.name else " (deleted: still the input of a filter)"
            return f"{spec.name}({', '.join(args)})", f"# a new {spec.name}{named}", set(used)
        if st.group == "views":
            return f"CreateView({literal(st.type)})", f"# a new {st.type}", set()
        if st.group == "representations":
            source, view = self.name_of(self._input_of(st)), self.name_of(self.view_of(st.global_id))
            if _first(st, "Visibility", 1):
                return f"Show({source}, {view}, 'GeometryRepresentation')", f"# show {source} in {view}", set()
            return f"GetDisplayProperties({source}, view={view})", f"# how {source} is drawn in {view}", set()
        if st.group == "lookup_tables":
            name = literal(_first(st, "ArrayName"))
            return f"GetColorTransferFunction({name})", f"# the colour map of {name}", {"ArrayName"}
        if st.group == "scalar_bars":
            lut, view = self.name_of(_ref(st, "LookupTable")), self.name_of(_ref(st, "View"))
            return f"GetScalarBar({lut}, {view})", f"# the colour legend of {lut}", {"LookupTable", "View"}
        return self._finder(st), f"# a new {st.type}", set()

    def _helper_lines(self, variable: str, spec: ProxySpec, st: ProxyState) -> list[str]:
        """The properties of a new proxy's helpers (a Clip's plane, a representation's transfer functions)."""
        if self.properties_mode == RECORD_USER_MODIFIED_PROPERTIES and not self.full_supplemental:
            return []
        lines = []
        for prop in spec.properties:
            if prop.kind != "subproxy" or prop.read_only or not st.properties.get(prop.name):
                continue
            helper = self.state(int(st.properties[prop.name][0]))
            if helper is None:
                continue
            helper_spec = self.spec(helper)
            chosen = recorded(helper_spec, helper, self._mode_for(helper), (), self.type_of)
            values = {p.name: helper.properties.get(p.name, p.default) for p in chosen}
            lines += self.assignments(f"{variable}.{prop.name}", helper_spec, values, _same)
        return lines

    def updated(self, request: messages.UpdateProxy, resolve: Resolve, expected: Any = None) -> None:
        """A property change: Show/Hide, SetScalarBarVisibility, RenameSource, or the assignments it made."""
        gid = resolve(request.global_id)
        st = self.state(gid)
        if st is None:
            return
        values = dict(request.properties)
        if st.group == "scalar_bars" and expected and set(values) == {"Visibility"}:
            return  # the SetScalarBarVisibility just written shows it
        target = self.name_of(gid)
        if request.name:
            call = "RenameSource" if is_pipeline(st.group) else None
            line = f"{call}({literal(request.name)}, {target})" if call else f"# renamed to {request.name!r}"
            self.block("# rename", [line])
        if st.group == "views" and not self.trace_cameras:
            values = {k: v for k, v in values.items() if not is_camera_property(k)}
        if st.group == "representations" and set(values) == {"Visibility"}:
            source, view = self.name_of(self._input_of(st)), self.name_of(self.view_of(gid))
            word = "Show" if _wire_first(values["Visibility"]) else "Hide"
            self.block(f"# {word.lower()} {source} in {view}", [f"{word}({source}, {view})"])
            return
        if st.group == "representations" and set(values) == {"ScalarBarVisibility"} and self.view_of(gid):
            visible, view = bool(_wire_first(values["ScalarBarVisibility"])), self.view_of(gid)
            lut = _ref(st, "LookupTable")
            if lut:
                self._expected_bar = (lut, view)
            line = f"{target}.SetScalarBarVisibility({self.name_of(view)}, {visible})"
            self.block("# the colour legend", [line])
            return
        self.block(f"# properties of {target}", self.assignments(target, self.spec(st), values, resolve), target)

    def deleted(self, gid: int, gone_ids: Iterable[int] | None) -> None:
        """``Delete(x)``; the names of what went with it (its representations, helpers) are forgotten. A proxy that
        a filter still uses lives on unregistered: its name stays, for what the trace writes of that filter."""
        target = self.name_of(gid)
        gone = [gid] if gone_ids is None else list(gone_ids)
        went = gid in gone
        lines = [f"Delete({target})"] + ([f"del {target}"] if went and target.isidentifier() else [])
        self.block(f"# delete {target}", lines)
        for gone_id in gone:
            self.names.pop(gone_id, None)

    def invoked(self, request: messages.Invoke) -> None:
        """A method run on the server: a camera fit is written; an update of the pipeline changes no state."""
        if request.method == "ResetCamera":
            target = self.name_of(request.global_id)
            self.block("# fit the camera to the data", [f"{target}.ResetCamera(False)"])

    def batch(self, request: messages.Batch, reply: messages.BatchReply) -> None:
        """A batch's items, in order; a Show's view update and a ColorBy's colour map changes are implied."""
        created = list(reply.created_ids)

        def resolve(gid: int) -> int:
            return created[-gid - 1] if gid < 0 else gid

        shown = {resolve(-(k + 1)) for k, item in enumerate(_creates(request)) if item.group == "representations"}
        colour = next((i for i in request.items if _colours(i)), None)
        count = 0
        for item in request.items:
            if isinstance(item, messages.CreateProxy):
                count += 1
                if colour is not None and item.group == "lookup_tables":
                    continue  # ColorBy makes it; named once ColorBy is written
                self.created(item, resolve(-count), resolve)
            elif isinstance(item, messages.UpdateProxy):
                self._batch_update(item, resolve, shown, colour)
            elif isinstance(item, messages.DeleteProxy):
                self.deleted(resolve(item.global_id), reply.delta.deleted_ids)
        for gone in reply.delta.deleted_ids:
            self.names.pop(gone, None)

    def _batch_update(self, item: messages.UpdateProxy, resolve: Resolve, shown: set[int], colour: Any) -> None:
        gid = resolve(item.global_id)
        st = self.state(gid)
        if st is None or (colour is not None and st.group == "lookup_tables"):
            return  # a colour map ColorBy makes or fits
        values = dict(item.properties)
        if st.group == "views" and "Representations" in values:
            added = {resolve(int(v)) for v in values["Representations"]} - set(self._previous_reps(st))
            if added <= shown:
                values.pop("Representations")
        if item is colour:
            association, array = values.pop("ColorArrayName")
            values.pop("LookupTable", None)
            target = self.name_of(gid)
            line = f"ColorBy({target}, ({literal(association)}, {literal(array)}))"
            self.block(f"# colour {target} by {array!r}", [line])
            self.name_of(_ref(st, "LookupTable"))  # a variable for the colour map ColorBy made or found
        if values or item.name:
            self.updated(messages.UpdateProxy(gid, values, item.name), resolve)

    def _previous_reps(self, st: ProxyState) -> tuple:
        before = self.known.get(st.global_id)
        return tuple(before.properties.get("Representations", ())) if before is not None else ()


def _creates(request: messages.Batch) -> list[messages.CreateProxy]:
    return [i for i in request.items if isinstance(i, messages.CreateProxy)]


def _colours(item: Any) -> bool:
    """An update that colours a representation by an array through a colour map (what ColorBy sends)."""
    if not isinstance(item, messages.UpdateProxy):
        return False
    array = item.properties.get("ColorArrayName", ())
    return len(array) == 2 and bool(array[1]) and "LookupTable" in item.properties


def _first(st: ProxyState, key: str, default: Any = "") -> Any:
    value = st.properties.get(key, ())
    return value[0] if value else default


def _wire_first(value: tuple) -> Any:
    return value[0] if value else None


def _ref(st: ProxyState, key: str) -> int:
    value = st.properties.get(key, ())
    return int(value[0]) if value else 0
