"""The representation of a text source's output: ParaView's TextSourceRepresentation and its 5.11 properties.

The text of a Text, AnnotateTime or PythonAnnotation output (a one-string table) is drawn by rank 0 over the
view (pvserver/rendering/text.py). Drawn: Visibility, WindowLocation, Position ('Any Location': the lower left
corner of the text, in view fractions), FontSize, Color, Opacity, Bold, Italic, Shadow, FontFamily (Arial,
Courier, Times), LineSpacing, Orientation. Stored only (accepted so that traces run): Justification (the text is
aligned by its WindowLocation), the frame, border, 3D-placement and interaction properties.
"""

from __future__ import annotations

from pvcore.definitions.builders import Bool, Double, Enum, Input, Int, String, Vec3
from pvcore.definitions.views import REPRESENTATIONS, Rendered
from pvcore.definitions.views_representation import FONT_FAMILIES, JUSTIFICATIONS
from pvcore.schema import Property

#: Where a text representation is placed in its view (ParaView's WindowLocation).
WINDOW_LOCATIONS = (
    "Any Location", "Lower Left Corner", "Lower Right Corner", "Lower Center", "Upper Left Corner",
    "Upper Right Corner", "Upper Center",
)  # fmt: skip
#: The sources and filters whose output (a one-string table) ParaView shows as text (its hint
#: TextSourceRepresentation).
TEXT_SOURCES = ("Text", "AnnotateTime", "PythonAnnotation", "AnnotateAttributeData", "AnnotateTimeFilter")


def _text_properties() -> tuple[Property, ...]:
    return (
        Input(doc="The source or filter whose text (a one-string table) is shown."),
        Bool("Visibility", 1),
        Enum("WindowLocation", "Upper Left Corner", WINDOW_LOCATIONS),
        Double("Position", (0.05, 0.05), count=2, doc="Lower left corner, in view fractions ('Any Location')."),
        Int("FontSize", 18, minimum=1, maximum=200),
        Vec3("Color", (1, 1, 1)),
        Double("Opacity", 1.0, minimum=0.0, maximum=1.0),
        Bool("Bold", 0),
        Bool("Italic", 0),
        Bool("Shadow", 0),
        Enum("Justification", "Center", JUSTIFICATIONS, doc="Stored only: aligned by WindowLocation."),
        Enum("VerticalJustification", "Center", ("Top", "Center", "Bottom")),
        Enum("FontFamily", "Arial", FONT_FAMILIES),
        String("FontFile", "", doc="Stored only: a font file is not loaded from a name sent over the network."),
        Double("LineSpacing", 1.0, minimum=0.0),
        Double("Orientation", 0.0, doc="Rotation of the text in degrees."),
        Int("Interactivity", 1, doc="Stored only (moving the text with the mouse)."),
        String("TextPropMode", "2D Text Widget", doc="Stored only: always drawn as a 2D text."),
        Enum("TextScaleMode", "None", ("None", "Viewport", "Window"), doc="Stored only."),
        Double("BackgroundColor", (1.0, 1.0, 1.0, 0.2), count=4, doc="Stored only (no frame is drawn)."),
        Vec3("BorderColor", (1, 0, 1)),
        Double("BorderThickness", 0.0),
        Double("CornerRadius", 0.0),
        Int("Padding", 1),
        Enum("ShowBorder", "Only on hover", ("Never", "Only on hover", "Always")),
        Bool("Resizable", 0),
        Double("Position2", (0.1, 0.1), count=2),
        Vec3("BasePosition"),
        Vec3("TopPosition", (0, 1, 0)),
        Vec3("BillboardPosition"),
        Double("FlagSize", 1.0),
        Int("DisplayOffset", (0, 0), count=2),
        Int("CellOffset", 0),
        Bool("InteriorLinesVisibility", 0),
        Vec3("InteriorLinesColor", (0, 0, 0)),
        Int("InteriorLinesWidth", 1),
        Int("ForceUseCache", 0),
        Double("ForcedCacheKey", 0.0),
    )


DEFINITIONS = (
    Rendered(
        REPRESENTATIONS,
        "TextSourceRepresentation",
        "vtkTextActor",
        "A text (the one string of a Text, AnnotateTime or PythonAnnotation output) drawn over the view.",
        *_text_properties(),
    ),
)
