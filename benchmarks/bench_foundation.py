#!/usr/bin/env python
"""Foundation benchmarks of the client/server framework, measured in one run on this machine.

1. Connect time: ``Connection.remote()`` + ``close()`` to a running 4-rank server (median, p90).
2. Request round trip beyond the VTK work: ``sphere.Radius = r; sphere.UpdatePipeline()`` on a tiny source,
   plus empty round trips (Invoke UpdatePipeline on an up-to-date source, GatherInformation), on the built-in
   session, a 1-rank and a 4-rank server; the differences separate the gRPC cost from the MPI cost.
   It also times a change + update after 1.5 s of silence (the price of the workers' sleep when idle).
3. Wavelet [-63,64]^3 -> Contour(RTData, [157]) execution through 1, 2 and 4-rank servers, beside the same VTK
   filters called directly: the whole data set in this process, each piece of an N-way split alone, and the N
   pieces computed at once by N plain processes (what N ranks can honestly gain on this machine's cores).
4. Idle CPU of an 8-rank server with no client (the workers must not spin).

Usage::

    python benchmarks/bench_foundation.py [--quick] [--json figures.json] [--only connect,roundtrip,contour,idle]

Every server is a real ``mpiexec -n N pvserver`` (tests/servers.py) and is stopped even on errors. The machine is
shared and noisy: compare the medians and ratios of one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    Servers,
    chosen_sections,
    connected,
    cpu_seconds,
    descendants,
    exit_on_sigterm,
    finish,
    fmt_ms,
    machine_meta,
    summary,
    table,
    use_checkout,
)

SECTIONS = ("connect", "roundtrip", "contour", "idle")

# Targets from the project brief (ParaView 5.11 connects in about 650 ms).
CONNECT_TARGET_MS = 100.0
ROUNDTRIP_TARGET_MS = 5.0
CONTOUR_OVERHEAD_TARGET = 0.10
IDLE_CPU_TARGET = 5.0  # percent of one core, all ranks together

EXTENT = (-63, 64, -63, 64, -63, 64)  # 128^3 points
ISO = 157.0
WAVELET_MAXIMUM = (255.0, 255.001)  # toggled to force the source (and so the contour) to re-execute
ISO_TOGGLE = (157.0, 157.001)  # toggled to force the contour alone to re-execute
IDLE_GAP = 1.5  # seconds of silence before the "after idle" round trips


# ----------------------------------------------------------------------------------------------- helpers


def timed(fn: Callable[[], Any]) -> float:
    """Seconds that one call of ``fn`` takes."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# ----------------------------------------------------------------------------------------------- 1. connect


def bench_connect(servers: Servers, count: int) -> dict[str, Any]:
    from pvclient.connection import Connection

    print("\n[1] connect + close to a running 4-rank server", flush=True)
    connect, close, total = [], [], []
    with servers.start(4, "--multi-clients") as server:
        for _ in range(2):  # warm-up: first channel, imports
            Connection.remote(server.host, server.port, timeout=30).close()
        for _ in range(count):
            t0 = time.perf_counter()
            conn = Connection.remote(server.host, server.port, timeout=30)
            t1 = time.perf_counter()
            conn.close()
            t2 = time.perf_counter()
            connect.append(t1 - t0)
            close.append(t2 - t1)
            total.append(t2 - t0)
    result = {"connect": summary(connect), "close": summary(close), "connect_and_close": summary(total)}
    result["target_ms"] = CONNECT_TARGET_MS
    labels = {"connect": "Connection.remote()", "close": "close()", "connect_and_close": "connect + close"}
    rows = [[label, *_stat_cells(result[key])] for key, label in labels.items()]
    table(
        f"Connect to 4 ranks ({count} times; target < {CONNECT_TARGET_MS:.0f} ms, ParaView 5.11 ~650 ms)",
        ["phase", "median ms", "p90 ms", "min ms"],
        rows,
    )
    return result


def _median_p90(s: dict[str, float] | None) -> str:
    return "-" if s is None else f"{fmt_ms(s['median_ms'])} / {fmt_ms(s['p90_ms'])}"


