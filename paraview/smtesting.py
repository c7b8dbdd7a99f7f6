"""``paraview.smtesting``: ParaView's regression-testing helpers for scripts run as tests.

``ProcessCommandLineArguments()`` reads ParaView's test options from ``sys.argv``: ``-D`` the data directory,
``-T`` the directory for test output, ``-V`` the baseline image, ``-S`` the state directory, ``--threshold``.
``DoRegressionTesting(view)`` renders a view and compares the image with the baseline as VTK's testing does
(vtkImageDifference's thresholded error, at most ``Threshold``; baselines ``name_1.png``, ``name_2.png``... beside
the baseline are tried too). A failed comparison, or no baseline, writes the image made (and the difference) into
the ``-T`` directory and returns False.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from vtkmodules.vtkImagingCore import vtkImageDifference, vtkImageExtractComponents, vtkImageShiftScale
from vtkmodules.vtkIOCore import vtkMemoryResourceStream
from vtkmodules.vtkIOImage import vtkPNGReader, vtkPNGWriter

import simple
from pvcore.errors import StateFileError


class TestError(Exception):
    """Raised by test scripts when a check fails."""


DataDir = ""
TempDir = ""
BaselineImage = ""
Threshold = 10.0
SMStatesDir = ""
StateXMLFileName = ""
UseSavedStateForRegressionTests = False
__ProcessedCommandLineArguments__ = False

#: How many alternative baselines (``name_1.png``...) are tried, as vtkTesting does.
MAX_ALTERNATIVE_BASELINES = 10


def Error(message: str) -> bool:
    """Print an error as ParaView's testing does; returns False."""
    print(f"ERROR: {message}")
    return False


def ProcessCommandLineArguments() -> None:
    """Read -D, -T, -V, -S, --threshold, --state and --use_saved_state from ``sys.argv`` (once)."""
    global DataDir, TempDir, BaselineImage, Threshold, SMStatesDir, StateXMLFileName
    global UseSavedStateForRegressionTests, __ProcessedCommandLineArguments__
    if __ProcessedCommandLineArguments__:
        return
    __ProcessedCommandLineArguments__ = True
    args = sys.argv[1:]
    index = 0
    while index < len(args):
        key = args[index]
        value = args[index + 1] if index + 1 < len(args) else None
        if key == "--use_saved_state":
            UseSavedStateForRegressionTests = True
            index += 1
            continue
        if value is not None and key in ("-D", "-V", "-T", "-S", "--threshold", "--state"):
            if key == "-D":
                DataDir = value
            elif key == "-V":
                BaselineImage = value
            elif key == "-T":
                TempDir = value
            elif key == "-S":
                SMStatesDir = value
            elif key == "--threshold":
                Threshold = float(value)
            else:
                StateXMLFileName = value
            index += 2
            continue
        index += 1


