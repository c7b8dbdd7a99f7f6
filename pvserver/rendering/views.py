"""Rendering a view on every rank: offscreen VTK render, read-back, sort-last compositing, encoding.

Each rank renders its own partition of every visible representation into an offscreen EGL window, with the
same camera and a clipping range computed from the global bounds (so no partition is clipped differently).
Opaque scenes are merged by depth (:func:`composite_depth`); a scene with translucent representations is
rendered by every rank over a transparent background and merged with premultiplied "over" blending in the
ranks' visibility order (exact for spatially disjoint partitions, see the README). Rank 0 then draws the
annotations (scalar bars, orientation axes) over the composite and encodes the image.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pvcore.definitions.views import check_view_size
from pvcore.definitions.views_charts import NON_RENDER_VIEWS
from pvcore.depth import DEPTH_FORMAT, PICK_FORMAT
from pvcore.errors import RenderError
from pvcore.messages import Image, ProxyState
from pvserver import commands
from pvserver.parallel import everyone
from pvserver.rendering import annotations, picking
from pvserver.rendering.antialiasing import FxaaPass, wants_fxaa
from pvserver.rendering.appearance import (
    apply_style,
    build_lookup_table,
    is_translucent,
    placed_bounds,
    show_outline_edges,
    structured_outline,
)
from pvserver.rendering.axes import AXES_GRID, DATA_AXES_GRID, NO_DATA_BOUNDS, AxesGrids, grid_state
from pvserver.rendering.bounds import reduce_bounds, union_bounds, visible_representations
from pvserver.rendering.charts import ChartRenderer
from pvserver.rendering.compositing import composite_depth, composite_over
from pvserver.rendering.geometry import drawable_surface, wants_ghost_cells
from pvserver.rendering.imaging import encode_image
from pvserver.rendering.lights import apply_lights, light_settings
from pvserver.rendering.ordering import visibility_order
from pvserver.rendering.pipeline_access import PipelineAccess
from pvserver.rendering.point_gaussian import is_translucent_splat, place_point_gaussian

#: Interactive renders are made at this fraction of the view size (ParaView's image reduction factor 2).
INTERACTIVE_REDUCTION = 2
#: A window drawn larger than this gives its framebuffers back right after (the rank's memory is not held by one
#: large screenshot until the view is next drawn).
KEEP_WINDOW_PIXELS = 2048 * 2048


@dataclass
class RepActor:
    """The VTK objects showing one representation on this rank."""

    actor: Any
    mapper: Any
    version: int = -1
    input_id: int = 0
    outline: Any = None
    outline_actor: Any = None
    port: Any = None
    port_mtime: int = -1
    rep_id: int = 0
    is_outline: bool = False


@dataclass
class ViewObjects:
    """The offscreen window and renderer of one view on this rank."""

    window: Any
    renderer: Any
    reps: dict[int, RepActor] = field(default_factory=dict)
    luts: dict[int, tuple[tuple[int, int], Any]] = field(default_factory=dict)
    axes: AxesGrids | None = None
    lights: tuple | None = None  # the light settings applied (see rendering/lights.py)


class RankRenderer:
    """This rank's views, kept in step with the view, representation and colour map states of ``pipeline``."""

    def __init__(self, pipeline: PipelineAccess) -> None:
        self.pipeline = pipeline
        self.comm = pipeline.comm
        self.rank = self.comm.Get_rank()
        self.size = self.comm.Get_size()
        self.views: dict[int, ViewObjects] = {}
        self.overlay = annotations.Overlay() if self.rank == 0 else None
        self.fxaa: FxaaPass | None = None  # rank 0's, made when a view first asks for FXAA
        self.charts = ChartRenderer(pipeline)

    def forget(self, global_id: int) -> None:
        """A proxy was deleted: if it was a view, release its window now."""
        view = self.views.pop(global_id, None)
        if view is not None:
            view.window.Finalize()
        self.charts.forget(global_id)

    def close(self) -> None:
        """Release every window (on this thread: EGL contexts must not be torn down from another one)."""
        for view_id in [*self.views, *self.charts.windows]:
            self.forget(view_id)
        if self.fxaa is not None:
            self.fxaa.close()
            self.fxaa = None

    # ----------------------------------------------------------------------------------- one frame

    def render(self, cmd: commands.RenderView) -> dict[str, Any] | None:
        """Render a view; on rank 0 returns {"image": Image, "camera": {...}} and None elsewhere."""
        t0 = time.perf_counter()
        chart = self.pipeline.view_states.get(cmd.view_id)
        if chart is not None and chart.type in NON_RENDER_VIEWS:  # charts: drawn by rank 0 from gathered data
            return self.charts.render(cmd, chart)
        error: Exception | None = None
        try:
            scene = self._prepare(cmd)
        except Exception as exc:  # reported below, after every rank knows that one failed
            error, scene = exc, None
        if self._any(error is not None):
            if error is not None:
                raise error
            return None
        view, width, height, translucent, local_bounds, outlines = scene
        # One collective for the view's box and the box of each outline representation.
        bounds, *outline_bounds = reduce_bounds(self.comm, [local_bounds, *(local for _, local in outlines)])
        self._draw_outlines(outlines, outline_bounds)
        view_state = self.pipeline.view_states[cmd.view_id]
        camera = self._camera(cmd, view, view_state, bounds)
        if self.rank == 0:  # axes grids are drawn once, by rank 0, around the data of all ranks
            self._place_axes(view, view_state, bounds, outlines, outline_bounds)
        t1 = time.perf_counter()
        if cmd.format in (DEPTH_FORMAT, PICK_FORMAT):  # picking: translucent surfaces are drawn opaque
            rgba, depth, _ = self._draw(view, width, height, False, bounds)
            surfaces = [(rep.mapper.GetInput(), rep.actor) for rep in view.reps.values() if rep.actor.GetVisibility()]
            position = cmd.options.get("pick")
            answer = picking.answer(self.comm, cmd.format, view.renderer, surfaces, rgba, depth, position)
            return None if answer is None else {"image": answer, "camera": camera}
        rgba, depth, drawn = self._draw(view, width, height, translucent, bounds)
        t2 = time.perf_counter()
        if translucent:
            order = self._visibility_order(local_bounds, camera["CameraPosition"])
            image = composite_over(self.comm, rgba, order)
            if image is not None:
                background = np.asarray(view_state.properties["Background"], np.float32)
                alpha = image[..., 3:4].astype(np.float32) / 255.0
                rgb = image[..., :3].astype(np.float32) + (1.0 - alpha) * background * 255.0
                image = np.clip(rgb + 0.5, 0, 255).astype(np.uint8)
        elif self.size == 1:  # the renderer drew the background itself: nothing to merge or fill
            image = rgba[..., :3]
        else:
            result = composite_depth(self.comm, rgba, depth)
            image = None
            if result is not None:  # pixels no rank drew are not sent at all: paint them with the background
                image, merged_depth = result[0][..., :3], result[1]
                background = np.asarray(view_state.properties["Background"]) * 255.0
                image[merged_depth >= 1.0] = np.round(background).astype(np.uint8)
        t3 = time.perf_counter()
        if self.rank != 0:
            return None
        if wants_fxaa(view_state.properties):  # smoothed once composited, as ParaView: alike on any rank count
            self.fxaa = self.fxaa or FxaaPass()
            image = self.fxaa.apply(image, view_state.properties)
        image = np.ascontiguousarray(image[::-1])  # OpenGL rows are bottom-up
        self.overlay.draw(image, self.pipeline.view_states, view_state, camera)
        fmt = "jpeg" if cmd.interactive else cmd.format
        data = encode_image(image, fmt, cmd.quality)
        t4 = time.perf_counter()
        timings = {  # rank 0's share of the frame, in milliseconds
            "prepare": (t1 - t0) * 1e3,  # pipeline updates, actors, global bounds and camera
            "render": (drawn - t1) * 1e3,
            "readback": (t2 - drawn) * 1e3,
            "composite": (t3 - t2) * 1e3,
            "encode": (t4 - t3) * 1e3,  # FXAA, overlay (annotations) and PNG/JPEG encoding
        }
        return {"image": Image(width, height, fmt, data, timings), "camera": camera}

    def _any(self, flag: bool) -> bool:
        return not everyone(self.comm, not flag)

    # ----------------------------------------------------------------------------------- stages

    def _prepare(self, cmd: commands.RenderView) -> tuple:
        states = self.pipeline.view_states
        view_state = states.get(cmd.view_id)
        if view_state is None or view_state.group != "views":
            raise RenderError(f"No view with id {cmd.view_id}.", proxy_id=cmd.view_id)
        width, height = cmd.width, cmd.height
        check_view_size(width, height)
        if cmd.interactive:
            width, height = max(1, width // INTERACTIVE_REDUCTION), max(1, height // INTERACTIVE_REDUCTION)
        view = self._view(cmd.view_id)
        visible = visible_representations(states, view_state)
        wanted = {r.global_id for r in visible}
        for gone in set(view.reps) - wanted:
            hidden = view.reps.pop(gone)
            view.renderer.RemoveActor(hidden.actor)
            view.renderer.RemoveActor(hidden.outline_actor)
        bounds = []
        outlines: list[tuple[RepActor, tuple | None]] = []
        translucent = False
        failure: Exception | None = None
        for rep in visible:
            try:
                found = self._prepare_rep(view, rep, view_state)
            except Exception as exc:  # the others are updated all the same: every rank makes the same updates
                failure = failure or exc
                continue
            drawn = found.mapper.GetInput()  # what this rank draws: its ghost cells left out
            has_data = drawn is not None and drawn.GetNumberOfPoints() > 0
            translucent |= is_translucent(rep, self._lut_state(rep), states) or is_translucent_splat(rep)
            outline = rep.properties.get("Representation", ("Surface",))[0] == "Outline"
            found.actor.SetVisibility(not outline)
            # a structured grid's outline is its own edges, drawn by every rank for its piece; others' a box
            edges = structured_outline(found.port, self.pipeline.whole_extent(found.input_id)) if outline else None
            found.is_outline = outline and edges is None
            show_outline_edges(found.outline_actor, found.outline, edges)  # or hidden until the box is known
            shown = edges if edges is not None else drawn  # ParaView's bounds are those of what it draws
            if shown is not None and shown.GetNumberOfPoints() > 0:  # as placed: Position, Scale, UserTransform...
                bounds.append(placed_bounds(rep, shown.GetBounds()))
            if outline or grid_state(states, rep, DATA_AXES_GRID) is not None:  # needs the box of all ranks' data
                outlines.append((found, drawn.GetBounds() if has_data else None))
        if failure is not None:
            raise failure
        local = union_bounds(bounds)
        self._apply_view(view, view_state)
        return view, width, height, translucent, local, outlines

    def _prepare_rep(self, view: ViewObjects, rep: ProxyState, view_state: ProxyState) -> RepActor:
        """Update a representation's input and hand this rank's data to its actor."""
        input_id, time = int(rep.properties["Input"][0]), view_state.properties.get("ViewTime", (None,))[0]
        # One ghost level for unstructured volumes (see geometry.py), decided from the output's type, which every
        # rank knows alike, and not from its data: updates may be collective, and a rank whose data failed must
        # still make the same ones as the others.
        ghosts = 1 if self.size > 1 and wants_ghost_cells(self.pipeline.output_type(input_id)) else 0
        data = self.pipeline.update(input_id, ghost_levels=ghosts, time=time)
        return self._rep_actor(view, rep, data)

    def _draw_outlines(self, outlines: list[tuple[RepActor, tuple | None]], boxes: list[list[float] | None]) -> None:
        """One box around all the ranks' data of each outline representation (``boxes``), drawn once, by rank 0."""
        for (found, _), whole in zip(outlines, boxes, strict=True):
            if whole is not None and self.rank == 0 and found.is_outline:
                found.outline.SetBounds(*whole)
                found.outline_actor.SetVisibility(True)

    def _place_axes(self, view: ViewObjects, state: ProxyState, bounds: list | None, boxed: list, boxes: list) -> None:
        """Rank 0's axes grids: the view's around all visible data, each representation's around its own."""
        if view.axes is None:
            view.axes = AxesGrids(view.renderer)
        states = self.pipeline.view_states
        wanted = {}
        view_grid = grid_state(states, state, AXES_GRID)
        if view_grid is not None:  # around the box ParaView gives a view with no data when there is none
            wanted[state.global_id] = (view_grid, bounds or NO_DATA_BOUNDS)
        for (found, _), whole in zip(boxed, boxes, strict=True):
            rep = states.get(found.rep_id)
            grid = grid_state(states, rep, DATA_AXES_GRID) if rep is not None else None
            if grid is not None and whole is not None:
                wanted[found.rep_id] = (grid, whole)
        view.axes.show(wanted)

    def _camera(self, cmd: commands.RenderView, view: ViewObjects, state: ProxyState, bounds: list | None) -> dict:
        cam = view.renderer.GetActiveCamera()
        props = {**state.properties, **cmd.options.get("camera", {})}  # the requesting client's own camera
        cam.SetPosition(*props["CameraPosition"])
        cam.SetFocalPoint(*props["CameraFocalPoint"])
        cam.SetViewUp(*props["CameraViewUp"])
        cam.SetViewAngle(props["CameraViewAngle"][0])
        cam.SetParallelProjection(bool(props["CameraParallelProjection"][0]))
        cam.SetParallelScale(props["CameraParallelScale"][0])
        if bounds is not None:
            view.renderer.ResetCameraClippingRange(*bounds)  # the same range on every rank
        return {
            "CameraPosition": tuple(cam.GetPosition()),
            "CameraFocalPoint": tuple(cam.GetFocalPoint()),
            "CameraViewUp": tuple(cam.GetViewUp()),
            "CameraParallelScale": (cam.GetParallelScale(),),
        }

    def _draw(
        self, view: ViewObjects, width: int, height: int, translucent: bool, bounds: list | None
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """This rank's RGBA (and depth when opaque), and the moment rendering ended and read-back began."""
        from vtkmodules.util.numpy_support import vtk_to_numpy
        from vtkmodules.vtkCommonCore import vtkFloatArray, vtkUnsignedCharArray

        window, renderer = view.window, view.renderer
        window.SetSize(width, height)
        # Translucent frames are blended later, so they must be premultiplied over transparent black.
        renderer.SetBackgroundAlpha(0.0 if translucent else 1.0)
        if translucent:
            renderer.SetBackground(0.0, 0.0, 0.0)
        renderer.SetUseDepthPeeling(translucent)
        window.Render()
        drawn = time.perf_counter()
        pixels = vtkUnsignedCharArray()
        window.GetRGBACharPixelData(0, 0, width - 1, height - 1, 0, pixels)
        rgba = vtk_to_numpy(pixels).reshape(height, width, 4)
        depth = np.empty((0, 0), np.float32)
        if not translucent:
            zbuffer = vtkFloatArray()
            window.GetZbufferData(0, 0, width - 1, height - 1, zbuffer)
            depth = vtk_to_numpy(zbuffer).reshape(height, width)
        if width * height > KEEP_WINDOW_PIXELS:  # a screenshot's framebuffers are not kept (0.5 GiB at 8192^2)
            window.SetSize(1, 1)
            window.Render()
        return rgba, depth, drawn

    def _visibility_order(self, local_bounds: list | None, eye: tuple) -> list[int]:
        """Ranks from nearest to farthest from the camera, by the boxes of their data."""
        boxes = self.comm.allgather(local_bounds) if self.size > 1 else [local_bounds]
        return visibility_order(boxes, eye)

    # ----------------------------------------------------------------------------------- objects

    def _view(self, view_id: int) -> ViewObjects:
        view = self.views.get(view_id)
        if view is None:
            import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 - registers the OpenGL (EGL) implementations
            from vtkmodules.vtkRenderingCore import vtkRenderer, vtkRenderWindow

            window = vtkRenderWindow()
            window.SetOffScreenRendering(1)
            window.SetMultiSamples(0)  # exact depth values: compositing compares them across ranks
            window.SetAlphaBitPlanes(1)
            renderer = vtkRenderer()
            window.AddRenderer(renderer)
            view = ViewObjects(window, renderer)
            self.views[view_id] = view
        return view

    def _apply_view(self, view: ViewObjects, state: ProxyState) -> None:
        view.renderer.SetBackground(*state.properties["Background"])
        lights = light_settings(state.properties)
        if lights != view.lights:
            apply_lights(view.renderer, lights)
            view.lights = lights

    def _rep_actor(self, view: ViewObjects, rep: ProxyState, data: Any) -> RepActor:
        from vtkmodules.vtkFiltersSources import vtkOutlineSource
        from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper

        found = view.reps.get(rep.global_id)
        input_id = int(rep.properties["Input"][0])
        if found is None or found.input_id != input_id:
            if found is not None:
                view.renderer.RemoveActor(found.actor)
                view.renderer.RemoveActor(found.outline_actor)
            actor, mapper = vtkActor(), vtkPolyDataMapper()
            actor.SetMapper(mapper)
            outline, outline_actor, outline_mapper = vtkOutlineSource(), vtkActor(), vtkPolyDataMapper()
            outline_mapper.SetInputConnection(outline.GetOutputPort())
            outline_actor.SetMapper(outline_mapper)
            view.renderer.AddActor(actor)
            view.renderer.AddActor(outline_actor)
            found = RepActor(actor, mapper, input_id=input_id, outline=outline, outline_actor=outline_actor)
            found.rep_id = rep.global_id
            view.reps[rep.global_id] = found
        # The mapper gets the data this rank already computed, not a pipeline connection: drawing never
        # re-executes the pipeline (for another piece, time or ghost level) behind the pipeline's back.
        mtime = data.GetMTime() if data is not None else 0
        if found.port is not data or found.port_mtime != mtime:  # new data, or the same object computed again
            found.mapper.SetInputData(drawable_surface(data, self.pipeline.whole_extent(input_id)))
            found.port, found.port_mtime = data, mtime
        lut_state = self._lut_state(rep)
        if found.version != rep.version or lut_state is not None:
            apply_style(found.actor, found.mapper, found.outline_actor, rep, self._lut(view, lut_state))
            found.version = rep.version
        place_point_gaussian(found.actor, found.mapper, rep, data, self.pipeline.view_states)
        return found

    def _lut_state(self, rep: ProxyState) -> ProxyState | None:
        refs = rep.properties.get("LookupTable", ())
        return self.pipeline.view_states.get(int(refs[0])) if refs else None

    def _lut(self, view: ViewObjects, state: ProxyState | None) -> Any:
        if state is None:
            return None
        states = self.pipeline.view_states
        opacity_refs = state.properties.get("ScalarOpacityFunction", ())
        opacity = states.get(int(opacity_refs[0])) if opacity_refs else None
        key = (state.version, opacity.version if opacity is not None else -1)  # its opacity map changes it too
        cached = view.luts.get(state.global_id)
        if cached is not None and cached[0] == key:
            return cached[1]
        lut = build_lookup_table(state, states)
        view.luts[state.global_id] = (key, lut)
        return lut
