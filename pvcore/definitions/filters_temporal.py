"""Temporal filters: the ones that change which times the data has or which time is asked of the input.

By ParaView 5.11's names, defaults and domains (filters_filtershybrid.xml for Force Time, Temporal Shift Scale and
Generate Time Steps; filters_filtersextraction.xml for Extract Time Steps). The times a filter's output has travel in
its data information (``GetDataInformation()``), which the time keeper collects (``GetTimeKeeper()``).

Left out: the read-only TimestepValues of these filters (the time keeper reads the data information instead).
"""

from __future__ import annotations

from pvcore.definitions.builders import Bool, Double, Doubles, Enum, Filter, Input, Int
from pvcore.domains import TimeStepRangeDomain
from pvcore.schema import Applier

SELECTION_MODES = ("Select Time Steps", "Select Time Range")
APPROXIMATION_MODES = ("Previous Time Step", "Next Time Step", "Nearest Time Step")

DEFINITIONS = (
    Filter(
        "ForceTime", "vtkForceTime",
        "Asks its input for ForcedTime whatever time is asked of it (with IgnorePipelineTime; else passes it on).",
        Input(data_types=("vtkDataSet",)),
        Bool("IgnorePipelineTime", 1, doc="Ask for ForcedTime instead of the time asked of this filter."),
        Double("ForcedTime", 0.0, doc="The time to ask of the input."),
    ),
    Filter(
        "GenerateTimeSteps", "GenerateTimeStepsAdapter",
        "Gives its input (static or not) the time steps TimeStepValues; its data is the input's at every one.",
        Doubles("TimeStepValues", (), doc="The time steps the output has (ParaView's Time Step Values)."),
    ),
    Filter(
        "ExtractTimeSteps", "ExtractTimeStepsAdapter",
        "Keeps some of the input's time steps: by index (TimeStepIndices) or a range of indices with a stride.",
        Enum("SelectionMode", "Select Time Steps", SELECTION_MODES, apply=Applier("enum_index", "SetUseRange")),
        Int("TimeStepIndices", (0,), count=None, minimum=0, doc="Indices of the time steps to keep."),
        Int("TimeStepRange", (0, 1), minimum=0, setter="SetRange", domain=TimeStepRangeDomain(),
            doc="First and last index to keep (a range); starts as all of the input's."),
        Int("TimeStepInterval", 1, minimum=1, doc="Keep every n-th time step of the range."),
        Enum("ApproximationMode", "Nearest Time Step", APPROXIMATION_MODES,
             apply=Applier("enum_index", "SetTimeEstimationMode"),
             doc="Which kept step a time between them shows."),
    ),
    Filter(
        "TemporalShiftScale", "vtkTemporalShiftScale",
        "Moves the input's times: t becomes (t + PreShift) * Scale + PostShift, optionally repeated (Periodic).",
        Double("PreShift", 0.0, doc="Added to the input's times before scaling."),
        Double("PostShift", 0.0, doc="Added after scaling."),
        Double("Scale", 1.0, doc="The factor the shifted times are multiplied by."),
        Bool("Periodic", 0, doc="Repeat the input's times MaximumNumberOfPeriods times."),
        Bool("PeriodicEndCorrection", 1, doc="With Periodic: the last step is the same as the first."),
        Double("MaximumNumberOfPeriods", 1.0, minimum=0.0, maximum=100.0, doc="With Periodic: how many periods."),
    ),
)  # fmt: skip
