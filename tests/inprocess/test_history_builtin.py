"""Undo/redo and state files through ``simple`` on the built-in session."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pvcore.errors import StateFileError, UndoError
from pvserver.rendering.imaging import decode_image

pytestmark = pytest.mark.timeout(120)


def names(simple) -> list[str]:
    return sorted(name for name, _ in simple.GetSources())


def test_undo_redo_of_creation_change_deletion(simple_state) -> None:
    simple = simple_state
    wavelet = simple.Wavelet()
    contour = simple.Contour(Input=wavelet, Isosurfaces=[150.0])
    cells = contour.GetDataInformation().GetNumberOfCells()
    contour.Isosurfaces = [100.0]
    simple.Delete(contour)
    assert names(simple) == ["Wavelet1"]
    simple.Undo()  # the deletion: same id, same input, same data
    restored = simple.FindSource("Contour1")
    assert restored.GlobalID == contour.GlobalID and restored.Input == wavelet
    assert restored.Isosurfaces == [100.0]
    simple.Undo()
    assert restored.Isosurfaces == [150.0]
    assert restored.GetDataInformation().GetNumberOfCells() == cells
    simple.Undo()
    assert names(simple) == ["Wavelet1"]
    assert simple.CanRedo()
    simple.Redo()
    assert simple.FindSource("Contour1").GetDataInformation().GetNumberOfCells() == cells
    simple.Sphere()  # a new change clears the redo branch
    assert not simple.CanRedo()
    with pytest.raises(UndoError, match="Nothing to redo"):
        simple.Redo()


def test_undo_sets_and_cameras(simple_state) -> None:
    simple = simple_state
    sphere = simple.Sphere()
    simple.BeginUndoSet("Filters")
    simple.Shrink(Input=sphere)
    simple.Elevation(Input=sphere)
    simple.EndUndoSet()
    view = simple.CreateRenderView()
    rep = simple.Show(sphere, view)
    simple.Render(view)
    before = list(view.CameraPosition)
    simple.GetActiveCamera().Azimuth(40)  # a camera move is not an undo step
    rep.Opacity = 0.5
    simple.Undo()
    assert rep.Opacity == 1.0
    assert list(view.CameraPosition) != before
    simple.Undo()  # Show: the representation goes
    simple.Undo()  # the view
    simple.Undo()  # both filters at once
    assert names(simple) == ["Sphere1"]


def test_state_round_trip_gives_the_same_picture(simple_state, tmp_path) -> None:
    simple = simple_state
    wavelet = simple.Wavelet()
    clip = simple.Clip(Input=wavelet, ClipType="Sphere")
    clip.ClipType.Radius = 8.0
    contour = simple.Contour(Input=wavelet, Isosurfaces=[130.0, 190.0])
    view = simple.CreateRenderView(ViewSize=[200, 150])
    rep = simple.Show(contour, view)
    simple.ColorBy(rep, ("POINTS", "RTData"))
    simple.GetColorTransferFunction("RTData").ApplyPreset("Viridis")
    simple.Show(clip, view).Opacity = 1.0
    simple.Render(view)
    simple.GetActiveCamera().Elevation(30)
    first = decode_image(view.CaptureImage().data)
    path = tmp_path / "session.json"
    simple.SaveState(path)
    document = json.loads(path.read_text())
    assert document["format"] == "pvcollab-state" and document["version"] == 1
    assert {p["type"] for p in document["proxies"]} >= {
        "Wavelet",
        "Clip",
        "Sphere",
        "Contour",
        "RenderView",
        "GeometryRepresentation",
        "PVLookupTable",
    }
    simple.Disconnect()
    simple.Connect()
    simple.LoadState(path)
    assert names(simple) == ["Clip1", "Contour1", "Wavelet1"]
    assert simple.FindSource("Clip1").ClipType.Radius == 8.0
    second = decode_image(simple.GetActiveView().CaptureImage().data)
    assert first.shape == second.shape
    assert np.abs(first.astype(int) - second.astype(int)).max() <= 2
    simple.Undo()  # a loaded state is one undo step
    assert names(simple) == []


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "broken JSON"),
        ('{"format": "something else"}', "not a pvcollab-state"),
        ('{"format": "pvcollab-state", "version": 99, "proxies": []}', "Upgrade"),
        (
            '{"format": "pvcollab-state", "version": 1, "proxies": [{"id": 1, "group": "sources", "type": "Nope", '
            '"name": "x", "parent": 0, "properties": {}}]}',
            "Nope",
        ),
        (
            '{"format": "pvcollab-state", "version": 1, "proxies": [{"id": 2, "group": "filters", "type": "Shrink", '
            '"name": "x", "parent": 0, "properties": {"Input": [1]}}]}',
            "does not contain",
        ),
        (
            '{"format": "pvcollab-state", "version": 1, "proxies": [{"id": 1, "group": "sources", "type": "Sphere", '
            '"name": "x", "parent": 0, "properties": {"Radius": [-1]}}]}',
            "Radius",
        ),
    ],
)
def test_bad_state_files_are_refused_and_change_nothing(simple_state, tmp_path, content, message) -> None:
    simple = simple_state
    simple.Sphere()
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(StateFileError, match=message):
        simple.LoadState(path)
    assert names(simple) == ["Sphere1"]
    assert simple.CanUndo()
