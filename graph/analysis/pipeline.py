"""Analysis across reviews: links by shared failures, repeated recommendations, network measures.

``analyse(store)`` computes links, clusters, communities and agency centrality from the corpus
index (:mod:`graph.store.corpus_index`) and writes them as RDF into one named graph, so SPARQL
and the web pages can explain every link, cluster and score. The graph records a fingerprint
of the source documents it was computed from, so a later ingest can tell that it is stale
(:func:`analysis_state`).

A run after a change does only what the change touches (:mod:`graph.analysis.state` keeps what
it needs): the reviews whose failures changed are scored against all the others, and the few
whose best pairs lost one; the texts of new or changed recommendations are compared with all the
others and only the groups of near-duplicates they join are clustered again; communities and
agency scores are recomputed whole (Leiden and sampled betweenness are global, and cheap), and
every part is written as its difference from what the graph holds. ``full=True`` recomputes everything.
Both give the same graph (a test holds them to it).
"""

from __future__ import annotations

import hashlib
import heapq
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from graph.analysis import triples
from graph.analysis.cluster_writes import cluster_change
from graph.analysis.clusters import (
    least,
    pairs_of,
    similar_pairs,
    stars,
)
from graph.analysis.failures import FailureKey, ReviewFailures
from graph.analysis.links import MAX_SHARED, SCALE, Scorer, describe, pairs, ranking, update_tops, weights_of
from graph.analysis.measures import AgencyCentrality, Community, agency_centrality, communities
from graph.analysis.settings import AnalysisSettings
from graph.analysis.state import AnalysisState, DocumentTexts
from graph.ingestion.corpus_summary import CorpusSummary
from graph.model.iris import failure_key
from graph.model.terms import DHR
from graph.store import updates
from graph.store.base import ANALYSIS_GRAPH, GraphStore, source_hashes
from graph.store.corpus_index import CorpusIndex, classes, normal_text
from graph.store.named_queries import NamedQuery, internal_query

__all__ = ["AnalysisReport", "analyse", "analysis_state", "last_settings"]

DIRTY_SHARE = 0.25
"""When more than this share of the reviews must be scored again, all of them are (one pass)."""


@dataclass
class AnalysisReport:
    reviews_with_failures: int = 0
    links: int = 0
    clusters: int = 0
    communities: int = 0
    agencies: int = 0
    full: bool = True  # computed afresh, not by the difference a change made
    rescored: int = 0  # reviews scored again
    reclustered: int = 0  # texts clustered again
    scores_moved: int = 0  # links of unchanged reviews whose score alone was written again
    citations_moved: int = 0  # … whose cited failures changed with the weights (written as their difference)
    clusters_amended: int = 0  # clusters that kept their name, written as the members that came and went
    clusters_grown: int = 0  # … that only gained members: counted from what came, not counted again whole


def analysis_state(store: GraphStore) -> Literal["fresh", "stale", "missing"]:
    """Whether the stored analysis was computed from the documents now in the store."""
    stored = _stored_fingerprint(store)
    if stored is None:
        return "missing"
    return "fresh" if stored == store.fingerprint() else "stale"


def why_no_links(store: GraphStore) -> str:
    """Why a question about links between reviews has no answer: links never computed, links
    out of date, or no review sharing enough failures.

    >>> from graph import Store
    >>> why_no_links(Store())
    'links between reviews have not been computed yet: run `dhrkg link`'
    """
    state = analysis_state(store)
    if state == "missing":
        return "links between reviews have not been computed yet: run `dhrkg link`"
    if state == "stale":
        return "the links are out of date (documents changed since): run `dhrkg link`"
    return "no review shares enough failures with another to be linked"


def reads_links(query: NamedQuery) -> bool:
    """Whether a named query answers from the links between reviews (so an empty answer may
    mean they were never computed)."""
    return "dhr:linkedReview" in query.text


