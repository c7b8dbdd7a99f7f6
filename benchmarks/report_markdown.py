"""``report.md`` of benchmarks/report.py: a table of the runs, then per benchmark its key figures in Markdown
tables (a summariser per known benchmark, a generic one for the others), the plots and the notes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from report_series import Figures, fps_series, ms, num, walk


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
        lines += [f"Connect to a 4-rank server (target < {fmt(c.get('target_ms'))} ms; ParaView 5.11 ~650 ms):", ""]
        rows = [stat_row(k, c.get(k), "min_ms") for k in ("connect", "close")]
        lines += table(["phase", "median ms", "p90 ms", "min ms"], rows)
    sessions = f.get("roundtrip", {}).get("sessions", {})
    if sessions:
        rows = [
            [
                name,
                *(fmt(ms(s.get(k))) for k in ("change_and_update", "empty_invoke_update")),
                *(fmt(ms(s.get(k))) for k in ("empty_gather_information", "change_and_update_after_idle")),
            ]
            for name, s in sessions.items()
        ]
        lines += ["Request round trips on a tiny Sphere, median ms:", ""]
        header = ["session", "Radius + UpdatePipeline", "empty update", "GatherInformation", "after idle"]
        lines += table(header, rows)
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
        lines += [f"Wavelet 128^3 -> Contour (plain VTK in one process: {fmt(direct)} ms):", ""]
        lines += table(["ranks", "server ms", "N processes at once ms", "overhead", "speed-up vs VTK"], rows)
    idle = f.get("idle_cpu") or {}
    if idle:
        lines += [
            f"Idle {idle.get('ranks')}-rank server: {fmt(idle.get('total_percent_of_core'), 1)}% of one core in "
            f"total (target < {fmt(idle.get('target_percent'), 1)}%).",
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
        lines += ["Event latency from one client's change to the others (target p50 < 5 ms, p99 < 20 ms):", ""]
        lines += table(["figure", "median ms", "p90 ms", "p99 ms"], rows)
    runs = f.get("throughput_8_observers", {}).get("runs", [])
    if runs:
        rows = [
            [
                r.get("kind"),
                r.get("sender_threads"),
                fmt(r.get("events_per_s_delivered")),
                fmt(r.get("master_requests_per_s")),
                "yes" if r.get("all_received_in_order") else "NO",
            ]
            for r in runs
        ]
        lines += ["Events pushed to 8 observers:", ""]
        lines += table(["kind", "sender threads", "events/s delivered", "master req/s", "all in order"], rows)
    return lines


def md_channel(f: list[dict[str, Any]]) -> list[str]:
    rows = [
        [
            c.get("ranks"),
            fmt(ms(c.get("round_trip"))),
            fmt(ms(c.get("round_trip"), "p90_ms")),
            fmt(ms(c.get("slowest_worker_wake"))),
            fmt(ms(c.get("round_trip_after_idle"))),
            pct(c.get("workers_idle_cpu_percent_of_core")),
        ]
        for c in f
    ]
    header = ["ranks", "round trip ms", "p90 ms", "slowest wake ms", "after idle ms", "workers idle CPU"]
    return ["MPI command channel alone (send, wake, gather):", "", *table(header, rows)]


def md_compositing(f: dict[str, Any]) -> list[str]:
    columns = list(dict.fromkeys(c for m in f["methods"].values() for c in m))
    rows = [[name, *(fmt(m.get(c)) for c in columns)] for name, m in f["methods"].items()]
    lines = [
        f"Depth compositing {f['width']}x{f['height']} on {f['ranks']} ranks ({f['cores']} cores), "
        f"{f['repeat']} repetitions:",
        "",
        *table(["method", *(c.replace("_", " ") for c in columns)], rows),
    ]
    if f.get("speedup"):
        lines += [f"Speed-up {f['speedup']['of']} (median): {fmt(f['speedup']['median'])}x."]
    lines += [f"Results of the methods {'identical' if f.get('identical') else 'DIFFER'}.", ""]
    return lines


def md_generic(f: Figures) -> list[str]:
    """For a benchmark the report has no table for: frames per second if any, and its headline figures."""
    lines: list[str] = []
    fps = fps_series(f)
    for label, points in fps.items():
        lines += [f"{label}, frames per second:", ""]
        lines += table(["ranks", "fps"], [[r, fmt(v)] for r, v in points])
    wanted = re.compile(r"(median_ms|per_s|speedup|percent)" if fps else r"(median_ms|fps|per_s|speedup|percent)")
    rows = [["/".join(p), fmt(v)] for p, v in walk(f) if p and num(v) is not None and wanted.search(p[-1])]
    if rows:
        lines += table(["figure", "value"], rows[:40])
        if len(rows) > 40:
            lines += [f"({len(rows) - 40} more figures in report.json)", ""]
    return lines


def md_io(f: dict[str, Any]) -> list[str]:
    """bench_io.py: per file and rank count, read, balance, contour and memory against one copy of the data."""
    lines: list[str] = []
    for fmt_name, result in f.get("formats", {}).items():
        ref = result.get("direct", {})
        one_copy = num(ref.get("bytes")) or 0.0
        lines += [
            f"`.{fmt_name}` of {ref.get('cells', 0):,} cells (one copy {fmt(one_copy / 2**20)} MiB in memory; plain "
            f"VTK reads it in {fmt(ref.get('read_s'))} s in one process):",
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
        header = ["ranks", "read s", "cells/rank min / max", "max/mean", "contour s", "again s", "write .pvtu s"]
        lines += table([*header, "peak growth MiB", "copies of the data"], rows)
    return lines


SUMMARISERS: dict[str, Callable[[Any], list[str]]] = {
    "foundation": md_foundation,
    "collaboration": md_collaboration,
    "channel": md_channel,
    "compositing": md_compositing,
    "io": md_io,
}


def markdown(report: dict[str, Any]) -> str:
    meta = report["meta"]
    lines = [
        "# Benchmark report",
        "",
        f"{meta['started']}, {'quick run (--quick)' if meta['quick'] else 'full run'}, "
        f"{meta['cpu_count']} cores ({meta['machine']}), Python {meta['python']}, load average at start "
        f"{', '.join(fmt(x) for x in meta.get('load_average') or [])}. Figures of one run compare with each other; "
        "the machine is shared and noisy, so figures of separate runs do not.",
        "",
    ]
    rows = [
        [name, e["status"], f"{e['elapsed_s']:.0f} s" if num(e.get("elapsed_s")) is not None else "-", e["script"]]
        for name, e in report["benchmarks"].items()
    ]
    lines += table(["benchmark", "status", "time", "script"], rows)
    for name, entry in report["benchmarks"].items():
        lines += [f"## {name}", ""]
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
        lines += ["## Plots", ""]
        for p in report["plots"]:
            lines += [f"![{Path(p).stem}]({p})", ""]
    notes = report.get("notes", []) + report.get("plot_notes", [])
    if notes:
        lines += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    return "\n".join(lines)
