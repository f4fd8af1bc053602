"""Start-up loads only what is used: importing the package, its readers or asking the command
for help loads no numerical library, network library or web framework."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sklearn", "scipy", "networkx", "graspologic_native", "matplotlib", "fastapi", "uvicorn", "pyvis", "pandas")

LOADED = "import json, sys; {code}; print(json.dumps(sorted(m for m in {heavy} if m in sys.modules)))"


@pytest.mark.parametrize("code", [
    "import graph",
    "from graph import Store, extract, ingest, reviews",
    "import graph.extraction",
    "from graph.cli import main; sys.argv = ['dhrkg', '--help']\ntry:\n    main()\nexcept SystemExit:\n    pass",
    "from graph.cli import main; sys.argv = ['dhrkg', 'link', '--help']\ntry:\n    main()\nexcept SystemExit:\n    pass",
])
def test_start_up_loads_no_heavy_library(code: str) -> None:
    script = LOADED.format(code=code, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_public_names_resolve_to_what_they_name() -> None:
    import graph

    assert set(graph.__all__) == set(graph._PUBLIC)
    for name in graph.__all__:
        assert getattr(graph, name).__name__ == name
    import graph.ingestion.pipeline  # a subpackage never shadows a public name

    assert callable(graph.ingest) and callable(graph.extract)
