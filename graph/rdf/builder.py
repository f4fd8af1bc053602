"""The triple builder every mapping shares: plain tuples of IRIs and literals, literals in
Oxigraph's canonical forms, and N-Triples lines written exactly as Oxigraph writes them.

Triples are kept as Python tuples and written as text without building a pyoxigraph term
each (measured on 1,000 generated reviews: building and printing ``pyoxigraph.Triple``
objects took a third of reading, enriching and mapping a page). The text is what Oxigraph
itself prints for the same terms, so a document written again compares line by line with
what the store dumps (see :meth:`graph.store.embedded.Store.replace_graph_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import URIRef

from graph.model.terms import XSD

Triple = ox.Triple
_XSD_STRING = str(XSD.string)
_XSD_DECIMAL = str(XSD.decimal)


class Lit(NamedTuple):
    """A literal: its lexical form, and its datatype IRI or language tag (neither: a string).

    >>> print(Lit('say "hi"\\n'), Lit("2016", str(XSD.gYear)), Lit("x", language="en"))
    "say \\"hi\\"\\n" "2016"^^<http://www.w3.org/2001/XMLSchema#gYear> "x"@en
    """

    value: str
    datatype: str | None = None
    language: str | None = None

    def __str__(self) -> str:
        if self.language:
            return f"{quoted(self.value)}@{self.language}"
        if self.datatype and self.datatype != _XSD_STRING:
            return f"{quoted(self.value)}^^<{self.datatype}>"
        return quoted(self.value)

    def term(self) -> ox.Literal:
        """The pyoxigraph literal."""
        if self.language:
            return ox.Literal(self.value, language=self.language)
        if self.datatype and self.datatype != _XSD_STRING:
            return ox.Literal(self.value, datatype=_node(self.datatype))
        return ox.Literal(self.value)

    @classmethod
    def of(cls, literal: ox.Literal) -> Lit:
        """The literal of a pyoxigraph literal."""
        datatype = literal.datatype.value
        return cls(literal.value, None if datatype == _XSD_STRING or literal.language else datatype, literal.language)


Object = str | Lit  # an IRI, or a literal
_ESCAPED = re.compile(r'[\x00-\x1f\x7f"\\]')
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def quoted(value: str) -> str:
    """A string as N-Triples quotes it, character for character as Oxigraph does.

    >>> quoted('a "b"\\t\\x00')
    '"a \\\\"b\\\\"\\\\t\\\\u0000"'
    """
    if _ESCAPED.search(value) is None:
        return f'"{value}"'
    return '"' + _ESCAPED.sub(lambda m: _ESCAPES.get(m.group(0)) or f"\\u{ord(m.group(0)):04X}", value) + '"'


@lru_cache(maxsize=65536)
def _node(iri: str) -> ox.NamedNode:
    # Predicates, classes and shared nodes repeat in every document: build each once.
    return ox.NamedNode(str(iri))


# ------------------------------------------------------------------ literals


def string(value: str) -> Lit:
    return Lit(value)


def typed(value: object, datatype: URIRef) -> Lit:
    text = str(value)
    if str(datatype) == _XSD_DECIMAL and "." in text:  # Oxigraph's canonical form: "0.750" is stored as "0.75"
        text = text.rstrip("0").rstrip(".") or "0"
    return Lit(text, str(datatype))


def boolean(value: bool) -> Lit:
    return typed("true" if value else "false", XSD.boolean)


def dated(value: str) -> Lit:
    """A date as precise as printed: ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``."""
    return typed(value, {10: XSD.date, 7: XSD.gYearMonth}.get(len(value), XSD.gYear))


# ------------------------------------------------------------------ the document's triples


class Triples:
    """Triples as ``(subject IRI, predicate IRI, object)`` tuples; an object is an IRI (``str``)
    or a :class:`Lit`."""

    def __init__(self) -> None:
        self.tuples: list[tuple[str, str, Object]] = []

    def add(self, s: URIRef | str, p: URIRef | str, o: URIRef | str | Lit | ox.Literal) -> None:
        """Add a triple; a ``str`` object is an IRI (literals are built with ``string``/``typed``).

        IRIs are written as they are given: every IRI dhrkg writes is minted from hashes, slugs
        and codes (:mod:`graph.model.iris`) or read from the ontology, never taken from a file.
        """
        if isinstance(o, ox.Literal):
            o = Lit.of(o)
        elif not isinstance(o, Lit):
            o = str(o)
        self.tuples.append((str(s), str(p), o))

    def lines(self) -> list[str]:
        """The triples as N-Triples lines, as Oxigraph prints them."""
        return [f"<{s}> <{p}> {o if isinstance(o, Lit) else f'<{o}>'} ." for s, p, o in self.tuples]

    @property
    def items(self) -> list[Triple]:
        """The triples as pyoxigraph triples."""
        return [ox.Triple(_node(s), _node(p), o.term() if isinstance(o, Lit) else _node(o)) for s, p, o in self.tuples]


def iter_ntriples(triples: Iterable[Triple]) -> Iterator[str]:
    """Triples as N-Triples lines: the escaped form used inside ``INSERT DATA``."""
    for triple in triples:
        yield f"{triple.subject} {triple.predicate} {triple.object} ."
