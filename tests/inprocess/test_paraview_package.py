"""``paraview``: ParaView's package name, for scripts written for ParaView (no edit needed)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from vtkmodules.vtkFiltersSources import vtkSphereSource

import paraview
import simple


def test_the_paraview_names_are_simples_own_modules() -> None:
    import paraview.collaboration
    import paraview.servermanager
    import paraview.simple

    assert paraview.simple is simple and paraview.servermanager is simple.servermanager
    assert paraview.collaboration is simple.collaboration


def test_a_paraview_script_runs_unchanged() -> None:
    """In a fresh interpreter, as a script would: the compatibility set first, then the star imports."""
    script = textwrap.dedent(
        """
        import paraview
        paraview.compatibility.major = 5
        paraview.compatibility.minor = 10
        from paraview.simple import *
        from paraview import servermanager
        from paraview.collaboration import *
        sphere = Sphere(ThetaResolution=16)
        shrink = Shrink(Input=sphere)
        print(shrink.GetDataInformation().GetNumberOfCells(), servermanager.ActiveConnection is not None)
        print(IsMaster(), paraview.compatibility.GetVersion() < (5, 11))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    sphere = vtkSphereSource()
    sphere.SetThetaResolution(16)
    sphere.Update()  # Shrink keeps every cell
    assert out.stdout.split() == [str(sphere.GetOutput().GetNumberOfCells()), "True", "True", "True"], out.stderr


def test_compatibility_compares_as_paraview_does() -> None:
    version = paraview.compatibility.GetVersion()
    assert not version and not version < (4, 1) and not version <= 4.1 and version > (4, 1) and version >= 99
    try:
        paraview.compatibility.major, paraview.compatibility.minor = 5, 9
        version = paraview.compatibility.GetVersion()
        # As ParaView 5.11's pvpython prints: 5.9 is (5, 9), below (5, 10) but not below the number 5.91.
        assert version < (5, 10) and not version < 5.91 and version >= (5, 9) and not version > 5.9
        assert repr(version) == "(5, 9)"
    finally:
        paraview.compatibility.major = paraview.compatibility.minor = None
