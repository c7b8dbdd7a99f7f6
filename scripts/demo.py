"""The demo: a real 4-rank server, two clients sharing it, a parallel pipeline, a picture.

Starts ``mpiexec -n 4 pvserver --multi-clients`` on a free port, connects a first client that builds
Wavelet -> Contour, prints what the ranks computed, renders the contour coloured by RTData (composited from
the 4 ranks) into ``out/demo.png``; a second client connected to the same server sees the same pipeline after
``processServerEvents()``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import ServerProcess  # noqa: E402

import simple  # noqa: E402
from pvclient.connection import Connection  # noqa: E402


def main() -> int:
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    with ServerProcess(4, "--multi-clients") as server:
        print(f"pvserver: 4 ranks at {server.url}")
        t0 = time.perf_counter()
        conn = simple.Connect(server.url)
        print(f"connected in {1e3 * (time.perf_counter() - t0):.0f} ms; ranks: {conn.GetNumberOfDataPartitions()}")

        wavelet = simple.Wavelet(WholeExtent=[-31, 32, -31, 32, -31, 32])
        contour = simple.Contour(Input=wavelet, ContourBy=["POINTS", "RTData"], Isosurfaces=[130.0, 190.0])
        info = contour.GetDataInformation()
        rt_range = wavelet.PointData["RTData"].GetRange()
        print(f"Wavelet: {wavelet.GetDataInformation().GetNumberOfCells()} cells, RTData range {rt_range}")
        print(
            f"Contour: {info.GetNumberOfPoints()} points, {info.GetNumberOfCells()} cells, "
            f"bounds {tuple(round(b, 2) for b in info.GetBounds())}, on {info.GetNumberOfPartitions()} ranks"
        )

        view = simple.CreateRenderView(ViewSize=[800, 600])
        rep = simple.Show(contour, view)
        simple.ColorBy(rep, ("POINTS", "RTData"))
        simple.GetColorTransferFunction("RTData").ApplyPreset("Viridis (matplotlib)")
        rep.SetScalarBarVisibility(view, True)
        simple.Render(view)
        simple.GetActiveCamera().Elevation(25)
        simple.GetActiveCamera().Azimuth(35)
        picture = out / "demo.png"
        simple.SaveScreenshot(picture, view, ImageResolution=[800, 600])
        print(f"wrote {picture.relative_to(ROOT)} (composited from {server.ranks} ranks)")

        # A second client of the same server sees the shared pipeline.
        other = Connection.remote(server.host, server.port, user="bob")
        names = sorted(p.GetRegistrationName() for p in other.proxies())
        print(f"second client ({other.client_id}) sees: {', '.join(names)}")
        contour.Isosurfaces = [150.0]
        other.process_events(timeout=1.0)
        seen = other.proxy(contour.GlobalID).Isosurfaces
        print(f"after processServerEvents the second client sees Isosurfaces = {seen}")
        other.close()
        simple.Disconnect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
