"""Query results that own their formats.

A :class:`Result` is what every query returns, whatever store answered it: rows for
SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE. It converts to plain Python
(``rows()``, ``to_dicts()``), to a pandas DataFrame, and serialises itself to every
SPARQL result or RDF format through :class:`Format`, so content negotiation is a lookup.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Value = str | int | float | bool | Decimal | None

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {f"{_XSD}{t}" for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}


class Format(Enum):
    """Every format a result can be written in: name, media type, extension, kind."""

    JSON = ("json", "application/sparql-results+json", "srj", "solutions", ox.QueryResultsFormat.JSON)
    XML = ("xml", "application/sparql-results+xml", "srx", "solutions", ox.QueryResultsFormat.XML)
    CSV = ("csv", "text/csv", "csv", "solutions", ox.QueryResultsFormat.CSV)
    TSV = ("tsv", "text/tab-separated-values", "tsv", "solutions", ox.QueryResultsFormat.TSV)
    TURTLE = ("ttl", "text/turtle", "ttl", "graph", ox.RdfFormat.TURTLE)
    NTRIPLES = ("nt", "application/n-triples", "nt", "graph", ox.RdfFormat.N_TRIPLES)
    RDFXML = ("rdfxml", "application/rdf+xml", "rdf", "graph", ox.RdfFormat.RDF_XML)
    JSONLD = ("jsonld", "application/ld+json", "jsonld", "graph", None)

    def __init__(self, label: str, media_type: str, extension: str, kind: str, native: Any) -> None:
        self.label = label
        self.media_type = media_type
        self.extension = extension
        self.kind = kind
        self.native = native

    @classmethod
    def from_name(cls, name: str) -> Format:
        """A format by its short name, media type or extension.

        >>> Format.from_name("text/csv") is Format.CSV, Format.from_name("ttl") is Format.TURTLE
        (True, True)
        """
        key = name.strip().lower()
        for fmt in cls:
            if key in (fmt.label, fmt.media_type, fmt.extension, fmt.name.lower()):
                return fmt
        raise ValueError(f"unknown result format {name!r}")

    @classmethod
    def for_kind(cls, kind: str) -> list[Format]:
        return [f for f in cls if f.kind == ("graph" if kind == "graph" else "solutions")]


def to_python(term: Term | None) -> Value:
    """An RDF term as a plain Python value: IRIs and strings as ``str``, numbers as
    numbers, booleans as ``bool``, unbound as ``None``."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype == f"{_XSD}decimal":
                return Decimal(term.value)
            if datatype in (f"{_XSD}double", f"{_XSD}float"):
                return float(term.value)
            if datatype == f"{_XSD}boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return term.value
    return str(term)


