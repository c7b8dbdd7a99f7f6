"""A ParaView state file (.pvsm) loaded on a 2-rank server draws what it draws on the built-in session, and its
readers' files go through the server's data-directory sandbox."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from rendering_checks import changed, foreground, pixels
from servers import ServerProcess

from pvcore.errors import DataAccessError

pytestmark = [pytest.mark.multiprocess, pytest.mark.timeout(240)]

EXTENT = [-10, 10, -10, 10, -10, 10]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding sphere.vtp (a sphere with an Elevation array), written with VTK directly."""
    from vtkmodules.vtkFiltersCore import vtkElevationFilter
    from vtkmodules.vtkFiltersSources import vtkSphereSource
    from vtkmodules.vtkIOXML import vtkXMLPolyDataWriter

    root = tmp_path_factory.mktemp("pvsm-data")
    sphere = vtkSphereSource()
    sphere.SetRadius(4.0), sphere.SetCenter(6.0, 6.0, 0.0), sphere.SetThetaResolution(24), sphere.SetPhiResolution(24)
    elevation = vtkElevationFilter()
    elevation.SetInputConnection(sphere.GetOutputPort())
    writer = vtkXMLPolyDataWriter()
    writer.SetInputConnection(elevation.GetOutputPort()), writer.SetFileName(str(root / "sphere.vtp")), writer.Write()
    return root


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[ServerProcess]:
    with ServerProcess(2, "--multi-clients", "--data-dir", str(data_dir)) as started:
        yield started


def pvsm(proxies: list[tuple[str, str, int, dict]], collections: dict[str, list[tuple[int, str]]]) -> str:
    """A state file in ParaView 5.11's format: ints are proxy references, lists and strings values."""
    root = ET.Element("ParaView")
    state = ET.SubElement(root, "ServerManagerState", version="5.11.0")
    for group, xml_type, gid, properties in proxies:
        proxy = ET.SubElement(state, "Proxy", group=group, type=xml_type, id=str(gid), servers="21")
        for name, value in properties.items():
            prop = ET.SubElement(proxy, "Property", name=name, id=f"{gid}.{name}")
            if isinstance(value, tuple):  # references
                for ref in value:
                    ET.SubElement(prop, "Proxy", value=str(ref), output_port="0")
                continue
            for i, item in enumerate(value if isinstance(value, list) else [value]):
                ET.SubElement(prop, "Element", index=str(i), value=str(item))
    for name, items in collections.items():
        collection = ET.SubElement(state, "ProxyCollection", name=name)
        for gid, item_name in items:
            ET.SubElement(collection, "Item", id=str(gid), name=item_name)
    return ET.tostring(root, encoding="unicode")


def scene(file_name: str) -> str:
    """A read sphere coloured by Elevation, and Wavelet -> Clip by a plane coloured by RTData, in one view."""
    coloured = ["", "", "", "0"]
    initialized = {"ScalarRangeInitialized": 1}
    return pvsm(
        [
            ("sources", "XMLPolyDataReader", 1, {"FileName": file_name}),
            ("sources", "RTAnalyticSource", 2, {"WholeExtent": EXTENT}),
            ("implicit_functions", "Plane", 10, {"Origin": [0, 0, 2], "Normal": [0.3, 0, 1]}),
            ("filters", "Clip", 3, {"Input": (2,), "ClipFunction": (10,), "Invert": 1}),
            ("lookup_tables", "PVLookupTable", 20, {"RGBPoints": [40, 0, 0, 1, 280, 1, 1, 0], **initialized}),
            ("lookup_tables", "PVLookupTable", 21, {"RGBPoints": [0, 0, 1, 0, 1, 1, 0, 1], **initialized}),
            ("representations", "UnstructuredGridRepresentation", 30, {
                "Input": (3,), "ColorArrayName": [*coloured, "RTData"], "LookupTable": (20,),
            }),
            ("representations", "GeometryRepresentation", 31, {
                "Input": (1,), "ColorArrayName": [*coloured, "Elevation"], "LookupTable": (21,), "Opacity": 0.7,
            }),
            ("views", "RenderView", 40, {
                "ViewSize": [240, 180], "CameraPosition": [35, -25, 50], "CameraFocalPoint": [1, 1, 0],
                "CameraViewUp": [0, 1, 0], "Background": [0, 0, 0], "UseColorPaletteForBackground": 0,
                "OrientationAxesVisibility": 0, "Representations": (30, 31),
            }),
        ],
        {
            "sources": [(1, "sphere.vtp"), (2, "Wavelet1"), (3, "Clip1")],
            "lookup_tables": [(20, "RTData.PVLookupTable"), (21, "Elevation.PVLookupTable")],
            "representations": [(30, "UnstructuredGridRepresentation1"), (31, "GeometryRepresentation1")],
            "views": [(40, "RenderView1")],
        },
    )  # fmt: skip


def test_a_paraview_state_draws_the_same_on_two_ranks(simple_state, server, data_dir, tmp_path) -> None:
    simple = simple_state
    path = tmp_path / "scene.pvsm"
    path.write_text(scene("/home/someone/old-data/sphere.vtp"))  # where the file was when ParaView saved it
    results = []
    for url in (None, server.url):
        simple.Connect(url) if url else simple.Connect()
        loaded = simple.LoadState(path, data_directory=str(data_dir)).proxies
        assert simple.GetActiveConnection().GetNumberOfDataPartitions() == (2 if url else 1)
        clip, reader = (loaded[name].GetDataInformation() for name in ("Clip1", "sphere.vtp"))
        assert loaded["sphere.vtp"].FileName == [str(data_dir / "sphere.vtp")]
        results.append((pixels(simple.GetActiveView()), clip.GetNumberOfCells(), reader.GetNumberOfCells()))
        simple.Disconnect()
    (builtin, *counts_builtin), (two_ranks, *counts_two) = results
    assert counts_builtin == counts_two and min(counts_two) > 0
    assert foreground(builtin, (0, 0, 0)).mean() > 0.1
    assert changed(builtin, two_ranks).mean() < 0.01


def test_a_readers_file_outside_the_data_directory_is_refused(simple_state, server, tmp_path) -> None:
    simple = simple_state
    outside = tmp_path / "secret.vtp"
    outside.write_text("<VTKFile/>")
    conn = simple.Connect(server.url)
    before = (set(conn.states), conn.undo_status().undo_labels)  # the server's session outlives its clients
    for name in (str(outside), "../secret.vtp"):
        path = tmp_path / "outside.pvsm"
        path.write_text(scene(name))
        with pytest.raises(DataAccessError, match=r"secret\.vtp"):
            simple.LoadState(path)
        assert (set(conn.states), conn.undo_status().undo_labels) == before
