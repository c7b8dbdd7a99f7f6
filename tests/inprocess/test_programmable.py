"""ProgrammableFilter, ProgrammableSource and PythonCalculator on the built-in session: ParaView's names and
defaults, the names a script sees, the same results as the same numpy/VTK code run here, errors that name the
script's line, and the guard that stops a script past its time or memory bound.

The expected names and defaults are ParaView 5.11's (VTKExtensions/FiltersPython/Resources python_filters.xml and
python_sources.xml; ``paraview.simple`` spells a property by its label without spaces), as pvpython 5.11 lists
them.
"""

from __future__ import annotations

import queue
import time

import numpy as np
import pytest
from vtkmodules.numpy_interface import dataset_adapter as dsa
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkImagingCore import vtkRTAnalyticSource

from pvcore import messages
from pvcore.definitions.filters_programmable import FILTER_OUTPUT_TYPES, SOURCE_OUTPUT_TYPES, runs_python
from pvcore.errors import PermissionDeniedError, PipelineError
from pvserver.pipeline import catalogue, rank_limits

pytestmark = pytest.mark.timeout(60)


def _wavelet() -> dsa.DataSet:
    source = vtkRTAnalyticSource()
    source.Update()
    return dsa.WrapDataObject(source.GetOutput())


@pytest.fixture
def short_limits():
    """Script bounds of one second (and 64 MiB more memory) for a test; the defaults again afterwards."""
    saved = (rank_limits.LIMITS.seconds, rank_limits.LIMITS.memory_bytes)
    rank_limits.configure(1.0, 64 * 2**20)
    yield
    rank_limits.configure(*saved)


# ------------------------------------------------------------------------------------------ names and defaults


def test_paraview_names_and_defaults(simple) -> None:
    calc = simple.PythonCalculator(Input=simple.Wavelet())
    assert (calc.Expression, calc.ArrayAssociation, calc.ArrayName, calc.CopyArrays) == ("", "Point Data", "result", 1)
    pf = simple.ProgrammableFilter(Input=simple.Wavelet())
    assert (pf.OutputDataSetType, pf.CopyArrays, pf.Script, pf.PythonPath) == ("Same as Input", 0, "", "")
    assert pf.RequestInformationScript == "" and pf.RequestUpdateExtentScript == ""
    source = simple.ProgrammableSource()
    assert (source.OutputDataSetType, source.Script, source.ScriptRequestInformation) == ("vtkPolyData", "", "")
    # pvpython 5.11: GetProperty('OutputDataSetType').Available
    assert FILTER_OUTPUT_TYPES[:8] == (
        "Same as Input", "vtkPolyData", "vtkStructuredGrid", "vtkRectilinearGrid", "vtkUnstructuredGrid",
        "vtkImageData", "vtkUniformGrid", "vtkMultiblockDataSet",
    )  # fmt: skip
    assert len(FILTER_OUTPUT_TYPES) == 14 and len(SOURCE_OUTPUT_TYPES) == 11
    assert all(runs_python(catalogue.get(g, n)) for g, n in (
        ("filters", "ProgrammableFilter"), ("sources", "ProgrammableSource"), ("filters", "PythonCalculator"),
    ))  # fmt: skip
    assert not runs_python(catalogue.get("filters", "Calculator"))


# ------------------------------------------------------------------------------------------ PythonCalculator


def test_python_calculator_evaluates_numpy_expressions(simple) -> None:
    wavelet = simple.Wavelet()
    expected = np.sin(_wavelet().PointData["RTData"])
    calc = simple.PythonCalculator(Input=wavelet, Expression="sin(RTData)")
    assert calc.PointData["result"].GetRange() == pytest.approx((expected.min(), expected.max()), rel=1e-6)
    assert sorted(calc.PointData.keys()) == ["RTData", "result"]
    calc.Expression = "inputs[0].PointData['RTData'] * 2"
    calc.ArrayName = "twice"
    data = _wavelet().PointData["RTData"] * 2
    assert calc.PointData["twice"].GetRange() == pytest.approx((data.min(), data.max()))
    calc.CopyArrays = 0
    assert calc.PointData.keys() == ["twice"]
    assert calc.GetDataInformation().GetNumberOfCells() == 8000


