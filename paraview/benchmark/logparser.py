"""``paraview.benchmark.logparser``: the raw timing logs parsed into frames, and statistics over ranks and frames.

As ParaView's module: a log line becomes a FrameLogEntry (id, name, duration, indent); lines indented deeper
than the one before open a nested FrameLog; a blank line, or an entry at indent 0 already in the current frame,
starts a new frame. ``process_logs()`` fetches the logs (logbase.get_logs) and parses every rank's;
``summarize_results`` prints the per-frame statistics across ranks and their summary across frames.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable
from typing import Any, TextIO

import paraview.benchmark.logbase as logbase

_SECONDS = r"([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?) +seconds"
#: (pattern, how the id and name are made from its groups): the first that matches a line is used.
_PATTERNS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"Execute (\w+) id: +(\d+), +" + _SECONDS), lambda g: (g[1], g[0], g[2])),
    (re.compile(r"Execute (\w+) *, +" + _SECONDS), lambda g: (g[0], g[0], g[1])),
    (re.compile(r"TreeComp composite, *" + _SECONDS), lambda g: ("tree comp", "tree comp", g[0])),
    (
        re.compile(r"TreeComp (Send|Receive) (\d+) (to|from) (\d+) uchar (\d+), +" + _SECONDS),
        lambda g: ("tree comp " + g[0].lower(), g[0], g[5]),
    ),
    (re.compile(r"Compositing, +" + _SECONDS), lambda g: ("comp", "composite", g[0])),
    (re.compile(r"Sending, +" + _SECONDS), lambda g: ("send", "send", g[0])),
    (re.compile(r"Receiving, +" + _SECONDS), lambda g: ("recv", "receive", g[0])),
    (re.compile(r"(Still) Render, +" + _SECONDS), lambda g: ("still", g[0], g[1])),
    (re.compile(r"(Interactive) Render, +" + _SECONDS), lambda g: ("inter", g[0], g[1])),
    (re.compile(r"(\w+|\w+ Dev) Render, +" + _SECONDS), lambda g: ("render", g[0], g[1])),
    (re.compile(r"([^,]*), +" + _SECONDS), lambda g: ("", g[0], g[1])),
]


class FrameLogEntry:
    """One timed entry: ``Id``, ``Name``, ``Duration`` (seconds) and ``Indent`` (its leading spaces). A blank line
    has Id '-1'; a line of no known form has Id None."""

    def __init__(self, log_msg: str) -> None:
        text = log_msg.strip()
        self.Indent = log_msg.find(text) if text else len(log_msg)
        self.Id: str | None
        self.Name: str | None = None
        self.Duration: float | None = None
        if not text:
            self.Id = "-1"
            return
        self.Id, self.Name, self.Duration = self._parse_message(text)

    @classmethod
    def _parse_message(cls, msg: str) -> tuple[str | None, str | None, float | None]:
        for pattern, fields in _PATTERNS:
            match = pattern.match(msg)
            if match:
                entry_id, name, seconds = fields(match.groups())
                return entry_id, name, float(seconds)
        return None, None, None

    def __repr__(self) -> str:
        duration = math.nan if self.Duration is None else self.Duration
        return f"{' ' * self.Indent}{self.Id} {self.Name} {duration:f}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FrameLogEntry):
            return NotImplemented
        return (self.Indent, self.Id, self.Name) == (other.Indent, other.Id, other.Name)

    __hash__ = None  # type: ignore[assignment]  # equal entries differ in duration: not for sets


class FrameLog:
    """The entries of one (sub-)frame: FrameLogEntry items and nested FrameLogs, in order."""

    def __init__(self, parent: FrameLog | None = None, indent: int = 0) -> None:
        self.Parent = parent
        self.Indent = indent
        self.Logs: list[FrameLogEntry | FrameLog] = []

    def __contains__(self, msg: object) -> bool:
        return any(isinstance(entry, FrameLogEntry) and entry == msg for entry in self.Logs)

    def __str__(self) -> str:
        return "\n".join(str(entry) for entry in self.Logs)


def _parse_a_log(log: logbase.OneLog, merge_before_nframes: int = 0) -> list[FrameLog]:
    """One rank's raw log as frames; with ``merge_before_nframes`` > 0, all but the last that many frames are
    merged into the first."""
    frames: list[FrameLog] = []
    current = FrameLog()
    for line in log.lines:
        entry = FrameLogEntry(line)
        if entry.Id is None:
            continue
        if entry.Indent > current.Indent:  # deeper: a nested frame
            nested = FrameLog(parent=current, indent=entry.Indent)
            current.Logs.append(nested)
            current = nested
        else:
            while entry.Indent < current.Indent and current.Parent is not None:  # back up to its level
                current = current.Parent
        if entry.Id == "-1" or (entry.Indent == 0 and entry in current):  # a new frame begins
            frames.append(current)
            current = FrameLog()
        if entry.Id != "-1":
            current.Logs.append(entry)
    if merge_before_nframes > 0 and frames:
        first = frames[0]
        for frame in frames[1:-merge_before_nframes]:
            first.Logs.extend(frame.Logs)
        return [first, *frames[-merge_before_nframes:]]
    return frames


def process_logs(merge_before_nframes: int = 0) -> dict[str | None, list[list[FrameLog] | None]]:
    """Fetch the logs (logbase.get_logs) and parse each: {component: [frames of rank 0, of rank 1...]}."""
    logbase.get_logs()
    parsed: dict[str | None, list[list[FrameLog] | None]] = {}
    for log in logbase.logs:
        ranks = parsed.setdefault(log.component, [])
        ranks.extend([None] * (log.rank + 1 - len(ranks)))
        ranks[log.rank] = _parse_a_log(log, merge_before_nframes)
    return parsed


# ----------------------------------------------------------------------------------------------- statistics


def _init_log_collection(entries: Iterable[Any]) -> list[Any]:
    """The shape of ``entries`` with each entry's duration as a list of samples."""
    collection: list[Any] = []
    for entry in entries:
        if isinstance(entry, FrameLogEntry):
            entry = entry.__dict__
        elif isinstance(entry, FrameLog):
            entry = entry.Logs
        if isinstance(entry, dict):
            collection.append({"Id": entry["Id"], "Name": entry["Name"], "Duration": [entry["Duration"]]})
        else:
            collection.append(_init_log_collection(entry))
    return collection


