"""``paraview.benchmark``: timing logs of the pipeline executions, as ParaView's module of that name.

``logbase`` gathers the logs (each server rank records every algorithm execution: pvserver.pipeline.timer_log),
prints, saves and loads them; ``logparser`` parses them into frames and computes statistics across ranks and
frames. ParaView's benchmark scripts (manyspheres, waveletcontour, waveletvolume, basic) are not included.
"""

from __future__ import annotations

from paraview.benchmark import logbase, logparser

__all__ = ["logbase", "logparser"]
