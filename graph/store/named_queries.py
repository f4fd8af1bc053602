"""The library of named SPARQL queries: ``graph/queries/*.rq`` files with a header.

Each file opens with ``#+`` lines::

    #+ summary: Recommendations addressed to each agency, most first.
    #+ param review: iri  The review whose recommendations to list.
    #+ param csp?: string  Only reviews of this CSP (optional).

Parameters are checked against their declared type and bound as RDF terms: a ``VALUES``
block of terms written by pyoxigraph is put at the top of each group pattern (see
:func:`graph.store.safety.bind`), so a value never becomes query text. The loader fails loudly on a bad
header, and the code never lists the queries: the folder is the list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from graph.errors import QueryError
from graph.model.terms import AGENCY_TYPES, ID, THEMES
from graph.resources import queries_dir
from graph.store.prefixes import expand_name

PARAM_TYPES = ("iri", "string", "integer", "year", "date", "theme", "agency-type")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    optional: bool = False


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file: its name (the file stem), summary, parameters and text."""

    name: str
    summary: str
    params: tuple[Param, ...]
    text: str
    path: Path

    def bindings(self, values: Mapping[str, object]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Checked values for the declared parameters, as substitutions.

        :raises QueryError: for a missing, unknown or ill-typed parameter, by name.
        """
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            allowed = ", ".join(declared) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)} (it takes: {allowed})")
        missing = [p.name for p in self.params if not p.optional and values.get(p.name) in (None, "")]
        if missing:
            raise QueryError(f"query {self.name!r} needs parameter {', '.join(missing)}")
        return {
            ox.Variable(name): _term(declared[name], value, self.name)
            for name, value in values.items()
            if value not in (None, "")
        }


def _term(param: Param, value: object, query: str) -> ox.NamedNode | ox.Literal:
    text = str(value).strip()
    problem = f"parameter {param.name} of {query!r} must be"
    if param.type == "iri":
        if (expanded := expand_name(text)) is not None:  # dhr:AllAgencies, as the CLI table prints it
            return ox.NamedNode(expanded)
        if re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", text, re.IGNORECASE):
            return ox.NamedNode(text)
        if re.match(r"^[\w./-]+$", text):  # a short id such as "review/ab12…"
            return ox.NamedNode(str(ID[text]))
        raise QueryError(f"{problem} an IRI, not {text!r}")
    if param.type in ("integer", "year"):
        if not re.fullmatch(r"-?\d+", text):
            raise QueryError(f"{problem} a whole number, not {text!r}")
        datatype = "gYear" if param.type == "year" else "integer"
        return ox.Literal(text, datatype=ox.NamedNode(f"http://www.w3.org/2001/XMLSchema#{datatype}"))
    if param.type == "date":
        if not _is_date(text):
            raise QueryError(f"{problem} a date written YYYY-MM-DD, not {text!r}")
        return ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    if param.type == "theme":
        if text not in THEMES:
            raise QueryError(f"{problem} a theme code such as T1 or T4.2, not {text!r}")
        return ox.NamedNode(str(THEMES[text]))
    if param.type == "agency-type":
        if text not in AGENCY_TYPES:
            raise QueryError(f"{problem} an agency-type code such as A01, not {text!r}")
        return ox.NamedNode(str(AGENCY_TYPES[text]))
    return ox.Literal(text)


def _is_date(text: str) -> bool:
    """Whether text is a real calendar date written ``YYYY-MM-DD``."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


_HEADER = re.compile(r"^#\+\s*(?P<key>\w+)(?:\s+(?P<name>\w+)(?P<optional>\?)?)?\s*:\s*(?P<value>.*)$")


def parse_named_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header.

    :raises QueryError: naming the file and line of a malformed header.
    """
    text = path.read_text(encoding="utf-8")
    summary: str | None = None
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        match = _HEADER.match(line)
        if match is None:
            raise QueryError(f"{path.name}:{number}: malformed header line {line!r}")
        key, value = match["key"], match["value"].strip()
        if key == "summary":
            summary = value
        elif key == "param" and match["name"]:
            type_, _, description = value.partition(" ")
            if type_ not in PARAM_TYPES:
                raise QueryError(f"{path.name}:{number}: parameter type {type_!r} is not one of {PARAM_TYPES}")
            if not re.search(rf"\?{match['name']}\b", text):
                raise QueryError(f"{path.name}:{number}: parameter {match['name']} is not used in the query")
            params.append(Param(match["name"], type_, description.strip(), bool(match["optional"])))
        else:
            raise QueryError(f"{path.name}:{number}: unknown header {key!r}")
    if not summary:
        raise QueryError(f"{path.name}: missing '#+ summary:' header")
    return NamedQuery(path.stem, summary, tuple(params), text, path)


@cache
def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query shipped with dhrkg, by name.

    >>> "recommendations-per-agency" in named_queries()
    True
    """
    directory = folder or queries_dir()
    return {q.name: q for q in map(parse_named_query, sorted(directory.glob("*.rq")))}


def named_query(name: str) -> NamedQuery:
    """One named query by name.

    :raises QueryError: for an unknown name, listing the known ones.
    """
    library = named_queries()
    if name not in library:
        raise QueryError(f"no named query {name!r}; known: {', '.join(sorted(library))}")
    return library[name]


@cache
def shipped_texts() -> frozenset[str]:
    """The text of every query shipped with dhrkg, named or internal: code, not user input
    (the test suite parses each one)."""
    internal = (queries_dir() / "internal").glob("*.rq")
    return frozenset([q.text for q in named_queries().values()] + [parse_named_query(p).text for p in internal])


@cache
def internal_query(name: str) -> NamedQuery:
    """A query dhrkg runs itself (``graph/queries/internal/``): not listed among the named
    queries, but headed and checked the same way."""
    return parse_named_query(queries_dir() / "internal" / f"{name}.rq")
