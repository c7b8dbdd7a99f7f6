"""The properties ParaView removed, with how each reads and writes through what replaced it (pvclient.backcompat).

One entry per old property name and the proxies that had it (by XML name, group, or a property they have), with
the last ParaView version that had it and the message ParaView's NotSupportedException gives for newer versions.
The facts are ParaView 5.11's (its Wrapping/Python/paraview/_backwardscompatibilityhelper.py); two readings are
consistent where ParaView's are not: InsideOut reads as 1 - Invert (ParaView reads Invert back), and a scalar
bar's AspectRatio and Position2 read from its thickness and length (ParaView reads constants).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pvclient.proxy import Proxy

Version = tuple[int, ...]

#: The per-object store of values that have no property (set on a removed property without a replacement).
KEPT = "_old_property_values"


@dataclass(frozen=True)
class Where:
    """Which proxies an old property name belongs to: by XML name, XML group, or a property they have or lack."""

    names: tuple[str, ...] = ()
    group: str = ""
    has: str = ""
    lacks: str = ""

    def matches(self, proxy: Proxy) -> bool:
        spec = proxy._spec
        names = {p.name for p in spec.properties}
        return (
            (not self.names or spec.name in self.names)
            and (not self.group or spec.group == self.group)
            and (not self.has or self.has in names)
            and (not self.lacks or self.lacks not in names)
        )


@dataclass(frozen=True)
class OldProperty:
    """A property ParaView removed after version ``until``: how it reads and writes through its replacements.

    ``read`` gives the old value from the proxy; ``write`` gives the changes (new property -> value) that setting
    the old one makes; ``write`` None: setting it has no effect (the value stays on the Python object, as in
    ParaView). ``removed`` is ParaView's error when a script asks for a newer version."""

    name: str
    where: Where
    until: Version
    removed: str
    read: Callable[[Proxy], Any]
    write: Callable[[Proxy, Any], dict[str, Any]] | None = None


def _kept(value: Any) -> Callable[[Proxy], Any]:
    """A reader of a removed property with no replacement: ParaView's stand-in value."""
    return lambda _proxy: value


def _renamed(new: str) -> tuple[Callable[[Proxy], Any], Callable[[Proxy, Any], dict[str, Any]]]:
    return (lambda proxy: proxy.GetPropertyValue(new)), (lambda _proxy, value: {new: value})


def _scalar_bar_span(proxy: Proxy) -> int:
    # ParaView's assumption: a 1000x600 view, the bar 40% of its span (no view is known to the bar here either).
    return 1000 if proxy.GetPropertyValue("Orientation") == "Horizontal" else 600


def _aspect_ratio(proxy: Proxy) -> float:
    return 0.4 * _scalar_bar_span(proxy) / max(1, proxy.GetPropertyValue("ScalarBarThickness"))


def _set_aspect_ratio(proxy: Proxy, value: float) -> dict[str, Any]:
    return {"ScalarBarThickness": max(1, int(0.4 * _scalar_bar_span(proxy) / float(value)))}


def _position2(proxy: Proxy) -> list[float]:
    """The bar's old size [width, height] in the view: its length along its orientation, across it the width set
    last (ParaView's 0.05 until one is set)."""
    across = proxy.__dict__.get(KEPT, {}).get("Position2 across", 0.05)
    length = proxy.GetPropertyValue("ScalarBarLength")
    return [length, across] if proxy.GetPropertyValue("Orientation") == "Horizontal" else [across, length]


def _set_position2(proxy: Proxy, value: Any) -> dict[str, Any]:
    width, height = (float(v) for v in value)
    horizontal = proxy.GetPropertyValue("Orientation") == "Horizontal"
    proxy.__dict__.setdefault(KEPT, {})["Position2 across"] = height if horizontal else width
    return {"ScalarBarLength": width if horizontal else height}


_ATTRIBUTES = {"POINT_DATA": "POINTS", "CELL_DATA": "CELLS", "FIELD_DATA": "FIELD", "ROW_DATA": "ROWS"}
_ASSOCIATIONS = {"Point Data": "POINTS", "Cell Data": "CELLS", "Field Data": "FIELD", "Row Data": "ROWS"}


def _attribute_type(proxy: Proxy) -> str:
    return "CELL_DATA" if proxy.GetPropertyValue("ColorArrayName")[0] == "CELLS" else "POINT_DATA"


def _set_attribute_type(proxy: Proxy, value: str) -> dict[str, Any]:
    return {"ColorArrayName": [_ATTRIBUTES.get(value, value), proxy.GetPropertyValue("ColorArrayName")[1]]}


def _array_association(proxy: Proxy) -> str:
    association = proxy.GetPropertyValue("SelectInputArray")[0]
    return next((old for old, new in _ASSOCIATIONS.items() if new == association), "Point Data")


def _set_array_association(proxy: Proxy, value: str) -> dict[str, Any]:
    return {"SelectInputArray": [_ASSOCIATIONS.get(value, value), proxy.GetPropertyValue("SelectInputArray")[1]]}