def LoadServerManagerState(filename: str) -> bool:
    """Load a ParaView state file (.pvsm) on the active connection, with ``${DataDir}`` in it replaced by the
    ``-D`` directory, as ParaView's testing does; prints an ``ERROR:`` line and returns False when the file cannot
    be read or loaded (the reason follows on the next line)."""
    ProcessCommandLineArguments()
    try:
        with open(filename, encoding="utf-8", errors="replace") as file:
            text = file.read()
    except OSError:
        return Error(f"Failed to open state file {filename}")
    # The substituted copy is loaded from a private temporary file: LoadState reads state files by name.
    handle, copy = tempfile.mkstemp(suffix=".pvsm", prefix="smtesting-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text.replace("${DataDir}", DataDir))
        simple.LoadState(copy)
    except StateFileError as exc:
        Error(f"Failed to load state file {filename}")
        print(exc)
        return False
    finally:
        os.unlink(copy)
    return True


def _view_of(view_or_proxy: Any) -> Any:
    """The Python view proxy: from a view, its ``SMProxy``, or None (the active view)."""
    view = getattr(view_or_proxy, "PythonProxy", view_or_proxy)
    if view is None:
        view = simple.GetActiveView()
    if view is None or not hasattr(view, "CaptureImage"):
        raise TestError("DoRegressionTesting needs a render view: pass one, or create one first (Show, Render).")
    return view


def _read_png(data: bytes | None = None, path: Path | None = None) -> Any:
    reader = vtkPNGReader()
    if path is not None:
        reader.SetFileName(str(path))
    else:
        stream = vtkMemoryResourceStream()
        stream.SetBuffer(data or b"", len(data or b""), True)  # the stream keeps its own copy of the bytes
        reader.SetStream(stream)
    reader.Update()
    return reader.GetOutput()


def _baselines(baseline: Path) -> list[Path]:
    """The baseline and its alternatives (``name_1.png``...) that exist."""
    found = [baseline] if baseline.is_file() else []
    for n in range(1, MAX_ALTERNATIVE_BASELINES):
        other = baseline.with_name(f"{baseline.stem}_{n}{baseline.suffix}")
        if not other.is_file():
            break
        found.append(other)
    return found


def image_error(test: Any, baseline: Any) -> float:
    """vtkImageDifference's thresholded error between two images (infinite when their sizes differ)."""
    if test.GetDimensions() != baseline.GetDimensions():
        return float("inf")
    difference = vtkImageDifference()
    difference.SetInputData(test)
    difference.SetImageData(baseline)
    difference.Update()
    return difference.GetThresholdedError()


def _write(image: Any, path: Path) -> None:
    writer = vtkPNGWriter()
    writer.SetFileName(str(path))
    writer.SetInputData(image)
    writer.Write()


def DoRegressionTesting(view_or_proxy: Any = None) -> bool:
    """Render ``view_or_proxy`` (a view or its ``SMProxy``; default: the active view) and compare the image with
    the ``-V`` baseline; True when the error is at most ``Threshold``. Prints VTK's testing lines (the
    ``DartMeasurement`` tags a test dashboard reads) as ParaView's does."""
    ProcessCommandLineArguments()
    view = _view_of(view_or_proxy)
    simple.rendering.prepare_first_render(view)  # as ParaView's: the camera the view has, no reset
    test = _rgb(_read_png(view.CaptureImage(fmt="png").data))
    if test.GetNumberOfPoints() == 0:
        raise TestError(f"{view.GetRegistrationName()} gave no image to compare.")
    name = Path(BaselineImage).name if BaselineImage else f"{Path(sys.argv[0] or 'test').stem}.png"
    out = Path(TempDir or ".")
    candidates = _baselines(Path(BaselineImage)) if BaselineImage else []
    if not candidates:
        if out.is_dir():
            _write(test, out / name)
        print(f'<DartMeasurement name="ImageNotFound" type="text/string">{BaselineImage}</DartMeasurement>')
        print(f'<DartMeasurementFile name="TestImage" type="image/png">{out / name}</DartMeasurementFile>')
        return Error(f"No baseline image (-V {BaselineImage!r}); the image made is {out / name}.")
    errors = [image_error(test, _rgb(_read_png(path=p))) for p in candidates]
    best = errors.index(min(errors))
    print(f'<DartMeasurement name="ImageError" type="numeric/double">{errors[best]:g}</DartMeasurement>', end="")
    which = "Standard" if best == 0 else str(best)
    print(f'<DartMeasurement name="BaselineImage" type="text/string">{which}</DartMeasurement>', end="")
    if errors[best] <= Threshold:
        print()
        return True
    if out.is_dir():
        _write(test, out / name)
        print(f'<DartMeasurementFile name="TestImage" type="image/png">{out / name}</DartMeasurementFile>')
        if errors[best] != float("inf"):
            diff = out / f"{Path(name).stem}.diff.png"
            _write(_difference_image(test, _rgb(_read_png(path=candidates[best]))), diff)
    print(f"Failed Image Test ( {name} ) : {errors[best]:g}")
    return Error("Regression Test Failed!")


def _rgb(image: Any) -> Any:
    """The colour components of an image (a baseline with alpha compares as VTK's testing compares it)."""
    if image.GetNumberOfScalarComponents() <= 3:
        return image
    extract = vtkImageExtractComponents()
    extract.SetInputData(image)
    extract.SetComponents(0, 1, 2)
    extract.Update()
    return extract.GetOutput()


def _difference_image(test: Any, baseline: Any) -> Any:
    difference = vtkImageDifference()
    difference.SetInputData(test)
    difference.SetImageData(baseline)
    scale = vtkImageShiftScale()  # VTK writes the difference brightened, so that small errors show
    scale.SetInputConnection(difference.GetOutputPort())
    scale.SetScale(10)
    scale.ClampOverflowOn()
    scale.SetOutputScalarTypeToUnsignedChar()
    scale.Update()
    return scale.GetOutput()


__all__ = [
    "BaselineImage",
    "DataDir",
    "DoRegressionTesting",
    "Error",
    "LoadServerManagerState",
    "ProcessCommandLineArguments",
    "SMStatesDir",
    "TempDir",
    "TestError",
    "Threshold",
    "image_error",
]
