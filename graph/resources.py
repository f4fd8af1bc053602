"""Where the files dhrkg ships with live: the ontology, the bundled data and the named queries.

In a source checkout (and an editable install) they sit beside the package; a wheel
carries copies inside it under ``graph/_bundled``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"dhrkg is installed without its {name}/ folder")


def ontology_dir() -> Path:
    """The folder of Turtle files: model, schemes, gazetteer, SHACL shapes and checks."""
    return _shipped("ontology")


def data_dir() -> Path:
    """The bundled sample data that ``dhrkg build`` ingests by default."""
    return _shipped("data")


def devset_dir() -> Path:
    """The hand-labelled development sets that ``dhrkg eval`` measures against."""
    return _PACKAGE / "devset"


def queries_dir() -> Path:
    """The library of named SPARQL queries (``*.rq`` with ``#+`` headers)."""
    return _PACKAGE / "queries"
