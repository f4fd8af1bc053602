"""The corpus index: what the corpus summary, review matching and the analysis read of every
document (its digest, :mod:`graph.rdf.digest`), which records are one review, and what the
ontology and vocabularies say of agencies and themes.

It is kept beside the store between runs (:func:`save_cache`), so that adding one review to
thousands costs what that review touches instead of reading every document again. It is only
ever a copy: it is used while it describes exactly the documents in the store and the summary
it was counted with is the store's current one (every write outside dhrkg's own removes that
marker), and is read again from the store otherwise (:meth:`CorpusIndex.rebuild`). What is
counted and linked therefore never depends on whether it was kept.
"""

from __future__ import annotations

import marshal
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.model.iris import short_hash
from graph.model.terms import DHR, ID
from graph.rdf.builder import Lit
from graph.rdf.digest import PREDICATES, TYPED, DocumentDigest, RecommendationDigest, RecordDigest, digest
from graph.store.base import ANALYSIS_GRAPH, JOURNAL_GRAPH, MATCH_GRAPH, SUMMARY_GRAPH, GraphStore, StoredDocument
from graph.store.named_queries import internal_query

__all__ = ["CorpusIndex", "Dims", "MatchRow", "classes", "documents_fingerprint", "load_cache", "save_cache"]

INDEX_VERSION = 1
SOURCES = f"{ID}source/"
"""Document graphs are named under this (:func:`graph.model.iris.source_iri`)."""


def documents_fingerprint(documents: Iterable[tuple[str, str]]) -> str:
    """The store's fingerprint (:meth:`GraphStore.fingerprint`) of ``(key, sha256)`` pairs."""
    return short_hash("\n".join(f"{key} {sha}" for key, sha in sorted(documents)), 32)


@dataclass(frozen=True)
class Dims:
    """What graphs other than documents (the ontology, vocabularies) say of agencies and themes."""

    labels: dict[str, tuple[Lit, ...]]
    classifications: dict[str, tuple[str, ...]]
    organisations: frozenset[str]
    csps: frozenset[str]
    tops: dict[str, tuple[str, ...]]  # theme concept → the top-level themes it rolls up to
    theme_names: dict[str, tuple[tuple[Lit, Lit], ...]]  # top-level theme → (notation, label) pairs
    type_names: dict[str, tuple[tuple[Lit, Lit], ...]]  # agency type → (notation, label) pairs

    @classmethod
    def read(cls, store: GraphStore, documents: Iterable[str]) -> Dims:
        """Read from every graph that is neither a document nor derived from documents."""
        derived = set(documents)
        kept_apart = {str(ANALYSIS_GRAPH), str(MATCH_GRAPH), str(JOURNAL_GRAPH)}
        others = [g for g in store.graphs() if g not in derived and not g.startswith(SOURCES)
                  and not g.startswith(str(SUMMARY_GRAPH)) and g not in kept_apart]
        labels: dict[str, set[Lit]] = defaultdict(set)
        classes: dict[str, set[str]] = defaultdict(set)
        typed: dict[str, set[str]] = defaultdict(set)
        for graph in sorted(others):
            for s, p, o in store.graph_tuples(graph):
                if p == _LABEL and isinstance(o, Lit):
                    labels[s].add(o)
                elif p == _CLASSIFICATION and isinstance(o, str):
                    classes[s].add(o)
                elif p == _TYPE and o in (_ORGANISATION, _CSP):
                    typed[str(o)].add(s)
        tops: dict[str, set[str]] = defaultdict(set)
        theme_names: dict[str, set[tuple[Lit, Lit]]] = defaultdict(set)
        type_names: dict[str, set[tuple[Lit, Lit]]] = defaultdict(set)
        for top, kind, code, label, theme in store.query(internal_query("scheme-names").text).terms():
            if theme is not None and top is not None:
                tops[theme.value].add(top.value)  # type: ignore[union-attr]
            elif top is not None:
                theme_names[top.value].add((Lit.of(code), Lit.of(label)))  # type: ignore[arg-type, union-attr]
            elif kind is not None:
                type_names[kind.value].add((Lit.of(code), Lit.of(label)))  # type: ignore[arg-type, union-attr]
        return cls({k: tuple(sorted(v, key=str)) for k, v in labels.items()},
                   {k: tuple(sorted(v)) for k, v in classes.items()},
                   frozenset(typed[_ORGANISATION]), frozenset(typed[_CSP]),
                   {k: tuple(sorted(v)) for k, v in tops.items()},
                   {k: tuple(sorted(v, key=str)) for k, v in theme_names.items()},
                   {k: tuple(sorted(v, key=str)) for k, v in type_names.items()})


