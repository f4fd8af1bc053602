"""Validation: the SHACL shapes of ``ontology/shapes.ttl`` plus every SPARQL check in
``ontology/checks/`` (each returns ``?focus ?problem`` rows; any row is a violation).

The checks folder is the list: drop a ``.rq`` file there and ``dhrkg validate`` runs it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH

from graph.resources import ontology_dir
from graph.store.base import GraphStore


@dataclass(frozen=True)
class Violation:
    """One thing wrong: the node, what is wrong, and which shape or check said so."""

    focus: str
    message: str
    source: str
    path: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    violations: list[Violation]

    @property
    def conforms(self) -> bool:
        return not self.violations


def validate(store: GraphStore) -> ValidationReport:
    """Run the SHACL shapes and the SPARQL checks over everything in ``store``.

    >>> from graph.store.embedded import Store
    >>> validate(Store()).conforms
    True
    """
    return ValidationReport(_shacl(store) + _checks(store))


def _shacl(store: GraphStore) -> list[Violation]:
    from pyshacl import validate as shacl_validate

    data = Graph().parse(io.BytesIO(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize("nt")),
                         format="nt")
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    violations: list[Violation] = []
    for result in results.subjects(predicate=SH.focusNode):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        shape = results.value(result, SH.sourceShape)
        violations.append(Violation(
            focus=str(focus), message=str(message), path=str(path) if path is not None else None,
            source=f"shape {shape}" if shape is not None else "SHACL",
        ))
    return sorted(violations, key=lambda v: (v.focus, v.message))


def _checks(store: GraphStore) -> list[Violation]:
    violations: list[Violation] = []
    for check in sorted((ontology_dir() / "checks").glob("*.rq")):
        for row in store.query(check.read_text(encoding="utf-8")).to_dicts():
            violations.append(Violation(str(row.get("focus")), str(row.get("problem")), f"check {check.stem}"))
    return violations
