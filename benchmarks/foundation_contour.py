"""Section 3 of benchmarks/bench_foundation.py: Wavelet [-63,64]^3 -> Contour(RTData, [157]) through 1, 2 and
4-rank servers, beside the same VTK filters called directly: the whole data set in this process, each piece of an
N-way split alone, and the N pieces computed at once by N plain processes (what N ranks can honestly gain on this
machine's cores).
"""

from __future__ import annotations

import os
import time
from typing import Any

from common import Servers, connected, fmt_ms, summary, table
from foundation_requests import timed

CONTOUR_OVERHEAD_TARGET = 0.10  # from the project brief

EXTENT = (-63, 64, -63, 64, -63, 64)  # 128^3 points
ISO = 157.0
WAVELET_MAXIMUM = (255.0, 255.001)  # toggled to force the source (and so the contour) to re-execute
ISO_TOGGLE = (157.0, 157.001)  # toggled to force the contour alone to re-execute


# ----------------------------------------------------------------------------------------------- 3. contour


def _direct_pipeline() -> tuple[Any, Any]:
    """vtkRTAnalyticSource -> vtkContourFilter with the catalogue's defaults and the benchmark's settings."""
    from vtkmodules.vtkFiltersCore import vtkContourFilter
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    from pvserver.pipeline import catalogue

    source = vtkRTAnalyticSource()
    for prop in catalogue.get("sources", "Wavelet").properties:
        if prop.applier().kind == "setter":
            getattr(source, prop.applier().method)(*prop.default)
    source.SetWholeExtent(*EXTENT)
    contour = vtkContourFilter()
    for prop in catalogue.get("filters", "Contour").properties:
        if prop.applier().kind == "setter" and prop.kind == "bool":  # ComputeNormals, ComputeScalars, ...
            getattr(contour, prop.applier().method)(*prop.default)
    contour.SetInputConnection(source.GetOutputPort())
    contour.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    contour.SetNumberOfContours(1)
    contour.SetValue(0, ISO)
    return source, contour


class DirectContour:
    """The same filters called directly in this process: the whole data set, or one piece of an N-way split."""

    def __init__(self) -> None:
        self.source, self.contour = _direct_pipeline()
        self._runs = 0
        self.run(0, 1)  # warm-up

    def run(self, piece: int, pieces: int, upstream_first: bool = False) -> float:
        """Seconds of one re-execution of source and contour (the source's Maximum is toggled first)."""
        self._runs += 1
        self.source.SetMaximum(WAVELET_MAXIMUM[self._runs % 2])
        t0 = time.perf_counter()
        if upstream_first:  # the source on its own (no ghost level), then the contour (which asks for one)
            self.source.UpdatePiece(piece, pieces, 0)
        self.contour.UpdatePiece(piece, pieces, 0)
        return time.perf_counter() - t0

    def contour_only(self, reps: int) -> list[float]:
        """Seconds of re-executions of the contour alone (its iso-value toggled), whole data set."""
        samples = []
        for i in range(reps):
            self.contour.SetValue(0, ISO_TOGGLE[(i + 1) % 2])
            samples.append(timed(lambda: self.contour.UpdatePiece(0, 1, 0)))
        self.contour.SetValue(0, ISO)
        return samples

    def split(self, n: int, reps: int) -> dict[str, Any]:
        """Every piece of an n-way split, as the ranks of an n-rank server would compute them."""
        pieces = [summary([self.run(p, n) for _ in range(reps)]) for p in range(n)]
        upstream_first = [summary([self.run(p, n, True) for _ in range(reps)]) for p in range(n)]
        return {
            "pieces": pieces,
            "slowest_piece_ms": max(p["median_ms"] for p in pieces),
            "sum_of_pieces_ms": sum(p["median_ms"] for p in pieces),
            "slowest_piece_upstream_first_ms": max(p["median_ms"] for p in upstream_first),
        }


def _piece_worker(piece: int, pieces: int, reps: int, barrier: Any, results: Any) -> None:
    """One process of :func:`concurrent_pieces`: computes its piece in step with the others."""
    direct = DirectContour()
    direct.run(piece, pieces)  # warm-up on this piece
    for rep in range(reps):
        barrier.wait()
        t0 = time.perf_counter()
        direct.run(piece, pieces)
        results.put((rep, t0, time.perf_counter()))


