"""The SPARQL 1.1 Protocol endpoint at ``/sparql``, as a mountable router.

GET ``?query=``, POST form-encoded and POST ``application/sparql-query`` all feed one
function. Results are negotiated by kind (406 for what cannot be produced); a GET without
a query returns the service description. Updates are refused (403) unless the server was
started with writes enabled and the request carries the write token, and never from
another origin. Queries run through the executor: off the event loop, with a deadline
and a row cap.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from graph.errors import DhrkgError, QueryError
from graph.store.results import Format
from graph.web.context import AppContext, context
from graph.web.errors import render_error
from graph.web.negotiation import choose, known_format

_CORS = {"Access-Control-Allow-Origin": "*", "Vary": "Accept, Origin"}

router = APIRouter()


async def sparql(request: Request, ctx: AppContext = Depends(context)) -> Response:
    """One request of the SPARQL 1.1 Protocol, whichever way it was sent."""
    try:
        params = await _parameters(request, ctx.settings.max_body)
    except DhrkgError as err:
        return render_error(request, err.status, err.message, headers=_CORS)
    query, update = _single(params, "query"), _single(params, "update")
    if update is not None:
        return await _update(request, update, ctx)
    if query is None:
        if request.method == "GET" and not params:
            return _service_description(request)
        return render_error(request, 400, "no query: send ?query=… (GET), a form field 'query', "
                                          "or a body of type application/sparql-query", headers=_CORS)
    try:
        requested = _single(params, "format")
        if requested is not None and not known_format(requested):
            raise QueryError(f"unknown format {requested!r}; use one of: {', '.join(f.label for f in Format)}")
        result = await ctx.query(request, query, default_graph=params.get("default-graph-uri") or None,
                                 named_graphs=params.get("named-graph-uri") or None)
    except DhrkgError as err:
        return render_error(request, err.status, err.message, headers={**_CORS, **getattr(err, "headers", {})})
    kind = "graph" if result.kind == "graph" else "solutions"
    fmt = choose(kind, request.headers.get("accept"), requested)
    if fmt is None:
        offered = ", ".join(f.media_type for f in Format.for_kind(kind))
        return render_error(request, 406, f"cannot answer a {result.kind.upper()} query in the requested format; "
                                          f"available: {offered}", headers=_CORS)
    try:
        body = result.serialize(fmt)
    except (ValueError, OSError, RuntimeError) as err:
        return render_error(request, 406, f"cannot write this result as {fmt.media_type}: {err}", headers=_CORS)
    headers = dict(_CORS)
    if result.truncated:
        headers["X-Dhrkg-Truncated"] = f"rows cut at {ctx.settings.max_rows}"
    return Response(body, media_type=_media_type(fmt), headers=headers)


async def preflight() -> Response:
    """CORS preflight: any origin may query (never update: updates need a same-origin token)."""
    return Response(status_code=204, headers={
        **_CORS, "Access-Control-Allow-Methods": "GET, POST",
        "Access-Control-Allow-Headers": "Content-Type, Accept"})


router.add_api_route("/sparql", sparql, methods=["GET", "POST"])
router.add_api_route("/sparql/", sparql, methods=["GET", "POST"], include_in_schema=False)
router.add_api_route("/sparql", preflight, methods=["OPTIONS"], include_in_schema=False)


def _media_type(fmt: Format) -> str:
    return f"{fmt.media_type}; charset=utf-8"


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


async def _parameters(request: Request, max_body: int) -> dict[str, list[str]]:
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    if request.method != "POST":
        return params
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_body:
        raise DhrkgError(f"request body over {max_body:,} bytes", status=413)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_body:
            raise DhrkgError(f"request body over {max_body:,} bytes", status=413)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    text = body.decode("utf-8", errors="replace")
    if content_type == "application/sparql-query":
        params["query"] = [text]
    elif content_type == "application/sparql-update":
        params["update"] = [text]
    elif content_type == "application/x-www-form-urlencoded":
        for key, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    elif body:
        raise DhrkgError(f"unsupported request body type {content_type or '(none)'}; use "
                         "application/sparql-query, application/sparql-update or a form", status=415)
    return params


async def _update(request: Request, update: str, ctx: AppContext) -> Response:
    settings = ctx.settings
    if not settings.allow_update or not settings.update_token:
        return render_error(request, 403, "SPARQL Update is disabled on this server (it is read-only)")
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        return render_error(request, 403, "updates are not accepted from another origin")
    supplied = request.headers.get("authorization", "")
    if not hmac.compare_digest(supplied.encode(), f"Bearer {settings.update_token}".encode()):
        return render_error(request, 403, "a valid write token is required (Authorization: Bearer …)")
    try:
        await ctx.update(update)
    except DhrkgError as err:
        return render_error(request, err.status, err.message, headers=getattr(err, "headers", None))
    return Response(status_code=204)


def _service_description(request: Request) -> Response:
    endpoint = str(request.url).split("?")[0]
    formats = " ".join(f"<http://www.w3.org/ns/formats/{name}>" for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
        "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
    turtle = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
[] a sd:Service ;
   sd:endpoint <{endpoint}> ;
   sd:supportedLanguage sd:SPARQL11Query ;
   sd:resultFormat {formats.replace(" ", ", ")} ;
   sd:feature sd:UnionDefaultGraph ;
   sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
    fmt = choose("graph", request.headers.get("accept")) or Format.TURTLE
    if fmt is not Format.TURTLE:
        from rdflib import Graph

        graph = Graph().parse(data=turtle, format="turtle")
        rdflib_names = {Format.NTRIPLES: "nt", Format.JSONLD: "json-ld", Format.RDFXML: "xml"}
        return Response(graph.serialize(format=rdflib_names[fmt]), media_type=_media_type(fmt), headers=_CORS)
    return Response(turtle, media_type=_media_type(Format.TURTLE), headers=_CORS)