def last_settings(store: GraphStore) -> AnalysisSettings:
    """The settings the stored analysis was computed with (the defaults when unknown)."""
    return AnalysisState.last_settings(CorpusSummary.open(store).index) or AnalysisSettings()


def _stored_fingerprint(store: GraphStore) -> str | None:
    result = store.query(internal_query("analysis-fingerprint").text).rows()
    return str(result[0][0]) if result else None


def analyse(store: GraphStore, settings: AnalysisSettings = AnalysisSettings(), *,
            full: bool = False) -> AnalysisReport:
    """Compute links, clusters, communities and agency centrality, and store them: by the
    difference the documents changed since the last run made, or afresh with ``full``.

    >>> from graph import Store, ingest
    >>> from graph.resources import data_dir
    >>> store = Store(); _ = ingest(store, [data_dir() / "seed"])
    >>> report = analyse(store)
    >>> report.reviews_with_failures, report.links, analysis_state(store)
    (1, 0, 'fresh')
    """
    # A whole run lists the store's documents to check the index against them; an incremental
    # one takes the index as current while the summary's marker says so (CorpusIndex.open).
    summary = CorpusSummary.open(store, store.documents() if full else None)
    if summary.index.rebuilt:
        summary.update({})  # the index was read again from the store: so is the summary counted
    index = summary.index
    stored = _stored_fingerprint(store)
    kept = None if full else AnalysisState.load(index, stored, settings)
    run = _Run(store, index, settings, kept, store.fingerprint(source_hashes(index.stored())))
    report = run.analyse()
    if report.full:
        store.optimize()  # a whole analysis ends a build: the queries that follow read a compacted store
        index.checkpoint()
    return report