def _stat_cells(s: dict[str, float]) -> list[str]:
    return [fmt_ms(s["median_ms"]), fmt_ms(s["p90_ms"]), fmt_ms(s["min_ms"])]


# ----------------------------------------------------------------------------------------------- 2. round trip


def direct_sphere_work(count: int) -> dict[str, float]:
    """The VTK work of one Radius change + update, called directly (what the round trip must add to)."""
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    sphere = vtkSphereSource()
    sphere.Update()
    samples = []
    for i in range(count):
        radius = 0.5 + 0.25 * (i % 2)

        def work(radius: float = radius) -> None:
            sphere.SetRadius(radius)
            sphere.UpdatePiece(0, 1, 0)

        samples.append(timed(work))
    return summary(samples)


def roundtrips(url: str | None, count: int, warmup: int, after_idle: int = 0) -> dict[str, Any]:
    """Property change + UpdatePipeline, and the empty requests, on one session.

    ``after_idle`` more changes each follow IDLE_GAP seconds of silence: the price of the workers' back-off,
    which lets them sleep longer the longer the server has been idle.
    """
    import simple

    with connected(url):
        sphere = simple.Sphere()
        sphere.UpdatePipeline()
        radii = (0.5, 0.75)
        for i in range(warmup):
            sphere.Radius = radii[i % 2]
            sphere.UpdatePipeline()
        change, set_only, update_only = [], [], []
        for i in range(count):
            t0 = time.perf_counter()
            sphere.Radius = radii[(i + warmup) % 2]
            t1 = time.perf_counter()
            sphere.UpdatePipeline()
            t2 = time.perf_counter()
            change.append(t2 - t0)
            set_only.append(t1 - t0)
            update_only.append(t2 - t1)
        empty_invoke = [timed(sphere.UpdatePipeline) for _ in range(count)]
        empty_gather = [timed(sphere.GetDataInformation) for _ in range(count)]
        idle = []
        for i in range(after_idle):
            time.sleep(IDLE_GAP)
            t0 = time.perf_counter()
            sphere.Radius = radii[i % 2]
            sphere.UpdatePipeline()
            idle.append(time.perf_counter() - t0)
    result = {
        "change_and_update": summary(change),
        "property_change": summary(set_only),
        "update_after_change": summary(update_only),
        "empty_invoke_update": summary(empty_invoke),
        "empty_gather_information": summary(empty_gather),
    }
    if idle:
        result["change_and_update_after_idle"] = summary(idle)
    return result


def bench_roundtrip(servers: Servers, count: int, warmup: int, ranks: int, after_idle: int) -> dict[str, Any]:
    print(f"\n[2] request round trips on a tiny Sphere ({count} each)", flush=True)
    result: dict[str, Any] = {"vtk_work": direct_sphere_work(count), "sessions": {}}
    sessions = result["sessions"]
    sessions["builtin"] = roundtrips(None, count, warmup)
    for n in (1, ranks):
        with servers.start(n) as server:
            sessions[f"{n}_rank"] = roundtrips(server.url, count, warmup, after_idle if n > 1 else 0)
    vtk_ms = result["vtk_work"]["median_ms"]
    names = list(sessions)
    rows = []
    for key, label in (
        ("change_and_update", "Radius = r; UpdatePipeline()"),
        ("property_change", "  of which Radius = r"),
        ("update_after_change", "  of which UpdatePipeline()"),
        ("empty_invoke_update", "UpdatePipeline() up to date"),
        ("empty_gather_information", "GetDataInformation() up to date"),
        ("change_and_update_after_idle", f"change + update after {IDLE_GAP:g} s idle"),
    ):
        rows.append([label, *(_median_p90(sessions[s].get(key)) for s in names)])
    overhead = {s: sessions[s]["change_and_update"]["median_ms"] - vtk_ms for s in names}
    rows.append(["overhead beyond VTK work (median)", *(fmt_ms(overhead[s]) for s in names)])
    result["overhead_ms"] = overhead
    result["target_ms"] = ROUNDTRIP_TARGET_MS
    table(
        f"Round trips, median / p90 ms (direct VTK work of the change: {vtk_ms:.3f} ms; "
        f"target overhead < {ROUNDTRIP_TARGET_MS:.0f} ms)",
        ["request", *(s.replace("_", " ") for s in names)],
        rows,
    )
    builtin, one, many = (sessions[s]["change_and_update"]["median_ms"] for s in names)
    result["breakdown_ms"] = {
        "engine_and_service (builtin)": builtin - vtk_ms,
        "grpc (1 rank - builtin)": one - builtin,
        f"mpi channel ({ranks} ranks - 1 rank)": many - one,
    }
    table(
        "Where the change + update round trip goes (two requests; medians)",
        ["part", "ms"],
        [[k, fmt_ms(v)] for k, v in result["breakdown_ms"].items()],
    )
    return result


