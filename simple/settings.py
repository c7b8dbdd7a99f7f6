"""ParaView's settings proxies (``GetSettingsProxy('GeneralSettings')``) and ``servermanager.vtkPVGeneralSettings``.

Settings here are this client's own, kept for the life of the Python process (as ParaView keeps its settings for
the application): scripts read and set them as in ParaView, with ParaView 5.11's defaults. They are values only:
this project's views and filters take their properties from each proxy, not from these settings.
"""

from __future__ import annotations

from typing import Any

from pvcore.errors import PVError

#: ParaView 5.11's defaults of the common settings, by settings proxy.
DEFAULTS: dict[str, dict[str, Any]] = {
    "GeneralSettings": {
        "AnimationTimeNotation": "Mixed", "AnimationTimePrecision": 6, "AutoApply": 0, "AutoApplyActiveOnly": 0,
        "AutoConvertProperties": 0, "BlockColorsDistinctValues": 12, "CacheGeometryForAnimation": 0,
        "ColorByBlockColorsOnApply": 1, "DefaultTimeStep": "Go to first timestep", "DefaultViewType": "RenderView",
        "EnableStreaming": 0, "FontSize": 8, "IgnoreNegativeLogAxisWarning": 0,
        "InheritRepresentationProperties": 0, "LoadAllVariables": 0, "LoadNoChartVariables": 0, "LockPanels": 0,
        "MaximumNumberOfDataRepresentationLabels": 100, "RealNumberDisplayedNotation": "Mixed",
        "RealNumberDisplayedPrecision": 6, "ResetDisplayEmptyViews": 1,
        "ScalarBarMode": "Automatically show and/or hide color bars", "ScreenPixelsPerInch": 72,
        "ShowAnimationShortcuts": 0, "UseAcceleratedFilters": 1,
    },
    "RenderViewSettings": {
        "DefaultInteractionMode": "Automatic, based on the first time step", "DepthPeeling": 1,
        "DepthPeelingForVolumes": 1, "DisableIceT": 0, "ImageReductionFactor": 2, "LODResolution": 0.5,
        "LODThreshold": 20.0, "MaximumNumberOfPeels": 4, "NonInteractiveRenderDelay": 0.0, "OutlineThreshold": 250,
        "PointPickingRadius": 50, "RemoteRenderThreshold": 20.0,
        "ResolveCoincidentTopology": "Offset faces relative to lines and points", "ShowAnnotation": 0,
        "StillRenderImageReductionFactor": 1, "TwoSidedLighting": 1, "UseFXAA": 1, "UseOutlineForLODRendering": 0,
    },
}  # fmt: skip
#: vtkPVGeneralSettings' scalar bar modes and the GeneralSettings value each is.
SCALAR_BAR_MODES = {
    0: "Automatically show and/or hide color bars",
    1: "Automatically hide unused color bars",
    2: "Manual (not recommended)",
}


class SettingsProxy:
    """A settings proxy: its settings are attributes, with ParaView's names; ``GetPropertyValue``,
    ``SetPropertyWithName`` and ``ListProperties`` as on a proxy."""

    def __init__(self, name: str, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        raise AttributeError(f"{self._name} has no setting {name!r}; its settings are {', '.join(values)}.")

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._values:
            raise AttributeError(f"{self._name} has no setting {name!r}; its settings are {', '.join(self._values)}.")
        old = self._values[name]
        if isinstance(old, str) and not isinstance(value, str):
            raise PVError(f"{self._name}.{name} is a text ({old!r}), not {value!r}.")
        if not isinstance(old, str) and (isinstance(value, str) or not isinstance(value, (int, float))):
            raise PVError(f"{self._name}.{name} is a number ({old!r}), not {value!r}.")
        self._values[name] = type(old)(value)

    def __repr__(self) -> str:
        return f"<settings {self._name}>"

    def GetXMLName(self) -> str:
        return self._name

    def ListProperties(self) -> list[str]:
        return list(self._values)

    def GetPropertyValue(self, name: str) -> Any:
        return getattr(self, name)

    def SetPropertyWithName(self, name: str, value: Any) -> None:
        setattr(self, name, value)


#: The settings of this process, made when first asked for.
_SETTINGS: dict[str, SettingsProxy] = {}


def GetSettingsProxy(type: str) -> SettingsProxy | None:
    """The settings proxy ``type`` ('GeneralSettings', 'RenderViewSettings'), or None for another name, as in
    ParaView (whose other settings are not kept here)."""
    if type not in DEFAULTS:
        return None
    if type not in _SETTINGS:
        _SETTINGS[type] = SettingsProxy(type, dict(DEFAULTS[type]))
    return _SETTINGS[type]


def GetAllSettings() -> list[str]:
    """The names GetSettingsProxy knows."""
    return list(DEFAULTS)


class _GeneralSettings:
    """vtkPVGeneralSettings.GetInstance(): the scalar bar mode, the same value as GeneralSettings.ScalarBarMode."""

    AUTOMATICALLY_SHOW_AND_HIDE_SCALAR_BARS = 0
    AUTOMATICALLY_HIDE_SCALAR_BARS = 1
    MANUAL_SCALAR_BARS = 2

    def SetScalarBarMode(self, mode: int) -> None:
        if mode not in SCALAR_BAR_MODES:
            raise PVError(f"SetScalarBarMode({mode!r}): the modes are 0, 1 and 2 (MANUAL_SCALAR_BARS).")
        GetSettingsProxy("GeneralSettings").ScalarBarMode = SCALAR_BAR_MODES[mode]

    def GetScalarBarMode(self) -> int:
        current = GetSettingsProxy("GeneralSettings").ScalarBarMode
        return next(mode for mode, text in SCALAR_BAR_MODES.items() if text == current)


class vtkPVGeneralSettings(_GeneralSettings):  # noqa: N801 - ParaView's class name
    """``servermanager.vtkPVGeneralSettings``: ``GetInstance()`` gives the one object (a stand-in for ParaView's
    C++ singleton, with its scalar bar modes)."""

    @staticmethod
    def GetInstance() -> _GeneralSettings:
        return _INSTANCE


_INSTANCE = _GeneralSettings()

__all__ = ["GetAllSettings", "GetSettingsProxy"]
