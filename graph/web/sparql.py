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

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

from graph.errors import DhrkgError
from graph.store.results import Format
from graph.store.safety import check_local_only
from graph.web.executor import QueryExecutor
from graph.web.negotiation import choose
from graph.web.settings import WebSettings

_CORS = {"Access-Control-Allow-Origin": "*", "Vary": "Accept, Origin"}


def error_response(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=_CORS)


def sparql_router(executor: QueryExecutor, settings: WebSettings) -> APIRouter:
    router = APIRouter()

    async def handle(request: Request) -> Response:
        try:
            params = await _parameters(request, settings.max_body)
        except DhrkgError as err:
            return error_response(err.status, err.message)
        query, update = _single(params, "query"), _single(params, "update")
        if update is not None:
            return await _update(request, update, executor, settings)
        if query is None:
            if request.method == "GET" and not params:
                return _service_description(request)
            return error_response(400, "no query: send ?query=… (GET), a form field 'query', "
                                       "or a body of type application/sparql-query")
        try:
            result = await run_in_threadpool(
                executor.run, query,
                default_graph=params.get("default-graph-uri") or None,
                named_graphs=params.get("named-graph-uri") or None,
            )
        except DhrkgError as err:
            return error_response(err.status, err.message)
        kind = "graph" if result.kind == "graph" else "solutions"
        fmt = choose(kind, request.headers.get("accept"), _single(params, "format"))
        if fmt is None:
            offered = ", ".join(f.media_type for f in Format.for_kind(kind))
            return error_response(406, f"cannot answer a {result.kind.upper()} query in the requested format; "
                                       f"available: {offered}")
        try:
            body = result.serialize(fmt)
        except (ValueError, OSError, RuntimeError) as err:
            return error_response(406, f"cannot write this result as {fmt.media_type}: {err}")
        headers = dict(_CORS)
        if result.truncated:
            headers["X-Dhrkg-Truncated"] = f"rows cut at {settings.max_rows}"
        return Response(body, media_type=_media_type(fmt), headers=headers)

    router.add_api_route("/sparql", handle, methods=["GET", "POST"], include_in_schema=True)
    router.add_api_route("/sparql/", handle, methods=["GET", "POST"], include_in_schema=False)

    async def preflight(request: Request) -> Response:
        return Response(status_code=204, headers={
            **_CORS, "Access-Control-Allow-Methods": "GET, POST",
            "Access-Control-Allow-Headers": "Content-Type, Accept"})

    router.add_api_route("/sparql", preflight, methods=["OPTIONS"], include_in_schema=False)
    return router


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


async def _update(request: Request, update: str, executor: QueryExecutor, settings: WebSettings) -> Response:
    if not settings.allow_update or not settings.update_token:
        return PlainTextResponse("SPARQL Update is disabled on this server (it is read-only)\n", status_code=403)
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        return PlainTextResponse("updates are not accepted from another origin\n", status_code=403)
    supplied = request.headers.get("authorization", "")
    if not hmac.compare_digest(supplied.encode(), f"Bearer {settings.update_token}".encode()):
        return PlainTextResponse("a valid write token is required (Authorization: Bearer …)\n", status_code=403)
    try:
        check_local_only(update, federation=settings.federation)
        await run_in_threadpool(executor.store.update, update)
    except DhrkgError as err:
        return PlainTextResponse(err.message + "\n", status_code=err.status)
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
