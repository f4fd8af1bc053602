"""How long ``characteristic-shares`` takes on the bundled data (647 DHRD reviews), against the
formulation it replaced, measured in the same run on the same store.

    python scripts/bench_characteristics.py                 # an in-memory store built here
    python scripts/bench_characteristics.py --store DIR     # a store `dhrkg build` made on disk

The old text joined every flagged node to a UNION of both flags and counted distinct nodes per
group; the shipped one counts each flag in its own grouped sub-select and adds the counts up.
Both answers are compared row for row. CPU time is reported beside wall time: on a shared
machine the wall time of one query swings with the load, its CPU time much less.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from graph import Store, ingest
from graph.resources import data_dir
from graph.store.base import GraphStore
from graph.store.named_queries import named_query

BASELINE = """PREFIX dhr:  <https://w3id.org/dhrkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?characteristic ?notation ?label ?about
       (COUNT(DISTINCT ?yes) AS ?indicated) (COUNT(DISTINCT ?no) AS ?notIndicated)
       (ROUND(1000 * COUNT(DISTINCT ?yes) / (COUNT(DISTINCT ?yes) + COUNT(DISTINCT ?no))) / 1000 AS ?share)
WHERE {
  ?characteristic skos:inScheme dhr:CaseCharacteristicScheme ;
                  skos:notation ?notation ;
                  skos:prefLabel ?label .
  { ?yes dhr:caseCharacteristic ?characteristic . ?yes a ?class }
  UNION
  { ?no dhr:notIndicated ?characteristic . ?no a ?class }
  VALUES (?class ?about) { (dhr:Review "case") (dhr:Victim "victim") (dhr:Perpetrator "perpetrator") }
}
GROUP BY ?characteristic ?notation ?label ?about
ORDER BY ?about DESC(?share)
"""
"""The text ``characteristic-shares.rq`` had before it was rewritten (2-7 s at 647 reviews)."""


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of ``run`` over ``repeat`` runs, and its last answer."""
    walls, cpus, answer = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        answer = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", help="an existing store folder (default: build the bundled data in memory)")
    args = parser.parse_args()
    store: GraphStore
    if args.store:
        store = Store.open_read_only(args.store)
    else:
        store = Store()
        ingest(store, [data_dir()])
    print(f"store: {store.stats()['reviews']} reviews, {len(store):,} triples")
    shipped = named_query("characteristic-shares").text
    key = lambda row: (row["about"], row["notation"])  # noqa: E731
    base_wall, base_cpu, old = timed(lambda: sorted(store.query(BASELINE).to_dicts(), key=key), 3)
    wall, cpu, new = timed(lambda: sorted(store.query(shipped).to_dicts(), key=key), 7)
    assert old == new, "the rewritten query must answer exactly as the old one"
    print(f"baseline  (old text)   wall {base_wall:.3f} s   cpu {base_cpu:.3f} s")
    print(f"shipped   (.rq file)   wall {wall:.3f} s   cpu {cpu:.3f} s   same {len(new)} rows")
    print(f"speed-up  {base_cpu / cpu:.0f}x (cpu)")


if __name__ == "__main__":
    main()
