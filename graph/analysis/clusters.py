"""Repeated recommendations: the same ask, in different words, in different reviews.

Recommendation texts (lower case, single spaces; identical ones once) become TF-IDF vectors
of words and word pairs (English stop words removed, sublinear term frequency). The inverse
document frequency is taken in octaves, as link weights are (:mod:`graph.analysis.links`):
exactly, one new text would move every vector a little; in octaves a word's weight moves only
when its count of texts crosses a power of two, and then only the texts with that word are
weighed again (:class:`TextModel`). Vectors are whole numbers (unit length is 2**20), so a
similarity is the same however it is added up. Two recommendations are near-duplicates when
their cosine similarity reaches ``threshold``.

A cluster is a centre with its near-duplicates (see :func:`stars`), spanning at least two
reviews, and the centre is its representative: every member is a near-duplicate of the
representative, never only of another member. Texts that are not near-duplicates of one
another, directly or through others, never meet in :func:`stars`, so after a change only the
groups of connected texts it touched are clustered again.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse

from graph.analysis.links import octave
from graph.analysis.settings import DEFAULT_THRESHOLD
from graph.store.corpus_index import normal_text

BLOCK = 4096
COMMON = 0.1
"""Words in more than this share of texts are "common": on template-heavy corpora they make
almost every pair of texts share a word, so pairs are first found through the other words."""
UNIT = 2 ** 20
"""The length of a text's vector."""


class RecommendationText(NamedTuple):
    """A recommendation as clustered (a tuple: a run builds tens of thousands)."""

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


@cache
def _analyzer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), stop_words="english", strip_accents="unicode").build_analyzer()


def features(text: str) -> Counter[str]:
    """The words and word pairs of a text, counted.

    >>> sorted(features("Staff should train staff"))
    ['staff', 'staff train', 'train', 'train staff']
    """
    return Counter(_analyzer()(text))


def idf(texts: int, df: int) -> float:
    """The inverse document frequency of a word in ``df`` of ``texts`` texts, in octaves."""
    return 1.0 + math.log(2) * (octave(texts + 1) - octave(df + 1))


class TextModel:
    """Distinct texts, their words' counts and their vectors, as sparse matrices; texts and
    words are numbered in the order they came and never renumbered (a text gone keeps its
    number and an empty vector, and comes back under it)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.number: dict[str, int] = {}
        self.words: dict[str, int] = {}
        self.counts = sparse.csr_matrix((0, 0), dtype=np.int32)  # text × word: how often
        self.vectors = sparse.csr_matrix((0, 0), dtype=np.int64)  # text × word: weight (unit length UNIT)
        self.df = np.zeros(0, dtype=np.int64)  # per word: live texts holding it
        self.alive = np.zeros(0, dtype=bool)

    @property
    def live(self) -> int:
        return int(self.alive.sum())

    def add(self, texts: Sequence[str]) -> list[int]:
        """Number texts (new ones, or ones gone and back) and count them live; their vectors wait
        for :meth:`weigh`."""
        fresh = [t for t in dict.fromkeys(texts) if t not in self.number]
        rows, cols, vals = [], [], []
        for offset, text in enumerate(fresh):
            self.number[text] = len(self.texts) + offset
            for word, n in features(text).items():
                rows.append(offset)
                cols.append(self.words.setdefault(word, len(self.words)))
                vals.append(n)
        self.texts.extend(fresh)
        shape = (len(self.texts), len(self.words))
        added = sparse.csr_matrix((np.array(vals, dtype=np.int32), (rows, cols)), shape=(len(fresh), shape[1]))
        self.counts = sparse.vstack([_widen(self.counts, shape[1]), added], format="csr")
        self.vectors = sparse.vstack([_widen(self.vectors, shape[1]),
                                      sparse.csr_matrix((len(fresh), shape[1]), dtype=np.int64)], format="csr")
        self.df = np.concatenate([self.df, np.zeros(shape[1] - len(self.df), dtype=np.int64)])
        self.alive = np.concatenate([self.alive, np.zeros(len(fresh), dtype=bool)])
        numbers = [self.number[t] for t in texts]
        coming = sorted({i for i in numbers if not self.alive[i]})
        self._live(coming, True)
        return numbers

    def drop(self, numbers: Iterable[int]) -> None:
        """Count texts gone: no vector, and their words' counts of texts down."""
        self._live(sorted({i for i in numbers if self.alive[i]}), False)

    def _live(self, numbers: list[int], alive: bool) -> None:
        if not numbers:
            return
        self.alive[numbers] = alive
        words = self.counts[numbers].indices
        np.add.at(self.df, words, 1 if alive else -1)
        if not alive:
            self.vectors = _without(self.vectors, numbers)

    def weight_classes(self) -> np.ndarray:
        """Every word's weight class, which its inverse document frequency is decided by."""
        return octave(self.live + 1) - np.floor(np.log2(self.df + 1)).astype(np.int64)

    def holding(self, words: np.ndarray) -> list[int]:
        """The live texts that hold any of ``words``."""
        if not len(words):
            return []
        columns = self.counts[:, words].tocsr()
        return [i for i in np.flatnonzero(np.diff(columns.indptr)).tolist() if self.alive[i]]

    def weigh(self, numbers: Iterable[int]) -> None:
        """Weigh the vectors of live texts ``numbers`` again, under the words' weights now."""
        rows = sorted({i for i in numbers if self.alive[i]})
        if not rows:
            return
        part = self.counts[rows].astype(np.float64).tocsr()
        idf = 1.0 + math.log(2) * self.weight_classes().astype(np.float64)
        part.data = (1.0 + np.log(part.data)) * idf[part.indices]
        norms = np.sqrt(np.asarray(part.multiply(part).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        part = sparse.diags(1.0 / norms) @ part
        part.data = np.rint(part.data * UNIT)
        weighed = sparse.csr_matrix(part, dtype=np.int64)
        placed = sparse.csr_matrix((weighed.data, weighed.indices, weighed.indptr), shape=(len(rows), len(self.words)))
        scatter = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, range(len(rows)))),
                                    shape=(len(self.texts), len(rows)))
        self.vectors = (_without(self.vectors, rows) + scatter @ placed).tocsr()

    def matrix(self) -> sparse.csr_matrix:
        """Every text's vector (gone texts: empty rows)."""
        return self.vectors

    # ------------------------------------------------------------------ kept between runs

    def dump(self) -> dict[str, Any]:
        return {"texts": "\n".join(self.texts), "words": "\n".join(self.words), "counts": _csr(self.counts),
                "vectors": _csr(self.vectors), "df": self.df, "alive": self.alive}

    @classmethod
    def load(cls, kept: dict[str, Any]) -> TextModel:
        model = cls()
        model.texts = kept["texts"].split("\n") if kept["texts"] else []
        model.number = {t: i for i, t in enumerate(model.texts)}
        model.words = {w: i for i, w in enumerate(kept["words"].split("\n"))} if kept["words"] else {}
        shape = (len(model.texts), len(model.words))
        model.counts = sparse.csr_matrix(tuple(kept["counts"]), shape=shape)
        model.vectors = sparse.csr_matrix(tuple(kept["vectors"]), shape=shape)
        model.df, model.alive = np.asarray(kept["df"]), np.asarray(kept["alive"], dtype=bool)
        return model


