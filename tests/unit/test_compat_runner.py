"""The ParaView compatibility runner (scripts/compat): how it picks the corpus and how it judges a run.

The runner itself needs real ParaView and is not part of CI; these parts of it are plain Python and are checked
here on a made-up source tree and made-up results.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkIOImage import vtkPNGWriter

COMPAT = Path(__file__).resolve().parents[2] / "scripts" / "compat"
sys.path.insert(0, str(COMPAT))
import corpus  # noqa: E402 - the runner's modules are scripts, found through their folder
import run  # noqa: E402


def _tree(tmp_path: Path) -> Path:
    folder = tmp_path / corpus.TEST_FOLDERS[1]
    folder.mkdir(parents=True)
    scripts = {
        "Registered.py": "from paraview.simple import *\nSphere()\n",
        "ReadsData.py": "from paraview import smtesting\nr = OpenDataFile(smtesting.DataDir + '/can.ex2')\n",
        "Batch.py": "from paraview.simple import *\nCone()\n",
        "Unregistered.py": "print('never run')\n",
    }
    for name, text in scripts.items():
        (folder / name).write_text(text)
    (folder / "CMakeLists.txt").write_text(
        "# Unregistered.py is only named in this comment\n"
        "set(PY_TESTS\n  Registered.py\n  ReadsData.py,NO_VALID\n)\n"
        "set(PVBATCH_TESTS\n  Batch.py\n)\n"
    )
    for other in (*corpus.TEST_FOLDERS[:1], *corpus.TEST_FOLDERS[2:]):
        (tmp_path / other).mkdir(parents=True)
        (tmp_path / other / "CMakeLists.txt").write_text("")
    return tmp_path


def test_the_corpus_is_the_registered_scripts_that_read_no_data(tmp_path: Path) -> None:
    chosen, left_out = corpus.select(_tree(tmp_path))
    assert [(s.name, s.batch) for s in chosen] == [("Batch", True), ("Registered", False)]
    assert left_out == {"ReadsData": "reads input data"}


def _png(path: Path, pixels: np.ndarray) -> Path:
    image = vtkImageData()
    height, width, _ = pixels.shape
    image.SetDimensions(width, height, 1)
    image.GetPointData().SetScalars(numpy_to_vtk(pixels.reshape(-1, 3), deep=True))
    writer = vtkPNGWriter()
    writer.SetFileName(str(path))
    writer.SetInputData(image)
    writer.Write()
    return path


def test_a_run_matches_only_with_the_same_output_and_pictures(tmp_path: Path) -> None:
    grey = np.full((40, 50, 3), 100, dtype=np.uint8)
    speck = grey.copy()
    speck[0, 0] = 255  # one pixel of 2,000: within the tolerance
    blob = grey.copy()
    blob[:20] = 255  # half the picture
    reference = run.Outcome("passed", output=["1 0.213312"], images=[_png(tmp_path / "a.png", grey)])
    assert run.verdict(
        reference, run.Outcome("passed", output=["1 0.213312"], images=[_png(tmp_path / "b.png", speck)])
    )[0]

    ok, why = run.verdict(reference, run.Outcome("passed", output=["1 0.2"], images=reference.images))
    assert not ok and "'1 0.2'" in why and "'1 0.213312'" in why
    ok, why = run.verdict(
        reference, run.Outcome("passed", output=reference.output, images=[_png(tmp_path / "c.png", blob)])
    )
    assert not ok and "50%" in why
    ok, why = run.verdict(reference, run.Outcome("failed", "NameError: name 'Gradient' is not defined"))
    assert not ok and "Gradient" in why
    ok, why = run.verdict(reference, run.Outcome("passed", output=reference.output, images=[]))
    assert not ok and "0 images" in why


def test_pictures_of_different_sizes_differ_entirely(tmp_path: Path) -> None:
    small = _png(tmp_path / "small.png", np.zeros((10, 10, 3), dtype=np.uint8))
    large = _png(tmp_path / "large.png", np.zeros((10, 12, 3), dtype=np.uint8))
    assert run.image_difference(small, large) == 1.0
    assert run.image_difference(small, small) == 0.0


@pytest.mark.parametrize("line", ["vtkSphereSource (0x55d2c1a3b2c0)", "took 1.25 s"])
def test_addresses_and_timings_do_not_count_as_output(line: str) -> None:
    assert run._NOISE.sub("#", line) != line
