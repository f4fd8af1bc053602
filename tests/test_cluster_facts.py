"""A cluster that only gained members is counted from what came: the same facts as counting it
again whole, including reviews it already counted and addressees it already had."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from graph import Store, ingest
from graph.analysis.cluster_facts import counted, grown, representatives
from graph.ingestion.corpus_summary import CorpusSummary
from graph.store.corpus_index import CorpusIndex
from scripts.generate_corpus import generate, page_text


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    folder = tmp_path_factory.mktemp("pages")
    for record in generate(40, seed=5):
        (folder / (Path(record.source.path).stem + ".txt")).write_text(page_text(record), encoding="utf-8")
    store = Store()
    ingest(store, [folder])
    return CorpusSummary.open(store).index


def test_a_cluster_grown_by_texts_of_reviews_it_counted_is_counted_as_afresh(index: CorpusIndex) -> None:
    reviews_of: dict[str, set[str]] = defaultdict(set)
    recs_of: dict[str, list[str]] = defaultdict(list)
    for iri, norm, review in index.rows("SELECT x.iri, x.norm, r.review FROM recs x JOIN records r ON r.iri = x.record"):
        reviews_of[norm].add(review)
        recs_of[norm].append(iri)
    # A text said in several reviews, then texts said in some of the same reviews and in others.
    first = max(sorted(reviews_of), key=lambda n: len(reviews_of[n]))
    joining = [n for n in sorted(reviews_of) if n != first and reviews_of[n] & reviews_of[first]
               and reviews_of[n] - reviews_of[first]][:3]
    assert len(reviews_of[first]) >= 2 and joining
    representative = representatives(index, {0: first})
    then = counted(index, {0: [first]}, representative)[0]
    came = [rec for n in joining for rec in recs_of[n]]
    afresh = counted(index, {0: [first, *joining]}, representative)[0]
    assert grown(index, then, {first}, came) == afresh
    assert afresh.reviews < then.reviews + len({r for n in joining for r in reviews_of[n]})  # some counted already
    assert grown(index, then, {first}, []) == then


def test_a_group_within_one_review_is_no_cluster(index: CorpusIndex) -> None:
    single = next(norm for norm, n in index.rows(
        "SELECT x.norm, COUNT(DISTINCT r.review) FROM recs x JOIN records r ON r.iri = x.record GROUP BY x.norm")
        if n == 1)
    assert counted(index, {7: [single]}, representatives(index, {7: single})) == {}
