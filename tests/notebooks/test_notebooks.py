"""Every notebook executes with a real kernel, shows a widget and no error."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

#: parameterised documents (HTML output, no widgets, a parameters cell): tested in test_reports_e2e
DOCUMENTS = {"quarterly_report.ipynb"}
NOTEBOOKS = sorted(
    p
    for p in (Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb")
    if p.name not in DOCUMENTS
)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def execute(path: Path, env: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits the environment it is started in
    try:
        NotebookClient(
            nb,
            timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return nb


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_and_shows_a_widget(path, tmp_path):
    nb = execute(path, {"SOS_TOOLKIT_DATA_DIR": str(tmp_path), "QUERY_STRING": ""})
    outs = outputs(nb)
    assert not [o for o in outs if o.output_type == "error"], [o.get("evalue") for o in outs]
    assert not [o for o in outs if o.output_type == "stream" and o.name == "stderr"]
    assert any(WIDGET_MIME in o.get("data", {}) for o in outs), "no widget was displayed"


def test_notebooks_are_one_code_cell_without_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert len(code) == 1, f"{path.name} should hold one code cell (logic lives in toolkit/)"
        assert not code[0].get("outputs"), f"{path.name} is stored with outputs"
        assert code[0].get("execution_count") is None, f"{path.name} is stored with outputs"
