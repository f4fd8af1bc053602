"""The network views in the browser: a page per view with its filters, the view's data as
JSON (drawn by the same script as ``dhrkg viz``), and the script files, served from a fixed
list so that no path from a request reaches the disk."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from graph.errors import DhrkgError
from graph.store.known_names import UnknownName
from graph.views.html import NETWORK_JS, TITLES, VIS_DIR, Drawing, safe_json, view_drawing
from graph.web.context import AppContext, context
from graph.web.errors import NOT_FOUND
from graph.web.pages import page

router = APIRouter(include_in_schema=False)

_SCRIPTS = {
    "vis-network.min.js": (VIS_DIR, "application/javascript"),
    "vis-network.css": (VIS_DIR, "text/css"),
    "network.js": (NETWORK_JS.parent, "application/javascript"),
    "network.css": (NETWORK_JS.parent, "text/css"),
}


def _drawing(request: Request, ctx: AppContext, view: str) -> Drawing:
    """The drawing of a network view with the filters of the request."""
    if view not in TITLES:
        raise DhrkgError(f"No network view {view}.", status=404)
    params = request.query_params
    year = params.get("year")
    if year and not year.isdigit():
        raise DhrkgError("year must be a number", status=400)
    return view_drawing(
        ctx.store, view, review=params.get("review") or None,
        collapse=params.get("collapse") in ("1", "true", "on"),
        csp=params.get("csp") or None, region=params.get("region") or None, year=int(year) if year else None,
        theme=params.get("theme") or None, agency_type=params.get("agency_type") or None)


@router.get("/network")
async def networks(request: Request) -> Response:
    return page(request, "networks.html", views=TITLES)


@router.get("/network/{view}.json")
async def network_data(request: Request, view: str, ctx: AppContext = Depends(context)) -> Response:
    drawn = await run_in_threadpool(_drawing, request, ctx, view)
    return Response(safe_json(drawn.data()), media_type="application/json")


@router.get("/network/{view}")
async def network_page(request: Request, view: str, ctx: AppContext = Depends(context)) -> Response:
    """A view's page: its filters, then the drawing (or why there is none). A filter naming
    nothing in the graph keeps the form, so the name can be corrected in place."""
    if view not in TITLES:
        raise DhrkgError(NOT_FOUND, status=404)
    query = urlencode({k: v for k, v in request.query_params.items() if v})
    try:
        drawn = await run_in_threadpool(_drawing, request, ctx, view)
    except UnknownName as err:
        return page(request, "network.html", status=err.status, view=view, drawn=None, problem=err.message,
                    heading=TITLES[view], filters=request.query_params)
    return page(request, "network.html", view=view, drawn=drawn, heading=drawn.title, problem=None,
                source=f"/network/{view}.json" + (f"?{query}" if query else ""), filters=request.query_params)


@router.get("/static/vendor/{name}")
async def script(name: str) -> Response:
    if name not in _SCRIPTS:
        raise DhrkgError(NOT_FOUND, status=404)
    folder, media_type = _SCRIPTS[name]
    return Response((folder / name).read_bytes(), media_type=media_type,
                    headers={"Cache-Control": "public, max-age=86400"})
