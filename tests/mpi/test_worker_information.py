"""The worker loop across real MPI ranks: the data information gathered from the ranks equals serial VTK's.

Run on several ranks: ``mpiexec -n 2 python -m pytest --with-mpi tests/mpi/test_worker_information.py`` (also -n 1,
-n 3). Rank 0 drives the commands, as the engine does; the other ranks serve in :func:`pvserver.worker.run_worker`
until rank 0 sends Shutdown (tests/worker_harness.py). Expected values come from VTK run serially in the test process.
"""

from __future__ import annotations

import pytest
from worker_harness import (
    Collective,
    create,
    information,
    run_on_ranks,
    serial_sphere,
    serial_wavelet,
    values,
)

from pvcore.messages import DataInformation
from pvserver import commands
from pvserver.pipeline.executor import RankExecutor
from pvserver.pipeline.information import merge_information
from pvserver.session import Session

pytestmark = pytest.mark.timeout(60)


def serial_contour(source, value: float):
    from vtkmodules.vtkFiltersCore import vtkContourFilter

    contour = vtkContourFilter()
    contour.SetInputConnection(source.GetOutputPort())
    contour.SetInputArrayToProcess(0, 0, 0, 0, "RTData")
    contour.SetValue(0, value)
    contour.Update()
    return contour.GetOutput()


def wavelet_piece_points(size: int) -> int:
    """Points of the wavelet pieces that ``size`` ranks hold, counted piece by piece (shared planes repeat)."""
    from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

    total = 0
    for piece in range(size):
        src = vtkRTAnalyticSource()
        src.SetWholeExtent(-10, 10, -10, 10, -10, 10)
        src.UpdatePiece(piece, size, 0)
        total += src.GetOutput().GetNumberOfPoints()
    return total


@pytest.mark.mpi(min_size=1)
def test_merged_information_equals_serial_vtk(comm) -> None:
    size = comm.Get_size()

    def script(collective: Collective, executor: RankExecutor) -> dict:
        session = Session()
        wavelet = create(session, collective, "sources", "Wavelet")
        winfo = information(collective, wavelet)
        contour = create(session, collective, "filters", "Contour", info=winfo, Input=(wavelet,))
        return {
            "wavelet": winfo,
            "contour": information(collective, contour),
            "iso": session.state(contour).properties["Isosurfaces"],
            "contour_by": session.state(contour).properties["ContourBy"],
        }

    found, codes = run_on_ranks(comm, script)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size
    source = serial_wavelet()
    ref = source.GetOutput()
    winfo: DataInformation = found["wavelet"]
    assert winfo.number_of_partitions == size
    assert winfo.number_of_cells == ref.GetNumberOfCells()
    assert winfo.number_of_points == wavelet_piece_points(size)
    assert winfo.bounds == pytest.approx(ref.GetBounds())
    (rtdata,) = [a for a in winfo.point_arrays if a.name == "RTData"]
    lo, hi = ref.GetPointData().GetArray("RTData").GetRange()
    assert rtdata.ranges == pytest.approx([lo, hi])
    assert found["contour_by"] == ("POINTS", "RTData")
    assert found["iso"] == pytest.approx(((lo + hi) / 2,))
    contour_ref = serial_contour(source, found["iso"][0])
    cinfo: DataInformation = found["contour"]
    assert cinfo.number_of_cells == contour_ref.GetNumberOfCells()
    assert cinfo.bounds == pytest.approx(contour_ref.GetBounds())
    if size == 1:
        assert cinfo.number_of_points == contour_ref.GetNumberOfPoints()
    else:
        assert cinfo.number_of_points >= contour_ref.GetNumberOfPoints()


@pytest.mark.mpi(min_size=1)
def test_sphere_pieces_add_up_to_the_serial_sphere(comm) -> None:
    size = comm.Get_size()

    def script(collective: Collective, executor: RankExecutor) -> tuple[list[DataInformation], DataInformation]:
        session = Session()
        sphere = create(session, collective, "sources", "Sphere")
        pieces = values(collective(commands.CollectInformation(sphere)))
        return pieces, merge_information(pieces)

    found, codes = run_on_ranks(comm, script)
    if comm.Get_rank() != 0:
        return
    assert codes == [0] * size
    pieces, total = found
    ref = serial_sphere()
    assert len(pieces) == size
    assert total.number_of_cells == ref.GetNumberOfCells()
    assert total.bounds == pytest.approx(ref.GetBounds(), abs=1e-6)
    assert total.number_of_partitions == sum(1 for p in pieces if p.number_of_cells) >= min(size, 2)
