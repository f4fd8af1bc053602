"""The HTML pages of the graph's entities: home, search, review, agency, theme, agency type
and CSP. Each reads through the shipped named queries (trusted SPARQL, bound parameters);
a user's own SPARQL goes through the query page and the endpoint instead."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from graph.analysis.pipeline import why_no_links
from graph.errors import DhrkgError
from graph.model.labels import code_label, natural_key, review_label
from graph.model.terms import AGENCY_TYPES, ID, SCHEMES, SKOS, THEMES
from graph.store.known_names import check_agency, check_csp, check_review
from graph.store.named_queries import internal_query
from graph.store.prefixes import compact_name
from graph.web.context import AppContext, context
from graph.web.errors import NOT_FOUND
from graph.web.templating import templates

router = APIRouter(include_in_schema=False)

_SAFE_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*(/[A-Za-z0-9][A-Za-z0-9._~-]*)*$")


def entity_iri(kind: str, path: str) -> str:
    """The IRI of the entity a page address names, or a 404 for an address that cannot be one."""
    if not _SAFE_PATH.match(path) or ".." in path.split("/"):
        raise DhrkgError(NOT_FOUND, status=404)
    return str(ID[f"{kind}/{path}"])


async def named_rows(ctx: AppContext, name: str, **params: object) -> list[dict[str, Any]]:
    """The rows of a named query, run off the event loop."""
    return (await run_in_threadpool(ctx.store.named, name, **params)).to_dicts()


async def internal_rows(ctx: AppContext, name: str, **params: object) -> list[dict[str, Any]]:
    """The rows of one of dhrkg's own queries (``graph/queries/internal``), off the event loop."""
    query = internal_query(name)
    result = await run_in_threadpool(ctx.store.query, query.text, bindings=query.bindings(params))
    return result.to_dicts()


_CLOSEST = {"review": check_review, "agency": check_agency, "csp": check_csp}


async def _facts(ctx: AppContext, kind: str, path: str, **params: object) -> list[dict[str, Any]]:
    """An entity's own facts (its internal query has the kind's name), or a 404 naming the
    closest entities of that kind the graph has."""
    facts = await internal_rows(ctx, kind, **params)
    if not facts:
        wanted = path if kind == "csp" else f"{kind}/{path}"
        await run_in_threadpool(_CLOSEST[kind], ctx.store, wanted)  # raises UnknownName (404) with names
        raise DhrkgError(f"No {kind} {path} in this graph.", status=404)
    return facts


def page(request: Request, template: str, status: int = 200, **values: Any) -> Response:
    """A page rendered from its template (autoescaped)."""
    return templates.TemplateResponse(request, template, values, status_code=status)


@router.get("/")
async def home(request: Request, ctx: AppContext = Depends(context)) -> Response:
    return page(
        request, "home.html",
        stats=await run_in_threadpool(ctx.store.stats),
        recent=await internal_rows(ctx, "recent-reviews"),
        agencies=(await named_rows(ctx, "recommendations-per-agency"))[:10],
        themes=await named_rows(ctx, "recommendations-per-theme"),
    )


SEARCH_LIMIT = 200
"""Each group of search results shows at most this many (the queries stop there)."""


@router.get("/search")
async def search(request: Request, q: str = "", ctx: AppContext = Depends(context)) -> Response:
    """Reviews (by CSP, pseudonym, identifier or title), CSPs, agencies and recommendations
    whose words contain the search, each kind in its own group."""
    words = " ".join(q.split())[:200]
    groups: dict[str, list[dict[str, Any]]] = {"reviews": [], "csps": [], "agencies": [], "recommendations": []}
    if words:
        groups = {
            "reviews": await internal_rows(ctx, "search-reviews", text=words),
            "csps": await internal_rows(ctx, "search-csps", text=words),
            "agencies": await internal_rows(ctx, "search-agencies", text=words),
            "recommendations": await internal_rows(ctx, "search", text=words),
        }
    for row in groups["recommendations"]:
        row["addressees"] = [tuple(line.split(" ", 1)) for line in str(row.get("agencies") or "").splitlines()]
    return page(request, "search.html", q=words, groups=groups, limit=SEARCH_LIMIT)


@router.get("/review/{path:path}")
async def review(request: Request, path: str, ctx: AppContext = Depends(context)) -> Response:
    iri = entity_iri("review", path)
    facts = await _facts(ctx, "review", path, review=iri)
    addressees: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in await internal_rows(ctx, "review-addressees", review=iri):
        addressees[str(row["recommendation"])].append((str(row["agency"]), str(row["name"])))
    linked = await named_rows(ctx, "linked-reviews", review=iri)
    actions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await internal_rows(ctx, "review-actions", review=iri):
        actions[str(row["recommendation"])].append(row)
    history: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await internal_rows(ctx, "review-status-history", review=iri):
        history[str(row["recommendation"])].append(row)
    curated = Curated(await internal_rows(ctx, "review-corrections", review=iri))
    return page(
        request, "review.html", iri=iri, review=facts[0], label=review_label(facts[0]), addressees=addressees,
        curated=curated, writable=ctx.settings.allow_update, compact=compact_name,
        recommendations=await named_rows(ctx, "recommendations-of-review", review=iri), linked=linked,
        no_links=None if linked else await run_in_threadpool(why_no_links, ctx.store),
        sources=await internal_rows(ctx, "review-sources", review=iri),
        characteristics=await internal_rows(ctx, "review-characteristics", review=iri),
        failures=await named_rows(ctx, "failures-of-review", review=iri),
        actions=actions, history=history,
    )