def _csr(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return matrix.data, matrix.indices, matrix.indptr


def _widen(matrix: sparse.csr_matrix, columns: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], columns))


def _without(matrix: sparse.csr_matrix, rows: Sequence[int]) -> sparse.csr_matrix:
    """``matrix`` with ``rows`` emptied."""
    keep = np.ones(matrix.shape[0], dtype=matrix.dtype)
    keep[list(rows)] = 0
    return (sparse.diags(keep, dtype=matrix.dtype) @ matrix).tocsr()


def least(threshold: float) -> int:
    """The least dot product of two vectors whose cosine reaches ``threshold``."""
    return math.ceil(round(threshold * UNIT * UNIT, 3))


def vectorise(texts: list[str]) -> sparse.csr_matrix:
    """Unit-length TF-IDF rows of ``texts`` (weighed among themselves), so a dot product is a cosine similarity."""
    model = TextModel()
    rows = model.add(texts)
    model.weigh(rows)
    return (model.matrix()[rows].astype(np.float64) / UNIT).tocsr()


def similarity(a: str, b: str, corpus: list[str]) -> float:
    """Cosine similarity of two texts under TF-IDF weights learnt from ``corpus``."""
    matrix = vectorise([*corpus, a, b])
    return float((matrix[-2] @ matrix[-1].T).toarray()[0, 0])


