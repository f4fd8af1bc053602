"""The embedded store: one named graph per document, idempotent re-ingest, atomic replacement."""

from __future__ import annotations

import gc
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from graph import DhrkgError, Store, ingest
from graph.model.iris import review_iri, source_iri
from graph.store.base import OUTDATE_SUMMARY
from tests.conftest import PAGES, SEED, seed_parameters


def test_ingesting_twice_changes_nothing(store: Store) -> None:
    ingest(store, [SEED.parent])
    before = (store.stats(), sorted(map(str, store._ox)))
    report = ingest(store, [SEED.parent])
    assert report.count("unchanged") == 1
    assert (store.stats(), sorted(map(str, store._ox))) == before


def test_a_file_read_by_an_older_version_is_read_again(store: Store) -> None:
    ingest(store, [SEED.parent])
    quads = lambda: sorted(str(q) for q in store._ox if not str(q.predicate).endswith("generatedAtTime>"))  # noqa: E731
    current = quads()
    assert "namedOnlyInText" in str(current)
    # As an older dhrkg left it: no reader version, and none of the facts added since.
    store.update("PREFIX dhr: <https://w3id.org/dhrkg/ontology#> "
                 "DELETE WHERE { GRAPH ?g { ?s dhr:readerVersion ?v } } ; "
                 "DELETE WHERE { GRAPH ?g { ?r dhr:namedOnlyInText ?m } }")
    assert [o.status for o in ingest(store, [SEED.parent]).outcomes] == ["replaced"]
    assert quads() == current
    assert [o.status for o in ingest(store, [SEED.parent]).outcomes] == ["unchanged"]


def test_same_input_gives_the_same_iris() -> None:
    first, second = Store(), Store()
    ingest(first, [SEED.parent])
    ingest(second, [SEED.parent])
    subjects = lambda s: sorted({str(q.subject) for q in s._ox})  # noqa: E731
    assert subjects(first) == subjects(second)


def test_a_changed_file_replaces_its_old_version(store: Store, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    shutil.copy(PAGES / "one-line-metadata.txt", page)
    ingest(store, [tmp_path])
    assert store.stats()["recommendations"] == 4
    page.write_text(page.read_text().replace(
        "| R10 | The health partners", "| 11 | Another recommendation. | Exampleshire Police |\n| R10 | The health partners"))
    report = ingest(store, [tmp_path])
    assert report.count("replaced") == 1
    assert store.stats()["recommendations"] == 5
    assert store.stats()["sources"] == 1


def test_the_same_content_under_another_name_is_not_stored_twice(store: Store, tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "copy.txt")
    ingest(store, [SEED.parent])
    report = ingest(store, [tmp_path])
    assert report.count("duplicate") == 1
    assert "already stored as 000_58cfa34b200ccabd.txt" in (report.outcomes[0].message or "")
    assert store.stats()["reviews"] == 1


def test_a_bad_file_is_reported_and_the_batch_goes_on(store: Store, tmp_path: Path) -> None:
    for name in ("empty.txt", "binary.txt", "one-line-metadata.txt", "table.html"):
        shutil.copy(PAGES / name, tmp_path / name)
    report = ingest(store, [tmp_path])
    assert {o.key: o.status for o in report.outcomes} == {
        "binary.txt": "failed", "empty.txt": "failed", "one-line-metadata.txt": "added", "table.html": "added"}
    assert not report.ok
    assert all(str(tmp_path) in (o.message or "") for o in report.failed)
    assert store.stats()["reviews"] == 2


def test_a_failure_leaves_what_is_stored_intact(store: Store, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    shutil.copy(PAGES / "one-line-metadata.txt", page)
    ingest(store, [tmp_path])
    before = sorted(map(str, store._ox))
    page.write_bytes(b"\x00\x01\x02 broken")
    report = ingest(store, [tmp_path])
    assert report.count("failed") == 1
    assert sorted(map(str, store._ox)) == before


def test_each_document_lives_in_its_own_named_graph(seed_store: Store) -> None:
    graph = str(source_iri("000_58cfa34b200ccabd.txt"))
    result = seed_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?r a ?class } }",
        bindings=None, named_graphs=[graph])
    assert result.rows()[0][0] > 35


def test_provenance_links_review_and_recommendations_to_their_source(seed_store: Store) -> None:
    review = str(review_iri("000_58cfa34b200ccabd.txt"))
    rows = seed_store.named("recommendations-of-review", review=review).to_dicts()
    assert len(rows) == 35
    ask = seed_store.query(
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dhr: <https://w3id.org/dhrkg/ontology#> "
        "ASK { ?rec dhr:inReview ?review . FILTER NOT EXISTS { ?rec prov:wasDerivedFrom ?source . "
        "?source dhr:sha256 ?hash ; prov:generatedAtTime ?when } }")
    assert ask.boolean is False


