"""Linking reviews that share failures.

Every review is a sparse vector over failure keys: theme × agency type, and theme alone.
A key's weight is its inverse document frequency over reviews, ``log(1 + N / df)``, halved
for a theme-alone key, so rare failures count more than common ones. ``N`` and ``df`` are
taken in octaves (the highest power of two at most each): weighed exactly, one review added
to thousands would change every weight a little, and with them the score of every pair, so
no change could be local. In octaves a weight moves only when ``N`` doubles or a key's ``df``
crosses a power of two, and then only the reviews with that key are scored again
(:func:`update_links`). Weights are whole multiples of 1/10,000 (the score's stored precision),
so a score is the same sum however it is added up.

A pair's score is the sum of the weights of the keys it shares. Scores come from a sparse
product X·W·Xᵀ computed in row blocks (scipy walks each key's list of reviews, an inverted
index, in C), so no pair of reviews without a shared key is ever visited; each review keeps
its ``top_k`` best pairs scoring at least ``threshold`` (ties by review IRI), and a link is a
pair one of its two reviews keeps.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from graph.analysis.failures import FailureKey, ReviewFailures
from graph.analysis.settings import AnalysisSettings

THEME_ONLY_WEIGHT = 0.5
SCALE = 10_000
"""Weights and scores are integers in units of 1/SCALE."""
BLOCK = 2048
MAX_SHARED = 5
"""Shared failures stored per link (the heaviest); the score counts them all."""
MAX_EVIDENCE = 1
"""Failure nodes cited per side of a shared failure."""

Top = tuple[tuple[int, str], ...]  # a review's best pairs: (score, other review), best first


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


def octave(n: int) -> int:
    """The exponent of the highest power of two at most ``n``.

    >>> octave(1), octave(7), octave(8), octave(1000)
    (0, 2, 3, 9)
    """
    return n.bit_length() - 1


def weight(reviews: int, df: int, theme_only: bool) -> int:
    """A key's weight in units of 1/SCALE: ``log(1 + N/df)`` with N and df in octaves.

    >>> weight(1000, 1, False), weight(1000, 600, False), weight(1000, 600, True)
    (62403, 6931, 3466)
    """
    value = math.log(1 + 2 ** (octave(reviews) - octave(df))) * (THEME_ONLY_WEIGHT if theme_only else 1.0)
    return round(value * SCALE)


def key_weights(reviews: Mapping[str, ReviewFailures] | Mapping[str, frozenset[FailureKey]]) -> dict[FailureKey, int]:
    """The weight of each failure key over the reviews (their failures, or their keys)."""
    keysets = [r.keys() if isinstance(r, ReviewFailures) else r for r in reviews.values()]
    return weights_of(Counter(k for keys in keysets for k in keys), len(keysets))


def weights_of(counts: Mapping[FailureKey, int], reviews: int) -> dict[FailureKey, int]:
    """The weight of each failure key, from how many of ``reviews`` reviews have it."""
    return {k: weight(reviews, n, k[1] is None) for k, n in counts.items()}


def threshold_units(threshold: float) -> int:
    """The least score, in units of 1/SCALE, that reaches ``threshold``."""
    return math.ceil(round(threshold * SCALE, 6))


class Scorer:
    """The reviews as a sparse matrix over keys, to score any of them against all the others."""

    def __init__(self, keysets: Mapping[str, frozenset[FailureKey]], weights: Mapping[FailureKey, int]) -> None:
        self.names = sorted(keysets)
        self.row = {name: i for i, name in enumerate(self.names)}
        keys = sorted(weights, key=lambda k: (k[0], k[1] or ""))
        column = {k: i for i, k in enumerate(keys)}
        rows, cols = [], []
        for i, name in enumerate(self.names):
            for k in keysets[name]:
                rows.append(i)
                cols.append(column[k])
        ones = np.ones(len(rows), dtype=np.int64)
        self.matrix = sparse.csr_matrix((ones, (rows, cols)), shape=(len(self.names), len(keys)), dtype=np.int64)
        w = np.array([weights[k] for k in keys], dtype=np.int64)
        self.weighted_t = (self.matrix @ sparse.diags(w, dtype=np.int64)).T.tocsc()

    def tops(self, names: Iterable[str], settings: AnalysisSettings) -> dict[str, Top]:
        """The best pairs of each review of ``names`` (at most ``top_k``, at least the threshold)."""
        least = threshold_units(settings.link_threshold)
        wanted = sorted(self.row[n] for n in names)
        found: dict[str, Top] = {}
        for start in range(0, len(wanted), BLOCK):
            rows = wanted[start:start + BLOCK]
            block = (self.matrix[rows] @ self.weighted_t).tocsr()
            for offset, i in enumerate(rows):
                lo, hi = block.indptr[offset], block.indptr[offset + 1]
                others, scores = block.indices[lo:hi], block.data[lo:hi]
                keep = (scores >= least) & (others != i)
                others, scores = others[keep], scores[keep]
                if len(scores) > settings.top_k:
                    others, scores = _best(others, scores, settings.top_k)
                order = np.lexsort((others, -scores))
                found[self.names[i]] = tuple((int(scores[j]), self.names[others[j]]) for j in order)
        return found

    def scores(self, names: Iterable[str]) -> dict[str, dict[str, int]]:
        """Every pair score (above zero) of each review of ``names`` with every other."""
        wanted = sorted(self.row[n] for n in names)
        found: dict[str, dict[str, int]] = {}
        for start in range(0, len(wanted), BLOCK):
            rows = wanted[start:start + BLOCK]
            block = (self.matrix[rows] @ self.weighted_t).tocsr()
            for offset, i in enumerate(rows):
                lo, hi = block.indptr[offset], block.indptr[offset + 1]
                found[self.names[i]] = {self.names[j]: int(s) for j, s in zip(block.indices[lo:hi].tolist(),
                                                                              block.data[lo:hi].tolist()) if j != i}
        return found


def _best(neighbours: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` highest scores, ties broken by review order, without sorting the whole row
    (a review shares some failure with nearly every other in a large corpus)."""
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    candidates = scores >= kth  # every score tied with the k-th is a candidate
    neighbours, scores = neighbours[candidates], scores[candidates]
    best = np.lexsort((neighbours, -scores))[:k]
    return neighbours[best], scores[best]


