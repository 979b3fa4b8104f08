"""The notebooks in ``notebooks/`` run top to bottom in a real Jupyter kernel (nbclient with
ipykernel), are stored without outputs, and hold calls and prose only.

Each runs with ``notebooks/`` as its working folder, as Jupyter would open it. The trends notebook
reads the City of London files in ``../shared`` (skipped without them on a developer's machine,
a failure under ``.ci/run``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shared_data import RAW, needs

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["01_quickstart.ipynb", "02_trends_and_spc.ipynb", "03_peers_and_funnels.ipynb",
         "04_evidence_pack.ipynb"]
NEEDS = {"02_trends_and_spc.ipynb": RAW / "police_uk_street_2024_25_city_of_london"}


def test_the_notebooks_are_the_ones_listed() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_stored_without_outputs_and_with_no_definitions(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, name
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, (name, cell.source[:60])
        # Logic belongs in the library: no functions or classes defined in a notebook.
        tree = ast.parse(cell.source)
        defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        assert not defined, (name, cell.source[:60])


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=needs(NEEDS[n])) if n in NEEDS else n for n in NAMES]
)
def test_runs_top_to_bottom_in_a_kernel(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert outputs, f"{name} printed nothing"
