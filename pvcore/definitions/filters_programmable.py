"""Filters and sources that run the user's Python on the server: ProgrammableFilter, ProgrammableSource,
PythonCalculator, by ParaView's names, defaults and domains (its VTKExtensions/FiltersPython/Resources
``python_filters.xml`` and ``python_sources.xml``; ``paraview.simple`` names a property by its label without
spaces: "RequestInformation Script" is RequestInformationScript).

Every property that holds Python is marked with ``check=PYTHON_SCRIPT``: a server creates a type that has one, or
changes one, only for the master, and only where it allows its clients' Python (see :func:`runs_python` and the
README, Security). ParaView's Parameters (name, value pairs whose values are Python expressions) are such a
property too. Left out: several inputs on one port (ParaView's ``multiple_input``), ProgrammableFilter's and
ProgrammableSource's read-only TimestepValues, and the Live Programmable Source.
"""

from __future__ import annotations

from pvcore.definitions.builders import Bool, Enum, Filter, Input, Source, String, Strings
from pvcore.schema import Property, ProxySpec
from pvcore.values import PYTHON_SCRIPT

_DATA_TYPES = (
    "vtkPolyData", "vtkStructuredGrid", "vtkRectilinearGrid", "vtkUnstructuredGrid", "vtkImageData",
)  # fmt: skip
_COMPOSITE_TYPES = ("vtkMultiblockDataSet", "vtkHierarchicalBoxDataSet")
_OTHER_TYPES = ("vtkTable", "vtkMolecule", "vtkPartitionedDataSet", "vtkPartitionedDataSetCollection")
#: ParaView's OutputDataSetType labels (its spelling: vtkMultiblockDataSet) of the filter and of the source.
FILTER_OUTPUT_TYPES = (
    "Same as Input",
    *_DATA_TYPES,
    "vtkUniformGrid",
    *_COMPOSITE_TYPES,
    "vtkHyperTreeGrid",
    *_OTHER_TYPES,
)
SOURCE_OUTPUT_TYPES = (*_DATA_TYPES, *_COMPOSITE_TYPES, *_OTHER_TYPES)
#: ParaView's value of each label (vtkType.h's VTK_POLY_DATA...), which a script may give instead of the label.
_TYPE_IDS = {
    "Same as Input": 8,
    "vtkPolyData": 0,
    "vtkStructuredGrid": 2,
    "vtkRectilinearGrid": 3,
    "vtkUnstructuredGrid": 4,
    "vtkImageData": 6,
    "vtkUniformGrid": 10,
    "vtkMultiblockDataSet": 13,
    "vtkHierarchicalBoxDataSet": 15,
    "vtkHyperTreeGrid": 32,
    "vtkTable": 19,
    "vtkMolecule": 33,
    "vtkPartitionedDataSet": 37,
    "vtkPartitionedDataSetCollection": 38,
}


def _python(name: str, doc: str, **kw: object) -> Property:
    return String(name, "", doc=doc, check=PYTHON_SCRIPT, **kw)


def python_properties(spec: ProxySpec) -> list[str]:
    """The properties of a proxy type that hold Python its client gives (marked ``check=PYTHON_SCRIPT``)."""
    return [p.name for p in spec.properties if p.check == PYTHON_SCRIPT]


def runs_python(spec: ProxySpec) -> bool:
    """Whether a proxy type runs Python its client gives (it has a property marked ``check=PYTHON_SCRIPT``)."""
    return bool(python_properties(spec))


_SCRIPT_DOC = (
    "Python run as the body of RequestData(self, inputs, output, request) on each rank's piece, with numpy's "
    "and vtkmodules.numpy_interface.algorithms' names, dataset_adapter and vtk; inputs[0].PointData['x'] and "
    "output are dataset_adapter objects, self the algorithm (self.GetOutput())."
)
_PARAMETERS = Strings(
    "Parameters", doc="Pairs of name and value: each value is a Python expression, its name set before the scripts "
    "run.", check=PYTHON_SCRIPT,
)  # fmt: skip
_PYTHON_PATH = _python("PythonPath", "Folders, separated by ;, put in front of sys.path while the scripts run.")

DEFINITIONS: tuple[ProxySpec, ...] = (
    Filter(
        "ProgrammableFilter", "ProgrammableFilterAlgorithm",
        "Runs a Python script on each rank's piece of its input to produce the output (where the server allows "
        "its clients' Python).",
        Input(doc="The data the script reads as inputs[0]."),
        Enum(
            "OutputDataSetType", "Same as Input", FILTER_OUTPUT_TYPES, doc="The type of the output data object.",
            numbers=tuple(_TYPE_IDS[label] for label in FILTER_OUTPUT_TYPES),
        ),
        _python("Script", _SCRIPT_DOC),
        _python(
            "RequestInformationScript", "Python run in the RequestInformation pass (to set WHOLE_EXTENT...).",
            setter="SetInformationScript",
        ),
        _python(
            "RequestUpdateExtentScript", "Python run in the RequestUpdateExtent pass (to change what is asked "
            "of the input).", setter="SetUpdateExtentScript",
        ),
        Bool("CopyArrays", 0, doc="Start the output with the input's arrays (same output type only)."),
        _PARAMETERS,
        _PYTHON_PATH,
    ),
    Source(
        "ProgrammableSource", "ProgrammableSourceAlgorithm",
        "Runs a Python script on each rank to produce its piece of the output (where the server allows its "
        "clients' Python).",
        Enum(
            "OutputDataSetType", "vtkPolyData", SOURCE_OUTPUT_TYPES, doc="The type of the output data object.",
            numbers=tuple(_TYPE_IDS[label] for label in SOURCE_OUTPUT_TYPES),
        ),
        _python("Script", _SCRIPT_DOC.replace("inputs[0].PointData['x'] and output are", "output is")),
        _python(
            "ScriptRequestInformation", "Python run in the RequestInformation pass (to set WHOLE_EXTENT and "
            "CAN_PRODUCE_SUB_EXTENT for image data split among the ranks).", setter="SetInformationScript",
        ),
        _PARAMETERS,
        _PYTHON_PATH,
    ),
    Filter(
        "PythonCalculator", "PythonCalculatorAlgorithm",
        "Evaluates a Python expression of the input's arrays (numpy and the numpy_interface algorithms) into a new "
        "array (where the server allows its clients' Python).",
        Input(doc="The data whose arrays the expression reads.", data_types=("vtkDataSet", "vtkTable",
              "vtkCompositeDataSet")),
        _python(
            "Expression", "A Python expression, e.g. sin(RTData) or inputs[0].PointData['Normals'] * 2; arrays by "
            "their names, inputs, points, t_value, t_index.",
        ),
        Enum("ArrayAssociation", "Point Data", ("Point Data", "Cell Data"),
             doc="Which arrays are the expression's names, and where a result of no association goes."),
        String("ArrayName", "result", doc="The name of the output array."),
        Bool("CopyArrays", 1, doc="Pass the input's arrays on to the output."),
    ),
)  # fmt: skip