def test_python_calculator_cell_data_points_and_scalars(simple) -> None:
    cells = simple.PointDatatoCellData(Input=simple.Wavelet()) if hasattr(simple, "PointDatatoCellData") else None
    calc = simple.PythonCalculator(Input=simple.Sphere(), Expression="points[:, 0] + 1")  # a point set's points
    sphere = vtkSphereSource()  # ParaView's Sphere: radius 0.5, resolutions 8
    sphere.SetThetaResolution(8)
    sphere.SetPhiResolution(8)
    sphere.Update()
    x = dsa.WrapDataObject(sphere.GetOutput()).Points[:, 0] + 1
    assert calc.PointData["result"].GetRange() == pytest.approx((x.min(), x.max()))
    calc.Expression = "7.5"  # a scalar fills the whole array, as dataset_adapter's append does
    calc.ArrayAssociation = "Cell Data"
    assert calc.CellData["result"].GetRange() == (7.5, 7.5)
    if cells is not None:
        on_cells = simple.PythonCalculator(Input=cells, Expression="RTData - 1", ArrayAssociation="Cell Data")
        low, high = cells.CellData["RTData"].GetRange()
        assert on_cells.CellData["result"].GetRange() == pytest.approx((low - 1, high - 1))


def test_python_calculator_error_names_the_expression(simple) -> None:
    calc = simple.PythonCalculator(Input=simple.Wavelet(), Expression="RTData + nothing_here")
    with pytest.raises(PipelineError, match=r"Expression, line 1: NameError: name 'nothing_here' is not defined"):
        calc.UpdatePipeline()


# ------------------------------------------------------------------------------------------ ProgrammableFilter


def test_programmable_filter_sees_paraviews_names(simple) -> None:
    script = "\n".join((
        "assert vtk.vtkPolyData and dataset_adapter and numpy and hasnumpy and request is not None",
        "assert self.GetOutput() is output.VTKObject and self.GetInput() is inputs[0].VTKObject",
        "assert foo == 'bar' and count == 3",
        "twice = inputs[0].PointData['RTData'] * 2",
        "output.PointData.append(twice + sin(0), 'twice')",  # sin: numpy's (through the algorithms)
        "array = vtk.vtkIntArray()",
        "array.SetName('marker')",
        "array.InsertNextValue(1)",
        "self.GetOutput().GetFieldData().AddArray(array)",
    ))  # fmt: skip
    pf = simple.ProgrammableFilter(Input=simple.Wavelet(), Script=script, Parameters=["foo", "'bar'", "count", "3"])
    expected = _wavelet().PointData["RTData"] * 2
    assert pf.PointData.keys() == ["twice"]  # CopyArrays off: the input's structure, not its arrays
    assert pf.PointData["twice"].GetRange() == pytest.approx((expected.min(), expected.max()))
    assert pf.FieldData["marker"].GetRange() == (1.0, 1.0)
    info = pf.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells(), info.GetDataSetTypeAsString()) == (
        9261, 8000, "vtkImageData",
    )  # fmt: skip
    pf.CopyArrays = 1
    assert sorted(pf.PointData.keys()) == ["RTData", "twice"]


def test_programmable_filter_output_type_and_return(simple) -> None:
    script = "\n".join((
        "points = vtk.vtkPoints()",
        "for i in range(inputs[0].GetNumberOfPoints()):",
        "    if i % 100 == 0:",
        "        points.InsertNextPoint(inputs[0].GetPoint(i))",
        "output.SetPoints(points)",
        "return",
        "raise RuntimeError('not reached')",
    ))  # fmt: skip
    pf = simple.ProgrammableFilter(Input=simple.Wavelet(), OutputDataSetType="vtkPolyData", Script=script)
    info = pf.GetDataInformation()
    assert info.GetDataSetTypeAsString() == "vtkPolyData" and info.GetNumberOfPoints() == 93
    pf.OutputDataSetType = 4  # ParaView's number for the label (VTK_UNSTRUCTURED_GRID)
    assert pf.OutputDataSetType == "vtkUnstructuredGrid"
    assert pf.GetDataInformation().GetDataSetTypeAsString() == "vtkUnstructuredGrid"


