"""Interactive network views: networkx graphs drawn with vis-network (shipped by pyvis).

What was measured and how it shapes this module:

- vis-network's physics takes ~1.6 s per iteration on 5,000 nodes / 20,000 edges, so
  positions are computed in Python (:mod:`graph.views.layout`: seeded, rings for the ego view,
  labels spread apart) and physics is off; smooth edges are off (9x faster). The page fits
  the drawing to the window once drawn; shapes and colours come from :mod:`graph.views.palette`.
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
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from pyvis.network import Network

from graph.errors import DhrkgError
from graph.store.base import GraphStore
from graph.views import VIEWS
from graph.views.files import write_to
from graph.views.layout import FONT, SEED, box, force_layout, ring_layout, spread
from graph.views.networks import to_networkx
from graph.views.palette import (
    CENTRE_COLOUR,
    REVIEW_COLOUR,
    SHAPES,
    agency_colour,
    legend_entry,
    theme_colour,
)

VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
NETWORK_JS = Path(__file__).parent / "static" / "network.js"
NETWORK_CSS = NETWORK_JS.with_name("network.css")
COMMUNITY_COLOURS = ["#77AADD", "#EE8866", "#EEDD88", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#DDDDDD"]
"""Review boxes of the review view, by community (Paul Tol's "light" scheme: that view has no
agencies or themes, so these never sit beside the other palettes)."""


def colour(kind: str, group: str) -> str:
    """The colour of a node: agencies by type family, recommendations and themes by theme,
    reviews by community.

    >>> colour("agency", "A01") != colour("theme", "T2")
    True
    """
    if kind == "agency":
        return agency_colour(group)
    if kind in ("recommendation", "theme"):
        return theme_colour(group)
    if group == "centre":
        return CENTRE_COLOUR
    if group.isdigit():
        return COMMUNITY_COLOURS[(int(group) - 1) % len(COMMUNITY_COLOURS)]
    return REVIEW_COLOUR


@dataclass(frozen=True)
class Drawing:
    """A view ready to draw: nodes and edges as vis-network wants them, a legend, options."""

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[tuple[str, str, str]]  # (label, colour, shape)
    options: dict[str, Any]
    empty: str | None = None  # why there is nothing to draw, when there is nothing

    def data(self) -> dict[str, Any]:
        return {"title": self.title, "nodes": self.nodes, "edges": self.edges,
                "legend": self.legend, "options": self.options, "empty": self.empty}


def layout(graph: nx.Graph, seed: int = SEED) -> dict[Hashable, tuple[float, float]]:
    """Seeded positions for a view: rings for the ego view, a force layout otherwise, then,
    for a view small enough to show every label, nodes spread until no two labels overlap."""
    boxes = {node: box(_shape(data), _label(data, node), _size(graph, node, data))
             for node, data in graph.nodes(data=True)}
    if graph.graph.get("view") == "review-ego":
        positions = ring_layout(graph, boxes)
    else:  # wider than tall, as windows are: labels are wide, so spreading would stack them
        positions = {node: (1.6 * x, y) for node, (x, y) in force_layout(graph, seed).items()}
    return spread(positions, boxes)


def _shape(data: dict[str, Any]) -> str:
    return SHAPES.get(str(data.get("kind", "")), "dot")


def _label(data: dict[str, Any], node: Hashable) -> str:
    return str(data.get("label", node))


def _size(graph: nx.Graph, node: Hashable, data: dict[str, Any]) -> float:
    """The node's radius: agencies by what they received, themes by their links, the rest small."""
    kind = str(data.get("kind", ""))
    if kind == "agency":
        return round(8 + 4 * math.log1p(float(data.get("size") or graph.degree(node))), 1)
    if kind == "theme":
        return round(10 + 3 * math.log1p(float(graph.degree(node))), 1)
    if kind == "recommendation":
        return 6.0
    return 10.0


