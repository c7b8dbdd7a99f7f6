"""What the data I/O tests (tests/multiprocess/test_data_io_*.py) compare: datasets read by VTK in this process,
totals over the leaves of a dataset, points whatever their order, structured grids point for point, and pictures
of a fixed camera across rank counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from servers import ServerProcess

from pvserver.rendering.imaging import decode_image

# Image comparison across rank counts (as in test_rendering.py): cut triangles and depth ties move a few pixels.
SIZE = (240, 180)
BACKGROUND = (0.32, 0.34, 0.43)
MAX_MEAN_ABS_DIFF = 1.0
BAD_PIXEL = 40
MAX_BAD_FRACTION = 0.02


def connect(simple, server: ServerProcess | None, data_dir: Path):
    """Connect (built-in session when server is None); returns how to name a file of the data directory."""
    if server is None:
        simple.Connect()
        return lambda name: str(data_dir / name)  # no sandbox: absolute paths
    simple.Connect(server.url)
    return lambda name: name


def read_local(path: Path) -> Any:
    """The whole file, read by VTK in this process."""
    import importlib

    readers = {
        ".vtu": ("vtkIOXML", "vtkXMLUnstructuredGridReader"),
        ".vtp": ("vtkIOXML", "vtkXMLPolyDataReader"),
        ".vti": ("vtkIOXML", "vtkXMLImageDataReader"),
        ".vts": ("vtkIOXML", "vtkXMLStructuredGridReader"),
        ".vtr": ("vtkIOXML", "vtkXMLRectilinearGridReader"),
        ".vtm": ("vtkIOXML", "vtkXMLMultiBlockDataReader"),
        ".pvtu": ("vtkIOXML", "vtkXMLPUnstructuredGridReader"),
        ".pvtp": ("vtkIOXML", "vtkXMLPPolyDataReader"),
        ".pvti": ("vtkIOXML", "vtkXMLPImageDataReader"),
        ".pvts": ("vtkIOXML", "vtkXMLPStructuredGridReader"),
        ".pvtr": ("vtkIOXML", "vtkXMLPRectilinearGridReader"),
        ".vtk": ("vtkIOLegacy", "vtkDataSetReader"),
        ".stl": ("vtkIOGeometry", "vtkSTLReader"),
        ".ply": ("vtkIOPLY", "vtkPLYReader"),
        ".obj": ("vtkIOGeometry", "vtkOBJReader"),
        ".exo": ("vtkIOExodus", "vtkExodusIIReader"),
    }
    module, name = readers[path.suffix]
    reader = getattr(importlib.import_module(f"vtkmodules.{module}"), name)()
    reader.SetFileName(str(path))
    if path.suffix == ".exo":
        reader.UpdateInformation()
        reader.SetAllArrayStatus(reader.NODAL, 1)
    reader.Update()
    return reader.GetOutputDataObject(0)


def leaves(data: Any) -> list[Any]:
    """The datasets of a composite dataset (or the dataset itself)."""
    if not data.IsA("vtkCompositeDataSet"):
        return [data]
    it = data.NewIterator()
    it.InitTraversal()
    found = []
    while not it.IsDoneWithTraversal():
        found.append(it.GetCurrentDataObject())
        it.GoToNextItem()
    return found


def totals(data: Any, array: str) -> dict[str, Any]:
    """Cells, points, bounds and the range of a point array over every leaf of ``data``."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    parts = [d for d in leaves(data) if d.GetNumberOfPoints()]
    bounds = np.array([d.GetBounds() for d in parts])
    values = [vtk_to_numpy(d.GetPointData().GetArray(array)) for d in parts if d.GetPointData().GetArray(array)]
    joined = np.concatenate(values) if values else None
    return {
        "cells": sum(d.GetNumberOfCells() for d in parts),
        "points": sum(d.GetNumberOfPoints() for d in parts),
        "bounds": [bounds[:, i].min() if i % 2 == 0 else bounds[:, i].max() for i in range(6)],
        "range": None if joined is None else (float(joined.min()), float(joined.max())),
    }