_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_CLASSIFICATION = "http://www.w3.org/ns/org#classification"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_ORGANISATION = "http://www.w3.org/ns/org#Organization"
_CSP = str(DHR.CommunitySafetyPartnership)


@dataclass
class CorpusIndex:
    """Every document's digest by key, the pairs of records of one review, and the dims."""

    docs: dict[str, DocumentDigest]
    same: set[tuple[str, str]]  # records of one review (a < b), as dhr:sameReviewAs says
    matches: list[MatchRow]  # the review matches stored (dhr:ReviewMatch)
    dims: Dims
    summary: str | None = None  # the summary fingerprint the store held when this was saved
    rebuilt: bool = field(default=False, compare=False)  # read again from the store by this run

    def fingerprint(self) -> str:
        """The store's fingerprint of the documents indexed."""
        return documents_fingerprint((d.key, d.sha256) for d in self.docs.values())

    def representatives(self) -> dict[str, str]:
        """Each record in a review known from several sources → the review's first record (by IRI)."""
        return classes(self.same)

    @classmethod
    def rebuild(cls, store: GraphStore) -> CorpusIndex:
        """Digest every document the store holds, reading only the triples digests need."""
        stored = store.documents()
        by_graph: dict[str, list[tuple[str, str, Any]]] = {d.iri: [] for d in stored.values()}
        for predicate in PREDICATES:
            for graph, s, o in store.predicate_tuples(predicate):
                if graph in by_graph:
                    by_graph[graph].append((s, predicate, o))
        for cls_ in TYPED:
            for graph, s in store.typed_nodes(cls_):
                if graph in by_graph:
                    by_graph[graph].append((s, _TYPE, cls_))
        docs = {key: digest(key, doc.iri, by_graph[doc.iri]) for key, doc in stored.items()}
        same, matches = read_matches(store)
        return cls(docs, same, matches, Dims.read(store, by_graph), rebuilt=True)

    @classmethod
    def load(cls, store: GraphStore, stored: dict[str, StoredDocument] | None = None) -> CorpusIndex:
        """The index kept for ``store`` when it still describes it, else one read again from it."""
        stored = store.documents() if stored is None else stored
        kept = load_cache(store, "corpus-index", INDEX_VERSION)
        if kept is not None:
            try:
                index = _from_plain(kept)
            except (TypeError, ValueError, IndexError, KeyError):
                index = None
            if index is not None and index.summary is not None and index.summary == summary_marker(store) and {
                    k: (d.sha256, d.reader) for k, d in index.docs.items()} == {
                    k: (d.sha256, d.reader) for k, d in stored.items()} and index.dims == Dims.read(
                    store, (d.iri for d in stored.values())):
                return index
        return cls.rebuild(store)

    def save(self, store: GraphStore, summary: str) -> None:
        """Keep the index for the next run, with the summary fingerprint just written."""
        self.summary = summary
        save_cache(store, "corpus-index", INDEX_VERSION, _to_plain(self))

    def records(self) -> Iterator[tuple[DocumentDigest, RecordDigest]]:
        for doc in self.docs.values():
            for record in doc.records:
                yield doc, record


MatchRow = tuple[str, str, float, tuple[str, ...]]
"""A review match: its two records (first < second), confidence and evidence."""


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


