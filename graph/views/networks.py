"""Network views of the graph as networkx graphs: what ``dhrkg viz`` draws, what ``dhrkg
network --graphml`` exports for Gephi, and what analysts get from ``to_networkx``.

Views:

- ``agency-recommendation``: agencies linked to the recommendations they received, and
  recommendations to their reviews; ``collapse=True`` aggregates recommendations into
  agency–theme edges weighted by count, for large corpora;
- ``review``: reviews linked by shared failures, weighted by score;
- ``theme-agency``: themes linked to agencies, weighted by the recommendations between them;
- ``review-ego``: one review, its recommendations (coloured by theme), their agencies, and its
  linked reviews, in rings.

Every node has ``kind``, ``label`` and ``title`` (the full text, for tooltips); edges have
``weight`` and ``title``. Filters (``csp``, ``region``, ``year``, ``theme``, ``agency_type``)
apply to recommendations and reviews.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from graph.analysis.pipeline import analysis_state, why_no_links
from graph.errors import DhrkgError
from graph.model.filters import Filters
from graph.model.labels import code_label, review_label, review_short_label
from graph.model.terms import top_level
from graph.store.base import GraphStore
from graph.store.known_names import check_csp, check_region, check_review
from graph.store.named_queries import internal_query
from graph.views import VIEWS
from graph.views.files import write_to


def _rows(store: GraphStore, name: str) -> list[dict[str, Any]]:
    return store.query(internal_query(name).text).to_dicts()


def _reviews(store: GraphStore) -> dict[str, dict[str, Any]]:
    return {str(r["review"]): r for r in _rows(store, "network-reviews")}


def recommendation_rows(store: GraphStore, reviews: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One row per recommendation × addressee with what the views draw and filter by;
    ``reviews`` (from ``network-reviews``) is read here unless the caller has it already.

    Five simple queries joined here rather than one query with many OPTIONAL clauses and
    aggregates: measured, the single query took minutes on 1,000 generated reviews."""
    reviews = reviews if reviews is not None else _reviews(store)
    agencies = {str(r["agency"]): r for r in _rows(store, "addressee-names")}
    themes: dict[str, list[tuple[int, str]]] = {}
    for recommendation, rank, code in store.query(internal_query("recommendation-theme-ranks").text).rows():
        themes.setdefault(str(recommendation), []).append((int(str(rank)), str(code)))
    curated = {str(r) for r, in store.query(internal_query("curated-recommendations").text).rows()}
    addressed: dict[str, list[str]] = {}
    for recommendation, agency in store.query(internal_query("recommendation-agencies").text).rows():
        addressed.setdefault(str(recommendation), []).append(str(agency))
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for recommendation, review, text, number in store.query(internal_query("network-recommendations").text).rows():
        rec = str(recommendation)
        ranked = [code for _, code in sorted(themes.get(rec, []))]
        context = reviews.get(str(review), {})
        for agency in addressed.get(rec, []):
            if (rec, agency) in seen or agency not in agencies:
                continue
            seen.add((rec, agency))
            rows.append({
                "recommendation": rec, "text": str(text), "number": number, "review": str(review),
                "curated": rec in curated,
                "agency": agency, "agencyName": agencies[agency]["name"], "agencyType": agencies[agency].get("type"),
                "theme": ranked[0] if ranked else None, "themes": " ".join(ranked),
                "csp": context.get("csp"), "region": context.get("region"), "year": context.get("year"),
                "published": context.get("published"), "title": context.get("title"),
            })
    return rows


def to_networkx(store: GraphStore, view: str, *, review: str | None = None, collapse: bool = False,
                **filters: Any) -> nx.Graph:
    """A network view of the store as a networkx graph.

    >>> from graph import Store, ingest
    >>> from graph.resources import data_dir
    >>> store = Store(); _ = ingest(store, [data_dir() / "seed"])
    >>> g = to_networkx(store, "theme-agency")
    >>> sorted({d["kind"] for _, d in g.nodes(data=True)})
    ['agency', 'theme']
    """
    chosen = Filters(**filters)
    if view == "review-ego":
        if not review:
            raise DhrkgError("the review-ego view needs a review (its IRI or review/…)")
        return review_ego(store, check_review(store, review))
    if view == "agency-recommendation":
        graph = agency_recommendation(store, chosen, collapse=collapse)
    elif view == "review":
        graph = review_network(store, chosen)
    elif view == "theme-agency":
        graph = theme_agency(store, chosen)
    else:
        raise DhrkgError(f"unknown view {view!r}; views: {', '.join(VIEWS)}")
    if graph.number_of_nodes() == 0:
        graph.graph["empty"] = why_empty(store, view, chosen)
    return graph


