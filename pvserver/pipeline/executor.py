"""What every rank does with a collective command: keep its objects, run its piece, report back.

Rank 0 and the workers run the same :class:`RankExecutor`; only who receives the command differs.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from pvcore.definitions import views
from pvcore.errors import PeerFailedError, PipelineError, ProxyNotFoundError, PVError
from pvcore.messages import ProxyState
from pvserver import commands
from pvserver.commands import RankResult
from pvserver.parallel import everyone, raise_unless_all_succeeded
from pvserver.pipeline import blocks
from pvserver.pipeline.files import PARTITIONED, extension
from pvserver.pipeline.information import local_information
from pvserver.pipeline.inputs import check_input
from pvserver.pipeline.objects import PipelineObject, make_object
from pvserver.pipeline.timer_log import TimerLog
from pvserver.rendering.bounds import local_view_bounds
from pvserver.rendering.views import RankRenderer

log = logging.getLogger(__name__)

# Proxies that only the renderer turns into VTK objects.
RENDERING_GROUPS = views.RENDERING_GROUPS


class VTKErrorCapture:
    """Collects the errors that VTK would print, so that they travel to the client instead."""

    def __init__(self) -> None:
        from vtkmodules.vtkCommonCore import vtkLogger, vtkOutputWindow

        vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_OFF)  # errors reach the client; warnings the log
        self.window = vtkOutputWindow()
        self.window.SetDisplayModeToNever()
        vtkOutputWindow.SetInstance(self.window)
        self.errors: list[str] = []

        def on_error(_obj: Any, _event: str, text: str) -> None:
            self.errors.append(_clean(text))

        def on_warning(_obj: Any, _event: str, text: str) -> None:
            log.info("VTK: %s", _clean(text))

        on_error.CallDataType = on_warning.CallDataType = "string0"  # VTK passes the message text
        self.window.AddObserver("ErrorEvent", on_error)
        self.window.AddObserver("WarningEvent", on_warning)

    def take(self) -> list[str]:
        """The error messages since the last call."""
        errors, self.errors = list(dict.fromkeys(self.errors)), []
        specific = [e for e in errors if "returned failure for request" not in e]
        return specific or errors


def _clean(text: str) -> str:
    """'ERROR: In file.cxx, line 5\nvtkX (0x55...): message' -> 'vtkX: message'."""
    lines = [line for line in text.strip().splitlines() if line and not line.startswith(("ERROR: In", "Warning: In"))]
    return re.sub(r" \(0x[0-9a-f]+\)", "", " ".join(lines)).strip()


class RankExecutor:
    """The objects of this rank and the execution of commands on them."""

    def __init__(
        self,
        comm: Any,
        progress: Callable[[int, float], Any] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> None:
        self.comm = comm
        self.progress = progress  # rank 0 only: told how far each pipeline update has come
        self.cancel = cancel  # true once the running update should stop
        self.rank = comm.Get_rank()
        self.size = comm.Get_size()
        self.objects: dict[int, PipelineObject] = {}
        self.capture = VTKErrorCapture()
        self.timer_log = TimerLog()  # what paraview.benchmark reads (commands.CollectTimerLog)
        self.view_states: dict[int, ProxyState] = {}  # views, representations, colour maps
        self.renderer: RankRenderer | None = None  # created on first render
        # The pipeline time: that of the last update that named one (UpdatePipeline(t), a view's ViewTime). Updates
        # that name none (data information, Fetch, SaveData) use it, so that they see the time step last shown.
        self.time: float | None = None

    # ----------------------------------------------------------------------------------- dispatch

    def run(self, command: Any) -> RankResult:
        """Execute one command and return this rank's result; errors are caught and reported."""
        self._log_stray_errors(command)
        try:
            if isinstance(command, commands.ApplyDelta):
                self.apply_delta(command)
                return RankResult()
            if isinstance(command, commands.UpdatePipeline):
                self.update(command.global_id, time=command.time)
                return RankResult()
            if isinstance(command, commands.WriteData):
                self.write(command)
                return RankResult()
            if isinstance(command, commands.FetchData):
                return RankResult(value=self.fetch(command))
            if isinstance(command, commands.CollectInformation):
                return RankResult(value=self.information(command.global_id))
            if isinstance(command, commands.RenderView):
                return RankResult(value=self.render(command))
            if isinstance(command, commands.CollectViewBounds):
                return RankResult(value=self.view_bounds(command.view_id))
            if isinstance(command, commands.CollectTimerLog):
                return RankResult(value=self.timer_log.text(command.threshold, command.max_bytes))
            raise PVError(f"Unknown command {type(command).__name__}")
        except PVError as exc:
            return RankResult(False, None, type(exc).__name__, exc.message, exc.proxy_id, exc.proxy_name, exc.property)
        except Exception as exc:  # a bug or a VTK failure: report it, keep the rank alive
            log.exception("rank %d failed on %s", self.rank, type(command).__name__)
            return RankResult(False, None, "PipelineError", f"{type(exc).__name__}: {exc}")
        finally:
            self._log_stray_errors(command)

    def _log_stray_errors(self, command: Any) -> None:
        """Log what VTK reported outside a pipeline update (while drawing, say), so that it is never taken for
        the failure of the next update, which may be another client's."""
        for error in self.capture.take():
            log.warning("VTK on rank %d during %s: %s", self.rank, type(command).__name__, error)

    # ----------------------------------------------------------------------------------- commands

    def apply_delta(self, command: commands.ApplyDelta) -> None:
        """Create, update and delete objects to match the committed states."""
        created = []
        previous = {
            s.global_id: dict(self.objects[s.global_id].values)
            for s in command.delta.states
            if s.global_id in self.objects
        }
        try:
            for state in command.delta.states:
                if state.group in RENDERING_GROUPS:  # built lazily by the renderer, from these states
                    self.view_states[state.global_id] = state
                    continue
                obj = self.objects.get(state.global_id)
                if obj is None:
                    obj = make_object(state, self.objects, self.comm)
                    self.objects[state.global_id] = obj
                    created.append(state.global_id)
                obj.apply(state)
        except Exception:
            for gid in created:  # the session does not commit a failed delta: forget what it made
                self.objects.pop(gid, None)
            for gid, values in previous.items():  # and put back what it changed
                self.objects[gid].restore(values)
            raise
        for gid in command.delta.deleted_ids:
            self.objects.pop(gid, None)
            self.view_states.pop(gid, None)
            if self.renderer is not None:
                self.renderer.forget(gid)

    def close(self) -> None:
        """Release this rank's VTK objects; call it on the thread that rendered (its OpenGL contexts live there)."""
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None
        self.objects.clear()
        self.view_states.clear()

    def object(self, global_id: int) -> PipelineObject:
        """This rank's object for a proxy."""
        try:
            return self.objects[global_id]
        except KeyError:
            raise ProxyNotFoundError(f"No proxy with id {global_id} on rank {self.rank}.", proxy_id=global_id) from None

    def update(self, global_id: int, ghost_levels: int = 0, time: float | None = None) -> Any:
        """Run the pipeline up to ``global_id`` for this rank's piece (at ``time``, else at the pipeline time of
        the last update that named one) and return the output data."""
        if time is None:
            time = self.time
        else:
            self.time = time
        # Walk up the pipeline first (iteratively: a pipeline may be deeper than Python's recursion limit), asking
        # each filter the ghost levels it will ask of its inputs (a contour asks one more than its consumer), so
        # that updating it from its sources down finds every input up to date instead of running it again. A
        # filter with several inputs on its port 0 (GroupDatasets, AppendDatasets) makes the pipeline a graph.
        order = self._upstream_order(global_id)
        levels = {global_id: ghost_levels}
        for obj in reversed(order):  # consumers before their inputs
            asked = self._input_ghost_levels(obj, levels[obj.global_id]) if _inputs(obj) else 0
            for gid in _inputs(obj):
                levels[gid] = max(levels.get(gid, 0), asked)
        outputs: dict[int, Any] = {}
        failure: Exception | None = None
        for obj in order:  # inputs before their consumers
            collective = getattr(obj.vtk, "collective", False) and self.size > 1
            if collective:  # every rank has its inputs, or none runs it: a rank that never came would be waited for
                raise_unless_all_succeeded(self.comm, failure, f"Another rank failed before {obj.name} could run.")
            if failure is not None:
                continue
            try:
                inputs = [outputs[gid] for gid in _inputs(obj)]
                for data in inputs:
                    check_input(obj, data, self.rank)
                empty = bool(inputs) and all(_is_empty(data) for data in inputs)
                outputs[obj.global_id] = self._update_one(obj, levels[obj.global_id], time, empty_input=empty)
            except Exception as exc:  # raised once the collectives downstream know
                failure = exc
            if collective and not everyone(self.comm, failure is None):
                # Failed (or cancelled) on some ranks only, say in rank 0's work on the gathered whole: it must run
                # again on every rank, or next time only those ranks would enter its collectives.
                obj.algorithm.Modified()
                failure = failure or PeerFailedError(f"Another rank failed to compute {obj.name}.")
        if failure is not None:
            raise failure
        return outputs[global_id]

    def _upstream_order(self, global_id: int) -> list[PipelineObject]:
        """The producers ``global_id`` depends on through its ``Input`` port, each once, inputs before consumers."""
        order: list[PipelineObject] = []
        done: set[int] = set()
        stack: list[tuple[int, bool]] = [(global_id, False)]
        while stack:
            gid, expanded = stack.pop()
            if gid in done:
                continue
            obj = self._producer(gid)
            if expanded:
                done.add(gid)
                order.append(obj)
                continue
            stack.append((gid, True))
            stack.extend((up, False) for up in reversed(_inputs(obj)) if up not in done)
        return order

    def _producer(self, global_id: int) -> PipelineObject:
        """This rank's object for a proxy that produces data (a source or filter)."""
        obj = self.object(global_id)
        if obj.algorithm is None:
            raise PipelineError(
                f"{obj.name} is a {obj.spec.name}, which produces no data.",
                proxy_id=global_id,
                proxy_name=obj.name,
            )
        return obj

    def _update_one(self, obj: PipelineObject, ghost_levels: int, time: float | None, empty_input: bool = False) -> Any:
        """Update one algorithm whose input is up to date; return its output data."""
        with self._reporting_progress(obj), self.timer_log.timing(obj.algorithm, obj.name, obj.global_id):
            if time is None:
                obj.algorithm.UpdatePiece(self.rank, self.size, ghost_levels)
            else:
                obj.algorithm.UpdateTimeStep(time, self.rank, self.size, ghost_levels)
        own = list(getattr(obj.algorithm, "errors", []))  # its own account first: names the file
        errors = [str(e) for e in own] + self.capture.take()
        if errors and empty_input and not own:  # "No data to smooth!" of a rank whose piece is empty: its result
            errors, output = [], obj.algorithm.GetOutputDataObject(0)  # is an empty piece, not a failure
            if output is not None:
                output.Initialize()
        if hasattr(obj.algorithm, "errors"):
            obj.algorithm.errors.clear()
        if errors:
            obj.algorithm.Modified()  # not up to date: the next update tries again instead of passing on bad data
            peer = own and all(isinstance(e, PeerFailedError) for e in own)  # another rank's failure stopped it
            raise (PeerFailedError if peer else PipelineError)(
                f"{obj.name} ({obj.spec.name}) failed: {'; '.join(errors)}",
                proxy_id=obj.global_id,
                proxy_name=obj.name,
            )
        return obj.algorithm.GetOutputDataObject(0)

    @contextlib.contextmanager
    def _reporting_progress(self, obj: PipelineObject) -> Iterator[None]:
        """Pass the algorithm's progress on (in steps of a tenth) and stop it when a cancel arrives."""
        if self.progress is None and self.cancel is None:
            yield
            return
        last = [-1.0]
        aborted = [False]

        def on_progress(alg: Any, _event: str) -> None:
            fraction = alg.GetProgress()
            if self.progress is not None and (fraction >= last[0] + 0.1 or (fraction >= 1.0 > last[0])):
                last[0] = fraction
                self.progress(obj.global_id, fraction)
            if self.cancel is not None and not aborted[0] and self.cancel():
                aborted[0] = True
                alg.SetAbortExecute(1)

        tag = obj.algorithm.AddObserver("ProgressEvent", on_progress)
        try:
            yield
        finally:
            obj.algorithm.RemoveObserver(tag)
        if aborted[0]:
            obj.algorithm.SetAbortExecute(0)
            obj.algorithm.Modified()  # the partial result must not count as up to date
            self.capture.take()
            raise PipelineError(f"The update of {obj.name} was cancelled.", proxy_id=obj.global_id, proxy_name=obj.name)

    def _input_ghost_levels(self, obj: PipelineObject, ghost_levels: int) -> int:
        """The ghost levels ``obj`` requests of its input for this rank's piece, asked of VTK without executing."""
        if self.size == 1:
            return 0
        from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp

        alg = obj.algorithm
        pending = self.capture.take()
        alg.UpdateInformation()
        out_info = alg.GetOutputInformation(0)
        out_info.Set(Sddp.UPDATE_PIECE_NUMBER(), self.rank)
        out_info.Set(Sddp.UPDATE_NUMBER_OF_PIECES(), self.size)
        out_info.Set(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS(), ghost_levels)
        alg.PropagateUpdateExtent()
        # What the query made VTK say (a wrong input type) is reported by check_input or the filter's own update.
        self.capture.take()
        self.capture.errors[:0] = pending
        in_info = obj.input_algorithms()[0].GetInputInformation(0, 0)
        if in_info is None or not in_info.Has(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS()):
            return ghost_levels
        return in_info.Get(Sddp.UPDATE_NUMBER_OF_GHOST_LEVELS())

    def write(self, command: commands.WriteData) -> None:
        """Write a proxy's data: each rank its piece of a partitioned file, or rank 0 the gathered whole."""
        from pvserver.pipeline import writers

        data = self._update_everywhere(command.global_id, command.time)
        if extension(command.path) in PARTITIONED:
            writers.write_piece(self.comm, command.path, data, command.overwrite)
            return
        merged = blocks.gather(self.comm, data)
        if merged is not None:
            writers.write_single(command.path, merged, command.overwrite)

    def fetch(self, command: commands.FetchData) -> tuple[str, bytes] | None:
        """The proxy's data merged over all ranks, as its VTK XML file in memory, on rank 0."""
        from pvserver.pipeline import xmldata

        merged = blocks.gather(self.comm, self._update_everywhere(command.global_id, command.time))
        return None if merged is None else xmldata.to_xml(merged)

    def _update_everywhere(self, global_id: int, time: float | None) -> Any:
        """Update, then learn whether every rank did, before a step that needs them all (gathering): a rank
        whose update failed raises its error, and the others a PeerFailedError, instead of waiting for it."""
        try:
            data, failure = self.update(global_id, time=time), None
        except Exception as exc:  # reported by run(), after the others know
            data, failure = None, exc
        raise_unless_all_succeeded(self.comm, failure, f"Another rank failed to compute {self.object(global_id).name}.")
        return data

    def information(self, global_id: int) -> Any:
        """This rank's data information for a proxy's output, after updating it."""
        data = self.update(global_id)
        info = local_information(data, self.whole_extent(global_id))
        info.time_steps = self.time_steps(global_id)
        return info

    def time_steps(self, global_id: int) -> list[float]:
        """The times a proxy's output has, as its pipeline reports them (TIME_STEPS; none for static data)."""
        from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp

        algorithm = self.object(global_id).algorithm
        out_info = algorithm.GetOutputInformation(0) if algorithm is not None else None
        if out_info is None or not out_info.Has(Sddp.TIME_STEPS()):
            return []
        return list(out_info.Get(Sddp.TIME_STEPS()))

    def output_type(self, global_id: int) -> str:
        """The VTK class name of a proxy's output, which the pipeline knows without computing data ("" if none)."""
        algorithm = self.object(global_id).algorithm
        if algorithm is None:
            return ""
        algorithm.UpdateDataObject()
        output = algorithm.GetOutputDataObject(0)
        return output.GetClassName() if output is not None else ""

    def whole_extent(self, global_id: int) -> list[int] | None:
        """The extent of all ranks' structured data together, as the proxy's pipeline reports it, else None."""
        from vtkmodules.vtkCommonExecutionModel import vtkStreamingDemandDrivenPipeline as Sddp

        out_info = self.object(global_id).algorithm.GetOutputInformation(0)
        return list(out_info.Get(Sddp.WHOLE_EXTENT())) if out_info.Has(Sddp.WHOLE_EXTENT()) else None

    def render(self, command: commands.RenderView) -> Any:
        """Render this rank's part of a view and take part in compositing (see pvserver.rendering)."""
        if self.renderer is None:
            self.renderer = RankRenderer(self)  # this executor is its PipelineAccess
        return self.renderer.render(command)

    def view_bounds(self, view_id: int) -> list[float] | None:
        """This rank's bounds of all that a view shows, for ResetCamera (rank 0 merges the ranks' answers)."""
        return local_view_bounds(self, view_id)


def _inputs(obj: PipelineObject) -> list[int]:
    """The proxies on ``obj``'s ``Input`` port (several for a multiple-input port)."""
    return [int(gid) for gid in obj.values.get("Input", ())]


def _is_empty(data: Any) -> bool:
    """True for a dataset piece without points or cells (a rank's share of data that another rank holds)."""
    points = data.GetNumberOfPoints() if hasattr(data, "GetNumberOfPoints") else 1
    cells = data.GetNumberOfCells() if hasattr(data, "GetNumberOfCells") else 1
    return points == 0 and cells == 0
