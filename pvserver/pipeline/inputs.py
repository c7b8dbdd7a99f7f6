"""What a filter's input must be before it runs: of a type the filter takes (for composite data, each of its
datasets, which VTK gives the filter one by one), and holding the arrays its array selections name."""

from __future__ import annotations

from typing import Any

from pvcore.errors import PipelineError
from pvserver.pipeline.composite import is_composite, leaves
from pvserver.pipeline.objects import PipelineObject


def check_input(obj: PipelineObject, data: Any, rank: int) -> None:
    """Raise a PipelineError naming the filter, the property and what the input has, if ``data`` cannot feed
    ``obj`` on this ``rank``: an input of a type it does not take, or an array selection the input lacks."""
    spec = obj.spec
    types = spec.property("Input").data_types if spec.has_input else ()
    # VTK runs a dataset filter on each dataset of a composite input: each of them must be of a type it takes.
    datasets = list(leaves(data)) if is_composite(data) and not any(data.IsA(t) for t in types) else [data]
    wrong = next((d for d in datasets if types and not any(d.IsA(t) for t in types)), None)
    if wrong is not None:
        got = wrong.GetClassName() if wrong is data else f"{data.GetClassName()} holding {wrong.GetClassName()}"
        hint = "; apply ExtractSurface first" if "vtkPolyData" in types else ""
        raise PipelineError(
            f"{obj.name} ({spec.name}) needs {' or '.join(types)} input, got {got}{hint}.",
            proxy_id=obj.global_id,
            proxy_name=obj.name,
        )
    datasets = [d for d in leaves(data) if hasattr(d, "GetPointData") and d.GetNumberOfPoints() > 0]
    if not datasets:
        return  # an empty piece has no arrays to check
    for prop in spec.properties:
        if prop.kind != "array":
            continue
        assoc, name = obj.values.get(prop.name, prop.default)
        if prop.means_no_array(name) or any(_attributes(d, assoc).GetAbstractArray(name) for d in datasets):
            continue
        have = sorted({a for d in datasets for a in _array_names(_attributes(d, assoc))})
        raise PipelineError(
            f"{obj.name}: {prop.name} names {assoc} array {name!r}, which the input does not have; "
            f"its {assoc} arrays are: {', '.join(have) or 'none'}.",
            rank=rank,
            proxy_id=obj.global_id,
            proxy_name=obj.name,
            property=prop.name,
        )


def _attributes(data: Any, association: str) -> Any:
    """The point, cell or field data of a dataset, by ParaView's association name."""
    return {"POINTS": data.GetPointData, "CELLS": data.GetCellData, "FIELD": data.GetFieldData}[association]()


def _array_names(attributes: Any) -> list[str]:
    return [n for n in (attributes.GetArrayName(i) for i in range(attributes.GetNumberOfArrays())) if n]