# ----------------------------------------------------------------------------------------------- 3. contour


def _direct_pipeline() -> tuple[Any, Any]:
    """vtkRTAnalyticSource -> vtkContourFilter with the catalogue's defaults and the benchmark's settings."""
    from vtkmodules.vtkFiltersCore import vtkContourFilter
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    from pvserver.pipeline import catalogue

    source = vtkRTAnalyticSource()
    for prop in catalogue.get("sources", "Wavelet").properties:
        if prop.setter:
            getattr(source, prop.setter)(*prop.default)
    source.SetWholeExtent(*EXTENT)
    contour = vtkContourFilter()
    for prop in catalogue.get("filters", "Contour").properties:
        if prop.setter and prop.kind == "bool":  # ComputeNormals, ComputeScalars, ComputeGradients
            getattr(contour, prop.setter)(*prop.default)
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


# ----------------------------------------------------------------------------------------------- 4. idle CPU


def bench_idle(servers: Servers, ranks: int, settle: float, window: float) -> dict[str, Any]:
    print(f"\n[4] idle CPU of a {ranks}-rank server with no client ({window:g} s after {settle:g} s)", flush=True)
    if not Path("/proc/self/stat").exists():
        print("  skipped: no /proc")
        return {}
    with servers.start(ranks) as server:
        time.sleep(settle)
        pids = descendants(server.process.pid)
        before, t0 = cpu_seconds(pids), time.perf_counter()
        time.sleep(window)
        after, wall = cpu_seconds(pids), time.perf_counter() - t0
    used = {p: after[p] - before[p] for p in after if p in before}
    total = 100 * sum(used.values()) / wall
    busiest = 100 * max(used.values(), default=0.0) / wall
    result = {
        "ranks": ranks,
        "processes": len(used),
        "total_percent_of_core": total,
        "busiest_process_percent": busiest,
        "target_percent": IDLE_CPU_TARGET,
    }
    table(
        f"Idle server CPU (target < {IDLE_CPU_TARGET:g}% of one core in total)",
        ["figure", "value"],
        [
            ["processes (mpiexec, proxy, ranks)", len(used)],
            ["total, % of one core", f"{total:.1f}"],
            ["busiest process, %", f"{busiest:.1f}"],
        ],
    )
    return result


# ----------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (under a minute)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}")
    parser.add_argument("--ranks", default="1,2,4", help="server sizes for the contour benchmark")
    args = parser.parse_args(argv)
    only = chosen_sections(parser, args.only, SECTIONS)

    use_checkout()
    quick = args.quick
    servers = Servers()
    exit_on_sigterm()
    started = time.perf_counter()
    figures: dict[str, Any] = {"meta": {"quick": quick, **machine_meta()}}
    try:
        if "connect" in only:
            figures["connect"] = bench_connect(servers, 8 if quick else 20)
        if "roundtrip" in only:
            figures["roundtrip"] = bench_roundtrip(
                servers, 30 if quick else 100, 5 if quick else 10, 4, 3 if quick else 8
            )
        if "contour" in only:
            ranks = [int(r) for r in args.ranks.split(",")]
            figures["contour"] = bench_contour(servers, ranks, 2 if quick else 7)
        if "idle" in only:
            figures["idle_cpu"] = bench_idle(servers, 8, 1.5 if quick else 3.0, 2.0 if quick else 4.0)
    finally:
        servers.stop_all()
    finish(figures, started, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
