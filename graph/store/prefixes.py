"""The prefixes every query may use without declaring them, as public SPARQL endpoints do.

They are the ontology's own prefix declarations (``ontology/dhr.ttl``: ``dhr:``, ``skos:``,
``dcterms:``, ``org:``, ``prov:``, ``rdfs:``, ``rdf:``, ``xsd:``, ``owl:``, …), so no namespace
is typed twice. The embedded store hands them to Oxigraph's parser (``prefixes=``); a remote
store cannot, so :func:`with_prologue` declares the ones a query does not declare itself.
A query's own ``PREFIX`` lines always win.
"""

from __future__ import annotations

import re
from functools import cache

import pyoxigraph as ox

from graph.resources import ontology_dir


@cache
def predeclared() -> dict[str, str]:
    """The predeclared prefixes, by name.

    >>> predeclared()["skos"], predeclared()["dhr"]
    ('http://www.w3.org/2004/02/skos/core#', 'https://w3id.org/dhrkg/ontology#')
    """
    parser = ox.parse(path=str(ontology_dir() / "dhr.ttl"), format=ox.RdfFormat.TURTLE)
    for _ in parser:  # the declarations are known once the file is read
        pass
    return dict(sorted(parser.prefixes.items()))


_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def with_prologue(sparql: str) -> str:
    """``sparql`` with a ``PREFIX`` line for each predeclared prefix it does not declare itself.

    >>> with_prologue("PREFIX skos: <urn:mine#> SELECT * {}").count("PREFIX skos:")
    1
    >>> "PREFIX dhr: <https://w3id.org/dhrkg/ontology#>" in with_prologue("ASK { ?s a dhr:Review }")
    True
    """
    declared = {name or "" for name in _DECLARED.findall(sparql)}
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in predeclared().items() if name not in declared]
    return "\n".join([*lines, sparql]) if lines else sparql


def prefix_lines() -> list[str]:
    """The predeclared prefixes as ``PREFIX`` lines, for people (the query page lists them).

    >>> prefix_lines()[0]
    'PREFIX dcterms: <http://purl.org/dc/terms/>'
    """
    return [f"PREFIX {name}: <{iri}>" for name, iri in predeclared().items()]


_LOCAL = re.compile(r"^[A-Za-z_][\w-]*(?:[\w.-]*[\w-])?$")


def compact_name(iri: str) -> str:
    """The shortest name of an IRI that dhrkg accepts back: a minted node as ``kind/id`` (what
    ``--param`` takes), a term as ``prefix:name``, anything else whole. Never cut.

    >>> compact_name("https://w3id.org/dhrkg/id/review/be687d6216b31eca")
    'review/be687d6216b31eca'
    >>> compact_name("https://w3id.org/dhrkg/ontology#AllAgencies"), compact_name("https://example.org/a b")
    ('dhr:AllAgencies', 'https://example.org/a b')
    """
    minted = predeclared().get("dhrid", "")
    if minted and iri.startswith(minted) and len(iri) > len(minted):
        return iri[len(minted):]
    for name, namespace in predeclared().items():
        if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
            return f"{name}:{iri[len(namespace):]}"
    return iri


def expand_name(text: str) -> str | None:
    """The IRI a ``prefix:name`` written with a predeclared prefix stands for, else None.

    >>> expand_name("dhr:AllAgencies"), expand_name("https://example.org/x")
    ('https://w3id.org/dhrkg/ontology#AllAgencies', None)
    """
    name, sep, local = text.partition(":")
    if sep and name in predeclared() and _LOCAL.match(local):
        return predeclared()[name] + local
    return None
