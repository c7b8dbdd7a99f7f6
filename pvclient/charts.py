"""What chart and spreadsheet views do besides holding properties: rendering a chart on the server.

A chart has no camera: Render and CaptureImage ask the server for the picture rank 0 draws; ResetCamera does
nothing (as in ParaView, where a chart fits its axes to the data itself).
"""

from __future__ import annotations

from typing import Any

from pvcore import messages
from pvcore.definitions.views_charts import NON_RENDER_VIEWS, SPREADSHEET_VIEW


class ChartViewMethods:
    """Rendering of a chart view (a spreadsheet view has no picture: the server says so)."""

    connection: Any
    Representations: Any
    ViewTime: float
    type_name: str

    def ResetCamera(self, closest: bool = False) -> None:  # noqa: N802 - ParaView's name
        """Nothing to do: a chart's axes follow its data."""

    def Update(self) -> None:  # noqa: N802 - ParaView's name
        """Bring every visible representation's input up to date on the server."""
        for rep in self.Representations:
            if rep.Visibility and rep.Input is not None:
                rep.Input.UpdatePipeline(self.ViewTime)

    def Render(self) -> messages.Image | None:  # noqa: N802 - ParaView's name
        """Draw the chart on the server and return the image; a spreadsheet's data is brought up to date (it has
        no picture: None)."""
        if self.type_name == SPREADSHEET_VIEW:
            self.Update()
            return None
        return self.CaptureImage()

    StillRender = Render

    def CaptureImage(  # noqa: N802 - ParaView's name
        self, width: int = 0, height: int = 0, fmt: str = "png", quality: int = 90, interactive: bool = False
    ) -> messages.Image:
        """Draw at a given size (default: ViewSize) and return the encoded image."""
        image = self.connection.render(self, width, height, fmt, quality, interactive)
        self._last_image = image
        return image

    def _repr_png_(self) -> bytes:
        return self.CaptureImage(fmt="png").data


#: The mixins of pvclient.views.MIXINS for the non-render views.
CHART_MIXINS: dict[tuple[str, str], type] = {("views", name): ChartViewMethods for name in NON_RENDER_VIEWS}
