"""ParaView state files (.pvsm) loaded on any connection: ParaView's proxies translated to this project's.

:func:`load_pvsm` reads the file (:mod:`pvclient.pvsm_xml`), translates each proxy of its ``sources``,
``lookup_tables``, ``views``, ``representations`` and ``scalar_bars`` collections, and the helpers they own, by
the one table of ParaView's names (:mod:`pvclient.pvsm_names`), and recreates them in dependency order as one undo
step, all or nothing (:mod:`pvclient.pvsm_load`). Registration names, readers' files (checked by the server's
sandbox, as OpenDataFile's), sub-proxies (a Clip's plane), views (size, camera, background), representations
(visibility, representation type, colouring, opacity), scalar bars and colour maps (RGBPoints, ColorSpace) come
back; the first view becomes the active one, as in ParaView.

What this project lacks is never dropped silently:

- a proxy type it lacks (an AMR source, a spreadsheet view, a function a Clip cannot use here) refuses the load
  by default, with an error naming every such proxy, what depends on it, and the property values of sources and
  filters that would be skipped; ``skip_missing=True`` loads the rest (ParaView has no such option);
- a property value it lacks (a ParaView property without counterpart here, or a value outside this project's
  domain, such as a "Volume" representation) is skipped: a :class:`StateSkippedWarning` names those of sources
  and filters and counts the others, and the :class:`LoadReport` the load returns lists them all;
- ParaView's application state (animation, layouts, time keeper, settings) is not held by this project; the
  report lists the collections left out.
"""

from __future__ import annotations

import posixpath
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pvclient import pvsm_names
from pvclient.pvsm_load import Plan, load_plan
from pvclient.pvsm_names import ASSOCIATIONS, SCALAR_BAR, Row, plain, property_name, row_for
from pvclient.pvsm_xml import PvsmDocument, XmlProperty, XmlProxy, read_pvsm
from pvclient.statefile import refuse_unasked_python
from pvcore.definitions.filters_programmable import runs_python
from pvcore.errors import PVError, StateFileError
from pvcore.messages import ProxyState
from pvcore.ordering import dependency_order
from pvcore.schema import PIPELINE_GROUPS, Catalogue, Property, ProxySpec
from pvcore.values import coerce

if TYPE_CHECKING:
    from pvclient.connection import Connection
    from pvclient.proxy import Proxy


class StateSkippedWarning(UserWarning):
    """Part of a ParaView state that this project lacks was not loaded (the message says which)."""


@dataclass
class LoadReport:
    """What a ParaView state loaded as: the new proxies by registration name, and what was left out."""

    path: str
    paraview_version: str
    proxies: dict[str, Proxy] = field(default_factory=dict)
    #: Proxies of types this project lacks, as "name (ParaView type)".
    missing: list[str] = field(default_factory=list)
    #: Proxies left out because they depend on a missing one.
    dependants: list[str] = field(default_factory=list)
    #: Property values skipped, by "name (type)" of their proxy.
    skipped: dict[str, list[str]] = field(default_factory=dict)
    #: The labels of ``skipped`` that are of sources and filters (and their helpers): a warning names those.
    pipeline_skips: set[str] = field(default_factory=set, repr=False)
    #: The file's ids of the proxies loaded as helpers of others (a Clip's plane, a colour map's opacity map).
    helper_ids: set[int] = field(default_factory=set, repr=False)
    #: ParaView collections not held by this project (animation, layouts...).
    not_kept: list[str] = field(default_factory=list)
    #: The view made active (ParaView's first render view).
    active_view: Proxy | None = None


def load_pvsm(
    connection: Connection,
    path: str | Path,
    skip_missing: bool = False,
    data_directory: str | None = None,
    allow_python: bool = False,
) -> LoadReport:
    """Load a ParaView state file on ``connection``; see the module's docstring for what is kept.

    ``data_directory``: where the state's data files are now, as the server sees it (relative to its data
    directory, or absolute beneath it); the files' common folder in the state is replaced by it, as ParaView's
    ``LoadState(data_directory=...)`` does. Raises StateFileError before anything changes when the file is not
    a state, uses types this project lacks and ``skip_missing`` is False, or holds Python to run on the server
    (a ProgrammableFilter's script) and ``allow_python`` is False (see statefile.refuse_unasked_python).
    """
    document = read_pvsm(path)
    report = LoadReport(str(path), document.version)
    plan = translate(document, connection.catalogue, report)
    scripted = [
        plan.labels.get(xml_id, state.type)
        for xml_id, state in plan.states.items()
        if runs_python(connection.catalogue.get(state.group, state.type))
    ]
    refuse_unasked_python(path, scripted, allow_python)
    if data_directory is not None:
        _relocate(plan, data_directory)
    if (report.missing or report.dependants) and not skip_missing:
        raise StateFileError(_refusal(report))
    if report.missing or report.dependants or report.skipped:
        warnings.warn(StateSkippedWarning(_summary(report)), stacklevel=3)
    created = load_plan(connection, plan, f"Load state {Path(path).name}")
    report.proxies = {plan.states[xml_id].name: proxy for xml_id, proxy in created.items() if plan.states[xml_id].name}
    if plan.first_view is not None:
        report.active_view = created[plan.first_view]
    return report


