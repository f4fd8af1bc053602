"""Benchmarks at scale: dhrkg against a plain rdflib in-memory Dataset, in one run, same machine.

    python scripts/bench.py --quick            # 100 and 1,000 reviews
    python scripts/bench.py --sizes 10000      # the full-scale run
    python scripts/bench.py --quick --write    # also write docs/benchmarks.md
    python scripts/bench.py --incremental      # one review added to 1,000 (scripts/bench_incremental.py)

For each size, a SYNTHETIC corpus (scripts/generate_corpus.py, seeded) is written as summary
pages and ingested by dhrkg end to end (read → enrich → RDF in worker processes → batched writes
into an embedded store on disk; in memory with --memory) and linked, and every quad it then
holds is loaded into an rdflib ``Dataset`` (union default graph). Then every named query, the
full-text search, the link computation and one view build are timed (median of several runs;
dhrkg's queries in a fresh process on the store opened read-only, as ``dhrkg query`` runs
them; rdflib's each in a fork of its loaded worker, killed at the cap, and compared only when
both give as many rows). Printed: a table, the
ratios, peak memory (RSS) and store size; the last line is ``ratio_min=<smallest query
speed-up over rdflib>``. rdflib is compared up to ``--rdflib-max-reviews`` (100 in --quick,
1,000 otherwise): loading millions of triples into it takes minutes and GiBs. Benchmarks are
never run as timed tests.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import platform
import resource
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from generate_corpus import generate, page_text  # noqa: E402

from graph.analysis.pipeline import analyse  # noqa: E402
from graph.ingestion.pipeline import ingest  # noqa: E402
from graph.model.terms import DHR  # noqa: E402
from graph.store.embedded import Store  # noqa: E402
from graph.store.named_queries import internal_query, named_queries  # noqa: E402
from graph.views.html import drawing  # noqa: E402
from graph.views.networks import to_networkx  # noqa: E402

DOCS = Path(__file__).parents[1] / "docs" / "benchmarks.md"
NOTES = "## Targets and where the time goes"
QUICK_RDFLIB = 1.0  # seconds: rdflib runs a query again, up to --runs times, while under this in all


@dataclass
class SizeResult:
    reviews: int
    triples: int = 0
    ingest_seconds: float = 0.0
    rdflib_load_seconds: float = 0.0
    quads_linked: int = 0  # everything in the store after linking: what rdflib loads
    store_bytes: int = 0
    queries: dict[str, tuple[float, float | str | None]] = field(default_factory=dict)  # name → (dhrkg, rdflib)
    link_seconds: float = 0.0
    view_seconds: float = 0.0
    peak_rss_mib: float = 0.0
    rdflib_peak_rss_mib: float = 0.0


def _median(function: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _rdflib_worker(nquads: str, connection: Any) -> None:
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    started = time.perf_counter()
    dataset.parse(nquads, format="nquads")
    connection.send(("loaded", time.perf_counter() - started))
    while True:
        request = connection.recv()
        if request is None:
            break
        text, bindings, runs, cap = request
        # Each query runs in a fork of this loaded worker, killed at the cap: stopping a query
        # no other way, and a fresh worker would parse every quad again (minutes at 1,000 reviews).
        receiving, sending = multiprocessing.Pipe(duplex=False)
        child = os.fork()
        if child == 0:
            receiving.close()
            sending.send(_rdflib_run(dataset, text, bindings, runs))
            os._exit(0)
        sending.close()
        if receiving.poll(cap + QUICK_RDFLIB):
            answer = receiving.recv()
        else:
            os.kill(child, signal.SIGKILL)
            answer = ("stopped", None)
        os.waitpid(child, 0)
        connection.send(answer)
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    connection.send(("rss", peak / 1024))


def _rdflib_run(dataset: Any, text: str, bindings: dict[str, tuple[str, str]], runs: int) -> tuple[str, Any]:
    from rdflib import Literal, URIRef

    init = {k: (URIRef(v) if kind == "iri" else Literal(v)) for k, (kind, v) in bindings.items()}
    times: list[float] = []
    try:
        # A median like dhrkg's for the quick queries; one run for the slow ones, where the
        # noise of a run is small beside the time.
        while len(times) < runs and sum(times) < QUICK_RDFLIB:
            started = time.perf_counter()
            rows = len(list(dataset.query(text, initBindings=init)))
            times.append(time.perf_counter() - started)
    except Exception as err:  # noqa: BLE001 - rdflib cannot run every query; say so
        return ("error", f"fails ({type(err).__name__})")
    return ("done", (statistics.median(times), rows))


class RdflibBaseline:
    """A plain rdflib Dataset in a worker process, so a slow query can be stopped at its cap."""

    def __init__(self, nquads: str, cap: float, runs: int = 1) -> None:
        self.nquads, self.cap, self.runs = nquads, cap, runs
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_rdflib_worker, args=(self.nquads, child), daemon=True)
        self.process.start()
        self.load_seconds = float(self.connection.recv()[1])

    def time(self, text: str, bindings: dict[str, tuple[str, str]], rows: int) -> float | str | None:
        """The median time, None past the cap (the speed-up is then at least cap / dhrkg's
        time), or why there is no time: the error rdflib raised, or an answer whose number of
        rows differs from dhrkg's ``rows`` (a speed-up over a different answer means nothing)."""
        self.connection.send((text, bindings, self.runs, self.cap))
        status, value = self.connection.recv()
        if status == "stopped":
            return None
        if status == "error":
            return str(value)
        seconds, theirs = value
        return float(seconds) if theirs == rows else f"a different answer ({theirs:,} rows; dhrkg {rows:,})"

    def close(self) -> float:
        self.connection.send(None)
        rss = float(self.connection.recv()[1]) if self.connection.poll(30) else 0.0
        self.process.join(timeout=10)
        return rss


