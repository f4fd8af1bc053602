"""Curated corrections in the store: where they are kept, reading them, and applying them to
the graphs they concern.

The corrections live in one named graph (:data:`CURATION_GRAPH`). Their effects are written
into the graphs of the machine's statements (:func:`graph.rdf.curated.corrected`) whenever
those are written: by ``dhrkg ingest`` before a document is stored (:func:`correct_text`), when
the ontology or a user's vocabulary is (re)loaded (:func:`correct_triples`), and by ``dhrkg
curate`` for the graphs a new correction concerns (:func:`apply_curation`), so corrections
survive re-ingest and every query reads them without knowing about curation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.model.terms import DHR, ID
from graph.rdf.builder import iter_ntriples
from graph.rdf.corrections import Correction, Curation, code_of, correction_triples, parse_stamp
from graph.rdf.curated import corrected
from graph.store.named_queries import internal_query

if TYPE_CHECKING:  # the store reads corrections through these functions, so they cannot import it
    from graph.store.base import GraphStore

CURATION_GRAPH = ID["graph/curation"]
"""The named graph holding every curated correction, its curator, and the merges in force."""

_CURATED_GRAPHS = (f"{ID}source/", f"{ID}graph/vocabulary/", f"{ID}graph/ontology")
"""The graphs corrections apply to: documents, users' vocabularies and the ontology (never a
derived graph, which is computed from these)."""


def load_curation(store: GraphStore) -> Curation:
    """Every correction in the store, with the names and types of the organisations they add.

    >>> from graph import Store
    >>> bool(load_curation(Store()))
    False
    """
    if not store.has_graph(str(CURATION_GRAPH)):
        return Curation()
    query = internal_query("corrections")
    corrections = []
    for row in store.query(query.text, bindings=query.bindings({"graph": CURATION_GRAPH})).to_dicts():
        field, value = str(row["field"]), str(row["value"])
        corrections.append(Correction(str(row["target"]), field, str(row["action"]),
                                      code_of(value) or value if field in ("theme", "agency-type") else value,
                                      str(row["curator"]), parse_stamp(str(row["at"])),
                                      str(row["note"]) if row.get("note") is not None else None))
    curation = Curation(corrections)
    names, types = organisations(store, curation.organisations())
    return Curation(corrections, names, types)


def organisations(store: GraphStore, agencies: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The names and machine-given types (codes) of organisations, where the store knows them."""
    query = internal_query("organisation")
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    for agency in sorted(set(agencies)):
        for row in store.query(query.text, bindings=query.bindings({"agency": agency})).to_dicts():
            if row.get("name") is not None:
                names[agency] = str(row["name"])
            if row.get("type") is not None:
                types[agency] = str(row["type"])
    return names, types


def curated_graph(graph: str) -> bool:
    """Whether corrections apply to a named graph (a document, a vocabulary, the ontology)."""
    return graph.startswith(_CURATED_GRAPHS)


def correct_text(curation: Curation, graph: str, ntriples: str) -> str:
    """A graph about to be written, as N-Triples, with the corrections in force applied; the
    text unchanged (and not parsed) when no correction concerns it."""
    if not curation.touches(graph, ntriples):
        return ntriples
    triples = [q.triple for q in ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]
    return "\n".join(iter_ntriples(corrected(triples, curation)))


def correct_triples(store: GraphStore, triples: list[ox.Triple]) -> list[ox.Triple]:
    """The ontology's or a vocabulary's triples about to be (re)loaded, with the store's
    corrections applied (an organisation's type a curator corrected stays corrected)."""
    curation = load_curation(store)
    return corrected(triples, curation) if curation else triples


def apply_curation(store: GraphStore, curation: Curation, graphs: Iterable[str]) -> list[str]:
    """Write the curation graph for ``curation`` and apply it to ``graphs``, all in one
    transaction: afterwards the store holds all of it or none. Returns the graphs whose
    triples changed."""
    changes: dict[str, tuple[list[ox.Triple], list[ox.Triple]]] = {}
    for graph in sorted(set(graphs)):
        old = store.graph_triples(graph)
        new = corrected(old, curation, types=_addressee_types(store, graph, old))
        gone, came = _difference(old, new)
        if gone or came:
            changes[graph] = (gone, came)
    changed = sorted(changes)
    old = store.graph_triples(str(CURATION_GRAPH))
    gone, came = _difference(old, correction_triples(curation.corrections, curation.merged).items)
    if gone or came:
        changes[str(CURATION_GRAPH)] = (gone, came)
    if changes:
        store.write_changes(changes)
    return changed


def graphs_concerned(store: GraphStore, corrections: Iterable[Correction]) -> set[str]:
    """The graphs a correction's effects are written into: the recommendation's document, every
    graph stating or naming a corrected or merged organisation, or printing corrected words."""
    found: set[str] = set()
    naming, printing = internal_query("graphs-naming"), internal_query("graphs-printing")
    for correction in corrections:
        if correction.field == "addressee":
            rows = store.query(printing.text, bindings=printing.bindings({"label": correction.target})).rows()
        else:  # a recommendation is named in its document; an organisation wherever it is stated or named
            rows = store.query(naming.text, bindings=naming.bindings({"node": correction.target})).rows()
        found.update(str(graph) for graph, in rows)
    return {graph for graph in found if curated_graph(graph)}


def _addressee_types(store: GraphStore, graph: str, triples: list[ox.Triple]) -> Mapping[str, str] | None:
    """The types of a document's addressees, if it was read before each addressing kept its
    own (``dhr:addresseeType``); else None (not needed)."""
    kept = str(DHR.addresseeType)
    if not graph.startswith(f"{ID}source/") or any(t.predicate.value == kept for t in triples):
        return None
    query = internal_query("graph-addressee-types")
    rows = store.query(query.text, bindings=query.bindings({"graph": graph})).rows()
    return {str(agency): str(code) for agency, code in rows}


def _difference(old: Iterable[ox.Triple], new: Iterable[ox.Triple]) -> tuple[list[ox.Triple], list[ox.Triple]]:
    before, after = set(old), set(new)
    return sorted(before - after, key=str), sorted(after - before, key=str)
