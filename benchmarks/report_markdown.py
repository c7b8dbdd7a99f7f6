"""``report.md`` of benchmarks/report.py: a table of the runs, then per benchmark its key figures in Markdown
tables (a summariser per known benchmark, a generic one for the others), the plots and the notes.

Row and column names come from report_labels.py (units in the headers, no JSON keys); the generic summary of a
benchmark the report has no table for names each figure in words and gives its path in report.json beside it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import report_labels as labels
from report_labels import words
from report_plots import plot_specs
from report_series import Figures, fps_series, ms, num


def fmt(value: Any, digits: int = 2, unit: str = "") -> str:
    """A number for a table: 3 significant-ish digits; '-' when absent."""
    x = num(value)
    if x is None:
        return "-"
    text = f"{x:.0f}" if abs(x) >= 100 else f"{x:.1f}" if abs(x) >= 10 else f"{x:.{digits}f}"
    return text + unit


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def pct(value: Any, scale: float = 1.0, sign: str = "") -> str:
    """A percentage with whole numbers (``scale`` 100 for a fraction); '-' when absent."""
    x = num(value)
    return "-" if x is None else f"{scale * x:{sign}.0f}%"


def stat_row(label: str, summary: Any, last: str = "p99_ms") -> list[str]:
    """Median, p90 and ``last`` (p99 by default) of a timing summary."""
    return [label, fmt(ms(summary)), fmt(ms(summary, "p90_ms")), fmt(ms(summary, last))]


def md_foundation(f: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if "connect" in f:
        c = f["connect"]
        target = fmt(c.get("target_ms"))
        lines += [f"Connect to a 4-rank server (target under {target} ms; ParaView 5.11 takes about 650 ms):", ""]
        rows = [stat_row(words(k), c.get(k), "min_ms") for k in ("connect", "close")]
        lines += table(["phase", *(words(k) for k in ("median_ms", "p90_ms", "min_ms"))], rows)
    sessions = f.get("roundtrip", {}).get("sessions", {})
    if sessions:
        keys = ("change_and_update", "empty_invoke_update", "empty_gather_information", "change_and_update_after_idle")
        rows = [[words(name), *(fmt(ms(s.get(k))) for k in keys)] for name, s in sessions.items()]
        lines += ["Request round trips on a tiny Sphere, median of each:", ""]
        lines += table(["session", *(f"{words(k)} (ms)" for k in keys)], rows)
    served = f.get("contour", {}).get("server", {})
    if served:
        direct = ms(f["contour"].get("direct", {}).get("full"))
        rows = [
            [
                ranks,
                fmt(ms(s.get("full"))),
                fmt(s.get("direct_pieces_at_once_ms")),
                pct(s.get("overhead_vs_pieces_at_once"), 100, "+"),
                fmt(s.get("speedup_vs_direct_full")),
            ]
            for ranks, s in served.items()
        ]
        lines += [f"{labels.FOUNDATION_SCENE}, median (plain VTK in one process: {fmt(direct)} ms):", ""]
        header = ["server ranks", f"{labels.CONTOUR_SERVED} (ms)", f"{labels.CONTOUR_AT_ONCE} (ms)"]
        lines += table([*header, "server's overhead over those", "speed-up over plain VTK"], rows)
    idle = f.get("idle_cpu") or {}
    if idle:
        lines += [
            f"Idle {idle.get('ranks')}-rank server with no client: {fmt(idle.get('total_percent_of_core'), 1)}% of "
            f"one core, all its processes together (target under {fmt(idle.get('target_percent'), 1)}%).",
            "",
        ]
    return lines


def md_collaboration(f: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    rows = []
    for key, label in (("latency_2_clients", "2 clients"), ("latency_32_clients", "32 clients")):
        s = f.get(key)
        if not isinstance(s, dict):
            continue
        rows.append(stat_row(f"{label}, one way", s.get("one_way", s.get("all_observers_one_way"))))
        last = next((v for k, v in s.items() if k.startswith("last_of_")), None)
        if last is not None:
            rows.append(stat_row(f"{label}, last observer per change", last))
        if ms(s.get("master_request")) is not None:
            rows.append(stat_row(f"{label}, master's own request", s.get("master_request")))
        if s.get("missed"):
            rows.append([f"{label}: {s['missed']} missed", "", "", ""])
    if rows:
        lines += [
            "Latency from one client's change to the others' copies (target: median under 5 ms, p99 under 20 ms):"
        ]
        lines += ["", *table(["figure", *(words(k) for k in ("median_ms", "p90_ms", "p99_ms"))], rows)]
    runs = f.get("throughput_8_observers", {}).get("runs", [])
    if runs:
        rows = [
            [
                words(r.get("kind")),
                r.get("sender_threads"),
                fmt(r.get("events_per_s_delivered")),
                fmt(r.get("master_requests_per_s")),
                "yes" if r.get("all_received_in_order") else "NO",
            ]
            for r in runs
        ]
        lines += ["Events one master pushes to 8 observers, none lost:", ""]
        header = ["event", "sender threads", words("events_per_s_delivered"), words("master_requests_per_s")]
        lines += table([*header, "every observer got all, in order"], rows)
    return lines


def md_channel(f: list[dict[str, Any]]) -> list[str]:
    rows = [
        [
            c.get("ranks"),
            fmt(ms(c.get("round_trip"))),
            fmt(ms(c.get("round_trip"), "p90_ms")),
            fmt(ms(c.get("slowest_worker_wake"))),
            fmt(ms(c.get("round_trip_after_idle"))),
            fmt(c.get("workers_idle_cpu_percent_of_core"), 1),
        ]
        for c in f
    ]
    header = ["ranks", "round trip, median (ms)", "round trip, p90 (ms)", "slowest worker's wake, median (ms)"]
    header += ["round trip after idle, median (ms)", "workers' idle CPU (% of one core)"]
    intro = "A command sent to every rank, each woken, the answers gathered (no server around it):"
    return [intro, "", *table(header, rows)]


def md_compositing(f: dict[str, Any]) -> list[str]:
    columns = list(dict.fromkeys(c for m in f["methods"].values() for c in m))
    rows = [[words(name), *(fmt(m.get(c)) for c in columns)] for name, m in f["methods"].items()]
    lines = [
        f"Depth compositing of {f['width']}x{f['height']} images on {f['ranks']} ranks ({f['cores']} CPUs), "
        f"{f['repeat']} repetitions, times on rank 0:",
        "",
        *table(["method", *(words(c) for c in columns)], rows),
    ]
    if f.get("speedup"):
        lines += [f"The naive gather takes {fmt(f['speedup']['median'])}x as long as radix-k (medians)."]
    lines += [f"Results of the methods {'identical' if f.get('identical') else 'DIFFER'}.", ""]
    return lines


def readable_walk(node: Any, names: tuple[str, ...] = (), keys: tuple[str, ...] = ()) -> Iterator[tuple[str, str, Any]]:
    """Every leaf of a JSON tree as (name in words, path in report.json, value); a list item is named by its
    ``ranks``, ``clients`` or ``kind`` when it has one, else by its position."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from readable_walk(value, (*names, words(key)), (*keys, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            item = value if isinstance(value, dict) else {}
            name = next((f"{item[k]} {k}" for k in ("ranks", "clients") if k in item), words(item.get("kind", "")))
            yield from readable_walk(value, (*names, name or f"item {i + 1}"), (*keys, f"[{i}]"))
    else:
        yield ", ".join(n for n in names if n), "/".join(keys), node


