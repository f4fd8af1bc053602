"""One review, several sources: find records of the same review and link them, never merge.

A summary page (or report) and a DHRD incident describe the same review when the CSP is
the same, the death dates agree (the year, and the month where both give one), and no
other record of the other kind fits as well. A match is stored with its evidence and
confidence in its own named graph; where two candidates fit equally, nothing is linked and
the ambiguity is reported. Every record of one review is linked to every other
(``dhr:sameReviewAs`` both ways), so a query finds all of a review's records in one step.

Candidates share a CSP and a year of death, so after an ingest only the groups of records of
that CSP and year that the changed documents are in are matched again, from the corpus index
(:mod:`graph.store.corpus_index`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from graph.model.iris import short_hash
from graph.model.terms import DHR, ID, PROV, RDF, XSD
from graph.rdf.builder import Triples, string, typed
from graph.rdf.digest import DocumentDigest
from graph.store.base import MATCH_GRAPH, GraphStore
from graph.store.corpus_index import CorpusIndex, MatchRow, classes

__all__ = ["MATCH_GRAPH", "Match", "MatchReport", "find_matches", "groups_of", "match_again", "refresh_matches"]

Group = tuple[str, str]  # (CSP, year of death)


@dataclass(frozen=True)
class Match:
    review: str
    other: str
    confidence: float
    evidence: tuple[str, ...]


@dataclass
class MatchReport:
    matches: list[Match] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # review → equally good candidates


@dataclass(frozen=True)
class _Option:
    other: str
    evidence: tuple[str, ...]
    months_agree: bool
    texts_agree: bool

    @property
    def strength(self) -> int:
        """1 on the year alone; +1 when the months agree; +1 when the recommendations agree."""
        return 1 + self.months_agree + self.texts_agree

    @property
    def confidence(self) -> float:
        return min(0.98, 0.7 + 0.2 * self.months_agree + 0.25 * self.texts_agree)


@dataclass(frozen=True)
class _Candidate:
    review: str
    format: str
    month: str | None
    texts: frozenset[str]


def groups_of(docs: Iterable[DocumentDigest]) -> set[Group]:
    """The (CSP, year of death) groups the records of ``docs`` are in."""
    return {(r.csp, r.year) for doc in docs for r in doc.records if r.csp and r.year}


def _candidates(index: CorpusIndex, groups: set[Group] | None) -> dict[Group, list[_Candidate]]:
    sql = ("SELECT r.iri, r.csp, r.year, r.month, d.format FROM records r JOIN docs d ON d.key = r.doc "
           "WHERE r.csp IS NOT NULL AND r.year IS NOT NULL")
    rows = index.rows(sql) if groups is None else [
        row for csp, year in sorted(groups) for row in index.rows(sql + " AND r.csp = ? AND r.year = ?", (csp, year))]
    texts: dict[str, set[str]] = defaultdict(set)
    records = [row[0] for row in rows]
    for record, text in index.rows_in("SELECT record, text FROM recs WHERE record IN ({marks}) AND text IS NOT NULL",
                                      records):
        texts[record].add(" ".join(text.lower().split()))
    found: dict[Group, list[_Candidate]] = defaultdict(list)
    for record, csp, year, month, fmt in rows:
        found[(csp, year)].append(_Candidate(record, fmt, month, frozenset(texts.get(record, ()))))
    return found


def find_matches(index: CorpusIndex, groups: set[Group] | None = None, *,
                 names: dict[str, str] | None = None) -> MatchReport:
    """Match reviews across kinds of source in ``groups`` (every group when None), writing nothing.
    ``names`` gives each CSP's name for the evidence."""
    report = MatchReport()
    for (csp, year), rows in sorted(_candidates(index, groups).items()):
        name = (names or {}).get(csp, csp)
        _match_group(rows, year, name, report)
    return report


def _match_group(rows: list[_Candidate], year: str, csp_name: str, report: MatchReport) -> None:
    options: dict[tuple[str, str], list[_Option]] = defaultdict(list)  # (review, other's format) → options
    own_format = {row.review: row.format for row in rows}
    for row, other in _pairs(rows):
        if row.month is not None and other.month is not None and row.month != other.month:
            continue  # both give a month and they differ: not the same death
        months_agree = row.month is not None and other.month is not None
        reasons = [f"same CSP '{csp_name}'", f"year of death {year} in both"]
        if months_agree:
            reasons.append(f"month of death {row.month} in both")
        agreement = _texts_agree(row.texts, other.texts)
        if agreement is False:
            continue  # both list recommendations and they are not the same ones
        if isinstance(agreement, str):
            reasons.append(agreement)
        options[(row.review, other.format)].append(
            _Option(other.review, tuple(reasons), months_agree, isinstance(agreement, str)))
    best = {key: _single_best(found) for key, found in options.items()}
    for (review, kind), choice in sorted(best.items()):
        if choice is None:
            strongest = max(o.strength for o in options[(review, kind)])
            report.ambiguous[review] = sorted(o.other for o in options[(review, kind)] if o.strength == strongest)
            continue
        # A pair matches only when each side is the other's single best fit.
        back = best.get((choice.other, own_format[review]))
        if back is None or back.other != review:
            report.ambiguous[review] = [choice.other]
            continue
        report.matches.append(Match(review, choice.other, choice.confidence,
                                    choice.evidence + ("no other candidate fits",)))