def pairs(tops: Mapping[str, Top]) -> dict[tuple[str, str], int]:
    """The links the reviews' best pairs make: every pair one of its reviews keeps, with its score."""
    found: dict[tuple[str, str], int] = {}
    for review, top in tops.items():
        for score, other in top:
            found[(min(review, other), max(review, other))] = score
    return found


def update_tops(scorer: Scorer, old: Mapping[str, Top], dirty: set[str], settings: AnalysisSettings) -> dict[str, Top]:
    """Every review's best pairs, given those of before a change and the reviews whose pairs'
    scores changed (``dirty``: new, changed, or holding a key whose weight moved; reviews gone
    are those of ``old`` no longer scored). Only the rows of ``dirty`` are scored, and the rows
    of the few others whose best pairs lost one and cannot be told what comes next without it."""
    alive = set(scorer.names)
    gone = set(old) - alive
    moved = (dirty & alive) | gone
    tops = {name: top for name, top in old.items() if name in alive and name not in dirty}
    tops.update(scorer.tops(dirty & alive, settings))
    least = threshold_units(settings.link_threshold)
    k = settings.top_k
    incoming: dict[str, list[tuple[int, str]]] = {}
    for review, scored in scorer.scores(dirty & alive).items():
        for other, score in scored.items():
            if score >= least and other not in dirty:
                incoming.setdefault(other, []).append((score, review))
    again: set[str] = set()
    losing = {review for review, top in old.items() if review in alive and review not in dirty
              and any(other in moved for _, other in top)}
    for review in sorted(losing | (set(incoming) - dirty)):
        top = old.get(review, ())
        kept = [pair for pair in top if pair[1] not in moved]
        came = incoming.get(review, [])
        if len(kept) == len(top) and not came:
            continue
        if len(kept) < len(top) and len(top) == k:
            # A pair left a full list: what ranked after it may come in, unless newcomers fill it.
            last = (-top[-1][0], top[-1][1])
            better = [p for p in came if (-p[0], p[1]) < last]
            if len(kept) + len(better) < k:
                again.add(review)
                continue
        tops[review] = tuple(sorted(kept + came, key=lambda p: (-p[0], p[1]))[:k])
    tops.update(scorer.tops(again, settings))
    return tops


def compute_links(reviews: dict[str, ReviewFailures], settings: AnalysisSettings = AnalysisSettings()) -> list[Link]:
    """Links between reviews scoring at least ``settings.link_threshold``, each review keeping its
    ``top_k`` best; symmetric by construction and never a review with itself."""
    if len(reviews) < 2:
        return []
    keysets = {name: frozenset(r.keys()) for name, r in reviews.items()}
    weights = key_weights(keysets)
    scorer = Scorer(keysets, weights)
    found = pairs(scorer.tops(scorer.names, settings))
    order = ranking(weights)
    return [describe(a, b, score, reviews[a], reviews[b], weights, order) for (a, b), score in sorted(found.items())]


def describe(a: str, b: str, score: int, side_a: ReviewFailures, side_b: ReviewFailures,
             weights: Mapping[FailureKey, int], order: Mapping[FailureKey, int] | None = None) -> Link:
    """A link with what its reviews share, heaviest first, and the failures behind each
    (``order``: :func:`ranking` of ``weights``, when describing many links)."""
    shared = heaviest(side_a.keys() & side_b.keys(), order if order is not None else ranking(weights))
    return Link(a, b, score / SCALE, tuple(
        SharedFailure(k, weights[k] / SCALE, tuple(side_a.evidence(k)[:MAX_EVIDENCE]),
                      tuple(side_b.evidence(k)[:MAX_EVIDENCE]))
        for k in shared[:MAX_SHARED]), len(shared))


def ranking(weights: Mapping[FailureKey, int]) -> dict[FailureKey, int]:
    """Each key's place among all, heaviest first, ties by code: what :func:`heaviest` sorts by.

    >>> ranking({("T1", None): 5, ("T2", "A01"): 9, ("T0", None): 5})
    {('T2', 'A01'): 0, ('T0', None): 1, ('T1', None): 2}
    """
    return {k: i for i, k in enumerate(sorted(weights, key=lambda k: (-weights[k], k[0], k[1] or "")))}


def heaviest(shared: Iterable[FailureKey], order: Mapping[FailureKey, int]) -> list[FailureKey]:
    """Shared failure keys, heaviest first (ties by code; ``order``: :func:`ranking`): a link
    cites the first MAX_SHARED."""
    return sorted(shared, key=order.__getitem__)