def concurrent_pieces(n: int, reps: int) -> dict[str, float]:
    """The pieces of an n-way split computed at once by n plain processes (no MPI, no server), as n ranks would.

    Each sample is one wave: from the first start to the last end. This is the honest baseline for an n-rank
    server on this machine: it pays the same sharing of cores and memory bandwidth, and nothing of the framework.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_piece_worker, args=(p, n, reps, barrier, results), daemon=True) for p in range(n)]
    try:
        for proc in procs:
            proc.start()
        waves: dict[int, list[tuple[float, float]]] = {}
        for _ in range(n * reps):
            rep, t0, t1 = results.get(timeout=120)
            waves.setdefault(rep, []).append((t0, t1))
        for proc in procs:
            proc.join(timeout=30)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
                proc.join()
    return summary([max(t1 for _, t1 in w) - min(t0 for t0, _ in w) for w in waves.values()])


def server_contour(servers: Servers, n: int, reps: int) -> dict[str, Any]:
    import simple

    with servers.start(n) as server, connected(server.url):
        wavelet = simple.Wavelet(WholeExtent=list(EXTENT))
        contour = simple.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[ISO])
        contour.UpdatePipeline()  # warm-up
        full = []
        for i in range(reps):
            wavelet.Maximum = WAVELET_MAXIMUM[(i + 1) % 2]
            full.append(timed(contour.UpdatePipeline))
        points = contour.GetDataInformation().GetNumberOfPoints()
        iso_only = []
        for i in range(reps):
            contour.Isosurfaces = [ISO_TOGGLE[(i + 1) % 2]]
            iso_only.append(timed(contour.UpdatePipeline))
    return {"full": summary(full), "contour_only": summary(iso_only), "points": points}


def bench_contour(servers: Servers, ranks: list[int], reps: int) -> dict[str, Any]:
    print(f"\n[3] Wavelet {EXTENT} -> Contour RTData [{ISO:g}] ({reps} runs each)", flush=True)
    cores = os.cpu_count() or 1
    direct = DirectContour()
    whole: list[float] = []
    splits: dict[int, dict[str, Any]] = {}
    served: dict[int, dict[str, Any]] = {}
    for n in ranks:  # direct and served runs alternate, so that they share the machine's noise
        whole += [direct.run(0, 1) for _ in range(reps)]
        if n > 1:
            splits[n] = direct.split(n, reps)
            splits[n]["at_once"] = concurrent_pieces(n, reps)
        served[n] = server_contour(servers, n, reps)
    whole.append(direct.run(0, 1))  # the whole data set last, to count its points
    points = direct.contour.GetOutput().GetNumberOfPoints()
    direct_figures = {
        "full": summary(whole),
        "contour_only": summary(direct.contour_only(reps)),
        "points": points,
        "split": splits,
    }
    full_ms = direct_figures["full"]["median_ms"]
    rows = []
    result: dict[str, Any] = {"cores": cores, "direct": direct_figures, "server": {}}
    for n in ranks:
        s = served[n]
        if n == 1:
            slowest = ideal = at_once = full_ms
            upstream_first = None
        else:
            split = splits[n]
            slowest = split["slowest_piece_ms"]
            ideal = max(slowest, split["sum_of_pieces_ms"] / min(cores, n))
            at_once = split["at_once"]["median_ms"]
            upstream_first = split["slowest_piece_upstream_first_ms"]
        server_ms = s["full"]["median_ms"]
        result["server"][n] = {
            **s,
            "direct_slowest_piece_ms": slowest,
            "direct_pieces_at_once_ms": at_once,
            "ideal_on_this_machine_ms": ideal,
            "overhead_vs_pieces_at_once": server_ms / at_once - 1,
            "overhead_vs_ideal": server_ms / ideal - 1,
            "speedup_vs_direct_full": full_ms / server_ms,
            "direct_slowest_piece_upstream_first_ms": upstream_first,
        }
        rows.append(
            [
                n,
                f"{fmt_ms(server_ms)} / {fmt_ms(s['full']['p90_ms'])}",
                fmt_ms(full_ms),
                fmt_ms(slowest),
                fmt_ms(ideal),
                fmt_ms(at_once),
                f"{100 * (server_ms / at_once - 1):+.0f}%",
                f"{full_ms / server_ms:.2f}x",
                fmt_ms(s["contour_only"]["median_ms"]),
                s["points"],
            ]
        )
    table(
        f"Wavelet -> Contour execution, ms ({cores} cores; target overhead < {100 * CONTOUR_OVERHEAD_TARGET:.0f}%)",
        [
            "ranks",
            "server med / p90",
            "direct whole",
            "slowest piece",
            "ideal here",
            "pieces at once",
            "overhead",
            "speedup",
            "server contour-only",
            "points",
        ],
        rows,
    )
    print(
        "  direct = the same VTK filters called in this process. slowest piece: of an N-way split, one at a time. "
        "ideal here = max(slowest piece,\n  sum of pieces / min(cores, N)). pieces at once: N plain processes "
        "computing their pieces together (same sharing of cores and memory,\n  no framework). overhead = server / "
        "pieces at once - 1; speedup = direct whole / server."
    )
    print(
        f"  direct contour-only re-execution (whole data set): {fmt_ms(direct_figures['contour_only']['median_ms'])} "
        f"ms; direct points: {points}"
    )
    diag = ", ".join(
        f"{n} ranks {fmt_ms(result['server'][n]['direct_slowest_piece_upstream_first_ms'])} ms" for n in ranks if n > 1
    )
    if diag:
        print(
            f"  slowest piece when the source is updated on its own first (no ghost level), then the contour (which "
            f"asks for one,\n  so the source runs again): {diag}"
        )
    return result
