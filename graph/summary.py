"""The corpus summary: whole-corpus counts, kept so that the big reports answer at once.

Counting recommendations per agency, per theme and year or per theme and agency type joins
every recommendation: at 10,000 reviews (322,000 recommendations) that took 1.3–5 s a query
on disk, at every query. The reports in :data:`SUMMARISED` are therefore counted once, after
the documents change, and kept as ``dhr:Tally`` rows in the summary graph. Each of those
named queries reads the tallies while the summary is current and counts from the documents
when it is not, so its answer never depends on whether the summary was kept up to date, only
its speed does (see ``theme-by-agency-type.rq``).

The summary is current while its graph holds ``dhr:summaryFingerprint``. Every write to any
other graph but the analysis removes that marker first (see :mod:`graph.store`), in the same
transaction where it can, so a reader never gets counts older than the documents, and an
interrupted write leaves the marker removed, never a stale one. :func:`summarise` counts
afresh: ``ingest`` calls it after writing, and ``dhrkg link`` repairs a summary outdated by
other writes (a SPARQL Update, a remote store loaded with other tools). Tallies hold counts and
the names of organisations, themes and CSPs, never review text; an outdated tally stays in its
graph, unread by the named queries, until the next recount replaces it.
"""

from __future__ import annotations

from typing import Literal

import pyoxigraph as ox
from rdflib import URIRef

from graph.analysis import fingerprint
from graph.iris import short_hash
from graph.named_queries import internal_query, named_query
from graph.rdf import Triples, string, typed
from graph.store import SUMMARY_GRAPH, GraphStore
from graph.terms import DHR, ID, RDF, XSD

__all__ = ["SUMMARISED", "summarise", "summary_state"]

SUMMARISED = ("recommendations-per-agency", "agencies-repeated-themes", "agencies-in-several-reviews",
              "recommendations-per-agency-type", "recommendations-per-theme", "reviews-per-csp", "theme-by-agency-type",
              "themes-per-year", "stats")
"""The named queries answered from the summary while it is current."""

_COUNTS = frozenset({"recommendations", "reviews", "agencies", "csps", "sources", "review_matches"})
"""Columns that are counts, not part of what a row is about (so a recount keeps the row's IRI)."""


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
    out = Triples()
    out.add(SUMMARY_GRAPH, DHR.summaryFingerprint, string(current))
    for name in SUMMARISED:
        result = store.named(name)
        for rank, row in enumerate(result.terms(), start=1):
            columns = {variable: term for variable, term in zip(result.variables, row) if term is not None}
            identity = "\x1f".join(f"{v}={t}" for v, t in sorted(columns.items()) if v not in _COUNTS)
            tally = ID[f"tally/{name}/{short_hash(identity)}"]
            out.add(tally, RDF.type, DHR.Tally)
            out.add(tally, DHR.tallyOf, string(name))
            out.add(tally, DHR.tallyRank, typed(rank, XSD.integer))
            for variable, term in columns.items():
                value = term if isinstance(term, ox.Literal) else str(term.value)  # type: ignore[union-attr]
                out.add(tally, _column(variable), value)
    store.replace_graph(str(SUMMARY_GRAPH), out.items)
    return True


def _stored_fingerprint(store: GraphStore) -> str | None:
    """The fingerprint the summary was counted under, while it is current."""
    stored = store.query(internal_query("summary-fingerprint").text).rows()
    return str(stored[0][0]) if stored else None


def _fingerprint(store: GraphStore) -> str:
    """The documents' fingerprint and the text of the summarised queries: a new release that
    counts differently recounts."""
    queries = "\n".join(named_query(name).text for name in SUMMARISED)
    return short_hash(fingerprint(store) + "\n" + queries, 32)


def _column(variable: str) -> URIRef:
    """The tally property of a report column: ``review_matches`` → ``dhr:tallyReviewMatches``."""
    first, *rest = variable.split("_")
    term: URIRef = getattr(DHR, "tally" + first[0].upper() + first[1:] + "".join(part.capitalize() for part in rest))
    return term
