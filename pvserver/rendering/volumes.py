"""The 'Volume' representation of image data: a vtkSmartVolumeMapper ray cast of this rank's piece.

How it fits the renderer (pvserver.rendering.views), which knows only polygon actors:

- every rank's actor of a representation receives the surface of its piece (rendering/geometry.py), which
  remembers the image it was made from (:func:`remember_image`);
- a volume is always coloured by an array, so its style is applied on every frame (rendering/appearance.py),
  which calls :func:`show_volume`: the piece's image goes to a vtkVolume added next to the actor in the same
  renderer (the actor's consumer), and the actor is given an empty mapper so that it draws nothing (the
  renderer still frames the camera on its own mapper's surface);
- a volume is translucent (appearance.is_translucent), so every rank renders its piece over transparent black
  and the ranks' images are blended front to back in the visibility order of their pieces' boxes
  (compositing.composite_over). The pieces of an image split by extent are disjoint boxes that share their
  boundary samples, so each ray crosses them one after the other and the blend is the picture of the whole
  image, up to rounding (the ray is sampled afresh in each piece);
- a volume whose actor left its renderer (hidden, deleted) or whose representation is no longer a volume is
  removed before the next frame is drawn (a StartEvent observer of the renderer).

Colours come from the colour map (LookupTable), opacity from the representation's ScalarOpacityFunction or else
its colour map's one. Opacity maps are not rescaled with the colour map by the client here, so one still on its
default range [0, 1] is stretched over the colour map's range, as ParaView's rescaling would have made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pvcore.messages import ProxyState

VOLUME = "Volume"
#: Data the volume mapper draws; other data shown as 'Volume' is drawn as its surface.
VOLUME_TYPES = ("vtkImageData", "vtkUniformGrid", "vtkStructuredPoints")
_DEFAULT_RANGE = (0.0, 1.0)


@dataclass
class _Slot:
    volume: Any
    mapper: Any
    actor: Any
    nothing: Any
    wanted: bool = True


#: The volumes of each renderer (by its address), by representation id.
_slots: dict[str, dict[int, _Slot]] = {}
#: The image each drawn surface was made from (by the surface's address), while the surface exists.
_images: dict[str, Any] = {}
#: The colour map state (id) and the live states each VTK lookup table (by address) was built from.
_lookup_tables: dict[str, tuple[int, Mapping[int, ProxyState]]] = {}


def is_volume(rep: ProxyState) -> bool:
    """Whether a representation asks to be drawn as a volume."""
    values = rep.properties.get("Representation", ())
    return bool(values) and values[0] == VOLUME


def remember_image(surface: Any, image: Any) -> None:
    """Note that ``surface`` was made from ``image`` (a volume draws the image; kept as long as the surface)."""
    key = _address(surface)
    _images[key] = image
    surface.AddObserver("DeleteEvent", lambda *_: _images.pop(key, None))


def _address(obj: Any) -> str:
    return obj.GetAddressAsString("vtkObject")


def remember_lookup_table(lut: Any, state: ProxyState, states: Mapping[int, ProxyState]) -> None:
    """Note the colour map state a VTK lookup table was built from, and the states it lives in (a volume looks
    its opacity maps up there)."""
    key = _address(lut)
    _lookup_tables[key] = (state.global_id, states)
    lut.AddObserver("DeleteEvent", lambda *_: _lookup_tables.pop(key, None))


def lookup_table_state(lut: Any) -> tuple[ProxyState | None, Mapping[int, ProxyState]]:
    """The colour map state and the states a lookup table was built from ((None, {}) if unknown)."""
    found = _lookup_tables.get(_address(lut)) if lut is not None else None
    if found is None:
        return None, {}
    lut_id, states = found
    return states.get(lut_id), states


def _renderer_of(actor: Any) -> Any:
    for i in range(actor.GetNumberOfConsumers()):
        consumer = actor.GetConsumer(i)
        if consumer is not None and consumer.IsA("vtkRenderer"):
            return consumer
    return None


def _sweep(renderer: Any, *_: Any) -> None:
    """Before a frame: drop the volumes whose actor left this renderer or that are no longer wanted."""
    slots = _slots.get(_address(renderer), {})
    for rep_id, slot in list(slots.items()):
        if not slot.wanted or _renderer_of(slot.actor) is not renderer:
            renderer.RemoveVolume(slot.volume)
            del slots[rep_id]


def hide_volume(rep: ProxyState, actor: Any, mapper: Any) -> None:
    """``rep`` is not (or no longer) drawn as a volume: its volume goes, its actor draws ``mapper`` again."""
    renderer = _renderer_of(actor)
    slot = _slots.get(_address(renderer), {}).get(rep.global_id) if renderer is not None else None
    if slot is not None:
        slot.wanted = False
        _sweep(renderer)
    if actor.GetMapper() is not mapper:
        actor.SetMapper(mapper)


def _nothing_mapper() -> Any:
    from vtkmodules.vtkCommonDataModel import vtkPolyData
    from vtkmodules.vtkRenderingCore import vtkPolyDataMapper

    mapper = vtkPolyDataMapper()
    mapper.SetInputData(vtkPolyData())
    return mapper


def show_volume(rep: ProxyState, actor: Any, mapper: Any, lut: Any) -> bool:
    """Draw ``rep`` as a volume of the image its actor's surface came from (``lut``: its colour map as built by
    appearance.build_lookup_table); False (nothing done) when there is no image to draw (not image data, no
    array, no colour map), and the representation is then drawn as a surface."""
    lut_state, states = lookup_table_state(lut)
    surface = mapper.GetInput()
    image = _images.get(_address(surface)) if surface is not None else None
    assoc, name = rep.properties.get("ColorArrayName", ("POINTS", ""))
    renderer = _renderer_of(actor)
    if image is None or not name or lut is None or lut_state is None or renderer is None:
        hide_volume(rep, actor, mapper)
        return False
    key = _address(renderer)
    slots = _slots.get(key)
    if slots is None:  # the renderer's volumes go with it (nothing here keeps a renderer alive)
        slots = _slots[key] = {}
        renderer.AddObserver("StartEvent", _sweep)
        renderer.AddObserver("DeleteEvent", lambda *_: _slots.pop(key, None))
    slot = slots.get(rep.global_id)
    if slot is None or slot.actor is not actor:
        slot = slots[rep.global_id] = _new_slot(actor)
        renderer.AddVolume(slot.volume)
    slot.wanted = True
    _configure(slot, rep, image, assoc, name, lut, lut_state, states)
    if actor.GetMapper() is mapper:  # the actor draws nothing; the renderer still frames its mapper's surface
        actor.SetMapper(slot.nothing)
    return True


def _new_slot(actor: Any) -> _Slot:
    import vtkmodules.vtkRenderingVolumeOpenGL2  # noqa: F401 - the OpenGL implementation of the volume mappers
    from vtkmodules.vtkRenderingCore import vtkVolume, vtkVolumeProperty
    from vtkmodules.vtkRenderingVolumeOpenGL2 import vtkSmartVolumeMapper

    volume, mapper = vtkVolume(), vtkSmartVolumeMapper()
    volume.SetMapper(mapper)
    volume.SetProperty(vtkVolumeProperty())
    return _Slot(volume, mapper, actor, _nothing_mapper())


def _configure(
    slot: _Slot,
    rep: ProxyState,
    image: Any,
    assoc: str,
    name: str,
    lut: Any,
    lut_state: ProxyState,
    states: Mapping[int, ProxyState],
) -> None:
    mapper, volume = slot.mapper, slot.volume
    if mapper.GetInput() is not image:
        mapper.SetInputData(image)
        # A fixed step, half the finest sample spacing: the same on every rank and in every frame (the automatic
        # one follows the time the last frame took).
        mapper.SetAutoAdjustSampleDistances(False)
        spacing = [abs(s) for s in image.GetSpacing() if s] or [1.0]
        mapper.SetSampleDistance(0.5 * min(spacing))
    if assoc == "CELLS":
        mapper.SetScalarModeToUseCellFieldData()
    else:
        mapper.SetScalarModeToUsePointFieldData()
    mapper.SelectScalarArray(name)
    props = rep.properties
    for key in ("Position", "Scale", "Orientation", "Origin"):
        default = (1.0, 1.0, 1.0) if key == "Scale" else (0.0, 0.0, 0.0)
        getattr(volume, f"Set{key}")(*props.get(key, default))
    prop = volume.GetProperty()
    prop.SetColor(lut)
    prop.SetScalarOpacity(opacity_function(rep, lut_state, states, lut.GetRange()))
    prop.SetScalarOpacityUnitDistance(float(props.get("ScalarOpacityUnitDistance", (1.0,))[0]) or 1.0)
    prop.SetInterpolationTypeToLinear()
    prop.SetShade(bool(props.get("Shade", (0,))[0]))
    prop.SetAmbient(float(props.get("Ambient", (0.0,))[0]))
    prop.SetDiffuse(float(props.get("Diffuse", (1.0,))[0]))
    prop.SetSpecular(float(props.get("Specular", (0.0,))[0]))
    prop.SetSpecularPower(float(props.get("SpecularPower", (100.0,))[0]))


def opacity_function(
    rep: ProxyState, lut_state: ProxyState, states: Mapping[int, ProxyState], data_range: tuple[float, float]
) -> Any:
    """A vtkPiecewiseFunction from the representation's ScalarOpacityFunction, else its colour map's; one on the
    default range [0, 1] is stretched over ``data_range`` (the colour map's); with none, a linear ramp."""
    from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction

    function = vtkPiecewiseFunction()
    state = None
    for owner in (rep, lut_state):
        refs = owner.properties.get("ScalarOpacityFunction", ())
        state = states.get(int(refs[0])) if refs else None
        if state is not None:
            break
    points = list(state.properties.get("Points", ())) if state is not None else [0.0, 0.0, 0.5, 0.0, 1.0, 1.0, 0.5, 0.0]
    xs = points[0::4]
    low, high = data_range
    if xs and (min(xs), max(xs)) == _DEFAULT_RANGE and (low, high) != _DEFAULT_RANGE and high > low:
        points = [low + p * (high - low) if i % 4 == 0 else p for i, p in enumerate(points)]
    for i in range(0, len(points) - 3, 4):
        function.AddPoint(*points[i : i + 4])
    return function
