"""One review, several sources: find records of the same review and link them, never merge.

A summary page (or report) and a DHRD incident describe the same review when the CSP is
the same, the death dates agree (the year, and the month where both give one), and no
other record of the other kind fits as well. A match is stored with its evidence and
confidence in its own named graph, recomputed after each ingest; where two candidates fit
equally, nothing is linked and the ambiguity is reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from graph.model.iris import short_hash
from graph.model.terms import DHR, ID, PROV, RDF, XSD
from graph.rdf.builder import Triples, string, typed
from graph.store.base import GraphStore
from graph.store.named_queries import internal_query
from graph.store.results import Value

MATCH_GRAPH = ID["graph/review-matches"]


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


def find_matches(store: GraphStore) -> MatchReport:
    """Match reviews across kinds of source, without writing anything."""
    options: dict[tuple[str, str], list[_Option]] = defaultdict(list)  # (review, other's format) → options
    own_format: dict[str, str] = {}
    texts: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for row, other_row in _candidate_pairs(store):
        review, other = str(row["review"]), str(other_row["review"])
        own_format[review] = str(row["format"])
        month, other_month = row.get("month"), other_row.get("month")
        if month is not None and other_month is not None and month != other_month:
            continue  # both give a month and they differ: not the same death
        months_agree = month is not None and other_month is not None
        reasons = [f"same CSP '{_csp_name(store, str(row['csp']), names)}'", f"year of death {row['year']} in both"]
        if months_agree:
            reasons.append(f"month of death {month} in both")
        agreement = _texts_agree(store, review, other, texts)
        if agreement is False:
            continue  # both list recommendations and they are not the same ones
        if isinstance(agreement, str):
            reasons.append(agreement)
        options[(review, str(other_row["format"]))].append(
            _Option(other, tuple(reasons), months_agree, isinstance(agreement, str)))

    best = {key: _single_best(found) for key, found in options.items()}
    report = MatchReport()
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
    return report


def _candidate_pairs(store: GraphStore) -> Iterator[tuple[dict[str, Value], dict[str, Value]]]:
    """Ordered pairs of review rows with the same CSP and year of death, read from different
    kinds of source (each pair comes from both sides)."""
    groups: dict[tuple[str, str], list[dict[str, Value]]] = defaultdict(list)
    for row in store.query(internal_query("review-match-keys").text).to_dicts():
        groups[(str(row["csp"]), str(row["year"]))].append(row)
    for rows in groups.values():
        for row in rows:
            for other in rows:
                if other["review"] != row["review"] and other["format"] != row["format"]:
                    yield row, other


def _csp_name(store: GraphStore, csp: str, cache: dict[str, str]) -> str:
    if csp not in cache:
        query = internal_query("csp")
        rows = store.query(query.text, bindings=query.bindings({"csp": csp})).to_dicts()
        cache[csp] = str(rows[0]["name"]) if rows else csp
    return cache[csp]


AGREEMENT = 0.5
"""Share of the shorter list of recommendations that must appear, word for word (case and
spacing aside), in the other record for two records with recommendations to be one review."""


def _texts_agree(store: GraphStore, review: str, other: str, cache: dict[str, set[str]]) -> str | Literal[False] | None:
    """Evidence that two records' recommendations agree, False if they do not, None if either has none."""
    for record in (review, other):
        if record not in cache:
            query = internal_query("review-texts")
            rows = store.query(query.text, bindings=query.bindings({"review": record})).rows()
            cache[record] = {" ".join(str(text).lower().split()) for _, text in rows}
    mine, theirs = cache[review], cache[other]
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


def refresh_matches(store: GraphStore) -> MatchReport:
    """Recompute the review matches and replace them in the store, in one transaction."""
    report = find_matches(store)
    out = Triples()
    for match in report.matches:
        if match.review > match.other:
            continue  # each pair is found from both sides; store it once
        node = ID[f"match/{short_hash(match.review + ' ' + match.other)}"]
        out.add(node, RDF.type, DHR.ReviewMatch)
        out.add(node, DHR.matchedReview, match.review)
        out.add(node, DHR.matchedReview, match.other)
        out.add(node, DHR.confidence, typed(f"{match.confidence:.3f}", XSD.decimal))
        out.add(node, PROV.wasGeneratedBy, DHR.ReviewMatching)
        for words in match.evidence:
            out.add(node, DHR.evidence, string(words))
        out.add(match.review, DHR.sameReviewAs, match.other)
        out.add(match.other, DHR.sameReviewAs, match.review)
    store.replace_graph(str(MATCH_GRAPH), out.items)
    return report