def by_point(data: Any, array: str | None = None, decimals: int = 4) -> dict[tuple, tuple]:
    """Point coordinates (rounded) -> the array's value there: compares datasets whatever their point order."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    coords = np.round(vtk_to_numpy(data.GetPoints().GetData()).astype(np.float64), decimals) + 0.0  # no -0.0
    values = vtk_to_numpy(data.GetPointData().GetArray(array)) if array else np.zeros(len(coords))
    found: dict[tuple, tuple] = {}
    for xyz, value in zip(map(tuple, coords), values, strict=True):
        value = tuple(np.atleast_1d(value).astype(np.float64))
        assert found.setdefault(xyz, value) == value, f"{array} differs between copies of the point {xyz}"
    return found


def assert_same_points(got: Any, expected: Any, array: str | None = None, rtol: float = 0.0) -> None:
    """The same points (whatever their order and copies), with the same values of ``array`` there."""
    mine, theirs = by_point(got, array), by_point(expected, array)
    assert mine.keys() == theirs.keys(), f"{len(mine.keys() ^ theirs.keys())} points differ"
    keys = list(theirs)
    np.testing.assert_allclose([mine[k] for k in keys], [theirs[k] for k in keys], rtol=rtol, err_msg=array)


def assert_same_structured(back: Any, source: Any) -> None:
    """Same type, extent, geometry and point values, point for point in index order."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    assert back.GetClassName() == source.GetClassName()
    assert back.GetExtent() == source.GetExtent()
    if source.IsA("vtkImageData"):
        assert back.GetSpacing() == pytest.approx(source.GetSpacing())
        assert back.GetOrigin() == pytest.approx(source.GetOrigin())
    elif source.IsA("vtkRectilinearGrid"):
        for axis in "XYZ":
            coords = [vtk_to_numpy(getattr(grid, f"Get{axis}Coordinates")()) for grid in (back, source)]
            np.testing.assert_array_equal(*coords)
    else:
        points = [vtk_to_numpy(grid.GetPoints().GetData()) for grid in (back, source)]
        np.testing.assert_array_equal(*points)
    np.testing.assert_array_equal(
        vtk_to_numpy(back.GetPointData().GetArray("RTData")), vtk_to_numpy(source.GetPointData().GetArray("RTData"))
    )


def fixed_view(simple, position, focal=(0.0, 0.0, 0.0)):
    view = simple.CreateRenderView(ViewSize=list(SIZE), Background=list(BACKGROUND), OrientationAxesVisibility=0)
    view.CameraPosition = list(position)
    view.CameraFocalPoint = list(focal)
    view.CameraViewUp = [0.0, 1.0, 0.0]
    view.CameraInitialized = 1  # no reset on the first render: every session sees exactly this camera
    simple._DisableFirstRenderCameraReset()  # nor on the session's first Render(), as a ParaView trace says
    return view


def pixels(view) -> np.ndarray:
    return decode_image(view.CaptureImage().data).astype(np.int32)


def foreground(image: np.ndarray) -> np.ndarray:
    return np.abs(image - np.round(np.asarray(BACKGROUND) * 255).astype(np.int32)).max(axis=2) > 3


def assert_same_image(reference: np.ndarray, image: np.ndarray, where: str) -> None:
    assert image.shape == reference.shape, where
    diff = np.abs(image - reference)
    geometry = foreground(reference) | foreground(image)
    bad = float((diff.max(axis=2) > BAD_PIXEL).sum() / max(1, geometry.sum()))
    assert diff.mean() < MAX_MEAN_ABS_DIFF, f"{where}: mean difference {diff.mean():.2f}"
    assert bad < MAX_BAD_FRACTION, f"{where}: {bad:.1%} of the geometry pixels differ"
