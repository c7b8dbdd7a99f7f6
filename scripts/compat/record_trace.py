"""Records a ParaView 5.11 trace of one scenario: run under ParaView's own pvpython.

Usage: ``pvpython record_trace.py SCENARIO.py TRACE.py``. The scenario (this project's own code, in scenarios/)
runs with ParaView's tracer on, recording modified properties as ParaView's GUI does by default; the trace that
ParaView writes is the test script. Traces are made afresh by each run and never stored in the project. ParaView's
tracer records the properties a proxy is created with, not those a script sets afterwards: the scenarios pass
theirs as keyword arguments of the creation, so that the traces hold them.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from paraview import smtrace


def main() -> None:
    scenario, trace = Path(sys.argv[1]), Path(sys.argv[2])
    tracer = smtrace.start_trace()
    tracer.SetPropertiesToTraceOnCreate(tracer.RECORD_MODIFIED_PROPERTIES)
    runpy.run_path(str(scenario), run_name="__main__")
    trace.write_text(smtrace.stop_trace())


if __name__ == "__main__":
    main()
