"""Server-side objects: each proxy state becomes one VTK object on every rank.

A :class:`PipelineObject` owns the VTK object of one proxy (an algorithm, an implicit function, a transform:
the VTK class or adapter its spec names, see :mod:`pvserver.pipeline.adapters`) and applies property values to
it, each by the property's :class:`~pvcore.schema.Applier`. Nothing here knows a proxy type by name.
"""

from __future__ import annotations

from typing import Any

from pvcore.errors import PipelineError, ProxyNotFoundError
from pvcore.messages import ProxyState
from pvcore.schema import Property
from pvserver.pipeline import catalogue
from pvserver.pipeline.adapters import ASSOCIATION_IDS, Context, create

__all__ = ["PipelineObject", "make_object"]


class PipelineObject:
    """The VTK object behind one proxy on one rank."""

    def __init__(self, state: ProxyState, objects: dict[int, PipelineObject], context: Context | None = None) -> None:
        self.global_id = state.global_id
        self.name = state.name
        self.spec = catalogue.get(state.group, state.type)
        self.objects = objects
        self.vtk = create(self.spec.vtk_class, context or Context())
        self.values: dict[str, tuple] = {}

    # ----------------------------------------------------------------------------------- structure

    @property
    def algorithm(self) -> Any:
        """The algorithm whose output is this proxy's output (None for helper objects)."""
        return self.vtk if hasattr(self.vtk, "GetOutputPort") else None

    def output_port(self) -> Any:
        """The VTK output port that consumers connect to."""
        return self.algorithm.GetOutputPort()

    def input_algorithms(self) -> list[Any]:
        """The algorithms the input connections are set on (the first stage of an adapter's small pipeline)."""
        own = getattr(self.vtk, "input_algorithms", None)
        return own() if callable(own) else [self.algorithm]

    # ----------------------------------------------------------------------------------- properties

    def apply(self, state: ProxyState) -> None:
        """Apply every property whose value differs from the last one applied."""
        self.name = state.name
        for prop in self.spec.properties:
            value = state.properties.get(prop.name, prop.default)
            if self.values.get(prop.name) == value:
                continue
            self._set(prop, value)
            self.values[prop.name] = value

    def restore(self, values: dict[str, tuple]) -> None:
        """Re-apply earlier values after a change failed part-way."""
        for prop in self.spec.properties:
            if prop.name in values and self.values.get(prop.name) != values[prop.name]:
                self._set(prop, values[prop.name])
        self.values = dict(values)

    def _set(self, prop: Property, value: tuple) -> None:
        applier = prop.applier()
        kind, vtk = applier.kind, self.vtk
        if prop.kind == "array" and prop.means_no_array(value[1]):
            value = (value[0], "")  # an adapter's setter sees "" for the definition's label of none
        if kind == "setter":
            self._method(prop, applier.method)(*value)
        elif kind == "enum_index":
            self._method(prop, applier.method)(prop.values.index(value[0]))
        elif kind == "values":
            self._method(prop, f"SetNumberOf{applier.method}s")(len(value))
            for i, v in enumerate(value):
                vtk.SetValue(i, v)
        elif kind == "input_array":
            if not prop.means_no_array(value[1]):
                vtk.SetInputArrayToProcess(applier.index, 0, 0, ASSOCIATION_IDS[value[0]], value[1])
        elif kind == "input_port":
            if value:  # a multiple-input port (GroupDatasets) takes every listed proxy, in order
                vtk.SetInputConnection(applier.index, self.referenced(value).output_port())
                for ref in value[1:]:
                    vtk.AddInputConnection(applier.index, self.referenced((ref,)).output_port())
        elif kind == "function":
            self._method(prop, applier.method)(self.referenced(value).vtk)
        # "none": read-only information, or read by the renderer

    def _method(self, prop: Property, name: str) -> Any:
        method = getattr(self.vtk, name, None)
        if method is None:  # a definition that names a method its VTK class lacks (a plugin's, say)
            raise PipelineError(
                f"{self.spec.name}.{prop.name}: {self.spec.vtk_class} has no method {name}.",
                proxy_id=self.global_id,
                proxy_name=self.name,
                property=prop.name,
            )
        return method

    def referenced(self, value: tuple) -> PipelineObject:
        """The object a proxy property points at."""
        try:
            return self.objects[int(value[0])]
        except KeyError:  # the session checks references: this is a bug, reported without a traceback
            raise ProxyNotFoundError(
                f"{self.name} refers to proxy {int(value[0])}, which this rank does not hold.",
                proxy_id=self.global_id,
                proxy_name=self.name,
            ) from None


def make_object(state: ProxyState, objects: dict[int, PipelineObject], comm: Any = None) -> PipelineObject:
    """Create the object for a proxy state (properties are applied separately); ``comm`` is the communicator of
    the ranks, which adapters that need it (the reader) get through their :class:`Context`."""
    return PipelineObject(state, objects, Context(comm))