def _append_log_collection(collected: Any, entry: Any) -> None:
    """Add the durations of ``entry`` (of the same shape) to the samples of ``collected``."""
    if isinstance(entry, FrameLogEntry):
        entry = entry.__dict__
    elif isinstance(entry, FrameLog):
        entry = entry.Logs
    if isinstance(entry, dict):
        if not isinstance(collected, dict) or (collected["Id"], collected["Name"]) != (entry["Id"], entry["Name"]):
            raise ValueError(f"The frames differ: {entry['Id']} {entry['Name']} where another has {collected!r}.")
        collected["Duration"].append(entry["Duration"])
        return
    for inner, other in zip(collected, entry, strict=False):
        _append_log_collection(inner, other)


class BasicStats:
    """Count, mean, standard deviation (of a sample), min and max of a series, added one by one (shifted sums)."""

    def __init__(self, samples: Iterable[float] = ()) -> None:
        self.K = 0.0
        self.N = 0
        self.Ex = 0.0
        self.Ex2 = 0.0
        self.Min: float | None = None
        self.Max: float | None = None
        for sample in samples:
            self.add_sample(sample)

    def add_sample(self, x: float) -> None:
        """Add one value."""
        if self.N == 0:
            self.K = x
        self.N += 1
        self.Ex += x - self.K
        self.Ex2 += (x - self.K) ** 2
        self.Min = x if self.Min is None else min(self.Min, x)
        self.Max = x if self.Max is None else max(self.Max, x)

    @property
    def Mean(self) -> float | None:
        return None if self.N == 0 else self.K + self.Ex / self.N

    @property
    def StdDev(self) -> float | None:
        if self.N == 0:
            return None
        if self.N == 1:
            return 0.0
        return math.sqrt(max(0.0, (self.Ex2 - self.Ex * self.Ex / self.N) / (self.N - 1)))

    def __repr__(self) -> str:
        return f"Count: {self.N:d}, Mean: {self.Mean:f}, StdDev: {self.StdDev:f}, Min: {self.Min:f}, Max: {self.Max:f}"


def _collect_stats(collection: list[Any], stat_summary: str) -> list[Any]:
    stats: list[Any] = []
    for entry in collection:
        if isinstance(entry, dict):
            summary = BasicStats(entry["Duration"])
            stats.append(
                {"Id": entry["Id"], "Name": entry["Name"], "Stats": summary, "Duration": getattr(summary, stat_summary)}
            )
        else:
            stats.append(_collect_stats(entry, stat_summary))
    return stats


