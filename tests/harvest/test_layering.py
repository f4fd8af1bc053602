"""The harvester sits at the edge: it uses extract, model, ingest and store, and only the CLI uses it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graph.harvest import HarvestSettings, default_cache

PACKAGE = Path(__file__).parents[2] / "graph"
ALLOWED = {"graph.harvest", "graph.extraction", "graph.model", "graph.ingestion", "graph.store", "graph.errors",
           "graph.resources"}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "graph" or name.startswith("graph.")}


def test_only_the_cli_imports_the_harvester() -> None:
    users = {str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
             if "harvest" not in path.relative_to(PACKAGE).parts
             and any(name.startswith("graph.harvest") for name in imports(path))}
    assert users == {"cli.py"}


def test_the_harvester_imports_only_earlier_stages() -> None:
    for path in (PACKAGE / "harvest").glob("*.py"):
        outside = {name for name in imports(path) if not any(name == a or name.startswith(a + ".") for a in ALLOWED)}
        assert outside == set(), f"{path.name} imports {outside}"


def test_the_defaults_are_polite_and_the_cache_is_the_users(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = HarvestSettings()
    assert settings.delay >= 1.0 and settings.base_url == "https://homicide-review.homeoffice.gov.uk/"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache() == tmp_path / "dhrkg" / "homeoffice"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache() == Path.home() / ".cache" / "dhrkg" / "homeoffice"
