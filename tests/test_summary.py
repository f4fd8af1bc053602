"""The corpus summary: the big reports read kept tallies while they are current, and count from
the documents otherwise; both ways give the same rows, and no write leaves stale counts visible."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import Store, analyse, ingest
from graph.ingestion.corpus_summary import (
    SUMMARISED,
    SUMMARY_VERSION,
    CorpusSummary,
    report_graph,
    summarise,
    summary_state,
)
from graph.model.iris import short_hash, source_iri
from graph.model.terms import DHR
from graph.store.base import JOURNAL_GRAPH, SUMMARY_GRAPH
from graph.store.corpus_index import CorpusIndex, summary_marker
from graph.store.named_queries import named_query
from scripts.generate_corpus import generate, page_text


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for record in generate(30, seed=5):
        (folder / Path(record.source.path).name).write_text(page_text(record), encoding="utf-8")
    return folder


@pytest.fixture
def corpus(pages: Path) -> Store:
    store = Store()
    assert ingest(store, [pages]).ok
    return store


def rows(store: Store, name: str) -> Counter[tuple[object, ...]]:
    return Counter(store.named(name).rows())  # ties in ORDER BY may come in any order


def tallies(store: Store) -> set[tuple[object, ...]]:
    return set(store.query(f"SELECT ?t WHERE {{ ?t a <{DHR.Tally}> }}").rows())


@pytest.mark.parametrize("name", SUMMARISED)
def test_tallies_give_the_rows_counted_from_the_documents(corpus: Store, name: str) -> None:
    assert summary_state(corpus) == "current"  # ingest counted them
    kept = rows(corpus, name)
    corpus.outdate_summary()
    counted = rows(corpus, name)
    assert kept == counted and len(counted) > (0 if name == "stats" else 3)  # stats is one row


def test_a_changed_document_is_counted_at_once_and_recounted_by_the_next_ingest(corpus: Store, pages: Path) -> None:
    before = {r["agency"]: r["recommendations"] for r in corpus.named("recommendations-per-agency").to_dicts()}
    key = sorted(corpus.documents())[0]
    corpus.remove_document(key)
    assert summary_state(corpus) == "outdated"
    after = {r["agency"]: r["recommendations"] for r in corpus.named("recommendations-per-agency").to_dicts()}
    assert sum(after.values()) < sum(before.values())  # no stale tally was read
    report = ingest(corpus, [pages])
    assert report.count("added") == 1 and report.summarised and summary_state(corpus) == "current"
    assert {r["agency"]: r["recommendations"] for r in corpus.named("recommendations-per-agency").to_dicts()} == before


def test_every_kind_of_write_outdates_the_summary_but_the_analysis_does_not(corpus: Store, tmp_path: Path) -> None:
    analyse(corpus)
    assert summary_state(corpus) == "current"
    vocabulary = tmp_path / "extra.ttl"
    vocabulary.write_text("@prefix org: <http://www.w3.org/ns/org#> .\n<https://example.org/a> a org:Organization .\n")
    writes = {
        "update": lambda: corpus.update("INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> "
                                        "<https://example.org/p> 1 } }"),
        "vocabulary": lambda: corpus.add_vocabulary(vocabulary),
        "document": lambda: corpus.replace_document("extra", []),
        "removal": lambda: corpus.remove_document(sorted(corpus.documents())[0]),
    }
    for name, write in writes.items():
        summarise(corpus)
        write()
        assert summary_state(corpus) == "outdated", name
        assert not corpus.query(f"ASK {{ GRAPH <{SUMMARY_GRAPH}> {{ ?s <{DHR.summaryFingerprint}> ?f }} }}").boolean


def test_recounting_after_one_change_keeps_the_other_tallies(corpus: Store) -> None:
    kept = tallies(corpus)
    corpus.remove_document(sorted(corpus.documents())[0])
    assert summarise(corpus) and not summarise(corpus)
    recounted = tallies(corpus)
    assert len(kept & recounted) > len(kept) / 2  # tallies are named by what they count, not rewritten


def test_a_summary_counted_from_other_documents_is_recounted(corpus: Store) -> None:
    # A store written by other tools (a remote one, say) keeps the marker; the fingerprint tells.
    graph = ox.NamedNode(str(source_iri(sorted(corpus.documents())[0])))
    corpus._ox.remove_graph(graph)  # behind the store's back
    assert summary_state(corpus) == "outdated"
    assert summarise(corpus) and summary_state(corpus) == "current"


def test_while_the_summary_is_current_the_index_is_opened_without_listing_the_documents(
        corpus: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = corpus.documents()
    monkeypatch.setattr(corpus, "documents", lambda: pytest.fail("the store's documents were listed"))
    index = CorpusIndex.open(corpus)
    assert not index.rebuilt and index.stored() == listed


def test_a_document_written_outside_ingest_makes_the_index_read_again(corpus: Store, pages: Path) -> None:
    corpus.replace_document("extra", [])  # a write dhrkg made: it outdates the summary's marker
    index = CorpusIndex.open(corpus)
    assert index.rebuilt and index.stored() == corpus.documents()
    key = sorted(corpus.documents())[0]
    corpus.remove_document(key)
    assert ingest(corpus, [pages]).count("added") == 1  # the removal was seen: the file is read again


def test_a_marker_is_kept_only_with_an_index_of_the_documents_the_store_holds(corpus: Store) -> None:
    corpus._ox.remove_graph(ox.NamedNode(source_iri(sorted(corpus.documents())[0])))  # behind the store's back
    summary = CorpusSummary.open(corpus)  # taken as current: the marker is still there
    assert len(summary.index.stored()) == len(corpus.documents()) + 1
    summary.update({})  # counts and marks the summary, but does not give the marker to this index
    again = CorpusIndex.open(corpus)
    assert again.rebuilt and again.stored() == corpus.documents()


def test_a_whole_link_checks_the_index_against_the_documents(corpus: Store) -> None:
    corpus._ox.remove_graph(ox.NamedNode(source_iri(sorted(corpus.documents())[0])))  # behind the store's back
    analyse(corpus, full=True)
    assert CorpusIndex.open(corpus).stored() == corpus.documents()


def test_a_run_stopped_after_the_store_is_marked_leaves_the_index_read_again(
        tmp_path: Path, pages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.ingestion.pipeline as pipeline
    import graph.rdf.documents as documents

    store = Store(tmp_path / "store")
    with monkeypatch.context() as older:  # an older dhrkg read the files: the next ingest reads them again
        older.setattr(documents, "READER_VERSION", documents.READER_VERSION - 1)
        older.setattr(pipeline, "READER_VERSION", documents.READER_VERSION - 1)
        assert ingest(store, [pages]).ok
    kept = CorpusIndex.commit

    def stopped(index: CorpusIndex, summary: str) -> None:
        if summary:  # the store holds the marker (the same one: same files) and the index is not yet given it
            raise KeyboardInterrupt
        kept(index, summary)

    monkeypatch.setattr(CorpusIndex, "commit", stopped)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, [pages])
    monkeypatch.setattr(CorpusIndex, "commit", kept)
    index = CorpusIndex.open(store)
    assert index.rebuilt and {d.reader for d in index.stored().values()} == {documents.READER_VERSION}


def test_a_document_an_interrupted_load_left_is_removed_with_the_marker(tmp_path: Path, pages: Path) -> None:
    store = Store(tmp_path / "store")
    assert ingest(store, [pages]).ok
    key = sorted(store.documents())[0]
    journal = ox.NamedNode(str(JOURNAL_GRAPH))  # as if its bulk load had been killed
    store._ox.add(ox.Quad(journal, ox.NamedNode(str(DHR.pendingGraph)), ox.NamedNode(source_iri(key)), journal))
    store.close()
    store = Store(tmp_path / "store")  # removes the half-written document
    assert key not in store.documents() and summary_state(store) == "outdated"
    assert key not in CorpusIndex.open(store).stored()
    store.close()


def test_an_update_cannot_write_the_marker_back(corpus: Store) -> None:
    marker = summary_marker(corpus)
    assert marker is not None
    corpus.update(f'DELETE WHERE {{ GRAPH ?g {{ ?r a <{DHR.Recommendation}> ; ?p ?o }} }} ; INSERT DATA {{ '
                  f'GRAPH <{SUMMARY_GRAPH}> {{ <{SUMMARY_GRAPH}> <{DHR.summaryFingerprint}> "{marker}" }} }}')
    assert summary_marker(corpus) is None
    corpus.update(f'INSERT DATA {{ GRAPH <https://example.org/g> {{ <https://example.org/g> '
                  f'<{DHR.summaryFingerprint}> "{marker}" }} }}')
    assert summary_marker(corpus) is None  # a marker outside the summary graph is not the summary's


def test_tallies_never_hold_review_text(corpus: Store) -> None:
    texts = {str(row[0]) for row in corpus.query(
        "SELECT ?text WHERE { ?r a <https://w3id.org/dhrkg/ontology#Recommendation> ; <https://schema.org/text> ?text }")}
    kept = {str(row[0]) for row in corpus.query(
        f"SELECT ?value WHERE {{ ?t a <{DHR.Tally}> ; ?column ?value }}").rows()}
    assert texts and not texts & kept
    assert corpus.named("agencies-named-only-in-text").to_dicts()[0]["recommendationText"] in texts


def test_tallies_of_another_version_are_never_read(corpus: Store) -> None:
    name = "agencies-named-only-in-text"
    counted = rows(corpus, name)
    corpus._ox.clear_graph(ox.NamedNode(report_graph(name)))  # behind the store's back
    assert not corpus.named(name).rows()  # so the summary is read while current...
    corpus._ox.update(f"""DELETE {{ GRAPH ?g {{ ?s <{DHR.summaryVersion}> ?v }} }}
                          INSERT {{ GRAPH ?g {{ ?s <{DHR.summaryVersion}> {SUMMARY_VERSION - 1} }} }}
                          WHERE {{ GRAPH ?g {{ ?s <{DHR.summaryVersion}> ?v }} }}""")
    assert rows(corpus, name) == counted  # ...and not when an older dhrkg counted it


# The summarised queries' text as of SUMMARY_VERSION. Tallies counted by another text must not be
# read: when this test fails, raise SUMMARY_VERSION (graph/ingestion/corpus_summary.py), write the new number in
# each query's guards, and record the new hash here.
SUMMARISED_TEXT = {3: "48aab5afba2444690d33b560992ded98", 4: "3c9baf4fc4afa8d676d57ba57141f199"}


def test_every_summarised_query_reads_tallies_of_its_own_version_only() -> None:
    guard = f"dhr:summaryFingerprint ?fingerprint ; dhr:summaryVersion {SUMMARY_VERSION} }}"
    for name in SUMMARISED:
        text = named_query(name).text
        assert text.count(guard) == 2, name  # the tallies' branch and the counting one
        # Tallies are read from the report's own graph only.
        assert f"PREFIX summary: <{report_graph('')}>" in text and f"GRAPH summary:{name} {{" in text, name
    texts = "\n".join(named_query(name).text for name in SUMMARISED)
    assert short_hash(texts, 32) == SUMMARISED_TEXT[SUMMARY_VERSION]


def tally_triples(store: Store) -> set[str]:
    return {str(q) for name in SUMMARISED for q in store._ox.quads_for_pattern(None, None, None,
                                                                                ox.NamedNode(report_graph(name)))}


def counted_from_documents(store: Store) -> dict[str, Counter[tuple[object, ...]]]:
    store.outdate_summary()
    return {name: rows(store, name) for name in SUMMARISED}


def test_tallies_moved_by_each_change_are_those_counted_afresh(tmp_path: Path) -> None:
    # Generated pages of real CSP names with the DHRD incidents beside them (some match a page),
    # then more pages, pages edited, pages removed, and a second source of a review already in.
    from graph.ingestion.removal import remove
    from graph.resources import data_dir
    from scripts.generate_corpus import page_html

    records = list(generate(30, seed=8))
    pages = tmp_path / "pages"
    pages.mkdir()
    for record in records[:18]:
        (pages / Path(record.source.path).name).write_text(page_text(record), encoding="utf-8")
    store = Store(tmp_path / "store")
    assert ingest(store, [pages, data_dir() / "dhrd" / "incidents.csv"]).ok
    steps = []
    for record in records[18:]:
        (pages / Path(record.source.path).name).write_text(page_text(record), encoding="utf-8")
    steps.append(("added", lambda: ingest(store, [pages])))
    for record in records[3:6]:  # one recommendation fewer, another CSP's year of death
        text = page_text(record).replace(f"Year of death: {record.review.year_of_death}", "Year of death: 2011")
        (pages / Path(record.source.path).name).write_text(text.rsplit("\n| ", 1)[0] + "\n", encoding="utf-8")
    steps.append(("replaced", lambda: ingest(store, [pages])))
    steps.append(("removed", lambda: remove(store, [Path(records[0].source.path).name,
                                                    str(pages / Path(records[7].source.path).name)])))
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "same-review.html").write_text(page_html(records[10]), encoding="utf-8")  # records[10] again, as HTML
    steps.append(("merged", lambda: ingest(store, [twin])))
    for step, change in steps:
        reviews_before = store.stats()["reviews"]
        change()
        if step == "merged":  # one review, two sources: counted once
            assert store.stats()["review_matches"] >= 1 and store.stats()["reviews"] == reviews_before
        assert summary_state(store) == "current", step
        kept = tally_triples(store)
        counted = counted_from_documents(store)
        assert summarise(store), step  # counted afresh from every document
        assert tally_triples(store) == kept, step
        assert {name: rows(store, name) for name in SUMMARISED} == counted, step