def why_empty(store: GraphStore, view: str, filters: Filters) -> str:
    """Why a view has nothing to draw, in words a user can act on.

    :raises UnknownName: when a CSP or region filter names nothing in the graph (a typo,
        with the closest names), which is the likeliest reason of all.
    """
    if filters.csp is not None:
        check_csp(store, filters.csp)
    if filters.region is not None:
        check_region(store, filters.region)
    chosen = _described(filters)
    if view == "review":
        reason = why_no_links(store)
        if chosen and analysis_state(store) == "fresh":
            return f"no linked reviews match the filters ({chosen})"
        return reason
    if not chosen:
        return ("no review in this graph has recommendations yet "
                "(DHRD records have none: ingest summary pages or reports)")
    matching = sum(1 for row in _reviews(store).values() if filters.keeps_review(row))
    kind = " of that theme or agency type" if filters.theme or filters.agency_type else ""
    return (f"no reviews with recommendations match the filters ({chosen}): "
            f"{matching} review(s) match, none with recommendations{kind}")


def _described(filters: Filters) -> str:
    """The filters in force, as words: ``csp Kent, year 2016``."""
    return ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in vars(filters).items() if value is not None)


def agency_recommendation(store: GraphStore, filters: Filters = Filters(), *, collapse: bool = False) -> nx.Graph:
    rows = [r for r in recommendation_rows(store) if filters.keeps_recommendation(r)]
    graph = nx.Graph(view="agency-recommendation", collapsed=collapse)
    received: Counter[str] = Counter(str(r["agency"]) for r in rows)
    for row in rows:
        agency = str(row["agency"])
        graph.add_node(agency, kind="agency", label=str(row["agencyName"]), group=str(row.get("agencyType") or "A22"),
                       title=f"{row['agencyName']} ({code_label(str(row.get('agencyType') or 'A22'))}): "
                             f"{received[agency]} recommendation(s)", size=received[agency])
        theme_code = top_level(str(row.get("theme") or "T11.5"))
        if collapse:
            theme_node = f"theme:{theme_code}"
            graph.add_node(theme_node, kind="theme", label=f"{theme_code} {code_label(theme_code)}",
                           title=code_label(theme_code), group=theme_code)
            weight = graph.get_edge_data(agency, theme_node, {"weight": 0})["weight"] + 1
            graph.add_edge(agency, theme_node, weight=weight, title=f"{weight} recommendation(s)")
            continue
        rec = str(row["recommendation"])
        # Printed numbers repeat across reviews (and within one), so the label says whose it is.
        label = review_short_label(row) + (f" · {row['number']}" if row.get("number") else "")
        graph.add_node(rec, kind="recommendation", label=label, title=str(row["text"]) + _curated(row),
                       group=theme_code, theme=theme_code, number=str(row.get("number") or ""))
        graph.add_edge(agency, rec, weight=1, title=f"addressed to {row['agencyName']}")
        review = str(row["review"])
        graph.add_node(review, kind="review", label=review_label(row), title=review_label(row),
                       group="review", csp=str(row.get("csp") or ""))
        graph.add_edge(rec, review, weight=1, title="recommendation of")
    return graph


def review_network(store: GraphStore, filters: Filters = Filters()) -> nx.Graph:
    reviews = _reviews(store)
    graph = nx.Graph(view="review")
    for link in _rows(store, "network-links"):
        a, b = str(link["a"]), str(link["b"])
        if not (filters.keeps_review(reviews.get(a, {})) and filters.keeps_review(reviews.get(b, {}))):
            continue
        for node in (a, b):
            row = reviews.get(node, {})
            community = str(row.get("community") or "")
            graph.add_node(node, kind="review", label=review_label(row),
                           title=review_label(row) + (f" · community {community}" if community else ""),
                           group=community or "review", region=str(row.get("region") or ""), community=community)
        graph.add_edge(a, b, weight=float(link["score"]),
                       title=f"score {float(link['score']):.2f}: {link.get('sharedFailures') or ''}")
    return graph


