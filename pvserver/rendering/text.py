"""Text representations (ParaView's TextSourceRepresentation): the one string of a Text, AnnotateTime or
PythonAnnotation output, drawn once by rank 0 over the composited image, like the scalar bars.

Those outputs are a one-row table on rank 0 (pvserver/pipeline/adapters_sources.py). Every rank's renderer hands
its representations' data to a polygon mapper; for a table, :func:`text_carrier` makes an empty polygonal data
set that carries the string in its field data, and :func:`remember_mapper` (called where a representation's
style is applied) notes which mapper belongs to which text representation. At overlay time rank 0 reads the
current string from that mapper's input, so a text that changes with time (AnnotateTime) is always the one
drawn in this frame.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

from pvcore.messages import ProxyState

TEXT_REPRESENTATION = "TextSourceRepresentation"
#: The name of the field-data string that carries a table's text to the overlay.
TEXT_FIELD = "TextSourceText"
#: The gap between a text anchored to a side of the view and that side, in pixels (ParaView's, within a pixel).
MARGIN_PIXELS = 4
#: The longest text drawn (characters); a longer one is cut, so that one string cannot make a huge texture.
MAX_TEXT = 10_000
FONT_FAMILIES = {"Arial": 0, "Courier": 1, "Times": 2}

_mappers: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()


def is_text(rep: ProxyState) -> bool:
    """Whether a representation is a text one (drawn by the overlay, not as geometry)."""
    return rep.type == TEXT_REPRESENTATION


def remember_mapper(rep: ProxyState, mapper: Any) -> None:
    """Note the mapper that receives ``rep``'s data on this rank (its input carries the text)."""
    _mappers[rep.global_id] = mapper


def table_text(table: Any) -> str | None:
    """The string a one-row text table holds (its first column's first value), or None when it holds none."""
    if table.GetNumberOfRows() < 1 or table.GetNumberOfColumns() < 1:
        return None
    column = table.GetColumnByName("Text") or table.GetColumn(0)
    value = column.GetVariantValue(0)
    return value.ToString() if value.IsValid() else None


def text_carrier(table: Any) -> Any:
    """An empty polygonal data set (nothing is drawn in the 3D scene) carrying ``table``'s text, if any."""
    from vtkmodules.vtkCommonCore import vtkStringArray
    from vtkmodules.vtkCommonDataModel import vtkPolyData

    carrier = vtkPolyData()
    text = table_text(table)
    if text is not None:
        field = vtkStringArray()
        field.SetName(TEXT_FIELD)
        field.InsertNextValue(text[:MAX_TEXT])
        carrier.GetFieldData().AddArray(field)
    return carrier


def current_text(rep: ProxyState) -> str | None:
    """The string rank 0's renderer last handed to ``rep``'s mapper (None: nothing to draw)."""
    mapper = _mappers.get(rep.global_id)
    data = mapper.GetInput() if mapper is not None else None
    field = data.GetFieldData().GetAbstractArray(TEXT_FIELD) if data is not None else None
    return field.GetValue(0) if field is not None and field.GetNumberOfValues() else None


def visible_texts(states: Mapping[int, ProxyState], view: ProxyState) -> list[tuple[ProxyState, str]]:
    """The view's visible text representations with the string each shows, in the view's order."""
    found = []
    for rep_id in view.properties.get("Representations", ()):
        rep = states.get(rep_id)
        if rep is None or not is_text(rep) or not rep.properties.get("Visibility", (1,))[0]:
            continue
        text = current_text(rep)
        if text:
            found.append((rep, text))
    return found


def _value(rep: ProxyState, name: str, default: Any) -> Any:
    values = rep.properties.get(name, (default,))
    return values[0] if values else default


def text_actor(rep: ProxyState, text: str, size: tuple[int, int]) -> Any:
    """A 2D text actor for ``rep`` showing ``text`` in an image of ``size`` (width, height) pixels, placed by its
    WindowLocation (a corner or side centre, MARGIN_PIXELS from the edges) or, for 'Any Location', with its
    lower left corner at Position (fractions of the view)."""
    from vtkmodules.vtkRenderingCore import vtkTextActor

    actor = vtkTextActor()
    actor.SetInput(text)
    prop = actor.GetTextProperty()
    prop.SetFontSize(int(_value(rep, "FontSize", 18)))
    prop.SetColor(*rep.properties.get("Color", (1.0, 1.0, 1.0)))
    prop.SetOpacity(float(_value(rep, "Opacity", 1.0)))
    prop.SetBold(bool(_value(rep, "Bold", 0)))
    prop.SetItalic(bool(_value(rep, "Italic", 0)))
    prop.SetShadow(bool(_value(rep, "Shadow", 0)))
    prop.SetFontFamily(FONT_FAMILIES.get(_value(rep, "FontFamily", "Arial"), 0))
    prop.SetLineSpacing(float(_value(rep, "LineSpacing", 1.0)))
    prop.SetOrientation(float(_value(rep, "Orientation", 0.0)))
    location = _value(rep, "WindowLocation", "Upper Left Corner")
    width, height = size
    mx, my = MARGIN_PIXELS / max(1, width), MARGIN_PIXELS / max(1, height)
    if location == "Any Location":
        x, y = rep.properties.get("Position", (0.05, 0.05))
        horizontal, vertical = "Left", "Bottom"
    else:
        horizontal = "Left" if "Left" in location else "Right" if "Right" in location else "Center"
        vertical = "Top" if location.startswith("Upper") else "Bottom"
        x = {"Left": mx, "Right": 1.0 - mx, "Center": 0.5}[horizontal]
        y = 1.0 - my if vertical == "Top" else my
    getattr(prop, f"SetJustificationTo{'Centered' if horizontal == 'Center' else horizontal}")()
    getattr(prop, f"SetVerticalJustificationTo{vertical}")()
    coordinate = actor.GetPositionCoordinate()
    coordinate.SetCoordinateSystemToNormalizedViewport()
    coordinate.SetValue(float(x), float(y))
    return actor
