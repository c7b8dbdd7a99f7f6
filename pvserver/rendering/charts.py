"""Chart views (XYChartView, XYBarChartView, XYHistogramChartView) drawn with VTK's charts on rank 0.

Every rank updates the inputs of the view's visible representations and takes part in gathering them (a probe's
line or a histogram's table usually lives on rank 0 alone); rank 0 then draws one vtkChartXY offscreen in a
vtkContextView and encodes it. The other ranks draw nothing, so a chart is the same picture on any number of ranks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pvcore.definitions.views import check_view_size
from pvcore.definitions.views_charts import LEGEND_LOCATIONS, SPREADSHEET_VIEW
from pvcore.errors import RenderError
from pvcore.messages import Image, ProxyState
from pvserver import commands
from pvserver.parallel import raise_unless_all_succeeded
from pvserver.pipeline.blocks import gather
from pvserver.rendering.bounds import visible_representations
from pvserver.rendering.charts_histogram import histogram_columns
from pvserver.rendering.charts_tables import chart_columns, chosen_block, colours, hidden_by_default, pairs, x_column
from pvserver.rendering.imaging import encode_image
from pvserver.rendering.pipeline_access import PipelineAccess


@dataclass
class Series:
    """One column drawn: its table, X column (None: the row index) and style."""

    table: Any
    x: str | None
    y: str
    label: str
    colour: tuple[float, float, float]
    width: float = 2.0
    line_style: int = 1
    marker_style: int = 0
    marker_size: float = 4.0
    bars: bool = False
    histogram: bool = False  # bars that touch, without outlines


class ChartRenderer:
    """This rank's part in drawing chart views (rank 0 keeps one offscreen context view per chart)."""

    def __init__(self, pipeline: PipelineAccess) -> None:
        self.pipeline = pipeline
        self.comm = pipeline.comm
        self.windows: dict[int, Any] = {}

    def forget(self, view_id: int) -> None:
        """Release a deleted view's window."""
        view = self.windows.pop(view_id, None)
        if view is not None:
            view.GetRenderWindow().Finalize()

    def render(self, cmd: commands.RenderView, view_state: ProxyState) -> dict[str, Any] | None:
        """Collective: gather the view's data to rank 0, which draws and returns {"image": Image, "camera": {}}."""
        if view_state.type == SPREADSHEET_VIEW:
            raise RenderError(
                f"{view_state.name} is a spreadsheet view: it has no picture; use ExportView('table.csv', view=...).",
                proxy_id=view_state.global_id,
            )
        states = self.pipeline.view_states
        reps = visible_representations(states, view_state)
        time = view_state.properties.get("ViewTime", (None,))[0]
        gathered = []
        for rep in reps:
            input_id = int(rep.properties["Input"][0])
            try:
                data, failure = self.pipeline.update(input_id, time=time), None
            except Exception as exc:  # raised below, once every rank knows
                data, failure = None, exc
            raise_unless_all_succeeded(self.comm, failure, f"Another rank failed to compute the data of {rep.name}.")
            gathered.append((rep, gather(self.comm, data)))
        if self.comm.Get_rank() != 0:
            return None
        width, height = cmd.width, cmd.height
        check_view_size(width, height)
        rgb = self._draw(cmd.view_id, view_state, gathered, width, height)
        fmt = "jpeg" if cmd.interactive else cmd.format
        return {"image": Image(width, height, fmt, encode_image(rgb, fmt, cmd.quality), {}), "camera": {}}

    def _context(self, view_id: int) -> Any:
        view = self.windows.get(view_id)
        if view is None:
            # The OpenGL implementations of 2D drawing and of the window (imported for their registration).
            import vtkmodules.vtkRenderingContextOpenGL2
            import vtkmodules.vtkRenderingOpenGL2  # noqa: F401
            from vtkmodules.vtkViewsContext2D import vtkContextView

            view = vtkContextView()
            view.GetRenderWindow().SetOffScreenRendering(1)
            view.GetRenderWindow().SetMultiSamples(0)
            view.GetRenderer().SetBackground(1.0, 1.0, 1.0)
            self.windows[view_id] = view
        return view

    def _draw(self, view_id: int, state: ProxyState, gathered: list, width: int, height: int) -> np.ndarray:
        from vtkmodules.util.numpy_support import vtk_to_numpy
        from vtkmodules.vtkChartsCore import vtkChartXY
        from vtkmodules.vtkCommonCore import vtkUnsignedCharArray

        view = self._context(view_id)
        scene = view.GetScene()
        scene.ClearItems()
        chart = vtkChartXY()
        scene.AddItem(chart)
        props = state.properties
        bars = state.type != "XYChartView"
        if state.type == "XYHistogramChartView":  # a histogram's bars touch
            chart.SetBarWidthFraction(1.0)
        for rep, data in gathered:
            for series in _series(rep, data, bars):
                _add_plot(chart, series)
        view_width, view_height = props.get("ViewSize", (width, height))
        # A screenshot larger than the view scales its fonts (ParaView's 'Scale fonts proportionally').
        _style_chart(chart, props, max(1.0, min(width / max(view_width, 1), height / max(view_height, 1))))
        window = view.GetRenderWindow()
        window.SetSize(width, height)
        window.Render()
        pixels = vtkUnsignedCharArray()
        window.GetRGBACharPixelData(0, 0, width - 1, height - 1, 0, pixels)
        rgba = vtk_to_numpy(pixels).reshape(height, width, 4)
        return np.ascontiguousarray(rgba[::-1, :, :3])  # OpenGL rows are bottom-up


