"""Interactive network views: networkx graphs drawn with vis-network (shipped by pyvis).

What was measured and how it shapes this module:

- vis-network's physics takes ~1.6 s per iteration on 5,000 nodes / 20,000 edges, so
  positions are computed here (seeded: the same data draws the same way) and physics is
  off (the computed layout also reads better on small graphs); smooth edges are off (9x faster).
- pyvis's ``add_edge`` takes ~15 s for 20,000 edges, so node and edge lists are built
  directly and handed to a pyvis ``Network``, which supplies the options and vis-network.
- pyvis's own HTML template loads vis-network and Bootstrap from a CDN, writes a ``lib/``
  folder into the current directory, and runs script from titles containing "href", from
  the heading and from node ids in its select menu. So the page is dhrkg's own: vis-network
  inlined from pyvis's package, data as JSON in a non-executable script element with ``<``,
  ``>`` and ``&`` escaped, every title a plain string (vis-network shows it as text), the
  heading and legend HTML-escaped, no menus. Nothing is written but the output file.
"""

from __future__ import annotations

import html
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from pyvis.network import Network

from graph.errors import DhrkgError
from graph.model.labels import code_label
from graph.model.terms import AGENCY_TYPES, THEMES
from graph.store.base import GraphStore
from graph.views import VIEWS
from graph.views.files import write_to
from graph.views.networks import to_networkx

VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
NETWORK_JS = Path(__file__).parent / "static" / "network.js"
SEED = 42

_THEME_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                  "#ff9da7", "#9c755f", "#bab0ac", "#d37295"]
_TYPE_COLOURS = ["#111827", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
                 "#e6550d", "#31a354", "#756bb1", "#636363", "#9ecae1", "#fdae6b", "#a1d99b"]
_REVIEW_COLOUR = "#6b7280"
_SHAPES = {"agency": "dot", "recommendation": "dot", "review": "square", "theme": "diamond"}


def colour(kind: str, group: str) -> str:
    """The colour of a node: agencies by type, recommendations and themes by theme."""
    if kind == "agency" and group in AGENCY_TYPES:
        return _TYPE_COLOURS[sorted(AGENCY_TYPES).index(group) % len(_TYPE_COLOURS)]
    top = group.split(".")[0]
    if kind in ("recommendation", "theme") and top in THEMES:
        return _THEME_COLOURS[(int(top[1:]) - 1) % len(_THEME_COLOURS)]
    if kind == "review" and group.isdigit():
        return _THEME_COLOURS[(int(group) - 1) % len(_THEME_COLOURS)]
    return _REVIEW_COLOUR


@dataclass(frozen=True)
class Drawing:
    """A view ready to draw: nodes and edges as vis-network wants them, a legend, options."""

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[tuple[str, str, str]]  # (label, colour, shape)
    options: dict[str, Any]

    def data(self) -> dict[str, Any]:
        return {"title": self.title, "nodes": self.nodes, "edges": self.edges,
                "legend": self.legend, "options": self.options}


CORE_LIMIT = 500
"""At most this many nodes go through the force layout; the rest are placed from them."""


