"""Chart and spreadsheet views: ParaView 5.11's XYChartView, XYBarChartView, XYHistogramChartView, SpreadSheetView,
and the representations simple.Show makes in them.

A chart is drawn once, by rank 0, from its inputs' data gathered there (pvserver.rendering.charts); a spreadsheet
has no picture: simple.ExportView writes its content as CSV. Drawn: ChartTitle, the axis titles, ShowLegend,
LegendLocation, the axes' log scales, custom ranges (the *AxisUseCustomRange with *AxisRangeMinimum/Maximum),
ShowLeftAxisGrid/ShowBottomAxisGrid; a representation's SeriesVisibility, SeriesColor, SeriesLabel,
SeriesLineStyle, SeriesLineThickness, SeriesMarkerStyle, SeriesMarkerSize, XArrayName, UseIndexForXAxis,
AttributeType and CompositeDataSetIndex; a HistogramChartRepresentation's (XYHistogramChartView) SelectInputArray,
Component, BinCount, CenterBinsAroundMinAndMax, UseCustomBinRanges, CustomBinRanges and HistogramColor. The font
sizes and boldness of the title, axes and legend are drawn; the font families, the colours of the axes, the right
and top axes and the rest are stored only.

The series properties are flat lists as ParaView's traces write them: ``['RTData', '1', ...]`` (SeriesVisibility
is a plain list of the shown names). ParaView fills them from the data when a source is shown; here an empty list
(the default) means those defaults, applied when the chart is drawn: every column visible but the ones ParaView
hides by default (arc_length, Points_*, vtkValidPointMask, bin_extents, ...), the colours of the 'Spectrum'
palette in column order (by name, the points last), solid lines 2 pixels thick. So SeriesVisibility = [] shows
the default series rather than none: hide a representation with Visibility = 0. Likewise an empty XArrayName with
UseIndexForXAxis = 0 plots against arc_length, bin_extents or Time when the data has one, else the row index.
"""

from __future__ import annotations

from pvcore.definitions.builders import (
    ArraySelection,
    Bool,
    Double,
    Enum,
    Input,
    Int,
    ProxyRef,
    String,
    Strings,
    Vec3,
)
from pvcore.definitions.views import LOOKUP_TABLES, MAX_VIEW_SIDE, REPRESENTATIONS, VIEWS, Rendered
from pvcore.definitions.views_representation import font
from pvcore.schema import Property

#: The chart view types, and the representation simple.Show makes of a source in each.
CHART_VIEWS = {
    "XYChartView": "XYChartRepresentation",
    "XYBarChartView": "XYBarChartRepresentation",
    "XYHistogramChartView": "HistogramChartRepresentation",
}
SPREADSHEET_VIEW = "SpreadSheetView"
#: Every view type that is not a render view, and its default representation.
NON_RENDER_VIEWS = {**CHART_VIEWS, SPREADSHEET_VIEW: "SpreadSheetRepresentation"}
#: The view simple.Show makes for a source of these types when there is no active view (ParaView's hints).
PREFERRED_VIEWS = {
    "PlotOverLine": "XYChartView", "PlotOverLineLegacy": "XYChartView", "Histogram": "XYBarChartView",
    "IntegrateVariables": SPREADSHEET_VIEW, "ProbeLocation": SPREADSHEET_VIEW, "CSVReader": SPREADSHEET_VIEW,
}  # fmt: skip
CHART_REPRESENTATIONS = (
    "XYChartRepresentation", "XYBarChartRepresentation", "HistogramChartRepresentation", "SpreadSheetRepresentation",
)  # fmt: skip

ATTRIBUTE_TYPES = ("Point Data", "Cell Data", "Field Data", "Vertex Data", "Edge Data", "Row Data")
LEGEND_LOCATIONS = ("TopLeft", "TopRight", "BottomLeft", "BottomRight", "Custom")
NOTATIONS = ("Mixed", "Scientific", "Fixed")
AXES = ("Left", "Bottom", "Right", "Top")
#: Line styles by the number SeriesLineStyle holds: 0 none, 1 solid, 2 dash, 3 dot, 4 dash-dot, 5 dash-dot-dot.
LINE_STYLES = ("None", "Solid", "Dash", "Dot", "Dash Dot", "Dash Dot Dot")
#: Marker styles by number: 0 none, 1 cross, 2 plus, 3 square, 4 circle, 5 diamond.
MARKER_STYLES = ("None", "Cross", "Plus", "Square", "Circle", "Diamond")

