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
from graph.iris import source_iri
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


def test_sigkill_during_ingest_never_leaves_half_a_document(tmp_path: Path, corpus: tuple[Path, dict[str, int]]) -> None:
    folder, expected = corpus
    rng = random.Random(5)
    script = ("import sys; from graph import Store, ingest; "
              "ingest(Store(sys.argv[1]), [sys.argv[2]], workers=1)")
    for run in range(RUNS):
        store_path = tmp_path / f"store-{run}"
        process = subprocess.Popen([sys.executable, "-c", script, str(store_path), str(folder)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.2, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if not (store_path / "CURRENT").exists():
            continue  # killed before the store was created
        store = Store(store_path)
        counts = {row["key"]: row for row in store.named("sources").to_dicts()}
        for key in counts:
            graph = str(source_iri(str(key)))
            stored = store.query(
                "PREFIX dhr: <https://w3id.org/dhrkg/ontology#> SELECT (COUNT(DISTINCT ?r) AS ?n) "
                "WHERE { ?r a dhr:Recommendation }", named_graphs=None, default_graph=[graph]).rows()[0][0]
            assert stored == expected[str(key)], f"{key} is half-written after a kill (run {run})"
        assert validate(store).conforms, validate(store).violations[:3]
        del store
