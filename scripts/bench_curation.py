"""What curated corrections cost: recording them, and applying them as documents are ingested.

    python scripts/bench_curation.py                 # 1,000 generated reviews
    python scripts/bench_curation.py --reviews 200 --corrections 50

Ingests ``--reviews`` generated reviews into a store on disk (the baseline, measured in the
same run), then records corrections with ``curate_text`` as ``dhrkg curate`` does: one theme
added to one recommendation of each of ``--corrections`` reviews, the type of the organisation
addressed most often, and what one printed addressee resolves to. Then times the ingest hook
(:func:`graph.store.curation.correct_text`) on every stored document with those corrections in
force, against the same loop with none (a document no correction concerns is only searched
for the corrections' names), and gives its share of the ingest time. Times are CPU time of
this process (``time.process_time``) and wall time; the machine is shared, so compare runs
made in the same hour.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import Store, ingest  # noqa: E402
from graph.ingestion.curation import curate_text  # noqa: E402
from graph.rdf.builder import iter_ntriples  # noqa: E402
from graph.rdf.corrections import Curation  # noqa: E402
from graph.store.curation import correct_text, load_curation  # noqa: E402
from scripts.generate_corpus import generate, page_text  # noqa: E402


class Clock:
    def __enter__(self) -> Clock:
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu, self.wall = time.process_time() - self.cpu, time.perf_counter() - self.wall

    def __str__(self) -> str:
        return f"{self.cpu:.2f} s CPU, {self.wall:.2f} s wall"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--corrections", type=int, default=100)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-curation-"))
    pages = root / "pages"
    pages.mkdir()
    for number, extraction in enumerate(generate(args.reviews)):
        (pages / f"review-{number:05d}.txt").write_text(page_text(extraction), encoding="utf-8")
    store = Store(root / "store")
    with Clock() as ingesting:
        ingest(store, [pages], workers=1)
    documents = store.documents()
    print(f"ingest of {len(documents)} documents (baseline, one process): {ingesting}")

    rows = ["target,field,action,value,curator,note"]
    for document in list(documents.values())[: args.corrections]:  # one recommendation of each of these reviews
        themes = Counter(t.subject.value for t in store.graph_triples(document.iri)  # type: ignore[union-attr]
                         if t.predicate.value.endswith("#theme"))
        recommendation = next(r for r, n in sorted(themes.items()) if n < 3)  # one can take another theme
        rows.append(f"{recommendation},theme,add,T9.1,Bench,")
    addressed: Counter[str] = Counter()
    printed: Counter[tuple[str, str]] = Counter()
    for row in store.query("SELECT ?agency ?label WHERE { ?r dhr:addressing ?a . ?a dhr:addressee ?agency ; "
                           "dhr:addresseeLabel ?label }").to_dicts():
        if not str(row["agency"]).endswith("#AllAgencies"):
            addressed[str(row["agency"])] += 1
            printed[(str(row["label"]), str(row["agency"]))] += 1
    busiest, received = addressed.most_common(1)[0]
    label = next(words for (words, agency), _ in printed.most_common() if agency != busiest)
    rows.append(f"{busiest},agency-type,add,A21,Bench,")
    rows.append(f'"{label}",addressee,add,{busiest},Bench,')
    with Clock() as recording:
        done = curate_text(store, "\n".join(rows) + "\n")
    print(f"curate: {len(done.recorded)} corrections ({args.corrections} themes, the type of an organisation "
          f"addressed {received} times, one printed addressee) -> {len(done.graphs)} graphs rewritten: {recording}")

    curation = load_curation(store)
    texts = {d.iri: "\n".join(iter_ntriples(store.graph_triples(d.iri))) for d in documents.values()}
    with Clock() as idle:
        for graph, text in texts.items():
            correct_text(Curation(), graph, text)
    with Clock() as hook:
        touched = sum(correct_text(curation, graph, text) is not text for graph, text in texts.items())
    print(f"ingest hook on {len(texts)} documents, none in force: {idle}")
    print(f"ingest hook on {len(texts)} documents, {len(curation.corrections)} in force ({touched} touched): {hook}")
    print(f"hook's share of ingest: {100 * hook.cpu / ingesting.cpu:.1f}% of CPU")
    store.close()


if __name__ == "__main__":
    main()