def test_programmable_filter_errors_name_the_line(simple) -> None:
    pf = simple.ProgrammableFilter(Input=simple.Wavelet(), Script="x = 1\ny = x + undefined_name\n")
    with pytest.raises(PipelineError, match=r"Script, line 2: NameError: .*undefined_name.* \(in: y = x \+ undefined"):
        pf.UpdatePipeline()
    pf.Script = "x = = 1"
    with pytest.raises(PipelineError, match=r"Script, line 1: SyntaxError: invalid syntax \(in: x = = 1\)"):
        pf.UpdatePipeline()
    pf.Script = "x = 1"
    pf.UpdatePipeline()  # fixed: it runs again


# ------------------------------------------------------------------------------------------ ProgrammableSource


def test_programmable_source_polydata_and_image(simple) -> None:
    points = simple.ProgrammableSource(Script="\n".join((
        "pts = vtk.vtkPoints()",
        "for i in range(10):",
        "    pts.InsertNextPoint(i, 2 * i, 0)",
        "output.SetPoints(pts)",
    )))  # fmt: skip
    info = points.GetDataInformation()
    assert info.GetNumberOfPoints() == 10 and list(info.GetBounds()) == [0, 9, 0, 18, 0, 0]
    image = simple.ProgrammableSource(
        OutputDataSetType="vtkImageData",
        ScriptRequestInformation="\n".join((
            "executive = self.GetExecutive()",
            "outInfo = executive.GetOutputInformation(0)",
            "outInfo.Set(executive.WHOLE_EXTENT(), 0, 9, 0, 4, 0, 2)",
            "outInfo.Set(vtk.vtkAlgorithm.CAN_PRODUCE_SUB_EXTENT(), 1)",
        )),
        Script="\n".join((
            "executive = self.GetExecutive()",
            "extent = executive.GetOutputInformation(0).Get(executive.UPDATE_EXTENT())",
            "output.SetExtent(extent)",
            "x = extent[0] + numpy.arange(output.GetNumberOfPoints()) % (extent[1] - extent[0] + 1)",
            "output.PointData.append(x * 10.0, 'x10')",
        )),
    )  # fmt: skip
    info = image.GetDataInformation()
    assert (info.GetNumberOfPoints(), info.GetNumberOfCells()) == (150, 9 * 4 * 2)
    assert image.PointData["x10"].GetRange() == (0.0, 90.0)


# ------------------------------------------------------------------------------------------ bounds


def test_an_endless_script_is_stopped_and_the_session_goes_on(simple, short_limits) -> None:
    endless = (
        "while True:\n    pass",
        "def f():\n    return 1\nwhile True:\n    f()",
        "while 1:\n  try:\n    pass\n  except Exception:\n    pass",
    )
    for script in endless:
        pf = simple.ProgrammableFilter(Input=simple.Wavelet(), Script=script)
        started = time.monotonic()
        with pytest.raises(PipelineError, match=r"stopped: it ran past the server's time limit of 1 s.*line"):
            pf.UpdatePipeline()
        assert time.monotonic() - started < 5
    source = simple.ProgrammableSource(ScriptRequestInformation="while True:\n    pass")
    with pytest.raises(PipelineError, match=r"ScriptRequestInformation was stopped: it ran past"):
        source.UpdatePipeline()
    assert simple.Sphere().GetDataInformation().GetNumberOfPoints() == 50


def test_a_script_that_eats_memory_is_stopped(simple, short_limits) -> None:
    pf = simple.ProgrammableFilter(Input=simple.Wavelet(), Script="a = []\nwhile True:\n    a.append([0] * 10000)")
    with pytest.raises(PipelineError, match=r"MiB more memory on this rank, past the server's 64 MiB"):
        pf.UpdatePipeline()


# ------------------------------------------------------------------------------------------ the gate


def test_a_server_that_refuses_python_refuses_these_types() -> None:
    from pvserver.engine import Engine
    from pvserver.parallel import SerialComm
    from pvserver.service import ServerOptions, Service

    service = Service(Engine(SerialComm()), ServerOptions(multi_clients=True, python_scripts=False))
    master = service.connect(messages.Hello(user="ann"), queue.SimpleQueue()).client_id
    for group, name in (("filters", "ProgrammableFilter"), ("sources", "ProgrammableSource")):
        with pytest.raises(PermissionDeniedError, match=rf"{name} runs Python .*--no-token.*--allow-python"):
            service._change(master, [messages.CreateProxy(group, name)], "")
    assert not service.session.states