class Curated:
    """What curators corrected in recommendations (a review's, or those an agency received),
    arranged for a page: each recommendation's corrections, and what each theme or addressee
    shown was curated by (a tooltip)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.shown: dict[tuple[str, str], str] = {}  # (recommendation, theme code or agency IRI) → who and why
        self.removed: dict[str, list[tuple[str, str]]] = defaultdict(list)  # recommendation → (theme code, why)
        for row in rows:
            recommendation, value = str(row["recommendation"]), str(row["value"])
            row["date"] = str(row["at"])[:10]
            row["why"] = (f"{row['effect']} by {row['curator']}, {row['date']}"
                          + (f": {row['note']}" if row.get("note") else ""))
            self.rows[recommendation].append(row)
            if row["effect"] == "removed":
                if row["kind"] == "theme":
                    self.removed[recommendation].append((value, str(row["why"])))
            else:
                self.shown[(recommendation, value)] = str(row["why"])

    def why(self, recommendation: str, value: str) -> str | None:
        """Who curated a theme code or an addressee shown for a recommendation, if a curator did."""
        return self.shown.get((recommendation, value))


@router.get("/agency/{path:path}")
async def agency(request: Request, path: str, ctx: AppContext = Depends(context)) -> Response:
    iri = entity_iri("agency", path)
    facts = await _facts(ctx, "agency", path, agency=iri)
    by_theme: dict[str, dict[str, int]] = defaultdict(dict)
    years: set[str] = set()
    for row in await internal_rows(ctx, "agency-themes-by-year", agency=iri):
        by_theme[f"{row['themeCode']} {row['themeLabel']}"][str(row["year"])] = int(row["recommendations"])
        years.add(str(row["year"]))
    related: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in await internal_rows(ctx, "agency-relations", agency=iri):
        related[str(row["relation"])].append((str(row["body"]), str(row.get("name") or row["body"])))
    received = await named_rows(ctx, "recommendations-of-agency", agency=iri)
    received.sort(key=lambda r: (str(r["review"]), natural_key(r.get("number"))))  # stable: page order breaks ties
    return page(
        request, "agency.html", iri=iri, agency=facts[0], related=related, recommendations=received,
        corrections=[{**row, "date": str(row["at"])[:10]} for row in await internal_rows(ctx, "agency-corrections",
                                                                                     agency=iri)],
        curated=Curated(await internal_rows(ctx, "agency-received-corrections", agency=iri)),
        writable=ctx.settings.allow_update,
        compact=compact_name,
        by_theme=dict(sorted(by_theme.items(), key=lambda item: natural_key(item[0]))), years=sorted(years),
        outstanding=await named_rows(ctx, "outstanding-recommendations", agency=iri),
        overdue=await named_rows(ctx, "overdue-actions", agency=iri),
    )


@router.get("/theme/{code}")
async def theme(request: Request, code: str, ctx: AppContext = Depends(context)) -> Response:
    if code not in THEMES:
        raise DhrkgError(f"No theme {code}.", status=404)
    narrower = sorted((str(SCHEMES.value(n, SKOS.notation)), str(SCHEMES.value(n, SKOS.prefLabel)))
                      for n in SCHEMES.objects(THEMES[code], SKOS.narrower))
    return page(request, "theme.html", code=code, label=code_label(code), narrower=narrower,
                rows=await internal_rows(ctx, "theme", theme=code))


@router.get("/agency-type/{code}")
async def agency_type(request: Request, code: str, ctx: AppContext = Depends(context)) -> Response:
    if code not in AGENCY_TYPES:
        raise DhrkgError(f"No agency type {code}.", status=404)
    rows = [r for r in await named_rows(ctx, "recommendations-per-agency") if r.get("type") == code]
    return page(request, "agency_type.html", code=code, rows=rows, label=code_label(code))


@router.get("/csp/{path:path}")
async def csp(request: Request, path: str, ctx: AppContext = Depends(context)) -> Response:
    iri = entity_iri("csp", path)
    facts = await _facts(ctx, "csp", path, csp=iri)
    reviews = await named_rows(ctx, "reviews-of-csp", csp=facts[0]["name"])
    return page(request, "csp.html", csp=facts[0], reviews=reviews,
                outstanding=await named_rows(ctx, "outstanding-recommendations", csp=facts[0]["name"]),
                overdue=await named_rows(ctx, "overdue-actions", csp=facts[0]["name"]))
