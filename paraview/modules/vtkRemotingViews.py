"""``paraview.modules.vtkRemotingViews``: the static calls of ParaView's vtkSMPVRepresentationProxy.

ParaView scripts call them on a representation's C++ proxy::

    vtkSMPVRepresentationProxy.RescaleTransferFunctionToDataRange(rep.SMProxy, 'Ordinal', 0, False)
    vtkSMPVRepresentationProxy.SetScalarColoring(rep.SMProxy, 'RTData', vtkDataObject.POINT)

Here they act on the Python representation behind ``rep.SMProxy`` (or on the representation itself), through
the same calls paraview.simple makes. Attribute types are vtkDataObject's: 0 points, 1 cells, 2 field data.
``vtkSMTransferFunctionManager`` names the numbers of the colour maps' rescale modes. Other vtkRemotingViews
classes raise a NotSupportedException saying what to use instead.
"""

# ruff: noqa: N999 - the module is named as ParaView's C++ module, which scripts import by that name
from __future__ import annotations

from typing import Any

import simple
from pvclient.views import array_range, scalar_bar
from simple.servermanager import NotSupportedException, Unsupported

#: vtkDataObject's attribute types, as ColorArrayName names them.
ASSOCIATIONS = {0: "POINTS", 1: "CELLS", 2: "FIELD"}


def _representation(proxy: Any) -> Any:
    """The Python representation of ``rep.SMProxy`` or of the representation itself."""
    rep = getattr(proxy, "PythonProxy", proxy)
    if rep is None or not hasattr(rep, "ColorArrayName") or not hasattr(rep, "LookupTable"):
        raise NotSupportedException(
            f"vtkSMPVRepresentationProxy's calls take a representation (rep.SMProxy or rep), not {proxy!r}."
        )
    return rep


def _association(attribute_type: int) -> str:
    if attribute_type not in ASSOCIATIONS:
        raise ValueError(
            f"attribute_type {attribute_type!r} is not one of vtkDataObject's POINT (0), CELL (1) or FIELD (2)."
        )
    return ASSOCIATIONS[attribute_type]


class vtkSMPVRepresentationProxy:
    """ParaView's representation proxy class, for its static colouring calls (``SMProxy`` as first argument)."""

    @staticmethod
    def SetScalarColoring(proxy: Any, arrayname: str | None, attribute_type: int, component: int = -1) -> bool:
        """Colour by an array (its colour map made or widened as by simple.ColorBy); None or '' for solid colour.
        ``component``: -1 colours by the magnitude, else by that component."""
        rep = _representation(proxy)
        if not arrayname:
            simple.ColorBy(rep, None)
            return True
        simple.ColorBy(rep, (_association(attribute_type), arrayname))
        if component >= 0 and rep.LookupTable is not None:
            rep.LookupTable.VectorMode = "Component"
            rep.LookupTable.VectorComponent = component
        return True

    @staticmethod
    def GetUsingScalarColoring(proxy: Any) -> bool:
        """Whether the representation is coloured by an array."""
        return bool(_representation(proxy).ColorArrayName[1])

    @staticmethod
    def RescaleTransferFunctionToDataRange(proxy: Any, *args: Any) -> bool:
        """Fit the representation's colour map to an array's range over all ranks:
        ``(proxy, arrayname, attribute_type, extend=False, force=True)``, or to the array it is coloured by:
        ``(proxy, extend=False, force=True)``. ``extend`` only grows the range; ``force=False`` leaves a colour map
        whose AutomaticRescaleRangeMode is 'Never' as it is. False when there is nothing to fit."""
        rep = _representation(proxy)
        if args and isinstance(args[0], str):
            name, attribute_type, *flags = args
            selection = (_association(attribute_type), name)
        else:
            flags, selection = list(args), tuple(rep.ColorArrayName)
        extend, force = (list(flags) + [False, True][len(flags) :])[:2]
        lut = rep.LookupTable
        if lut is None or not selection[1]:
            return False
        if not force and getattr(lut, "AutomaticRescaleRangeMode", "") == "Never":
            return False
        low, high = array_range(rep.Input, selection)
        if extend:
            lut._include_range(low, high)
        else:
            lut.RescaleTransferFunction(low, high)
        return True

    @staticmethod
    def SetScalarBarVisibility(proxy: Any, view: Any, visible: bool) -> bool:
        """Show or hide the colour legend of the representation's colour map in ``view``."""
        _representation(proxy).SetScalarBarVisibility(getattr(view, "PythonProxy", view), visible)
        return True

    @staticmethod
    def IsScalarBarVisible(proxy: Any, view: Any) -> bool:
        """Whether the colour legend of the representation's colour map shows in ``view``."""
        rep = _representation(proxy)
        lut = rep.LookupTable
        if lut is None:
            return False
        bar = scalar_bar(rep.connection, lut, getattr(view, "PythonProxy", view), create=False)
        return bar is not None and bool(bar.Visibility)


class vtkSMTransferFunctionManager:
    """The numbers of a colour map's ``AutomaticRescaleRangeMode`` (``prop.SMProperty.GetElement(0)``)."""

    NEVER = -1
    GROW_ON_APPLY = 0
    GROW_ON_APPLY_AND_TIMESTEP = 1
    RESET_ON_APPLY = 2
    RESET_ON_APPLY_AND_TIMESTEP = 3


def __getattr__(name: str) -> Any:
    """ParaView's other vtkRemotingViews classes: a use says what to use instead."""
    if name.startswith("vtk"):
        return Unsupported(
            name, "the views and representations of paraview.simple (CreateView, Show, Render); here "
            "vtkRemotingViews offers vtkSMPVRepresentationProxy",
        )  # fmt: skip
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["vtkSMPVRepresentationProxy", "vtkSMTransferFunctionManager"]
