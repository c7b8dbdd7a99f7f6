"""A rank whose piece is empty has an empty result, not a failure: filters that VTK makes complain about empty input
("No data to smooth!") run on data that only one rank holds (a Cylinder is not split among the ranks)."""

from __future__ import annotations

import pytest

from pvcore.errors import PipelineError


@pytest.mark.parametrize("name", ["Smooth", "Decimate"])
def test_a_filter_of_data_one_rank_holds_gives_the_one_rank_result(simple_state, server2, name: str) -> None:
    simple = simple_state

    def counts() -> tuple[int, int]:
        data = getattr(simple, name)(Input=simple.Triangulate(Input=simple.Cylinder(Resolution=12)))
        info = data.GetDataInformation()
        return info.GetNumberOfPoints(), info.GetNumberOfCells()

    simple.Connect()
    alone = counts()
    simple.Disconnect()
    simple.Connect(server2.url)
    assert counts() == alone and alone[1] > 0


def test_a_filter_that_fails_on_real_data_still_fails(simple_state, server2) -> None:
    """The rule is for empty pieces only: a line cannot be decimated, on any rank count."""
    simple = simple_state
    simple.Connect(server2.url)
    with pytest.raises(PipelineError, match="No data to decimate"):
        simple.Decimate(Input=simple.Line(Resolution=10)).UpdatePipeline()
