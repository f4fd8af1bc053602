"""The corpus index: what the corpus summary, review matching and the analysis read of every
document (its digest, :mod:`graph.rdf.digest`), which records are one review, and what the
ontology and vocabularies say of agencies and themes, as tables of an SQLite database kept
beside the store.

Kept between runs, it lets a change cost what it touches: a report's rows for the agencies one
new review names are counted from the index in milliseconds, where the store would join every
recommendation. It is only ever a copy: it is used while it describes exactly the documents in
the store and the summary it was counted with is the store's current one (every write outside
dhrkg's own removes that marker, see :mod:`graph.ingestion.corpus_summary`), and is digested
again from the store otherwise (:meth:`CorpusIndex.rebuild`). SQLite keeps its own changes
whole (a transaction per ingest); the store's marker decides whether they are trusted.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.model.iris import short_hash
from graph.model.terms import DHR, ID
from graph.rdf.builder import Lit, Object
from graph.rdf.digest import PREDICATES, TYPED, DocumentDigest, digest
from graph.store.base import (
    ANALYSIS_GRAPH,
    JOURNAL_GRAPH,
    MATCH_GRAPH,
    STATUS_GRAPHS,
    SUMMARY_GRAPH,
    GraphStore,
    StoredDocument,
)
from graph.store.named_queries import internal_query

__all__ = ["CorpusIndex", "Dims", "MatchRow", "classes", "normal_text", "summary_marker"]

INDEX_VERSION = "3"
DATABASE = "corpus-index.sqlite"
SOURCES = f"{ID}source/"
"""Document graphs are named under this (:func:`graph.model.iris.source_iri`)."""

MatchRow = tuple[str, str, float, tuple[str, ...]]
"""A review match: its two records (first < second), confidence and evidence."""

_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_CLASSIFICATION = "http://www.w3.org/ns/org#classification"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_ORGANISATION = "http://www.w3.org/ns/org#Organization"
_CSP = str(DHR.CommunitySafetyPartnership)

SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE docs (key TEXT PRIMARY KEY, graph TEXT, sha TEXT, reader INTEGER, format TEXT, sources INTEGER,
                   record TEXT);
CREATE TABLE records (iri TEXT PRIMARY KEY, doc TEXT, csp TEXT, year TEXT, month TEXT, issued TEXT, review TEXT,
                      keys TEXT);
CREATE INDEX records_doc ON records (doc);
CREATE INDEX records_group ON records (csp, year);
CREATE INDEX records_review ON records (review);
CREATE TABLE recs (iri TEXT PRIMARY KEY, doc TEXT, record TEXT, text TEXT, norm TEXT);
CREATE INDEX recs_doc ON recs (doc);
CREATE INDEX recs_norm ON recs (norm);
CREATE INDEX recs_record ON recs (record);
CREATE TABLE rec_agencies (rec TEXT, agency TEXT, doc TEXT);
CREATE INDEX rec_agencies_agency ON rec_agencies (agency);
CREATE INDEX rec_agencies_doc ON rec_agencies (doc);
CREATE INDEX rec_agencies_rec ON rec_agencies (rec);
CREATE TABLE rec_themes (rec TEXT, theme TEXT, doc TEXT);
CREATE INDEX rec_themes_rec ON rec_themes (rec);
CREATE INDEX rec_themes_doc ON rec_themes (doc);
CREATE TABLE named_only (rec TEXT, record TEXT, agency TEXT, value TEXT, language TEXT, datatype TEXT, doc TEXT);
CREATE INDEX named_only_doc ON named_only (doc);
CREATE INDEX named_only_agency ON named_only (agency);
CREATE TABLE failures (record TEXT, failure TEXT, doc TEXT);
CREATE INDEX failures_doc ON failures (doc);
CREATE INDEX failures_record ON failures (record);
CREATE TABLE labels (node TEXT, value TEXT, language TEXT, datatype TEXT, doc TEXT);
CREATE INDEX labels_node ON labels (node);
CREATE INDEX labels_doc ON labels (doc);
CREATE TABLE classes (node TEXT, class TEXT, doc TEXT);
CREATE INDEX classes_node ON classes (node);
CREATE INDEX classes_doc ON classes (doc);
CREATE TABLE typed (node TEXT, kind TEXT, doc TEXT);
CREATE INDEX typed_node ON typed (node);
CREATE INDEX typed_doc ON typed (doc);
CREATE TABLE tops (theme TEXT, top TEXT);
CREATE INDEX tops_theme ON tops (theme);
CREATE TABLE names (concept TEXT, kind TEXT, code TEXT, code_language TEXT, code_datatype TEXT,
                    label TEXT, label_language TEXT, label_datatype TEXT);
CREATE TABLE matches (review TEXT, other TEXT, confidence REAL, evidence TEXT);
CREATE TABLE same (a TEXT, b TEXT, PRIMARY KEY (a, b));
CREATE TABLE totals (kind TEXT, key TEXT, counts TEXT, PRIMARY KEY (kind, key));
CREATE TABLE named (key TEXT PRIMARY KEY, said TEXT);
CREATE TABLE tallies (report TEXT, key TEXT, iri TEXT, row TEXT, PRIMARY KEY (report, key, iri));
"""
"""Documents' rows carry their key in ``doc`` ('' for what the ontology and vocabularies say);
``records.review`` is the review a record counts as: the first (by IRI) of the records of one
review, and ``records.keys`` the codes of its failures (``T2-A01 T4``, see
:func:`graph.model.iris.failure_key`); ``recs.norm`` is the hash of a recommendation's text
as repeated recommendations compare it (:func:`normal_text`); ``totals`` holds every report's
counts over the corpus (also those a report does not show) and ``named`` the words of each
agency named only in a recommendation's text, and ``tallies`` mirrors the summary's rows as
written, so a change writes only the rows it changes. The analysis keeps its own state in
tables of its own (:mod:`graph.analysis.state`)."""