def collect_stats(frame_logs: list[Any], stat_summary: str = "Mean") -> list[Any]:
    """Statistics of each entry over several frames of the same shape; an entry's ``Duration`` becomes the
    statistic named ``stat_summary`` ('Mean', 'Max', 'Min'...)."""
    if isinstance(frame_logs[0], FrameLog):
        frame_logs = [frame.Logs for frame in frame_logs]
    collection = _init_log_collection(frame_logs[0])
    for frame in frame_logs[1:]:
        for collected, entry in zip(collection, frame, strict=False):
            _append_log_collection(collected, entry)
    return _collect_stats(collection, stat_summary)


def process_stats_across_ranks(rank_frame_logs: list[list[FrameLog]]) -> list[list[Any]]:
    """For every frame after the first, the statistics of its entries across ranks (Duration: the slowest)."""
    return [
        collect_stats([ranks[frame] for ranks in rank_frame_logs], "Max") for frame in range(1, len(rank_frame_logs[0]))
    ]


def summarize_stats(rank_frame_logs: list[list[FrameLog]]) -> tuple[list[Any] | None, list[Any] | None]:
    """(statistics per frame across ranks, their summary across frames); None for what cannot be computed
    (frames of different shapes, too few frames)."""
    try:
        frame_stats = process_stats_across_ranks(rank_frame_logs)
    except (IndexError, ValueError, TypeError, KeyError):
        return None, None
    try:
        return frame_stats, collect_stats(frame_stats)
    except (IndexError, ValueError, TypeError, KeyError):
        return frame_stats, None


def write_stats_to_file(stats: list[Any], indent: int = 0, outfile: TextIO = sys.stdout) -> None:
    """Write one frame's statistics, nested entries indented by 4 more."""
    for entry in stats:
        if isinstance(entry, dict):
            outfile.write(f"{' ' * indent}{entry['Id']} {entry['Name']}, {entry['Stats']}\n")
        else:
            write_stats_to_file(entry, indent + 4, outfile)


def summarize_results(
    num_frames: int,
    num_seconds_m0: float,
    items_per_frame: int,
    item_label: str,
    save_logs: bool = False,
    output_basename: str | None = None,
) -> None:
    """Parse the logs and print the statistics of the server ranks' frames and the rates, as ParaView's
    benchmarks do: ``num_frames`` frames, ``num_seconds_m0`` seconds for all but the first, ``items_per_frame``
    items (labelled ``item_label``) drawn per frame. ``save_logs``: also write the raw logs (JSON), the parsed
    ones (text; ParaView pickles them) and the statistics to files named from ``output_basename``."""
    parsed = process_logs(num_frames - 1)
    if save_logs:
        logbase.dump_logs(f"{output_basename}.logs.raw.json")
        with open(f"{output_basename}.logs.parsed.txt", "w") as out:
            for component, ranks in parsed.items():
                for rank, frames in enumerate(ranks):
                    out.write(f"Component: {component} Rank: {rank}\n")
                    out.write("".join(f"{frame}\n" for frame in frames or []))
    rank_frame_logs = parsed.get("Servers") or parsed.get("ClientAndServers")
    print("\nStatistics:\n" + "=" * 40 + "\n")
    if rank_frame_logs:
        print("Rank 0 Frame 0\n" + "-" * 40)
        print(rank_frame_logs[0][0])
        print("")
        if save_logs:
            with open(f"{output_basename}.stats.r0f0.txt", "w") as out:
                out.write(str(rank_frame_logs[0][0]))
        frame_stats, summary_stats = summarize_stats(rank_frame_logs)
        for number, stats in enumerate(frame_stats or [], start=1):
            print(f"Frame {number}\n" + "-" * 40)
            write_stats_to_file(stats, outfile=sys.stdout)
            print("")
        if frame_stats and save_logs:
            with open(f"{output_basename}.stats.frame.txt", "w") as out:
                for number, stats in enumerate(frame_stats, start=1):
                    out.write(f"Frame {number}\n" + "-" * 40 + "\n")
                    write_stats_to_file(stats, outfile=out)
                    out.write("\n")
        if summary_stats:
            print("Frame Summary\n" + "-" * 40)
            write_stats_to_file(summary_stats, outfile=sys.stdout)
            if save_logs:
                with open(f"{output_basename}.stats.summary.txt", "w") as out:
                    write_stats_to_file(summary_stats, outfile=out)
    fps = (num_frames - 1) / num_seconds_m0
    print("")
    print(f"Frames / Sec: {fps:.2f}")
    print(f"{item_label} / Frame: {items_per_frame:d}")
    print(f"Mi{item_label} / Sec: {fps * items_per_frame / (1024.0 * 1024.0):.3f}")
