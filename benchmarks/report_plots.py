"""The plots of benchmarks/report.py: ``fps_vs_ranks.png``, ``sync_latency_vs_clients.png`` and
``contour_vs_ranks.png``, each drawn only when its figures exist (matplotlib, Agg backend).

:func:`plot_specs` decides what each plot says (title with the scene, the resolution and the machine, axes with
their units, legends in words, all from report_labels.py); :func:`draw` only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import report_labels as labels
from report_series import contour_series, fps_series, latency_series

Series = dict[str, list[tuple[int, float]]]  # legend -> (x, y) points


@dataclass
class PlotSpec:
    """One plot as the reader sees it: file name, title lines, axis labels and the series by legend."""

    file: str
    title: list[str]  # what is measured; the scene and resolution; the machine
    xlabel: str
    ylabel: str
    series: Series


def fps_plot(figures: dict[str, Any], machine: str) -> PlotSpec:
    """Frames per second against ranks, from every benchmark that has such figures (bench_render.py's orbit)."""
    found = {name: fps_series(data) for name, data in figures.items()}
    found = {name: series for name, series in found.items() if series}
    series: Series = {}
    scenes = []
    for name, by_path in found.items():
        scene, size = labels.render_scene(figures[name]) if name == "render" else (labels.benchmark_title(name), None)
        scenes.append(scene + (f", {labels.resolution(size)} view" if size else ""))
        for path, points in by_path.items():
            legend = labels.fps_legend(path[-1], size) if name == "render" else labels.phrase(path)
            if len(found) > 1:  # say which benchmark, only when there is more than one
                legend = f"{labels.benchmark_short(name)}: {legend}"
            series[legend] = points
    what = "Render() round trips: frames per second" if list(found) == ["render"] else "Frames per second"
    title = [f"{what} against server ranks", "; ".join(scenes), machine]
    return PlotSpec("fps_vs_ranks.png", title, "server ranks (MPI processes)", "frames per second (median)", series)


def latency_plot(figures: Any, machine: str) -> PlotSpec:
    """bench_collaboration.py's one-way latency against the number of clients."""
    meta = figures.get("meta", {}) if isinstance(figures, dict) else {}
    ranks = meta.get("ranks")
    server = f"a {ranks}-rank server" if ranks else "the server"
    title = [
        "Collaboration: from one client's change to the other clients' copies",
        f"The master sets a Sphere's Radius through {server} (nothing rendered)",
        machine,
    ]
    xlabel = "clients (the master and its observers)"
    return PlotSpec("sync_latency_vs_clients.png", title, xlabel, "one-way latency (ms)", latency_series(figures))


def contour_plot(figures: Any, machine: str) -> PlotSpec:
    """bench_foundation.py's Wavelet -> Contour against ranks, beside what N plain processes gain."""
    title = ["Wavelet → Contour through the server against ranks, median time", labels.FOUNDATION_SCENE, machine]
    xlabel = "N: server ranks, or plain VTK processes"
    return PlotSpec("contour_vs_ranks.png", title, xlabel, "time per update (ms, median)", contour_series(figures))


def plot_specs(report: dict[str, Any]) -> list[PlotSpec]:
    """The plots of a report, in order, whether or not their figures exist (empty series: nothing to draw)."""
    figures = {name: entry.get("figures") for name, entry in report["benchmarks"].items()}
    machine = f"{labels.machine(report.get('meta'))}, {labels.run_kind(report.get('meta'))}"
    return [
        fps_plot(figures, machine),
        latency_plot(figures.get("collaboration"), machine),
        contour_plot(figures.get("foundation"), machine),
    ]


def draw(spec: PlotSpec, path: Path) -> bool:
    """A line plot of the spec's series against an integer axis; False when there is nothing to plot."""
    if not any(spec.series.values()):
        return False
    import matplotlib  # here: the report's tables do not need it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
    try:
        xs: set[int] = set()
        for legend, points in spec.series.items():
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=legend)
                xs.update(p[0] for p in points)
        ax.set_xticks(sorted(xs))
        if len(xs) > 2 and max(xs) / max(1, min(xs)) >= 8:
            ax.set_xscale("log", base=2)
            ax.set_xticks(sorted(xs), [str(x) for x in sorted(xs)])
        fig.suptitle(spec.title[0], fontsize=11)
        ax.set_title("\n".join(line for line in spec.title[1:] if line), fontsize=8.5, color="0.3")
        ax.set(xlabel=spec.xlabel, ylabel=spec.ylabel)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8.5)
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)
    return True


def make_plots(report: dict[str, Any], out: Path) -> tuple[list[str], list[str]]:
    """Draw every plot whose figures exist: the files drawn, and notes on those that could not be."""
    made, notes = [], []
    for spec in plot_specs(report):
        try:
            if draw(spec, out / spec.file):
                made.append(spec.file)
            else:
                notes.append(f"{spec.file}: no such figures in this run")
        except Exception as exc:  # a plot must not cost the report
            notes.append(f"{spec.file} not drawn: {type(exc).__name__}: {exc}")
    return made, notes