def _parameter_values(store: Store) -> dict[str, tuple[str, str]]:
    """Values for the named queries' parameters: a linked pair of reviews and an agency that
    received recommendations in it (found by lookups, not by a whole-corpus report)."""
    reviews = [str(row[0]) for row in store.query(internal_query("recent-reviews").text).rows()]
    a = b = reviews[0]
    for review in reviews:
        linked = store.named("linked-reviews", review=review).rows()
        if linked:
            a, b = review, str(linked[0][1])
            break
    addressees = internal_query("review-addressees")
    agencies = [str(row[2]) for row in store.query(addressees.text, bindings=addressees.bindings({"review": a})).rows()]
    # One organisation, not the tenth of all recommendations that "All agencies" gets.
    agency = next((iri for iri in agencies if iri != str(DHR.AllAgencies)), agencies[0])
    return {"review": ("iri", a), "agency": ("iri", str(agency)), "csp": ("literal", "Kent"), "linked": ("iri", b)}


@dataclass
class QueryTiming:
    text: str
    bindings: dict[str, tuple[str, str]]  # parameter → (kind, value), for rdflib's initBindings
    seconds: float  # median
    rows: int


def _time_queries(store: Store, runs: int) -> dict[str, QueryTiming]:
    """Every named query and the full-text search, with the parameters the corpus offers (optional
    ones left out: each query is timed over the whole corpus)."""
    parameters = _parameter_values(store)
    queries = [(name, query, {p.name: parameters[p.name] for p in query.params if not p.optional})  # no filters
               for name, query in sorted(named_queries().items())]
    queries.append(("(full-text search)", internal_query("search"), {"text": ("literal", "training")}))
    timings = {}
    for name, query, bindings in queries:
        bound = query.bindings({k: v for k, (_, v) in bindings.items()})
        seconds = _median(lambda: store.query(query.text, bindings=bound), runs)  # noqa: B023 - called at once
        timings[name] = QueryTiming(query.text, bindings, seconds, len(store.query(query.text, bindings=bound)))
    return timings


