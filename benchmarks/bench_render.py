#!/usr/bin/env python
"""Parallel rendering benchmark: frames per second of a camera orbit through real N-rank servers.

The scene of the brief: Wavelet WholeExtent [-63,64]^3 -> Contour(RTData, [150]), shown in a 1920x1080 view,
the camera reset once and then orbiting in 20 Azimuth steps of 18 degrees. Each step is one ``Render()`` round
trip from a ``pvpython``-style client: the camera change travels to the server, every rank renders its
partition offscreen (EGL), reads it back, the ranks composite by depth, rank 0 encodes a lossless PNG and the
client receives it. The first frame (which also runs the pipeline) is reported apart.

Printed per rank count: still frames per second (PNG, full size), interactive frames per second (half size,
JPEG, as while the camera moves), and the split of a still frame into prepare, render, read-back,
compositing, encoding (all on rank 0, from the server's timings) and transfer (the rest of the round trip:
gRPC, MPI fan-out and the client). Compositing alone at 1920x1080 on 8 ranks beside a naive gather is
``bench_compositing.py`` (run under ``mpiexec -n 8``).

Usage::

    python benchmarks/bench_render.py [--quick] [--ranks 1,2,4,8] [--steps 20] [--json figures.json]

ParaView 5.11 renders this scene at about 3.2 frames per second with 2 or 4 ranks on such a machine. The machine
is shared and noisy: compare the medians and ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from common import Servers, connected, exit_on_sigterm, fmt_ms, summary, table, use_checkout, write_figures

EXTENT = [-63, 64, -63, 64, -63, 64]
ISO = 150.0
SIZE = (1920, 1080)
PARAVIEW_FPS = 3.2
STAGES = ("prepare", "render", "readback", "composite", "encode")


def orbit(url: str | None, steps: int, size: tuple[int, int]) -> dict[str, Any]:
    """One orbit of still frames, then one of interactive frames, on a fresh pipeline of the given server."""
    import simple

    with connected(url):
        wavelet = simple.Wavelet(WholeExtent=EXTENT)
        contour = simple.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[ISO])
        view = simple.CreateRenderView(ViewSize=list(size))
        simple.Show(contour, view)
        simple.ResetCamera(view)
        camera = view.GetActiveCamera()
        t0 = time.perf_counter()
        view.CaptureImage()
        first_s = time.perf_counter() - t0
        frames, splits = [], []
        for _ in range(steps):
            camera.Azimuth(360.0 / steps)
            t0 = time.perf_counter()
            image = view.CaptureImage()
            frames.append(time.perf_counter() - t0)
            splits.append(image.timings_ms)
        interactive = []
        for _ in range(steps):
            camera.Azimuth(360.0 / steps)
            t0 = time.perf_counter()
            view.CaptureImage(interactive=True)
            interactive.append(time.perf_counter() - t0)
        info = contour.GetDataInformation()
        cells = info.GetNumberOfCells()
        png_bytes = len(image.data)
    split = {stage: statistics.median(s.get(stage, 0.0) for s in splits) for stage in STAGES}
    split["transfer"] = max(0.0, 1e3 * statistics.median(frames) - sum(split.values()))
    return {
        "first_frame_ms": 1e3 * first_s,
        "frame": summary(frames),
        "still_fps": 1.0 / statistics.median(frames),
        "interactive_frame": summary(interactive),
        "interactive_fps": 1.0 / statistics.median(interactive),
        "split_ms": split,
        "contour_cells": cells,
        "png_bytes": png_bytes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="ranks 1, 2 and 4 and 8 steps (about a minute)")
    parser.add_argument("--ranks", help="comma-separated server sizes (default 1,2,4,8)")
    parser.add_argument("--steps", type=int, help="camera steps of one orbit (default 20)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args(argv)
    ranks = [int(r) for r in (args.ranks or ("1,2,4" if args.quick else "1,2,4,8")).split(",")]
    steps = args.steps or (8 if args.quick else 20)

    use_checkout()
    servers = Servers()
    exit_on_sigterm()
    started = time.perf_counter()
    figures: dict[str, Any] = {
        "meta": {
            "scene": f"Wavelet {EXTENT} -> Contour(RTData, {ISO}), {SIZE[0]}x{SIZE[1]}, orbit of {steps} steps",
            "cpu_count": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
            "paraview_5_11_fps": PARAVIEW_FPS,
        },
        "orbit": [],
    }
    print(f"render benchmark: {figures['meta']['scene']} on {os.cpu_count()} cores", flush=True)
    try:
        for n in ranks:
            with servers.start(n) as server:
                result = orbit(server.url, steps, SIZE)
            figures["orbit"].append({"ranks": n, **result})
            print(f"  {n} ranks: {result['still_fps']:.2f} still fps, {result['interactive_fps']:.2f} interactive")
    finally:
        servers.stop_all()

    rows = []
    for r in figures["orbit"]:
        split = r["split_ms"]
        rows.append(
            [r["ranks"], f"{r['still_fps']:.2f}", f"{r['interactive_fps']:.2f}", fmt_ms(r["frame"]["median_ms"])]
            + [fmt_ms(split[s]) for s in (*STAGES, "transfer")]
            + [f"{r['first_frame_ms']:.0f}"]
        )
    header = ["ranks", "still fps", "interactive fps", "frame ms", *STAGES, "transfer", "first frame ms"]
    table(f"Render() round trips, {SIZE[0]}x{SIZE[1]} PNG (median over {steps} steps)", header, rows)
    best = max(figures["orbit"], key=lambda r: r["still_fps"], default=None)
    if best is not None:
        print(
            f"\nbest: {best['still_fps']:.2f} fps on {best['ranks']} ranks, "
            f"{best['still_fps'] / PARAVIEW_FPS:.1f}x ParaView 5.11's {PARAVIEW_FPS} fps"
        )
    figures["meta"]["elapsed_s"] = time.perf_counter() - started
    write_figures(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
