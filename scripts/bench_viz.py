"""Benchmark: draw a 5,000-node / 20,000-edge view, against pyvis's own path, in one run.

    python scripts/bench_viz.py [--nodes 5000 --edges 20000]

Prints the time to lay out and write the self-contained HTML with dhrkg, and the time pyvis
takes to build the same graph with ``add_node``/``add_edge`` and write it (its baseline).
Target: dhrkg under 2 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from graph.views.html import drawing, standalone_html


def synthetic_view(nodes: int, edges: int, seed: int = 7) -> nx.Graph:
    """An agency–recommendation-like graph: a few hundred agencies, the rest recommendations."""
    rng = random.Random(seed)
    graph = nx.Graph()
    agencies = [f"agency/{i}" for i in range(max(1, nodes // 20))]
    for i, agency in enumerate(agencies):
        graph.add_node(agency, kind="agency", label=f"Agency {i}", title=f"Agency {i}", group=f"A{i % 23:02d}")
    recs = [f"rec/{i}" for i in range(nodes - len(agencies))]
    for i, rec in enumerate(recs):
        graph.add_node(rec, kind="recommendation", label=f"Rec {i}", title=f"Recommendation text {i}",
                       group=f"T{1 + i % 11}")
    while graph.number_of_edges() < edges:
        graph.add_edge(rng.choice(recs), rng.choice(agencies), weight=1, title="addressed to")
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    graph = synthetic_view(args.nodes, args.edges)
    out = Path(tempfile.mkdtemp()) / "view.html"
    ours = []
    for _ in range(args.runs):
        started = time.perf_counter()
        out.write_text(standalone_html(drawing(graph, title="benchmark")), encoding="utf-8")
        ours.append(time.perf_counter() - started)
    started = time.perf_counter()
    net = Network(cdn_resources="remote")
    for node, data in graph.nodes(data=True):
        net.add_node(node, label=data["label"], title=data["title"])
    for a, b in graph.edges():
        net.add_edge(a, b)
    net.write_html(str(out.with_name("pyvis.html")))
    baseline = time.perf_counter() - started
    median = statistics.median(ours)
    print(f"{args.nodes:,} nodes / {args.edges:,} edges")
    print(f"dhrkg view (layout + HTML): median {median:.2f} s over {args.runs} runs ({out.stat().st_size / 1e6:.1f} MB)")
    print(f"pyvis add_node/add_edge + write_html (baseline, one run): {baseline:.2f} s")
    print(f"speed-up: {baseline / median:.1f}x; target under 2 s: {'met' if median < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