def classes(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each record that is paired → the first record (by IRI) of the records joined by ``pairs``.

    >>> classes([("b", "c"), ("a", "c"), ("x", "y")]) == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x"}
    True
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        parent.setdefault(a, a)
        parent.setdefault(b, b)
    return {x: find(x) for x in parent}


def summary_marker(store: GraphStore) -> str | None:
    """The corpus summary's fingerprint while it is current, else None."""
    rows = store.query(internal_query("summary-fingerprint").text).rows()
    return str(rows[0][0]) if rows else None


# ------------------------------------------------------------------ kept between runs


def load_cache(store: GraphStore, name: str, version: int) -> Any:
    """What :func:`save_cache` kept under ``name``, or None (never kept, another version, unreadable).

    Kept in the object for an in-memory or remote store, and as a file in the store's folder
    for one on disk; written with :mod:`marshal`, which holds plain data and runs no code.
    """
    memory = getattr(store, "_caches", {})
    if name in memory:
        kept_version, value = memory[name]
        return value if kept_version == version else None
    folder = store.cache_folder()
    if folder is None:
        return None
    try:
        kept_version, value = marshal.loads((folder / name).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if kept_version == version else None


def save_cache(store: GraphStore, name: str, version: int, value: Any) -> None:
    """Keep ``value`` (plain data: tuples, lists, dicts, strings, numbers) for the next run,
    replacing the file in one step so a kill leaves the old copy or the new one."""
    folder = store.cache_folder()
    if folder is None:
        store.__dict__.setdefault("_caches", {})[name] = (version, value)
        return
    folder.mkdir(exist_ok=True)
    temporary = folder / f"{name}.{os.getpid()}.tmp"
    temporary.write_bytes(marshal.dumps((version, value)))
    os.replace(temporary, folder / name)


def drop_cache(store: GraphStore, name: str) -> None:
    """Forget what was kept under ``name``."""
    store.__dict__.get("_caches", {}).pop(name, None)
    folder = store.cache_folder()
    if folder is not None:
        (folder / name).unlink(missing_ok=True)


def _lit(value: tuple[str, str | None, str | None]) -> Lit:
    return Lit(*value)


def _to_plain(index: CorpusIndex) -> tuple[Any, ...]:
    docs = [(d.key, d.graph, d.sha256, d.reader, d.format, [tuple(r) for r in d.records],
             [(r.iri, r.record, r.text, r.agencies, r.themes, tuple((a, tuple(w)) for a, w in r.named_only))
              for r in d.recommendations],
             tuple((s, tuple(o)) for s, o in d.labels), d.classifications, d.organisations, d.csps, d.sources)
            for d in index.docs.values()]
    dims = index.dims
    plain_dims = ({k: tuple(tuple(v) for v in vs) for k, vs in dims.labels.items()}, dims.classifications,
                  tuple(sorted(dims.organisations)), tuple(sorted(dims.csps)), dims.tops,
                  {k: tuple((tuple(a), tuple(b)) for a, b in vs) for k, vs in dims.theme_names.items()},
                  {k: tuple((tuple(a), tuple(b)) for a, b in vs) for k, vs in dims.type_names.items()})
    return docs, sorted(index.same), [list(m) for m in index.matches], plain_dims, index.summary


def _from_plain(value: Any) -> CorpusIndex:
    docs, same, matches, plain_dims, summary = value
    digests = {}
    for key, graph, sha, reader, fmt, records, recs, labels, classifications, organisations, csps, sources in docs:
        digests[key] = DocumentDigest(
            key, graph, sha, reader, fmt, tuple(RecordDigest(*r) for r in records),
            tuple(RecommendationDigest(i, rec, t, a, th, tuple((ag, _lit(w)) for ag, w in n))
                  for i, rec, t, a, th, n in recs),
            tuple((s, _lit(o)) for s, o in labels), tuple(classifications), tuple(organisations), tuple(csps), sources)
    labels_, classes_, orgs, csps_, tops, theme_names, type_names = plain_dims
    dims = Dims({k: tuple(_lit(v) for v in vs) for k, vs in labels_.items()}, classes_, frozenset(orgs),
                frozenset(csps_), tops, {k: tuple((_lit(a), _lit(b)) for a, b in vs) for k, vs in theme_names.items()},
                {k: tuple((_lit(a), _lit(b)) for a, b in vs) for k, vs in type_names.items()})
    return CorpusIndex(digests, {tuple(p) for p in same}, [(a, b, c, tuple(e)) for a, b, c, e in matches],
                       dims, summary)
