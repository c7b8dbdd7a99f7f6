"""The benchmark report reads as words: plot legends, titles (scene, resolution, machine) and axes from
benchmarks/report_labels.py, and report.md tables whose row and column names are no JSON keys.

A small hand-made report (the shapes the benchmarks write, as report.json holds them) is turned into report.md
and the plots' specs; the plots' words are checked on what ``report_plots.plot_specs`` gives the drawing and,
where matplotlib is installed, on the drawn figures themselves (``report.py --from`` as a whole is
tests/unit/test_hpc_scripts.py's).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))  # the report's modules import each other by their bare names

import report_labels  # noqa: E402
import report_plots  # noqa: E402
from report_markdown import markdown  # noqa: E402
from report_runs import cpu_model, machine_meta  # noqa: E402

MACHINE = "2 CPUs (AMD EPYC 7763, x86_64, Linux)"
SCENE = "Wavelet [-63, 64, -63, 64, -63, 64] -> Contour(RTData, 150.0), 1920x1080, orbit of 8 steps"
INTERNAL_KEY = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")  # still_fps, median_ms, 1_rank, latency_2_clients ...


def summary(median: float) -> dict[str, float]:
    return {"n": 8, "median_ms": median, "p90_ms": 1.5 * median, "p99_ms": 2 * median, "min_ms": 0.5 * median}


def orbit(ranks: int, still: float) -> dict[str, Any]:
    split = {"prepare": 5.0, "render": 50.0, "readback": 9.0, "composite": 12.0, "encode": 30.0, "transfer": 20.0}
    return {"ranks": ranks, "first_frame_ms": 800.0, "frame": summary(1e3 / still), "still_fps": still} | {
        "interactive_fps": 3 * still,
        "interactive_frame": summary(300 / still),
        "split_ms": split,
    }


def entry(script: str, figures: Any) -> dict[str, Any]:
    return {"script": f"benchmarks/{script}", "status": "ok", "elapsed_s": 10.0, "figures": figures}


@pytest.fixture
def report() -> dict[str, Any]:
    """A report as report.py records it, with one benchmark of each kind the report summarises."""
    meta = {"quick": True, "started": "2026-01-01T00:00:00", "python": "3.11", "machine": "x86_64"}
    meta |= {"system": "Linux", "cpu_count": 2, "cpu_model": "AMD EPYC 7763", "load_average": [1.0, 1.0, 1.0]}
    foundation = {
        "connect": {"connect": summary(3.0), "close": summary(1.0), "target_ms": 100.0},
        "roundtrip": {"sessions": {"builtin": {"change_and_update": summary(0.5)}, "4_rank": {}}},
        "contour": {
            "direct": {"full": summary(400.0)},
            "server": {
                "1": {"full": summary(420.0), "direct_pieces_at_once_ms": 400.0, "ideal_on_this_machine_ms": 400.0},
                "2": {"full": summary(230.0), "direct_pieces_at_once_ms": 210.0, "ideal_on_this_machine_ms": 200.0},
            },
        },
    }
    collaboration = {
        "meta": {"ranks": 4},
        "latency_2_clients": {"clients": 2, "one_way": summary(0.8), "master_request": summary(1.0)},
        "latency_32_clients": {"clients": 32, "all_observers_one_way": summary(2.0), "last_of_31_one_way": summary(4)},
        "throughput_8_observers": {"runs": [{"kind": "chat", "sender_threads": 4, "events_per_s_delivered": 900.0}]},
    }
    compositing = {"width": 1920, "height": 1080, "ranks": 8, "cores": 2, "repeat": 5, "identical": True}
    compositing["methods"] = {"radix-k (ours)": {"median_ms": 40.0, "after_last": 30.0}, "naive gather": {}}
    channel = [{"ranks": 4, "round_trip": summary(1.8), "workers_idle_cpu_percent_of_core": 0.2}]
    return {
        "meta": meta,
        "benchmarks": {
            "foundation": entry("bench_foundation.py", foundation),
            "render": entry("bench_render.py", {"meta": {"scene": SCENE}, "orbit": [orbit(1, 2.0), orbit(4, 4.0)]}),
            "collaboration": entry("bench_collaboration.py", collaboration),
            "compositing": entry("bench_compositing.py", compositing),
            "channel": entry("bench_channel.py", channel),
            "vocabulary": entry("bench_vocabulary.py", {"join": {"2_ranks": summary(9.0)}, "peak_growth_mib": 3}),
        },
        "notes": [],
    }


def specs_by_file(report: dict[str, Any]) -> dict[str, report_plots.PlotSpec]:
    return {spec.file: spec for spec in report_plots.plot_specs(report)}


def test_plot_legends_titles_and_axes_are_words(report: dict[str, Any]) -> None:
    specs = specs_by_file(report)
    fps = specs["fps_vs_ranks.png"]
    assert list(fps.series) == ["still frames, lossless PNG, 1920x1080", "interactive frames, JPEG, 960x540"]
    assert fps.series["still frames, lossless PNG, 1920x1080"] == [(1, 2.0), (4, 4.0)]
    assert "Wavelet 128³ points → Contour(RTData = 150)" in fps.title[1] and "1920x1080 view" in fps.title[1]
    assert (fps.xlabel, fps.ylabel) == ("server ranks (MPI processes)", "frames per second (median)")

    latency = specs["sync_latency_vs_clients.png"]
    assert set(latency.series) == {
        f"{who}, {stat}" for who in ("every observer", "last observer per change") for stat in ("median", "p99")
    }
    assert latency.series["last observer per change, median"] == [(2, 0.8), (32, 4.0)]
    assert "4-rank server" in latency.title[1] and latency.ylabel == "one-way latency (ms)"

    contour = specs["contour_vs_ranks.png"]
    assert list(contour.series) == [
        "through an N-rank server",
        "N plain VTK processes at once, one piece each",
        "ideal on this machine's CPUs",
    ]
    assert "Wavelet 128³ points" in contour.title[1] and contour.ylabel == "time per update (ms, median)"
    for spec in specs.values():
        assert spec.title[-1] == f"{MACHINE}, quick run", spec.file
        for words in [*spec.series, *spec.title[:-1], spec.xlabel, spec.ylabel]:  # the machine line has x86_64
            assert not INTERNAL_KEY.search(words), words


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="matplotlib is not installed")
def test_drawn_figures_carry_those_words(report: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    drawn: list[Any] = []
    close = plt.close
    monkeypatch.setattr(plt, "close", lambda fig: (drawn.append(fig), close(fig)))
    made, notes = report_plots.make_plots(report, tmp_path)
    assert made == ["fps_vs_ranks.png", "sync_latency_vs_clients.png", "contour_vs_ranks.png"] and not notes
    for fig, spec in zip(drawn, report_plots.plot_specs(report), strict=True):
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == list(spec.series)
        assert fig.get_suptitle() == spec.title[0]
        assert ax.get_title() == "\n".join(spec.title[1:]) and MACHINE in ax.get_title()
        assert (ax.get_xlabel(), ax.get_ylabel()) == (spec.xlabel, spec.ylabel)
        assert (tmp_path / spec.file).read_bytes().startswith(b"\x89PNG")


def test_report_md_tables_name_rows_and_columns_in_words(report: dict[str, Any]) -> None:
    report["plots"] = [spec.file for spec in report_plots.plot_specs(report)]
    md = markdown(report)
    assert f"on {MACHINE}" in md
    assert "## Parallel rendering: Render() frames through N-rank servers" in md
    assert "| Foundation | ok | 10 |" in md  # the table of runs names benchmarks in words, time in its header
    assert "| built-in session | 0.50 |" in md and "| 4-rank server | - |" in md
    assert "| session | Radius + UpdatePipeline (ms) |" in md
    assert "| server ranks | still frames, lossless PNG, 1920x1080 (frames per second) |" in md
    assert "| method | median (ms) | after the last rank entered (ms) |" in md
    assert "| radix-k, as pvserver composites | 40.0 | 30.0 |" in md
    assert "| chat message | 4 | 900 |" in md
    assert "| join, 2-rank server, median (ms) | 9.00 | `join/2_ranks/median_ms` |" in md  # a generic table
    tables = [line for line in md.splitlines() if line.startswith("|")]
    assert tables
    for line in tables:  # no JSON key outside `code` (the script, a figure's path in report.json)
        assert not INTERNAL_KEY.search(re.sub(r"`[^`]*`", "", line)), line
    assert "![Render() round trips: frames per second against server ranks](fps_vs_ranks.png)" in md


def test_unknown_keys_are_spelled_out() -> None:
    assert report_labels.words("peak_growth_mib") == "peak growth (MiB)"
    assert report_labels.words("events_per_s_delivered") == "events per second delivered"
    assert report_labels.words("8_ranks") == "8-rank server"
    assert report_labels.words("last_of_31_one_way") == "one way, last of 31 observers per change"
    assert report_labels.phrase(("roundtrip", "sessions", "builtin", "median_ms")) == (
        "request round trips, built-in session, median (ms)"
    )
    assert report_labels.machine({"cpu_count": 4}) == "4 CPUs"


def test_machine_is_recorded_with_the_cpu_model(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC  7763 64-Core\n")
    assert cpu_model(cpuinfo) == "AMD EPYC 7763 64-Core"
    meta = machine_meta()
    assert meta["cpu_count"] >= 1 and {"cpu_model", "machine", "system", "python"} <= set(meta)