# ----------------------------------------------------------------------------------------------- translation


def translate(document: PvsmDocument, catalogue: Catalogue, report: LoadReport) -> Plan:
    """The proxies of ``document`` as this project's states (references still by the file's ids), in dependency
    order; what cannot be translated goes to ``report``."""
    plan = Plan()
    viewed: set[int] = set()  # representations and scalar bars some loaded view shows
    left_out: set[int] = set()  # ids reported missing, or left out with them
    for collection in ("sources", "lookup_tables", "views", "representations", "scalar_bars"):
        for gid, name in document.collections.get(collection, []):
            xml = document.proxies.get(gid)
            if xml is None:
                raise StateFileError(f"{report.path}: the {collection} collection names proxy {gid}, which is missing.")
            row = row_for(xml.group, xml.type)
            label = plan.labels[gid] = f"{name} ({xml.type})"
            if row is None or not catalogue.has(row.group, row.name):
                left_out.add(gid)
                if collection in ("sources", "lookup_tables", "views") or gid in viewed:  # else: of a view left out
                    report.missing.append(label)
                continue
            spec = catalogue.get(row.group, row.name)
            try:
                values, helpers = _translated(document, catalogue, xml, spec, row, label, report)
            except _MissingHelperError as exc:
                left_out.add(gid)
                report.missing.append(f"{label}: {exc}")
                continue
            plan.states[gid] = ProxyState(gid, spec.group, spec.name, _name(spec, name, values), values)
            plan.helpers[gid] = helpers
            if spec.group == "views":
                viewed.update(ref for ref, _ in xml.properties.get("Representations", XmlProperty("")).proxies)
    _views(document, plan, catalogue)
    _drop_dependants(plan, catalogue, viewed, left_out, report)
    report.not_kept = sorted(
        name
        for name, items in document.collections.items()
        if name not in pvsm_names.LOADED_COLLECTIONS
        and not name.startswith("pq_helper_proxies.")  # each one the helpers of one proxy
        and not all(gid in report.helper_ids for gid, _ in items)
    )
    plan.first_view = next((g for g, st in plan.states.items() if st.group == "views"), None)
    order = dependency_order(plan.states, catalogue)
    plan.states = {st.global_id: st for st in order}
    return plan


class _MissingHelperError(Exception):
    """A sub-proxy of a type this project lacks (a Clip's function): a source or filter owning it cannot load."""


def _name(spec: ProxySpec, name: str, values: dict[str, tuple]) -> str:
    if spec.group == "lookup_tables":  # ParaView's "RTData.PVLookupTable" is this project's "RTData_LUT"
        array = name.removesuffix(".PVLookupTable")
        values["ArrayName"] = (array,)
        return f"{array}_LUT"
    return "" if spec.group == "representations" else name


def _translated(
    document: PvsmDocument,
    catalogue: Catalogue,
    xml: XmlProxy,
    spec: ProxySpec,
    row: Row,
    label: str,
    report: LoadReport,
    owner_group: str = "",
) -> tuple[dict[str, tuple], dict[str, tuple[str, dict[str, tuple]]]]:
    """The values of one proxy by this project's property names (references as file ids), and its helpers as
    property -> (helper type, values). Skipped values go to ``report.skipped[label]``."""
    values: dict[str, tuple] = {}
    helpers: dict[str, tuple[str, dict[str, tuple]]] = {}
    skipped: list[str] = []
    for xml_prop in xml.properties.values():
        name = property_name(spec, row, xml_prop.name)
        if name is None:
            # An empty one (a command) carries nothing; nor does ParaView's read-back copy of another (...Info).
            if (xml_prop.elements or xml_prop.proxies) and not xml_prop.name.endswith("Info"):
                skipped.append(xml_prop.name)
            continue
        prop = spec.property(name)
        if prop.read_only:
            continue
        if not xml_prop.elements and not xml_prop.proxies:  # unset: an empty list, or a value ParaView left unset
            if prop.count is None and prop.kind not in ("proxy", "subproxy"):
                values[name] = ()
            continue
        if prop.kind == "subproxy":
            if owner_group:  # this project's helpers have no helpers of their own
                skipped.append(f"{xml_prop.name} (a helper of a helper)")
                continue
            try:
                found = _helper(document, catalogue, prop, xml_prop, (label, spec.group), report)
            except _MissingHelperError as exc:
                if spec.group in PIPELINE_GROUPS:  # its data would not be what the state means
                    raise
                skipped.append(f"{xml_prop.name} ({exc})")
                continue
            if found is not None:
                helpers[name] = found
            continue
        if prop.kind == "proxy":
            if xml_prop.proxies or prop.count != 1:  # an unset single reference stays unset
                values[name] = tuple(ref for ref, _port in xml_prop.proxies)
            continue
        try:
            values[name] = coerce(prop, _converted(prop, xml_prop))
        except (PVError, ValueError, TypeError, OverflowError):
            shown = ", ".join(xml_prop.elements[:4]) + (", ..." if len(xml_prop.elements) > 4 else "")
            skipped.append(f"{xml_prop.name}=[{shown[:80]}]")
    if skipped:
        report.skipped[label] = skipped
        if (owner_group or spec.group) in PIPELINE_GROUPS:
            report.pipeline_skips.add(label)
    return values, helpers


