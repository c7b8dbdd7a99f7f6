"""The figures of benchmarks/report.py as numbers and series: safe accessors of a benchmark's JSON, and the
series that the plots draw (frames per second against ranks, event latency against clients, Wavelet -> Contour
against ranks)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from report_labels import CONTOUR_AT_ONCE, CONTOUR_IDEAL, CONTOUR_SERVED, EVERY_OBSERVER, LAST_OBSERVER, WORDS

Figures = Any  # a benchmark's JSON: dicts, lists and numbers


def num(value: Any) -> float | None:
    """A finite number, or None."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def ms(summary: Any, key: str = "median_ms") -> float | None:
    """One figure (median by default) of a timing summary, or None."""
    return num(summary.get(key)) if isinstance(summary, dict) else None


def walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (path, node) of a JSON tree, depth first."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, (*path, f"[{i}]"))


FPS_KEY = re.compile(r"(^|_)(fps|frames_per_s|frames_per_second)($|_)")
RANKS_KEY = re.compile(r"^(?:ranks?_?)?(\d+)(?:_?ranks?)?$")


def fps_series(figures: Figures) -> dict[tuple[str, ...], list[tuple[int, float]]]:
    """Frames per second against ranks, found wherever the figures hold them, per path of keys in the figures
    (the rank count and list positions left out; the last key is the frames-per-second one).

    A record is a dict with a frames-per-second key (``fps``, ``*_fps``, ``frames_per_s``...; a number, or a
    summary whose ``median`` is taken) and a rank count: its own ``ranks`` key, or the key it is stored under
    (``"4"``, ``"4_ranks"``, ``"ranks_4"``). Records whose paths differ only in the rank count form one series.
    """
    series: dict[tuple[str, ...], list[tuple[int, float]]] = {}
    for path, node in walk(figures):
        if not isinstance(node, dict):
            continue
        ranks, label_path = num(node.get("ranks")), list(path)
        if ranks is None:
            for i in range(len(path) - 1, -1, -1):
                match = RANKS_KEY.match(path[i])
                if match:
                    ranks, label_path = float(match.group(1)), [*path[:i], *path[i + 1 :]]
                    break
        if ranks is None:
            continue
        label_path = [p for p in label_path if not p.startswith("[")]
        for key, value in node.items():
            if not FPS_KEY.search(str(key)):
                continue
            fps = num(value)
            if fps is None and isinstance(value, dict):
                fps = num(value.get("median", value.get("median_fps")))
            if fps is not None:
                series.setdefault((*label_path, str(key)), []).append((int(ranks), fps))
    return {label: sorted(set(points)) for label, points in series.items()}


def latency_series(figures: Figures) -> dict[str, list[tuple[int, float]]]:
    """Collaboration event latency (one way) against the number of clients: median and p99.

    "every observer": over all observers' samples; "last observer": per change, when the last one had it (with
    one observer, the two are the same).
    """
    series: dict[str, list[tuple[int, float]]] = {}
    for _, node in walk(figures):
        if not isinstance(node, dict) or num(node.get("clients")) is None:
            continue
        clients = int(node["clients"])
        every = next((node[k] for k in ("all_observers_one_way", "one_way") if isinstance(node.get(k), dict)), None)
        last = next((v for k, v in node.items() if k.startswith("last_of_") and isinstance(v, dict)), every)
        for name, summary in ((EVERY_OBSERVER, every), (LAST_OBSERVER, last)):
            for stat in ("median", "p99"):
                value = ms(summary, f"{stat}_ms")
                if value is not None:
                    series.setdefault(f"{name}, {WORDS[stat]}", []).append((clients, value))
    return {label: sorted(points) for label, points in series.items()}


def contour_series(figures: Figures) -> dict[str, list[tuple[int, float]]]:
    """bench_foundation's Wavelet -> Contour: the server's median against ranks, beside what N processes gain."""
    served = figures.get("contour", {}).get("server", {}) if isinstance(figures, dict) else {}
    series: dict[str, list[tuple[int, float]]] = {}
    for ranks, entry in served.items():
        for label, value in (
            (CONTOUR_SERVED, ms(entry.get("full"))),
            (CONTOUR_AT_ONCE, num(entry.get("direct_pieces_at_once_ms"))),
            (CONTOUR_IDEAL, num(entry.get("ideal_on_this_machine_ms"))),
        ):
            if value is not None:
                series.setdefault(label, []).append((int(ranks), value))
    return {label: sorted(points) for label, points in series.items()}
