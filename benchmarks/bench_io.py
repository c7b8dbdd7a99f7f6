#!/usr/bin/env python
"""Parallel data I/O: read a ~2 million cell unstructured grid on 1, 2 and 4 ranks and contour it.

The grid (hexahedra of a Wavelet, with its point array ``RTData``) is written once with VTK, as one ``.vtu`` file
(read on rank 0, split into spatially coherent parts and scattered) and as a ``.pvtu`` of 4 pieces (read piece by
piece on the ranks); the same Wavelet is also written as one ``.vti`` image (each rank reads its own extent).
For each file and rank count a fresh ``mpiexec -n N pvserver --data-dir DIR`` is started and the benchmark
measures, through a real client:

- read: ``OpenDataFile(name)`` + ``UpdatePipeline()`` (the whole collective read), beside plain VTK reading the
  same file in this process;
- balance: the cells each rank holds (from the pieces of a parallel ``SaveData(".pvtu")``, which also gives the
  parallel write time), as min / max and max over the mean;
- filter: ``Contour(RTData = 157)``: its first update (which may add ghost cells) and a re-run with another value;
- memory: each rank's resident set (VmRSS before reading, VmHWM high-water after reading and after contouring,
  from ``/proc/<pid>/status``) against the size of one copy of the data.

Usage::

    python benchmarks/bench_io.py [--quick] [--json figures.json] [--ranks 1,2,4]
                                  [--formats vtu,pvtu,vti] [--cells 2000000] [--data-dir DIR]

The machine is shared and noisy, and has fewer cores than 4 ranks on small machines: compare the figures of one
run with each other (how the read and the filter scale, how even the balance is, how many copies of the data a
rank holds at its peak), not figures across runs.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import ROOT, descendants, exit_on_sigterm, finish, machine_meta, table, use_checkout

ISO = 157.0
PIECES = 4  # pieces of the .pvtu file
FORMATS = ("vtu", "pvtu", "vti")
MIB = 2**20


# ----------------------------------------------------------------------------------------------- the data


def side_for(cells: int) -> int:
    """Cells along each axis of a cube of about ``cells`` hexahedra."""
    return max(2, round(cells ** (1 / 3)))


def write_grid(folder: Path, side: int, name: str = "") -> dict[str, Path]:
    """The Wavelet on ``side``^3 hexahedra as an unstructured grid (one .vtu, and a .pvtu of PIECES pieces) and as
    the image it is (one .vti)."""
    name = name or f"grid{side}"
    from vtkmodules.vtkFiltersCore import vtkAppendFilter
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource
    from vtkmodules.vtkIOParallelXML import vtkXMLPUnstructuredGridWriter
    from vtkmodules.vtkIOXML import vtkXMLImageDataWriter, vtkXMLUnstructuredGridWriter

    if side > 4:
        write_grid(folder, 4, "warm")  # for the servers' warm-up
    half = side // 2
    extent = (-half, side - half, -half, side - half, -half, side - half)
    files = {fmt: folder / f"{name}.{fmt}" for fmt in FORMATS}
    if all(f.exists() for f in files.values()):
        return files
    source = vtkRTAnalyticSource()
    source.SetWholeExtent(*extent)
    source.SetCenter(0.0, 0.0, 0.0)
    grid = vtkAppendFilter()  # image -> unstructured grid of hexahedra (voxels), for the piece asked for
    grid.SetInputConnection(source.GetOutputPort())
    t0 = time.perf_counter()
    writer = vtkXMLUnstructuredGridWriter()
    writer.SetFileName(str(files["vtu"]))
    writer.SetInputConnection(grid.GetOutputPort())
    writer.SetDataModeToAppended()
    assert writer.Write(), files["vtu"]
    pwriter = vtkXMLPUnstructuredGridWriter()
    pwriter.SetFileName(str(files["pvtu"]))
    pwriter.SetInputConnection(grid.GetOutputPort())
    pwriter.SetNumberOfPieces(PIECES)
    pwriter.SetStartPiece(0)
    pwriter.SetEndPiece(PIECES - 1)
    assert pwriter.Write(), files["pvtu"]
    image_writer = vtkXMLImageDataWriter()
    image_writer.SetFileName(str(files["vti"]))
    image_writer.SetInputConnection(source.GetOutputPort())
    image_writer.SetDataModeToAppended()
    assert image_writer.Write(), files["vti"]
    print(f"  [wrote {', '.join(f.name for f in files.values())} in {time.perf_counter() - t0:.1f} s]", flush=True)
    return files


def direct_read(path: Path) -> dict[str, Any]:
    """Plain VTK reading the whole file in this process: the serial reference, and the size of one copy."""
    from vtkmodules.vtkIOXML import vtkXMLImageDataReader, vtkXMLPUnstructuredGridReader, vtkXMLUnstructuredGridReader

    readers = {".pvtu": vtkXMLPUnstructuredGridReader, ".vtu": vtkXMLUnstructuredGridReader}
    reader = readers.get(path.suffix, vtkXMLImageDataReader)()
    reader.SetFileName(str(path))
    t0 = time.perf_counter()
    reader.Update()
    seconds = time.perf_counter() - t0
    data = reader.GetOutput()
    return {
        "read_s": seconds,
        "cells": data.GetNumberOfCells(),
        "points": data.GetNumberOfPoints(),
        "bytes": data.GetActualMemorySize() * 1024,
        "file_bytes": sum(p.stat().st_size for p in _files_of(path)),
    }


def _files_of(path: Path) -> list[Path]:
    if path.suffix != ".pvtu":
        return [path]
    return [path, *(path.parent / s for s in re.findall(r'Source="([^"]+)"', path.read_text()))]


# ----------------------------------------------------------------------------------------------- rank processes


def rank_pids(mpiexec_pid: int, ranks: int) -> dict[int, int]:
    """rank -> pid of the server's rank processes (MPICH's PMI_RANK, else the order of their ids)."""
    found: dict[int, int] = {}
    others: list[int] = []
    for pid in descendants(mpiexec_pid)[1:]:  # not mpiexec itself, whose command line names pvserver too
        with contextlib.suppress(OSError):
            if b"pvserver.cli" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            env = dict(
                item.split(b"=", 1) for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0") if b"=" in item
            )
            rank = env.get(b"PMI_RANK")
            if rank is not None and rank.isdigit():
                found[int(rank)] = pid
            else:
                others.append(pid)
    for pid, rank in zip(sorted(others), sorted(set(range(ranks)) - set(found)), strict=False):
        found[rank] = pid
    return found


def memory(pids: dict[int, int]) -> dict[int, dict[str, int]]:
    """rank -> {"rss": VmRSS, "hwm": VmHWM} in bytes."""
    out = {}
    for rank, pid in pids.items():
        with contextlib.suppress(OSError):
            fields = dict(
                line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
            )
            out[rank] = {k: int(fields[f"Vm{k.upper()}"].split()[0]) * 1024 for k in ("rss", "hwm")}
    return out


# ----------------------------------------------------------------------------------------------- one server


@contextlib.contextmanager
def server(ranks: int, data_dir: Path, live: list[Any]) -> Iterator[Any]:
    """A real ``mpiexec -n ranks pvserver`` (tests/servers.py), stopped whatever happens."""
    from servers import ServerProcess

    proc = ServerProcess.__new__(ServerProcess)
    live.append(proc)  # before mpiexec starts: an interrupted start is cleaned up too
    try:
        proc.__init__(ranks, "--data-dir", str(data_dir), startup_timeout=120.0)
        yield proc
    finally:
        live.remove(proc)
        with contextlib.suppress(Exception):
            proc.stop()


def piece_cells(summary: Path) -> list[int]:
    """Cells in each piece of a .pvtu file (from the pieces' headers), removing the pieces and the summary."""
    cells = []
    for piece in _files_of(summary)[1:]:
        with open(piece, "rb") as f:
            head = f.read(4096).decode("latin-1")
        match = re.search(r'NumberOfCells="(\d+)"', head)
        cells.append(int(match.group(1)) if match else -1)
        piece.unlink()
    summary.unlink()
    return cells


def run_case(ranks: int, path: Path, data_dir: Path, live: list[Any]) -> dict[str, Any]:
    """Read, balance, contour and memory of one file on one server size."""
    import simple

    with server(ranks, data_dir, live) as srv:
        pids = rank_pids(srv.process.pid, ranks)
        conn = simple.Connect(srv.url)
        try:
            # The same work on a tiny file first: the modules it loads are not counted as memory for the data.
            warm = simple.OpenDataFile(f"warm{path.suffix}")
            simple.Contour(Input=warm, ContourBy=["POINTS", "RTData"], Isosurfaces=[ISO]).UpdatePipeline()
            simple.SaveData("warm_out.pvtu", warm)
            piece_cells(data_dir / "warm_out.pvtu")
            before = memory(pids)
            t0 = time.perf_counter()
            reader = simple.OpenDataFile(path.name)
            reader.UpdatePipeline()
            read_s = time.perf_counter() - t0
            info = reader.GetDataInformation()
            after_read = memory(pids)

            contour = simple.Contour(Input=reader, ContourBy=["POINTS", "RTData"], Isosurfaces=[ISO])
            t0 = time.perf_counter()
            contour.UpdatePipeline()
            contour_s = time.perf_counter() - t0
            contour.Isosurfaces = [ISO + 0.5]  # the contour alone again, its input up to date
            t0 = time.perf_counter()
            contour.UpdatePipeline()
            contour_again_s = time.perf_counter() - t0
            contour_cells = contour.GetDataInformation().GetNumberOfCells()
            after_contour = memory(pids)

            out = f"balance_{ranks}.pvtu"  # each rank writes the piece it holds: its cell count and the write time
            t0 = time.perf_counter()
            simple.SaveData(out, reader)
            write_s = time.perf_counter() - t0
            per_rank = piece_cells(data_dir / out)
        finally:
            simple.Disconnect(conn)
    mean = sum(per_rank) / len(per_rank) if per_rank else math.nan
    return {
        "ranks": ranks,
        "read_s": read_s,
        "cells": info.GetNumberOfCells(),
        "partitions": info.GetNumberOfPartitions(),
        "cells_per_rank": per_rank,
        "balance_min": min(per_rank, default=0),
        "balance_max": max(per_rank, default=0),
        "imbalance_max_over_mean": max(per_rank, default=0) / mean if mean else math.nan,
        "write_pvtu_s": write_s,
        "contour_first_s": contour_s,
        "contour_again_s": contour_again_s,
        "contour_cells": contour_cells,
        "memory_bytes": {
            str(r): {
                "rss_before_read": before.get(r, {}).get("rss"),
                "hwm_after_read": after_read.get(r, {}).get("hwm"),
                "hwm_after_contour": after_contour.get(r, {}).get("hwm"),
            }
            for r in sorted(pids)
        },
    }


def peak_copies(case: dict[str, Any], one_copy: int) -> tuple[float, float]:
    """The largest growth of one rank's high-water mark over its start (MiB), and that in copies of the data."""
    growth = [
        (m["hwm_after_contour"] or 0) - (m["rss_before_read"] or 0)
        for m in case["memory_bytes"].values()
        if m["hwm_after_contour"] and m["rss_before_read"]
    ]
    peak = max(growth, default=0)
    return peak / MIB, peak / one_copy if one_copy else math.nan


# ----------------------------------------------------------------------------------------------- output


def print_tables(fmt: str, result: dict[str, Any]) -> None:
    ref = result["direct"]
    one_copy = ref["bytes"]
    rows = []
    for case in result["ranks"].values():
        peak_mib, copies = peak_copies(case, one_copy)
        hwm = [m["hwm_after_contour"] / MIB for m in case["memory_bytes"].values() if m["hwm_after_contour"]]
        rows.append(
            [
                case["ranks"],
                f"{case['read_s']:.2f}",
                f"{case['balance_min']} / {case['balance_max']}",
                f"{case['imbalance_max_over_mean']:.3f}",
                f"{case['contour_first_s']:.2f}",
                f"{case['contour_again_s']:.2f}",
                f"{case['write_pvtu_s']:.2f}",
                f"{max(hwm, default=0):.0f}",
                f"{peak_mib:.0f}",
                f"{copies:.2f}",
            ]
        )
    table(
        f".{fmt}: {ref['cells']:,} cells, {ref['points']:,} points, one copy {one_copy / MIB:.0f} MiB in memory, "
        f"{ref['file_bytes'] / MIB:.0f} MiB on disk; plain VTK reads it in {ref['read_s']:.2f} s in one process",
        [
            "ranks",
            "read s",
            "cells/rank min / max",
            "max/mean",
            "contour s",
            "again s",
            "write .pvtu s",
            "peak RSS MiB",
            "peak growth MiB",
            "copies",
        ],
        rows,
    )


# ----------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small grid (64 thousand cells), under a minute")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--ranks", default="1,2,4", help="server sizes (default: 1,2,4)")
    parser.add_argument(
        "--formats", default=",".join(FORMATS), help="files to read: vtu (one file), pvtu (pieces), vti (an image)"
    )
    parser.add_argument("--cells", type=int, help="about this many cells (default: 2 million, 64000 with --quick)")
    parser.add_argument("--data-dir", type=Path, help="keep the written grid here and reuse it (default: a temp dir)")
    args = parser.parse_args(argv)
    ranks = [int(r) for r in args.ranks.split(",") if r.strip()]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if set(formats) - set(FORMATS):
        parser.error(f"--formats takes some of {', '.join(FORMATS)}")
    side = side_for(args.cells or (64_000 if args.quick else 2_000_000))
    use_checkout()
    sys.path.insert(0, str(ROOT / "tests"))  # servers.py
    exit_on_sigterm()
    started = time.perf_counter()
    figures: dict[str, Any] = {
        "meta": {
            "quick": args.quick,
            **machine_meta(),
            "iso": ISO,
            "side": side,
            "pvtu_pieces": PIECES,
        },
        "formats": {},
    }
    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="bench-io-")) if temporary else args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    live: list[Any] = []
    try:
        print(f"grid of {side}^3 = {side**3:,} hexahedra in {data_dir}", flush=True)
        files = write_grid(data_dir, side)
        for fmt in formats:
            ref = direct_read(files[fmt])
            result: dict[str, Any] = {"file": files[fmt].name, "direct": ref, "ranks": {}}
            figures["formats"][fmt] = result
            for n in ranks:
                print(f"  .{fmt} on {n} rank(s)...", flush=True)
                case = run_case(n, files[fmt], data_dir, live)
                if case["cells"] != ref["cells"]:
                    raise AssertionError(f".{fmt} on {n} ranks: {case['cells']} cells, plain VTK {ref['cells']}")
                case["peak_growth_mib"], case["peak_growth_copies"] = peak_copies(case, ref["bytes"])
                result["ranks"][str(n)] = case
            print_tables(fmt, result)
    finally:
        for proc in list(live):
            with contextlib.suppress(Exception):
                proc.stop()
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(
        "\nread s: OpenDataFile + UpdatePipeline through the client; cells/rank: each rank's piece (from a parallel "
        "SaveData .pvtu); contour s: first update, again s: another value; peak growth: the largest rank's VmHWM "
        "after contouring minus its VmRSS before reading; copies: that growth over one copy of the data."
    )
    finish(figures, started, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
