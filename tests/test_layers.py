"""The package follows the data flow: a module imports only from its own stage or an earlier one,
and no modules import each other in a circle.

    errors, resources ← model ← extraction, enrich ← rdf ← store ← ingestion, analysis, harvest
        ← views ← web, cli, and the package's public names (graph/__init__.py)

Every import counts, also those inside functions (lazy imports still make one module depend on
another); only imports under ``if TYPE_CHECKING:`` are left out of the cycle check, since they
never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "graph"

STAGES: dict[str, int] = {
    "graph.errors": 0, "graph.resources": 0,
    "graph.model": 1,
    "graph.extraction": 2, "graph.enrich": 2,
    "graph.rdf": 3,
    "graph.store": 4,
    "graph.ingestion": 5, "graph.analysis": 5, "graph.harvest": 5,
    "graph.views": 6,
    "graph.web": 7, "graph.cli": 7, "graph": 7,
}


def stage(module: str) -> int:
    """The stage of a module: that of its longest listed prefix."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in STAGES:
            return STAGES[".".join(parts[:end])]
    raise KeyError(f"{module} belongs to no stage: add its package to STAGES")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, modules: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(imported module, line, only for type checkers) for each import of one of ``modules``;
    ``from package import submodule`` counts as importing the submodule."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded.update(id(child) for statement in node.body for child in ast.walk(statement))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                     for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] == "graph":
                found.append((name, node.lineno, id(node) in guarded))
    return found


def dependencies(*, runtime_only: bool) -> dict[str, set[str]]:
    modules = all_modules()
    return {name: {target for target, _, typing_only in imports(path, modules)
                   if target != name and not (runtime_only and typing_only)}
            for name, path in modules.items()}


def test_no_module_imports_against_the_data_flow() -> None:
    modules = all_modules()
    backwards = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name} (stage {stage(name)}) imports {target} (stage {stage(target)})"
        for name, path in modules.items()
        for target, line, _ in imports(path, modules)
        if stage(target) > stage(name)
    ]
    assert not backwards, "imports against the data flow:\n" + "\n".join(backwards)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the import graph, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_modules_import_each_other_in_a_circle() -> None:
    cycle = find_cycle(dependencies(runtime_only=True))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_check_catches_a_planted_backwards_import(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text("from graph.web.app import create_app\n", encoding="utf-8")
    modules = all_modules()
    (target, _, _), = imports(planted, modules)
    assert stage(target) > stage("graph.model.records")  # so a model module importing it would fail


def test_the_cycle_check_finds_a_circle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("package", sorted(p for p in all_modules() if all_modules()[p].name == "__init__.py"))
def test_every_package_says_what_it_owns(package: str) -> None:
    docstring = ast.get_docstring(ast.parse(all_modules()[package].read_text(encoding="utf-8")))
    assert docstring and len(docstring.split()) >= 15, f"{package} needs a module docstring saying what it owns"