def _pairs(rows: list[_Candidate]) -> Iterator[tuple[_Candidate, _Candidate]]:
    """Ordered pairs of records of one group read from different kinds of source (each pair
    comes from both sides)."""
    for row in sorted(rows, key=lambda r: (r.review, r.format)):
        for other in sorted(rows, key=lambda r: (r.review, r.format)):
            if other.review != row.review and other.format != row.format:
                yield row, other


AGREEMENT = 0.5
"""Share of the shorter list of recommendations that must appear, word for word (case and
spacing aside), in the other record for two records with recommendations to be one review."""


def _texts_agree(mine: frozenset[str], theirs: frozenset[str]) -> str | Literal[False] | None:
    """Evidence that two records' recommendations agree, False if they do not, None if either has none."""
    if not mine or not theirs:
        return None
    shared = len(mine & theirs)
    if shared < AGREEMENT * min(len(mine), len(theirs)):
        return False
    return f"{shared} of {min(len(mine), len(theirs))} recommendation texts agree"


def _single_best(found: list[_Option]) -> _Option | None:
    strongest = max(o.strength for o in found)
    fitting = [o for o in found if o.strength == strongest]
    return fitting[0] if len(fitting) == 1 else None


def refresh_matches(store: GraphStore, index: CorpusIndex, groups: set[Group] | None = None) -> MatchReport:
    """Match the records of ``groups`` again (every group when None) and write the difference to
    the stored matches in one update; the index's matches and pairs follow."""
    report, text = match_again(index, groups)
    if text is not None:
        store.replace_graph_text(str(MATCH_GRAPH), text)
    return report


def match_again(index: CorpusIndex, groups: set[Group] | None = None) -> tuple[MatchReport, str | None]:
    """Match the records of ``groups`` again (every group when None), in the index; returns the
    matches found, and the match graph's new triples when they changed (or the index was just
    read again), else None."""
    found_groups = {(csp, year) for csp, year in index.rows(
        "SELECT DISTINCT csp, year FROM records WHERE csp IS NOT NULL AND year IS NOT NULL")}
    names = {csp: _name(index, csp) for csp in {csp for csp, _ in (groups if groups is not None else found_groups)}}
    report = find_matches(index, groups, names=names)
    in_groups = ({r for csp, year in groups for (r,) in index.rows(
        "SELECT iri FROM records WHERE csp = ? AND year = ?", (csp, year))} if groups is not None else None)
    old = index.matches()
    kept = [m for m in old if in_groups is not None and not ({m[0], m[1]} & in_groups)]
    found = [(m.review, m.other, m.confidence, tuple(sorted(m.evidence))) for m in report.matches if m.review < m.other]
    before, after = _lines(old), _lines(kept + found)
    foreign = index.same() - _closure(old)  # pairs stated outside the match graph
    matches = sorted(kept + found)
    index.set_matches(matches)
    index.set_same(foreign | _closure(matches))
    return report, "\n".join(sorted(after)) if before != after or index.rebuilt else None


def _name(index: CorpusIndex, csp: str) -> str:
    """A CSP's name, as the evidence of a match gives it (its first label)."""
    rows = index.rows("SELECT value FROM labels WHERE node = ? ORDER BY value LIMIT 1", (csp,))
    return str(rows[0][0]) if rows else csp


def _closure(matches: Iterable[MatchRow]) -> set[tuple[str, str]]:
    joined: dict[str, list[str]] = defaultdict(list)
    for record, first in classes((a, b) for a, b, _, _ in matches).items():
        joined[first].append(record)
    return {(a, b) for records in joined.values() for a in records for b in records if a < b}


def _lines(matches: Iterable[MatchRow]) -> set[str]:
    out = Triples()
    matches = list(matches)
    for review, other, confidence, evidence in matches:
        node = ID[f"match/{short_hash(review + ' ' + other)}"]
        out.add(node, RDF.type, DHR.ReviewMatch)
        out.add(node, DHR.matchedReview, review)
        out.add(node, DHR.matchedReview, other)
        out.add(node, DHR.confidence, typed(f"{confidence:.3f}", XSD.decimal))
        out.add(node, PROV.wasGeneratedBy, DHR.ReviewMatching)
        for words in evidence:
            out.add(node, DHR.evidence, string(words))
    for a, b in _closure(matches):  # every record of one review with every other, both ways
        out.add(a, DHR.sameReviewAs, b)
        out.add(b, DHR.sameReviewAs, a)
    return set(out.lines())
