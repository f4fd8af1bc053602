"""The query page: the named queries with their parameters, a user's own SPARQL, a results
table and download links. A user's query runs through the executor, with the server's
limits, exactly as it would at the endpoint."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from graph.errors import DhrkgError
from graph.store.named_queries import named_queries
from graph.store.prefixes import prefix_lines
from graph.store.results import Format, Result
from graph.web.context import AppContext, context
from graph.web.pages import page

router = APIRouter(include_in_schema=False)


@router.get("/query")
async def query_page(request: Request, query: str = "", named: str = "",
                     ctx: AppContext = Depends(context)) -> Response:
    library = named_queries()
    params = {k[2:]: v for k, v in request.query_params.items() if k.startswith("p.") and v}
    chosen = library.get(named)
    text = query or (chosen.text if chosen else "")
    result: Result | None = None
    error: str | None = None
    status, headers = 200, {}
    if query or chosen:
        try:
            bindings = chosen.bindings(params) if chosen and not query else None
            result = await ctx.query(request, text, bindings=bindings)
        except DhrkgError as err:  # the page, with the error, under the error's status (503 when busy)
            error, status, headers = err.message, err.status, dict(getattr(err, "headers", {}))
    downloads = {}
    if result is not None and text and not (chosen and not query and chosen.params):
        for fmt in Format.for_kind(result.kind):
            downloads[fmt.label] = "/sparql?" + urlencode({"query": text, "format": fmt.label})
    response = page(request, "query.html", status, text=text, library=library, chosen=chosen, params=params,
                    result=result, rows=result.rows() if result and result.kind != "ask" else [],
                    error=error, downloads=downloads, max_rows=ctx.settings.max_rows, prefixes=prefix_lines())
    response.headers.update(headers)
    return response