def md_generic(f: Figures) -> list[str]:
    """For a benchmark the report has no table for: frames per second if any, and its headline figures, each
    named in words with its path in report.json beside it."""
    lines: list[str] = []
    fps = fps_series(f)
    for path, points in fps.items():
        name = labels.phrase(path[:-1]) or "frames"
        lines += [f"{name.capitalize()}, frames per second (report.json: `{'/'.join(path)}`):", ""]
        lines += table(["server ranks", "frames per second"], [[r, fmt(v)] for r, v in points])
    wanted = re.compile(r"(median_ms|per_s|speedup|percent)" if fps else r"(median_ms|fps|per_s|speedup|percent)")
    rows = [
        [name, fmt(value), f"`{path}`"]
        for name, path, value in readable_walk(f)
        if path and num(value) is not None and wanted.search(path.rsplit("/", 1)[-1])
    ]
    if rows:
        lines += table(["figure", "value", "in report.json"], rows[:40])
        if len(rows) > 40:
            lines += [f"({len(rows) - 40} more figures in report.json)", ""]
    return lines


def md_render(f: Figures) -> list[str]:
    """bench_render.py: per rank count, still and interactive frames per second and the split of a still frame."""
    orbit = f.get("orbit") if isinstance(f, dict) else None
    if not isinstance(orbit, list) or not orbit:
        return md_generic(f)
    scene, size = labels.render_scene(f)
    stages = ("prepare", "render", "readback", "composite", "encode", "transfer")
    rows = [
        [
            r.get("ranks"),
            fmt(r.get("still_fps")),
            fmt(r.get("interactive_fps")),
            fmt(ms(r.get("frame"))),
            *(fmt((r.get("split_ms") or {}).get(stage)) for stage in stages),
            fmt(r.get("first_frame_ms")),
        ]
        for r in orbit
    ]
    header = [
        "server ranks",
        *(f"{labels.fps_legend(k, size)} (frames per second)" for k in ("still_fps", "interactive_fps")),
    ]
    header += ["still frame, median (ms)", *(f"{words(stage)} (ms)" for stage in stages), words("first_frame_ms")]
    paraview = num((f.get("meta") or {}).get("paraview_5_11_fps"))
    lines = [f"{scene}, {labels.resolution(size) or 'unknown size'} view; medians over the orbit:", ""]
    lines += table(header, rows)
    if paraview is not None:
        lines += [f"ParaView 5.11 renders this scene at about {fmt(paraview, 1)} frames per second.", ""]
    return lines


