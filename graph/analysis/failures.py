"""Failures per review, read back from the store, with records of one review merged.

A failure key is ``(theme, agency type)`` for a failure read from a recommendation, and
``(theme, None)`` for a theme alone; every failure also counts at the looser theme level.
Records of the same review from different sources (``dhr:sameReviewAs``) are pooled under
one representative, so two sources of one review are never linked as two reviews.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from graph.named_queries import internal_query
from graph.store import GraphStore
from graph.terms import AGENCY_TYPES, THEMES

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


def load_failures(store: GraphStore) -> dict[str, ReviewFailures]:
    """Every review with at least one failure, keyed by its representative record."""
    representative = representatives(store)
    codes = {str(iri): code for code, iri in (THEMES | AGENCY_TYPES).items()}
    failures_of: dict[str, set[str]] = defaultdict(set)
    theme_of: dict[str, str] = {}
    type_of: dict[str, str] = {}
    for record, failure, theme, agency_type in store.query(internal_query("failures").text).rows():
        if record is not None:
            failures_of[str(record)].add(str(failure))
        elif theme is not None and str(theme) in codes:
            theme_of[str(failure)] = codes[str(theme)]
        elif agency_type is not None and str(agency_type) in codes:
            type_of[str(failure)] = codes[str(agency_type)]
    reviews: dict[str, ReviewFailures] = {}
    for record, failures in sorted(failures_of.items()):
        review = representative.get(record, record)
        entry = reviews.setdefault(review, ReviewFailures(review))
        entry.records.add(record)
        for failure in sorted(failures):
            if failure in theme_of:
                entry.by_key[(theme_of[failure], type_of.get(failure))].append(failure)
    return reviews
