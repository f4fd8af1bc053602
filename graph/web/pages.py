"""The HTML pages: home, search, review, agency, theme, CSP, query, and entity IRIs.

Pages read through trusted named queries (``graph/queries``); the query page runs a user's
SPARQL through the executor, with the server's limits. Every entity IRI minted by dhrkg
(``…/id/review/…``) dereferences here: HTML for browsers, RDF for everything else.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from graph.errors import DhrkgError, QueryError
from graph.model.labels import code_label, review_label
from graph.model.terms import AGENCY_TYPES, ID, SCHEMES, SKOS, THEMES
from graph.store.base import GraphStore
from graph.store.named_queries import internal_query, named_queries
from graph.store.results import Format, Result
from graph.views.html import NETWORK_JS, TITLES, VIS_DIR, Drawing, safe_json, view_drawing
from graph.web.negotiation import choose, prefers_html

templates = Jinja2Templates(env=Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True))
"""Every value is escaped: review text is untrusted."""

_SAFE_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*(/[A-Za-z0-9][A-Za-z0-9._~-]*)*$")
_KINDS = ("review", "agency", "csp")
_CONCEPT_PATHS = {str(iri): f"/theme/{code}" for code, iri in THEMES.items()} | {
    str(iri): f"/agency-type/{code}" for code, iri in AGENCY_TYPES.items()}


def local_path(iri: object) -> str | None:
    """The page of a node of the graph, if it has one.

    >>> local_path("https://w3id.org/dhrkg/id/review/ab12"), local_path("https://example.org/x")
    ('/review/ab12', None)
    """
    text = str(iri or "")
    if text in _CONCEPT_PATHS:
        return _CONCEPT_PATHS[text]
    if text.startswith(str(ID)):
        rest = text[len(str(ID)):]
        kind = rest.split("/", 1)[0]
        return f"/{rest}" if kind in _KINDS else f"/id/{rest}"
    return None


def _entity(kind: str, path: str) -> str:
    if not _SAFE_PATH.match(path) or ".." in path.split("/"):
        raise DhrkgError("There is nothing at this address.", status=404)
    return str(ID[f"{kind}/{path}"])


templates.env.globals["local_path"] = local_path
templates.env.filters["label"] = code_label


async def _named(request: Request, name: str, **params: object) -> list[dict[str, Any]]:
    store: GraphStore = request.app.state.store
    return (await run_in_threadpool(store.named, name, **params)).to_dicts()


async def _internal(request: Request, name: str, **params: object) -> list[dict[str, Any]]:
    store: GraphStore = request.app.state.store
    query = internal_query(name)
    result = await run_in_threadpool(store.query, query.text, bindings=query.bindings(params))
    return result.to_dicts()


async def _facts(request: Request, kind: str, path: str, **params: object) -> list[dict[str, Any]]:
    """An entity's own facts (its internal query has the kind's name), or a 404."""
    facts = await _internal(request, kind, **params)
    if not facts:
        raise DhrkgError(f"No {kind} {path} in this graph.", status=404)
    return facts


def _view(request: Request, view: str) -> Drawing:
    """The drawing of a network view with the filters of the request."""
    if view not in TITLES:
        raise DhrkgError(f"No network view {view}.", status=404)
    params = request.query_params
    year = params.get("year")
    if year and not year.isdigit():
        raise DhrkgError("year must be a number", status=400)
    return view_drawing(
        request.app.state.store, view, review=params.get("review") or None,
        collapse=params.get("collapse") in ("1", "true", "on"),
        csp=params.get("csp") or None, region=params.get("region") or None, year=int(year) if year else None,
        theme=params.get("theme") or None, agency_type=params.get("agency_type") or None)


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, template, context, status_code=status)


def pages_router() -> APIRouter:
    router = APIRouter()

    @router.get("/", include_in_schema=False)
    async def home(request: Request) -> Response:
        store: GraphStore = request.app.state.store
        return _page(
            request, "home.html",
            stats=await run_in_threadpool(store.stats),
            recent=await _internal(request, "recent-reviews"),
            agencies=(await _named(request, "recommendations-per-agency"))[:10],
            themes=await _named(request, "recommendations-per-theme"),
            review_label=review_label,
        )

    @router.get("/search", include_in_schema=False)
    async def search(request: Request, q: str = "") -> Response:
        words = " ".join(q.split())[:200]
        rows = await _internal(request, "search", text=words) if words else []
        return _page(request, "search.html", q=words, rows=rows)

    @router.get("/review/{path:path}", include_in_schema=False)
    async def review(request: Request, path: str) -> Response:
        iri = _entity("review", path)
        facts = await _facts(request, "review", path, review=iri)
        addressees: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in await _internal(request, "review-addressees", review=iri):
            addressees[str(row["recommendation"])].append((str(row["agency"]), str(row["name"])))
        return _page(
            request, "review.html", iri=iri, review=facts[0], label=review_label(facts[0]), addressees=addressees,
            recommendations=await _named(request, "recommendations-of-review", review=iri),
            linked=await _named(request, "linked-reviews", review=iri),
            sources=await _internal(request, "review-sources", review=iri),
            characteristics=await _internal(request, "review-characteristics", review=iri),
            failures=await _named(request, "failures-of-review", review=iri),
        )

    @router.get("/agency/{path:path}", include_in_schema=False)
    async def agency(request: Request, path: str) -> Response:
        iri = _entity("agency", path)
        facts = await _facts(request, "agency", path, agency=iri)
        by_theme: dict[str, dict[str, int]] = defaultdict(dict)
        years: set[str] = set()
        for row in await _internal(request, "agency-themes-by-year", agency=iri):
            by_theme[f"{row['themeCode']} {row['themeLabel']}"][str(row["year"])] = int(row["recommendations"])
            years.add(str(row["year"]))
        return _page(
            request, "agency.html", iri=iri, agency=facts[0],
            recommendations=await _named(request, "recommendations-of-agency", agency=iri),
            by_theme=dict(sorted(by_theme.items())), years=sorted(years),
        )

    @router.get("/theme/{code}", include_in_schema=False)
    async def theme(request: Request, code: str) -> Response:
        if code not in THEMES:
            raise DhrkgError(f"No theme {code}.", status=404)
        concept = THEMES[code]
        narrower = sorted((str(SCHEMES.value(n, SKOS.notation)), str(SCHEMES.value(n, SKOS.prefLabel)))
                          for n in SCHEMES.objects(concept, SKOS.narrower))
        return _page(request, "theme.html", code=code, label=str(SCHEMES.value(concept, SKOS.prefLabel)),
                     narrower=narrower, rows=await _internal(request, "theme", theme=code))

    @router.get("/agency-type/{code}", include_in_schema=False)
    async def agency_type(request: Request, code: str) -> Response:
        if code not in AGENCY_TYPES:
            raise DhrkgError(f"No agency type {code}.", status=404)
        rows = [r for r in await _named(request, "recommendations-per-agency") if r.get("type") == code]
        return _page(request, "agency_type.html", code=code, rows=rows,
                     label=str(SCHEMES.value(AGENCY_TYPES[code], SKOS.prefLabel)))

    @router.get("/csp/{path:path}", include_in_schema=False)
    async def csp(request: Request, path: str) -> Response:
        iri = _entity("csp", path)
        facts = await _facts(request, "csp", path, csp=iri)
        reviews = await _named(request, "reviews-of-csp", csp=facts[0]["name"])
        return _page(request, "csp.html", csp=facts[0], reviews=reviews, review_label=review_label)

    @router.get("/query", include_in_schema=False)
    async def query_page(request: Request, query: str = "", named: str = "") -> Response:
        library = named_queries()
        params = {k[2:]: v for k, v in request.query_params.items() if k.startswith("p.") and v}
        chosen = library.get(named)
        text = query or (chosen.text if chosen else "")
        result: Result | None = None
        error: str | None = None
        if query or chosen:
            try:
                bindings = chosen.bindings(params) if chosen and not query else None
                result = await run_in_threadpool(request.app.state.executor.run, text, bindings=bindings)
            except QueryError as err:
                error = err.message
            except DhrkgError as err:
                error = err.message
        downloads = {}
        if result is not None and text and not (chosen and not query and chosen.params):
            for fmt in Format.for_kind(result.kind):
                downloads[fmt.label] = "/sparql?" + urlencode({"query": text, "format": fmt.label})
        return _page(request, "query.html", text=text, library=library, chosen=chosen, params=params,
                     result=result, rows=result.rows() if result and result.kind != "ask" else [],
                     error=error, downloads=downloads, max_rows=request.app.state.settings.max_rows)

    @router.get("/network", include_in_schema=False)
    async def networks(request: Request) -> Response:
        return _page(request, "networks.html", views=TITLES)

    @router.get("/network/{view}.json", include_in_schema=False)
    async def network_data(request: Request, view: str) -> Response:
        drawn = await run_in_threadpool(_view, request, view)
        return Response(safe_json(drawn.data()), media_type="application/json")

    @router.get("/network/{view}", include_in_schema=False)
    async def network_page(request: Request, view: str) -> Response:
        if view not in TITLES:
            raise DhrkgError(f"No network view {view}.", status=404)
        drawn = await run_in_threadpool(_view, request, view)
        query = urlencode({k: v for k, v in request.query_params.items() if v})
        return _page(request, "network.html", view=view, drawn=drawn, legend=drawn.legend,
                     source=f"/network/{view}.json" + (f"?{query}" if query else ""),
                     filters=request.query_params, views=TITLES)

    @router.get("/static/vendor/{name}", include_in_schema=False)
    async def vendored(name: str) -> Response:
        files = {"vis-network.min.js": (VIS_DIR, "application/javascript"), "vis-network.css": (VIS_DIR, "text/css"),
                 "network.js": (NETWORK_JS.parent, "application/javascript")}
        if name not in files:  # a fixed list: no path from the request reaches the disk
            raise DhrkgError("There is nothing at this address.", status=404)
        folder, media_type = files[name]
        return Response((folder / name).read_bytes(), media_type=media_type,
                        headers={"Cache-Control": "public, max-age=86400"})

    @router.get("/id/{path:path}", include_in_schema=False)
    async def dereference(request: Request, path: str) -> Response:
        iri = _entity(path.split("/", 1)[0], path.split("/", 1)[1]) if "/" in path else None
        if iri is None:
            raise DhrkgError("There is nothing at this address.", status=404)
        page = local_path(iri)
        accept = request.headers.get("accept")
        if prefers_html(accept) and page and not page.startswith("/id/"):
            return RedirectResponse(page, status_code=303)
        store: GraphStore = request.app.state.store
        describe = internal_query("describe")
        described = await run_in_threadpool(store.query, describe.text, bindings=describe.bindings({"node": iri}))
        if len(described) == 0:
            raise DhrkgError("There is nothing at this address.", status=404)
        fmt = choose("graph", accept) or Format.TURTLE
        return Response(described.serialize(fmt), media_type=f"{fmt.media_type}; charset=utf-8",
                        headers={"Vary": "Accept"})

    return router