def test_a_persistent_store_reopens_with_its_data(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    ingest(store, [SEED.parent])
    store.close()
    reopened = Store.open_read_only(tmp_path / "store")
    assert reopened.stats()["recommendations"] == 35


def test_a_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    first = Store(tmp_path / "store")
    with pytest.raises(DhrkgError, match="in use by another dhrkg process"):
        Store(tmp_path / "store")
    first.close()


def test_a_read_only_store_refuses_writes(tmp_path: Path) -> None:
    Store(tmp_path / "store").flush()
    reader = Store.open_read_only(tmp_path / "store")
    with pytest.raises(DhrkgError, match="read-only"):
        reader.remove_document("anything")


def test_queries_never_fall_back_to_rdflibs_engine(seed_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import rdflib.plugins.sparql.evaluate as rdflib_engine

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a query was evaluated by rdflib's SPARQL engine")

    monkeypatch.setattr(rdflib_engine, "evalQuery", refuse)
    monkeypatch.setattr(rdflib_engine, "evalPart", refuse)
    from graph.store.named_queries import named_queries

    for query in named_queries().values():
        seed_store.named(query.name, **seed_parameters([p.name for p in query.params if not p.optional]))
    seed_store.stats()


def test_ingest_while_serving_fails_clearly_and_harms_nothing(tmp_path: Path) -> None:
    writer = Store(tmp_path / "store")
    ingest(writer, [SEED.parent])
    writer.close()
    server = Store.open_read_only(tmp_path / "store")  # what `dhrkg serve` holds
    with pytest.raises(DhrkgError, match="in use by another dhrkg process"):
        Store(tmp_path / "store")
    assert server.stats()["recommendations"] == 35
    server.close()
    writer = Store(tmp_path / "store")  # the server stopped: ingest works again
    with pytest.raises(DhrkgError, match="being written by another dhrkg process"):
        Store.open_read_only(tmp_path / "store")
    assert writer.stats()["recommendations"] == 35


def test_replacing_a_graph_writes_only_what_changed(tmp_path: Path) -> None:
    from graph.enrich import enrich
    from graph.extraction import extract
    from graph.rdf.builder import iter_ntriples
    from graph.rdf.documents import document_triples

    store = Store(tmp_path / "store")
    triples = document_triples(enrich(extract(SEED)), "seed.txt")  # type: ignore[arg-type]
    store.replace_document("seed.txt", triples)
    writes: list[str] = []
    store._write = writes.append  # type: ignore[method-assign]
    # What dhrkg writes is already in the form the store keeps (canonical decimals, UTC
    # times), so storing the same triples again is a no-op…
    store.replace_document("seed.txt", triples)
    assert writes == []
    # … and a change is one update that marks the corpus summary out of date, deletes what
    # went and inserts what came.
    store.replace_document("seed.txt", triples[:-1])
    assert len(writes) == 1 and writes[0].startswith(OUTDATE_SUMMARY) and "DELETE DATA" in writes[0]
    assert next(iter_ntriples(triples[-1:])) in writes[0]


@pytest.mark.parametrize("bulk_from", [100_000, 1])  # written in transactions, or bulk-loaded
def test_the_same_key_from_two_folders_is_stored_once_as_the_later_file(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk_from: int) -> None:
    monkeypatch.setattr("graph.store.embedded.BULK_FROM", bulk_from)
    for folder, extra in (("a", ""), ("b", "| 11 | Another recommendation. | Exampleshire Police |\n")):
        (tmp_path / folder).mkdir()
        text = (PAGES / "one-line-metadata.txt").read_text()
        (tmp_path / folder / "page.txt").write_text(text.replace("| R10 | The health partners",
                                                                 f"{extra}| R10 | The health partners"))
    report = ingest(store, [tmp_path / "a", tmp_path / "b"])
    assert [o.status for o in report.outcomes] == ["added", "added"]
    assert store.stats()["sources"] == 1 and store.stats()["recommendations"] == 5


class CountingCompactions:
    """A pyoxigraph store that counts the compactions asked of it."""

    def __init__(self, inner: object) -> None:
        self.inner, self.compactions = inner, 0

    def optimize(self) -> None:
        self.compactions += 1
        self.inner.optimize()  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def __len__(self) -> int:
        return len(self.inner)  # type: ignore[arg-type]

    def __contains__(self, quad: object) -> bool:
        return quad in self.inner  # type: ignore[operator]


def test_linking_compacts_the_store_it_has_written(tmp_path: Path) -> None:
    from graph import analyse

    store = Store(tmp_path / "store")
    ingest(store, [PAGES])
    spy = CountingCompactions(store._ox)
    store._ox = spy  # type: ignore[assignment]
    analyse(store)
    assert spy.compactions == 1
    assert store.stats()["reviews"] > 1  # nothing was lost by compacting


def test_a_vocabulary_file_name_never_becomes_update_text(tmp_path: Path, store: Store) -> None:
    hostile = tmp_path / "x> } } ; DROP ALL ; INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> .ttl"
    hostile.write_text("<urn:body> <urn:name> 'A body' .", encoding="utf-8")
    before = len(store)
    graph = store.add_vocabulary(hostile)
    assert len(store) == before + 1
    assert store.query("ASK { GRAPH <urn:g> { ?s ?p ?o } }").boolean is False
    assert store.query(f"ASK {{ GRAPH <{graph}> {{ <urn:body> ?p ?o }} }}").boolean


def test_update_text_is_written_from_terms_only() -> None:
    from graph.store import updates

    assert updates.drop_graph("urn:g") == "DROP SILENT GRAPH <urn:g>"
    with pytest.raises(DhrkgError, match="not an IRI"):
        updates.insert_data("urn:g> } ; DROP ALL ; INSERT DATA { GRAPH <urn:h", "")


def test_a_query_failing_in_a_worker_thread_leaves_nothing_for_another_thread_to_drop(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The web app runs queries on worker threads and raises their errors on its own; pyoxigraph's
    # answers may only be dropped where they were made (else they leak, with a warning).
    dropped_elsewhere: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda hook: dropped_elsewhere.append(str(hook.exc_value)))
    store = Store(federation=True)
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(store.query, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
        with pytest.raises(DhrkgError, match="could not answer"):
            answer.result()
        del answer
    gc.collect()
    assert dropped_elsewhere == []
