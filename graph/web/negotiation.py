"""Content negotiation: pick the result format a client accepts, by kind of result."""

from __future__ import annotations

from dataclasses import dataclass

from graph.store.results import Format

_SOLUTIONS = {
    "application/sparql-results+json": Format.JSON, "application/json": Format.JSON,
    "application/sparql-results+xml": Format.XML, "application/xml": Format.XML, "text/xml": Format.XML,
    "text/csv": Format.CSV, "text/tab-separated-values": Format.TSV,
}
_GRAPH = {
    "text/turtle": Format.TURTLE, "application/x-turtle": Format.TURTLE,
    "text/n3": Format.TURTLE, "text/rdf+n3": Format.TURTLE,  # Turtle is valid N3
    "application/n-triples": Format.NTRIPLES, "text/plain": Format.NTRIPLES,
    "application/ld+json": Format.JSONLD, "application/json": Format.JSONLD,
    "application/rdf+xml": Format.RDFXML, "application/xml": Format.RDFXML,
}
DEFAULTS = {"solutions": Format.JSON, "graph": Format.TURTLE}
_ALIASES = {"turtle": "ttl", "n3": "ttl", "ntriples": "nt", "n-triples": "nt", "rdf+xml": "rdfxml",
            "xml-rdf": "rdfxml", "json-ld": "jsonld", "tab-separated-values": "tsv"}


@dataclass(frozen=True)
class MediaRange:
    type: str
    quality: float
    order: int


def parse_accept(header: str | None) -> list[MediaRange]:
    """Media ranges of an Accept header, best first (q-value, then specificity, then order).

    >>> [m.type for m in parse_accept("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1")]
    ['application/sparql-results+json', 'text/csv', '*/*']
    """
    ranges: list[MediaRange] = []
    for order, part in enumerate((header or "*/*").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append(MediaRange(media, quality, order))
    specificity = {True: 0, False: 1}
    return sorted((r for r in ranges if r.quality > 0),
                  key=lambda r: (-r.quality, specificity["*" not in r.type], r.order))


def choose(kind: str, accept: str | None, format_name: str | None = None) -> Format | None:
    """The format to answer with for a result kind (``solutions``/``graph``), or None (406).

    A ``format`` parameter (short name, alias or media type) wins over the Accept header
    when it names a format of this kind; clients such as SPARQLWrapper send both.

    >>> choose("solutions", "text/tab-separated-values") is Format.TSV, choose("graph", "text/csv")
    (True, None)
    """
    table = _GRAPH if kind == "graph" else _SOLUTIONS
    if format_name:
        name = _ALIASES.get(format_name.strip().lower(), format_name)
        try:
            fmt = Format.from_name(name)
        except ValueError:
            fmt = None
        if fmt is not None and fmt.kind == kind:
            return fmt
    for media in parse_accept(accept):
        if media.type == "*/*":
            return DEFAULTS[kind]
        if media.type in table:
            return table[media.type]
        if media.type.endswith("/*"):
            prefix = media.type[:-1]
            for name, fmt in table.items():
                if name.startswith(prefix):
                    return fmt
    return None


def known_format(name: str) -> bool:
    """Whether ``format=name`` names a result format (by short name, alias or media type).

    >>> known_format("json-ld"), known_format("text/csv"), known_format("a b")
    (True, True, False)
    """
    try:
        Format.from_name(_ALIASES.get(name.strip().lower(), name))
    except ValueError:
        return False
    return True


def prefers_html(accept: str | None) -> bool:
    """Whether a client (a browser) would rather have HTML than RDF."""
    for media in parse_accept(accept):
        if media.type in ("text/html", "application/xhtml+xml"):
            return True
        if media.type in _GRAPH or media.type in _SOLUTIONS:
            return False
    return False
