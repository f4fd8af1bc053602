"""Network measures with networkx: communities of linked reviews, centrality of agencies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

from graph.analysis.failures import FailureKey, ReviewFailures
from graph.analysis.links import Link

SEED = 42  # layouts and community detection are seeded: the same data gives the same answer


@dataclass(frozen=True)
class Community:
    members: tuple[str, ...]
    defining: tuple[tuple[FailureKey, int, float], ...]  # (key, reviews in the community with it, lift)


def review_graph(links: Iterable[Link]) -> nx.Graph:
    """Reviews as nodes, links as edges weighted by score."""
    graph = nx.Graph()
    for link in links:
        graph.add_edge(link.a, link.b, weight=link.score, shared=len(link.shared))
    return graph


def communities(links: list[Link], reviews: dict[str, ReviewFailures], *, defining: int = 3) -> list[Community]:
    """Louvain communities of the shared-failure network (seeded), each with the failure keys
    most over-represented in it (lift = share inside ÷ share over all reviews)."""
    graph = review_graph(links)
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    overall: Counter[FailureKey] = Counter(k for r in reviews.values() for k in r.keys() if k[1] is not None)
    total = len(reviews)
    result = []
    for members in found:
        if len(members) < 2:
            continue
        inside: Counter[FailureKey] = Counter(
            k for m in members for k in reviews[m].keys() if k[1] is not None and m in reviews)
        scored = [
            (key, count, round((count / len(members)) / (overall[key] / total), 3))
            for key, count in inside.items() if count >= 2
        ]
        scored.sort(key=lambda item: (-item[2], -item[1], item[0][0], item[0][1] or ""))
        result.append(Community(tuple(sorted(members)), tuple(scored[:defining])))
    return sorted(result, key=lambda c: (-len(c.members), c.members[0]))


@dataclass(frozen=True)
class AgencyCentrality:
    agency: str
    degree: int
    betweenness: float


def agency_centrality(review_agencies: Iterable[tuple[str, str]], *, sample: int = 24) -> list[AgencyCentrality]:
    """Degree and betweenness of each agency in the co-review network: two agencies are
    connected when they received recommendations in the same review. Betweenness is
    estimated from ``sample`` seeded sources on large networks.

    >>> scores = agency_centrality([("r1", "police"), ("r1", "housing"), ("r2", "housing"), ("r2", "gp")])
    >>> [(s.agency, s.degree, s.betweenness) for s in scores]
    [('gp', 1, 0.0), ('housing', 2, 1.0), ('police', 1, 0.0)]
    """
    pairs = sorted(set(review_agencies))
    if not pairs:
        return []
    agencies = sorted({agency for _, agency in pairs})
    reviews = sorted({review for review, _ in pairs})
    row = {agency: i for i, agency in enumerate(agencies)}
    column = {review: j for j, review in enumerate(reviews)}
    incidence = sparse.csr_matrix(
        (np.ones(len(pairs), dtype=np.int32), ([row[a] for _, a in pairs], [column[r] for r, _ in pairs])),
        shape=(len(agencies), len(reviews)))
    met = sparse.triu(incidence @ incidence.T, k=1).tocoo()  # agency pairs sharing a review, counted
    graph = nx.Graph()
    graph.add_nodes_from(range(len(agencies)))
    graph.add_edges_from(zip(met.row.tolist(), met.col.tolist()))
    k = sample if graph.number_of_nodes() > sample else None
    betweenness = nx.betweenness_centrality(graph, k=k, normalized=True, seed=SEED)
    return [AgencyCentrality(agency, int(graph.degree(i)), round(float(betweenness[i]), 6))
            for i, agency in enumerate(agencies)]
