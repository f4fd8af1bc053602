"""The corpus summary: whole-corpus reports, kept so that the big ones answer at once.

Counting recommendations per agency, per theme and year or per theme and agency type joins
every recommendation: at 10,000 reviews (322,000 recommendations) that took 1.3–5 s a query
on disk, at every query. The reports in :data:`SUMMARISED` are therefore counted once, after
the documents change, and kept as ``dhr:Tally`` rows, each report in a graph of its own
(:func:`report_graph`). Each of those named queries reads the tallies while the summary is
current and counts from the documents when it is not, so its answer never depends on whether
the summary was kept up to date, only its speed does (see ``theme-by-agency-type.rq``). One
report is a listing rather than a count (agencies named only in a recommendation's text):
kept, it is read in its stored order instead of being joined and sorted again.

The summary is current while its graph holds ``dhr:summaryFingerprint``, written after every
report's tallies, and the summarised queries read only tallies of their own version
(:data:`SUMMARY_VERSION`). Every write to any other graph but the analysis removes that marker
first (see :mod:`graph.store.embedded`), in the same transaction where it can, so a reader never gets
counts older than the documents, and an interrupted write leaves the marker removed, never a
stale one. :func:`summarise` counts afresh: ``ingest`` calls it after writing, and ``dhrkg
link`` repairs a summary outdated by other writes (a SPARQL Update, a remote store loaded with
other tools). Tallies hold counts, IRIs and the names of organisations, themes and CSPs, never
review text (:data:`_NOT_KEPT`); an outdated tally stays in its graph, unread by the named
queries, until the next recount replaces it.
"""

from __future__ import annotations

from typing import Literal

import pyoxigraph as ox
from rdflib import URIRef

from graph.model.iris import short_hash
from graph.model.terms import DHR, ID, RDF, XSD
from graph.rdf.builder import Triples, string, typed
from graph.store.base import SUMMARY_GRAPH, GraphStore
from graph.store.named_queries import internal_query, named_query

__all__ = ["SUMMARISED", "SUMMARY_VERSION", "report_graph", "summarise", "summary_state"]

SUMMARISED = ("recommendations-per-agency", "agencies-repeated-themes", "agencies-in-several-reviews",
              "recommendations-per-agency-type", "recommendations-per-theme", "reviews-per-csp", "theme-by-agency-type",
              "themes-per-year", "stats", "agencies-named-only-in-text")
"""The named queries answered from the summary while it is current."""

SUMMARY_VERSION = 2
"""The version of the summarised queries the tallies were counted by, stored beside the marker
(``dhr:summaryVersion``). Each summarised query reads tallies of its own version only, so an
upgraded dhrkg, even one that opens a store read-only, never reads rows its queries no longer
give or misses a report added since: it counts from the documents until the next recount.
Raise it whenever a summarised query changes (a test holds the queries' text to it)."""

_COUNTS = frozenset({"recommendations", "reviews", "agencies", "csps", "sources", "review_matches"})
"""Columns that are counts, not part of what a row is about (so a recount keeps the row's IRI)."""

_NOT_KEPT = frozenset({"recommendationText"})
"""Columns of review text: a removed document's words must not outlive it in a tally, so the
named queries read these from the documents even while the summary is current."""


def summary_state(store: GraphStore) -> Literal["current", "outdated"]:
    """Whether the summary was counted from the documents now in the store.

    >>> from graph import Store, ingest
    >>> from graph.resources import data_dir
    >>> store = Store(); _ = ingest(store, [data_dir() / "seed"])
    >>> summary_state(store)
    'current'
    >>> store.remove_document("000_58cfa34b200ccabd.txt"); summary_state(store)
    'outdated'
    """
    return "current" if _stored_fingerprint(store) == _fingerprint(store) else "outdated"


def summarise(store: GraphStore) -> bool:
    """Count the summarised reports from the documents and store them as tallies, unless the
    summary is current; returns whether it counted. The tallies are written as the difference
    from the stored ones, in one transaction.

    >>> from graph import Store
    >>> store = Store()
    >>> summarise(store), summarise(store)
    (True, False)
    """
    current = _fingerprint(store)
    if _stored_fingerprint(store) == current:
        return False
    store.outdate_summary()  # the named queries below must count from the documents
    for name in SUMMARISED:
        out = Triples()
        result = store.named(name)
        for rank, row in enumerate(result.terms(), start=1):
            columns = {variable: term for variable, term in zip(result.variables, row)
                       if term is not None and variable not in _NOT_KEPT}
            identity = "\x1f".join(f"{v}={t}" for v, t in sorted(columns.items()) if v not in _COUNTS)
            tally = ID[f"tally/{name}/{short_hash(identity)}"]
            out.add(tally, RDF.type, DHR.Tally)
            out.add(tally, DHR.tallyOf, string(name))
            out.add(tally, DHR.tallyRank, typed(rank, XSD.integer))
            for variable, term in columns.items():
                value = term if isinstance(term, ox.Literal) else str(term.value)  # type: ignore[union-attr]
                out.add(tally, _column(variable), value)
        store.replace_graph(report_graph(name), out.items)
    # Last: the tallies are read only once every report is in place.
    marker = Triples()
    marker.add(SUMMARY_GRAPH, DHR.summaryFingerprint, string(current))
    marker.add(SUMMARY_GRAPH, DHR.summaryVersion, typed(SUMMARY_VERSION, XSD.integer))
    store.replace_graph(str(SUMMARY_GRAPH), marker.items)
    return True


def report_graph(name: str) -> str:
    """The graph holding the tallies of the summarised report ``name``; a query that reads only
    this graph scans its own rows, not every report's.

    >>> report_graph("stats")
    'https://w3id.org/dhrkg/id/graph/summary/stats'
    """
    return f"{SUMMARY_GRAPH}/{name}"


def _stored_fingerprint(store: GraphStore) -> str | None:
    """The fingerprint the summary was counted under, while it is current."""
    stored = store.query(internal_query("summary-fingerprint").text).rows()
    return str(stored[0][0]) if stored else None


def _fingerprint(store: GraphStore) -> str:
    """The documents' fingerprint and the text of the summarised queries: a new release that
    counts differently recounts."""
    queries = "\n".join(named_query(name).text for name in SUMMARISED)
    return short_hash(store.fingerprint() + "\n" + queries, 32)


def _column(variable: str) -> URIRef:
    """The tally property of a report column: ``review_matches`` → ``dhr:tallyReviewMatches``."""
    first, *rest = variable.split("_")
    term: URIRef = getattr(DHR, "tally" + first[0].upper() + first[1:] + "".join(part.capitalize() for part in rest))
    return term