#: Most bins a histogram chart counts (refused above, before anything is allocated).
MAX_BINS = 1_000_000
#: ParaView's 'Spectrum' palette: the default series colours, given in column order.
SPECTRUM = (
    (0.0, 0.0, 0.0), (0.89, 0.1, 0.11), (0.22, 0.49, 0.72), (0.3, 0.69, 0.29), (0.6, 0.31, 0.64), (1.0, 0.5, 0.0),
    (0.65, 0.34, 0.16),
)  # fmt: skip
#: Columns a chart hides unless SeriesVisibility names them (ParaView's vtkSMChartSeriesSelectionDomain).
HIDDEN_SERIES_PATTERNS = (
    "^arc_length", "^bin_extents", "^FileId", "^GlobalElementId", "^GlobalNodeId", "^ObjectId", "^object_id",
    "^Pedigree.*", "^Points_.*", "^Time", "^vtkOriginal.*", "^ids$", "^ids .*", "^vtkValidPointMask", "^N .*",
    "^X$", "^X .*", "^Y$", "^Y .*", "^Z$", "^Z .*", "^vtkGhostType$",
)  # fmt: skip


def _axis(side: str) -> tuple[Property, ...]:
    return (
        String(f"{side}AxisTitle", "", doc=f"The title of the {side.lower()} axis."),
        Bool(f"{side}AxisTitleBold", 1),
        *font(f"{side}AxisTitle", (0.0, 0.0, 0.0), 18)[1:6],
        *font(f"{side}AxisLabel", (0.0, 0.0, 0.0), 12)[:6],
        Vec3(f"{side}AxisColor", (0.0, 0.0, 0.0)),
        Vec3(f"{side}AxisGridColor", (0.95, 0.95, 0.95)),
        Enum(f"{side}AxisLabelNotation", "Mixed", NOTATIONS),
        Int(f"{side}AxisLabelPrecision", 2, minimum=0),
        Strings(f"{side}AxisLabels", ()),
        Bool(f"{side}AxisLogScale", 0, doc="A logarithmic axis (drawn when every value on it is positive)."),
        Double(f"{side}AxisRangeMinimum", 0.0),
        Double(f"{side}AxisRangeMaximum", 1.0),
        Bool(f"{side}AxisUseCustomLabels", 0),
        Bool(f"{side}AxisUseCustomRange", 0, doc=f"Use {side}AxisRangeMinimum/Maximum instead of the data's range."),
        Bool(f"Show{side}AxisGrid", 1),
        Bool(f"Show{side}AxisLabels", 1),
    )


_CHART_VIEW = (
    Int("ViewSize", (400, 400), doc="Width and height in pixels.", minimum=1, maximum=MAX_VIEW_SIDE),
    Int("ViewPosition", (0, 0), count=2),
    Double("ViewTime", 0.0, doc="The time shown (for data with time steps)."),
    ProxyRef("Representations", REPRESENTATIONS, None, doc="The representations shown in this view."),
    ProxyRef("HiddenRepresentations", REPRESENTATIONS, None),
    String("ChartTitle", "", doc="The title drawn above the chart."),
    Enum("ChartTitleAlignment", "Center", ("Left", "Center", "Right")),
    *font("ChartTitle", (0.0, 0.0, 0.0), 18)[:6],
    Bool("ShowLegend", 1),
    Enum("LegendLocation", "TopRight", LEGEND_LOCATIONS),
    Int("LegendPosition", (0, 0), count=2),
    Int("LegendSymbolWidth", 25, minimum=0),
    *font("Legend", (0.0, 0.0, 0.0), 12)[:1],
    *font("Legend", (0.0, 0.0, 0.0), 12)[2:6],
    *(p for side in AXES for p in _axis(side)),
    Bool("HideTimeMarker", 0),
    Bool("SortByXAxis", 0),
    Enum("TooltipNotation", "Mixed", NOTATIONS),
    Int("TooltipPrecision", 6, minimum=0),
    Double("CacheKey", 0.0),
    Bool("UseCache", 0),
    Int("PPI", 72, minimum=1),
)

_SERIES = (
    Strings("SeriesVisibility", (), doc="The names of the columns drawn (empty: ParaView's defaults)."),
    Strings("SeriesColor", (), doc="name, r, g, b for each series that is not coloured by default."),
    Strings("SeriesLabel", (), doc="name, label for each series whose legend entry is not its name."),
    Strings("SeriesOpacity", ()),
    Strings("SeriesPlotCorner", ()),
    String("SeriesLabelPrefix", ""),
    String("LastPresetName", "Spectrum"),
    Vec3("Color", (1.0, 0.0, 1.0)),
)
_LINES = (
    Strings("SeriesLineStyle", (), doc="name, style: 0 none, 1 solid (default), 2 dash, 3 dot, 4 dash-dot."),
    Strings("SeriesLineThickness", (), doc="name, pixels (default 2)."),
    Strings("SeriesMarkerStyle", (), doc="name, marker: 0 none (default), 1 cross, 2 plus, 3 square, 4 circle."),
    Strings("SeriesMarkerSize", (), doc="name, pixels (default 4)."),
)


