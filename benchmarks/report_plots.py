"""The plots of benchmarks/report.py: ``fps_vs_ranks.png``, ``sync_latency_vs_clients.png`` and
``contour_vs_ranks.png``, each drawn only when its figures exist (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from report_series import contour_series, fps_series, latency_series


def plot(path: Path, title: str, xlabel: str, ylabel: str, series: dict[str, list[tuple[int, float]]]) -> bool:
    """A line plot of several series against an integer axis; False when there is nothing to plot."""
    if not any(series.values()):
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=100)
    try:
        xs: set[int] = set()
        for label, points in series.items():
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=label)
                xs.update(p[0] for p in points)
        ax.set_xticks(sorted(xs))
        if len(xs) > 2 and max(xs) / max(1, min(xs)) >= 8:
            ax.set_xscale("log", base=2)
            ax.set_xticks(sorted(xs), [str(x) for x in sorted(xs)])
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)
    return True


def make_plots(report: dict[str, Any], out: Path) -> tuple[list[str], list[str]]:
    """Draw every plot whose figures exist: the files drawn, and notes on those that could not be."""
    figures = {name: entry.get("figures") for name, entry in report["benchmarks"].items()}
    fps: dict[str, list[tuple[int, float]]] = {}
    for name, data in figures.items():
        fps.update({f"{name}: {label}": pts for label, pts in fps_series(data).items()})
    jobs = [
        ("fps_vs_ranks.png", "Frames per second against ranks", "ranks", "frames per second", fps),
        (
            "sync_latency_vs_clients.png",
            "Collaboration: one client's change seen by the others",
            "clients",
            "latency, ms",
            latency_series(figures.get("collaboration")),
        ),
        (
            "contour_vs_ranks.png",
            "Wavelet 128^3 -> Contour, median",
            "ranks",
            "ms",
            contour_series(figures.get("foundation")),
        ),
    ]
    made, notes = [], []
    for name, title, xlabel, ylabel, series in jobs:
        try:
            if plot(out / name, title, xlabel, ylabel, series):
                made.append(name)
            else:
                notes.append(f"{name}: no such figures in this run")
        except Exception as exc:  # a plot must not cost the report
            notes.append(f"{name} not drawn: {type(exc).__name__}: {exc}")
    return made, notes
