"""Measure: what the query safety check costs per query, against running the query.

    python scripts/bench_query_check.py [--store DIR]

For a few cheap queries and every shipped named query: the token check (``inspect``: lexing,
nesting, keywords, canonical text), rdflib's parse of the query's shape the first time it is
seen, the whole check once the shape is known (cached), and Oxigraph running the query on the
store (default: the bundled data, built into a temporary folder). Times in ms, medians.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from graph import Store, ingest
from graph.store import safety
from graph.store.named_queries import named_queries

CHEAP = {
    "ask": "ASK { ?s ?p ?o }",
    "select 10": "SELECT ?s WHERE { ?s a <https://w3id.org/dhrkg/ontology#Review> } LIMIT 10",
    "count by csp": "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/dhrkg/ontology#csp> ?c }",
}


def median_ms(run: object, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store")
    args = parser.parse_args()
    folder = Path(args.store) if args.store else Path(tempfile.mkdtemp()) / "store"
    if not args.store:
        ingest(Store(folder), [Path(__file__).parents[1] / "data"])
    store = Store.open_read_only(folder)
    queries = dict(CHEAP) | {name: q.text for name, q in named_queries().items() if not q.params}
    print(f"{'query':>34} {'chars':>6} {'tokens':>8} {'parse 1st':>10} {'cached':>8} {'oxigraph':>9}")
    for name, text in queries.items():
        tokens = median_ms(lambda: safety._inspect.__wrapped__(text))
        inspection = safety.inspect(text)

        def parse() -> None:
            safety._parse_shape.cache_clear()
            safety.check(inspection)

        first = median_ms(parse, 3)
        cached = median_ms(lambda: safety.check(safety.inspect(text)))
        run = median_ms(lambda: store.query(text), 3) - cached  # the query through the store, less the check
        print(f"{name:>34} {len(text):6d} {tokens:8.2f} {first:10.1f} {cached:8.3f} {run:9.1f}")


if __name__ == "__main__":
    main()
