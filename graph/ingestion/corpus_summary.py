"""The corpus summary: whole-corpus reports, kept so that the big ones answer at once.

Counting recommendations per agency, per theme and year or per theme and agency type joins
every recommendation: at 10,000 reviews (322,000 recommendations) that took 1.3–5 s a query
on disk, at every query. The reports in :data:`SUMMARISED` are therefore kept as ``dhr:Tally``
rows, each report in a graph of its own (:func:`report_graph`). Each of those named queries
reads the tallies while the summary is current and counts from the documents when it is not,
so its answer never depends on whether the summary was kept up to date, only its speed does
(see ``theme-by-agency-type.rq``). One report is a listing rather than a count (agencies named
only in a recommendation's text): kept, it is read in its stored order instead of being joined
and sorted again.

The tallies are running totals over the documents' digests (:mod:`graph.ingestion.tallies`):
an ingest adds and takes away the changed documents' own counts and writes only the rows
that changed (:meth:`CorpusSummary.write`), and :func:`summarise` counts every document
afresh. Both give the rows the named queries count from the documents; tests hold them to it.

The summary is current while its graph holds ``dhr:summaryFingerprint``, written after every
report's tallies, and the summarised queries read only tallies of their own version
(:data:`SUMMARY_VERSION`). Every write to any other graph but the analysis removes that marker
first (see :mod:`graph.store.embedded`), in the same transaction where it can, so a reader never
gets counts older than the documents, and an interrupted write leaves the marker removed, never
a stale one. ``dhrkg link`` recounts a summary outdated by other writes (a SPARQL Update, a
remote store loaded with other tools). Tallies hold counts, IRIs and the names of
organisations, themes and CSPs, never review text; an outdated tally stays in its graph, unread
by the named queries, until the next count replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from graph.ingestion.tallies import Counts, Row, report_rows
from graph.model.iris import short_hash
from graph.model.terms import DHR, ID, RDF, XSD
from graph.rdf.builder import Lit, Object
from graph.rdf.digest import DocumentDigest
from graph.store import updates
from graph.store.base import SUMMARY_GRAPH, GraphStore, StoredDocument
from graph.store.corpus_index import CorpusIndex, load_cache, save_cache, summary_marker
from graph.store.named_queries import named_query

__all__ = ["SUMMARISED", "SUMMARY_VERSION", "CorpusSummary", "report_graph", "summarise", "summary_state"]

SUMMARISED = ("recommendations-per-agency", "agencies-repeated-themes", "agencies-in-several-reviews",
              "recommendations-per-agency-type", "recommendations-per-theme", "reviews-per-csp", "theme-by-agency-type",
              "themes-per-year", "stats", "agencies-named-only-in-text")
"""The named queries answered from the summary while it is current."""

SUMMARY_VERSION = 3
"""The version of the summarised queries the tallies were counted by, stored beside the marker
(``dhr:summaryVersion``). Each summarised query reads tallies of its own version only, so an
upgraded dhrkg, even one that opens a store read-only, never reads rows its queries no longer
give or misses a report added since: it counts from the documents until the next recount.
Raise it whenever a summarised query changes (a test holds the queries' text to it).
3: a review known from several sources counts once; ranks are sort keys."""

RANKED = {"recommendations-per-agency": "name", "agencies-in-several-reviews": "name",
          "agencies-repeated-themes": "agencyName", "agencies-named-only-in-text": "recommendation"}
"""Reports with thousands of rows, and the column their kept rank sorts like (see :func:`sort_key`)."""

_COUNTS = frozenset({"recommendations", "reviews", "agencies", "csps", "sources", "review_matches"})
"""Columns that are counts, not part of what a row is about (so a recount keeps the row's IRI)."""

CACHE = "corpus-summary"
CACHE_VERSION = 1


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
    return "current" if summary_marker(store) == fingerprint(store.fingerprint()) else "outdated"


def summarise(store: GraphStore) -> bool:
    """Count the summarised reports from every document and store them as tallies, unless the
    summary is current; returns whether it counted. The tallies are written as the difference
    from the stored ones.

    >>> from graph import Store
    >>> store = Store()
    >>> summarise(store), summarise(store)
    (True, False)
    """
    if summary_marker(store) == fingerprint(store.fingerprint()):
        return False
    CorpusSummary.recount(store).write(store)
    return True


def fingerprint(documents: str) -> str:
    """The marker of a summary counted from documents of fingerprint ``documents`` by these
    queries: a new release that counts differently counts again."""
    queries = "\n".join(named_query(name).text for name in SUMMARISED)
    return short_hash(documents + "\n" + queries, 32)


def report_graph(name: str) -> str:
    """The graph holding the tallies of the summarised report ``name``; a query that reads only
    this graph scans its own rows, not every report's.

    >>> report_graph("stats")
    'https://w3id.org/dhrkg/id/graph/summary/stats'
    """
    return f"{SUMMARY_GRAPH}/{name}"


def sort_key(text: str) -> int:
    """An integer that sorts as ``text`` does wherever their first seven bytes differ.

    >>> sort_key("Avon") < sort_key("Avon and Somerset") < sort_key("Bedfordshire")
    True
    """
    return int.from_bytes(text.encode("utf-8")[:7].ljust(7, b"\0"), "big")


_RECOMMENDATIONS = f"{ID}recommendation/"


@dataclass
class CorpusSummary:
    """The corpus index, the running totals over it, and the rows written from them."""

    index: CorpusIndex
    counts: Counts
    written: dict[str, dict[str, Row]] | None  # report → tally IRI → row, as in the store; None: unknown

    @classmethod
    def load(cls, store: GraphStore, stored: Mapping[str, StoredDocument] | None = None) -> CorpusSummary:
        """The summary kept for ``store`` while the store's documents and marker are the ones it
        was written with; else counted afresh (and rewritten whole by :meth:`write`)."""
        index = CorpusIndex.load(store, dict(stored) if stored is not None else None)
        if not index.rebuilt:
            kept = load_cache(store, CACHE, CACHE_VERSION)
            if kept is not None and kept[0] == index.summary:
                try:
                    return cls(index, _counts_from_plain(kept[1], index), _rows_from_plain(kept[2]))
                except (TypeError, ValueError, KeyError, IndexError):
                    pass
        return cls(index, Counts.of(index.dims, index.docs, index.representatives()), None)

    @classmethod
    def recount(cls, store: GraphStore) -> CorpusSummary:
        """Every document digested and counted afresh."""
        index = CorpusIndex.rebuild(store)
        return cls(index, Counts.of(index.dims, index.docs, index.representatives()), None)

    def change(self, documents: Mapping[str, DocumentDigest | None]) -> None:
        """Documents added or replaced (their digest) or removed (None), in the index only;
        :meth:`count` counts them once the matches are refreshed."""
        for key, doc in documents.items():
            if doc is None:
                self.index.docs.pop(key, None)
            else:
                self.index.docs[key] = doc

    def count(self, changed: Iterable[str]) -> None:
        """Bring the totals to the index, whose documents ``changed``."""
        self.counts.update(self.index.docs, self.index.representatives(), changed)

    def write(self, store: GraphStore) -> None:
        """Write the tallies that differ from the stored ones and mark the summary current, in
        one update; every report whole when what is stored is unknown."""
        marker = fingerprint(self.index.fingerprint())
        rows = {name: _keyed(name, found) for name, found in report_rows(self.counts, len(self.index.matches)).items()}
        store.outdate_summary()
        operations: list[str] = []
        if self.written is None:
            for name in SUMMARISED:
                lines = [line for iri, row in rows[name].items() for line in _tally_lines(name, iri, row)]
                store.replace_graph_text(report_graph(name), "\n".join(lines))
        else:
            for name in SUMMARISED:
                old, new = self.written.get(name, {}), rows[name]
                gone: list[str] = []
                came: list[str] = []
                for iri in old.keys() | new.keys():
                    if old.get(iri) != new.get(iri):
                        before = set(_tally_lines(name, iri, old[iri])) if iri in old else set()
                        after = set(_tally_lines(name, iri, new[iri])) if iri in new else set()
                        gone.extend(before - after)
                        came.extend(after - before)
                if gone:
                    operations.append(updates.delete_data(report_graph(name), "\n".join(gone)))
                if came:
                    operations.append(updates.insert_data(report_graph(name), "\n".join(came)))
        marked = [f"<{SUMMARY_GRAPH}> <{DHR.summaryFingerprint}> {Lit(marker)} .",
                  f"<{SUMMARY_GRAPH}> <{DHR.summaryVersion}> {Lit(str(SUMMARY_VERSION), str(XSD.integer))} ."]
        operations.append(updates.delete_values(str(SUMMARY_GRAPH), str(SUMMARY_GRAPH), str(DHR.summaryVersion)))
        operations.append(updates.insert_data(str(SUMMARY_GRAPH), "\n".join(marked)))
        store.update_derived(updates.sequence(operations))  # last: tallies are read once every report is in place
        self.written = rows
        self.index.save(store, marker)
        save_cache(store, CACHE, CACHE_VERSION, (marker, _counts_to_plain(self.counts), _rows_to_plain(rows)))


def _keyed(name: str, rows: list[Row]) -> dict[str, Row]:
    keyed = {}
    for row in rows:
        identity = "\x1f".join(f"{column}={_text(value)}" for column, value in sorted(row.items())
                               if column not in _COUNTS)
        keyed[f"{ID}tally/{name}/{short_hash(identity)}"] = row
    return keyed


def _text(value: Object) -> str:
    return str(value) if isinstance(value, Lit) else f"<{value}>"


def _tally_lines(name: str, iri: str, row: Row) -> list[str]:
    lines = [f"<{iri}> <{RDF.type}> <{DHR.Tally}> .", f"<{iri}> <{DHR.tallyOf}> {Lit(name)} ."]
    if name in RANKED:
        ranked = row[RANKED[name]]
        text = ranked.value if isinstance(ranked, Lit) else ranked.removeprefix(_RECOMMENDATIONS)
        lines.append(f"<{iri}> <{DHR.tallyRank}> {Lit(str(sort_key(text)), str(XSD.integer))} .")
    for column, value in row.items():
        lines.append(f"<{iri}> <{_column(column)}> {_text(value)} .")
    return lines


def _column(variable: str) -> str:
    """The tally property of a report column: ``review_matches`` → ``dhr:tallyReviewMatches``."""
    first, *rest = variable.split("_")
    return str(getattr(DHR, "tally" + first[0].upper() + first[1:] + "".join(part.capitalize() for part in rest)))


# ------------------------------------------------------------------ kept between runs


def _plain(value: Object) -> str | tuple[str, str | None, str | None]:
    return tuple(value) if isinstance(value, Lit) else value  # type: ignore[return-value]


def _unplain(value: Any) -> Object:
    return Lit(*value) if isinstance(value, tuple) else value


def _rows_to_plain(rows: dict[str, dict[str, Row]]) -> Any:
    return {name: {iri: {c: _plain(v) for c, v in row.items()} for iri, row in keyed.items()}
            for name, keyed in rows.items()}


def _rows_from_plain(value: Any) -> dict[str, dict[str, Row]]:
    return {name: {iri: {c: _unplain(v) for c, v in row.items()} for iri, row in keyed.items()}
            for name, keyed in value.items()}


_COUNTERS = ("reviews", "organisations", "csps", "agency_recs", "agency_theme_recs", "type_recs", "theme_recs",
             "theme_type_recs", "year_theme_recs", "csp_recs")
_NESTED = ("classes", "agency_reviews", "agency_theme_reviews", "type_reviews", "theme_reviews", "csp_reviews")


def _counts_to_plain(counts: Counts) -> Any:
    return (counts.review_of, counts.recommendations, counts.sources,
            {name: dict(getattr(counts, name)) for name in _COUNTERS},
            {name: {k: dict(v) for k, v in getattr(counts, name).items() if v} for name in _NESTED},
            {k: {tuple(lit): n for lit, n in v.items()} for k, v in counts.labels.items() if v},
            {k: {tuple(lit): n for lit, n in v.items()} for k, v in counts.named_only.items() if v},
            {k: tuple(v) for k, v in counts.agency_docs.items() if v})


def _counts_from_plain(value: Any, index: CorpusIndex) -> Counts:
    from collections import Counter, defaultdict

    review_of, recommendations, sources, counters, nested, labels, named_only, agency_docs = value
    counts = Counts(index.dims, dict(index.docs), review_of, recommendations=recommendations, sources=sources)
    for name in _COUNTERS:
        setattr(counts, name, Counter(counters[name]))
    for name in _NESTED:
        setattr(counts, name, defaultdict(Counter, {k: Counter(v) for k, v in nested[name].items()}))
    counts.labels = defaultdict(Counter, {k: Counter({Lit(*lit): n for lit, n in v.items()})
                                          for k, v in labels.items()})
    counts.named_only = defaultdict(Counter, {k: Counter({Lit(*lit): n for lit, n in v.items()})
                                              for k, v in named_only.items()})
    counts.agency_docs = defaultdict(set, {k: set(v) for k, v in agency_docs.items()})
    return counts
