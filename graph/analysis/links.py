"""Linking reviews that share failures.

Every review is a sparse vector over failure keys: theme × agency type, and theme alone.
A key's weight is its inverse document frequency over reviews, ``log(1 + N / df)``, halved
for a theme-alone key, so rare failures count more than common ones. A pair's score is the
sum of the weights of the keys it shares. Scores come from a sparse product X·Xᵀ computed
in row blocks (scipy walks each key's list of reviews, an inverted index, in C), so no
pair of reviews without a shared key is ever visited; only pairs above ``threshold``,
and each review's ``top_k`` best, are kept.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from graph.analysis.failures import FailureKey, ReviewFailures
from graph.analysis.settings import AnalysisSettings

THEME_ONLY_WEIGHT = 0.5
BLOCK = 2048
MAX_SHARED = 5
"""Shared failures stored per link (the heaviest); the score counts them all."""
MAX_EVIDENCE = 1
"""Failure nodes cited per side of a shared failure."""


@dataclass(frozen=True)
class SharedFailure:
    key: FailureKey
    weight: float
    evidence_a: tuple[str, ...]  # failure nodes of review a
    evidence_b: tuple[str, ...]  # … and of review b


@dataclass(frozen=True)
class Link:
    """Two reviews (``a`` < ``b``) and why they are linked."""

    a: str
    b: str
    score: float
    shared: tuple[SharedFailure, ...]  # the heaviest MAX_SHARED
    shared_count: int  # how many failures the two reviews share in all


def key_weights(reviews: dict[str, ReviewFailures]) -> dict[FailureKey, float]:
    """Inverse document frequency of each failure key over the reviews."""
    df: Counter[FailureKey] = Counter(k for review in reviews.values() for k in review.keys())
    n = len(reviews)
    return {k: math.log(1 + n / count) * (THEME_ONLY_WEIGHT if k[1] is None else 1.0) for k, count in df.items()}


def compute_links(reviews: dict[str, ReviewFailures], settings: AnalysisSettings = AnalysisSettings()) -> list[Link]:
    """Links between reviews scoring at least ``settings.link_threshold``, each review keeping its
    ``top_k`` best; symmetric by construction and never a review with itself."""
    names = sorted(reviews)
    if len(names) < 2:
        return []
    weights = key_weights(reviews)
    keysets = {name: reviews[name].keys() for name in names}
    keys = sorted(weights, key=lambda k: (k[0], k[1] or ""))
    column = {k: i for i, k in enumerate(keys)}
    rows, cols, values = [], [], []
    for i, name in enumerate(names):
        for k in keysets[name]:
            rows.append(i)
            cols.append(column[k])
            values.append(math.sqrt(weights[k]))
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(names), len(keys)), dtype=np.float64)
    transposed = matrix.T.tocsc()

    kept: dict[tuple[int, int], float] = {}
    for start in range(0, len(names), BLOCK):
        block = (matrix[start:start + BLOCK] @ transposed).tocsr()
        for offset in range(block.shape[0]):
            i = start + offset
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            neighbours, scores = block.indices[lo:hi], block.data[lo:hi]
            keep = (scores >= settings.link_threshold) & (neighbours != i)
            neighbours, scores = neighbours[keep], scores[keep]
            if len(scores) > settings.top_k:
                neighbours, scores = _best(neighbours, scores, settings.top_k)
            for j, score in zip(neighbours.tolist(), scores.tolist()):
                kept[(min(i, j), max(i, j))] = score
    links = []
    for (i, j), score in sorted(kept.items()):
        a, b = reviews[names[i]], reviews[names[j]]
        shared = sorted(keysets[names[i]] & keysets[names[j]], key=lambda k: (-weights[k], k[0], k[1] or ""))
        links.append(Link(a.review, b.review, round(score, 4), tuple(
            SharedFailure(k, round(weights[k], 4), tuple(a.evidence(k)[:MAX_EVIDENCE]),
                          tuple(b.evidence(k)[:MAX_EVIDENCE]))
            for k in shared[:MAX_SHARED]), len(shared)))
    return links


def _best(neighbours: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` highest scores, ties broken by review order, without sorting the whole row
    (a review shares some failure with nearly every other in a large corpus)."""
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    candidates = scores >= kth  # every score tied with the k-th is a candidate
    neighbours, scores = neighbours[candidates], scores[candidates]
    best = np.lexsort((neighbours, -scores))[:k]
    return neighbours[best], scores[best]