def _time_queries_worker(path: str, runs: int, connection: Any) -> None:
    timings = _time_queries(Store.open_read_only(path), runs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Plain tuples: a class pickled in a spawned script's process is not found by the parent's.
    connection.send(({name: (t.text, t.bindings, t.seconds, t.rows) for name, t in timings.items()}, rss))


def _in_a_fresh_process(target: Any, *args: Any) -> Any:
    """What ``target(*args, connection)`` sends back, run in a newly spawned process."""
    receiving, sending = multiprocessing.get_context("spawn").Pipe(duplex=False)
    process = multiprocessing.get_context("spawn").Process(target=target, args=(*args, sending))
    process.start()
    sending.close()  # only the child writes: its end closing (a crash) ends the wait
    try:
        answer = receiving.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"the timing process stopped without answering (exit code {process.exitcode})") from None
    process.join()
    return answer


def run_size(reviews: int, folder: Path, runs: int, cap: float, with_rdflib: bool, on_disk: bool) -> SizeResult:
    """Generate, ingest, link and time one corpus size; pages, store and quads go in ``folder``."""
    result = SizeResult(reviews)
    pages = folder / "pages"
    pages.mkdir()
    for index, record in enumerate(generate(reviews)):
        (pages / f"review-{index:05d}.txt").write_text(page_text(record), encoding="utf-8")
    store = Store(folder / "store") if on_disk else Store()
    before = len(store)  # the ontology
    started = time.perf_counter()
    ingest(store, [pages])  # the real pipeline: read, enrich and RDF in worker processes, batched writes
    result.ingest_seconds = time.perf_counter() - started
    result.triples = len(store) - before
    if on_disk:
        result.store_bytes = sum(f.stat().st_size for f in (folder / "store").rglob("*") if f.is_file())
    started = time.perf_counter()
    analyse(store)
    result.link_seconds = time.perf_counter() - started
    # Exported after linking: the analysis queries must find the same links, clusters and
    # scores in rdflib (without them rdflib answered those queries on nothing, quickly).
    nquads = str(folder / "graph.nq")
    result.quads_linked = len(store)
    if with_rdflib:
        with open(nquads, "wb") as handle:
            store.export(handle, "nq")
    if on_disk:
        # Queries are timed as `dhrkg query` runs them: in a fresh process that opens the store
        # read-only once the writer has let go of it (timed in the process that had just
        # ingested and linked, the small lookups took up to twice as long).
        store.flush()
        del store
        gc.collect()
        sent, queries_rss = _in_a_fresh_process(_time_queries_worker, str(folder / "store"), runs)
        timings = {name: QueryTiming(*fields) for name, fields in sent.items()}
        store = Store.open_read_only(folder / "store")
    else:
        timings, queries_rss = _time_queries(store, runs), 0.0
    result.view_seconds = _median(
        lambda: drawing(to_networkx(store, "agency-recommendation", collapse=True), title="benchmark"), runs)
    baseline = RdflibBaseline(nquads, cap, runs) if with_rdflib else None
    result.rdflib_load_seconds = baseline.load_seconds if baseline else 0.0
    for name, timing in timings.items():
        theirs = baseline.time(timing.text, timing.bindings, timing.rows) if baseline else "not run"
        result.queries[name] = (timing.seconds, theirs)
    result.peak_rss_mib = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, queries_rss)
    result.rdflib_peak_rss_mib = baseline.close() if baseline else 0.0
    return result


