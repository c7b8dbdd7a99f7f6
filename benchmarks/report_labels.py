"""Words of benchmarks/report.py: the one place that turns the benchmarks' JSON keys into what a reader sees in
``report.md`` and on the plots (section titles, row and column names with their units, legends, and the scene and
machine lines of the plot titles).

A key missing from :data:`WORDS` still reads as words: :func:`words` spells its unit suffix (``_ms``, ``_s``,
``_mib``...) as a unit in brackets and its underscores as spaces, so that a figure added to a benchmark later
never shows as a raw key. Add a key here when its spelled-out form is not clear enough.
"""

from __future__ import annotations

import re
from typing import Any

#: Section titles of report.md, per benchmark name (the ``bench_<name>.py`` file).
BENCHMARKS = {
    "foundation": "Foundation: connect, request round trips, Wavelet → Contour, idle CPU",
    "render": "Parallel rendering: Render() frames through N-rank servers",
    "collaboration": "Collaboration: one client's change seen by the others",
    "channel": "MPI command channel alone",
    "compositing": "Depth compositing of the ranks' images",
    "io": "Parallel data I/O: read, balance, contour, memory",
    "hardening": "Hardening: attacks, memory of non-reading clients, edits behind renders, stalled ranks",
    "reliability": "Reliability: idle CPU and memory after a load",
    "round_trips": "Requests per simple call",
    "vocabulary": "Catalogue size and the time to join with it",
}

#: Row names, column names and path parts, per JSON key (or printed label) of the benchmarks.
WORDS = {
    # sessions and phases (bench_foundation.py)
    "builtin": "built-in session",
    "connect": "connect",
    "close": "close",
    "connect_and_close": "connect and close",
    "roundtrip": "request round trips",
    "sessions": "",
    "vtk_work": "VTK's own work",
    "change_and_update": "Radius + UpdatePipeline",
    "property_change": "Radius change alone",
    "update_after_change": "UpdatePipeline after the change",
    "empty_invoke_update": "empty update, source up to date",
    "empty_gather_information": "GatherInformation",
    "change_and_update_after_idle": "Radius + UpdatePipeline after idle",
    "overhead_ms": "overhead beyond VTK (ms)",
    "breakdown_ms": "where the time goes (ms)",
    "contour": "Wavelet → Contour",
    "direct": "plain VTK in one process",
    "server": "through the server",
    "full": "whole pipeline",
    "contour_only": "Contour alone",
    "idle_cpu": "idle CPU",
    "total_percent_of_core": "all processes (% of one core)",
    "busiest_process_percent": "busiest process (% of one core)",
    "target_percent": "target (% of one core)",
    # frames (bench_render.py)
    "orbit": "",
    "still_fps": "still frames, lossless PNG",
    "interactive_fps": "interactive frames, JPEG",
    "first_frame_ms": "first frame, pipeline included (ms)",
    "frame": "still frame",
    "interactive_frame": "interactive frame",
    "readback": "read-back",
    "composite": "compositing",
    "encode": "encoding",
    # compositing methods and columns (bench_compositing.py's printed table)
    "radix-k (ours)": "radix-k, as pvserver composites",
    "naive gather": "naive gather to rank 0",
    "ours, empty": "radix-k, empty frames",
    "after_last": "after the last rank entered (ms)",
    # collaboration (bench_collaboration.py)
    "one_way": "one way",
    "all_observers_one_way": "one way, every observer",
    "measured_one_way": "one way, observers with a process of their own",
    "master_request": "master's own request",
    "throughput_8_observers": "events pushed to 8 observers",
    "property": "property change (Radius)",
    "chat": "chat message",
    "events_per_s_delivered": "events per second delivered",
    "master_requests_per_s": "master's requests per second",
    # timing summaries
    "n": "samples",
    "median_ms": "median (ms)",
    "p90_ms": "p90 (ms)",
    "p99_ms": "p99 (ms)",
    "min_ms": "min (ms)",
    "max_ms": "max (ms)",
    "median": "median",
    "p99": "p99",
}

UNIT_SUFFIXES = (  # key ending -> unit, longest first
    ("_percent_of_core", " (% of one core)"),
    ("_per_s", " per second"),
    ("_percent", " (%)"),
    ("_bytes", " (bytes)"),
    ("_mib", " (MiB)"),
    ("_fps", " (frames per second)"),
    ("_ms", " (ms)"),
    ("_s", " (s)"),
)

# legends of the latency plot (bench_collaboration.py) and of the contour plot (bench_foundation.py)
EVERY_OBSERVER = "every observer"
LAST_OBSERVER = "last observer per change"
CONTOUR_SERVED = "through an N-rank server"
CONTOUR_AT_ONCE = "N plain VTK processes at once, one piece each"
CONTOUR_IDEAL = "ideal on this machine's CPUs"