def _composite_ids(new: str) -> tuple[Callable[[Proxy], Any], Callable[[Proxy, Any], dict[str, Any]]]:
    """Block indices (composite ids) as the selectors that replaced them, ``//*[@cid='3']``."""

    def reader(proxy: Proxy) -> list[int]:
        found = (re.fullmatch(r"//\*\[@cid='(\d+)'\]", s) for s in proxy.GetPropertyValue(new))
        return [int(m.group(1)) for m in found if m]

    return reader, lambda _proxy, ids: {new: [f"//*[@cid='{int(i)}']" for i in ids]}


def _background_flag(mode: str) -> tuple[Callable[[Proxy], Any], Callable[[Proxy, Any], dict[str, Any]]]:
    """UseGradientBackground and its kind: a flag that was BackgroundColorMode ``mode`` (off: a single color)."""

    def writer(proxy: Proxy, value: Any) -> dict[str, Any]:
        current = proxy.GetPropertyValue("BackgroundColorMode")
        if value and current != mode:
            return {"BackgroundColorMode": mode}
        return {"BackgroundColorMode": "Single Color"} if not value and current == mode else {}

    return (lambda proxy: int(proxy.GetPropertyValue("BackgroundColorMode") == mode)), writer


def _set_threshold_range(_proxy: Proxy, value: Any) -> dict[str, Any]:
    lower, upper = value
    return {"ThresholdMethod": "Between", "LowerThreshold": lower, "UpperThreshold": upper}


_CALCULATOR_MODES = {1: "Point Data", 2: "Cell Data"}  # the old AttributeMode's numbers


def _entry(name: str, where: Where, until: Version, removed: str, reader: Any, writer: Any = None) -> OldProperty:
    return OldProperty(name, where, until, removed, reader, writer)


_VIEWS = Where(group="views")
_REPRESENTATIONS = Where(group="representations", has="ColorArrayName")
#: ParaView 5.0's cube axes on a representation, by property, with the value ParaView reads for each.
_CUBE_AXES = {
    "CubeAxesVisibility": 0, "CubeAxesColor": [0, 0, 0], "CubeAxesCornerOffset": 0.0, "CubeAxesFlyMode": 1,
    "CubeAxesInertia": 1, "CubeAxesTickLocation": 0, "CubeAxesGridLineLocation": 0,
    **{f"CubeAxes{axis}Axis{part}Visibility": 0 for axis in "XYZ" for part in ("MinorTick", "Tick", "")},
    **{f"CubeAxes{axis}GridLines": 0 for axis in "XYZ"}, **{f"CubeAxes{axis}Title": "" for axis in "XYZ"},
    **{f"CubeAxesUseDefault{axis}Title": 0 for axis in "XYZ"}, **{f"CubeAxes{axis}LabelFormat": "" for axis in "XYZ"},
    "DataBounds": [0, 1, 0, 1, 0, 1], "CustomBounds": [0, 1, 0, 1, 0, 1], "CustomBoundsActive": 0,
    "OriginalBoundsRangeActive": 0, "CustomRange": [0, 1, 0, 1, 0, 1], "CustomRangeActive": 0,
    "UseAxesOrigin": 0, "AxesOrigin": [0, 0, 0], "StickyAxes": 0, "CenterStickyAxes": 0,
}  # fmt: skip

