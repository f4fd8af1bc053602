"""Adding one review to a large store, against recomputing everything, and ingest against the
store's own bulk loader, in one run on one machine (``python scripts/bench.py --incremental``).

For each size N: N generated reviews are ingested into a store on disk (``dhrkg ingest`` end
to end), the store is exported and its quads bulk-loaded into a fresh Oxigraph store
(``bulk_load``, the fastest way Oxigraph has to load them), and linked once. Then one more
review is added with ``dhrkg ingest`` + ``dhrkg link`` (the library calls behind the commands,
in the process; with ``--cli`` also as the two commands), then FURTHER more one at a time (the
first added review may move a weight most reviews share, which rescores them all: the others show
the usual case), and ``dhrkg link --full`` is run on the same store; the graphs derived from the
documents must be identical after both. The last
line printed is ``incremental_ratio=<full / incremental> ingest_vs_bulk=<ingest / bulk_load>``.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))

from generate_corpus import generate, page_text  # noqa: E402

from graph.analysis.pipeline import analyse  # noqa: E402
from graph.ingestion.corpus_summary import SUMMARISED, report_graph  # noqa: E402
from graph.ingestion.pipeline import ingest  # noqa: E402
from graph.store.base import ANALYSIS_GRAPH, MATCH_GRAPH  # noqa: E402
from graph.store.embedded import Store  # noqa: E402

SECTION = "## Incremental updates"
FURTHER = 4
"""Reviews added one at a time after the first, each ingested and linked."""


@dataclass
class IncrementalResult:
    reviews: int
    quads: int = 0
    ingest_seconds: float = 0.0  # the N reviews, end to end
    bulk_seconds: float = 0.0  # bulk_load of the same quads into a fresh store
    first_link_seconds: float = 0.0
    add_ingest_seconds: float = 0.0  # one more review: ingest …
    add_link_seconds: float = 0.0  # … and link
    rescored: int = 0  # reviews scored again by that link
    further_seconds: list[float] = field(default_factory=list)  # FURTHER reviews more, each ingest + link
    further_rescored: list[int] = field(default_factory=list)
    reclustered: int = 0  # texts clustered again
    cli_seconds: float = 0.0  # `dhrkg ingest` + `dhrkg link` as commands, wall time (0: not run)
    full_seconds: float = 0.0  # `dhrkg link --full`, compaction included
    compaction_seconds: float = 0.0
    identical: bool = False
    load: str = ""

    @property
    def add_seconds(self) -> float:
        return self.add_ingest_seconds + self.add_link_seconds


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _derived(store: Store) -> set[str]:
    """The quads of the graphs derived from the documents."""
    graphs = [str(ANALYSIS_GRAPH), str(MATCH_GRAPH), *(report_graph(name) for name in SUMMARISED)]
    return {str(q) for graph in graphs for q in store._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def run(reviews: int, folder: Path, *, cli: bool = False) -> IncrementalResult:
    result = IncrementalResult(reviews, load=_load())
    records = list(generate(reviews + 2 + FURTHER))
    pages, one, two = folder / "pages", folder / "one", folder / "two"
    further = [folder / f"more-{i}" for i in range(FURTHER)]
    for target in (pages, one, two, *further):
        target.mkdir()
    for index, record in enumerate(records):
        where = pages if index < reviews else one if index == reviews else two if index == reviews + 1 \
            else further[index - reviews - 2]
        (where / f"review-{index:05d}.txt").write_text(page_text(record), encoding="utf-8")
    path = folder / "store"
    store = Store(path)
    started = time.perf_counter()
    ingest(store, [pages])
    result.ingest_seconds = time.perf_counter() - started
    exported = folder / "export.nq"
    with exported.open("wb") as handle:
        store.export(handle, "nq")
    store.flush()
    result.quads = len(store)
    bulk = ox.Store(str(folder / "bulk"))
    started = time.perf_counter()
    bulk.bulk_load(path=str(exported), format=ox.RdfFormat.N_QUADS)
    bulk.flush()
    result.bulk_seconds = time.perf_counter() - started
    del bulk
    exported.unlink()
    shutil.rmtree(folder / "bulk")
    started = time.perf_counter()
    analyse(store)
    result.first_link_seconds = time.perf_counter() - started

    started = time.perf_counter()
    ingest(store, [one])
    result.add_ingest_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = analyse(store)
    result.add_link_seconds = time.perf_counter() - started
    assert not report.full, "the link after one review was not incremental"
    result.rescored, result.reclustered = report.rescored, report.reclustered
    for more in further:
        started = time.perf_counter()
        ingest(store, [more])
        report = analyse(store)
        result.further_seconds.append(time.perf_counter() - started)
        result.further_rescored.append(report.rescored)
    if cli:
        store.flush()
        del store
        gc.collect()
        command = [str(Path(sys.executable).with_name("dhrkg"))]
        started = time.perf_counter()
        for args in (["ingest", str(two)], ["link"]):
            subprocess.run([*command, *args, "--store", str(path)], check=True, capture_output=True)
        result.cli_seconds = time.perf_counter() - started
        store = Store(path)
    incremental = _derived(store)
    compact = store.optimize
    spent: list[float] = []

    def timed_optimize() -> None:
        begun = time.perf_counter()
        compact()
        spent.append(time.perf_counter() - begun)

    store.optimize = timed_optimize  # type: ignore[method-assign]
    started = time.perf_counter()
    analyse(store, full=True)
    result.full_seconds = time.perf_counter() - started
    result.compaction_seconds = sum(spent)
    result.identical = _derived(store) == incremental
    result.load += f" → {_load()}"
    store.flush()
    return result


def report(results: list[IncrementalResult]) -> str:
    lines = [f"\n{SECTION}\n",
             "Measured by `python scripts/bench.py --incremental`: N generated reviews ingested into a store on "
             "disk and linked, then one more review added with `dhrkg ingest` + `dhrkg link` (the library calls "
             "behind the commands, in one process), against `dhrkg link --full` on the same store; ingest against "
             "Oxigraph's `bulk_load` of the same quads (exported after the ingest) into a fresh store, in the same "
             "run. Load averages (1, 5, 15 min) before → after, on this shared 2-core machine.\n",
             "| reviews | quads | ingest | bulk_load | ingest ÷ bulk | add one: ingest + link | link --full "
             "(compaction) | full ÷ add | identical | load |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---|"]
    for r in results:
        lines.append(f"| {r.reviews:,} | {r.quads:,} | {r.ingest_seconds:.1f} s | {r.bulk_seconds:.1f} s | "
                     f"{r.ingest_seconds / r.bulk_seconds:.2f} | {r.add_ingest_seconds:.2f} + "
                     f"{r.add_link_seconds:.2f} s | {r.full_seconds:.1f} s ({r.compaction_seconds:.1f} s) | "
                     f"{r.full_seconds / r.add_seconds:.1f}x | {'yes' if r.identical else 'NO'} | {r.load} |")
    for r in results:
        cli = f"; as the two commands (two processes) {r.cli_seconds:.1f} s" if r.cli_seconds else ""
        lines.append(f"\n- {r.reviews:,} reviews: first `dhrkg link` {r.first_link_seconds:.1f} s; adding one review "
                     f"scored {r.rescored} review(s) again and clustered {r.reclustered} text(s) again{cli}.")
        if r.further_seconds:
            each = ", ".join(f"{t:.2f} s ({n} rescored)" for t, n in zip(r.further_seconds, r.further_rescored))
            lines.append(f"  {len(r.further_seconds)} more, one at a time (ingest + link): {each}; full ÷ add "
                         f"{r.full_seconds / statistics.median(r.further_seconds):.1f}x at their median, "
                         f"{r.full_seconds / max(r.further_seconds):.1f}x at their slowest.")
    return "\n".join(lines) + "\n"


def write(docs: Path, table: str) -> None:
    """Put the section into ``docs``, replacing an earlier one and keeping everything else."""
    text = docs.read_text(encoding="utf-8") if docs.exists() else "# Benchmarks\n"
    before, found, after = text.partition(SECTION)
    rest = after[after.find("\n## "):] if found and "\n## " in after else ""
    docs.write_text(before.rstrip("\n") + "\n" + table + rest, encoding="utf-8")


def main(sizes: list[int], *, cli: bool, docs: Path | None) -> None:
    import tempfile

    started = time.perf_counter()
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"dhrkg-incremental-{n}-") as folder:
            results.append(run(n, Path(folder), cli=cli))
    table = report(results)
    print(table)
    print(f"total {time.perf_counter() - started:.0f} s")
    if docs is not None:
        write(docs, table)
    worst = min(results, key=lambda r: r.full_seconds / r.add_seconds)
    ingest_ratio = max(r.ingest_seconds / r.bulk_seconds for r in results)
    print(f"incremental_ratio={worst.full_seconds / worst.add_seconds:.1f} ingest_vs_bulk={ingest_ratio:.2f}")