def similar_pairs(matrix: sparse.csr_matrix, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``i < j`` of unit rows whose dot product reaches ``threshold``, exactly,
    without computing the product of every pair that shares a common word.

    Split each row into its common words ``c`` and the rest ``r``: ``x·y = x_r·y_r + x_c·y_c``
    and ``x_c·y_c ≤ |x_c|·|y_c|``. A pair sharing no rare word reaches the threshold only if
    both ``|x_c|`` and ``|y_c|`` do, so those few rows are compared in full; every other pair
    comes from the sparse product of the rare parts, and its common part is added only where
    the bound says it could matter. Works on whole-number rows too (exact: the bound is padded).
    """
    n = matrix.shape[0]
    columns = matrix.tocsc()
    live = max(1, int(np.count_nonzero(np.diff(matrix.indptr))))
    common = np.diff(columns.indptr) > COMMON * live
    rare_part = columns[:, ~common].tocsr()
    common_part = np.asarray(columns[:, common].todense())
    common_norm = np.sqrt((common_part.astype(np.float64) ** 2).sum(axis=1)) * (1 + 1e-9)
    found_rows, found_cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    rare_t = rare_part.T.tocsc()
    for start in range(0, n, BLOCK):
        block = (rare_part[start:start + BLOCK] @ rare_t).tocoo()
        rows = block.row.astype(np.int64) + start
        cols = block.col.astype(np.int64)
        keep = (cols > rows) & (block.data + common_norm[rows] * common_norm[cols] >= threshold)
        rows, cols, rare_dot = rows[keep], cols[keep], block.data[keep]
        dot = rare_dot + np.einsum("ij,ij->i", common_part[rows], common_part[cols])
        near = dot >= threshold
        found_rows.append(rows[near])
        found_cols.append(cols[near])
    longest = float(np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=np.float64)).max(initial=0.0))
    heavy = np.flatnonzero(common_norm * longest * (1 + 1e-9) >= threshold)  # may reach it on common words alone
    if len(heavy) > 1:
        full = (matrix[heavy] @ matrix[heavy].T).tocoo()
        near = (full.data >= threshold) & (full.col > full.row)
        found_rows.append(heavy[full.row[near]])
        found_cols.append(heavy[full.col[near]])
    rows, cols = np.concatenate(found_rows), np.concatenate(found_cols)
    if len(rows):  # a pair found both ways once
        unique = np.unique(rows * n + cols)
        rows, cols = unique // n, unique % n
    return rows, cols


def pairs_of(model: TextModel, texts: Sequence[int], threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Every near-duplicate pair (``i < j``) with one side in ``texts``, against every live text."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    everything = model.matrix()
    product = (everything[list(texts)] @ everything.T.tocsc()).tocoo()
    rows = np.asarray(texts, dtype=np.int64)[product.row]
    cols = product.col.astype(np.int64)
    keep = (product.data >= least(threshold)) & (rows != cols)
    rows, cols = rows[keep], cols[keep]
    lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
    n = max(1, len(model.texts))
    unique = np.unique(lo * n + hi)
    return unique // n, unique % n


def stars(n: int, rows: np.ndarray, cols: np.ndarray, weight: np.ndarray,
          order: Sequence[int] | None = None) -> list[tuple[int, list[int]]]:
    """Groups of items around a centre, each member near its centre: the item near the most
    weight (its own included) is a centre, with every near item not yet taken; then the next.
    Ties go to the item first in ``order`` (a rank per item; position when None).

    Connected groups would chain: at 10,000 generated reviews, templates that differ only in the
    body's name joined through each other into one group of 205,680 recommendations.

    >>> stars(4, np.array([0, 1]), np.array([1, 2]), np.ones(4, dtype=np.int64))  # 0-1-2 chained, 3 alone
    [(1, [1, 0, 2]), (3, [3])]
    """
    near = sparse.coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    near = (near + near.T).tocsr()
    reach = weight + near @ weight
    rank = np.arange(n) if order is None else np.asarray(order)
    taken = weight == 0  # nothing to take
    groups = []
    for centre in np.lexsort((rank, -reach)).tolist():  # most reach first, ties by rank
        if taken[centre]:
            continue
        neighbours = near.indices[near.indptr[centre]:near.indptr[centre + 1]]
        group = [centre, *neighbours[~taken[neighbours]].tolist()]
        taken[group] = True
        groups.append((centre, group))
    return groups


def find_clusters(recommendations: list[RecommendationText], threshold: float = DEFAULT_THRESHOLD) -> list[Cluster]:
    """Clusters of near-duplicate recommendations spanning at least two reviews."""
    by_text: dict[str, list[RecommendationText]] = defaultdict(list)
    for rec in recommendations:
        by_text[normal_text(rec.text)].append(rec)
    texts = sorted(by_text)
    if not texts:
        return []
    model = TextModel()
    model.weigh(model.add(texts))
    rows, cols = similar_pairs(model.matrix(), least(threshold))
    counts = np.array([len(by_text[text]) for text in texts], dtype=np.int64)
    clusters = [cluster_of([rec for i in group for rec in by_text[texts[i]]], by_text[texts[centre]])
                for centre, group in stars(len(texts), rows, cols, counts)]
    return sorted((c for c in clusters if c is not None), key=cluster_order)


def cluster_of(members: list[RecommendationText], centre: list[RecommendationText]) -> Cluster | None:
    """The cluster of a group of recommendations around the centre's, if they span two reviews."""
    if len({m.review for m in members}) < 2:
        return None
    representative = min(centre, key=lambda r: r.recommendation)
    return Cluster(tuple(sorted(members, key=lambda m: m.recommendation)), representative)


def cluster_order(cluster: Cluster) -> tuple[int, int, str]:
    return -len(cluster.reviews), -len(cluster.members), cluster.representative.recommendation