_ENTRIES = (
    _entry("ColorAttributeType", Where(has="ColorArrayName"), (4, 1),
           "ColorArrayName names the association too, ['CELLS', 'Normals']", _attribute_type, _set_attribute_type),
    _entry("CameraClippingRange", Where(group="views", lacks="CameraClippingRange"), (5, 0),
           "views reset their clipping range at each render; remove it from the script", _kept([0.0, 0.0, 0.0])),
    *(
        _entry(name, _REPRESENTATIONS, (5, 0), "cube axes are gone; remove them from the script", _kept(value))
        for name, value in _CUBE_AXES.items()
    ),
    _entry("AspectRatio", Where(has="ScalarBarThickness"), (5, 3),
           "set the bar's width in points with ScalarBarThickness", _aspect_ratio, _set_aspect_ratio),
    _entry("Position2", Where(has="ScalarBarLength"), (5, 3),
           "set the bar's length (a fraction of the view) with ScalarBarLength", _position2, _set_position2),
    _entry("LockScalarRange", Where(has="AutomaticRescaleRangeMode"), (5, 4),
           "AutomaticRescaleRangeMode says when the range changes ('Never' locks it)",
           lambda proxy: int(proxy.GetPropertyValue("AutomaticRescaleRangeMode") == "Never"),
           lambda _proxy, value: {"AutomaticRescaleRangeMode": "Never" if value else "Grow and update on 'Apply'"}),
    _entry("AttributeMode", Where(names=("Calculator",)), (5, 4),
           "use AttributeType ('Point Data', 'Cell Data')", lambda proxy: proxy.GetPropertyValue("AttributeType"),
           lambda _proxy, value: {"AttributeType": _CALCULATOR_MODES.get(value, value)}),
    _entry("UseOffscreenRenderingForScreenshots", _VIEWS, (5, 4), "remove it from the script", _kept(0)),
    _entry("UseOffscreenRendering", _VIEWS, (5, 4), "remove it from the script", _kept(0)),
    _entry("DataBoundsInflateFactor", Where(has="DataBoundsScaleFactor"), (5, 4),
           "DataBoundsScaleFactor is the inflate factor plus one",
           lambda proxy: max(0.0, proxy.GetPropertyValue("DataBoundsScaleFactor") - 1),
           lambda _proxy, value: {"DataBoundsScaleFactor": value + 1}),
    _entry("ArrayAssociation", Where(names=("AnnotateAttributeData",)), (5, 4),
           "SelectInputArray names the association and the array", _array_association, _set_array_association),
    _entry("ArrayName", Where(names=("AnnotateAttributeData",)), (5, 4),
           "SelectInputArray names the association and the array",
           lambda proxy: proxy.GetPropertyValue("SelectInputArray")[1],
           lambda proxy, value: {"SelectInputArray": [proxy.GetPropertyValue("SelectInputArray")[0], value]}),
    _entry("InsideOut", Where(names=("Clip",)), (5, 4), "Invert keeps the other side (Invert = 1 - InsideOut)",
           lambda proxy: 1 - proxy.GetPropertyValue("Invert"), lambda _proxy, value: {"Invert": 1 - int(value)}),
    *(
        _entry(name, Where(names=("SpreadSheetRepresentation",)), (5, 5), "the spreadsheet view has it now",
               _kept(0))
        for name in ("FieldAssociation", "GenerateCellConnectivity")
    ),
    _entry("Input", Where(names=("ResampleWithDataset",)), (5, 6), "set SourceDataArrays",
           *_renamed("SourceDataArrays")),
    _entry("Source", Where(names=("ResampleWithDataset",)), (5, 6), "set DestinationMesh",
           *_renamed("DestinationMesh")),
    _entry("ArrayName", Where(names=("GenerateIdScalars", "GenerateIds")), (5, 6),
           "set PointIdsArrayName or CellIdsArrayName", lambda proxy: proxy.GetPropertyValue("PointIdsArrayName"),
           lambda _proxy, value: {"PointIdsArrayName": value, "CellIdsArrayName": value}),
    _entry("EnableOSPRay", Where(has="EnableRayTracing"), (5, 6), "it is EnableRayTracing now",
           *_renamed("EnableRayTracing")),
    _entry("OSPRayTemporalCacheSize", Where(has="TemporalCacheSize"), (5, 6), "it is TemporalCacheSize now",
           *_renamed("TemporalCacheSize")),
    _entry("Scale", Where(names=("Box",)), (5, 6), "it is Length now", *_renamed("Length")),
    _entry("BlockIndices", Where(names=("ExtractBlock",)), (5, 9),
           "Selectors choose the blocks (//*[@cid='3'] is block 3)", *_composite_ids("Selectors")),
    _entry("CompositeDataSetIndex", Where(names=("SpreadSheetRepresentation",)), (5, 9),
           "BlockVisibilities choose the blocks (//*[@cid='3'] is block 3)", *_composite_ids("BlockVisibilities")),
    *(
        _entry(name, Where(names=("ExtractBlock",)), (5, 9), "remove it from the script", _kept(1))
        for name in ("PruneOutput", "MaintainStructure")
    ),
    *(
        _entry(f"Use{kind}Background", Where(group="views", has="BackgroundColorMode"), (5, 9),
               f"set BackgroundColorMode = '{mode}'", *_background_flag(mode))
        for kind, mode in (("Gradient", "Gradient"), ("Textured", "Texture"), ("Skybox", "Skybox"))
    ),
    _entry("ThresholdRange", Where(names=("Threshold",)), (5, 9),
           "set LowerThreshold and UpperThreshold, and ThresholdMethod = 'Between'",
           lambda proxy: [proxy.GetPropertyValue("LowerThreshold"), proxy.GetPropertyValue("UpperThreshold")],
           _set_threshold_range),
    _entry("StaticMesh", Where(names=("ParticleTracer", "ParticlePath", "StreakLine")), (5, 10),
           "it is MeshOverTime now", *_renamed("MeshOverTime")),
    _entry("UseGeometryFilter", Where(names=("DataSetSurfaceFilter", "ExtractSurface")), (5, 10),
           "remove it from the script", _kept(1)),
)  # fmt: skip

#: The removed properties by old name (several proxies may have had one name).
TABLE: dict[str, tuple[OldProperty, ...]] = {}
for _old in _ENTRIES:
    TABLE[_old.name] = (*TABLE.get(_old.name, ()), _old)


__all__ = ["KEPT", "TABLE", "OldProperty", "Version", "Where"]
