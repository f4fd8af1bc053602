"""The benchmark script's machinery, on a tiny corpus: what it compares, never how fast.

Timings are checked by running ``scripts/bench.py``, not here (a timed test fails on a busy
machine and passes on a fast one for the wrong reasons).
"""

from __future__ import annotations

from pathlib import Path

from graph.store.named_queries import named_queries
from scripts.bench import RdflibBaseline, report, run_size


def test_every_named_query_is_timed_against_rdflib_on_the_same_answers(tmp_path: Path) -> None:
    result = run_size(8, tmp_path, runs=1, cap=60.0, with_rdflib=True, on_disk=True)

    assert set(result.queries) == set(named_queries()) | {"(full-text search)"}
    assert result.quads_linked > result.triples > 0 and result.store_bytes > 0
    # rdflib answered, or the table says why not; never a speed-up over a different answer.
    for name, (ours, theirs) in result.queries.items():
        assert ours > 0, name
        assert isinstance(theirs, float) or (isinstance(theirs, str) and theirs.startswith("fails (")), (name, theirs)
    table, ratio_min = report([result], cap=60.0)
    assert "| agency-centrality |" in table and ratio_min > 0


def test_an_rdflib_answer_with_other_rows_is_not_a_speed_up(tmp_path: Path) -> None:
    quads = tmp_path / "two.nq"
    quads.write_text("<urn:a> <urn:p> <urn:b> <urn:g> .\n<urn:c> <urn:p> <urn:d> <urn:g> .\n", encoding="utf-8")
    baseline = RdflibBaseline(str(quads), cap=60.0)
    try:
        query = "SELECT ?s WHERE { ?s <urn:p> ?o }"
        assert isinstance(baseline.time(query, {}, rows=2), float)
        assert baseline.time(query, {}, rows=3) == "a different answer (2 rows; dhrkg 3)"
        failure = baseline.time("SELECT ?s WHERE { ?s undeclared:p ?o }", {}, rows=2)
        assert isinstance(failure, str) and failure.startswith("fails (")
    finally:
        baseline.close()
