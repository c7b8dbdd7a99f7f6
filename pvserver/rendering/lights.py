"""A render view's lights as ParaView's: a light kit (a warm key light, fill, back and head lights) rather than
VTK's default headlight, set from the view's properties (UseLight, KeyLightWarmth, KeyLightIntensity, ...), and a
white headlight where LightSwitch asks for one.

Every rank lights its piece alike (the same camera, the same lights), so depth compositing still joins the
pieces without a seam.
"""

from __future__ import annotations

from typing import Any

from vtkmodules.vtkRenderingCore import vtkLight, vtkLightKit

#: The light kit's view properties and ParaView 5.11's defaults.
LIGHT_KIT = {
    "UseLight": 1,
    "KeyLightWarmth": 0.6,
    "KeyLightIntensity": 0.75,
    "KeyLightElevation": 50.0,
    "KeyLightAzimuth": 10.0,
    "FillLightWarmth": 0.4,
    "FillLightKFRatio": 3.0,
    "FillLightElevation": -75.0,
    "FillLightAzimuth": -10.0,
    "BackLightWarmth": 0.5,
    "BackLightKBRatio": 3.5,
    "BackLightElevation": 0.0,
    "BackLightAzimuth": 110.0,
    "HeadLightWarmth": 0.5,
    "HeadLightKHRatio": 3.0,
    "MaintainLuminance": 0,
    "LightSwitch": 0,
    "LightIntensity": 1.0,
}


def light_settings(properties: dict[str, tuple]) -> tuple:
    """The view's light settings, in the order of :data:`LIGHT_KIT` (a key: lights change only when it does)."""
    return tuple(float(properties.get(name, (default,))[0]) for name, default in LIGHT_KIT.items())


def apply_lights(renderer: Any, settings: tuple) -> None:
    """Replace ``renderer``'s lights with the light kit ``settings`` describe (none when UseLight is off)."""
    values = dict(zip(LIGHT_KIT, settings, strict=True))
    renderer.RemoveAllLights()
    renderer.AutomaticLightCreationOff()
    if values["LightSwitch"]:
        headlight = vtkLight()
        headlight.SetLightTypeToHeadlight()
        headlight.SetIntensity(values["LightIntensity"])
        renderer.AddLight(headlight)
    if not values["UseLight"]:
        return
    kit = vtkLightKit()
    kit.SetKeyLightWarmth(values["KeyLightWarmth"])
    kit.SetKeyLightIntensity(values["KeyLightIntensity"])
    kit.SetKeyLightAngle(values["KeyLightElevation"], values["KeyLightAzimuth"])
    kit.SetFillLightWarmth(values["FillLightWarmth"])
    kit.SetKeyToFillRatio(values["FillLightKFRatio"])
    kit.SetFillLightAngle(values["FillLightElevation"], values["FillLightAzimuth"])
    kit.SetBackLightWarmth(values["BackLightWarmth"])
    kit.SetKeyToBackRatio(values["BackLightKBRatio"])
    kit.SetBackLightAngle(values["BackLightElevation"], values["BackLightAzimuth"])
    kit.SetHeadLightWarmth(values["HeadLightWarmth"])
    kit.SetKeyToHeadRatio(values["HeadLightKHRatio"])
    kit.SetMaintainLuminance(int(values["MaintainLuminance"]))
    kit.AddLightsToRenderer(renderer)
