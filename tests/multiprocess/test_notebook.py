"""A notebook executed headless in a real Jupyter kernel (nbclient): a view is the interactive widget with its PNG
as fallback, costs one render, and sources show their HTML summary."""

from __future__ import annotations

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("anywidget")

WIDGET = "application/vnd.jupyter.widget-view+json"
CELLS = [
    "from simple import *\n"
    "renders = []\n"
    "conn = Connect()\n"
    "_render = conn.render\n"
    "conn.render = lambda *args, **kw: renders.append(args) or _render(*args, **kw)",
    "sphere = Sphere(ThetaResolution=16)\nShow(sphere)\nRender()",
    "print('renders', len(renders))",
    "sphere",
]


def test_a_notebook_shows_the_view_as_a_widget_rendered_once(tmp_path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    view_outputs = notebook.cells[1].outputs
    assert len(view_outputs) == 1, view_outputs
    data = view_outputs[0]["data"]
    assert WIDGET in data and data[WIDGET]["model_id"]
    assert "image/png" in data  # the fallback nbconvert and HTML export show
    printed = "".join(out.get("text", "") for out in notebook.cells[2].outputs)
    assert printed.strip() == "renders 1"
    summary = notebook.cells[3].outputs[0]["data"]
    assert "text/html" in summary and "ThetaResolution" in summary["text/html"]
