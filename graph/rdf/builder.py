"""The triple builder every mapping shares: pyoxigraph terms, literals in Oxigraph's canonical
forms, and N-Triples lines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import URIRef

from graph.model.terms import XSD

Triple = ox.Triple


@lru_cache(maxsize=65536)
def _node(iri: str) -> ox.NamedNode:
    # Predicates, classes and shared nodes repeat in every document: build each once.
    return ox.NamedNode(str(iri))


# ------------------------------------------------------------------ literals


def string(value: str) -> ox.Literal:
    return ox.Literal(value)


def typed(value: object, datatype: URIRef) -> ox.Literal:
    text = str(value)
    if datatype == XSD.decimal and "." in text:  # Oxigraph's canonical form: "0.750" is stored as "0.75"
        text = text.rstrip("0").rstrip(".") or "0"
    return ox.Literal(text, datatype=_node(datatype))


def boolean(value: bool) -> ox.Literal:
    return typed("true" if value else "false", XSD.boolean)


def dated(value: str) -> ox.Literal:
    """A date as precise as printed: ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``."""
    return typed(value, {10: XSD.date, 7: XSD.gYearMonth}.get(len(value), XSD.gYear))


# ------------------------------------------------------------------ the document's triples


class Triples:
    def __init__(self) -> None:
        self.items: list[Triple] = []

    def add(self, s: URIRef | str, p: URIRef, o: URIRef | str | ox.Literal) -> None:
        """Add a triple; a ``str`` object is an IRI (literals are built with ``string``/``typed``)."""
        obj = o if isinstance(o, ox.Literal) else _node(o)
        self.items.append(ox.Triple(_node(s), _node(p), obj))


def iter_ntriples(triples: Iterable[Triple]) -> Iterator[str]:
    """Triples as N-Triples lines: the escaped form used inside ``INSERT DATA``."""
    for triple in triples:
        yield f"{triple.subject} {triple.predicate} {triple.object} ."