class _Run:
    """One run of the analysis, from what was kept (or nothing) to what is written."""

    def __init__(self, store: GraphStore, index: CorpusIndex, settings: AnalysisSettings,
                 kept: AnalysisState | None, fingerprint: str) -> None:
        self.store, self.index, self.settings = store, index, settings
        self.whole = kept is None
        self.old = kept if kept is not None else AnalysisState()
        self.new = AnalysisState(fingerprint, AnalysisState.settings_key(settings), raw=self.old.raw)
        # The difference, when not whole: nodes whose every triple goes, then lines removed and
        # lines added, each line where its last change put it. Written as one operation of each
        # kind: thousands of small ones cost a millisecond each to parse and run.
        self.nodes_gone: list[str] = []
        self.changes: dict[str, bool] = {}  # line: added (True) or removed (False)
        self.moved_reviews: set[str] = set()
        self.key_counts: Counter[FailureKey] = Counter()  # how many reviews have each failure key
        self.lines: list[str] = []  # the whole graph, when whole

    def analyse(self) -> AnalysisReport:
        docs_now = {key: doc.sha256 for key, doc in self.index.stored().items()}
        docs_then = {} if self.whole else self.old.documents(self.index)
        changed = sorted(k for k in docs_now.keys() | docs_then.keys()
                         if docs_now.get(k) != docs_then.get(k))
        reviews = self._reviews()
        report = AnalysisReport(reviews_with_failures=len(reviews), full=self.whole)
        links = self._links(reviews, report)
        clusters = self._clusters(changed, report)
        found = communities(sorted((a, b, s / SCALE) for (a, b), s in links.items()),
                            {r: keys for r, (_, keys) in reviews.items()}, counts=self.key_counts)
        scores = self._centrality(changed)
        report.links, report.clusters = len(links), clusters
        report.communities, report.agencies = len(found), len(scores)
        self._write_measures(found, scores)
        self._write(changed)
        return report

    # ------------------------------------------------------------------ links

    def _reviews(self) -> dict[str, tuple[str, frozenset[FailureKey]]]:
        """Every review with failures: its signature (records and keys) and its keys."""
        return review_signatures(self.index.rows("SELECT review, iri, keys FROM records WHERE keys != ''"))

    def _links(self, reviews: dict[str, tuple[str, frozenset[FailureKey]]], report: AnalysisReport) -> dict[
            tuple[str, str], int]:
        keysets = {r: keys for r, (_, keys) in reviews.items()}
        self.key_counts = Counter(k for keys in keysets.values() for k in keys)
        weights = weights_of(self.key_counts, len(keysets)) if len(keysets) >= 2 else {}
        self.new.weights = {_code(k): w for k, w in weights.items()}
        self.new.signatures = {r: signature for r, (signature, _) in reviews.items()}
        dirty: set[str] = set()
        moved: frozenset[FailureKey] = frozenset()
        if len(keysets) < 2:
            self.new.tops = {r: () for r in keysets}
        else:
            scorer = Scorer(keysets, weights)
            moved = frozenset(failure_key(f"/{code}") for code in self.new.weights.keys() | self.old.weights.keys()
                              if self.new.weights.get(code) != self.old.weights.get(code))
            dirty = {r for r, signature in self.new.signatures.items()
                     if self.old.signatures.get(r) != signature or not moved.isdisjoint(keysets[r])}
            if self.whole or len(dirty) > DIRTY_SHARE * len(keysets):
                self.new.tops = scorer.tops(scorer.names, self.settings)
                dirty = set(keysets)
            else:
                self.new.tops = update_tops(scorer, self.old.tops, dirty, self.settings)
        report.rescored = len(dirty)
        now, then = pairs(self.new.tops), pairs(self.old.tops)
        # A link is written again when its score moved, a review of it was read again (its
        # evidence), or moved weights changed which shared failures it cites; a weight moving
        # under a common failure rescored most reviews but leaves most links' triples as they were.
        read_again = {r for r, signature in self.new.signatures.items() if self.old.signatures.get(r) != signature}
        weights_then = {failure_key(f"/{code}"): w for code, w in self.old.weights.items()}
        order, order_then = ranking(weights), ranking(weights_then)
        cites_other = {p for p in now if p in then and p[0] in dirty and p[1] in dirty
                       and _cites_other(keysets[p[0]] & keysets[p[1]], moved, order, order_then)}
        changed = {p for p, s in now.items() if then.get(p) != s or p[0] in read_again or p[1] in read_again
                   or p in cites_other}
        gone = set(then) - set(now)
        if not self.whole:  # a score moved and nothing else: one line
            rescored = {p for p in changed if p in then and not set(p) & read_again and p not in cites_other}
            report.scores_moved = len(rescored)
            for a, b in sorted(rescored):
                self._delete([triples.score_line(a, b, then[(a, b)] / SCALE)])
                self._insert([triples.score_line(a, b, now[(a, b)] / SCALE)])
            changed -= rescored
        evidence = self._evidence({r for p in changed for r in p})
        for a, b in sorted(gone | changed):
            lines = triples.link_lines(describe(a, b, now[(a, b)], evidence[a], evidence[b], weights, order)) \
                if (a, b) in now else []
            if self.whole:
                self._insert(lines)
            elif (a, b) in then and (a, b) in now and not {a, b} & read_again \
                    and all(k in weights_then for k in keysets[a] & keysets[b]):
                # Same reviews, same evidence: what was written is known without reading it back,
                # so only the lines that differ (the failures it cites, its score) are written.
                report.citations_moved += 1
                was = set(triples.link_lines(describe(a, b, then[(a, b)], evidence[a], evidence[b], weights_then,
                                                      order_then)))
                self._delete(sorted(was.difference(lines)))
                self._insert(sorted(set(lines) - was))
            else:
                if (a, b) in then:
                    self.nodes_gone.append(triples.link_node(a, b))
                    self._delete(triples.pair_lines(a, b))
                self._insert(lines)
        kinds_then = {k: w for k, w in self.old.weights.items()}
        for code, w in sorted(self.new.weights.items()):
            if kinds_then.get(code) != w:
                if not self.whole and code in kinds_then:
                    self._delete(triples.shared_failure_lines(failure_key(f"/{code}"), kinds_then[code]))
                self._insert(triples.shared_failure_lines(failure_key(f"/{code}"), w))
        for code in sorted(set(kinds_then) - set(self.new.weights)):
            if not self.whole:
                self._delete(triples.shared_failure_lines(failure_key(f"/{code}"), kinds_then[code]))
        return now

    def _evidence(self, reviews: set[str]) -> dict[str, ReviewFailures]:
        found = {r: ReviewFailures(r) for r in reviews}
        for review, record, failure in self.index.rows_in(  # a review's rows in one chunk, in failure order
                "SELECT r.review, r.iri, f.failure FROM failures f JOIN records r ON r.iri = f.record "
                "WHERE r.review IN ({marks}) ORDER BY f.failure", sorted(reviews)):
            found[review].records.add(record)
            found[review].by_key[failure_key(failure)].append(failure)
        return found

    # ------------------------------------------------------------------ clusters

    def _texts(self, keys: list[str]) -> dict[str, DocumentTexts]:
        """Each document of ``keys`` now: its hash and its recommendations (IRI, text as compared)."""
        found: dict[str, DocumentTexts] = {
            key: (sha, []) for key, sha in self.index.rows_in("SELECT key, sha FROM docs WHERE key IN ({marks})", keys)}
        for doc, iri, text in self.index.rows_in(  # a document's rows in one chunk, in IRI order
                "SELECT doc, iri, text FROM recs WHERE doc IN ({marks}) AND text IS NOT NULL ORDER BY iri", keys):
            found[doc][1].append((iri, normal_text(text)))
        return found

    def _clusters(self, changed: list[str], report: AnalysisReport) -> int:
        model = self.old.model
        self.new.model = model
        classes_then = model.weight_classes()
        texts_now = self._texts(changed)  # in a whole run, every document
        self.texts_now = texts_now
        texts_then = {} if self.whole else self.old.texts_of(self.index, changed)
        delta: dict[str, int] = defaultdict(int)
        for _, recommendations in texts_then.values():
            for _, text in recommendations:
                delta[text] -= 1
        for _, recommendations in texts_now.values():
            for _, text in recommendations:
                delta[text] += 1
        numbers = model.add(sorted(t for t, d in delta.items() if d > 0 and t not in model.number))
        weight_of = np.zeros(len(model.texts), dtype=np.int64)
        weight_of[:len(self.old.weight_of)] = self.old.weight_of
        for text, d in delta.items():
            if text in model.number:
                weight_of[model.number[text]] += d
        gone = np.flatnonzero(model.alive & (weight_of <= 0)).tolist()
        model.drop(gone)
        coming = np.flatnonzero(~model.alive & (weight_of > 0)).tolist()
        model.add([model.texts[i] for i in coming])
        classes_now = model.weight_classes()
        if self.whole or len(classes_then) == 0:
            reweigh = [i for i in range(len(model.texts)) if model.alive[i]]
        else:
            moved = np.flatnonzero(classes_then != classes_now[:len(classes_then)])
            reweigh = sorted(set(model.holding(moved)) | set(numbers) | set(coming))
        model.weigh(reweigh)
        self.new.weight_of = weight_of
        before = np.zeros(len(weight_of), dtype=np.int64)
        before[:len(self.old.weight_of)] = self.old.weight_of
        counted = set(np.flatnonzero(before != weight_of).tolist())
        if self.whole or len(reweigh) > DIRTY_SHARE * max(1, model.live):
            rows, cols = similar_pairs(model.matrix(), least(self.settings.cluster_threshold))
            touched = set(range(len(model.texts)))
        else:
            old_rows, old_cols = self.old.near
            changed_texts = np.zeros(len(model.texts), dtype=bool)
            changed_texts[list(set(reweigh) | set(gone))] = True
            cut = (old_rows >= 0) & (changed_texts[old_rows] | changed_texts[old_cols])
            new_rows, new_cols = pairs_of(model, reweigh, self.settings.cluster_threshold)
            touched = set(reweigh) | set(gone) | counted | set(old_rows[cut].tolist()) | set(old_cols[cut].tolist())
            # A pair cut is marked -1 where it lies, and new pairs go at the end: the arrays kept
            # change in a few places (written as the parts that changed), until half are marks.
            rows, cols = np.concatenate([np.where(cut, -1, old_rows), new_rows]), \
                np.concatenate([np.where(cut, -1, old_cols), new_cols])
            if np.count_nonzero(rows < 0) * 2 > len(rows):
                rows, cols = rows[rows >= 0], cols[cols >= 0]
        self.new.near = (rows, cols)
        rows, cols = rows[rows >= 0], cols[cols >= 0]
        n = len(model.texts)
        _, component = connected_components(coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)),
                                             directed=False)
        again = {c for c in component[sorted(touched)].tolist()} if touched else set()
        members = sorted(i for i in range(n) if component[i] in again and weight_of[i] > 0)
        report.reclustered = len(members)
        groups = {} if self.whole else {c: g for c, g in self.old.groups.items()
                                        if component[c] not in again and weight_of[c] > 0}
        if members:
            local = np.full(n, -1, dtype=np.int64)
            local[members] = np.arange(len(members))
            inside = (local[rows] >= 0) & (local[cols] >= 0)
            order = np.argsort(np.argsort(np.array([model.texts[i] for i in members], dtype=object))).tolist()
            for centre, group in stars(len(members), local[rows[inside]], local[cols[inside]],
                                       weight_of[members], order):
                groups[members[centre]] = [members[i] for i in group]
        self.new.groups = groups
        # A cluster changes with its texts, or with the recommendations of one of them (a changed
        # document's, or records matched anew: the reviews they count for).
        stale = {model.number[t] for t in delta if t in model.number}
        moved_records = self._moved_records()
        if moved_records:
            stale |= {model.number[normal_text(t)] for (t,) in self.index.rows_in(
                "SELECT text FROM recs WHERE record IN ({marks}) AND text IS NOT NULL", sorted(moved_records))}
        redo = set(groups) if self.whole else {c for c in groups if self.old.groups.get(c) != groups[c]
                                                 or not stale.isdisjoint(groups[c])}
        change = cluster_change(self.index, self.old, model, groups, redo, texts_then, texts_now,
                                records_moved=bool(moved_records), whole=self.whole)
        self.nodes_gone.extend(change.nodes_gone)
        self._delete(change.removed)
        self._insert(change.added)
        self.new.clusters_written = change.heads
        self.new.written["clusters"] = change.written
        report.clusters_amended, report.clusters_grown = change.amended, change.grown
        return len(change.written)

    def _moved_records(self) -> set[str]:
        """Records whose review (the record they count as) is not the one the analysis used, and
        (in ``moved_reviews``) the reviews they counted as, then and now."""
        then = {tuple(p) for p in self.old.written.get("same", [])}
        now = self.index.same()
        self.new.written["same"] = sorted(now)
        moved = {r for pair in then ^ now for r in pair}
        first_then = classes(then)
        self.moved_reviews = {first_then.get(r, r) for r in moved} | set(self.index.reviews(moved).values())
        return moved

    # ------------------------------------------------------------------ communities and agency scores

    def _centrality(self, changed: list[str]) -> list[AgencyCentrality]:
        """Degree and betweenness of agencies; the reviews' agencies are kept, and read again from
        the index only for the reviews a change touched."""
        sql = ("SELECT DISTINCT r.review, ra.agency FROM rec_agencies ra JOIN recs x ON x.iri = ra.rec "
               "JOIN records r ON r.iri = x.record WHERE ra.agency != ? AND x.text IS NOT NULL")
        everything = str(DHR.AllAgencies)
        agencies_of: dict[str, set[str]] = defaultdict(set)
        if self.whole:
            for review, agency in self.index.rows(sql, (everything,)):
                agencies_of[review].add(agency)
            reviews = {r for (r,) in self.index.rows("SELECT DISTINCT review FROM records")}
            self.new.coreview = {r: sorted(agencies_of.get(r, ())) for r in reviews}
        else:
            kept = {r: set(a.split()) for r, a in self.index.rows("SELECT review, agencies FROM a_coreview")}
            reviews = {r for (r,) in self.index.rows("SELECT DISTINCT review FROM records")}
            affected = (reviews ^ set(kept)) | self.moved_reviews | {r for (r,) in self.index.rows_in(
                "SELECT DISTINCT review FROM records WHERE doc IN ({marks})", changed)}
            found: dict[str, set[str]] = defaultdict(set)
            for review, agency in self.index.rows_in(sql.replace("WHERE", "WHERE r.review IN ({marks}) AND"),
                                                 sorted(affected & reviews), (everything,)):
                found[review].add(agency)
            for review in affected:
                agencies = found.get(review, set()) if review in reviews else None
                if agencies != kept.get(review):
                    self.new.coreview[review] = sorted(agencies) if agencies is not None else None
                if agencies is None:
                    kept.pop(review, None)
                else:
                    kept[review] = agencies
            agencies_of = defaultdict(set, kept)
        digest = hashlib.sha256("\n".join(f"{r} {' '.join(sorted(agencies_of[r]))}" for r in sorted(agencies_of)
                                          if agencies_of[r]).encode()).hexdigest()
        if not self.whole and self.old.written.get("co-review") == digest and "agencies" in self.old.written:
            scores = [AgencyCentrality(a, d, b) for a, d, b in self.old.written["agencies"]]
        else:
            scores = agency_centrality((r, a) for r, agencies in agencies_of.items() for a in agencies)
        self.new.written["co-review"] = digest
        self.new.written["agencies"] = [[s.agency, s.degree, s.betweenness] for s in scores]
        return scores

    def _write_measures(self, found: list[Community], scores: list[AgencyCentrality]) -> None:
        self.new.written["communities"] = [[list(c.members), [[list(k), n, lift] for k, n, lift in c.defining]]
                                           for c in found]
        if self.whole:
            self.lines.extend(triples.community_lines(found))
            self.lines.extend(triples.centrality_lines(scores))
            return
        then_communities = _communities(self.old.written.get("communities", []))
        if then_communities != found:
            now, then = set(triples.community_lines(found)), set(triples.community_lines(then_communities))
            self._delete(sorted(then - now))
            self._insert(sorted(now - then))
        # Only the agencies whose scores moved are written out (22,000 of them at 10,000 reviews).
        then_scores = {a: (d, b) for a, d, b in self.old.written.get("agencies", [])}
        now_scores = {s.agency: (s.degree, s.betweenness) for s in scores}
        self._delete(triples.centrality_lines(AgencyCentrality(a, *s) for a, s in sorted(then_scores.items())
                                              if now_scores.get(a) != s))
        self._insert(triples.centrality_lines(AgencyCentrality(a, *s) for a, s in sorted(now_scores.items())
                                              if then_scores.get(a) != s))

    # ------------------------------------------------------------------ writing

    def _insert(self, lines: Iterable[str]) -> None:
        if self.whole:
            self.lines.extend(lines)
        else:
            self.changes.update(dict.fromkeys(lines, True))

    def _delete(self, lines: Iterable[str]) -> None:
        if not self.whole:
            self.changes.update(dict.fromkeys(lines, False))

    def _write(self, changed: list[str]) -> None:
        texts = self.texts_now
        fingerprint = self.new.fingerprint
        if self.whole:
            self.store.replace_graph_text(str(ANALYSIS_GRAPH), "\n".join([*triples.header(fingerprint), *self.lines]))
        else:
            graph = str(ANALYSIS_GRAPH)
            removed = "\n".join(line for line, added in self.changes.items() if not added)
            added = "\n".join([*(line for line, came in self.changes.items() if came),
                                *triples.header(fingerprint)[:1]])
            if os.environ.get("DHRKG_DEBUG_WRITES"):
                print(f"analysis difference: {len(self.nodes_gone)} nodes gone, "
                      f"{sum(not came for came in self.changes.values())} lines removed, "
                      f"{sum(self.changes.values())} added", file=sys.stderr)
            self.store.update_derived(updates.sequence([
                updates.delete_values(graph, graph, str(DHR.analysisFingerprint)),
                updates.delete_about_each(graph, self.nodes_gone) if self.nodes_gone else "",
                updates.delete_data(graph, removed) if removed else "",
                updates.insert_data(graph, added)]))
        docs: dict[str, DocumentTexts | None] = {key: texts.get(key) for key in changed} if not self.whole \
            else dict(texts)
        reviews = set(self.new.tops) | set(self.old.tops)
        self.new.save(self.index, docs, whole=self.whole, reviews=reviews if self.whole else {
            r for r in reviews if self.new.tops.get(r) != self.old.tops.get(r)
            or self.new.signatures.get(r) != self.old.signatures.get(r)})


