"""Client-side behaviour of colour maps and opacity maps: presets and rescaling (mixins of their proxy classes)."""
# ruff: noqa: N802 - the method names are ParaView's

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from pvclient.colormap_presets import PRESET_ALIASES, PRESETS, Preset
from pvcore.errors import PropertyError


class UnknownPresetError(PropertyError, RuntimeError):
    """A colour map preset this project does not know (a RuntimeError too, as ParaView raises)."""


def preset(name: str) -> Preset:
    """The preset called ``name`` (ParaView's name, or one of a few older ones), or UnknownPresetError."""
    found = PRESETS.get(PRESET_ALIASES.get(name, name))
    if found is None:
        raise UnknownPresetError(f"Unknown preset {name!r}; available: {', '.join(PRESETS)}.")
    return found


def points_range(points: Sequence[float], stride: int = 4) -> tuple[float, float]:
    """The range of a colour map's (x, r, g, b, ...) or opacity map's (x, y, midpoint, sharpness, ...) points."""
    return (points[0], points[-stride]) if points else (0.0, 1.0)


def stretched(points: Sequence[float], minimum: float, maximum: float) -> list[float]:
    """Control points (of 4 values each) stretched to [minimum, maximum]."""
    if not minimum <= maximum:
        raise PropertyError(f"RescaleTransferFunction needs minimum <= maximum, got {minimum}, {maximum}.")
    points = list(points)
    lo, hi = points_range(points)
    span = (hi - lo) or 1.0
    for i in range(0, len(points), 4):
        points[i] = minimum + (points[i] - lo) / span * (maximum - minimum)
    return points


def adjusted_range(minimum: float, maximum: float) -> tuple[float, float]:
    """ParaView's widening of an empty range (vtkSMCoreUtilities::AdjustRange): a range narrower than 1024
    ulps gets its maximum 2048 float ulps above its minimum, so that data of one value takes the colour map's low
    end, as in ParaView, rather than a division by zero's whim."""
    if not (math.isfinite(minimum) and math.isfinite(maximum)) or maximum < minimum or (minimum < 0 < maximum):
        return minimum, maximum
    ulps = abs(int(np.float64(maximum).view(np.int64)) - int(np.float64(minimum).view(np.int64)))
    if ulps >= 1024:
        return minimum, maximum
    low = np.float32(minimum)
    if not np.isfinite(low):
        return minimum, maximum
    bits = int(low.view(np.int32))
    step = 2048 if abs(float(low)) >= np.finfo(np.float32).tiny else 8388608 + 2048  # past the denormals
    bits = bits - step if bits < 0 else bits + step
    return minimum, float(np.int32(bits).view(np.float32))


def range_changes(points: Sequence[float], initialized: bool, minimum: float, maximum: float) -> dict[str, Any]:
    """The property changes that fit a new colour map to [minimum, maximum], or widen one already fitted to cover
    it too (ParaView's "grow and update"); empty when it already covers it."""
    minimum, maximum = adjusted_range(minimum, maximum)
    if not initialized:
        return {"RGBPoints": stretched(points, minimum, maximum), "ScalarRangeInitialized": 1}
    low, high = points_range(points)
    if minimum < low or maximum > high:
        return {"RGBPoints": stretched(points, min(minimum, low), max(maximum, high))}
    return {}


def colour_map_values(lut: Any) -> tuple[list[float], bool]:
    """A colour map's control points and whether its range was fitted; a colour map that a batch still has to
    create has its defaults (pvclient.pending)."""
    if lut.GlobalID < 0:
        spec = lut._spec
        return list(spec.property("RGBPoints").default), bool(spec.property("ScalarRangeInitialized").default[0])
    return list(lut.RGBPoints), bool(lut.ScalarRangeInitialized)


class LookupTableMethods:
    """``ApplyPreset``, ``RescaleTransferFunction`` and the range of a colour map."""

    def _range(self) -> tuple[float, float]:
        return points_range(self.RGBPoints)

    def RescaleTransferFunction(self, minimum: float, maximum: float) -> None:
        """Stretch the control points to [minimum, maximum] (one request; an empty range widened as ParaView's)."""
        changes: dict[str, Any] = {"RGBPoints": stretched(self.RGBPoints, *adjusted_range(minimum, maximum))}
        if not self.ScalarRangeInitialized:
            changes["ScalarRangeInitialized"] = 1
        self.connection.update(self, changes)

    def _include_range(self, minimum: float, maximum: float) -> None:
        """Fit a new colour map to [minimum, maximum]; widen one already fitted to cover it too."""
        points, initialized = colour_map_values(self)
        changes = range_changes(points, initialized, minimum, maximum)
        if changes:
            self.connection.update(self, changes)

    def ApplyPreset(self, name: str, rescale: bool = True) -> bool:
        """Use one of ParaView's presets ('Cool to Warm', 'Viridis (matplotlib)', 'Jet', 'Grayscale', ...; see
        simple.GetLookupTableNames()). ``rescale=True`` keeps this map's range, False takes the preset's own (0..1)."""
        chosen = preset(name)
        points = list(chosen.points)
        if rescale:
            points = stretched(points, *self._range())
        changes: dict[str, Any] = {"RGBPoints": points, "ColorSpace": chosen.space}
        if chosen.nan_color is not None:
            changes["NanColor"] = list(chosen.nan_color)
        self.connection.update(self, changes)
        return True

    def GetRange(self) -> tuple[float, float]:
        """The range of the control points."""
        return self._range()

    def InvertTransferFunction(self) -> None:
        """Reverse the colours over the same range (one request)."""
        points = list(self.RGBPoints)
        colours = [points[i + 1 : i + 4] for i in range(0, len(points), 4)][::-1]
        inverted = [v for i, c in enumerate(colours) for v in (points[4 * i], *c)]
        self.connection.update(self, {"RGBPoints": inverted})


class PiecewiseFunctionMethods:
    """``RescaleTransferFunction`` of an opacity (or scale) map."""

    def RescaleTransferFunction(self, minimum: float, maximum: float) -> None:
        """Stretch the control points (x, value, midpoint, sharpness) to [minimum, maximum] (one request)."""
        self.connection.update(self, {"Points": stretched(self.Points, minimum, maximum), "ScalarRangeInitialized": 1})

    def GetRange(self) -> tuple[float, float]:
        """The range of the control points."""
        return points_range(self.Points)