def md_io(f: dict[str, Any]) -> list[str]:
    """bench_io.py: per file and rank count, read, balance, contour and memory against one copy of the data."""
    lines: list[str] = []
    for fmt_name, result in f.get("formats", {}).items():
        ref = result.get("direct", {})
        one_copy = num(ref.get("bytes")) or 0.0
        lines += [
            f"A `.{fmt_name}` file of {ref.get('cells', 0):,} cells (one copy is {fmt(one_copy / 2**20)} MiB in "
            f"memory; plain VTK reads it in {fmt(ref.get('read_s'))} s in one process):",
            "",
        ]
        rows = [
            [
                c.get("ranks"),
                fmt(c.get("read_s")),
                f"{c.get('balance_min')} / {c.get('balance_max')}",
                fmt(c.get("imbalance_max_over_mean")),
                fmt(c.get("contour_first_s")),
                fmt(c.get("contour_again_s")),
                fmt(c.get("write_pvtu_s")),
                fmt(c.get("peak_growth_mib")),
                fmt(c.get("peak_growth_copies")),
            ]
            for c in result.get("ranks", {}).values()
        ]
        header = ["server ranks", "read (s)", "cells per rank, min / max", "cells per rank, max / mean"]
        header += ["first Contour (s)", "Contour again (s)", "parallel .pvtu write (s)"]
        lines += table([*header, "peak memory growth (MiB)", "peak memory growth (copies of the data)"], rows)
    return lines


SUMMARISERS: dict[str, Callable[[Any], list[str]]] = {
    "foundation": md_foundation,
    "collaboration": md_collaboration,
    "channel": md_channel,
    "compositing": md_compositing,
    "render": md_render,
    "io": md_io,
}


def markdown(report: dict[str, Any]) -> str:
    """The whole report.md of a report (as report.json holds it)."""
    meta = report["meta"]
    load = ", ".join(fmt(x) for x in meta.get("load_average") or []) or "unknown"
    lines = [
        "# Benchmark report",
        "",
        f"{meta.get('started', '')}, {labels.run_kind(meta)}{' (--quick)' if meta.get('quick') else ''}, on "
        f"{labels.machine(meta)}, Python {meta.get('python', '?')}, load average at start {load}. Figures of one "
        "run compare with each other; the machine is shared and noisy, so figures of separate runs do not.",
        "",
    ]
    rows = [
        [
            labels.benchmark_short(name),
            e["status"],
            f"{e['elapsed_s']:.0f}" if num(e.get("elapsed_s")) is not None else "-",
            f"`{e['script']}`",
        ]
        for name, e in report["benchmarks"].items()
    ]
    lines += table(["benchmark", "status", "time (s)", "script"], rows)
    for name, entry in report["benchmarks"].items():
        lines += [f"## {labels.benchmark_title(name)}", ""]
        if entry.get("command"):
            lines += [f"`{entry['command']}` (log: `{entry.get('log')}`)", ""]
        if entry.get("note"):
            note = entry["note"].split("\n", 1)
            lines += [f"**{entry['status']}**: {note[0]}", ""]
            if len(note) > 1:
                lines += ["```", note[1], "```", ""]
        if entry.get("figures") is None:
            continue
        try:
            lines += SUMMARISERS.get(name, md_generic)(entry["figures"])
        except Exception as exc:  # figures of another shape than expected: say so, keep the rest
            lines += [f"(figures not summarised: {type(exc).__name__}: {exc}; see report.json)", ""]
    if report.get("plots"):
        titles = {spec.file: spec.title[0] for spec in plot_specs(report)}
        lines += ["## Plots", ""]
        for p in report["plots"]:
            lines += [f"![{titles.get(p, Path(p).stem)}]({p})", ""]
    notes = report.get("notes", []) + report.get("plot_notes", [])
    if notes:
        lines += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    return "\n".join(lines)