def summary_marker(store: GraphStore) -> str | None:
    """The corpus summary's fingerprint while it is current, else None."""
    query = internal_query("summary-fingerprint")
    rows = store.query(query.text, bindings=query.bindings({"summary": SUMMARY_GRAPH})).rows()
    return str(rows[0][0]) if rows else None


def classes(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each record that is paired → the first record (by IRI) of the records joined by ``pairs``.

    >>> classes([("b", "c"), ("a", "c"), ("x", "y")]) == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x"}
    True
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


@dataclass(frozen=True)
class Dims:
    """What graphs other than documents (the ontology, vocabularies) say of agencies and themes."""

    labels: tuple[tuple[str, Lit], ...]
    classifications: tuple[tuple[str, str], ...]
    typed: tuple[tuple[str, str], ...]  # (node, "org" | "csp")
    tops: tuple[tuple[str, str], ...]  # (theme concept, a top-level theme it rolls up to)
    names: tuple[tuple[str, str, Lit, Lit], ...]  # (concept, "theme" | "type", notation, label)

    @classmethod
    def read(cls, store: GraphStore, graphs: str) -> Dims:
        """Read from ``graphs`` (as :func:`_others` lists them): those neither documents nor
        derived from documents."""
        labels: set[tuple[str, Lit]] = set()
        classifications: set[tuple[str, str]] = set()
        typed: set[tuple[str, str]] = set()
        for graph in graphs.split():
            for s, p, o in store.graph_tuples(graph):
                if p == _LABEL and isinstance(o, Lit):
                    labels.add((s, o))
                elif p == _CLASSIFICATION and isinstance(o, str):
                    classifications.add((s, o))
                elif p == _TYPE and o in (_ORGANISATION, _CSP):
                    typed.add((s, "org" if o == _ORGANISATION else "csp"))
        tops: set[tuple[str, str]] = set()
        names: set[tuple[str, str, Lit, Lit]] = set()
        for top, kind, code, label, theme in store.query(internal_query("scheme-names").text).terms():
            if theme is not None and top is not None:
                tops.add((theme.value, top.value))  # type: ignore[union-attr]
            elif code is not None and label is not None:
                concept, what = (top, "theme") if top is not None else (kind, "type")
                names.add((concept.value, what, Lit.of(code), Lit.of(label)))  # type: ignore[union-attr, arg-type]
        return cls(tuple(sorted(labels, key=str)), tuple(sorted(classifications)), tuple(sorted(typed)),
                   tuple(sorted(tops)), tuple(sorted(names, key=str)))

    def fingerprint(self) -> str:
        return short_hash(repr(self), 32)


class CorpusIndex:
    """The index of one store: an SQLite connection over :data:`SCHEMA`."""

    def __init__(self, db: sqlite3.Connection, *, rebuilt: bool = False) -> None:
        self.db = db
        self.rebuilt = rebuilt  # digested again from the store in this run

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, store: GraphStore, stored: Mapping[str, StoredDocument] | None = None) -> CorpusIndex:
        """The index kept for ``store`` when it still describes it, else one digested again from it.

        ``stored``: the store's documents, when the caller has read them. Otherwise a store
        dhrkg alone writes is not read for them: every write of a document, vocabulary or
        correction removes the summary's marker first, and a marker is kept only with an index
        holding the very documents the store held (:meth:`CorpusSummary.update`), so a marker
        that is still the index's says the index is current (listing 10,000 documents from the
        store took 0.4 s of every ingest and every link)."""
        db = _connect(store)
        index = cls(db)
        marker = summary_marker(store)
        if index.meta("version") == INDEX_VERSION and marker is not None and index.meta("summary") == marker:
            if stored is None and store.sole_writer:
                return index
            stored = store.documents() if stored is None else stored
            if index.stored() == stored:
                # The ontology and vocabularies are read again only when their graphs are not the
                # ones indexed: any write to one removes the summary's marker, so it is read again then.
                others = _others(store, (d.iri for d in stored.values()))
                if index.meta("graphs") == others:
                    return index
                if index.meta("dims") == Dims.read(store, others).fingerprint():
                    index.set_meta("graphs", others)
                    return index
        return cls.rebuild(store, stored)

    @classmethod
    def rebuild(cls, store: GraphStore, stored: Mapping[str, StoredDocument] | None = None,
                dims: Dims | None = None) -> CorpusIndex:
        """Digest every document the store holds, reading only the triples digests need."""
        stored = store.documents() if stored is None else stored
        others = _others(store, (d.iri for d in stored.values()))
        dims = dims or Dims.read(store, others)
        by_graph: dict[str, list[tuple[str, str, Object]]] = {d.iri: [] for d in stored.values()}
        for predicate in PREDICATES:
            for graph, s, o in store.predicate_tuples(predicate):
                if graph in by_graph:
                    by_graph[graph].append((s, predicate, o))
        for kind in TYPED:
            for graph, s in store.typed_nodes(kind):
                if graph in by_graph:
                    by_graph[graph].append((s, _TYPE, kind))
        db = _connect(store, fresh=True)
        index = cls(db, rebuilt=True)
        db.execute("BEGIN")
        index._dims(dims)
        index.add_many((digest(key, doc.iri, by_graph[doc.iri]) for key, doc in stored.items()), new=True)
        same, matches = read_matches(store)
        db.executemany("INSERT OR IGNORE INTO same VALUES (?, ?)", sorted(same))
        index.set_matches(matches)
        index.update_reviews()
        index.set_meta("version", INDEX_VERSION)
        index.set_meta("dims", dims.fingerprint())
        index.set_meta("graphs", others)
        index.forget_analysis()  # what the analysis kept belongs to the index it was kept with
        db.execute("COMMIT")
        return index

    def _dims(self, dims: Dims) -> None:
        self.db.executemany("INSERT INTO labels VALUES (?, ?, ?, ?, '')",
                            [(n, *_columns(lit)) for n, lit in dims.labels])
        self.db.executemany("INSERT INTO classes VALUES (?, ?, '')", dims.classifications)
        self.db.executemany("INSERT INTO typed VALUES (?, ?, '')", dims.typed)
        self.db.executemany("INSERT INTO tops VALUES (?, ?)", dims.tops)
        self.db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [(c, kind, *_columns(code), *_columns(label)) for c, kind, code, label in dims.names])

    # ------------------------------------------------------------------ reading

    def meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def forget_analysis(self) -> None:
        """Make what the analysis kept beside this index no longer its own (it is matched by
        this mark), so the next analysis is computed afresh."""
        self.set_meta("created", os.urandom(8).hex())

    def checkpoint(self) -> None:
        """Write the database's log into the database now: after a large write (a whole analysis),
        so that the next small one does not pay for it."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def stored(self) -> dict[str, StoredDocument]:
        """Every document indexed, as the store lists it (:meth:`GraphStore.documents`), by key."""
        return {key: StoredDocument(key, graph, sha, reader, record) for key, graph, sha, reader, record in
                self.db.execute("SELECT key, graph, sha, reader, record FROM docs ORDER BY key")}

    def matches(self) -> list[MatchRow]:
        return [(a, b, c, tuple(e.split("\x1f")) if e else ()) for a, b, c, e in
                self.db.execute("SELECT review, other, confidence, evidence FROM matches ORDER BY review, other")]

    def same(self) -> set[tuple[str, str]]:
        return set(self.db.execute("SELECT a, b FROM same"))

    def reviews(self, records: Iterable[str]) -> dict[str, str]:
        """The review each record counts as."""
        return dict(self.rows_in("SELECT iri, review FROM records WHERE iri IN ({marks})", list(records)))

    def rows(self, sql: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a query of the index (SQL written by dhrkg, parameters bound)."""
        return self.db.execute(sql, tuple(parameters)).fetchall()

    def rows_in(self, sql: str, values: Sequence[Any], after: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` for ``values`` in its ``IN ({marks})``, a few hundred at a time (SQLite
        binds at most a few thousand parameters), with the parameters ``after`` bound after them."""
        found = []
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            found.extend(self.rows(sql.format(marks=",".join("?" * len(chunk))), [*chunk, *after]))
        return found

    # ------------------------------------------------------------------ writing

    def begin(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")

    def commit(self, summary: str) -> None:
        """Keep the changes, with the summary fingerprint just written to the store."""
        self.set_meta("summary", summary)
        self.db.execute("COMMIT")

    def add(self, doc: DocumentDigest) -> None:
        """Index one document (removing what an earlier version of it left)."""
        self.add_many([doc])

    def add_many(self, docs: Iterable[DocumentDigest], *, new: bool = False) -> None:
        """Index documents, each replacing an earlier version of itself (none when ``new``),
        table by table (a row at a time costs more than the rows)."""
        rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for doc in docs:
            if not new:
                self.remove(doc.key)
            key = doc.key
            rows["docs"].append((key, doc.graph, doc.sha256, doc.reader, doc.format, doc.sources, doc.record_sha256))
            rows["records"].extend((r.iri, key, r.csp, r.year, r.month, r.issued, r.iri,
                                    " ".join(sorted({f.rsplit("/", 1)[1] for f in r.failures}))) for r in doc.records)
            rows["recs"].extend((r.iri, key, r.record, r.text, _norm(r.text)) for r in doc.recommendations)
            rows["rec_agencies"].extend((r.iri, a, key) for r in doc.recommendations for a in r.agencies)
            rows["rec_themes"].extend((r.iri, t, key) for r in doc.recommendations for t in r.themes)
            rows["named_only"].extend((r.iri, r.record, a, *_columns(words), key) for r in doc.recommendations
                                      if r.text is not None and r.record for a, words in r.named_only)
            rows["failures"].extend((r.iri, f, key) for r in doc.records for f in r.failures)
            rows["labels"].extend((n, *_columns(lit), key) for n, lit in doc.labels)
            rows["classes"].extend((n, c, key) for n, c in doc.classifications)
            rows["typed"].extend([(n, "org", key) for n in doc.organisations] + [(n, "csp", key) for n in doc.csps])
        for table, found in rows.items():
            if found:
                marks = ",".join("?" * len(found[0]))
                verb = "INSERT OR REPLACE" if table in ("records", "recs") else "INSERT"
                self.db.executemany(f"{verb} INTO {table} VALUES ({marks})", found)  # noqa: S608 - a table of ours

    def remove(self, key: str) -> None:
        """Forget one document."""
        for table in ("records", "recs", "rec_agencies", "rec_themes", "named_only", "failures", "labels",
                      "classes", "typed"):
            self.db.execute(f"DELETE FROM {table} WHERE doc = ?", (key,))  # noqa: S608 - a table name of ours
        self.db.execute("DELETE FROM docs WHERE key = ?", (key,))

    def set_matches(self, matches: Iterable[MatchRow]) -> None:
        self.db.execute("DELETE FROM matches")
        self.db.executemany("INSERT INTO matches VALUES (?, ?, ?, ?)",
                            [(a, b, c, "\x1f".join(e)) for a, b, c, e in matches])

    def set_same(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.db.execute("DELETE FROM same")
        self.db.executemany("INSERT OR IGNORE INTO same VALUES (?, ?)", sorted(pairs))

    def update_reviews(self) -> set[str]:
        """Set the review every record counts as from the pairs of records of one review;
        returns the records whose review changed."""
        first = classes(self.same())
        current = dict(self.db.execute("SELECT iri, review FROM records WHERE iri != review"))
        moved = {r for r in current if first.get(r, r) != current[r]}
        for record, review in first.items():
            if current.get(record, record) != review:
                moved.add(record)
        for record in moved:
            self.db.execute("UPDATE records SET review = ? WHERE iri = ?", (first.get(record, record), record))
        return moved

    def docs_of(self, records: Iterable[str]) -> set[str]:
        """The documents holding ``records``."""
        return {d for (d,) in self.rows_in("SELECT DISTINCT doc FROM records WHERE iri IN ({marks})", list(records))}

    def records_of(self, docs: Iterable[str]) -> Iterator[tuple[str, str]]:
        """``(record, review)`` of every record of ``docs``."""
        yield from self.rows_in("SELECT iri, review FROM records WHERE doc IN ({marks})", list(docs))


def read_matches(store: GraphStore) -> tuple[set[tuple[str, str]], list[MatchRow]]:
    """The pairs of records of one review (``dhr:sameReviewAs``) and the stored matches."""
    same = {(min(str(a), str(b)), max(str(a), str(b)))
            for a, b in store.query(internal_query("same-review").text).rows() if a != b}
    rows: dict[str, tuple[list[str], float, list[str]]] = {}
    for node, review, confidence, evidence in store.query(internal_query("review-matches").text).rows():
        entry = rows.setdefault(str(node), ([], float(str(confidence)), []))
        if str(review) not in entry[0]:
            entry[0].append(str(review))
        if evidence is not None and str(evidence) not in entry[2]:
            entry[2].append(str(evidence))
    matches = sorted((min(r), max(r), c, tuple(sorted(e))) for r, c, e in rows.values() if len(r) == 2)
    return same, matches


def normal_text(text: str) -> str:
    """A recommendation's text as repeated recommendations compare it: lower case, single spaces.

    >>> normal_text("  All agencies\\n should  train ")
    'all agencies should train'
    """
    return " ".join(text.lower().split())


def _norm(text: str | None) -> str | None:
    return None if text is None else short_hash(normal_text(text))


def _others(store: GraphStore, documents: Iterable[str]) -> str:
    """The graphs that are neither documents nor derived from them (the ontology, vocabularies,
    graphs of other tools), space-separated. Imported statuses are left out: nothing counted
    reads them, and an import should not make the next ingest read the ontology again."""
    derived = set(documents) | {str(ANALYSIS_GRAPH), str(MATCH_GRAPH), str(JOURNAL_GRAPH)}
    return " ".join(sorted(g for g in store.graphs() if g not in derived and not g.startswith(SOURCES)
                           and not g.startswith((str(SUMMARY_GRAPH), STATUS_GRAPHS))))


def _columns(lit: Lit) -> tuple[str, str | None, str | None]:
    """A literal as the index's columns hold it: value, language, datatype."""
    return lit.value, lit.language, lit.datatype


def _connect(store: GraphStore, *, fresh: bool = False) -> sqlite3.Connection:
    """The index database of ``store``: a file in its cache folder, or one kept in the store
    object (in memory, or a remote store); ``fresh`` starts it empty."""
    folder = store.cache_folder()
    kept: sqlite3.Connection | None = store.__dict__.get("_corpus_index")
    if kept is not None and not fresh:
        return kept
    if kept is not None:
        kept.close()
    if folder is None:
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    else:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / DATABASE
        if fresh:
            for suffix in ("", "-journal", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    if not db.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone():
        db.executescript(SCHEMA)
    store.__dict__["_corpus_index"] = db
    return db