#: Interactive frames are rendered at the view size divided by this (pvserver's INTERACTIVE_REDUCTION).
INTERACTIVE_REDUCTION = 2

#: bench_foundation.py's contour scene (its figures do not record it): WholeExtent [-63, 64]^3, RTData = 157.
FOUNDATION_SCENE = "Wavelet 128³ points → Contour(RTData = 157), no rendering"


def words(key: Any) -> str:
    """What the report shows for one JSON key or printed label: :data:`WORDS`, or the key spelled out."""
    text = str(key)
    if text in WORDS:
        return WORDS[text]
    ranks = re.fullmatch(r"(\d+)_ranks?", text)
    if ranks:
        return f"{ranks.group(1)}-rank server"
    clients = re.fullmatch(r"latency_(\d+)_clients", text)
    if clients:
        return f"latency, {clients.group(1)} clients"
    last = re.fullmatch(r"last_of_(\d+)_one_way", text)
    if last:
        return f"one way, last of {last.group(1)} observers per change"
    for suffix, unit in UNIT_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)].replace("_", " ") + unit
    return text.replace("_", " ")


def phrase(parts: list[str] | tuple[str, ...]) -> str:
    """Several keys of one figure's path as one name: their words, those that say nothing left out."""
    return ", ".join(w for w in (words(p) for p in parts) if w)


def benchmark_title(name: str) -> str:
    """A benchmark's section title."""
    return BENCHMARKS.get(name, words(name).capitalize())


def benchmark_short(name: str) -> str:
    """A benchmark's short name, for the table of runs and legends: its title up to the colon."""
    return benchmark_title(name).split(":")[0]


def machine(meta: dict[str, Any] | None) -> str:
    """The machine line of the plot titles and of report.md: CPUs, their model, architecture and system."""
    meta = meta or {}
    cpus = meta.get("cpu_count")
    details = [str(d) for d in (meta.get("cpu_model"), meta.get("machine"), meta.get("system")) if d]
    head = f"{cpus} CPUs" if cpus else "CPUs unknown"
    return head + (f" ({', '.join(details)})" if details else "")


def run_kind(meta: dict[str, Any] | None) -> str:
    """'quick run' or 'full run', as the report's meta records it."""
    return "quick run" if (meta or {}).get("quick") else "full run"


def render_scene(figures: Any) -> tuple[str, tuple[int, int] | None]:
    """bench_render.py's scene in words, and its view size, read from its ``meta.scene`` line.

    The line reads ``Wavelet [-63, 64, -63, 64, -63, 64] -> Contour(RTData, 150.0), 1920x1080, orbit of 8 steps``;
    what cannot be read is left out rather than guessed.
    """
    scene = str((figures.get("meta") or {}).get("scene", "")) if isinstance(figures, dict) else ""
    parts = []
    extent = re.search(r"Wavelet \[([-\d, ]+)\]", scene)
    if extent:
        bounds = [int(v) for v in extent.group(1).split(",")]
        sides = [hi - lo + 1 for lo, hi in zip(bounds[::2], bounds[1::2], strict=False)]
        parts.append(f"Wavelet {sides[0]}³ points" if len(set(sides)) == 1 else f"Wavelet {'x'.join(map(str, sides))}")
    contour = re.search(r"Contour\((\w+), ([-\d.]+)\)", scene)
    if contour:
        parts.append(f"Contour({contour.group(1)} = {float(contour.group(2)):g})")
    size_match = re.search(r"(\d+)x(\d+)", scene)
    size = (int(size_match.group(1)), int(size_match.group(2))) if size_match else None
    steps = re.search(r"orbit of (\d+) steps", scene)
    text = " → ".join(parts) or "the render benchmark's scene"
    if steps:
        text += f", camera orbit of {steps.group(1)} steps"
    return text, size


def resolution(size: tuple[int, int] | None, reduction: int = 1) -> str:
    """``1920x1080`` (divided by ``reduction``, as interactive frames are), or '' when unknown."""
    if size is None:
        return ""
    return f"{max(1, size[0] // reduction)}x{max(1, size[1] // reduction)}"


def fps_legend(key: str, size: tuple[int, int] | None) -> str:
    """The legend of a frames-per-second series: what frames, at which resolution."""
    if key == "interactive_fps":
        return ", ".join(filter(None, [WORDS[key], resolution(size, INTERACTIVE_REDUCTION)]))
    if key == "still_fps":
        return ", ".join(filter(None, [WORDS[key], resolution(size)]))
    return words(key)