def layout(graph: nx.Graph, seed: int = SEED) -> dict[Any, tuple[float, float]]:
    """Seeded positions: a force layout of the core, everything else placed from it.

    The core is every node but the leaves for a small graph, and the best-connected
    ``CORE_LIMIT`` nodes for a large one; a leaf goes on a ring around its neighbour, any
    other node near the middle of its placed neighbours. A 5,000-node / 20,000-edge view
    is laid out in well under a second, and the same graph always gets the same picture.
    """
    if graph.number_of_nodes() == 0:
        return {}
    rng = random.Random(seed)
    order = sorted(graph, key=lambda n: (-graph.degree(n), str(n)))
    leaves = {n for n in graph if graph.degree(n) == 1}
    if graph.number_of_nodes() - len(leaves) <= CORE_LIMIT:
        core = [n for n in order if n not in leaves] or order[:1]
    else:
        core = order[:CORE_LIMIT]
    sub = graph.subgraph(core)
    if len(core) > 1:
        positions = nx.spring_layout(sub, seed=seed, iterations=50 if len(core) <= 200 else 30, weight=None)
    else:
        positions = {core[0]: (0.0, 0.0)}
    scale = 70 * math.sqrt(len(core))
    placed: dict[Any, tuple[float, float]] = {
        n: (float(x) * scale, float(y) * scale) for n, (x, y) in positions.items()}

    ring: dict[Any, list[Any]] = {}
    pending = [n for n in order if n not in placed]
    for node in pending:
        if node in leaves:
            ring.setdefault(next(iter(graph[node])), []).append(node)
    for node in pending:  # in order of degree: well-connected nodes first anchor the rest
        if node in leaves:
            continue
        near = [placed[m] for m in graph[node] if m in placed]
        if near:
            cx, cy = sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near)
        else:
            cx, cy = rng.uniform(-scale, scale), rng.uniform(-scale, scale)
        placed[node] = (cx + rng.gauss(0, 18), cy + rng.gauss(0, 18))
    for anchor, group in ring.items():
        ax, ay = placed.get(anchor, (0.0, 0.0))
        radius = 25 + 6 * math.sqrt(len(group))
        start = rng.random() * 2 * math.pi
        for i, leaf in enumerate(group):
            angle = start + 2 * math.pi * i / len(group)
            distance = radius * (1 + 0.35 * (i % 3))
            placed[leaf] = (ax + distance * math.cos(angle), ay + distance * math.sin(angle))
    return placed


def drawing(graph: nx.Graph, *, title: str) -> Drawing:
    """Turn a network view into a drawing: positions, colours, sizes, tooltips, legend."""
    positions = layout(graph)
    big = graph.number_of_nodes() > 2000
    nodes = []
    legend: dict[tuple[str, str], tuple[str, str, str]] = {}
    for node, data in graph.nodes(data=True):
        kind = str(data.get("kind", "node"))
        group = str(data.get("group", ""))
        x, y = positions.get(node, (0.0, 0.0))
        weight = math.log1p(float(data.get("size") or graph.degree(node)))
        size = (12 + 5 * weight) if kind in ("agency", "theme") else (6 + 2 * weight)
        label = str(data.get("label", node))
        if kind == "recommendation":  # the text is in the tooltip; a label would bury the graph
            label = str(data.get("number") or "")
        nodes.append({
            "id": str(node), "label": label, "title": str(data.get("title", label)),
            "color": colour(kind, group), "shape": _SHAPES.get(kind, "dot"), "size": round(size, 1),
            "x": round(x, 1), "y": round(y, 1), "kind": kind, "group": group,
        })
        legend[(kind, group)] = _legend_entry(kind, group)
    edges = [
        {"from": str(a), "to": str(b), "title": str(data.get("title", "")),
         "width": round(1 + min(6.0, math.log1p(float(data.get("weight", 1)))), 2)}
        for a, b, data in graph.edges(data=True)
    ]
    net = Network(directed=False, cdn_resources="remote")
    net.nodes, net.edges = nodes, edges  # built directly: pyvis's add_edge is quadratic
    net.toggle_physics(False)  # the computed layout reads better than a settled one, even when small
    options = json.loads(net.options.to_json())  # pyvis's defaults, then what large views need
    options["edges"] = {"smooth": False, "color": {"inherit": False, "color": "#b8bfcc", "highlight": "#3c4f8f"}}
    options["interaction"] = {"hover": True, "tooltipDelay": 80, "hideEdgesOnDrag": big, "navigationButtons": False}
    options["physics"] = {"enabled": False}
    options["nodes"] = {"font": {"size": 12, "face": "system-ui, sans-serif", "strokeWidth": 3},
                        "borderWidth": 1, "scaling": {"label": {"drawThreshold": 4}}}
    options["layout"] = {"randomSeed": SEED, "improvedLayout": False}
    return Drawing(title, nodes, edges, sorted(legend.values()), options)