def report(results: list[SizeResult], cap: float) -> tuple[str, float]:
    lines = []
    ratios: list[float] = []
    for r in results:
        lines.append(f"\n### {r.reviews:,} reviews ({r.triples:,} triples)\n")
        rdflib_load = (f"rdflib Dataset load of the same {r.quads_linked:,} quads (with the ontology and "
                       f"the links): {r.rdflib_load_seconds:.1f} s "
                       f"({r.quads_linked / r.rdflib_load_seconds:,.0f} triples/s)" if r.rdflib_load_seconds
                       else "rdflib not run at this size")
        where = "on disk" if r.store_bytes else "in memory"
        lines.append(f"- ingest (summary pages → store {where}, end to end): {r.ingest_seconds:.1f} s, "
                     f"{r.triples / r.ingest_seconds:,.0f} triples/s; {rdflib_load}")
        lines.append(f"- link computation (`dhrkg link`): {r.link_seconds:.1f} s; one view build "
                     f"(agency-recommendation, collapsed): {r.view_seconds:.2f} s")
        size = f"store on disk: {r.store_bytes / 2**20:.0f} MiB; " if r.store_bytes else ""
        lines.append(f"- {size}peak RSS dhrkg {r.peak_rss_mib:,.0f} MiB, "
                     f"rdflib worker {r.rdflib_peak_rss_mib:,.0f} MiB\n")
        lines.append("| query | dhrkg (median) | rdflib | speed-up |\n|---|---:|---:|---:|")
        for name, (ours, theirs) in r.queries.items():
            if theirs == "not run":
                lines.append(f"| {name} | {ours * 1000:,.1f} ms | (not run at this size) | – |")
                continue
            if isinstance(theirs, str):
                lines.append(f"| {name} | {ours * 1000:,.1f} ms | {theirs} | – |")
                continue
            if theirs is None:
                ratio = cap / ours
                lines.append(f"| {name} | {ours * 1000:,.1f} ms | > {cap:.0f} s (stopped) | > {ratio:,.0f}x |")
            else:
                ratio = theirs / ours
                lines.append(f"| {name} | {ours * 1000:,.1f} ms | {theirs * 1000:,.1f} ms | {ratio:,.1f}x |")
            ratios.append(ratio)
    return "\n".join(lines), min(ratios) if ratios else 0.0


def machine() -> str:
    import pyoxigraph
    import rdflib

    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memory = 0.0
    return (f"{platform.platform()}, {os.cpu_count()} cores, {memory:.0f} GiB; Python {platform.python_version()}, "
            f"pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 reviews, under two minutes")
    parser.add_argument("--sizes", type=int, nargs="*", default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cap", type=float, default=None, help="seconds an rdflib query may run")
    parser.add_argument("--write", action="store_true", help=f"write {DOCS}")
    parser.add_argument("--memory", action="store_true", help="an in-memory store instead of one on disk")
    parser.add_argument("--rdflib-max-reviews", type=int, default=None,
                        help="compare with rdflib up to this size (rdflib needs minutes and GiBs beyond)")
    parser.add_argument("--incremental", action="store_true",
                        help="time adding one review against `dhrkg link --full`, and ingest against bulk_load")
    parser.add_argument("--cli", action="store_true", help="--incremental: also run the two commands as processes")
    args = parser.parse_args()
    if args.incremental:
        from bench_incremental import main as incremental

        incremental(args.sizes or [1000], cli=args.cli, docs=DOCS if args.write else None)
        return
    sizes = args.sizes or ([100, 1000] if args.quick else [100, 1000, 10000])
    cap = args.cap or (1.0 if args.quick else 30.0)
    runs = 2 if args.quick else args.runs
    started = time.perf_counter()
    rdflib_max = args.rdflib_max_reviews or (100 if args.quick else 1000)
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"dhrkg-bench-{n}-") as folder:
            results.append(run_size(n, Path(folder), runs, cap, n <= rdflib_max, on_disk=not args.memory))
    table, ratio_min = report(results, cap)
    print(f"machine: {machine()}")
    print(table)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    if args.write:
        DOCS.parent.mkdir(exist_ok=True)
        # The hand-written analysis (targets, profiles) after the tables is kept.
        notes = DOCS.read_text(encoding="utf-8").partition(NOTES)[2] if DOCS.exists() else ""
        DOCS.write_text(f"# Benchmarks\n\nMeasured by `python scripts/bench.py {' '.join(sys.argv[1:])}` on: "
                        f"{machine()}.\n\nSYNTHETIC corpora from `scripts/generate_corpus.py` (seeded). rdflib's "
                        f"queries run in a worker process stopped after {cap:.0f} s, up to {runs} times while under "
                        f"{QUICK_RDFLIB:.0f} s in all (the median is shown). dhrkg's run on the store as `dhrkg "
                        f"query` opens it (read-only, after ingest and linking), median of {runs}.\n{table}\n"
                        + (f"\n{NOTES}{notes}" if notes else ""), encoding="utf-8")
    print(f"ratio_min={ratio_min:.1f}")


if __name__ == "__main__":
    main()
