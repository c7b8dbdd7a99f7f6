"""A filter that combines the ranks' pieces (a collective: MinMax, IntegrateVariables, Clean, StreamTracer...) never
leaves the ranks waiting when something upstream of it fails on some ranks only: every rank agrees that its
inputs are up to date before any runs it, the failing rank's error reaches the client, and the server goes on.
"""

from __future__ import annotations

import pytest

from pvcore.errors import PVError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(120)]

# Fails on rank 1 only, on its first run (the marker file makes the next run succeed): a failure no other rank sees.
FAILS_ON_RANK_1 = """
from mpi4py import MPI
if MPI.COMM_WORLD.Get_rank() == 1 and not self.GetInformation().Has(self.INPUT_IS_OPTIONAL()):
    raise ValueError('piece of rank 1 is broken')
output.ShallowCopy(inputs[0].VTKObject)
"""


@pytest.fixture
def simple(simple_state, server3):
    simple_state.Connect(server3.url)
    return simple_state


@pytest.mark.parametrize(
    ("collective", "settings"),
    [("MinMax", {"Operation": "MAX"}), ("IntegrateVariables", {}), ("Clean", {}), ("Histogram", {})],
)
def test_an_upstream_failure_on_one_rank_reaches_the_client_instead_of_a_hang(simple, collective, settings) -> None:
    wavelet = simple.Wavelet()
    broken = simple.ProgrammableFilter(Input=simple.ExtractSurface(Input=wavelet), Script=FAILS_ON_RANK_1)
    with pytest.raises(PVError, match="piece of rank 1 is broken"):  # on create (a default from the data) or update
        getattr(simple, collective)(Input=broken, **settings).UpdatePipeline()
    # The ranks are free: a collective of the same kind on a healthy input runs at once.
    healthy = getattr(simple, collective)(Input=simple.ExtractSurface(Input=wavelet), **settings)
    info = healthy.GetDataInformation()
    assert info.GetNumberOfPoints() > 0 or info.GetDataClassName() == "vtkTable"
