"""Killing an ingest at any moment leaves a store that opens, validates, and holds every
document completely or not at all."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph import Store, validate
from graph.model.iris import source_iri
from scripts.generate_corpus import generate, page_text

RUNS = int(os.environ.get("DHRKG_CRASH_RUNS", "6"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """Forty synthetic pages and how many recommendations each holds."""
    folder = tmp_path_factory.mktemp("corpus")
    expected = {}
    for record in generate(40, seed=11):
        name = Path(record.source.path).name
        (folder / name).write_text(page_text(record), encoding="utf-8")
        expected[name] = len(record.recommendations)
    return folder, expected


# Transactions one document at a time, and bulk loads of batches under the store's journal
# (thresholds lowered so forty pages make several batches).
WRITES = {
    "transactions": "",
    "bulk loads": ("import importlib; importlib.import_module('graph.store.embedded').BULK_FROM = 500; "
                   "importlib.import_module('graph.ingestion.pipeline').BATCH_TRIPLES = 1500; "),
}


@pytest.mark.parametrize("writes", WRITES)
def test_sigkill_during_ingest_never_leaves_half_a_document(tmp_path: Path, corpus: tuple[Path, dict[str, int]],
                                                           writes: str) -> None:
    folder, expected = corpus
    rng = random.Random(5)
    script = (f"import sys; {WRITES[writes]}from graph import Store, ingest; "
              "ingest(Store(sys.argv[1]), [sys.argv[2]], workers=1)")
    command = [sys.executable, "-c", script]
    started = time.perf_counter()
    subprocess.run([*command, str(tmp_path / "whole"), str(folder)], check=True)
    whole = time.perf_counter() - started  # kills land anywhere from start-up to the end
    interrupted = 0
    run = 0
    # On a machine whose load changes, a run may take longer or shorter than the first: a kill
    # that lands before the store exists comes later next time, one after the end sooner.
    while run < RUNS or (not interrupted and run < 4 * RUNS):
        store_path = tmp_path / f"store-{run}"
        run += 1
        process = subprocess.Popen([*command, str(store_path), str(folder)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.4, 0.95) * whole)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if not (store_path / "CURRENT").exists():
            whole *= 1.25
            continue  # killed before the store was created
        store = Store(store_path)
        counts = {row["key"]: row for row in store.named("sources").to_dicts()}
        interrupted += 0 < len(counts) < len(expected)
        if len(counts) == len(expected):
            whole *= 0.8
        for key in counts:
            graph = str(source_iri(str(key)))
            stored = store.query(
                "PREFIX dhr: <https://w3id.org/dhrkg/ontology#> SELECT (COUNT(DISTINCT ?r) AS ?n) "
                "WHERE { ?r a dhr:Recommendation }", named_graphs=None, default_graph=[graph]).rows()[0][0]
            assert stored == expected[str(key)], f"{key} is half-written after a kill ({store_path.name})"
        assert validate(store).conforms, validate(store).violations[:3]
        store.close()
    assert interrupted, "no kill landed while documents were being written"


def test_a_store_reopened_after_an_interrupted_bulk_load_removes_what_was_half_written(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from graph.errors import DhrkgError
    from graph.model.terms import DHR
    from graph.store.base import JOURNAL_GRAPH

    store = Store(tmp_path / "store")
    half = ox.NamedNode("https://example.org/half-written")
    journal = ox.NamedNode(str(JOURNAL_GRAPH))
    store._ox.extend([ox.Quad(journal, ox.NamedNode(str(DHR.pendingGraph)), half, journal),
                      ox.Quad(half, half, ox.Literal("part of a load that was killed"), half)])
    store.close()
    with pytest.raises(DhrkgError, match="interrupted while loading https://example.org/half-written"):
        Store.open_read_only(tmp_path / "store")
    store = Store(tmp_path / "store")
    assert not list(store._ox.quads_for_pattern(None, None, None, half))  # and a reader may open it again:
    store.close()
    assert len(Store.open_read_only(tmp_path / "store")) > 0
