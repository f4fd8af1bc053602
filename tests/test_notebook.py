"""The tour notebook runs from top to bottom, so it cannot rot."""

from __future__ import annotations

import pytest

from scripts.build_tour_notebook import NOTEBOOK, execute


def test_the_tour_notebook_executes() -> None:
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    notebook = execute(nbformat.read(NOTEBOOK, as_version=4), timeout=300)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the chart was drawn
    assert "links" in "".join(o.get("text", "") for o in outputs)
