"""Every IRI dhrkg mints dereferences under ``/id/…``: a browser is sent to the entity's
page (303), any other client gets the entity's triples in the RDF format it accepts."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from graph.errors import DhrkgError
from graph.store.named_queries import internal_query
from graph.store.results import Format
from graph.web.context import AppContext, context
from graph.web.errors import NOT_FOUND
from graph.web.negotiation import choose, prefers_html
from graph.web.pages import entity_iri
from graph.web.templating import local_path

router = APIRouter(include_in_schema=False)


@router.get("/id/{path:path}")
async def dereference(request: Request, path: str, ctx: AppContext = Depends(context)) -> Response:
    kind, _, rest = path.partition("/")
    if not rest:
        raise DhrkgError(NOT_FOUND, status=404)
    iri = entity_iri(kind, rest)
    target = local_path(iri)
    accept = request.headers.get("accept")
    if prefers_html(accept) and target and not target.startswith("/id/"):
        return RedirectResponse(target, status_code=303)
    describe = internal_query("describe")
    described = await run_in_threadpool(ctx.store.query, describe.text, bindings=describe.bindings({"node": iri}))
    if len(described) == 0:
        raise DhrkgError(NOT_FOUND, status=404)
    fmt = choose("graph", accept) or Format.TURTLE
    return Response(described.serialize(fmt), media_type=f"{fmt.media_type}; charset=utf-8",
                    headers={"Vary": "Accept"})
