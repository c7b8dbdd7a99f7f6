"""What rendering needs from the pipeline: the renderer and the view bounds draw from a PipelineAccess alone.

Every check looks at pixels (decoded with ``pvserver.rendering.imaging.decode_image``) or at numbers computed by
VTK called directly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rendering_checks import BLACK

from pvcore.errors import PipelineError
from pvcore.messages import ProxyState
from pvserver import commands
from pvserver.parallel import SerialComm
from pvserver.rendering.bounds import local_view_bounds
from pvserver.rendering.imaging import decode_image
from pvserver.rendering.views import RankRenderer

pytestmark = pytest.mark.timeout(60)


# ------------------------------------------------------------------------------------------ what rendering needs


class FakePipeline:
    """Only what pvserver.rendering.pipeline_access.PipelineAccess lists: rendering must need no executor."""

    def __init__(self, states: list[ProxyState], outputs: dict) -> None:
        self.comm = SerialComm()
        self.view_states = {s.global_id: s for s in states}
        self.outputs = outputs
        self.updated: list[int] = []

    def update(self, global_id: int, ghost_levels: int = 0, time: float | None = None):
        self.updated.append(global_id)
        found = self.outputs[global_id]
        if isinstance(found, Exception):
            raise found
        return found

    def output_type(self, global_id: int) -> str:
        return self.outputs[global_id].GetClassName()

    def whole_extent(self, global_id: int) -> list[int] | None:
        return None


def sphere_data(center=(0.0, 0.0, 0.0), radius=1.0):
    from vtkmodules.vtkFiltersSources import vtkSphereSource

    source = vtkSphereSource()
    source.SetCenter(*center)
    source.SetRadius(radius)
    source.SetThetaResolution(32)
    source.SetPhiResolution(32)
    source.Update()
    return source.GetOutput()


def view_state(rep_ids, **props) -> ProxyState:
    camera = {
        "CameraPosition": (0.0, 0.0, 6.0),
        "CameraFocalPoint": (0.0, 0.0, 0.0),
        "CameraViewUp": (0.0, 1.0, 0.0),
        "CameraViewAngle": (30.0,),
        "CameraParallelProjection": (0,),
        "CameraParallelScale": (1.0,),
    }
    properties = {"Representations": tuple(rep_ids), "Background": BLACK, "OrientationAxesVisibility": (0,)}
    return ProxyState(1, "views", "RenderView", "RenderView1", {**properties, **camera, **props})


def rep_state(global_id: int, input_id: int, visible: int = 1, **props) -> ProxyState:
    properties = {
        "Input": (input_id,),
        "Visibility": (visible,),
        "Representation": ("Surface",),
        "DiffuseColor": (1.0, 0.0, 0.0),
        "AmbientColor": (1.0, 1.0, 1.0),
        "EdgeColor": (0.0, 0.0, 0.5),
        "Opacity": (1.0,),
        "PointSize": (2.0,),
        "LineWidth": (1.0,),
        **props,
    }
    return ProxyState(global_id, "representations", "GeometryRepresentation", f"Rep{global_id}", properties)


def test_the_renderer_draws_from_a_pipeline_access_alone() -> None:
    pipeline = FakePipeline([view_state([2]), rep_state(2, 10)], {10: sphere_data()})
    renderer = RankRenderer(pipeline)
    try:
        result = renderer.render(commands.RenderView(1, 80, 60))
    finally:
        renderer.close()
    image = decode_image(result["image"].data).astype(np.int32)
    assert image.shape == (60, 80, 3)
    assert image[30, 40, 0] > 100 and image[30, 40, 1:].max() < 30  # the red sphere in the middle
    assert not image[0, 0].any()  # on the black background
    assert pipeline.updated == [10]


def test_view_bounds_are_the_union_of_the_visible_representations() -> None:
    states = [view_state([2, 3, 4]), rep_state(2, 10), rep_state(3, 11), rep_state(4, 12, visible=0)]
    outputs = {10: sphere_data((-4.0, 0.0, 0.0)), 11: sphere_data((3.0, 2.0, 1.0), 0.5), 12: sphere_data((99, 0, 0))}
    pipeline = FakePipeline(states, outputs)
    bounds = local_view_bounds(pipeline, 1)
    a, b = outputs[10].GetBounds(), outputs[11].GetBounds()
    assert bounds == pytest.approx([min(a[0], b[0]), max(a[1], b[1]), a[2], max(a[3], b[3]), a[4], max(a[5], b[5])])
    assert pipeline.updated == [10, 11]  # the hidden one is not updated
    assert local_view_bounds(FakePipeline([view_state([])], {}), 1) is None  # nothing shown


def test_view_bounds_update_every_representation_before_raising() -> None:
    """Updates may be collective: a rank whose first update failed still makes the others, then raises."""
    states = [view_state([2, 3]), rep_state(2, 10), rep_state(3, 11)]
    pipeline = FakePipeline(states, {10: PipelineError("Sphere1 failed"), 11: sphere_data()})
    with pytest.raises(PipelineError, match="Sphere1"):
        local_view_bounds(pipeline, 1)
    assert pipeline.updated == [10, 11]


def test_rendering_imports_nothing_that_runs_the_pipeline() -> None:
    """pvserver.rendering depends on the pipeline through PipelineAccess only: never on the executor, the engine
    or the service (at the top of a module or inside a function)."""
    import ast

    root = Path(__file__).resolve().parents[2] / "pvserver" / "rendering"
    forbidden = ("pvserver.pipeline.executor", "pvserver.engine", "pvserver.service", "pvserver.worker")
    found = []
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            found += [f"{path.name} imports {n}" for n in names if n.startswith(forbidden)]
    assert not found
