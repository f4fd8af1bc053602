"""Network measures: communities of linked reviews (Leiden), centrality of agencies.

Communities come from Leiden (modularity) as graspologic-native implements it in Rust, not from
networkx's Louvain: on the links of 1,000 generated reviews it took 33 ms against 206 ms and
found a better partition (modularity 0.397, 0.413 with more passes, against 0.391), and about
0.5 s at 10,000 reviews against 3 s, so every run, incremental or not, finds them afresh and
they are always those of the links as they are. Leiden also guarantees that each community is
connected, which Louvain does not. (igraph's Leiden is faster still, but igraph is GPL.)"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import graspologic_native
import numpy as np
from scipy import sparse

from graph.analysis.failures import FailureKey, ReviewFailures
from graph.analysis.links import Link
from graph.model.iris import short_hash

SEED = 42  # layouts and community detection are seeded: the same data gives the same answer
LEIDEN_PASSES = 2
"""Leiden run again from its own result once: on 10,000 generated reviews' links, modularity 0.564
after one pass, 0.634 after two, 0.635 after three (0.4 s more)."""


@dataclass(frozen=True)
class Community:
    members: tuple[str, ...]
    defining: tuple[tuple[FailureKey, int, float], ...]  # (key, reviews in the community with it, lift)


def communities(links: Iterable[Link] | Iterable[tuple[str, str, float]],
                reviews: Mapping[str, ReviewFailures] | Mapping[str, frozenset[FailureKey]], *,
                defining: int = 3, counts: Mapping[FailureKey, int] | None = None) -> list[Community]:
    """Leiden communities (modularity, seeded) of the shared-failure network, each with the
    failure keys most over-represented in it (lift = share inside ÷ share over all reviews;
    ``counts``: how many of the reviews have each key, when the caller has counted them).
    The same links give the same communities, in whatever order they come.

    >>> found = communities([("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0), ("d", "e", 1.0),
    ...                      ("e", "f", 1.0), ("d", "f", 1.0), ("c", "d", 0.1)], {})
    >>> [c.members for c in found]
    [('a', 'b', 'c'), ('d', 'e', 'f')]
    """
    edges = sorted((a, b, score) if a < b else (b, a, score) for a, b, score in
                   ((x.a, x.b, x.score) if isinstance(x, Link) else x for x in links))
    if not edges:
        return []
    # Seeded inside the library: the same edges, in the same order, give the same communities.
    _, membership = graspologic_native.leiden(edges, seed=SEED, iterations=LEIDEN_PASSES, use_modularity=True)
    found: dict[int, list[str]] = defaultdict(list)
    for name, community in membership.items():
        found[community].append(name)
    keys = {name: (r.keys() if isinstance(r, ReviewFailures) else r) for name, r in reviews.items()}
    overall = counts if counts is not None else Counter(k for ks in keys.values() for k in ks)
    total = len(keys)
    result = []
    for group in found.values():
        if len(group) < 2:
            continue
        members = sorted(group)
        inside: Counter[FailureKey] = Counter(
            k for m in members if m in keys for k in keys[m] if k[1] is not None)
        scored = [
            (key, count, round((count / len(members)) / (overall[key] / total), 3))
            for key, count in inside.items() if count >= 2
        ]
        scored.sort(key=lambda item: (-item[2], -item[1], item[0][0], item[0][1] or ""))
        result.append(Community(tuple(members), tuple(scored[:defining])))
    return sorted(result, key=lambda c: (-len(c.members), c.members[0]))


@dataclass(frozen=True)
class AgencyCentrality:
    agency: str
    degree: int
    betweenness: float


def agency_centrality(review_agencies: Iterable[tuple[str, str]], *, sample: int = 24) -> list[AgencyCentrality]:
    """Degree and betweenness of each agency in the co-review network: two agencies are
    connected when they received recommendations in the same review. Betweenness is
    estimated on large networks from ``sample`` sources: the agencies whose IRIs hash lowest,
    so that a review added (and the agencies it names) rarely changes them, and the scores of
    agencies far from it stay as they were.

    >>> scores = agency_centrality([("r1", "police"), ("r1", "housing"), ("r2", "housing"), ("r2", "gp")])
    >>> [(s.agency, s.degree, s.betweenness) for s in scores]
    [('gp', 1, 0.0), ('housing', 2, 1.0), ('police', 1, 0.0)]
    """
    pairs = list(review_agencies)
    if not pairs:
        return []
    # Numbered without sorting the pairs (a pair listed twice counts once: only "met" matters),
    # which at 150,000 pairs took longer than the breadth-first searches; so did numpy's unique.
    agencies = sorted({agency for _, agency in pairs})
    row = {agency: i for i, agency in enumerate(agencies)}
    column: dict[str, int] = {}
    rows = np.array([row[a] for _, a in pairs], dtype=np.int64)
    cols = np.array([column.setdefault(r, len(column)) for r, _ in pairs], dtype=np.int64)
    incidence = sparse.csr_matrix((np.ones(len(pairs), dtype=np.int32), (rows, cols)),
                                  shape=(len(agencies), len(column)))
    met = (incidence @ incidence.T).tocsr()  # agency pairs sharing a review, counted
    met.setdiag(0)
    met.eliminate_zeros()
    adjacency = (met > 0).astype(np.float64).tocsr()
    adjacency.sort_indices()  # the order of a row's sums: the same scores whatever order the pairs came in
    degree = np.diff(adjacency.indptr)
    sources = None
    if len(agencies) > sample:
        sources = sorted(sorted(range(len(agencies)), key=lambda i: (short_hash(agencies[i]), i))[:sample])
    betweenness = betweenness_centrality(adjacency, sources=sources)
    return [AgencyCentrality(agency, d, round(b, 6))
            for agency, d, b in zip(agencies, degree.tolist(), betweenness.tolist())]


def betweenness_centrality(adjacency: sparse.csr_matrix, *, sample: int | None = None,
                           sources: list[int] | None = None) -> np.ndarray:
    """Normalised betweenness of each node of an undirected, unweighted graph, from every node,
    from ``sources`` or from ``sample`` seeded ones: what ``networkx.betweenness_centrality(G,
    k=sample, normalized=True, seed=SEED)`` gives (sampling its way), computed a level of
    breadth-first search at a time with sparse products (networkx walks each edge in Python:
    4.2 s on the co-review network of 10,000 generated reviews).

    >>> path = sparse.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=np.float64))
    >>> betweenness_centrality(path).tolist()
    [0.0, 1.0, 0.0]
    """
    n = adjacency.shape[0]
    if sources is None:
        sources = list(range(n)) if sample is None or n <= sample else random.Random(SEED).sample(range(n), sample)
    total = np.zeros(n)
    for source in sources:
        sigma = np.zeros(n)
        sigma[source] = 1.0
        seen = np.zeros(n, dtype=bool)
        seen[source] = True
        levels = [np.array([source])]
        while True:
            spread = np.zeros(n)
            spread[levels[-1]] = sigma[levels[-1]]
            reached = adjacency @ spread
            fresh = np.flatnonzero((reached > 0) & ~seen)
            if not len(fresh):
                break
            seen[fresh] = True
            sigma[fresh] = reached[fresh]
            levels.append(fresh)
        delta = np.zeros(n)
        for depth in range(len(levels) - 1, 0, -1):
            below, above = levels[depth], levels[depth - 1]
            share = np.zeros(n)
            share[below] = (1.0 + delta[below]) / sigma[below]
            delta[above] += sigma[above] * (adjacency @ share)[above]
        delta[source] = 0.0
        total += delta
    pairs = n - 1  # endpoints excluded
    if pairs < 2:
        return total
    if len(sources) == n:
        return np.asarray(total / (pairs * (pairs - 1)))
    k = len(sources)
    scale = np.full(n, 1.0 / (k * (pairs - 1)))
    scale[sources] = 1.0 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
    return total * scale