def _legend_entry(kind: str, group: str) -> tuple[str, str, str]:
    if kind == "agency":
        return (f"Agency: {group} {code_label(group)}", colour(kind, group), "dot")
    if kind in ("recommendation", "theme"):
        top = group.split(".")[0]
        what = "Recommendation" if kind == "recommendation" else "Theme"
        return (f"{what}: {top} {code_label(top)}", colour(kind, group), _SHAPES[kind])
    if kind == "review" and group.isdigit():
        return (f"Review in community {group}", colour(kind, group), "square")
    return ("Review", _REVIEW_COLOUR, "square")


def safe_json(value: Any) -> str:
    """JSON that can sit inside an HTML script element: no ``<``, ``>`` or ``&`` survives.

    >>> safe_json({"t": "</script><img src=x onerror=alert(1)>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    return (json.dumps(value, ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def legend_html(legend: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<span><span class="swatch {html.escape(shape)}" style="background:{html.escape(col)}"></span>'
        f"{html.escape(label)}</span>" for label, col, shape in legend)
    return f'<div class="legend">{items}</div>'


def standalone_html(drawn: Drawing) -> str:
    """One self-contained, offline HTML file: vis-network, data and script inline."""
    vis_js = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    script = NETWORK_JS.read_text(encoding="utf-8")
    title = html.escape(drawn.title)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<style>{vis_css}
body {{ margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1d2330; }}
header {{ padding: .6rem 1rem; border-bottom: 1px solid #d9dde5; }}
h1 {{ font-size: 1.2rem; margin: 0 0 .3rem; }}
.legend {{ display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .85rem; }}
.swatch {{ display: inline-block; width: .8rem; height: .8rem; border-radius: 50%; margin-right: .3rem; vertical-align: middle; }}
.swatch.square {{ border-radius: 0; }} .swatch.diamond {{ transform: rotate(45deg); border-radius: 0; }}
#network {{ width: 100%; height: calc(100vh - 6rem); }}
div.vis-tooltip {{ max-width: 28rem; white-space: normal; }}
</style></head>
<body><header><h1>{title}</h1>{legend_html(drawn.legend)}
<div class="muted">{len(drawn.nodes):,} nodes, {len(drawn.edges):,} edges. Hover for details; scroll to zoom.</div></header>
<div id="network" data-source="embedded"></div>
<script type="application/json" id="graph-data">{safe_json(drawn.data())}</script>
<script>{vis_js}</script>
<script>{script}</script>
</body></html>
"""


TITLES = {
    "agency-recommendation": "Agencies and the recommendations they received",
    "review": "Reviews linked by shared failures",
    "theme-agency": "Themes and the agencies they are addressed to",
    "review-ego": "One review, its recommendations, agencies, themes and linked reviews",
}


def view_drawing(store: GraphStore, kind: str, *, review: str | None = None, collapse: bool = False,
                 **filters: Any) -> Drawing:
    """A network view of the store, ready to draw."""
    if kind not in VIEWS:
        raise DhrkgError(f"unknown view {kind!r}; views: {', '.join(VIEWS)}")
    graph = to_networkx(store, kind, review=review, collapse=collapse, **filters)
    chosen = {k: v for k, v in filters.items() if v is not None}
    suffix = "".join(f" · {k.replace('_', ' ')} {v}" for k, v in chosen.items())
    title = TITLES[kind] + (" (collapsed by theme)" if collapse else "") + suffix
    return drawing(graph, title=title)


def write_view(store: GraphStore, kind: str, out: Path, **options: Any) -> Drawing:
    """Write a view as one self-contained HTML file at ``out`` (and nowhere else)."""
    drawn = view_drawing(store, kind, **options)
    write_to(out, lambda path: path.write_text(standalone_html(drawn), encoding="utf-8"))
    return drawn
