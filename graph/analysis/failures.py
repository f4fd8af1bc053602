"""Failures per review, read back from the store, with records of one review merged.

A failure key is ``(theme, agency type)`` for a failure read from a recommendation, and
``(theme, None)`` for a theme alone; every failure also counts at the looser theme level.
Records of the same review from different sources (``dhr:sameReviewAs``) are pooled under
one representative, so two sources of one review are never linked as two reviews.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from graph.model.iris import failure_key
from graph.store.base import GraphStore
from graph.store.named_queries import internal_query

FailureKey = tuple[str, str | None]  # (theme code, agency-type code or None for the theme alone)


@dataclass
class ReviewFailures:
    """One review's failures: each key with the failure nodes that carry it."""

    review: str
    records: set[str] = field(default_factory=set)  # the review's records in every source
    by_key: dict[FailureKey, list[str]] = field(default_factory=lambda: defaultdict(list))

    def keys(self) -> set[FailureKey]:
        """Strict keys (theme × type) and loose keys (theme alone) of this review."""
        strict = {k for k in self.by_key if k[1] is not None}
        return strict | {(theme, None) for theme, _ in self.by_key}

    def evidence(self, key: FailureKey) -> list[str]:
        """The failure nodes behind a key: exact for theme × type, any of the theme for a theme."""
        if key[1] is not None:
            return list(self.by_key.get(key, []))
        return sorted({f for (theme, _), nodes in self.by_key.items() if theme == key[0] for f in nodes})


def representatives(store: GraphStore) -> dict[str, str]:
    """Each record of a review found in several sources → one representative record."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for row in store.query(internal_query("same-review").text).to_dicts():
        a, b = find(str(row["review"])), find(str(row["other"]))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {x: find(x) for x in parent}


def load_failures(store: GraphStore, representative: dict[str, str] | None = None) -> dict[str, ReviewFailures]:
    """Every review with at least one failure, keyed by its representative record
    (``representative``: :func:`representatives`, read from the store when not given)."""
    if representative is None:
        representative = representatives(store)
    failures_of: dict[str, set[str]] = defaultdict(set)
    for record, failure in store.query(internal_query("failures").text).rows():
        failures_of[str(record)].add(str(failure))
    reviews: dict[str, ReviewFailures] = {}
    for record, failures in sorted(failures_of.items()):
        review = representative.get(record, record)
        entry = reviews.setdefault(review, ReviewFailures(review))
        entry.records.add(record)
        for failure in sorted(failures):
            entry.by_key[failure_key(failure)].append(failure)
    return reviews