def _chart_representation(name: str, doc: str, attribute: str, lines: bool) -> object:
    return Rendered(
        REPRESENTATIONS, name, "vtkChartXY", doc,
        Input(doc="The source or filter charted."),
        Bool("Visibility", 1),
        Enum("AttributeType", attribute, ATTRIBUTE_TYPES, doc="Which data's columns are charted."),
        Int("CompositeDataSetIndex", (1,), count=None, doc="The flat index of the blocks charted (composite data)."),
        Bool("UseIndexForXAxis", 0, doc="Plot against the row index instead of XArrayName."),
        String("XArrayName", "", doc="The column on the X axis (empty: arc_length, bin_extents or the index)."),
        *_SERIES,
        *(_LINES if lines else ()),
        Bool("ForceUseCache", 0),
        Double("ForcedCacheKey", 0.0),
    )  # fmt: skip


DEFINITIONS = (
    *(
        Rendered(VIEWS, view, "vtkContextView", f"A 2D chart ({view}), drawn by rank 0 from all data.", *_CHART_VIEW)
        for view in CHART_VIEWS
    ),
    Rendered(
        VIEWS, SPREADSHEET_VIEW, "vtkTable", "A table of a source's values: simple.ExportView writes it as CSV.",
        Int("ViewSize", (400, 400), minimum=1, maximum=MAX_VIEW_SIDE),
        Int("ViewPosition", (0, 0), count=2),
        Double("ViewTime", 0.0),
        ProxyRef("Representations", REPRESENTATIONS, None, doc="The representations shown in this view."),
        Enum("FieldAssociation", "Point Data", ATTRIBUTE_TYPES, doc="Which data's values are listed."),
        String("ColumnToSort", "", doc="The column the rows are sorted by (empty: data order)."),
        Bool("InvertOrder", 0, doc="Sort descending."),
        Strings("HiddenColumnLabels", ("Block Number",), doc="Columns left out of the table (and of the CSV)."),
        Bool("SelectionOnly", 0),
        Bool("GenerateCellConnectivity", 0),
        Int("BlockSize", 1024, minimum=1),
        Int("CellFontSize", 9, minimum=1),
        Int("HeaderFontSize", 9, minimum=1),
        Double("CacheKey", 0.0),
        Bool("UseCache", 0),
        Int("PPI", 72, minimum=1),
    ),
    _chart_representation("XYChartRepresentation", "A source's columns as lines of a chart.", "Point Data", True),
    _chart_representation("XYBarChartRepresentation", "A source's columns as bars of a chart.", "Row Data", False),
    Rendered(
        REPRESENTATIONS, "HistogramChartRepresentation", "vtkPlotBar",
        "The histogram of one array of a source, drawn as bars in an XYHistogramChartView (computed on rank 0 from "
        "the data of all ranks).",
        Input(doc="The source or filter whose array is counted."),
        Bool("Visibility", 1),
        ArraySelection("SelectInputArray", ("POINTS", ""), doc="The array counted (empty: the first point array)."),
        String("Component", "", doc="Of a vector: '0', '1', ... or 'Magnitude' (empty: the magnitude)."),
        Int("BinCount", 256, minimum=1, maximum=MAX_BINS),
        Bool("CenterBinsAroundMinAndMax", 0, doc="The first and last bins centred on the minimum and maximum."),
        Bool("UseCustomBinRanges", 0),
        Double("CustomBinRanges", (0.0, 1.0), count=2, doc="The range counted when UseCustomBinRanges is set."),
        Vec3("HistogramColor", (0.0, 0.0, 1.0)),
        Enum("HistogramLineStyle", "None", LINE_STYLES[:3], doc="Stored only: the bars' outline."),
        ProxyRef("LookupTable", LOOKUP_TABLES, doc="Stored only (UseColorMapping is not drawn)."),
        Bool("UseColorMapping", 0),
        Bool("ForceUseCache", 0),
        Double("ForcedCacheKey", 0.0),
    ),
    Rendered(
        REPRESENTATIONS, "SpreadSheetRepresentation", "vtkTable", "A source's values listed in a spreadsheet view.",
        Input(doc="The source or filter listed."),
        Bool("Visibility", 1),
        Strings("BlockVisibilities", ()),
        Strings("Assembly", ("Hierarchy",)),
        Bool("ForceUseCache", 0),
        Double("ForcedCacheKey", 0.0),
    ),
)  # fmt: skip