def _cites_other(shared: frozenset[FailureKey], moved: frozenset[FailureKey], order: Mapping[FailureKey, int],
                 order_then: Mapping[FailureKey, int]) -> bool:
    """Whether the failures a link cites (its MAX_SHARED heaviest shared) change with the weights
    that ``moved`` (both its reviews unchanged; ``order``: :func:`ranking` now and then)."""
    if shared.isdisjoint(moved):
        return False
    if any(k not in order_then for k in shared):
        return True
    return heapq.nsmallest(MAX_SHARED, shared, key=order.__getitem__) != \
        heapq.nsmallest(MAX_SHARED, shared, key=order_then.__getitem__)


def _communities(kept: list[list[object]]) -> list[Community]:
    return [Community(tuple(m), tuple((tuple(k), n, lift) for k, n, lift in d))  # type: ignore[arg-type, attr-defined]
            for m, d in kept]


def review_signatures(rows: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, frozenset[FailureKey]]]:
    """Each review's signature and failure keys, from its records' rows ``(review, record, codes)``.

    The signature names each record with its own codes: a link cites failure nodes of records,
    so a review whose codes moved from one of its sources to another has links to write again,
    though the union of its codes is what it was.

    >>> one = review_signatures([("r", "a", "T2-A01 T4"), ("r", "b", "T4")])
    >>> moved = review_signatures([("r", "a", "T4"), ("r", "b", "T2-A01 T4")])
    >>> one["r"][1] == moved["r"][1], one["r"][0] == moved["r"][0]
    (True, False)
    """
    records: dict[str, list[str]] = defaultdict(list)
    codes: dict[str, set[str]] = defaultdict(set)
    for review, record, listed in rows:
        records[review].append(f"{record}={' '.join(sorted(listed.split()))}")
        codes[review].update(listed.split())
    parsed: dict[str, tuple[FailureKey, FailureKey]] = {}
    found = {}
    for review in records:
        keys: set[FailureKey] = set()
        for code in codes[review]:
            if code not in parsed:
                key = failure_key(f"/{code}")
                parsed[code] = (key, (key[0], None))
            keys.update(parsed[code])
        found[review] = (" ".join(sorted(records[review])), frozenset(keys))
    return found


def _code(key: FailureKey) -> str:
    """A failure key as the code that ends its failure nodes' IRIs: ``T2-A01``, ``T4``."""
    return f"{key[0]}-{key[1]}" if key[1] else key[0]

