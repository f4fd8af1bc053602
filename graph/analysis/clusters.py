"""Repeated recommendations: the same ask, in different words, in different reviews.

Recommendation texts become TF-IDF vectors (words and word pairs, English stop words
removed, sublinear term frequency; scikit-learn). Two recommendations are near-duplicates
when their cosine similarity reaches ``threshold``. A cluster is a centre with its
near-duplicates (see :func:`stars`), spanning at least two reviews, and the centre is its
representative: every member is a near-duplicate of the representative, never only of another
member. Identical texts are vectorised once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from graph.analysis.settings import DEFAULT_THRESHOLD
from graph.model.iris import recommendation_review
from graph.store.base import GraphStore
from graph.store.named_queries import internal_query

BLOCK = 4096
COMMON = 0.1
"""Words in more than this share of texts are "common": on template-heavy corpora they make
almost every pair of texts share a word, so pairs are first found through the other words."""


@dataclass(frozen=True)
class RecommendationText:
    recommendation: str
    review: str
    text: str
    published: str | None
    agencies: tuple[str, ...]


@dataclass(frozen=True)
class Cluster:
    members: tuple[RecommendationText, ...]
    representative: RecommendationText

    @property
    def reviews(self) -> set[str]:
        return {m.review for m in self.members}

    @property
    def agencies(self) -> set[str]:
        return {a for m in self.members for a in m.agencies}

    @property
    def published(self) -> list[str]:
        return sorted(m.published for m in self.members if m.published)


def load_texts(store: GraphStore, representative: dict[str, str] | None = None) -> list[RecommendationText]:
    """Every recommendation, with its review mapped to the review's representative record."""
    mapping = representative or {}
    text_of: dict[str, str] = {}
    agencies: dict[str, set[str]] = defaultdict(set)
    published: dict[str, str] = {}
    for recommendation, text, agency, review, issued in store.query(internal_query("recommendation-texts").text).rows():
        if text is not None:
            text_of[str(recommendation)] = str(text)
        elif agency is not None:
            agencies[str(recommendation)].add(str(agency))
        elif issued is not None:
            published[str(review)] = str(issued)
    texts = []
    for recommendation, text in sorted(text_of.items()):
        review = recommendation_review(recommendation)
        texts.append(RecommendationText(recommendation, mapping.get(review, review), text, published.get(review),
                                        tuple(sorted(agencies[recommendation]))))
    return texts


def vectorise(texts: list[str]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows, so a dot product is a cosine similarity."""
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", sublinear_tf=True,
                                 strip_accents="unicode", min_df=1)
    return vectoriser.fit_transform(texts).tocsr()


def similarity(a: str, b: str, corpus: list[str]) -> float:
    """Cosine similarity of two texts under TF-IDF weights learnt from ``corpus``."""
    matrix = vectorise([*corpus, a, b])
    return float((matrix[-2] @ matrix[-1].T).toarray()[0, 0])


def similar_pairs(matrix: sparse.csr_matrix, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``i < j`` of L2-normalised rows whose dot product reaches ``threshold``, exactly,
    without computing the product of every pair that shares a common word.

    Split each row into its common words ``c`` and the rest ``r``: ``x·y = x_r·y_r + x_c·y_c``
    and ``x_c·y_c ≤ |x_c|·|y_c|``. A pair sharing no rare word reaches the threshold only if
    both ``|x_c|`` and ``|y_c|`` do, so those few rows are compared in full; every other pair
    comes from the sparse product of the rare parts, and its common part is added only where
    the bound says it could matter.
    """
    n = matrix.shape[0]
    columns = matrix.tocsc()
    common = np.diff(columns.indptr) > COMMON * n
    rare_part = columns[:, ~common].tocsr()
    common_part = np.asarray(columns[:, common].todense(), dtype=np.float64)
    common_norm = np.sqrt((common_part ** 2).sum(axis=1))
    found_rows, found_cols = [], []
    rare_t = rare_part.T.tocsc()
    for start in range(0, n, BLOCK):
        block = (rare_part[start:start + BLOCK] @ rare_t).tocoo()
        rows = block.row + start
        keep = (block.col > rows) & (block.data + common_norm[rows] * common_norm[block.col] >= threshold)
        rows, cols, rare_dot = rows[keep], block.col[keep], block.data[keep]
        dot = rare_dot + np.einsum("ij,ij->i", common_part[rows], common_part[cols])
        near = dot >= threshold
        found_rows.append(rows[near])
        found_cols.append(cols[near])
    heavy = np.flatnonzero(common_norm >= threshold)  # may reach it on common words alone
    if len(heavy) > 1:
        full = (matrix[heavy] @ matrix[heavy].T).tocoo()
        near = (full.data >= threshold) & (full.col > full.row)
        found_rows.append(heavy[full.row[near]])
        found_cols.append(heavy[full.col[near]])
    return np.concatenate(found_rows), np.concatenate(found_cols)


def find_clusters(recommendations: list[RecommendationText], threshold: float = DEFAULT_THRESHOLD) -> list[Cluster]:
    """Clusters of near-duplicate recommendations spanning at least two reviews."""
    by_text: dict[str, list[RecommendationText]] = defaultdict(list)
    for rec in recommendations:
        by_text[" ".join(rec.text.lower().split())].append(rec)
    texts = sorted(by_text)
    if not texts:
        return []
    rows, cols = similar_pairs(vectorise(texts), threshold)
    counts = np.array([len(by_text[text]) for text in texts], dtype=np.int64)
    clusters = []
    for centre, indices in stars(len(texts), rows, cols, counts):
        members = [rec for i in indices for rec in by_text[texts[i]]]
        if len({m.review for m in members}) < 2:
            continue
        representative = min(by_text[texts[centre]], key=lambda r: r.recommendation)
        clusters.append(Cluster(tuple(sorted(members, key=lambda m: m.recommendation)), representative))
    return sorted(clusters, key=lambda c: (-len(c.reviews), -len(c.members), c.representative.recommendation))


def stars(n: int, rows: np.ndarray, cols: np.ndarray, weight: np.ndarray) -> list[tuple[int, list[int]]]:
    """Groups of items around a centre, each member near its centre: the item near the most
    weight (its own included) is a centre, with every near item not yet taken; then the next.

    Connected groups would chain: at 10,000 generated reviews, templates that differ only in the
    body's name joined through each other into one group of 205,680 recommendations.

    >>> stars(4, np.array([0, 1]), np.array([1, 2]), np.ones(4, dtype=np.int64))  # 0-1-2 chained, 3 alone
    [(1, [1, 0, 2]), (3, [3])]
    """
    near = sparse.coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    near = (near + near.T).tocsr()
    reach = weight + near @ weight
    taken = np.zeros(n, dtype=bool)
    groups = []
    for centre in np.lexsort((np.arange(n), -reach)).tolist():  # most reach first, ties by position
        if taken[centre]:
            continue
        neighbours = near.indices[near.indptr[centre]:near.indptr[centre + 1]]
        group = [centre, *neighbours[~taken[neighbours]].tolist()]
        taken[group] = True
        groups.append((centre, group))
    return groups
