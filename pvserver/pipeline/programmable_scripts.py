"""A user's Python as ParaView runs it: the names a script sees, its compilation, and its errors in words.

ParaView's vtkPythonProgrammableFilter runs a Script as the body of a function
``RequestData(self, inputs=None, output=None, request=None)`` (``RequestInformation`` and ``RequestUpdateExtent``
for the other two scripts) in a namespace that has done ``from numpy import *``,
``from vtkmodules.numpy_interface.algorithms import *`` and imported ``dataset_adapter`` and ``vtk``; its
Parameters are ``name = value`` lines in front of the body. The same happens here, with the script parsed into
the function's body (so its line numbers stay its own, and ``return`` works) and compiled under a
:data:`~pvserver.pipeline.programmable_guard.SCRIPT_PREFIX` file name, which the guard traces.
"""

from __future__ import annotations

import ast
import importlib
import traceback
from typing import Any

import numpy
from vtkmodules.numpy_interface import algorithms, dataset_adapter

from pvserver.pipeline.programmable_guard import SCRIPT_PREFIX, ScriptInterrupted

#: The modules ``vtk.<name>`` looks in first (those of the classes scripts use most); then all of VTK.
_VTK_MODULES = (
    "vtkCommonCore",
    "vtkCommonDataModel",
    "vtkCommonExecutionModel",
    "vtkCommonTransforms",
    "vtkFiltersCore",
    "vtkFiltersGeneral",
    "vtkFiltersSources",
    "vtkImagingCore",
)


class LazyVTK:
    """The ``vtk`` a script sees (ParaView's ``paraview.vtk``): ``vtk.vtkPolyData``... from the VTK modules,
    imported when first named, so that scripts that do not use it do not pay for importing all of VTK."""

    numpy_interface = importlib.import_module("vtkmodules.numpy_interface")

    def __getattr__(self, name: str) -> Any:
        for module in _VTK_MODULES:
            found = getattr(importlib.import_module(f"vtkmodules.{module}"), name, None)
            if found is not None:
                return found
        return getattr(importlib.import_module("vtkmodules.all"), name)


def _undeprecated(function: Any) -> Any:
    return getattr(function, "__wrapped__", function) if callable(function) else function


def _base_namespace() -> dict[str, Any]:
    names: dict[str, Any] = {"__builtins__": __builtins__, "__name__": "__pvscript__"}
    names.update((k, v) for k, v in vars(numpy).items() if not k.startswith("_"))  # from numpy import *
    public = getattr(algorithms, "__all__", None) or [k for k in vars(algorithms) if not k.startswith("_")]
    # from ...algorithms import *; VTK 9.6 deprecated many in favour of numpy's: the functions themselves, unwarned
    names.update((k, _undeprecated(getattr(algorithms, k))) for k in public)
    names.update(
        numpy=numpy,
        np=numpy,
        dataset_adapter=dataset_adapter,
        dsa=dataset_adapter,
        algorithms=algorithms,
        vtk=LazyVTK(),
        hasnumpy=True,
    )
    return names


_BASE = _base_namespace()


def namespace(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A fresh global namespace for one run: numpy's and the numpy_interface algorithms' names, ``numpy``/``np``,
    ``dataset_adapter``/``dsa``, ``vtk``, and ``extra``."""
    names = dict(_BASE)
    names.update(extra or {})
    return names


def file_name(what: str) -> str:
    """The file name user code named ``what`` ("Script") is compiled under."""
    return f"{SCRIPT_PREFIX}{what}>"


def compile_function(source: str, what: str, function: str) -> Any:
    """The code of a module defining ``function(self, inputs=None, output=None, request=None)`` whose body is
    ``source`` (tabs become two spaces and DOS line ends are dropped, as ParaView does). Raises SyntaxError."""
    text = source.replace("\r", "").replace("\t", "  ")
    body = ast.parse(text, file_name(what)).body or [ast.Pass(lineno=1, col_offset=0)]
    arguments = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(name) for name in ("self", "inputs", "output", "request")],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[ast.Constant(None)] * 3,
    )
    definition = ast.FunctionDef(function, arguments, body, decorator_list=[], lineno=1, col_offset=0)
    module = ast.fix_missing_locations(ast.Module(body=[definition], type_ignores=[]))
    return compile(module, file_name(what), "exec")


def parameters(pairs: tuple[str, ...], names: dict[str, Any]) -> dict[str, Any]:
    """ParaView's Parameters (name, value, name, value...): each value a Python expression, evaluated in
    ``names``; raises ValueError for a name that is not an identifier or an odd number of strings."""
    if len(pairs) % 2:
        raise ValueError(f"Parameters takes pairs of name and value; got {len(pairs)} strings.")
    values = {}
    for name, value in zip(pairs[::2], pairs[1::2], strict=True):
        if not name.isidentifier():
            raise ValueError(f"Parameters: {name!r} is not a Python name.")
        values[name] = eval(compile(value, file_name(f"Parameters {name}"), "eval"), names)
    return values


def describe_error(exc: BaseException, sources: dict[str, str], stopped: str = "") -> str:
    """An error of user code in words, with the line of the script where it happened: "Script, line 3:
    NameError: name 'x' is not defined (in: y = x + 1)". ``sources`` maps a ``what`` to its text; ``stopped`` is
    why the guard interrupted the script (for a ScriptInterrupted)."""
    if isinstance(exc, ScriptInterrupted):
        where = _innermost_script_line(exc)
        reason = stopped or "The script was stopped."
        return reason + (f" It was at {where[0]}, line {where[1]}." if where else "")
    what, line = "", 0
    if isinstance(exc, SyntaxError) and (exc.filename or "").startswith(SCRIPT_PREFIX):
        what, line = _what(exc.filename), exc.lineno or 0
        message = f"SyntaxError: {exc.msg}"
    else:
        where = _innermost_script_line(exc)
        if where:
            what, line = where
        message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    if not what:
        return message
    lines = sources.get(what, "").replace("\r", "").splitlines()
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return f"{what}, line {line}: {message}" + (f" (in: {text})" if text else "")


def _what(filename: str) -> str:
    return filename[len(SCRIPT_PREFIX) : -1]


def _innermost_script_line(exc: BaseException) -> tuple[str, int] | None:
    """(what, line) of the innermost frame of user code in the exception's traceback."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(SCRIPT_PREFIX):
            found = (_what(frame.filename), frame.lineno or 0)
    return found