def drawing(graph: nx.Graph, *, title: str) -> Drawing:
    """Turn a network view into a drawing: positions, shapes, colours, sizes, tooltips, legend."""
    positions = layout(graph)
    big = graph.number_of_nodes() > 2000
    nodes = []
    legend: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for node, data in graph.nodes(data=True):
        kind = str(data.get("kind", "node"))
        group = str(data.get("group", ""))
        x, y = positions.get(node, (0.0, 0.0))
        label = _label(data, node)
        nodes.append({
            "id": str(node), "label": label, "title": str(data.get("title", label)),
            "color": colour(kind, group), "shape": _shape(data), "size": _size(graph, node, data),
            "x": round(x, 1), "y": round(y, 1), "kind": kind, "group": group,
        })
        entry = legend_entry(kind, group)
        if kind == "review" and group.isdigit():
            entry = (f"Review in community {group}", colour(kind, group), SHAPES["review"])
        legend[entry] = entry
    edges = [
        {"from": str(a), "to": str(b), "title": str(data.get("title", "")),
         "width": round(1 + min(6.0, math.log1p(float(data.get("weight", 1)))), 2)}
        for a, b, data in graph.edges(data=True)
    ]
    net = Network(directed=False, cdn_resources="remote")
    net.nodes, net.edges = nodes, edges  # built directly: pyvis's add_edge is quadratic
    net.toggle_physics(False)  # the computed layout reads better than a settled one, even when small
    options = json.loads(net.options.to_json())  # pyvis's defaults, then what large views need
    options["edges"] = {"smooth": False, "color": {"inherit": False, "color": "#c3c8d4", "highlight": "#3c4f8f"}}
    options["interaction"] = {"hover": True, "tooltipDelay": 80, "hideEdgesOnDrag": big, "navigationButtons": False}
    options["physics"] = {"enabled": False}
    options["nodes"] = {"font": {"size": FONT, "face": "system-ui, sans-serif", "strokeWidth": 3},
                        "borderWidth": 1, "color": {"border": "#4b5563"}, "shapeProperties": {"interpolation": False},
                        "scaling": {"label": {"drawThreshold": 4}}}
    options["layout"] = {"randomSeed": SEED, "improvedLayout": False}
    kinds = ["review", "agency", "recommendation", "theme"]
    ordered = sorted(legend.values(), key=lambda e: (kinds.index(_kind_of(e)), e[0]))
    return Drawing(title, nodes, edges, ordered, options, graph.graph.get("empty"))


def _kind_of(entry: tuple[str, str, str]) -> str:
    return {"box": "review", "dot": "agency", "square": "recommendation"}.get(entry[2], "theme")


def safe_json(value: Any) -> str:
    """JSON that can sit inside an HTML script element: no ``<``, ``>`` or ``&`` survives.

    >>> safe_json({"t": "</script><img src=x onerror=alert(1)>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    return (json.dumps(value, ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def legend_html(legend: list[tuple[str, str, str]]) -> str:
    """A compact legend that opens on demand and floats over the drawing, so it never pushes
    the graph below the fold: closed, it is one line with the shapes."""
    shapes = "".join(f'<span><span class="swatch {shape}"></span>{what}</span>' for what, shape in (
        ("review", "box"), ("agency", "dot"), ("recommendation", "square"), ("theme", "diamond")))
    items = "".join(
        f'<li><span class="swatch {html.escape(shape)}" data-colour="{html.escape(col)}" '
        f'style="background:{html.escape(col)}"></span>{html.escape(label)}</li>' for label, col, shape in legend)
    return f'<details class="legend"><summary>Legend {shapes}</summary><ul>{items}</ul></details>'


def standalone_html(drawn: Drawing) -> str:
    """One self-contained, offline HTML file: vis-network, data and script inline. The drawing
    fills the window under a one-line heading; the legend floats over it."""
    vis_js = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    script = NETWORK_JS.read_text(encoding="utf-8")
    own_css = NETWORK_CSS.read_text(encoding="utf-8")
    title = html.escape(drawn.title)
    empty = f'<p class="empty">Nothing to draw: {html.escape(drawn.empty)}.</p>' if drawn.empty else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<style>{vis_css}
html, body {{ height: 100%; }}
body {{ margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1d2330; display: flex; flex-direction: column; }}
header {{ padding: .4rem 1rem; border-bottom: 1px solid #d9dde5; display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }}
h1 {{ font-size: 1.1rem; margin: 0; }}
.muted {{ color: #5b6475; font-size: .85rem; }}
{own_css}
.network-frame {{ flex: 1; min-height: 0; }}
#network {{ width: 100%; height: 100%; }}
div.vis-tooltip {{ max-width: 28rem; white-space: normal; }}
</style></head>
<body><header><h1>{title}</h1>
<span class="muted">{len(drawn.nodes):,} nodes, {len(drawn.edges):,} edges. Hover for details; scroll to zoom.</span></header>
<div class="network-frame">{legend_html(drawn.legend)}{empty}<div id="network" data-source="embedded"></div></div>
<script type="application/json" id="graph-data">{safe_json(drawn.data())}</script>
<script>{vis_js}</script>
<script>{script}</script>
</body></html>
"""


TITLES = {
    "agency-recommendation": "Agencies and the recommendations they received",
    "review": "Reviews linked by shared failures",
    "theme-agency": "Themes and the agencies they are addressed to",
    "review-ego": "One review, its recommendations (coloured by theme), their agencies and linked reviews",
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