@dataclass(frozen=True)
class Result:
    """The answer to one query.

    >>> from graph.store.embedded import Store
    >>> store = Store()
    >>> result = store.query("SELECT ?n WHERE { VALUES ?n { 1 2 } }")
    >>> result.kind, result.variables, result.rows()
    ('select', ['n'], [(1,), (2,)])
    >>> result.serialize("csv").decode().splitlines()
    ['n', '1', '2']
    """

    kind: Literal["select", "ask", "graph"]
    variables: list[str]
    _terms: list[tuple[Term | None, ...]]
    boolean: bool | None = None
    truncated: bool = False  # rows were cut at a server's row cap

    @classmethod
    def from_oxigraph(cls, answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
        if isinstance(answer, ox.QueryBoolean):
            return cls("ask", [], [], bool(answer))
        if isinstance(answer, ox.QueryTriples):
            return cls("graph", ["subject", "predicate", "object"],
                       [(t.subject, t.predicate, t.object) for t in answer])
        # A solution iterates over its values in the order of the variables, unbound as None.
        return cls("select", [v.value for v in answer.variables], [tuple(solution) for solution in answer])

    def to_wire(self) -> tuple[str, list[str], bytes, bool | None, bool]:
        """A picklable form, to pass a result between processes."""
        if self.kind == "graph":
            body = ox.serialize([ox.Triple(*row) for row in self._terms],  # type: ignore[arg-type]
                                format=ox.RdfFormat.N_TRIPLES) or b""
        else:
            body = _solutions_json(self.variables, self._terms)
        return (self.kind, self.variables, body, self.boolean, self.truncated)

    @classmethod
    def from_wire(cls, wire: tuple[str, list[str], bytes, bool | None, bool]) -> Result:
        kind, variables, body, boolean, truncated = wire
        if kind == "graph":
            terms: list[tuple[Term | None, ...]] = [
                (q.subject, q.predicate, q.object) for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        elif kind == "ask":
            terms = []
        else:
            solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            assert isinstance(solutions, ox.QuerySolutions)
            terms = [tuple(s[v] for v in variables) for s in solutions]
        return cls(kind, variables, terms, boolean, truncated)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[tuple[Value, ...]]:
        return iter(self.rows())

    def terms(self) -> list[tuple[Term | None, ...]]:
        """The rows as RDF terms (pyoxigraph), for callers that need datatypes."""
        return list(self._terms)

    def rows(self) -> list[tuple[Value, ...]]:
        """The rows as tuples of plain Python values, in ``variables`` order."""
        return [tuple(to_python(t) for t in row) for row in self._terms]

    def to_dicts(self) -> list[dict[str, Value]]:
        """The rows as dictionaries keyed by variable name; unbound variables are left out."""
        return [
            {name: to_python(t) for name, t in zip(self.variables, row) if t is not None}
            for row in self._terms
        ]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (install the ``pandas`` extra)."""
        try:
            import pandas as pd
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install 'dhrkg[pandas]'") from err
        return pd.DataFrame(self.rows(), columns=self.variables)

    def serialize(self, format: Format | str = Format.JSON) -> bytes:
        """The result in a SPARQL results format (SELECT/ASK) or an RDF format (CONSTRUCT)."""
        fmt = format if isinstance(format, Format) else Format.from_name(format)
        wanted = "graph" if self.kind == "graph" else "solutions"
        if fmt.kind != wanted:
            raise ValueError(f"a {self.kind.upper()} result cannot be written as {fmt.label}")
        if self.kind == "graph":
            triples = [ox.Triple(*row) for row in self._terms]  # type: ignore[arg-type]
            if fmt.native is None:
                return _jsonld(triples)
            return ox.serialize(triples, format=fmt.native) or b""
        if self.kind == "ask":
            return _boolean_document(bool(self.boolean), fmt)
        return _solutions_document(self.variables, self._terms, fmt)


def _solutions_document(variables: list[str], rows: list[tuple[Term | None, ...]], fmt: Format) -> bytes:
    # pyoxigraph writes result documents only from its own iterators, so the rows go
    # through a JSON document it parses back; JSON needs no round trip.
    json_doc = _solutions_json(variables, rows)
    if fmt is Format.JSON:
        return json_doc
    parsed = ox.parse_query_results(json_doc, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=fmt.native) or b""


def _solutions_json(variables: list[str], rows: list[tuple[Term | None, ...]]) -> bytes:
    import json

    def encode(term: Term) -> dict[str, str]:
        if isinstance(term, ox.NamedNode):
            return {"type": "uri", "value": term.value}
        if isinstance(term, ox.BlankNode):
            return {"type": "bnode", "value": term.value}
        if isinstance(term, ox.Literal):
            out = {"type": "literal", "value": term.value}
            if term.language:
                out["xml:lang"] = term.language
            elif term.datatype.value != f"{_XSD}string":
                out["datatype"] = term.datatype.value
            return out
        return {"type": "literal", "value": str(term)}

    document = {
        "head": {"vars": variables},
        "results": {"bindings": [
            {name: encode(t) for name, t in zip(variables, row) if t is not None} for row in rows
        ]},
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _boolean_document(value: bool, fmt: Format) -> bytes:
    parsed = ox.parse_query_results(
        b'{"head":{},"boolean":' + (b"true" if value else b"false") + b"}",
        format=ox.QueryResultsFormat.JSON,
    )
    return parsed.serialize(format=fmt.native) or b""


def _jsonld(triples: list[ox.Triple]) -> bytes:
    from rdflib import Graph

    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    graph = Graph().parse(io.BytesIO(ntriples), format="nt")
    return graph.serialize(format="json-ld", indent=2).encode("utf-8")
