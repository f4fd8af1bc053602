"""SPARQL Update text, written from terms: the one place where an IRI or a literal becomes
update text.

Every term is written by pyoxigraph (its N-Triples form, escaped by the library), so no
graph name, file name or value can end an IRI early or add an operation. Triples arrive as
N-Triples lines that pyoxigraph wrote too (:func:`graph.rdf.builder.iter_ntriples`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.errors import DhrkgError

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def term(value: Term) -> str:
    """A term as SPARQL writes it.

    >>> term(ox.NamedNode("urn:a")), term(ox.Literal('say "hi"'))
    ('<urn:a>', '"say \\\\"hi\\\\""')
    """
    return str(value)


def iri(value: str) -> ox.NamedNode:
    """An IRI as a term, refused if it is not one.

    >>> iri("urn:graph:1")
    <NamedNode value=urn:graph:1>
    >>> iri("urn:a> } ; DROP ALL ; INSERT DATA { <urn:b")
    Traceback (most recent call last):
    graph.errors.DhrkgError: not an IRI: 'urn:a> } ; DROP ALL ; INSERT DATA { <urn:b'
    """
    try:
        return ox.NamedNode(value)
    except ValueError:
        raise DhrkgError(f"not an IRI: {value!r}") from None


def drop_graph(graph: str) -> str:
    """Remove a named graph, if it is there."""
    return f"DROP SILENT GRAPH {term(iri(graph))}"


def insert_data(graph: str, ntriples: str) -> str:
    """Add triples (N-Triples lines written by pyoxigraph) to a named graph."""
    return f"INSERT DATA {{ GRAPH {term(iri(graph))} {{\n{ntriples}\n}} }}"


def delete_data(graph: str, ntriples: str) -> str:
    """Remove triples (N-Triples lines written by pyoxigraph) from a named graph."""
    return f"DELETE DATA {{ GRAPH {term(iri(graph))} {{\n{ntriples}\n}} }}"


def delete_values(graph: str, subject: str, predicate: str) -> str:
    """Remove every value of one property of one node in a named graph.

    >>> delete_values("urn:g", "urn:s", "urn:p")
    'DELETE WHERE { GRAPH <urn:g> { <urn:s> <urn:p> ?value } }'
    """
    return (f"DELETE WHERE {{ GRAPH {term(iri(graph))} {{ "
            f"{term(iri(subject))} {term(iri(predicate))} ?value }} }}")


def delete_about_each(graph: str, subjects: Iterable[str]) -> str:
    """Remove every triple about each of several nodes (as subject) in a named graph.

    >>> for part in delete_about_each("urn:g", ["urn:a", "urn:b"]).split(" WHERE "):
    ...     print(part)
    DELETE { GRAPH <urn:g> { ?node ?property ?value } }
    { VALUES ?node { <urn:a> <urn:b> } GRAPH <urn:g> { ?node ?property ?value } }
    """
    nodes = " ".join(term(iri(s)) for s in subjects)
    pattern = f"GRAPH {term(iri(graph))} {{ ?node ?property ?value }}"
    return f"DELETE {{ {pattern} }} WHERE {{ VALUES ?node {{ {nodes} }} {pattern} }}"


def sequence(operations: Iterable[str]) -> str:
    """Several operations as one request (one transaction on the stores dhrkg supports)."""
    return " ;\n".join(op for op in operations if op)