def _helper(
    document: PvsmDocument,
    catalogue: Catalogue,
    prop: Property,
    xml_prop: XmlProperty,
    owner: tuple[str, str],
    report: LoadReport,
) -> tuple[str, dict[str, tuple]] | None:
    """The helper a sub-proxy property of ``owner`` (label, group) selects, as (type, values); _MissingHelperError
    for a type this project lacks."""
    owner_label, owner_group = owner
    if not xml_prop.proxies:
        return None
    xml = document.proxies.get(xml_prop.proxies[0][0])
    if xml is None:
        raise StateFileError(f"{report.path}: {owner_label}.{xml_prop.name} refers to proxy {xml_prop.proxies[0][0]}, "
                             "which the file does not contain.")  # fmt: skip
    row = row_for(xml.group, xml.type)
    if row is None or row.name not in prop.values or not catalogue.has(prop.subproxy_group, row.name):
        raise _MissingHelperError(
            f"its {xml_prop.name} is of type {xml.type!r}; this project's {prop.name} is {prop.domain_text()}"
        )
    spec = catalogue.get(prop.subproxy_group, row.name)
    report.helper_ids.add(xml.id)
    label = f"{owner_label.split(' ')[0]}.{prop.name} ({xml.type})"
    values, _ = _translated(document, catalogue, xml, spec, row, label, report, owner_group)
    return row.name, values


def _converted(prop: Property, xml_prop: XmlProperty) -> list[Any]:
    """A property's element strings as the values this project's property takes (coerce checks them)."""
    items = xml_prop.elements
    if prop.kind == "array":  # ParaView: (port index, port, connection, association, name); older: (assoc, name)
        assoc, name = (items[3], items[4]) if len(items) >= 5 else (items[0], items[1]) if len(items) == 2 else ("", "")
        assoc = ASSOCIATIONS.get(assoc, assoc if assoc in ASSOCIATIONS.values() else "POINTS")
        return [assoc, name]
    if prop.kind == "enum":
        text = xml_prop.entries.get(items[0], items[0]) if items else ""
        label = next((v for v in prop.values if plain(v) == plain(text)), None)
        if label is None:
            raise ValueError(text)
        return [label]
    if prop.kind in ("int", "bool"):
        return [int(v) if v.lstrip("-").isdigit() else float(v) for v in items]
    if prop.kind == "double":
        return [float(v) for v in items]
    return list(items)


def _drop_dependants(
    plan: Plan, catalogue: Catalogue, viewed: set[int], left_out: set[int], report: LoadReport
) -> None:
    """Leave out the representations and scalar bars of views left out, and what takes a missing proxy as input
    (a filter, a representation), until nothing changes; then drop the references to proxies not loaded that
    are not inputs (a colour map, a view's representations), naming those not already reported."""
    for gid in [g for g, st in plan.states.items() if st.group not in _TOP_GROUPS and g not in viewed]:
        del plan.states[gid]
        left_out.add(gid)
    changed = True
    while changed:
        changed = False
        for gid, st in list(plan.states.items()):
            spec = catalogue.get(st.group, st.type)
            inputs = [r for p in spec.properties if p.is_input for r in st.properties.get(p.name, ())]
            gone = next((r for r in inputs if r not in plan.states), None)
            if gone is not None:
                del plan.states[gid]
                left_out.add(gid)
                if st.group in _TOP_GROUPS:  # a representation goes with what it shows, which is reported
                    report.dependants.append(f"{plan.labels[gid]}, which takes {plan.labels.get(gone, gone)} as input")
                changed = True
    for gid, st in plan.states.items():
        spec = catalogue.get(st.group, st.type)
        for p in spec.properties:
            if p.kind != "proxy" or p.is_input or p.name not in st.properties:
                continue
            kept = tuple(r for r in st.properties[p.name] if r in plan.states and plan.states[r].group in p.values)
            lost = [r for r in st.properties[p.name] if r not in kept and r not in left_out]
            if lost:
                report.skipped.setdefault(plan.labels[gid], []).append(f"{p.name}=[proxies {lost}]")
            st.properties[p.name] = kept


