"""The dhrkg web app: the SPARQL endpoint, server-rendered pages, and entity dereferencing.

``create_app(store, settings)`` builds the same app for ``dhrkg serve``, for tests and for
embedding. Every page is rendered by Jinja2 with autoescaping (review text is untrusted),
loads nothing from a CDN, and is sent with a Content-Security-Policy that forbids inline
scripts, inline event handlers and anything from another origin.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from graph.errors import DhrkgError
from graph.store.base import GraphStore
from graph.web.executor import Limits, QueryExecutor
from graph.web.negotiation import prefers_html
from graph.web.pages import pages_router, templates
from graph.web.settings import WebSettings
from graph.web.sparql import sparql_router

STATIC = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def create_app(store: GraphStore, settings: WebSettings = WebSettings()) -> FastAPI:
    """The web app over ``store``; queries obey ``settings`` (time limit, row cap, workers)."""
    executor = QueryExecutor(store, Limits(settings.query_timeout, settings.max_rows, settings.workers))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        executor.close()

    app = FastAPI(title="dhrkg", description="A knowledge graph of UK Domestic Homicide Reviews.",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.store = store
    app.state.executor = executor
    app.state.settings = settings
    app.add_middleware(SecurityHeaders)
    app.include_router(sparql_router(executor, settings))
    app.include_router(pages_router())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(DhrkgError)
    async def dhrkg_error(request: Request, error: DhrkgError) -> Response:
        return error_page(request, error.status, error.message)

    @app.exception_handler(404)
    async def not_found(request: Request, error: Exception) -> Response:
        return error_page(request, 404, "There is nothing at this address.")

    return app


def error_page(request: Request, status: int, message: str) -> Response:
    """An error as HTML for browsers, as plain text for everything else."""
    if prefers_html(request.headers.get("accept")):
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                          status_code=status)
    return PlainTextResponse(message + "\n", status_code=status)
