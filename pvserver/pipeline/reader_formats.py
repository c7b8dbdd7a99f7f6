"""What ParaView's named readers set on VTK's readers: a CSV reader's delimiters, an Exodus reader's blocks and
variables, an image's spacing; which arrays a reader keeps; and the datasets and times of a ``.pvd`` collection.

The settings come from the proxy's properties (see :mod:`pvcore.definitions.readers_named`), through the
reader's adapter (:class:`pvserver.pipeline.reader.DistributedReader`), and are applied on the rank that reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from pvcore.errors import DataAccessError
from pvcore.xmldocs import parse_xml
from pvserver.pipeline import sandbox
from pvserver.pipeline.files import COLLECTION, EXODUS, READERS, extension

#: The CSV reader's settings as OpenDataFile always used them (ParaView's CSVReader defaults).
CSV_DEFAULTS = {"HaveHeaders": True, "DetectNumericColumns": True, "FieldDelimiterCharacters": ","}
#: The settings a named reader may pass on to VTK's reader of a format: setting -> VTK setter.
CSV_SETTINGS = {
    "HaveHeaders": "SetHaveHeaders",
    "DetectNumericColumns": "SetDetectNumericColumns",
    "FieldDelimiterCharacters": "SetFieldDelimiterCharacters",
    "MergeConsecutiveDelimiters": "SetMergeConsecutiveDelimiters",
    "UseStringDelimiter": "SetUseStringDelimiter",
    "AddTabFieldDelimiter": "SetAddTabFieldDelimiter",
}
EXODUS_SETTINGS = {
    "ApplyDisplacements": "SetApplyDisplacements",
    "DisplacementMagnitude": "SetDisplacementMagnitude",
    "GenerateObjectIdCellArray": "SetGenerateObjectIdCellArray",
    "GenerateGlobalElementIdArray": "SetGenerateGlobalElementIdArray",
    "GenerateGlobalNodeIdArray": "SetGenerateGlobalNodeIdArray",
}
#: Exodus selections (lists of names; empty: all of them): setting -> which of the reader's objects or arrays.
EXODUS_SELECTIONS = {
    "ElementBlocks": ("ELEM_BLOCK", False),
    "PointVariables": ("NODAL", True),
    "ElementVariables": ("ELEM_BLOCK", True),
    "GlobalVariables": ("GLOBAL", True),
}
IMAGE_SETTINGS = {"DataSpacing": "SetDataSpacing"}
#: Every setting a reader adapter accepts (the others are refused by the adapter's setters' absence).
SETTINGS = (*CSV_SETTINGS, *EXODUS_SETTINGS, *EXODUS_SELECTIONS, *IMAGE_SETTINGS)
#: The settings whose value is a list (the others: one value).
LIST_SETTINGS = (*EXODUS_SELECTIONS, *IMAGE_SETTINGS)


def configure(reader: Any, kind: str, settings: dict[str, Any]) -> None:
    """Set what ``settings`` asks on VTK's ``reader`` of format ``kind``, which has its file name already."""
    if kind == ".csv":
        for name, method in CSV_SETTINGS.items():
            value = settings.get(name, CSV_DEFAULTS.get(name))
            if value is not None:
                getattr(reader, method)(value)
    elif kind in EXODUS:
        _configure_exodus(reader, settings)
    elif kind == "ioss":
        reader.ScanForRelatedFilesOff()  # it would list the folder of the /proc/self/fd name it is given
        reader.SetDatabaseTypeOverride("exodusII")  # the name VTK gets has no extension to tell the format
    elif kind == ".png" and settings.get("DataSpacing"):
        reader.SetDataSpacing(*settings["DataSpacing"])


def _configure_exodus(reader: Any, settings: dict[str, Any]) -> None:
    reader.UpdateInformation()
    reader.SetTimeStep(int(settings.get("TimeStep", 0)))  # the step's index (set by the reader, not a property)
    for name, method in EXODUS_SETTINGS.items():
        if name in settings:
            getattr(reader, method)(settings[name])
    for name, (object_type, arrays) in EXODUS_SELECTIONS.items():
        kind = getattr(reader, object_type)
        count = reader.GetNumberOfObjectArrays(kind) if arrays else reader.GetNumberOfObjects(kind)
        known = [(reader.GetObjectArrayName if arrays else reader.GetObjectName)(kind, i) for i in range(count)]
        wanted = set(settings.get(name) or known)
        unknown = sorted(wanted - set(known))
        if unknown:
            raise DataAccessError(
                f"{name}: the file has no {', '.join(map(repr, unknown))}; it has {', '.join(map(repr, known))}."
            )
        for i, label in enumerate(known):
            (reader.SetObjectArrayStatus if arrays else reader.SetObjectStatus)(kind, i, int(label in wanted))


def select_arrays(data: Any, points: tuple[str, ...], cells: tuple[str, ...]) -> Any:
    """``data`` with only the point and cell arrays named (an empty selection keeps them all), and its ghost
    markers; ``data`` itself when nothing is left out."""
    if data is None or not hasattr(data, "GetPointData") or not (points or cells):
        return data
    kept = data.NewInstance()
    kept.ShallowCopy(data)
    for attributes, names in ((kept.GetPointData(), points), (kept.GetCellData(), cells)):
        if not names:
            continue
        present = [attributes.GetArrayName(i) for i in range(attributes.GetNumberOfArrays())]
        for name in present:
            if name and name not in names and name != "vtkGhostType":
                attributes.RemoveArray(name)
    return kept


def collection(path: str, root: Path | None = None) -> list[tuple[float, str]]:
    """The datasets a ``.pvd`` file lists, as (time, path), in the order of their times; a path is relative to
    the ``.pvd`` file's folder and read through the sandbox like any other. Of the parts of one time step the
    first is read. ``root``: the data directory (default: the one this process is confined to)."""
    try:
        tree = parse_xml(sandbox.read_text(path, root=root), str(path))
    except ElementTree.ParseError as exc:
        why = f"the file is broken or not a .pvd file ({exc})"
        raise DataAccessError(f"Cannot read {Path(path).name!r}: {why}.") from None
    steps: dict[float, str] = {}
    for number, element in enumerate(tree.iter("DataSet")):
        source = element.get("file")
        if not source:
            continue
        try:
            time = float(element.get("timestep", number))
        except ValueError:
            raise DataAccessError(
                f"{Path(path).name!r}: the time step {element.get('timestep')!r} of {source!r} is not a number."
            ) from None
        dataset = sandbox.beside(path, source)
        if extension(dataset) not in READERS or extension(dataset) == COLLECTION:
            raise DataAccessError(f"{Path(path).name!r} names {source!r}, which no reader here reads.")
        steps.setdefault(time, dataset)
    if not steps:
        raise DataAccessError(f"{Path(path).name!r} lists no dataset.")
    return sorted(steps.items())
