"""Client-side objects and partial arrays on a 3-rank server: a pipeline proxy's VTK objects are refused with
what to use instead, partial arrays are combined over the ranks' pieces, and a SpreadSheetView's object (made of
fetched data) lists the merged data with each row's validity.
"""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersSources import vtkSphereSource

from pvclient.properties import NotSupportedException

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(60)]


@pytest.fixture
def simple(simple_state, server3):
    """``simple`` connected to the 3-rank server."""
    simple_state.Connect(server3.url)
    return simple_state


def _group(simple):
    """Two calculators of one sphere, grouped: Var1 in the first block only, Var2 in the second only."""
    sphere = simple.Sphere(ThetaResolution=8, PhiResolution=8)
    first = simple.Calculator(Input=sphere, ResultArrayName="Var1", Function="1")
    second = simple.Calculator(Input=sphere, ResultArrayName="Var2", Function="2")
    return simple.GroupDatasets(Input=[first, second])


def test_a_remote_proxys_vtk_object_is_refused_with_what_to_use_instead(simple) -> None:
    sphere = simple.Sphere()
    with pytest.raises(NotSupportedException, match=r"built-in session only.*servermanager\.Fetch"):
        sphere.GetClientSideObject()
    sphere.MarkModified(None)  # nothing a client could have changed: no error


def test_partial_arrays_are_combined_over_the_ranks_pieces(simple) -> None:
    group = _group(simple)
    info = group.GetDataInformation()
    assert info.GetNumberOfPartitions() > 1  # the blocks are split among the ranks
    arrays = info.GetPointDataInformation()
    assert [arrays.GetArrayInformation(n).GetIsPartial() for n in ("Normals", "Var1", "Var2")] == [0, 1, 1]


def test_a_spreadsheet_views_object_lists_the_merged_data(simple) -> None:
    _group(simple)
    view = simple.CreateView("SpreadSheetView")
    simple.Show()
    table = view.GetClientSideObject()
    reference = vtkSphereSource()
    reference.SetThetaResolution(8)
    reference.SetPhiResolution(8)
    reference.Update()
    points = reference.GetOutput().GetNumberOfPoints()
    rows = table.GetNumberOfRows()
    assert rows >= 2 * points  # each block once, its pieces' shared boundary points once per rank
    var1, var2 = table.GetColumnByName("Var1"), table.GetColumnByName("Var2")
    assert table.GetColumnName(1) == "vtkCompositeIndexArray"  # the flat index of each row's block
    for r in range(rows):
        in_first = table.GetValue(r, 1).ToInt() == 1
        assert table.IsDataValid(r, var1) is in_first and table.IsDataValid(r, var2) is not in_first
        assert table.GetValue(r, var1).ToInt() == (1 if in_first else 0)
        assert table.GetValue(r, var2).ToInt() == (0 if in_first else 2)