def _series(rep: ProxyState, data: Any, bars: bool) -> list[Series]:
    """The columns of one representation to draw, with their styles (ParaView's defaults where not set)."""
    props = rep.properties
    if rep.type == "HistogramChartRepresentation":
        columns, name = histogram_columns(rep, data)
        if not columns:
            return []
        colour = tuple(props.get("HistogramColor", (0.0, 0.0, 1.0)))
        return [Series(_table(columns), "bin_extents", name, name, colour, bars=True, histogram=True)]
    block = chosen_block(data, int(props.get("CompositeDataSetIndex", (1,))[0]))
    columns = chart_columns(block, props.get("AttributeType", ("Point Data",))[0])
    if not columns:
        return []
    table = _table(columns)
    x = x_column(columns, props.get("XArrayName", ("",))[0], bool(props.get("UseIndexForXAxis", (0,))[0]))
    names = list(columns)
    chosen = list(props.get("SeriesVisibility", ()))
    shown = [n for n in chosen if n in columns] if chosen else [n for n in names if not hidden_by_default(n)]
    colour = colours(props.get("SeriesColor", ()), names)
    label, thickness = pairs(props.get("SeriesLabel", ())), pairs(props.get("SeriesLineThickness", ()))
    style, marker = pairs(props.get("SeriesLineStyle", ())), pairs(props.get("SeriesMarkerStyle", ()))
    marker_size = pairs(props.get("SeriesMarkerSize", ()))
    prefix = props.get("SeriesLabelPrefix", ("",))[0]
    return [
        Series(
            table, x, name, prefix + label.get(name, name), colour[name],
            width=_number(thickness.get(name), 2.0), line_style=int(_number(style.get(name), 1)),
            marker_style=int(_number(marker.get(name), 0)), marker_size=_number(marker_size.get(name), 4.0),
            bars=bars,
        )
        for name in shown
        if name != x
    ]  # fmt: skip


def _table(columns: dict[str, np.ndarray]) -> Any:
    """A vtkTable of named NumPy columns."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkTable

    table = vtkTable()
    for name, values in columns.items():
        array = numpy_to_vtk(np.ascontiguousarray(values), deep=True)
        array.SetName(name)
        table.AddColumn(array)
    return table


def _number(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def _add_plot(chart: Any, series: Series) -> None:
    from vtkmodules.vtkChartsCore import vtkChart

    plot = chart.AddPlot(vtkChart.BAR if series.bars else vtkChart.LINE)
    if series.x is None:
        plot.SetUseIndexForXSeries(True)
        plot.SetInputData(series.table, series.y, series.y)
    else:
        plot.SetInputData(series.table, series.x, series.y)
    r, g, b = (round(255 * min(max(c, 0.0), 1.0)) for c in series.colour)
    plot.SetColor(r, g, b, 255)
    plot.SetLabel(series.label)
    if series.histogram:
        plot.GetPen().SetLineType(0)
    if not series.bars:
        plot.SetWidth(series.width)
        plot.GetPen().SetLineType(min(max(series.line_style, 0), 5))
        plot.SetMarkerStyle(min(max(series.marker_style, 0), 5))
        plot.SetMarkerSize(series.marker_size)


def _font(text: Any, props: dict, prefix: str, size: int, bold: int, scale: float) -> None:
    """A title's or labels' font size and boldness (ParaView's, scaled as a screenshot larger than the view)."""
    text.SetFontSize(max(1, round(int(props.get(f"{prefix}FontSize", (size,))[0]) * scale)))
    text.SetBold(bool(props.get(f"{prefix}Bold", (bold,))[0]))
    text.SetItalic(bool(props.get(f"{prefix}Italic", (0,))[0]))


def _style_chart(chart: Any, props: dict, scale: float = 1.0) -> None:
    """The view's title, legend and axes (titles, grids, log scales, custom ranges); ``scale``: of the fonts."""
    from vtkmodules.vtkChartsCore import vtkAxis, vtkChartLegend

    chart.SetTitle(props.get("ChartTitle", ("",))[0])
    _font(chart.GetTitleProperties(), props, "ChartTitle", 18, 0, scale)
    chart.SetShowLegend(bool(props.get("ShowLegend", (1,))[0]))
    location = props.get("LegendLocation", ("TopRight",))[0]
    legend = chart.GetLegend()
    legend.SetLabelSize(max(1, round(int(props.get("LegendFontSize", (12,))[0]) * scale)))
    if location in LEGEND_LOCATIONS[:4]:
        legend.SetVerticalAlignment(vtkChartLegend.TOP if location.startswith("Top") else vtkChartLegend.BOTTOM)
        legend.SetHorizontalAlignment(vtkChartLegend.LEFT if location.endswith("Left") else vtkChartLegend.RIGHT)
    for side, position in (("Left", vtkAxis.LEFT), ("Bottom", vtkAxis.BOTTOM)):
        axis = chart.GetAxis(position)
        axis.SetTitle(props.get(f"{side}AxisTitle", ("",))[0])
        _font(axis.GetTitleProperties(), props, f"{side}AxisTitle", 18, 1, scale)
        _font(axis.GetLabelProperties(), props, f"{side}AxisLabel", 12, 0, scale)
        axis.SetGridVisible(bool(props.get(f"Show{side}AxisGrid", (1,))[0]))
        axis.SetLogScale(bool(props.get(f"{side}AxisLogScale", (0,))[0]))
        if props.get(f"{side}AxisUseCustomRange", (0,))[0]:
            axis.SetBehavior(vtkAxis.FIXED)
            axis.SetRange(props[f"{side}AxisRangeMinimum"][0], props[f"{side}AxisRangeMaximum"][0])
