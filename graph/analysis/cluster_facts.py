"""What the graph says of a repeated-recommendation cluster besides its members (its size, reviews,
addressees and years), counted by the corpus index rather than in Python.

A cluster is a group of texts (:func:`graph.analysis.clusters.stars`); its members are every
recommendation with one of those texts (``recs.norm``: the hash of the text as compared). On
generated corpora a cluster holds thousands of recommendations, so a cluster that only gained
members is counted from what it was and what came (:func:`grown`), and only one that lost some,
or whose reviews were matched anew, is counted again whole (:func:`counted`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from graph.store.corpus_index import CorpusIndex


@dataclass(frozen=True)
class ClusterFacts:
    representative: str  # the least recommendation IRI of the centre's text
    size: int
    reviews: int
    agencies: tuple[str, ...]  # sorted
    first_published: str | None
    last_published: str | None

    def kept(self) -> list[Any]:
        """As kept between runs (JSON)."""
        return [self.representative, self.size, self.reviews, list(self.agencies), self.first_published,
                self.last_published]

    @classmethod
    def of(cls, kept: Sequence[Any]) -> ClusterFacts:
        representative, size, reviews, agencies, first, last = kept
        return cls(representative, size, reviews, tuple(agencies), first, last)


def representatives(index: CorpusIndex, centres: Mapping[int, str]) -> dict[int, str]:
    """The representative of each group, by its centre: the least IRI of the centre's text
    (``centres``: centre → its text's hash)."""
    by_norm = {norm: centre for centre, norm in centres.items()}
    return {by_norm[norm]: least for norm, least in index.rows_in(
        "SELECT x.norm, MIN(x.iri) FROM recs x JOIN records r ON r.iri = x.record WHERE x.norm IN ({marks}) "
        "GROUP BY x.norm", sorted(by_norm))}


def counted(index: CorpusIndex, groups: Mapping[int, Iterable[str]], representative: Mapping[int, str]) -> dict[
        int, ClusterFacts]:
    """The facts of each group (centre → its texts' hashes) that is a cluster: whose members
    span two reviews (a group within one review is no cluster)."""
    if not groups:
        return {}
    with _grouping(index, groups) as join:
        found = {centre: rest for centre, *rest in index.db.execute(
            f"SELECT g.centre, COUNT(*), COUNT(DISTINCT r.review), MIN(NULLIF(r.issued, '')), "  # noqa: S608
            f"MAX(NULLIF(r.issued, '')) {join} GROUP BY g.centre HAVING COUNT(DISTINCT r.review) >= 2")}
        agencies: dict[int, list[str]] = defaultdict(list)
        for centre, agency in index.db.execute(f"SELECT DISTINCT g.centre, ra.agency {join} "  # noqa: S608
                                               "CROSS JOIN rec_agencies ra ON ra.rec = x.iri "
                                               "ORDER BY g.centre, ra.agency"):
            agencies[centre].append(agency)
    return {centre: ClusterFacts(representative[centre], size, reviews, tuple(agencies.get(centre, ())), first, last)
            for centre, (size, reviews, first, last) in found.items()}


def grown(index: CorpusIndex, then: ClusterFacts, texts: set[str], came: Sequence[str]) -> ClusterFacts:
    """The facts of a cluster that lost no member and gained ``came`` (recommendation IRIs), from
    its facts ``then`` and its ``texts`` then (their hashes): counted from what came."""
    if not came:
        return then
    reviews: set[str] = set()
    published: list[str] = []
    agencies = set(then.agencies)
    for _, review, issued, agency in index.rows_in(
            "SELECT x.iri, r.review, r.issued, ra.agency FROM recs x JOIN records r ON r.iri = x.record "
            "LEFT JOIN rec_agencies ra ON ra.rec = x.iri WHERE x.iri IN ({marks})", sorted(came)):
        reviews.add(review)
        if issued:
            published.append(issued)
        if agency is not None:
            agencies.add(agency)
    joining = set(came)
    counted_then = {review for review, iri, norm in index.rows_in(  # by members the cluster had
        "SELECT r.review, x.iri, x.norm FROM records r JOIN recs x ON x.record = r.iri WHERE r.review IN ({marks})",
        sorted(reviews)) if norm in texts and iri not in joining}
    dates = [d for d in (then.first_published, then.last_published, *published) if d]
    return replace(then, size=then.size + len(came), reviews=then.reviews + len(reviews - counted_then),
                   agencies=tuple(sorted(agencies)), first_published=min(dates, default=None),
                   last_published=max(dates, default=None))


@contextmanager
def _grouping(index: CorpusIndex, groups: Mapping[int, Iterable[str]]) -> Iterator[str]:
    """The groups as a temporary table, joined to their members: yields the ``FROM`` clause."""
    db = index.db
    db.execute("CREATE TEMP TABLE IF NOT EXISTS a_grouping (norm TEXT, centre INTEGER)")
    db.execute("CREATE INDEX IF NOT EXISTS temp.a_grouping_norm ON a_grouping (norm)")
    began = not db.in_transaction
    if began:
        db.execute("BEGIN")
    try:
        db.execute("DELETE FROM a_grouping")
        db.executemany("INSERT INTO a_grouping VALUES (?, ?)",
                       ((norm, centre) for centre, norms in groups.items() for norm in norms))
        # CROSS JOIN keeps the groups the outer loop: SQLite knows nothing of a temporary table's
        # size and otherwise scanned every recommendation of the corpus (3 s at 10,000 reviews to
        # count again one cluster a change touched).
        yield "FROM a_grouping g CROSS JOIN recs x ON x.norm = g.norm JOIN records r ON r.iri = x.record"
    finally:
        db.execute("DELETE FROM a_grouping")
        if began:
            db.execute("COMMIT")
