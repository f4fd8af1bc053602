"""Benchmark: ordinary clients against runaway ones, on loopback only, with bounded loops.

    python scripts/bench_fairness.py [--store DIR] [--clients 20] [--attackers 2] [--seconds 20]
    python scripts/bench_fairness.py --url http://127.0.0.1:8000   # a server already running

Serves the store (default: the bundled data, built into a temporary folder) with the default
settings, then runs, in one run: a baseline (ordinary clients alone), the same clients while
attackers send runaway queries (each attacker a new query shape every time, three at once),
and a runaway followed by cheap queries (the query after a stopped one). Each client has its
own loopback address (127.0.0.2, …), as clients on a network would. Prints the share of cheap
queries answered 200, their p50/p95/max latency, the status codes seen, and the requests per
second. Target (issue #24): under two attackers, cheap queries at least 95 % 200 with p95
under 1 s; the first query after a stopped runaway under 1 s (issue #18).
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

CHEAP = [
    "ASK { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s a <https://w3id.org/dhrkg/ontology#Review> } LIMIT 10",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/dhrkg/ontology#csp> <https://w3id.org/dhrkg/id/csp/{csp}> }",
    "SELECT ?label WHERE { <https://w3id.org/dhrkg/id/csp/{csp}> ?p ?label } LIMIT 20",
]
CSPS = ["kent", "somerset", "lincoln", "northampton", "exampleton"]


def runaway(n: int) -> str:
    """A query that never ends in time, of a new shape for each ``n`` (so no shape is known)."""
    extra = " ".join(f"?x{i} ?y{i} ?z{i} ." for i in range(n % 5))
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . {extra} FILTER(?c != {n}) }}"


@dataclass
class Report:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def answered(self) -> float:
        return self.statuses[200] / max(1, sum(self.statuses.values()))

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def line(self, name: str) -> str:
        return (f"{name:>28}: {sum(self.statuses.values()):4d} cheap queries, {100 * self.answered:5.1f}% 200, "
                f"p50 {self.percentile(0.5) * 1000:6.0f} ms, p95 {self.percentile(0.95) * 1000:6.0f} ms, "
                f"max {max(self.latencies, default=0) * 1000:6.0f} ms, "
                f"{sum(self.statuses.values()) / max(self.seconds, 1e-9):5.1f}/s, statuses {dict(self.statuses)}")


def client(address: str, timeout: float = 60.0) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=timeout)


def load(url: str, *, clients: int = 20, attackers: int = 2, seconds: float = 20.0,
         think: tuple[float, float] = (0.2, 0.6), seed: int = 1) -> Report:
    """Ordinary clients send cheap queries for ``seconds`` while attackers send runaway ones;
    the report covers the ordinary clients' queries."""
    report = Report()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def ordinary(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        with client(f"127.0.0.{2 + number}") as http:
            while time.monotonic() < stop:
                query = rng.choice(CHEAP).replace("{csp}", rng.choice(CSPS))
                started = time.monotonic()
                try:
                    status = http.get(f"{url}/sparql", params={"query": query}).status_code
                except httpx.HTTPError:
                    status = 0
                with lock:
                    report.latencies.append(time.monotonic() - started)
                    report.statuses[status] += 1
                time.sleep(rng.uniform(*think))

    def attacker(number: int, lane: int) -> None:
        # attackers do not wait for their answers either: they hang up and send the next
        with client(f"127.0.0.{200 + number}", timeout=3.0) as http:
            n = lane
            while time.monotonic() < stop:
                try:
                    http.get(f"{url}/sparql", params={"query": runaway(n)})
                except httpx.HTTPError:
                    pass
                n += 3

    threads = [threading.Thread(target=attacker, args=(a, lane)) for a in range(attackers) for lane in range(3)]
    threads += [threading.Thread(target=ordinary, args=(c,)) for c in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = min(seconds, time.monotonic() - started)
    return report


def after_runaway(url: str, repeats: int = 3) -> list[float]:
    """Seconds for the first cheap query after each stopped runaway query."""
    times = []
    with client("127.0.0.250") as http:
        for n in range(repeats):
            http.get(f"{url}/sparql", params={"query": runaway(1000 + n)})
            started = time.monotonic()
            assert http.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
            times.append(time.monotonic() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a server already running (default: serve the store here)")
    parser.add_argument("--store", help="store folder (default: build the bundled data)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--attackers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's query time limit")
    args = parser.parse_args()
    if args.url:
        measure(args.url, args)
        return
    import tempfile
    from pathlib import Path

    from graph import Store, ingest
    from graph.web.app import create_app
    from graph.web.settings import WebSettings
    from tests.web.conftest import Served

    folder = Path(args.store) if args.store else Path(tempfile.mkdtemp()) / "store"
    if not args.store:
        built = Store(folder)
        ingest(built, [Path(__file__).parents[1] / "data"])
        del built
    with Served(create_app(Store.open_read_only(folder), WebSettings(query_timeout=args.timeout))) as served:
        measure(served.url, args)


def measure(url: str, args: argparse.Namespace) -> None:
    print(load(url, clients=args.clients, attackers=0, seconds=args.seconds / 2).line("baseline (no attackers)"))
    print(load(url, clients=args.clients, attackers=args.attackers, seconds=args.seconds)
          .line(f"under {args.attackers} attackers"))
    times = after_runaway(url)
    print(f"{'after a stopped runaway':>28}: {', '.join(f'{t * 1000:.0f} ms' for t in times)} "
          f"(median {statistics.median(times) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