def _has_property(catalogue: Catalogue, st: ProxyState, name: str) -> bool:
    return any(p.name == name for p in catalogue.get(st.group, st.type).properties)


#: The groups of proxies that stand alone (the others belong to a view).
_TOP_GROUPS = ("sources", "filters", "lookup_tables", "views")


def _views(document: PvsmDocument, plan: Plan, catalogue: Catalogue) -> None:
    """What ParaView keeps elsewhere: the view a scalar bar is in (the view's representations list it there), a
    representation's ScalarBarVisibility (its colour map's bar in the view is visible), the colour palette's
    background, and whether the camera was placed."""
    palette = next((p for p in document.proxies.values() if (p.group, p.type) == ("settings", "ColorPalette")), None)
    for gid, st in [(g, st) for g, st in plan.states.items() if st.group == "views"]:
        xml = document.proxies[gid]
        if xml.values("UseColorPaletteForBackground") == ["1"] and palette and palette.values("BackgroundColor"):
            st.properties["Background"] = tuple(float(v) for v in palette.values("BackgroundColor")[:3])
        if "CameraPosition" in st.properties:
            st.properties["CameraInitialized"] = (1,)
        shown, listed = set(), xml.properties.get("Representations", XmlProperty("")).proxies
        for ref, _port in listed:
            bar = document.proxies.get(ref)
            if bar is None or (bar.group, bar.type) != SCALAR_BAR:
                continue
            if bar.values("Visibility") == ["1"]:
                shown.update(r for r, _ in bar.properties.get("LookupTable", XmlProperty("")).proxies)
            if ref in plan.states and _has_property(catalogue, plan.states[ref], "View"):
                plan.states[ref].properties["View"] = (gid,)  # this project's scalar bar proxy, in this view
        kept = [r for r, _ in listed if r in plan.states and plan.states[r].group == "representations"]
        st.properties["Representations"] = tuple(kept)
        for ref in st.properties["Representations"]:
            rep = plan.states[ref]
            if any(lut in shown for lut in rep.properties.get("LookupTable", ())):
                rep.properties["ScalarBarVisibility"] = (1,)


def _relocate(plan: Plan, data_directory: str) -> None:
    """Point the readers' files at ``data_directory``: their common folder in the state is replaced by it."""
    readers = [st for st in plan.states.values() if "FileName" in st.properties and st.group == "sources"]
    if not any(st.properties["FileName"] for st in readers):
        return
    try:
        common = posixpath.commonpath([posixpath.dirname(f) for st in readers for f in st.properties["FileName"]])
    except ValueError:  # absolute and relative names mixed
        raise StateFileError("data_directory: the state's file names are not all absolute or all relative.") from None
    for st in readers:
        st.properties["FileName"] = tuple(
            posixpath.join(data_directory, posixpath.relpath(f, common)) for f in st.properties["FileName"]
        )


# ----------------------------------------------------------------------------------------------- messages


def _refusal(report: LoadReport) -> str:
    lines = [f"Cannot load the ParaView state {report.path!r} (ParaView {report.paraview_version or '?'}): it uses "
             "proxy types this project lacks:"]  # fmt: skip
    lines += [f"  - {m}" for m in report.missing]
    if report.dependants:
        lines.append("and these depend on them, so would not load either:")
        lines += [f"  - {d}" for d in report.dependants]
    named = {k: v for k, v in report.skipped.items() if k in report.pipeline_skips}
    if named:
        lines.append("Property values this project lacks would be skipped:")
        lines += [f"  - {k}: {', '.join(v)}" for k, v in named.items()]
    lines.append("LoadState(..., skip_missing=True) loads the rest.")
    return "\n".join(lines)


def _summary(report: LoadReport) -> str:
    parts = []
    if report.missing or report.dependants:
        parts.append("Not loaded (types this project lacks): " + "; ".join(report.missing + report.dependants) + ".")
    named = {k: v for k, v in report.skipped.items() if k in report.pipeline_skips}
    if named:
        parts.append("Skipped values: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in named.items()) + ".")
    others = sum(len(v) for k, v in report.skipped.items() if k not in named)
    if others:
        parts.append(f"{others} property values of views, representations and colour maps that this project does not "
                     "have were skipped (LoadState returns a report listing them).")  # fmt: skip
    return f"ParaView state {report.path!r}: " + " ".join(parts)
