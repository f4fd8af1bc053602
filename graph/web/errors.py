"""Every error the web app answers, rendered one way: as the client asks.

A browser gets an HTML page with the site's navigation; an API client (``Accept:
application/json``, or a ``.json`` address) gets ``{"error": {"status", "message"}}``; a
SPARQL client (anything under ``/sparql``) gets the plain text the SPARQL Protocol's
examples use. An unexpected failure is logged and answered 500 with no internals in the body.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from starlette.exceptions import HTTPException

from graph.errors import DhrkgError
from graph.web.negotiation import parse_accept, prefers_html
from graph.web.templating import templates

log = logging.getLogger("dhrkg.web")

NOT_FOUND = "There is nothing at this address."


def wants(request: Request) -> str:
    """How a client wants its errors: ``sparql``, ``json``, ``html`` or ``text``."""
    path = request.url.path
    if path == "/sparql" or path.startswith("/sparql/"):
        return "sparql"
    if path.endswith(".json"):
        return "json"
    accept = request.headers.get("accept")
    if prefers_html(accept):
        return "html"
    if any(m.type in ("application/json", "application/problem+json") for m in parse_accept(accept)):
        return "json"
    return "text"


def render_error(request: Request, status: int, message: str, *,
                 headers: Mapping[str, str] | None = None) -> Response:
    """The one renderer of errors, chosen by what the client accepts (see :func:`wants`)."""
    kind = wants(request)
    extra = dict(headers or {})
    if kind == "html":
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                          status_code=status, headers=extra)
    if kind == "json":
        body = json.dumps({"error": {"status": status, "message": message}}, ensure_ascii=False)
        return Response(body, status_code=status, media_type="application/json", headers=extra)
    return PlainTextResponse(message + "\n", status_code=status, headers=extra)


def install(app: FastAPI) -> None:
    """Render every error of ``app`` with :func:`render_error`."""

    @app.exception_handler(DhrkgError)
    async def dhrkg_error(request: Request, error: DhrkgError) -> Response:
        return render_error(request, error.status, error.message, headers=getattr(error, "headers", None))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        message = NOT_FOUND if error.status_code == 404 else str(error.detail)
        return render_error(request, error.status_code, message, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}"
                             for e in error.errors())
        return render_error(request, 400, f"bad request parameters: {problems}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error answering %s %s", request.method, request.url.path)
        return render_error(request, 500, "Something went wrong on the server; it has been logged.")