def theme_agency(store: GraphStore, filters: Filters = Filters()) -> nx.Graph:
    rows = [r for r in recommendation_rows(store) if filters.keeps_recommendation(r)]
    graph = nx.Graph(view="theme-agency")
    received: Counter[str] = Counter(str(r["agency"]) for r in rows)
    for row in rows:
        agency = str(row["agency"])
        graph.add_node(agency, kind="agency", label=str(row["agencyName"]), group=str(row.get("agencyType") or "A22"),
                       title=f"{row['agencyName']} ({code_label(str(row.get('agencyType') or 'A22'))})",
                       size=received[agency])
        for code in sorted({top_level(c) for c in str(row.get("themes") or "").split()}):
            node = f"theme:{code}"
            graph.add_node(node, kind="theme", label=f"{code} {code_label(code)}", title=code_label(code), group=code)
            weight = graph.get_edge_data(agency, node, {"weight": 0})["weight"] + 1
            graph.add_edge(agency, node, weight=weight, title=f"{weight} recommendation(s)")
    return graph


def review_ego(store: GraphStore, review: str) -> nx.Graph:
    """One review at the centre, its recommendations around it (coloured by their first theme:
    themes are colour, not nodes), the agencies they are addressed to around those, and the
    reviews linked to it. The drawing lays it out in rings (``ring`` on each node)."""
    reviews = _reviews(store)
    rows = [r for r in recommendation_rows(store, reviews) if str(r["review"]) == review]
    graph = nx.Graph(view="review-ego", review=review)
    centre = reviews.get(review, {"id": review.rsplit("/", 1)[-1]})
    graph.add_node(review, kind="review", label=review_label(centre), title=review_label(centre), group="centre",
                   ring=0)
    received: Counter[str] = Counter(str(r["agency"]) for r in rows)
    for row in rows:
        rec, agency = str(row["recommendation"]), str(row["agency"])
        tops = dict.fromkeys(top_level(t) for t in str(row["themes"]).split())
        themes = "; ".join(f"{c} {code_label(c)}" for c in tops)
        # The review is the centre, so its recommendations need only their printed number.
        graph.add_node(rec, kind="recommendation", label=str(row.get("number") or "·"), group=top_level(
            str(row.get("theme") or "T11.5")), title=f"{row['text']} (themes: {themes}){_curated(row)}", ring=1,
            number=str(row.get("number") or ""))
        graph.add_edge(review, rec, weight=1, title="recommendation of")
        graph.add_node(agency, kind="agency", label=str(row["agencyName"]), group=str(row.get("agencyType") or "A22"),
                       title=f"{row['agencyName']} ({code_label(str(row.get('agencyType') or 'A22'))})",
                       size=received[agency], ring=2)
        graph.add_edge(rec, agency, weight=1, title="addressed to")
    for link in _rows(store, "network-links"):
        a, b = str(link["a"]), str(link["b"])
        if review in (a, b):
            other = b if a == review else a
            row = reviews.get(other, {})
            graph.add_node(other, kind="review", label=review_label(row), title=review_label(row), group="linked",
                           ring=3)
            graph.add_edge(review, other, weight=float(link["score"]),
                           title=f"score {float(link['score']):.2f}: {link.get('sharedFailures') or ''}")
    return graph


def write_graphml(graph: nx.Graph, path: Path) -> None:
    """Write a view as GraphML (for Gephi): attributes that are not plain values are dropped."""
    clean = nx.Graph(**{k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float, bool))})
    for node, data in graph.nodes(data=True):
        clean.add_node(node, **_plain(data.items()))
    for a, b, data in graph.edges(data=True):
        clean.add_edge(a, b, **_plain(data.items()))
    write_to(path, lambda out: nx.write_graphml(clean, out))


def _plain(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    return {k: v for k, v in items if isinstance(v, (str, int, float, bool))}


def _curated(row: dict[str, Any]) -> str:
    """The end of a recommendation's tooltip: whether a curator corrected its themes or addressees."""
    return " [curated]" if row.get("curated") else ""
