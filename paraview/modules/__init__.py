"""``paraview.modules``: Python equivalents of the ParaView C++ classes that scripts import by module name.

ParaView exposes each of its C++ modules here (``from paraview.modules.vtkRemotingCore import
vtkPVDataInformation``). This project offers, as Python classes with ParaView's method names:

- :mod:`paraview.modules.vtkRemotingCore`: vtkPVDataInformation, vtkPVDataSetAttributesInformation and
  vtkPVArrayInformation (information about a VTK data object in this process, partial arrays included);
- :mod:`paraview.modules.vtkRemotingViews`: vtkSMPVRepresentationProxy's static colour-map calls on a
  representation (``rep.SMProxy``);
- :mod:`paraview.modules.vtkPVVTKExtensionsMisc`: vtkCleanArrays (partial arrays removed or filled).

The other module names of ParaView raise a NotSupportedException that says what to use instead.
"""

from __future__ import annotations

from typing import Any

from simple.servermanager import NotSupportedException

#: The modules offered here (imported on first use: they load VTK).
OFFERED = ("vtkRemotingCore", "vtkRemotingViews", "vtkPVVTKExtensionsMisc")
#: ParaView 5.11's other module names that scripts import, and what to use here instead.
NOT_OFFERED = {
    "vtkRemotingServerManager": "paraview.simple and paraview.servermanager (the Python proxies, proxy.SMProxy)",
    "vtkRemotingApplication": "paraview.simple (no C++ application object: import simple)",
    "vtkRemotingAnimation": "simple.GetAnimationScene() and simple.GetTimeKeeper()",
    "vtkRemotingMisc": "paraview.simple",
    "vtkRemotingSettings": "the properties of each proxy (no settings proxies)",
    "vtkRemotingExport": "simple.ExportView(filename) and simple.SaveScreenshot(filename)",
    "vtkRemotingLive": "nothing: Catalyst Live is not offered",
    "vtkRemotingClientServerStream": "nothing: proxies talk protobuf messages, not client-server streams",
    "vtkPVCatalyst": "nothing: Catalyst is not offered",
    "vtkPVInSitu": "nothing: Catalyst is not offered",
    "vtkPVPythonCatalyst": "nothing: Catalyst is not offered",
    "vtkPVVTKExtensionsCore": "VTK's own classes (paraview.vtk, vtkmodules)",
    "vtkPVVTKExtensionsIOCore": "simple's readers and writers (simple.OpenDataFile, simple.SaveData)",
    "vtkPVVTKExtensionsFiltersGeneral": "the filters of paraview.simple (IntegrateVariables, ...)",
    "vtkPVCore": "simple.LoadState(filename) for state files; paraview.print_info for logging",
    "vtkPVClientWeb": "nothing: ParaViewWeb is not offered (pvserver's rank 0 serves this project's web client)",
}

__all__ = list(OFFERED)


def __getattr__(name: str) -> Any:
    """The offered modules on first use; a ParaView module name that is not offered raises a
    NotSupportedException saying what to use instead."""
    if name in OFFERED:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    if name in NOT_OFFERED:
        raise NotSupportedException(
            f"paraview.modules.{name} is ParaView's C++ module, not offered here; use {NOT_OFFERED[name]}. "
            f"Offered: {', '.join(f'paraview.modules.{m}' for m in OFFERED)}."
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
